"""Fuzzing the readers: every outcome is an accepted, round-tripping value or a located error.

Hypothesis mutates valid seeds (``fuzzing.py``). Under the ``ci`` profile
each test runs a bounded number of examples; under the ``fuzz`` profile
(``HYPOTHESIS_PROFILE=fuzz``, registered in ``tests/conftest.py``) many more,
for as long as the run is given::

    HYPOTHESIS_PROFILE=fuzz python -m pytest -p no:cacheprovider tests/serialization/test_fuzz.py

Also: anything that loads as a problem solves without an exception.
"""

from __future__ import annotations

import copy
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
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
from hypothesis import event, given, note
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
    given = json.loads(text)  # the last of a repeated key, as json reads it
    outcome = check_document_outcome(
        lambda: loads_json(text, source="fuzz.json"), "fuzz.json", given
    )
    event(f"{name} json: {outcome}")
    toml = _toml_text(tree)
    if toml is not None:
        outcome = check_document_outcome(lambda: loads_toml(toml, source="fuzz.toml"), "fuzz.toml")
        event(f"{name} toml: {outcome}")


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
    event(f"{name}{suffix}: {check_document_outcome(lambda: load(path), str(path))}")


@given(kind=st.sampled_from(sorted(CSV_SEEDS)), data=st.data())
def test_fuzz_csv_bytes(kind: str, data: st.DataObject) -> None:
    """A CSV file with mutated bytes is read, or refused naming the file, row and column."""
    raw = data.draw(mutated_bytes(CSV_SEEDS[kind]))
    path = _DIR / f"{kind}.csv"
    path.write_bytes(raw)
    note(repr(raw[:2000]))
    event(f"{kind}: {check_csv_outcome(lambda: _READERS[kind](path), str(path))}")


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


def _list_nodes(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths (as key tuples) of every list in ``tree``."""
    out: list[tuple[Any, ...]] = []
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in items:
        if isinstance(value, list):
            out.append((*path, key))
        if isinstance(value, (dict, list)):
            out.extend(_list_nodes(value, (*path, key)))
    return out


def _at(tree: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    for key in path[:-1]:
        tree = tree[key]
    return tree, path[-1]


_WITH_LISTS = sorted(name for name in SEEDS if _list_nodes(json.loads(json.dumps(SEEDS[name]))))


def test_the_seeds_have_lists() -> None:
    """Every seed but money and settings has list fields to mutate."""
    assert sorted(set(SEEDS) - {"money", "settings"}) == _WITH_LISTS


@pytest.mark.parametrize("name", _WITH_LISTS)
def test_no_list_of_any_seed_accepts_a_string(name: str) -> None:
    """Every list, set and tuple field of every seed refuses a string in its place."""
    seed = json.loads(json.dumps(SEEDS[name]))
    paths = _list_nodes(seed)
    for path in paths:
        tree = copy.deepcopy(seed)
        parent, key = _at(tree, path)
        items = parent[key]
        parent[key] = items[0] if items and isinstance(items[0], str) else "ab"
        with pytest.raises(DocumentError, match="expected a list"):
            loads_json(json.dumps(tree))


@pytest.mark.parametrize("name", _WITH_LISTS)
def test_no_repeated_item_of_any_seed_is_merged(name: str) -> None:
    """A repeated item in any list of any seed is refused, or kept: never merged silently."""
    seed = json.loads(json.dumps(SEEDS[name]))
    for path in _list_nodes(seed):
        tree = copy.deepcopy(seed)
        parent, key = _at(tree, path)
        if not parent[key]:
            continue
        parent[key].append(copy.deepcopy(parent[key][0]))
        check_document_outcome(lambda t=tree: loads_json(json.dumps(t)), "<string>", tree)
