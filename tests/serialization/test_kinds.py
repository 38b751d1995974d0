"""Tests of the static table of document kinds (sgcq.serialization._kinds)."""

from __future__ import annotations

import ast
import functools
import importlib
import pickle
import subprocess
import sys
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import sgcq
from sgcq import serialization as ser
from sgcq.matching import (
    Changes,
    Response,
    Settings,
    audit_record,
    match_scenario,
    offer_round,
    rematch,
)
from sgcq.models import (
    Allowance,
    DateRange,
    ExchangeRate,
    Mode,
    Money,
    Placement,
    RateTable,
)
from sgcq.planning import Variation
from sgcq.rules import explain_option
from sgcq.scenarios import load_scenario
from sgcq.serialization import _kinds

#: Every class that was a document kind before the static table, with the
#: public place it is imported from: the models' KINDS, the kinds
#: rules/engine.py registered and those of matching/__init__.py.
REGISTERED_BEFORE: dict[str, tuple[str, str]] = {
    "scenario": ("sgcq.models", "Scenario"),
    "organisation": ("sgcq.models", "Organisation"),
    "programme": ("sgcq.models", "Programme"),
    "cohort": ("sgcq.models", "Cohort"),
    "candidate": ("sgcq.models", "Candidate"),
    "position": ("sgcq.models", "Position"),
    "placement": ("sgcq.models", "Placement"),
    "money": ("sgcq.models", "Money"),
    "allowance": ("sgcq.models", "Allowance"),
    "date_range": ("sgcq.models", "DateRange"),
    "exchange_rate": ("sgcq.models", "ExchangeRate"),
    "rate_table": ("sgcq.models", "RateTable"),
    "verdict": ("sgcq.rules", "Verdict"),
    "rule_trace": ("sgcq.rules", "Trace"),
    "match_problem": ("sgcq.matching", "Problem"),
    "match_result": ("sgcq.matching", "Result"),
    "match_settings": ("sgcq.matching", "Settings"),
    "match_changes": ("sgcq.matching", "Changes"),
    "match_audit": ("sgcq.matching", "AuditRecord"),
}

SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=20.0)


@functools.lru_cache(maxsize=1)
def examples() -> dict[str, Any]:
    """A small real instance of every document kind, built through the public API."""
    scenario = load_scenario("nus-ytp-2019")
    candidate, position = scenario.candidates[0], scenario.positions[0]
    stay = DateRange.of_months(date(2020, 1, 6), 3)
    trace = explain_option(scenario, candidate, position, stay)
    problem, result = match_scenario(scenario, settings=SETTINGS)
    changes = Changes(withdrawn=(result.assignments[0].candidate,))
    after = rematch(problem, result, changes, settings=SETTINGS)
    at = datetime(2020, 8, 15, 9, 0, tzinfo=timezone.utc)
    rate = ExchangeRate("SGD", "CNY", Decimal("4.92"), date(2021, 1, 1), source="illustrative")
    return {
        "scenario": scenario,
        "organisation": scenario.organisations[0],
        "programme": scenario.programmes[0],
        "cohort": scenario.cohorts[0],
        "candidate": candidate,
        "position": position,
        "course": load_scenario("ntu-west-base-2021").courses[0],
        "placement": Placement(candidate.id, position.id, stay, Mode.ON_SITE),
        "money": Money("1500.00", "SGD"),
        "allowance": Allowance(Money("3000", "CNY"), "host"),
        "date_range": stay,
        "exchange_rate": rate,
        "rate_table": RateTable((rate,)),
        "verdict": trace.verdict,
        "rule_trace": trace,
        "match_problem": problem,
        "match_result": result,
        "match_settings": SETTINGS,
        "match_changes": changes,
        "match_audit": audit_record(result, after, at=at, withdrawn=changes.withdrawn),
        "offer_round": offer_round(
            problem,
            offer_round(problem, (), {}, at=at, number=1, settings=SETTINGS).placements,
            {result.assignments[0].candidate: Response.DECLINED},
            at=at,
            number=2,
            settings=SETTINGS,
        ).record,
        "planning_variation": Variation(beds_scale=Decimal("0.9"), max_size=12, label="tight"),
    }


def test_every_kind_has_an_example() -> None:
    """The examples below cover the whole table, so every kind is tested."""
    assert sorted(examples()) == sorted(_kinds.TABLE)


# A fresh interpreter that imports sgcq.serialization only, checks that no
# higher layer came with it, and loads one document by its kind alone.
_CHILD = """
import pickle, sys
import sgcq.serialization as ser
higher = sorted(m for m in sys.modules if m.startswith(("sgcq.rules", "sgcq.matching")))
assert not higher, f"importing sgcq.serialization imported {higher}"
loaded = tuple(ser.load(path) for path in sys.argv[1:])
sys.stdout.buffer.write(pickle.dumps(loaded))
"""


