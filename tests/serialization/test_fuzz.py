"""Fuzzing the readers: every outcome is an accepted, round-tripping value or a located error.

Hypothesis mutates valid seeds (``fuzzing.py``). Under the ``ci`` profile
each test runs a bounded number of examples; under the ``fuzz`` profile
(``HYPOTHESIS_PROFILE=fuzz``, registered in ``tests/conftest.py``) many more,
for as long as the run is given::

    HYPOTHESIS_PROFILE=fuzz python -m pytest -p no:cacheprovider tests/serialization/test_fuzz.py

Also: anything that loads as a problem solves without an exception.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import tomli_w
from fuzzing import (
    CSV_SEEDS,
    check_csv_outcome,
    check_document_outcome,
    document_seeds,
    mutated_bytes,
    mutated_tree,
    to_json,
)
from hypothesis import given, note
from hypothesis import strategies as st

from sgcq.cli import run_match
from sgcq.errors import DocumentError, SgcqError
from sgcq.matching import Problem, Settings, solve
from sgcq.models import Scenario
from sgcq.serialization import (
    dumps_json,
    dumps_toml,
    load,
    loads_json,
    loads_toml,
    read_candidates_csv,
    read_positions_csv,
    read_preferences_csv,
)

SEEDS = document_seeds()
_DIR = Path(tempfile.mkdtemp(prefix="sgcq-fuzz-"))
_READERS: dict[str, Any] = {
    "candidates": read_candidates_csv,
    "positions": read_positions_csv,
    "preferences": read_preferences_csv,
}


def _toml_text(tree: Any) -> str | None:
    try:
        return tomli_w.dumps(tree)
    except (TypeError, ValueError, RecursionError):
        return None  # TOML cannot write it (null, mixed keys): JSON covers it


@given(name=st.sampled_from(sorted(SEEDS)), data=st.data())
def test_fuzz_documents_structure(name: str, data: st.DataObject) -> None:
    """A structurally mutated document, as JSON and TOML text, loads or is refused with a path."""
    tree = data.draw(mutated_tree(SEEDS[name]))
    text = to_json(tree)
    note(text[:2000])
    check_document_outcome(lambda: loads_json(text, source="fuzz.json"), "fuzz.json")
    toml = _toml_text(tree)
    if toml is not None:
        check_document_outcome(lambda: loads_toml(toml, source="fuzz.toml"), "fuzz.toml")


@given(
    name=st.sampled_from(sorted(SEEDS)), suffix=st.sampled_from([".json", ".toml"]), data=st.data()
)
def test_fuzz_document_files_bytes(name: str, suffix: str, data: st.DataObject) -> None:
    """A document file with mutated bytes loads or is refused naming the file (line and column)."""
    from sgcq.serialization import from_data

    value = from_data(SEEDS[name])
    text = dumps_json(value) if suffix == ".json" else dumps_toml(value)
    raw = data.draw(mutated_bytes(text))
    path = _DIR / f"doc{suffix}"
    path.write_bytes(raw)
    note(repr(raw[:2000]))
    check_document_outcome(lambda: load(path), str(path))


@given(kind=st.sampled_from(sorted(CSV_SEEDS)), data=st.data())
def test_fuzz_csv_bytes(kind: str, data: st.DataObject) -> None:
    """A CSV file with mutated bytes is read, or refused naming the file, row and column."""
    raw = data.draw(mutated_bytes(CSV_SEEDS[kind]))
    path = _DIR / f"{kind}.csv"
    path.write_bytes(raw)
    note(repr(raw[:2000]))
    check_csv_outcome(lambda: _READERS[kind](path), str(path))


@given(data=st.data())
def test_fuzz_problems_that_load_also_solve(data: st.DataObject) -> None:
    """Anything that loads as a problem (what `sgcq validate` accepts) solves without exception."""
    tree = data.draw(mutated_tree(SEEDS["problem"]))
    try:
        problem = loads_json(to_json(tree), Problem)
    except DocumentError:
        return
    result = solve(problem, Settings(workers=1, seed=0, deterministic_time_limit=5.0))
    assert result.status is not None
    str(result)
    result.summary()


@given(data=st.data())
def test_fuzz_scenarios_that_validate_also_match(data: st.DataObject) -> None:
    """A scenario `sgcq validate` accepts, `sgcq match` reports on: a result or a located error.

    `run_match` is what `sgcq match` runs; an SgcqError (a cohort that must
    be named, say) is a message for the user, anything else would be a crash.
    """
    tree = data.draw(mutated_tree(SEEDS["scenario"]))
    try:
        scenario = loads_json(to_json(tree), Scenario)
    except DocumentError:
        return
    out = io.StringIO()
    try:
        code = run_match(
            scenario, out, settings=Settings(workers=1, seed=0, deterministic_time_limit=5.0)
        )
    except SgcqError as exc:
        assert str(exc)
        return
    assert code in (0, 1)
    assert "Matching report" in out.getvalue()
