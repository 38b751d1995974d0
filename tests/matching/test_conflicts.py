"""Infeasibility that names its cause: one infeasible cohort per constraint family."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Option,
    Pin,
    Problem,
    Settings,
    Status,
    solve,
)
from sgcq.matching.result import ConflictKind
from sgcq.models import Count, DateRange, Mode, Money, MonthlyBeds, Quota, QuotaDimension, YearMonth

SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=5.0)
STAY = DateRange(date(2020, 9, 1), date(2020, 11, 1))
MONTHS = (YearMonth(2020, 9), YearMonth(2020, 10))


def problem(n: int = 8, big_data: int = 3, seats: int = 4, **constraints: object) -> Problem:
    """n candidates; positions p0 (big-data, `seats` seats) and p1 (ai); the first
    `big_data` candidates may take p0, everyone p1; each stay costs 100 CNY and 2 bed-months."""
    cands = tuple(MatchCandidate(f"c{i}", "ntu") for i in range(n))
    positions = (
        MatchPosition("p0", "h0", seats=seats, fields=frozenset({"big-data"})),
        MatchPosition("p1", "h1", seats=seats, fields=frozenset({"ai"})),
    )

    def opt(c: int, p: str) -> Option:
        return Option(
            f"c{c}",
            p,
            STAY.start,
            STAY,
            Mode.ON_SITE,
            candidate_rank=1,
            bed_months=MONTHS,
            cost=Money(Decimal(100), "CNY"),
        )

    options = tuple(opt(i, "p0") for i in range(big_data)) + tuple(opt(i, "p1") for i in range(n))
    return Problem(
        candidates=cands,
        positions=positions,
        options=options,
        constraints=Constraints(**constraints),  # type: ignore[arg-type]
        currency="CNY",
    )


def field(key: str, lo: int | None = None, hi: int | None = None) -> Quota:
    return Quota(
        QuotaDimension.FIELD,
        key,
        minimum=None if lo is None else Count(lo),
        maximum=None if hi is None else Count(hi),
    )


def check(p: Problem, kind: ConflictKind, *fragments: str) -> None:
    result = solve(p, SETTINGS)
    assert result.status is Status.INFEASIBLE
    assert any(c.kind is kind for c in result.conflicts), result.conflicts
    text = result.message
    for fragment in fragments:
        assert fragment in text, text


def test_min_quota_names_the_candidates_who_could_count() -> None:
    """field big-data >= 10 with 3 big-data candidates: the pre-check names both numbers."""
    check(
        problem(quotas=(field("big-data", lo=10),)),
        ConflictKind.QUOTA_MIN,
        "quota field big-data >= 10: at most 3 candidates can count towards it",
    )


def test_min_quota_beyond_seats_found_by_the_core() -> None:
    """big-data >= 3 with 3 candidates but 2 seats: the core names the quota and the seats."""
    check(
        problem(seats=2, quotas=(field("big-data", lo=3),)),
        ConflictKind.QUOTA_MIN,
        "quota field big-data >= 3",
        "seats of p0 <= 2",
    )


def test_max_quota() -> None:
    """ai <= 2 while 5 candidates can only take ai and 7 must be placed."""
    check(
        problem(seats=8, min_size=7, quotas=(field("ai", hi=2),)),
        ConflictKind.QUOTA_MAX,
        "quota field ai <= 2",
        "min_size >= 7",
    )


def test_min_size() -> None:
    """min_size 9 with 8 candidates."""
    check(
        problem(min_size=9),
        ConflictKind.MIN_SIZE,
        "min_size >= 9: only 8 candidates have an eligible option",
    )


def test_beds() -> None:
    """Six placements of two bed-months each against 5 beds a month."""
    beds = tuple(MonthlyBeds(m, 5) for m in MONTHS)
    check(
        problem(min_size=6, beds=beds),
        ConflictKind.BEDS,
        "beds <= 10 bed-months in the limited months",
        "hold at least 12",
    )


def test_beds_in_one_month_found_by_the_core() -> None:
    """Enough bed-months in all, but not in October: the core names the month."""
    beds = (MonthlyBeds(MONTHS[0], 9), MonthlyBeds(MONTHS[1], 3))
    check(problem(min_size=6, beds=beds), ConflictKind.BEDS, "beds in 2020-10 <= 3")


def test_budget() -> None:
    """Four placements at CNY 100 each against a budget of CNY 350."""
    check(
        problem(min_size=4, budget=Money(Decimal(350), "CNY")),
        ConflictKind.BUDGET,
        "budget <= CNY 350.00",
        "cost at least CNY 400.00",
    )


def test_pins() -> None:
    """Three candidates pinned to p0's two seats."""
    pins = tuple(Pin(f"c{i}", "p0") for i in range(3))
    check(problem(seats=2, pins=pins), ConflictKind.PINS, "pins at p0", "3 candidates", "2 seats")


@pytest.mark.parametrize("kind", ["none"])
def test_a_feasible_problem_has_no_conflicts(kind: str) -> None:
    """A feasible problem solves and has no conflicts."""
    result = solve(problem(min_size=4, quotas=(field("big-data", lo=2),)), SETTINGS)
    assert result.status is Status.OPTIMAL and result.conflicts == ()
