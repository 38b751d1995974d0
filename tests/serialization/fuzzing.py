"""Mutations of valid documents and CSV files, and the one oracle every outcome must meet.

The fuzz tests (``test_fuzz.py``) start from valid seeds, mutate them with
Hypothesis (whole values replaced by hostile ones, keys dropped, repeated
or added, items repeated, lists turned into strings, bytes inserted,
deleted or made invalid UTF-8) and check that each outcome is either

* an accepted value that round-trips through JSON and TOML, or
* an :class:`~sgcq.errors.SgcqError` that names where: the file, and the
  path to the value, the line and column, or the CSV row and column.

Nothing else (a ``ValueError``, a ``RecursionError``, a crash of ``str()``)
is allowed.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from sgcq.errors import CsvError, DocumentError, SgcqError
from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Option,
    Problem,
    Settings,
    SolvePath,
    solve,
)
from sgcq.models import DateRange, Mode, Money, Ranking
from sgcq.scenarios import load_scenario
from sgcq.serialization import dumps_json, dumps_toml, loads_json, loads_toml, to_data
from sgcq.serialization._converter import converter

# --- seeds -------------------------------------------------------------------


def _small_problem() -> Problem:
    stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
    return Problem(
        candidates=(MatchCandidate("c1", "ntu"), MatchCandidate("c2", "nus", priority=2)),
        positions=(MatchPosition("p1", "h1", seats=1, fields=frozenset({"ai"})),),
        options=(
            Option("c1", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1,
                   cost=Money("100.00", "SGD")),
            Option("c2", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=2,
                   cost=Money("50.005", "SGD")),
        ),
        constraints=Constraints(budget=Money("120", "SGD"), max_size=2),
    )  # fmt: skip


def document_seeds() -> dict[str, dict[str, Any]]:
    """Valid documents of several kinds, as data, by name."""
    scenario = load_scenario("nus-ytp-2019")
    rich = load_scenario("yes-2020")
    candidate = attrs.evolve(
        scenario.candidates[0], name="Tan Ah Kow", date_of_birth=date(1999, 4, 1)
    )
    small = attrs.evolve(
        scenario,
        candidates=tuple(
            attrs.evolve(c, preferences=type(c.preferences)({scenario.positions[0].id: 1}))
            for c in scenario.candidates[:2]
        ),
        positions=scenario.positions[:1],
    )
    return {
        "money": to_data(Money("1500.00", "SGD")),
        "candidate": to_data(candidate),
        "position": to_data(scenario.positions[0]),
        "cohort": to_data(scenario.cohorts[0]),
        "problem": to_data(_small_problem()),
        "scenario": to_data(small),
        "settings": to_data(Settings(time_limit=10.0, workers=2, seed=3, path=SolvePath.CP_SAT)),
        "programme": to_data(rich.programmes[0]),
        "organisation": to_data(rich.organisations[0]),
        "rate_table": to_data(load_scenario("suss-overseas-2021").rates),
        "result": to_data(solve(_small_problem(), Settings(deterministic_time_limit=5.0))),
    }


CANDIDATE_ROW = {
    "id": "c1",
    "university": "ntu",
    "nationalities": "SG",
    "discipline": "computer-science",
    "available_start": "2020-07-01",
    "available_end": "2021-01-01",
    "duration_min": "3 months",
    "duration_max": "6 months",
    "modes": "on_site;remote",
    "enrolled_full_time_until": "2021-05-31",
    "date_of_birth": "1999-04-01",
    "name": "Tan Ah Kow",
}
POSITION_ROW = {
    "id": "p1",
    "host": "h1",
    "title": "Data intern",
    "fields": "big-data;ai",
    "seats": "2",
    "mode": "on_site",
    "country": "CN",
    "city": "Chongqing",
    "duration_min": "3 months",
    "duration_max": "6 months",
    "start_window_start": "2020-07-01",
    "start_window_end": "2021-01-01",
}


def _csv(row: dict[str, str], second: dict[str, str]) -> str:
    lines = [",".join(row), ",".join(row.values()), ",".join(second.values())]
    return "\n".join(lines) + "\n"


CSV_SEEDS = {
    "candidates": _csv(CANDIDATE_ROW, {**CANDIDATE_ROW, "id": "c2", "name": "Lim Bee Hoon"}),
    "positions": _csv(POSITION_ROW, {**POSITION_ROW, "id": "p2", "seats": "1"}),
    "preferences": "candidate,position,rank\nc1,p1,1\nc1,p2,2\nc2,p1,1\n",
}

# --- hostile values ------------------------------------------------------------

_HOSTILE_TEXT = [
    "", " ", "en", "yes", "ai", "SG", "x" * 300, "1e999990", "-1e999990", "NaN", "Infinity",
    "9" * 30, "0.0000001", "1" + "0" * 26, "9999-12-31", "0001-01-01", "2020-02-30",
    "2020-13", "2020-07-01T00:00:00", "\ud800", "\x00", "a\nb", "on_site", "months",
    "3 months", "9999999 months", "c1", "p1", "<redacted>",
]  # fmt: skip
_HOSTILE_INTS = [0, -1, 1, 2**31, 2**63, 10**18, 10**4000, -(10**30), 9999, 10**6 + 1]


def hostile_values(depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that stress the converter: edge strings, huge numbers, wrong shapes, deep nests."""
    leaves = st.one_of(
        st.sampled_from(_HOSTILE_TEXT),
        st.sampled_from(_HOSTILE_INTS),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
        st.text(max_size=12),
        st.just([]),
        st.just({}),
    )
    nests = st.integers(min_value=2, max_value=400).map(_nest)
    return st.one_of(
        leaves,
        nests,
        st.lists(leaves, max_size=4),
        st.dictionaries(st.text(max_size=6), leaves, max_size=3),
    )


