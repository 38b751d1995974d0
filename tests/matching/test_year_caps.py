"""Caps across the cohorts of a calendar year (YES: up to 500 interns a year each way)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone

import attrs
import pytest
from matching_helpers import TEST_SETTINGS

from sgcq.matching import Problem, solve
from sgcq.models import (
    Candidate,
    Cohort,
    Count,
    DateRange,
    Direction,
    PlacementStatus,
    Position,
    Quota,
    QuotaDimension,
    Scenario,
    YearCap,
)
from sgcq.models.errors import ModelValidationError
from sgcq.rules import Outcome, Verdict
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import check_result, year_cap_violations

AT = datetime(2020, 5, 1, 12, tzinfo=timezone.utc)
SUMMER = DateRange(date(2020, 6, 1), date(2020, 9, 1))
AUTUMN = DateRange(date(2020, 9, 1), date(2021, 1, 1))


def _two_cohorts(cap: int) -> Scenario:
    """YES 2020 split into a summer and an autumn cohort, with a cap of ``cap`` each way."""
    s = load_scenario("yes-2020")
    (programme,) = s.programmes
    programme = attrs.evolve(
        programme,
        year_caps=(
            YearCap(QuotaDimension.DIRECTION, Direction.SG_TO_CQ.value, cap),
            YearCap(QuotaDimension.DIRECTION, Direction.CQ_TO_SG.value, cap),
        ),
    )
    (base,) = s.cohorts
    cohorts = (
        attrs.evolve(base, id="yes-2020-summer", intake=SUMMER),
        attrs.evolve(base, id="yes-2020-autumn", intake=AUTUMN),
    )
    candidates = tuple(
        attrs.evolve(c, cohort=cohorts[k % 2].id) for k, c in enumerate(s.candidates)
    )
    return attrs.evolve(s, programmes=(programme,), cohorts=cohorts, candidates=candidates)


def _eligible(_s: Scenario, _c: Candidate, _p: Position, stay: DateRange) -> Verdict:
    """Every ranked pair is eligible: the caps, not the visa rules, are under test.

    (In the bundled YES scenario no Chongqing student yet meets Singapore's
    pass rules, so only the caps' arithmetic is exercised with this rule.)
    """
    return Verdict("test.all_eligible", Outcome.ELIGIBLE, stay.start)


def _direction(s: Scenario, position: str) -> str:
    country = next(p.location.country for p in s.positions if p.id == position)
    return "sg_to_cq" if country == "CN" else "cq_to_sg"


def _match_year(s: Scenario) -> tuple[Scenario, Counter[str]]:
    """Match the summer cohort, record its placements, then match the autumn cohort."""
    placed: Counter[str] = Counter()
    for cohort in s.cohorts:
        problem = Problem.from_scenario(s, cohort.id, evaluate=_eligible)
        result = solve(problem, TEST_SETTINGS)
        assert result.status.has_solution
        check_result(problem, result)
        held = result.to_placements(AT, cohort=cohort.id)
        s = attrs.evolve(s, placements=(*s.placements, *held))
        placed.update(_direction(s, a.position) for a in result.assignments)
    return s, placed


def test_the_cap_left_to_a_cohort_is_a_quota_for_its_year() -> None:
    """The autumn cohort's problem caps each direction at what summer left of the year's cap."""
    s = _two_cohorts(6)
    summer = Problem.from_scenario(s, "yes-2020-summer")
    capped = [q for q in summer.constraints.quotas if q.year is not None]
    assert {(q.key, q.year, q.maximum) for q in capped} == {
        ("sg_to_cq", 2020, Count(6)),
        ("cq_to_sg", 2020, Count(6)),
    }


def test_two_cohorts_respect_the_cap_each_way_across_both() -> None:
    """Summer and autumn together place at most the cap each way, and the checker agrees."""
    s, placed = _match_year(_two_cohorts(6))
    assert year_cap_violations(s) == ()
    assert placed["sg_to_cq"] == 6 and placed["cq_to_sg"] == 6  # the cap binds both ways
    # Without the cap the same cohorts place more each way: the cap is what holds them.
    free, more = _match_year(_two_cohorts(1000))
    assert more["sg_to_cq"] > 6 and more["cq_to_sg"] > 6
    assert year_cap_violations(attrs.evolve(free, programmes=_two_cohorts(6).programmes))


def test_released_placements_do_not_count() -> None:
    """A declined placement of another cohort leaves its place in the year's cap."""
    s, _ = _match_year(_two_cohorts(6))
    summer = [p for p in s.placements if p.cohort == "yes-2020-summer"]
    declined = tuple(p.advance(PlacementStatus.DECLINED, AT) for p in summer)
    s = attrs.evolve(s, placements=declined)
    autumn = Problem.from_scenario(s, "yes-2020-autumn", evaluate=_eligible)
    capped = {q.key: q.maximum for q in autumn.constraints.quotas if q.year is not None}
    assert capped == {"sg_to_cq": Count(6), "cq_to_sg": Count(6)}


def test_bundled_yes_has_the_real_cap_and_a_full_year_is_refused_more() -> None:
    """At 500 each way: 495 interns already placed that year leave 5 for the next cohort."""
    s = load_scenario("yes-2020")
    (programme,) = s.programmes
    assert {(c.key, c.maximum) for c in programme.year_caps} == {
        ("sg_to_cq", 500),
        ("cq_to_sg", 500),
    }
    # An earlier cohort of 2020 already holds 495 of the year's places to China:
    # the same few candidates' records stand for them (the cap counts records).
    earlier = Cohort("yes-2020-spring", "yes", DateRange(date(2020, 1, 1), date(2020, 6, 1)))
    template = next(p for p in s.positions if p.location.country == "CN")
    sg = next(c for c in s.candidates if "SG" in c.nationalities)
    stay = DateRange(date(2020, 3, 1), date(2020, 5, 1))
    from sgcq.models import Mode, Placement

    held = tuple(
        Placement(sg.id, template.id, stay, Mode.ON_SITE, cohort=earlier.id) for _ in range(495)
    )
    s = attrs.evolve(s, cohorts=(*s.cohorts, earlier), placements=held)
    problem = Problem.from_scenario(s, "yes-2020", evaluate=_eligible)
    capped = {q.key: q.maximum for q in problem.constraints.quotas if q.year is not None}
    assert capped == {"sg_to_cq": Count(5), "cq_to_sg": Count(500)}
    result = solve(problem, TEST_SETTINGS)
    check_result(problem, result)
    to_cn = sum(1 for a in result.assignments if _direction(s, a.position) == "sg_to_cq")
    assert to_cn == 5
    s = attrs.evolve(s, placements=(*held, *result.to_placements(AT, cohort="yes-2020")))
    assert year_cap_violations(s) == ()


def test_year_cap_validation() -> None:
    """Two caps on one key and year are refused, naming the field."""
    (programme,) = load_scenario("yes-2020").programmes
    with pytest.raises(ModelValidationError, match=r"year_caps\[1\]"):
        attrs.evolve(
            programme,
            year_caps=(
                YearCap(QuotaDimension.DIRECTION, "sg_to_cq", 5),
                YearCap(QuotaDimension.DIRECTION, "sg_to_cq", 6),
            ),
        )


def test_quota_on_a_new_dimension_from_a_cohort() -> None:
    """A cohort's nationality and host-country quotas reach the matcher and hold."""
    s = load_scenario("yes-2020")
    (cohort,) = s.cohorts
    cohort = attrs.evolve(
        cohort,
        quotas=(
            *cohort.quotas,
            Quota(QuotaDimension.NATIONALITY, "CN", maximum=Count(3)),
            Quota(QuotaDimension.HOST_COUNTRY, "CN", maximum=Count(4)),
        ),
    )
    s = attrs.evolve(s, cohorts=(cohort,))
    problem = Problem.from_scenario(s, evaluate=_eligible)
    result = solve(problem, TEST_SETTINGS)
    check_result(problem, result)
    nationals = {c.id for c in s.candidates if "CN" in c.nationalities}
    assert sum(1 for a in result.assignments if a.candidate in nationals) == 3
    assert sum(1 for a in result.assignments if _direction(s, a.position) == "sg_to_cq") == 4
