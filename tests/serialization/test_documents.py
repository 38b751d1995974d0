"""Tests of sgcq.serialization.documents: lossless JSON/TOML round trips, precise errors."""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgcq import serialization as ser
from sgcq.errors import DocumentError, SchemaVersionError
from sgcq.models import (
    Direction,
    Money,
    Programme,
    ProgrammeKind,
    Scenario,
)
from sgcq.serialization._kinds import TABLE
from sgcq.testing import strategies as sst

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: A strategy for every document kind that the model layer defines.
STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "scenario": sst.scenarios(max_candidates=3, max_positions=3),
    "organisation": sst.organisations(),
    "programme": sst.programmes(),
    "cohort": sst.cohorts(),
    "candidate": sst.candidates(position_ids=["p0", "p1"], cohort_ids=["k0"]),
    "position": sst.positions(candidate_ids=["c0", "c1"], programme_ids=["prog0"]),
    "course": sst.courses(),
    "placement": sst.placements(),
    "money": sst.money(currencies=("SGD", "CNY", "JPY"), min_amount=-(10**6)),
    "allowance": sst.allowances(),
    "date_range": sst.date_ranges(),
    "exchange_rate": sst.exchange_rates(),
    "rate_table": sst.rate_tables(),
}

MODEL_KINDS = sorted(k for k, (module, _) in TABLE.items() if module.startswith("sgcq.models."))


def test_every_model_kind_has_a_strategy() -> None:
    """The round-trip tests cover every document kind of the model layer."""
    assert sorted(STRATEGIES) == MODEL_KINDS


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_json_toml_and_pickle_round_trips(kind: str, data: st.DataObject) -> None:
    """x == loads(dumps(x)) for JSON and TOML, with or without the expected class, and pickling."""
    obj = data.draw(STRATEGIES[kind])
    text = ser.dumps_json(obj)
    assert json.loads(text)["kind"] == kind
    assert ser.loads_json(text, type(obj)) == obj
    assert ser.loads_json(text) == obj
    assert ser.loads_toml(ser.dumps_toml(obj), type(obj)) == obj
    assert pickle.loads(pickle.dumps(obj)) == obj


@pytest.mark.parametrize("suffix", [".json", ".toml"])
@given(
    scenario=sst.scenarios(
        max_programmes=1, max_cohorts=1, max_candidates=1, max_positions=1, max_placements=1
    )
)
def test_dump_and_load_files_by_suffix(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, scenario: Scenario
) -> None:
    """dump() picks the format from the suffix and load() reads it back equal."""
    path = ser.dump(scenario, tmp_path_factory.mktemp("dump") / f"s{suffix}")
    assert path.read_text(encoding="utf-8").startswith(("{", "schema_version"))
    assert ser.load(path, Scenario) == scenario


def test_programme_documents_keep_the_envelope_kind() -> None:
    """Programme has its own 'kind' field; its document nests the fields under [programme]."""
    prog = Programme("prog0", "P", ProgrammeKind.INTERNSHIP, Direction.SG_TO_CQ)
    data = ser.to_data(prog)
    assert data["kind"] == "programme" and data["programme"]["kind"] == "internship"
    assert ser.loads_toml(ser.dumps_toml(prog)) == prog


def test_programme_document_errors_are_prefixed_with_the_table() -> None:
    """A bad field in a programme document is reported under 'programme.'."""
    data = ser.to_data(Programme("prog0", "P", ProgrammeKind.JOB, Direction.BOTH))
    data["programme"]["kind"] = "holiday"
    with pytest.raises(DocumentError) as info:
        ser.from_data(data)
    assert info.value.paths == ("programme.kind",)
    flat = {"schema_version": 1, "kind": "programme", "id": "x", "name": "P"}
    with pytest.raises(DocumentError) as info:
        ser.from_data(flat)
    assert info.value.paths == ("programme", "id", "name")


