"""The coordinator tutorial notebook runs top to bottom in a real kernel.

docs/tutorials/coordinator.ipynb is executed with nbclient and ipykernel; a
failing cell fails the test. The outputs are then read: no text/plain output
is over 2 KB (the short reprs), and a scenario, a result and a verdict
displayed in the notebook render as HTML tables.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "tutorials" / "coordinator.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cwd = tmp_path_factory.mktemp("coordinator")
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return nb


def _outputs(nb: nbformat.NotebookNode) -> list[dict[str, object]]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_the_notebook_is_committed_without_outputs() -> None:
    """The repository holds the source only; outputs come from running it."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_every_cell_runs_and_no_plain_output_is_over_2_kb(
    executed: nbformat.NotebookNode,
) -> None:
    """Every cell ran (no error output); every text/plain output is at most 2 KB."""
    outputs = _outputs(executed)
    assert outputs and not [o for o in outputs if o["output_type"] == "error"]
    for o in outputs:
        data = o.get("data", {})
        assert isinstance(data, dict)
        text = data.get("text/plain", "")
        assert len(text) <= 2048, text[:300]
        if o["output_type"] == "stream":
            assert len(str(o["text"])) <= 2048


def test_scenario_result_and_verdict_render_as_html_tables(
    executed: nbformat.NotebookNode,
) -> None:
    """The sgcq views are there, each with at least one table, and the plots are images."""
    html = [
        str(o["data"]["text/html"])  # type: ignore[index]
        for o in _outputs(executed)
        if "text/html" in o.get("data", {})  # type: ignore[operator]
    ]
    for kind in ("scenario", "cohort", "verdict", "trace", "problem", "result"):
        views = [h for h in html if f'class="sgcq sgcq-{kind}"' in h]
        assert views, f"no {kind} view displayed"
        assert all("<table" in h for h in views), kind
    assert any('class="dataframe' in h for h in html)
    images = [o for o in _outputs(executed) if "image/png" in o.get("data", {})]  # type: ignore[operator]
    assert len(images) == 2
