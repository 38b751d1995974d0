"""Tests of targets with comparators, baselines, observations and money values."""

from __future__ import annotations

from datetime import date

import pytest

from sgcq.errors import DocumentError
from sgcq.models import (
    Comparator,
    Direction,
    Indicator,
    ModelValidationError,
    Money,
    Observation,
    Programme,
    ProgrammeKind,
    Target,
    parse_requirement,
)
from sgcq.serialization import converter, dumps_toml, loads_toml


def _round_trip(p: Programme) -> Programme:
    return loads_toml(dumps_toml(p), Programme)


def _programme(**kw: object) -> Programme:
    return Programme("p", "P", ProgrammeKind.RESEARCH, Direction.BOTH, **kw)  # type: ignore[arg-type]


BY = date(2025, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at least 40", (Comparator.AT_LEAST, 40, None)),
        ("90+", (Comparator.AT_LEAST, 90, None)),
        ("over 70", (Comparator.AT_LEAST, 70, None)),
        ("at most 500", (Comparator.AT_MOST, 500, None)),
        ("up to 500", (Comparator.AT_MOST, 500, None)),
        ("exactly 19", (Comparator.EXACTLY, 19, None)),
        ("19", (Comparator.EXACTLY, 19, None)),
        ("about 100 ± 10", (Comparator.ABOUT, 100, 10)),
        ("About 1,000 (+/- 50)", (Comparator.ABOUT, 1000, 50)),
    ],
)
def test_parse_requirement_reads_the_comparators(
    text: str, expected: tuple[Comparator, int, int | None]
) -> None:
    """Each wording maps to its comparator, value and tolerance; "N+" is at least N."""
    assert parse_requirement(text) == expected


@pytest.mark.parametrize("text", ["about 100", "at least 40 ± 3", "at most 5+", "lots", ""])
def test_parse_requirement_refuses_unclear_text(text: str) -> None:
    """ "about" without a tolerance, a tolerance elsewhere, or no number is refused."""
    with pytest.raises(ModelValidationError, match="requirement"):
        parse_requirement(text)


def test_an_old_target_loads_with_at_least() -> None:
    """A document written before comparators (metric, value, by) still loads, as at least."""
    t = converter.structure({"metric": "interns", "value": 100, "by": "2020-08-31"}, Target)
    assert t.comparator is Comparator.AT_LEAST
    assert t.baseline is None and t.observations == () and t.tolerance is None


def test_about_needs_a_tolerance_and_only_about_takes_one() -> None:
    """The tolerance is required with about and refused with the other comparators."""
    with pytest.raises(ModelValidationError, match="tolerance"):
        Target("x", 100, BY, comparator=Comparator.ABOUT)
    with pytest.raises(ModelValidationError, match="tolerance"):
        Target("x", 100, BY, tolerance=5)


def test_money_target_needs_money_observations_and_a_money_tolerance() -> None:
    """A money target's observations, baseline and tolerance are Money of its unit."""
    value = Money("1000000", "SGD")
    with pytest.raises(ModelValidationError, match=r"observations\[0\]\.value"):
        Target("licence_value", value, BY, observations=[Observation(date(2021, 1, 1), 5)])
    with pytest.raises(ModelValidationError, match="tolerance"):
        Target("licence_value", value, BY, comparator=Comparator.ABOUT, tolerance=5)
    with pytest.raises(ModelValidationError, match=r"baseline\.value"):
        Target("licence_value", value, BY, baseline=Observation(date(2021, 1, 1), 0))


def test_observations_must_be_dated_in_order_after_the_baseline() -> None:
    """Observations go in date order, one per date, all after the baseline."""
    a, b = Observation(date(2021, 1, 1), 1), Observation(date(2022, 1, 1), 2)
    with pytest.raises(ModelValidationError, match=r"observations\[1\]\.on"):
        Target("x", 10, BY, observations=[b, a])
    with pytest.raises(ModelValidationError, match=r"baseline\.on"):
        Target("x", 10, BY, baseline=b, observations=[a])


def test_other_quotes_only_for_money_and_one_per_currency() -> None:
    """Other currency quotes need a Money value and a currency of their own."""
    with pytest.raises(ModelValidationError, match="also_quoted"):
        Observation(date(2020, 12, 8), 5, also_quoted=[Money("1", "CNY")])
    with pytest.raises(ModelValidationError, match="also_quoted"):
        Observation(date(2020, 12, 8), Money("1", "SGD"), also_quoted=[Money("2", "SGD")])


def test_a_money_observation_with_two_quotes_round_trips_through_toml() -> None:
    """S$1.7m = RMB8.6m keeps both quotes through a document, and reads either currency."""
    o = Observation(
        date(2020, 12, 8), Money("1700000", "SGD"), also_quoted=[Money("8600000", "CNY")]
    )
    p = _programme(indicators=[Indicator("patents_licensed_value", [o])])
    assert _round_trip(p) == p
    assert o.amount_in("CNY") == Money("8600000", "CNY")
    assert o.amount_in("USD") is None
    assert str(o) == "SGD 1,700,000.00 = CNY 8,600,000.00 on 2020-12-08"


def test_a_full_target_round_trips_through_toml() -> None:
    """A target with comparator, tolerance, baseline and observations round-trips."""
    t = Target.from_text(
        "students",
        "about 100 ± 10",
        date(2020, 8, 31),
        baseline=Observation(date(2019, 12, 13), 19),
        observations=[Observation(date(2020, 3, 31), 46, note="invented")],
    )
    p = _programme(targets=[t])
    assert _round_trip(p) == p
    assert str(t) == "students: about 100 ± 10 by 2020-08-31"


def test_a_value_that_is_neither_count_nor_money_is_refused_with_its_path() -> None:
    """A string value is refused by the loader, naming the field's path."""
    text = dumps_toml(_programme(targets=[Target("x", 100, BY)])).replace(
        "value = 100", 'value = "100"'
    )
    with pytest.raises(DocumentError, match=r"targets\[0\]\.value"):
        loads_toml(text, Programme)