def test_money_document_example() -> None:
    """Amounts are decimal strings next to the envelope."""
    assert ser.to_data(Money("1500.00", "SGD")) == {
        "schema_version": 1,
        "kind": "money",
        "amount": "1500.00",
        "currency": "SGD",
    }


def test_documents_of_unregistered_classes_are_refused() -> None:
    """to_data needs a registered kind; register_kind refuses to reuse a name."""
    with pytest.raises(TypeError, match="not a document kind"):
        ser.to_data(object())
    with pytest.raises(ValueError, match="already used"):
        ser.register_kind("money", Scenario)


# --- malformed files ------------------------------------------------------------------

GOOD_TOML = """\
schema_version = 1
kind = "scenario"
id = "s0"
name = "Small"

[[organisations]]
id = "u0"
name = "NTU"
roles = ["sending_university"]
location = { country = "SG" }

[[organisations]]
id = "h0"
name = "Host"
roles = ["host_company"]
location = { country = "CN" }

[[positions]]
id = "p0"
host = "h0"
title = "Intern"
fields = ["ai"]
seats = 2
mode = "on_site"
location = { country = "CN" }
starts = { type = "start_dates", dates = ["2020-09-01"] }
duration = { minimum = { value = 3, unit = "months" }, maximum = { value = 6, unit = "months" } }
allowance = { monthly = { amount = "3000", currency = "CNY" }, payer = "h0" }

[[candidates]]
id = "c0"
university = "u0"
nationalities = ["SG"]
study = { enrolled_full_time_until = "2021-05-31" }
discipline = "computing"
available = { start = "2020-07-01", end = "2021-06-01" }
duration = { minimum = { value = 3, unit = "months" }, maximum = { value = 6, unit = "months" } }
modes = ["on_site"]
preferences = { p0 = 1 }
"""


def _write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_good_file_loads(tmp_path: Path) -> None:
    """The base document of the malformed-file tests is itself valid."""
    scenario = ser.load(_write(tmp_path, GOOD_TOML), Scenario)
    assert scenario.position("p0").seats == 2


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("seats = 2", 'seats = "two"', "positions[0].seats"),
        ("seats = 2", "seats = -1", "positions[0].seats"),
        ("seats = 2", "seats = 2.0", "positions[0].seats"),
        ('title = "Intern"', 'title = "Intern"\ncolour = "red"', "positions[0].colour"),
        ('start = "2020-07-01"', 'start = "2020-13-01"', "candidates[0].available.start"),
        ('start = "2020-07-01"', 'start = "1 July 2020"', "candidates[0].available.start"),
        ('end = "2021-06-01"', 'end = "2020-06-01"', "candidates[0].available.end"),
        ('currency = "CNY"', 'currency = "RMB"', "positions[0].allowance.monthly.currency"),
        ('amount = "3000"', "amount = 3000.5", "positions[0].allowance.monthly.amount"),
        ('mode = "on_site"', 'mode = "walking"', "positions[0].mode"),
        ('modes = ["on_site"]', 'modes = ["on_site", "teleport"]', "candidates[0].modes[1]"),
        ('type = "start_dates"', 'type = "start_days"', "positions[0].starts"),
        ('type = "start_dates", ', "", "positions[0].starts"),
        ('discipline = "computing"\n', "", "candidates[0].discipline"),
        ('university = "u0"', 'university = "u9"', "candidates[0].university"),
        ("preferences = { p0 = 1 }", "preferences = { p0 = 0 }", "candidates[0].preferences[p0]"),
        ('roles = ["host_company"]', 'roles = ["landlord"]', "organisations[1].roles[0]"),
        ('id = "s0"', 'id = "s0"\nas_of = 2020', "as_of"),
        ('name = "Small"', "name = 5", "name"),
    ],
)
def test_a_malformed_scenario_file_raises_one_document_error(
    tmp_path: Path, old: str, new: str, path: str
) -> None:
    """Each mistake gives exactly one DocumentError naming the file and the bad value's path."""
    assert old in GOOD_TOML
    file = _write(tmp_path, GOOD_TOML.replace(old, new, 1))
    with pytest.raises(DocumentError) as info:
        ser.load(file, Scenario)
    assert info.value.paths == (path,), str(info.value)
    assert str(file) in str(info.value) and path in str(info.value)
    assert info.value.source == str(file)


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda d: d["positions"][0].update(seats=-1), "positions[0].seats"),
        (lambda d: d["positions"][0].update(seats="2"), "positions[0].seats"),
        (
            lambda d: d["positions"][0]["allowance"]["monthly"].update(currency="XXX"),
            "positions[0].allowance.monthly.currency",
        ),
        (lambda d: d["candidates"][0].update(hobby="chess"), "candidates[0].hobby"),
        (lambda d: d["positions"][0]["starts"].update(type="often"), "positions[0].starts"),
    ],
)
def test_the_same_mistakes_in_a_json_file_give_the_same_paths(
    tmp_path: Path, edit: Any, path: str
) -> None:
    """JSON documents are checked like TOML ones: one DocumentError naming file and path."""
    data = tomllib.loads(GOOD_TOML)
    edit(data)
    file = _write(tmp_path, json.dumps(data), "scenario.json")
    with pytest.raises(DocumentError) as info:
        ser.load(file, Scenario)
    assert info.value.paths == (path,) and str(info.value).startswith(f"{file}: {path}: ")


