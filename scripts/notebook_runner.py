"""Execute a Jupyter notebook with a kernel of this Python, in a scratch working directory.

``tests/test_tutorials.py`` runs every ``docs/tutorials/*.ipynb`` through
:func:`execute`, and the site build (``scripts/mkdocs_hooks.py``) renders what
it returns, so a notebook runs the same way in both. The kernel is always the
interpreter running this code (the virtual environment with sgcq installed),
whatever kernels Jupyter has registered elsewhere on the machine. Needs the
``[notebook]`` extra (nbclient, nbformat, ipykernel).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager

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
