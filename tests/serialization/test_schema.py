"""The JSON Schemas of the document kinds (sgcq.serialization.json_schema)."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

import sgcq
from sgcq import serialization as ser
from sgcq.cli import main
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
    PlacementStatus,
    RateTable,
    Scenario,
    StatusChange,
)
from sgcq.planning import SeatsChange, Variation
from sgcq.rules import explain_option
from sgcq.scenarios import load_scenario
from sgcq.serialization._schema import file_format_names
from sgcq.serialization._toml import parse_toml

DATA = Path(sgcq.__file__).parent / "data"
ALL = (*ser.KINDS, *file_format_names())
SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=20.0)

Checker = Callable[[Any], list[str]]


def _objects(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        if "properties" in schema:
            yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


@pytest.mark.parametrize("kind", ALL)
def test_every_kind_has_a_valid_2020_12_schema(kind: str) -> None:
    """Each schema is itself valid, names its kind and refuses unknown fields everywhere."""
    schema = ser.json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == ser.JSON_SCHEMA_DIALECT
    assert schema["properties"]["kind"]["const"] == kind
    assert schema["properties"]["schema_version"]["const"] == ser.SCHEMA_VERSION
    objects = list(_objects(schema))
    assert objects
    assert all(o.get("additionalProperties") is False for o in objects if "type" in o)


def test_the_converter_hooks_are_written_as_json() -> None:
    """Decimals as strings or integers, months, dates, enums and tagged unions."""
    schema = ser.json_schema("scenario")
    defs = schema["$defs"]
    amount = defs["Money"]["properties"]["amount"]
    v = jsonschema.Draft202012Validator(amount)
    assert v.is_valid("1500.00") and v.is_valid(1500)
    assert not v.is_valid(1500.5) and not v.is_valid("abc") and not v.is_valid(True)
    month = defs["MonthlyBeds"]["properties"]["month"]
    assert jsonschema.Draft202012Validator(month).is_valid("2020-09")
    assert not jsonschema.Draft202012Validator(month).is_valid("2020-13")
    assert defs["DateRange"]["properties"]["start"]["format"] == "date"
    starts = defs["Position"]["properties"]["starts"]
    assert [r["$ref"] for r in starts["oneOf"]] == [
        "#/$defs/StartDatesTagged",
        "#/$defs/StartWindowTagged",
    ]
    assert defs["StartWindowTagged"]["properties"]["type"] == {"const": "start_window"}
    assert defs["Position"]["properties"]["mode"]["enum"] == ["on_site", "remote", "hybrid"]
    # The field validators a schema can say: identifiers (also when optional),
    # currencies, country codes, tags, positive counts.
    candidate = defs["Candidate"]["properties"]
    ident = candidate["id"]["pattern"]
    assert jsonschema.Draft202012Validator(candidate["id"]).is_valid("ntu-c001")
    assert not jsonschema.Draft202012Validator(candidate["id"]).is_valid("-x y")
    assert candidate["cohort"]["anyOf"][0]["pattern"] == ident
    assert candidate["nationalities"]["items"]["pattern"] == "^[A-Z]{2}$"
    assert candidate["priority"]["minimum"] == 1
    assert "SGD" in defs["Money"]["properties"]["currency"]["enum"]
    assert defs["Position"]["properties"]["fields"]["items"]["pattern"].startswith("^[a-z0-9]")
    # A field's docstring entry becomes its description.
    assert "never a name" in defs["Candidate"]["properties"]["id"]["description"]


def test_a_model_with_a_kind_field_keeps_it_in_a_table() -> None:
    """Programme documents hold their fields under [programme], as the loader reads them."""
    schema = ser.json_schema("programme")
    assert schema["required"] == ["schema_version", "kind", "programme"]
    assert schema["properties"]["programme"] == {"$ref": "#/$defs/Programme"}


def test_unknown_kind_is_refused_with_the_known_ones() -> None:
    """A typo gets a KeyError listing the kinds."""
    with pytest.raises(KeyError, match=r"unknown document kind 'scenari'.*scenario"):
        ser.json_schema("scenari")


def test_the_schema_is_a_copy() -> None:
    """Changing a returned schema does not change the next one."""
    ser.json_schema("money")["properties"].clear()
    assert "amount" in ser.json_schema("money")["properties"]


def test_a_registered_kind_has_a_schema(schema_errors: Checker) -> None:
    """Users' kinds get a schema from their fields too."""

    @attrs.frozen
    class Grant:
        """A grant.

        Parameters
        ----------
        amount
            How much.
        """

        amount: Money
        note: str = ""

    ser.register_kind("test_schema_grant", Grant)
    schema = ser.json_schema("test_schema_grant")
    assert schema["required"] == ["schema_version", "kind", "amount"]
    assert schema["properties"]["amount"]["description"] == "How much."
    assert schema_errors(ser.to_data(Grant(Money("10", "SGD")))) == []


