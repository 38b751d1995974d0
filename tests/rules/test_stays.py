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
    """A split with no cover drops its None parts (and empty part lists) and reads back equal."""
    from sgcq.rules import CoverSplit
    from sgcq.serialization import make_converter

    stay = DateRange(date(2020, 9, 1), date(2020, 12, 1))
    split = CoverSplit(stay)
    converter = make_converter()
    data = {k: v for k, v in converter.unstructure(split).items() if v not in (None, [])}
    assert data == {"stay": {"start": "2020-09-01", "end": "2020-12-01"}}
    assert converter.structure(data, CoverSplit) == split


@given(
    start=st.dates(date(2020, 1, 1), date(2021, 6, 30)),
    lo=st.integers(1, 4),
    extra=st.integers(0, 4),
)
def test_shorter_stays_fit_every_bound_longest_first(start: date, lo: int, extra: int) -> None:
    """Shorter stays are whole months from the start, within every bound, strictly decreasing."""
    from sgcq.rules import shorter_stays

    s = load_scenario("yes-2020")
    c, p = s.candidates[0], s.positions[0]
    wide = DurationBounds(Duration(lo, MONTHS), Duration(lo + extra, MONTHS))
    c = attrs.evolve(c, available=DateRange(start, date(2023, 1, 1)), duration=wide)
    p = attrs.evolve(p, duration=wide)
    longest = stay_for(c, p, start)
    assert longest is not None
    stays = list(shorter_stays(c, p, start))
    assert len(stays) == extra
    ends = [x.end for x in stays]
    assert ends == sorted(ends, reverse=True) and all(e < longest.end for e in ends)
    for x in stays:
        assert x.start == start and wide.admits(x)


def test_a_stay_too_long_for_s2_is_shortened_to_fit() -> None:
    """A six-month stay fails the 180-day S2 limit; the matcher keeps a five-month option."""
    from sgcq.matching import Problem
    from sgcq.rules import evaluate_option

    s = load_scenario("ntu-ydpg-2020")
    problem = Problem.from_scenario(s)
    shortened = [
        o
        for o in problem.options
        if (longest := stay_for(s.candidate(o.candidate), s.position(o.position), o.start))
        is not None
        and o.stay != longest
    ]
    assert shortened, "some option should have been shortened"
    o = shortened[0]
    c, p = s.candidate(o.candidate), s.position(o.position)
    longest = stay_for(c, p, o.start)
    assert longest is not None
    refused = evaluate_option(s, c, p, longest)
    assert not refused.eligible
    assert any(code.endswith("stay_too_long") for code in refused.codes)
    assert evaluate_option(s, c, p, o.stay).eligible
