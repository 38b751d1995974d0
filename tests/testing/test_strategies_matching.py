"""Tests of sgcq.testing.strategies._matching: matching cases and synthetic problems."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given

from sgcq.rules import allowance_cost, bed_months, split_cover, stay_for
from sgcq.testing.strategies import (
    INFEASIBLE_KINDS,
    MatchingCase,
    infeasible_matching_cases,
    matching_cases,
    problems,
)


def _witness_usage(case: MatchingCase) -> tuple[Counter[str], dict[str, int], Decimal]:
    s = case.scenario
    programme = s.programmes[0]
    seats: Counter[str] = Counter()
    splits = []
    cost = Decimal(0)
    for c, p, start in case.witness:
        cand, pos = s.candidate(c), s.position(p)
        stay = stay_for(cand, pos, start, programme)
        assert stay is not None, f"witness ({c}, {p}, {start}) has no stay"
        seats[p] += 1
        splits.append(split_cover(pos, stay, programme.benefits.housing))
        assert pos.allowance is not None
        cost += allowance_cost(pos.allowance.monthly, stay).amount
    beds = {str(ym): n for ym, n in bed_months(splits).items()}
    return seats, beds, cost


@given(matching_cases())
def test_witness_satisfies_every_constraint(case: MatchingCase) -> None:
    """The witness uses ranked pairs, allowed starts and stays within every limit drawn."""
    s = case.scenario
    cohort = s.cohort(case.cohort)
    assert case.feasible
    placed = [c for c, _, _ in case.witness]
    assert len(placed) == len(set(placed)), "a candidate is placed twice"
    for c, p, start in case.witness:
        cand = s.candidate(c)
        assert p in cand.preferences
        assert start in s.position(p).start_options(cand.available)
    seats, beds, cost = _witness_usage(case)
    for p, n in seats.items():
        assert n <= s.position(p).seats
    for b in cohort.beds:
        assert beds.get(str(b.month), 0) <= b.beds
    if cohort.allowance_budget is not None:
        assert cost <= cohort.allowance_budget.amount
    if cohort.min_size is not None:
        assert len(placed) >= cohort.min_size
    if cohort.max_size is not None:
        assert len(placed) <= cohort.max_size
    per_uni = Counter(s.candidate(c).university for c in placed)
    for q in cohort.quotas:
        if q.minimum is not None:
            assert per_uni[q.key] >= q.minimum.resolve(len(placed))
        if q.maximum is not None:
            assert per_uni[q.key] <= q.maximum.resolve(len(placed))
    for c, p in case.pins:
        assert any(w[:2] == (c, p) for w in case.witness)


@given(infeasible_matching_cases())
def test_infeasible_cases_name_what_they_break(case: MatchingCase) -> None:
    """Each infeasible case breaks the constraint it names, visibly in its data."""
    s = case.scenario
    cohort = s.cohort(case.cohort)
    assert case.infeasible_because in INFEASIBLE_KINDS
    assert not case.feasible
    if case.infeasible_because == "cohort_min_size":
        assert cohort.min_size is not None
        assert cohort.min_size > min(len(s.candidates), sum(p.seats for p in s.positions))
    elif case.infeasible_because == "university_quota_min":
        assert any(
            q.minimum is not None
            and q.minimum.resolve(0) > sum(1 for c in s.candidates if c.university == q.key)
            for q in cohort.quotas
        )
    else:
        ((c, p),) = case.pins
        assert p in s.candidate(c).preferences
        assert cohort.beds and all(b.beds == 0 for b in cohort.beds)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_candidates": 0}, "min_candidates"),
        ({"max_positions": 0}, "max_positions"),
        ({"max_universities": 9}, "max_universities"),
        ({"max_ties": -1}, "max_ties"),
    ],
)
def test_bad_knobs_are_refused(kwargs: dict[str, int], message: str) -> None:
    """Out-of-range knobs raise an error naming the knob."""
    with pytest.raises(ValueError, match=message):
        matching_cases(**kwargs)


def test_unknown_infeasible_kind_is_refused() -> None:
    """An unknown kind of infeasibility is an error listing the known ones."""
    with pytest.raises(ValueError, match="cohort_min_size"):
        infeasible_matching_cases(kinds=("gremlins",))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_candidates": 0}, "max_candidates"),
        ({"starts": 4}, "starts"),
        ({"stability": "sometimes"}, "stability"),
        ({"stability": "strict", "side_constraints": True}, "strict stability"),
    ],
)
def test_problem_knobs_are_checked(kwargs: dict[str, object], message: str) -> None:
    """Bad knobs of the problems strategy raise an error naming them."""
    with pytest.raises(ValueError, match=message):
        problems(**kwargs)  # type: ignore[arg-type]