@pytest.mark.parametrize("path", sorted((DATA / "scenarios").glob("*.toml")), ids=lambda p: p.name)
def test_bundled_scenarios_validate(path: Path, schema_errors: Checker) -> None:
    """Every bundled scenario file, as it is on disk, meets the scenario schema."""
    data = parse_toml(path.read_text(encoding="utf-8"))
    assert data["kind"] == "scenario"
    assert schema_errors(data) == []


@pytest.mark.parametrize(
    "path", sorted((DATA / "rules").glob("*/*.toml")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_bundled_rule_data_validates(path: Path, schema_errors: Checker) -> None:
    """Every bundled parameter and case file meets its format's schema."""
    data = parse_toml(path.read_text(encoding="utf-8"))
    assert data["kind"] in ("parameters", "rule_cases")
    assert schema_errors(data) == []


def test_rule_data_schema_refuses_what_the_rules_refuse(schema_errors: Checker) -> None:
    """A parameter value of the wrong type, an unknown key, both scenario keys: refused."""
    params = parse_toml((DATA / "rules/parameters/placement.toml").read_text("utf-8"))
    first = next(iter(params["parameters"].values()))
    first["values"][0]["value"] = "yes"  # a bool parameter
    first["colour"] = "red"
    problems = schema_errors(params)
    assert any("'yes' is not of type 'boolean'" in p for p in problems), problems
    assert any("'colour' was unexpected" in p for p in problems), problems
    cases = parse_toml((DATA / "rules/cases/placement.toml").read_text("utf-8"))
    cases["cases"][0]["scenario_file"] = "x.toml"
    assert any(p.startswith("$.cases[0]") for p in schema_errors(cases))


@functools.lru_cache(maxsize=1)
def examples() -> dict[str, Any]:
    """A real instance of every document kind, built through the public API."""
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
        "placement": Placement(
            candidate.id,
            position.id,
            stay,
            Mode.ON_SITE,
            status=PlacementStatus.OFFERED,
            history=(StatusChange(PlacementStatus.OFFERED, at),),
        ),
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
        "planning_variation": Variation(
            beds_scale=Decimal("0.9"),
            max_size=12,
            seats=(SeatsChange(position=position.id, seats=2),),
            payer_budgets={"ydpg": Money(Decimal(500_000), "CNY")},
            payer_budget_scales={"ydpg": Decimal("0.9")},
            label="tight",
        ),
    }


@pytest.mark.parametrize("kind", sorted(ser.KINDS))
def test_a_written_document_of_every_kind_validates(kind: str, schema_errors: Checker) -> None:
    """JSON and TOML documents of every kind (a real match's included) meet their schema."""
    obj = examples()[kind]
    assert schema_errors(json.loads(ser.dumps_json(obj))) == []
    assert schema_errors(parse_toml(ser.dumps_toml(obj))) == []


def test_every_test_document_is_checked() -> None:
    """The session fixture in conftest.py wraps to_data, so what tests write is checked."""
    from sgcq.serialization import documents

    assert hasattr(documents.to_data, "__wrapped__")


def test_a_document_that_breaks_its_schema_is_reported(schema_errors: Checker) -> None:
    """The checker is not vacuous: a float amount and an unknown field are reported."""
    data = ser.to_data(Money("1500", "SGD"))
    data["amount"] = 1500.5
    data["colour"] = "red"
    problems = schema_errors(data)
    assert len(problems) == 2
    assert any(p.startswith("$.amount:") for p in problems)


def test_cli_prints_the_schema() -> None:
    """``sgcq schema KIND`` writes the same schema as JSON."""
    out = io.StringIO()
    from sgcq.cli import _schema

    assert _schema.write_schema("money", out) == 0
    assert json.loads(out.getvalue()) == ser.json_schema("money")


def test_cli_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    """The command runs through main(); an unknown kind is a usage error (exit 2)."""
    assert main(["schema", "date_range"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "sgcq date_range document"
    assert main(["schema", "nope"]) == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err


def test_cli_lists_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    """``sgcq schema --list`` names every kind with a schema."""
    assert main(["schema", "--list"]) == 0
    assert capsys.readouterr().out.split() == sorted((*ser.KINDS, *file_format_names()))


def test_loaded_decimal_strings_match_the_schema_pattern() -> None:
    """What str(Decimal) writes, the decimal pattern accepts."""
    v = jsonschema.Draft202012Validator(ser.json_schema("money")["properties"]["amount"])
    for x in ("0", "-0.00", "1E+3", "1.5e-7", "123456789.123456789"):
        assert v.is_valid(str(Decimal(x))), x
    assert isinstance(load_scenario("yes-2020"), Scenario)


def test_cli_schema_without_a_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """``sgcq schema`` alone says how to ask (exit 2)."""
    assert main(["schema"]) == 2
    assert "sgcq schema KIND" in capsys.readouterr().err