def test_every_kind_loads_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """Each kind's JSON and TOML documents load by name in a new process that imported nothing else.

    One process per kind, so no kind is helped by a module another kind imported.
    """
    children = {}
    for kind, obj in examples().items():
        files = [ser.dump(obj, tmp_path / f"{kind}.json"), ser.dump(obj, tmp_path / f"{kind}.toml")]
        children[kind] = subprocess.Popen(
            [sys.executable, "-c", _CHILD, *map(str, files)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    failures = {}
    for kind, child in children.items():
        out, err = child.communicate(timeout=300)
        if child.returncode != 0:
            failures[kind] = err.decode(errors="replace").strip().splitlines()[-1:]
            continue
        from_json, from_toml = pickle.loads(out)
        assert from_json == examples()[kind], kind
        assert from_toml == examples()[kind], kind
    assert not failures


def test_the_kinds_view_imports_no_higher_layer() -> None:
    """Listing the kinds and asking whether one exists import neither rules nor matching."""
    script = (
        "import sys\n"
        "from sgcq.serialization import KINDS\n"
        "assert 'match_audit' in KINDS and 'nope' not in KINDS\n"
        "assert len(KINDS) == len(list(KINDS)) >= 19\n"
        "assert not [m for m in sys.modules if m.startswith(('sgcq.rules', 'sgcq.matching'))]\n"
        "assert KINDS['match_audit'].__name__ == 'AuditRecord'\n"
        "assert 'sgcq.matching' in sys.modules\n"
    )
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert child.returncode == 0, child.stderr


@pytest.mark.parametrize("kind", sorted(_kinds.TABLE))
def test_each_entry_names_its_class_and_dumping_writes_that_kind(kind: str) -> None:
    """An entry resolves to the class it names, and an instance of it is written with that kind."""
    module, qualname = _kinds.TABLE[kind]
    cls = ser.KINDS[kind]
    assert (cls.__module__, cls.__qualname__) == (module, qualname)
    obj = examples()[kind]
    assert type(obj) is cls
    assert ser.to_data(obj)["kind"] == kind
    assert ser.loads_json(ser.dumps_json(obj), cls) == obj


def test_every_kind_registered_before_is_in_the_table() -> None:
    """No kind of the old registrations went missing, and each is still the same public class."""
    assert set(REGISTERED_BEFORE) <= set(_kinds.TABLE)
    for kind, (module, name) in REGISTERED_BEFORE.items():
        assert ser.KINDS[kind] is getattr(importlib.import_module(module), name), kind


def test_no_module_registers_a_kind_on_import() -> None:
    """Kinds come from the table only: no module of sgcq calls register_kind."""
    root = Path(sgcq.__file__).parent
    callers = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
                if name == "register_kind":
                    callers.append(str(path.relative_to(root)))
    assert callers == []


def test_kinds_is_a_read_only_mapping() -> None:
    """KINDS can be read like a dict but not written; register_kind is the way in."""
    assert ser.KINDS["money"] is Money
    assert ser.KINDS.get("nope") is None
    with pytest.raises(KeyError):
        ser.KINDS["nope"]
    with pytest.raises(TypeError):
        ser.KINDS["nope"] = Money  # type: ignore[index]
    assert list(ser.KINDS)[: len(_kinds.TABLE)] == list(_kinds.TABLE)


@attrs.frozen
class Note:
    """A user's class for the register_kind tests."""

    text: str


@attrs.frozen
class Other:
    """Another user's class."""

    text: str


def test_register_kind_adds_a_users_class(monkeypatch: pytest.MonkeyPatch) -> None:
    """A registered class is written with its kind, read by name and listed; again is a no-op."""
    monkeypatch.setattr(_kinds, "_REGISTERED", {})
    ser.register_kind("note", Note)
    ser.register_kind("note", Note)
    assert ser.to_data(Note("hi")) == {"schema_version": 1, "kind": "note", "text": "hi"}
    assert ser.loads_toml(ser.dumps_toml(Note("hi"))) == Note("hi")
    assert "note" in ser.KINDS and ser.KINDS["note"] is Note
    assert list(ser.KINDS)[-1] == "note"
    with pytest.raises(ValueError, match="'note' is already used by Note"):
        ser.register_kind("note", Other)


def test_register_kind_refuses_a_name_of_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table's names are taken; registering a table class under its own name changes nothing."""
    monkeypatch.setattr(_kinds, "_REGISTERED", {})
    with pytest.raises(ValueError, match="'match_result' is already used by Result"):
        ser.register_kind("match_result", Note)
    ser.register_kind("money", Money)
    assert _kinds._REGISTERED == {}


def test_an_unknown_class_has_no_kind() -> None:
    """Writing an object of a class that is neither in the table nor registered is refused."""
    with pytest.raises(TypeError, match="Note is not a document kind"):
        ser.to_data(Note("hi"))