def _nest(n: int) -> Any:
    value: Any = "x"
    for i in range(n):
        value = [value] if i % 2 else {"a": value}
    return value


# --- structural mutations ---------------------------------------------------------


class DuplicateKey(dict[str, Any]):
    """A table written to JSON with one key twice (the first value differs)."""

    repeated: str = ""
    first: Any = None


def _nodes(tree: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in ``tree``, iteratively."""
    out: list[tuple[Any, Any]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, value in items:
            out.append((node, key))
            if isinstance(value, (dict, list)):
                stack.append(value)
    return out


@st.composite
def mutated_tree(draw: st.DrawFn, seed: dict[str, Any]) -> Any:
    """A copy of ``seed`` with one to three structural mutations."""
    tree = copy.deepcopy(seed)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        nodes = _nodes(tree)
        if not nodes:
            break
        parent, key = draw(st.sampled_from(nodes))
        value = parent[key]
        op = draw(
            st.sampled_from(
                ["replace", "delete", "add", "repeat", "stringify", "wrap", "duplicate_key"]
            )
        )
        if op == "replace":
            parent[key] = draw(hostile_values())
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "id", "kind", "type", "schema_version"]))] = draw(
                hostile_values()
            )
        elif op == "repeat" and isinstance(value, list) and value:
            value.append(copy.deepcopy(draw(st.sampled_from(value))))
        elif op == "stringify":
            parent[key] = value if isinstance(value, str) else json.dumps(value)[:20]
            if isinstance(value, list) and value and isinstance(value[0], str):
                parent[key] = value[0]  # "en" for ["en"]: must never become {'e', 'n'}
        elif op == "wrap":
            parent[key] = [value]
        elif op == "duplicate_key" and isinstance(parent, dict):
            dup = DuplicateKey(parent)
            dup.repeated, dup.first = str(key), draw(hostile_values())
            if isinstance(key, str):
                # replace the parent in its own parent by the marked copy
                _replace(tree, parent, dup)
    return tree


def _replace(tree: Any, old: Any, new: Any) -> None:
    if tree is old:
        return  # the root: written by to_json directly
    for parent, key in _nodes(tree):
        if parent[key] is old:
            parent[key] = new
            return


def _has_duplicate(tree: Any) -> bool:
    return isinstance(tree, DuplicateKey) or any(
        isinstance(parent[key], DuplicateKey) for parent, key in _nodes(tree)
    )


def to_json(tree: Any) -> str:
    """Write ``tree`` as JSON text, a :class:`DuplicateKey` table with its key twice."""
    if isinstance(tree, (dict, list)) and not _has_duplicate(tree):
        return json.dumps(tree)
    if isinstance(tree, DuplicateKey):
        first = f"{json.dumps(tree.repeated)}: {to_json(tree.first)}"
        rest = [f"{json.dumps(str(k))}: {to_json(v)}" for k, v in tree.items()]
        return "{" + ", ".join([first, *rest]) + "}"
    if isinstance(tree, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {to_json(v)}" for k, v in tree.items()) + "}"
    if isinstance(tree, list):
        return "[" + ", ".join(to_json(v) for v in tree) + "]"
    return json.dumps(tree)


# --- byte mutations -------------------------------------------------------------------


@st.composite
def mutated_bytes(draw: st.DrawFn, text: str) -> bytes:
    """``text`` as UTF-8 with one to three byte-level changes."""
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "latin1", "bom", "repeat"]))
        if op == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(max_size=4),
                    st.sampled_from([b",", b'"', b"\n", b"[", b"{", b"=", b";", b"\r", b"\x00"]),
                )
            )
        elif op == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=8))]
        elif op == "replace" and at < len(data):
            data[at] = draw(st.integers(min_value=0, max_value=255))
        elif op == "latin1":
            data[at:at] = "é".encode("latin-1")
        elif op == "bom":
            data[0:0] = b"\xef\xbb\xbf"
        elif op == "repeat":
            line_start = data.rfind(b"\n", 0, at) + 1
            line_end = data.find(b"\n", at)
            line = data[line_start : line_end + 1 if line_end >= 0 else len(data)]
            data[line_start:line_start] = line
    return bytes(data)


# --- the oracle -------------------------------------------------------------------------

#: Messages of errors about a whole document, which have no path to a value.
_WHOLE_DOCUMENT = (
    "not valid JSON",
    "not valid TOML",
    "not UTF-8",
    "a document must be a table",
    "cannot tell the format",
)


def _same(given: Any, written: Any) -> bool:
    """Whether ``written`` (a value's document) still says what ``given`` (the input) said."""
    if isinstance(given, dict):
        return isinstance(written, dict) and all(
            value is None or (key in written and _same(value, written[key]))
            for key, value in given.items()
        )
    if isinstance(given, list):
        if not isinstance(written, list) or len(given) != len(written):
            return False  # a string split into characters, or repeated items merged
        if all(_same(g, w) for g, w in zip(given, written, strict=True)):
            return True
        # a set is written sorted: compare as multisets
        key = functools.partial(json.dumps, sort_keys=True, default=str)
        return sorted(map(key, given)) == sorted(map(key, written)) or all(
            any(_same(g, w) for w in written) for g in given
        )
    if given == written or str(given) == str(written):
        return True
    try:  # "1e2" is written "1E+2": the same amount
        return Decimal(str(given)) == Decimal(str(written))
    except ArithmeticError:
        return False


def check_document_outcome(
    load: Callable[[], Any], source: str, given: dict[str, Any] | None = None
) -> str:
    """Run ``load`` and check its outcome; return ``"accepted"`` or ``"refused"``.

    An accepted value must round-trip through JSON and TOML and, when the
    input data ``given`` is known, say what the input said (no string read as
    a list of characters, no repeated items merged, no value changed); a
    refusal must be a :class:`DocumentError` naming ``source`` and, for each
    problem, the path to the value (or, for a whole-document problem, what
    is wrong with it, with the line and column where the parser gives them).
    """
    try:
        value = load()
    except DocumentError as exc:
        assert exc.source == source, exc
        assert str(exc).startswith(source), exc
        for error in exc.errors:
            assert error.path or error.message.startswith(_WHOLE_DOCUMENT), error
        return "refused"
    except SgcqError as exc:  # pragma: no cover - a refusal of the wrong class
        raise AssertionError(f"{type(exc).__name__} is not a DocumentError: {exc}") from exc
    assert loads_json(dumps_json(value), type(value)) == value
    assert loads_toml(dumps_toml(value), type(value)) == value
    if given is not None:
        written = json.loads(dumps_json(value))
        assert _same(given, written), f"silently changed: {given!r} became {written!r}"
    return "accepted"


def check_csv_outcome(read: Callable[[], Any], source: str) -> str:
    """Run a CSV reader and check its outcome; return ``"accepted"`` or ``"refused"``.

    Accepted models must round-trip through JSON and TOML; a refusal must be
    a :class:`CsvError` naming the file and a row (and a column for a cell),
    or a :class:`DocumentError` naming the file.
    """
    try:
        values = read()
    except CsvError as exc:
        assert exc.file == source and source in str(exc), exc
        assert exc.row is not None or "not UTF-8" in exc.message or "header" in exc.message, exc
        return "refused"
    except DocumentError as exc:
        assert source in str(exc), exc
        return "refused"
    if isinstance(values, dict):  # rankings by chooser: not a document kind of their own
        for ranking in values.values():
            plain = json.loads(json.dumps(converter.unstructure(ranking, Ranking)))
            assert converter.structure(plain, Ranking) == ranking
        return "accepted"
    for item in values:
        assert loads_json(dumps_json(item), type(item)) == item
        assert loads_toml(dumps_toml(item), type(item)) == item
    return "accepted"
