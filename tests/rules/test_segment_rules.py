"""Tests of stays in segments in the rules: presence per country, visa per segment, housing."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq.matching import Problem
from sgcq.models import (
    DateRange,
    Duration,
    DurationBounds,
    DurationUnit,
    HousingTerms,
    Location,
    Mode,
    Position,
    Scenario,
    SegmentPlan,
    SegmentSpec,
    StartDates,
)
from sgcq.rules import (
    Outcome,
    Verdict,
    evaluate_option,
    option_context,
    split_cover,
    visa_countries,
    visa_routes,
)
from sgcq.scenarios import load_scenario

SG = Location("SG", "Singapore")
CQ = Location("CN", "Chongqing")
MONTH = Duration(1, DurationUnit.MONTHS)


@pytest.fixture(scope="module")
def base() -> Scenario:
    """The bundled NTU China (West) Base scenario."""
    return load_scenario("ntu-west-base-2021")


@settings(max_examples=40, deadline=None)
@given(days=st.integers(90, 330), country=st.sampled_from(["SG", "CN"]))
def test_presence_days_are_the_on_site_segment_days_in_the_country(
    base: Scenario, days: int, country: str
) -> None:
    """Presence in a country sums its on-site segments' days; remote and other days never count."""
    p = base.position("minimasters-sg")
    stay = DateRange(date(2021, 3, 1), date(2021, 3, 1) + timedelta(days=days))
    ctx = option_context(base, base.candidate("mm-sg01"), p, stay)
    ctx = attrs.evolve(ctx, country=country)
    segs = [s for s in p.stay_segments(stay) if s.on_site and s.country == country]
    if segs:
        assert ctx.presence.parts == tuple(s.days for s in segs)
        assert ctx.presence.days == sum(s.days.days for s in segs)
        assert ctx.presence.start == segs[0].days.start
        assert ctx.presence.last_day == segs[-1].days.last_day
    else:  # the stay ends before it reaches the country: the whole stay stands in
        assert ctx.presence.parts == (stay,)


def test_visa_countries_list_every_on_site_country_home_first(base: Scenario) -> None:
    """A campus block in Singapore then the Base in Chongqing: SG, then CN; a short stay SG only."""
    p = base.position("minimasters-sg")
    assert visa_countries(p, DateRange(date(2021, 3, 1), date(2021, 9, 1))) == ("SG", "CN")
    assert visa_countries(p, DateRange(date(2021, 3, 1), date(2021, 4, 1))) == ("SG",)
    assert visa_countries(
        base.position("exec-base"), DateRange(date(2021, 4, 5), date(2021, 4, 26))
    ) == ("CN",)


def test_a_chinese_national_needs_a_singapore_pass_only_for_the_campus_block(
    base: Scenario,
) -> None:
    """The Chongqing segment is exempt (a national: segment.country); Singapore's is assessed."""
    c = attrs.evolve(base.candidate("mm-cn01"), nationalities=frozenset({"CN"}))
    p = base.position("minimasters-sg")
    stay = DateRange(date(2021, 3, 1), date(2021, 9, 1))
    v = evaluate_option(base, c, p, stay)
    assert v.outcome is Outcome.ELIGIBLE, v
    national = [r for r in v.reasons if r.code == "visa.exempt.national.no_visa_needed"]
    assert [(f.name, f.value) for r in national for f in r.facts if f.kind == "input"] == [
        ("segment.country", "CN")
    ]
    assert "visa.sg.student_pass.open" in v.codes
    assert not any(code.startswith(("visa.cn.x2", "visa.cn.s2")) for code in v.codes)
    sg = visa_routes(base, c, p, stay)
    cn = visa_routes(base, c, p, stay, country="CN")
    assert sg.needed and not cn.needed
    assert [r.route for r in sg.open_routes] == ["visa.sg.student_pass"]


def _segmented(position: Position) -> Position:
    """A Chongqing post with a month on a Singapore campus and a remote month in between."""
    return attrs.evolve(
        position,
        mode=Mode.HYBRID,
        segments=SegmentPlan(
            (
                SegmentSpec(Mode.ON_SITE, MONTH),
                SegmentSpec(Mode.ON_SITE, MONTH, SG),
                SegmentSpec(Mode.REMOTE, MONTH),
                SegmentSpec(Mode.ON_SITE),
            )
        ),
        duration=DurationBounds(Duration(4, DurationUnit.MONTHS), Duration(8, DurationUnit.MONTHS)),
    )


