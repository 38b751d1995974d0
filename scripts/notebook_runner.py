"""Execute a Jupyter notebook with a kernel of this Python, in a scratch working directory.

``tests/test_tutorials.py`` runs every ``docs/tutorials/*.ipynb`` through
:func:`execute`, and the site build (``scripts/mkdocs_hooks.py``) renders what
it returns, so a notebook runs the same way in both. The kernel is always the
interpreter running this code (the virtual environment with sgcq installed),
whatever kernels Jupyter has registered elsewhere on the machine. Needs the
``[notebook]`` extra (nbclient, nbformat, ipykernel).

CI runs the notebooks once: with ``SGCQ_EXECUTED_NOTEBOOKS`` naming a folder,
the tests save each executed notebook there (:func:`save`), and the site build
renders a saved one instead of running the notebook again when
:func:`executed_copy` finds it made from the same cells.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager

#: The environment variable naming the folder of saved executed notebooks.
SAVED = "SGCQ_EXECUTED_NOTEBOOKS"
#: Seconds one cell may run before the notebook fails.
CELL_TIMEOUT = 300
#: Seconds the kernel may take to start (a loaded 2-core CI machine is slow).
STARTUP_TIMEOUT = 120


class _ThisPython(KernelSpecManager):  # type: ignore[misc]
    """Every kernel name means an IPython kernel of ``sys.executable``."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=f"Python ({sys.executable})",
            language="python",
        )


def execute(path: Path, workdir: Path, *, timeout: int = CELL_TIMEOUT) -> Any:
    """Run every cell of the notebook at ``path`` with ``workdir`` as working directory.

    Parameters
    ----------
    path
        The ``.ipynb`` file (left unchanged).
    workdir
        The kernel's working directory; files the notebook writes go there.
    timeout
        Seconds one cell may take.

    Returns
    -------
    nbformat.NotebookNode
        The notebook with its outputs.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell raises; the message shows the cell and its traceback.
    TimeoutError
        When a cell runs longer than ``timeout`` (nbclient's own error type).
    """
    notebook = nbformat.read(path, as_version=4)
    manager = KernelManager(kernel_spec_manager=_ThisPython(), kernel_name="python3")
    client = nbclient.NotebookClient(
        notebook,
        km=manager,
        timeout=timeout,
        startup_timeout=STARTUP_TIMEOUT,
        coalesce_streams=True,  # one output per stream, not one per write
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()
    return notebook


def _cells(notebook: Any) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source) for c in notebook.cells]


def save(source: Path, executed: Any) -> Path | None:
    """Save an executed notebook in the folder :data:`SAVED` names, if it names one.

    Parameters
    ----------
    source
        The notebook's file (its name is the saved copy's name).
    executed
        The notebook :func:`execute` returned.

    Returns
    -------
    pathlib.Path or None
        The saved copy, or ``None`` when :data:`SAVED` is not set.
    """
    folder = os.environ.get(SAVED)
    if not folder:
        return None
    target = Path(folder) / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, target)
    return target


def executed_copy(source: Path) -> Any | None:
    """Return the saved execution of ``source``, if one was made from its current cells.

    Parameters
    ----------
    source
        The notebook's file.

    Returns
    -------
    nbformat.NotebookNode or None
        The saved executed notebook, or ``None`` when :data:`SAVED` is not set,
        holds no copy, or holds one whose cells differ from the source's.
    """
    folder = os.environ.get(SAVED)
    if not folder or not (Path(folder) / source.name).is_file():
        return None
    saved = nbformat.read(Path(folder) / source.name, as_version=4)
    if _cells(saved) != _cells(nbformat.read(source, as_version=4)):
        return None
    return saved
