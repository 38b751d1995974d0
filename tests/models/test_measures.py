"""Tests of Measure, measure_closes and Scenario.measures (validation, round trips, views)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgcq.models import (
    Citation,
    Confidence,
    Measure,
    Mode,
    ModelValidationError,
    Scenario,
    closing_measures,
    measure_closes,
)
from sgcq.scenarios import load_scenario
from sgcq.serialization import dumps_json, dumps_toml, json_schema, loads_json, loads_toml

Checker = Callable[..., ModelValidationError]

REF = Citation("invented for a test", date(2021, 1, 4), confidence=Confidence.LOW)
SUSS = load_scenario("suss-overseas-2021")


def _measure(**changes: Any) -> Measure:
    kwargs: dict[str, Any] = {
        "id": "my-closed",
        "country": "MY",
        "closes": frozenset({Mode.ON_SITE}),
        "start": date(2021, 4, 1),
        "description": "on-site work closed (invented)",
        "reference": REF,
    }
    kwargs.update(changes)
    return Measure(**kwargs)


@pytest.mark.parametrize(
    ("field", "bad", "path", "match"),
    [
        ("id", "", "id", "not a valid identifier"),
        ("country", "Malaysia", "country", "ISO 3166-1 alpha-2"),
        ("country", "my", "country", "ISO 3166-1 alpha-2"),
        ("closes", frozenset(), "closes", "at least one mode"),
        ("closes", frozenset({"on_site"}), "closes[0]", "expected Mode"),
        ("start", "2021-04-01", "start", "expected date"),
        ("end", date(2021, 4, 1), "end", "must be after start 2021-04-01"),
        ("end", date(2021, 3, 1), "end", "must be after start"),
        ("description", "  ", "description", "blank"),
        ("reference", "MOU", "reference", "expected Citation"),
    ],
)
def test_invalid_measure_names_the_field(
    field: str, bad: Any, path: str, match: str, assert_invalid: Checker
) -> None:
    """Each bad value is refused with the field's path and a message saying why."""
    assert_invalid(lambda: _measure(**{field: bad}), path, match)


def test_in_force_is_half_open_and_may_stay_open() -> None:
    """A measure is in force from its start up to, not including, its end; no end: ever after."""
    ended = _measure(end=date(2021, 6, 1))
    assert not ended.in_force_on(date(2021, 3, 31))
    assert ended.in_force_on(date(2021, 4, 1))
    assert ended.in_force_on(date(2021, 5, 31))
    assert not ended.in_force_on(date(2021, 6, 1))
    assert ended.period is not None and ended.period.days == 61
    assert ended.period_text == "from 2021-04-01 until 2021-06-01"
    open_ended = _measure()
    assert open_ended.period is None
    assert open_ended.in_force_on(date(2099, 12, 31))


@given(
    country=st.sampled_from(["MY", "SG", "CN", None]),
    mode=st.sampled_from(list(Mode)),
    on=st.dates(min_value=date(2021, 1, 1), max_value=date(2021, 12, 31)),
    closes=st.sets(st.sampled_from(list(Mode)), min_size=1).map(frozenset),
    end=st.none() | st.sampled_from([date(2021, 5, 1), date(2021, 9, 1)]),
)
def test_measure_closes_is_country_mode_and_date(
    country: str | None, mode: Mode, on: date, closes: frozenset[Mode], end: date | None
) -> None:
    """measure_closes holds exactly for the measure's country, a mode it closes, a day in force."""
    m = _measure(closes=closes, end=end)
    expected = country == "MY" and mode in closes and m.start <= on and (end is None or on < end)
    assert measure_closes(m, country, mode, on) is expected
    assert closing_measures([m], country, mode, on) == ((m,) if expected else ())


def test_scenario_measures_round_trip_through_toml_and_json() -> None:
    """A scenario with measures (open and ended) survives TOML and JSON unchanged."""
    s = attrs.evolve(SUSS, measures=(_measure(), _measure(id="b", end=date(2021, 6, 1))))
    assert loads_toml(dumps_toml(s), Scenario) == s
    assert loads_json(dumps_json(s), Scenario) == s


def test_scenario_json_schema_accepts_measures_and_refuses_unknown_fields() -> None:
    """The scenario schema describes measures: a valid one passes, a stray field fails."""
    import json

    schema = json_schema("scenario")
    doc = json.loads(dumps_json(attrs.evolve(SUSS, measures=(_measure(),))))
    jsonschema.validate(doc, schema)
    doc["measures"][0]["closed_on"] = "2021-04-01"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_scenario_checks_measure_ids_and_countries() -> None:
    """Measure ids repeat, or a country no party is in: each error names the measure's path."""
    with pytest.raises(ModelValidationError) as e:
        attrs.evolve(SUSS, measures=(_measure(), _measure(), _measure(id="x", country="MA")))
    paths = {err.path for err in e.value.errors}
    assert {"measures[1].id", "measures[2].country"} <= paths
    assert "unknown country 'MA'" in str(e.value)


def test_bundled_suss_measure_is_labelled_invented() -> None:
    """The bundled SUSS scenario's one measure says it is invented, in its text and reference."""
    (m,) = SUSS.measures
    assert "invented" in m.description
    assert "invented" in m.reference.detail
    assert m.reference.confidence is Confidence.LOW
    assert "one measure" in SUSS.notes


def test_views_list_the_measures() -> None:
    """The summary counts the measures and the notebook view lists each one."""
    assert "measures: 1" in SUSS.summary()
    html = SUSS._repr_html_()
    assert "<caption>Measures</caption>" in html
    assert SUSS.measures[0].id in html
    plain = load_scenario("ntu-ydpg-2020")
    assert "measures" not in plain.summary()
    assert "Measures" not in plain._repr_html_()
