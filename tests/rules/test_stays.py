"""Tests for :func:`sgcq.rules.stay_for`."""

from __future__ import annotations

from datetime import date

import attrs
from hypothesis import given
from hypothesis import strategies as st

from sgcq.models import DateRange, Duration, DurationBounds, DurationUnit
from sgcq.rules import stay_for
from sgcq.scenarios import load_scenario

MONTHS = DurationUnit.MONTHS


def test_longest_stay_within_every_bound() -> None:
    """The stay ends at the earliest maximum among position, candidate and availability."""
    s = load_scenario("suss-overseas-2021")
    c, p = s.candidates[0], s.positions[0]
    start = p.start_options(c.available)[0]
    stay = stay_for(c, p, start)
    assert stay is not None
    assert stay.start == start
    assert p.duration.admits(stay) and c.duration.admits(stay)
    assert c.available.contains_range(stay)


def test_incompatible_fixed_durations_give_no_stay() -> None:
    """A 3-month fixed position and a candidate wanting 4 to 6 months have no stay."""
    s = load_scenario("ntu-ydpg-2020")
    c = s.candidates[0]
    p = next(p for p in s.positions if p.duration == DurationBounds.fixed(Duration(3, MONTHS)))
    assert c.duration.minimum == Duration(4, MONTHS)
    assert stay_for(c, p, p.start_options(c.available)[0]) is None


def test_start_outside_availability_gives_no_stay() -> None:
    """A start before the candidate is available is not an option."""
    s = load_scenario("nus-ytp-2019")
    c, p = s.candidates[0], s.positions[0]
    assert stay_for(c, p, c.available.start.replace(year=2018)) is None


@given(
    start=st.dates(date(2019, 1, 1), date(2021, 12, 31)),
    months=st.integers(1, 8),
)
def test_programme_bound_shortens_the_stay(start: date, months: int) -> None:
    """A programme maximum caps the stay; the result always satisfies every bound."""
    s = load_scenario("yes-2020")
    c, p = s.candidates[0], s.positions[0]
    prog = s.programme(p.programme) if p.programme else s.programmes[0]
    c = attrs.evolve(c, available=DateRange(start, date(2023, 1, 1)))
    prog = attrs.evolve(
        prog,
        duration=DurationBounds(Duration(1, DurationUnit.DAYS), Duration(months, MONTHS)),
    )
    stay = stay_for(c, p, start, prog)
    if stay is None:
        assert p.duration.minimum.end_from(start) > Duration(months, MONTHS).end_from(start) or (
            c.duration.minimum.end_from(start) > Duration(months, MONTHS).end_from(start)
        )
    else:
        assert prog.duration is not None
        for bounds in (p.duration, c.duration, prog.duration):
            assert bounds.admits(stay)


def test_cover_split_round_trips_when_parts_are_missing() -> None:
    """A split with no cover drops its None parts in JSON and reads back equal."""
    from sgcq.rules import CoverSplit
    from sgcq.serialization import make_converter

    stay = DateRange(date(2020, 9, 1), date(2020, 12, 1))
    split = CoverSplit(stay)
    converter = make_converter()
    data = {k: v for k, v in converter.unstructure(split).items() if v is not None}
    assert data == {"stay": {"start": "2020-09-01", "end": "2020-12-01"}}
    assert converter.structure(data, CoverSplit) == split