def test_native_toml_dates_are_accepted(tmp_path: Path) -> None:
    """A TOML date literal reads like an ISO string; a TOML datetime in a date field does not."""
    native = GOOD_TOML.replace('start = "2020-07-01"', "start = 2020-07-01")
    scenario = ser.load(_write(tmp_path, native), Scenario)
    assert scenario.candidate("c0").available.start.isoformat() == "2020-07-01"
    timestamp = GOOD_TOML.replace('start = "2020-07-01"', "start = 2020-07-01T00:00:00Z")
    with pytest.raises(DocumentError) as info:
        ser.load(_write(tmp_path, timestamp, "ts.toml"), Scenario)
    assert info.value.paths == ("candidates[0].available.start",)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("schema_version = 1\n", "", "missing"),
        ("schema_version = 1", "schema_version = 2", "unknown schema version 2"),
        ("schema_version = 1", 'schema_version = "1"', "unknown schema version '1'"),
    ],
)
def test_missing_or_unknown_schema_version(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """A missing or unsupported schema_version raises SchemaVersionError naming the file."""
    file = _write(tmp_path, GOOD_TOML.replace(old, new, 1))
    with pytest.raises(SchemaVersionError, match=message) as info:
        ser.load(file)
    assert info.value.paths == ("schema_version",)
    assert str(info.value).startswith(str(file))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "scenario"\n', "", "missing"),
        ('kind = "scenario"', 'kind = "universe"', "unknown kind 'universe'"),
        ('kind = "scenario"', 'kind = "money"', "expected a 'scenario' document"),
    ],
)
def test_missing_unknown_or_wrong_kind(tmp_path: Path, old: str, new: str, message: str) -> None:
    """The envelope's kind must be present, known and the expected one."""
    file = _write(tmp_path, GOOD_TOML.replace(old, new, 1))
    with pytest.raises(DocumentError, match=message) as info:
        ser.load(file, Scenario)
    assert info.value.paths == ("kind",)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.toml", 'schema_version = 1\nkind = "money\n', "not valid TOML"),
        ("bad.json", '{"schema_version": 1, "kind": ', "not valid JSON at line 1"),
        ("list.json", "[1, 2]", "must be a table"),
        ("bad.yaml", "a: 1", "cannot tell the format"),
    ],
)
def test_unreadable_files_raise_a_document_error(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    """Bad syntax, a non-table document or an unknown suffix raise DocumentError naming the file."""
    file = _write(tmp_path, text, name)
    with pytest.raises(DocumentError, match=message) as info:
        ser.load(file)
    assert len(info.value.errors) == 1 and str(file) in str(info.value)


def test_a_missing_file_raises_a_document_error(tmp_path: Path) -> None:
    """A file that cannot be read is a DocumentError, not an OSError."""
    with pytest.raises(DocumentError, match="cannot read the file"):
        ser.load(tmp_path / "absent.toml")


def test_several_problems_are_all_reported_at_once(tmp_path: Path) -> None:
    """Bad values in different places are listed together in one error, each with its path."""
    text = (
        GOOD_TOML.replace('mode = "on_site"', 'mode = "walking"')
        .replace('title = "Intern"', 'title = "Intern"\ncolour = "red"')
        .replace('start = "2020-07-01"', 'start = "2020-02-30"')
        .replace('nationalities = ["SG"]', "nationalities = 5")
        .replace('name = "Small"', "name = 5")
    )
    with pytest.raises(DocumentError) as info:
        ser.load(_write(tmp_path, text), Scenario)
    assert set(info.value.paths) == {
        "name",
        "positions[0].colour",
        "positions[0].mode",
        "candidates[0].available.start",
        "candidates[0].nationalities",
    }
    assert str(info.value).count("\n  - ") == 5


def test_cross_reference_problems_are_all_reported_from_a_file(tmp_path: Path) -> None:
    """Unknown references found by Scenario itself are also reported together with paths."""
    text = GOOD_TOML.replace('university = "u0"', 'university = "u9"').replace(
        'host = "h0"', 'host = "u0"'
    )
    with pytest.raises(DocumentError) as info:
        ser.load(_write(tmp_path, text), Scenario)
    assert info.value.paths == ("candidates[0].university", "positions[0].host")


@given(
    key=st.sampled_from(["seats", "mode", "starts", "fields", "duration", "location", "host"]),
    value=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 5),
        st.floats(allow_nan=False),
        st.text(max_size=5),
        st.lists(st.integers(0, 3), max_size=2),
        st.dictionaries(st.sampled_from(["type", "value", "x"]), st.text(max_size=3), max_size=2),
    ),
)
def test_no_cattrs_exception_escapes_for_any_bad_value(key: str, value: Any) -> None:
    """Putting any JSON value in any position field gives a DocumentError or a valid model."""
    data = json.loads(ser.dumps_json(ser.loads_toml(GOOD_TOML, Scenario)))
    if value is None:
        del data["positions"][0][key]
    else:
        data["positions"][0][key] = value
    try:
        ser.from_data(data, Scenario)
    except DocumentError as exc:
        assert exc.paths and all(p.startswith("positions[0]") for p in exc.paths)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("latin1.toml", 'schema_version = 1\nkind = "caf\xe9"\n'.encode("latin-1")),
        ("latin1.json", '{"schema_version": 1,\n"kind": "caf\xe9"}'.encode("latin-1")),
    ],
)
def test_a_file_that_is_not_utf8_raises_a_document_error(
    tmp_path: Path, name: str, content: bytes
) -> None:
    """A non-UTF-8 file is a DocumentError naming file and line, not a UnicodeDecodeError."""
    file = tmp_path / name
    file.write_bytes(content)
    with pytest.raises(DocumentError, match="not UTF-8 text at line 2") as info:
        ser.load(file)
    assert info.value.source == str(file) and str(info.value).startswith(f"{file}: ")


def test_toml_syntax_errors_name_the_line_and_column() -> None:
    """A TOML syntax error says where it is, as JSON syntax errors do."""
    with pytest.raises(DocumentError) as info:
        ser.loads_toml('schema_version = 1\nkind = "money"\namount = \n', source="m.toml")
    assert str(info.value) == "m.toml: not valid TOML at line 3, column 10: Invalid value"
