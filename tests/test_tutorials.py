"""Every tutorial notebook runs, cell by cell, in a real Jupyter kernel.

Each ``docs/tutorials/*.ipynb`` is executed by ``scripts/notebook_runner.py``
(nbclient and an IPython kernel of this interpreter) in its own temporary
working directory, with a timeout per cell; a cell that raises fails the test
with the cell and its traceback. The site build renders the same execution.

The kernel needs the ``[notebook]`` extra. Without it these tests are skipped,
except under CI (``CI`` set), where a missing extra is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = sorted((ROOT / "docs" / "tutorials").glob("*.ipynb"))
#: The most a notebook output's ``text/plain`` may take when it has no richer
#: form: a plain repr bigger than this floods the notebook.
MAX_PLAIN = 2048


def _runner() -> ModuleType:
    missing = [m for m in ("nbclient", "nbformat", "ipykernel") if not importlib.util.find_spec(m)]
    if missing:
        message = f'{", ".join(missing)} missing: pip install -e ".[notebook]"'
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    spec = importlib.util.spec_from_file_location(
        "notebook_runner", ROOT / "scripts" / "notebook_runner.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("notebook_runner", module)
    spec.loader.exec_module(module)
    return module


def test_the_tutorials_folder_has_notebooks() -> None:
    assert TUTORIALS, "no notebook in docs/tutorials"
    assert ROOT / "docs" / "tutorials" / "rules-author.ipynb" in TUTORIALS


@pytest.mark.parametrize("notebook", TUTORIALS, ids=lambda p: p.name)
def test_tutorial_runs(notebook: Path, tmp_path: Path) -> None:
    """The notebook runs top to bottom, in a scratch directory, without a failing cell."""
    runner = _runner()
    from nbclient.exceptions import CellExecutionError

    try:
        executed = runner.execute(notebook, tmp_path)
    except CellExecutionError as error:
        pytest.fail(f"{notebook.name}: a cell failed\n{error}", pytrace=False)
    runner.save(notebook, executed)  # for the site build, when SGCQ_EXECUTED_NOTEBOOKS is set
    codes = [c for c in executed.cells if c.cell_type == "code"]
    assert codes and all(c.execution_count for c in codes), "a code cell did not run"
    errors = [o for c in codes for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    for i, cell in enumerate(codes):
        for output in cell.outputs:
            data = output.get("data", {})
            plain = data.get("text/plain", "")
            if plain and len(data) == 1:
                assert len(plain.encode()) <= MAX_PLAIN, (
                    f"{notebook.name}, code cell {i}: a {len(plain.encode())}-byte plain repr"
                )


def test_a_failing_cell_fails_the_run(tmp_path: Path) -> None:
    """The runner reports a cell that raises, naming the error, instead of going on."""
    runner = _runner()
    import nbformat
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("from pathlib import Path\nPath('here.txt').write_text('x')"),
            nbformat.v4.new_code_cell("raise ValueError('the tutorial is broken')"),
            nbformat.v4.new_code_cell("Path('after.txt').write_text('x')"),
        ]
    )
    path = tmp_path / "broken.ipynb"
    nbformat.write(notebook, path)
    workdir = tmp_path / "work"
    workdir.mkdir()
    with pytest.raises(CellExecutionError, match="the tutorial is broken"):
        runner.execute(path, workdir)
    # It ran in the working directory given, and stopped at the failing cell.
    assert (workdir / "here.txt").exists()
    assert not (workdir / "after.txt").exists()


def test_a_saved_execution_stands_in_only_for_the_same_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site build reuses the tests' execution of a notebook only while its cells match."""
    runner = _runner()
    import nbformat

    source = tmp_path / "tutorial.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), source)
    executed = nbformat.read(source, as_version=4)
    executed.cells[0].outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)
    ]
    monkeypatch.delenv(runner.SAVED, raising=False)
    assert runner.save(source, executed) is None
    assert runner.executed_copy(source) is None

    monkeypatch.setenv(runner.SAVED, str(tmp_path / "saved"))
    assert runner.save(source, executed) == tmp_path / "saved" / "tutorial.ipynb"
    reused = runner.executed_copy(source)
    assert reused is not None and reused.cells[0].outputs[0].data["text/plain"] == "2"

    changed = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 2")])
    nbformat.write(changed, source)
    assert runner.executed_copy(source) is None