def _cq_position() -> Position:
    return Position(
        "p0",
        "h0",
        "Intern",
        frozenset(),
        1,
        Mode.ON_SITE,
        CQ,
        StartDates((date(2020, 9, 1),)),
        DurationBounds.fixed(Duration(8, DurationUnit.MONTHS)),
        housing_cover=True,
    )


def test_housing_covers_only_on_site_segments_in_the_position_country() -> None:
    """Eight months from 2020-09-01, six months' cover: Sep and Dec-Feb in CN are covered.

    October on the Singapore campus and the remote November are not; March
    and April in Chongqing come after the cover ends.
    """
    p = _segmented(_cq_position())
    stay = DateRange.of_months(date(2020, 9, 1), 8)
    split = split_cover(p, stay, HousingTerms(6, "ydpg"))
    assert [str(r) for r in split.on_site_parts] == [
        "[2020-09-01, 2020-10-01)",
        "[2020-12-01, 2021-05-01)",
    ]
    assert [str(r) for r in split.covered_parts] == [
        "[2020-09-01, 2020-10-01)",
        "[2020-12-01, 2021-03-01)",
    ]
    assert [str(r) for r in split.uncovered_parts] == ["[2021-03-01, 2021-05-01)"]
    assert [str(m) for m in split.bed_months()] == ["2020-09", "2020-12", "2021-01", "2021-02"]
    assert split.covered_days + split.uncovered_days == 30 + 151


@settings(max_examples=40, deadline=None)
@given(
    first=st.integers(1, 3),
    away=st.integers(1, 3),
    months=st.integers(1, 12),
    cover=st.integers(1, 8),
)
def test_cover_parts_add_up_and_beds_follow_covered_segments(
    first: int, away: int, months: int, cover: int
) -> None:
    """Covered plus uncovered days are the on-site days in the country; beds are covered months."""
    p = attrs.evolve(
        _cq_position(),
        mode=Mode.HYBRID,
        segments=SegmentPlan(
            (
                SegmentSpec(Mode.ON_SITE, Duration(first, DurationUnit.MONTHS)),
                SegmentSpec(Mode.ON_SITE, Duration(away, DurationUnit.MONTHS), SG),
                SegmentSpec(Mode.ON_SITE),
            )
        ),
    )
    stay = DateRange.of_months(date(2020, 9, 1), first + away + months)
    split = split_cover(p, stay, HousingTerms(cover, "ydpg"))
    cn_days = sum(s.days.days for s in p.stay_segments(stay) if s.country == "CN")
    assert split.covered_days + split.uncovered_days == cn_days
    sg_months = {
        m for s in p.stay_segments(stay) if s.country == "SG" for m in s.days.calendar_months()
    }
    assert set(split.bed_months()).isdisjoint(sg_months)
    assert set(split.bed_months()) == {m for r in split.covered_parts for m in r.calendar_months()}


def _eligible(*_args: object) -> Verdict:
    return Verdict("test.all", Outcome.ELIGIBLE, date(2020, 1, 1))


def test_the_matcher_books_beds_only_for_covered_segments() -> None:
    """An option's bed months are its housing split's: none for a month away from China."""
    s = load_scenario("ntu-ydpg-2020")
    p = _segmented(attrs.evolve(s.positions[0], duration=DurationBounds.fixed(MONTH)))
    scenario = attrs.evolve(s, positions=(p, *s.positions[1:]))
    problem = Problem.from_scenario(scenario, evaluate=_eligible)
    mine = [o for o in problem.options if o.position == p.id]
    assert mine
    terms = scenario.programmes[0].benefits.housing
    for o in mine:
        split = split_cover(p, o.stay, terms)
        assert o.bed_months == split.bed_months()
        in_china = {
            m
            for seg in p.stay_segments(o.stay)
            if seg.country == "CN"
            for m in seg.days.calendar_months()
        }
        assert set(o.bed_months) <= in_china
    starts = {o.start for o in mine}
    # From 2020-07-01: August on the campus and the remote September hold no bed.
    assert date(2020, 7, 1) in starts
    o = next(o for o in mine if o.start == date(2020, 7, 1))
    assert [str(m) for m in o.bed_months] == ["2020-07", "2020-10", "2020-11", "2020-12"]


def test_a_presence_needs_a_part() -> None:
    """An empty presence is refused, naming its field."""
    from sgcq.models import ModelValidationError
    from sgcq.rules import Presence

    with pytest.raises(ModelValidationError) as info:
        Presence(())
    assert info.value.paths == ("parts",)
