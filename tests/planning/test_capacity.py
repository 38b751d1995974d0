"""Capacity search and marginal values, each answer checked by independent re-solves."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planning_helpers import TEST_SETTINGS, small_problem

from sgcq.errors import PlanningError
from sgcq.matching import Objective, PayerCost, Problem, Settings, SolvePath, Status, solve
from sgcq.matching.stages.lagrangian import row_prices
from sgcq.models import Money, MonthlyBeds, PayerBudget, YearMonth
from sgcq.planning import (
    Variation,
    frontier,
    least_capacity,
    marginal_values,
    placed_problem,
)
from sgcq.testing.strategies import problems

#: The independent check: CP-SAT forced, whatever AUTO would pick.
CHECK = Settings(workers=1, seed=0, deterministic_time_limit=5.0, path=SolvePath.CP_SAT)

BASE = small_problem(3)


def _placed(problem: Problem, variation: Variation | None = None) -> tuple[int, int]:
    """Return (placed, bound on placed) with the number placed as the only objective."""
    p = placed_problem(problem, variation)
    result = solve(p, CHECK)
    if result.status is Status.INFEASIBLE:
        return 0, -1
    return result.placed, result.levels[0].bound


def test_least_december_beds_match_a_brute_force() -> None:
    month = YearMonth(2020, 9)
    within = Variation(max_size=12, budget_scale=3)
    top, _ = _placed(BASE, within | Variation(beds=[MonthlyBeds(month, 12)]))
    answer = least_capacity(
        BASE, top, "beds", month="2020-09", within=within, settings=TEST_SETTINGS
    )
    placed = [_placed(BASE, within | Variation(beds=[MonthlyBeds(month, k)]))[0] for k in range(13)]
    assert answer.amount == Decimal(min(k for k, n in enumerate(placed) if n >= top))
    assert answer.proven and answer.placed >= top
    assert answer.variation == Variation(beds=[MonthlyBeds(month, int(answer.amount))])
    assert len(answer.probes) < 13  # a bisection, not a scan


#: Room everywhere but in seats, so that seats are what binds.
ROOMY = Variation(beds_scale=3, budget_scale=3, max_size=12)


@pytest.mark.parametrize(
    ("resource", "extra", "within"),
    [
        ("budget", {"step": 500}, Variation()),
        ("beds", {"step": "0.1"}, Variation()),
        ("seats", {"field": "ai"}, ROOMY),
        ("seats", {"position": "p1"}, ROOMY),
    ],
)
def test_the_least_amount_places_the_target_and_one_step_less_is_proven_short(
    resource: str, extra: dict, within: Variation
) -> None:
    base = within.apply(BASE)
    target = _placed(base)[0] + 1
    answer = least_capacity(base, target, resource, settings=TEST_SETTINGS, **extra)
    assert answer.amount is not None and answer.amount > 0, answer.describe()
    assert _placed(base, answer.variation)[0] >= target
    step = Decimal(extra.get("step", 1))
    less = next(p for p in answer.probes if p.amount == answer.amount - step)
    assert less.verdict == "short"
    assert _placed(base, less.variation)[1] < target
    assert answer.proven


def test_an_impossible_target_is_proven_so() -> None:
    answer = least_capacity(BASE, len(BASE.candidates) + 1, "budget", settings=TEST_SETTINGS)
    assert answer.amount is None and answer.proven
    assert "proven impossible" in answer.describe()


def test_the_default_target_is_everyone_eligible() -> None:
    answer = least_capacity(
        BASE, None, "beds", within=Variation(max_size=12, budget_scale=5), settings=TEST_SETTINGS
    )
    assert answer.target == len({o.candidate for o in BASE.options})


def test_a_resource_the_problem_lacks_is_refused() -> None:
    bare = attrs.evolve(BASE, constraints=attrs.evolve(BASE.constraints, beds=()))
    with pytest.raises(PlanningError, match="beds: the problem limits no month's beds"):
        least_capacity(bare, 3, "beds")
    with pytest.raises(PlanningError, match="seats: give a position or a field"):
        least_capacity(BASE, 3, "seats")


def test_a_frontier_is_placed_against_the_budget() -> None:
    amounts = [0, 2000, 4000, 8000, 16000]
    points, table = frontier(BASE, "budget", amounts, settings=TEST_SETTINGS)
    assert [p.amount for p in points] == [Decimal(a) for a in amounts]
    placed = [p.placed for p in points]
    assert placed == sorted(placed) and placed[0] == 0 and placed[-1] > placed[1]
    for p in points:
        assert p.placed == _placed(BASE, Variation(budget=Money(p.amount, "SGD")))[0]
    assert len(table) == len(amounts)


def test_the_multipliers_are_exposed_per_row() -> None:
    tight = placed_problem(BASE, Variation(beds_scale="0.5", max_size=12))
    prices = row_prices(tight)
    kinds = {p.kind for p in prices}
    assert {"beds", "budget", "quotas"} <= kinds
    assert all(p.price >= 0 for p in prices)
    assert any(p.price > 0 for p in prices if p.kind == "beds")
    months = {p.month for p in prices if p.kind == "beds"}
    assert months == {str(b.month) for b in tight.constraints.beds if b.beds < 12}


def _check(problem: Problem) -> None:
    values = marginal_values(problem, budget_step=1000, settings=TEST_SETTINGS)
    base = placed_problem(problem)
    before = _placed(base)[0]
    for mv in values:
        assert mv.placed_before == before, mv.describe()
        after = _placed(base, mv.variation)[0]
        assert mv.placed_after == after, mv.describe()
        if mv.confirmed is not None:
            assert mv.confirmed == (after >= before + 1 if mv.claimed_gain else after == before)
        if mv.least is not None:
            assert mv.least_variation is not None
            assert _placed(base, mv.least_variation)[0] >= before + 1, mv.describe()
            money = mv.kind in ("budget", "payer_budget")
            if mv.least_proven and mv.least > (1000 if money else 1):
                unit = Decimal(1000 if money else 1)
                less = _less(mv, base, mv.least - unit)
                assert _placed(base, less)[1] <= before, mv.describe()


def _less(mv, base: Problem, change: Decimal) -> Variation:
    """The variation of the same resource, ``change`` units from the base."""
    cons = base.constraints
    if mv.kind == "beds":
        (b,) = mv.variation.beds
        limit = next(x.beds for x in cons.beds if x.month == b.month)
        return Variation(beds=[MonthlyBeds(b.month, limit + int(change))])
    if mv.kind == "budget":
        return Variation(budget=Money(cons.budget.amount + change, cons.budget.currency))
    if mv.kind == "payer_budget":
        old = cons.payer_budget(mv.payer)
        return Variation(payer_budgets={mv.payer: Money(old.amount + change, old.currency)})
    if mv.kind == "max_size":
        return Variation(max_size=cons.max_size + int(change))
    if mv.kind == "min_size":
        return Variation(min_size=max(0, cons.min_size - int(change)))
    (q,) = mv.variation.quotas
    old = next(x for x in cons.quotas if (x.dimension, x.key) == (q.dimension, q.key))
    from sgcq.models import Count
    from sgcq.planning import QuotaBounds

    if mv.kind == "quota_max":
        return Variation(
            quotas=[
                QuotaBounds(q.dimension, q.key, old.minimum, Count(old.maximum.value + int(change)))
            ]
        )
    return Variation(
        quotas=[
            QuotaBounds(
                q.dimension, q.key, Count(max(0, old.minimum.value - int(change))), old.maximum
            )
        ]
    )


def test_every_marginal_value_of_the_small_problem_is_confirmed_by_a_re_solve() -> None:
    tight = Variation(beds_scale="0.6", max_size=12).apply(BASE)
    values = marginal_values(tight, budget_step=1000, settings=TEST_SETTINGS)
    assert any(mv.claimed_gain == 1 for mv in values), [mv.describe() for mv in values]
    assert any(mv.least is not None for mv in values)
    _check(tight)


@st.composite
def _tight(draw: st.DrawFn) -> Problem:
    """Generated problems with their beds and budgets made tighter than the witness needs.

    Some also have a district paying CNY 1,000 a bed month (at least one) against a
    budget of its own.
    """
    base = draw(
        problems(max_candidates=6, max_positions=3, max_ranks=2, starts=2, side_constraints=True)
    )
    cons = base.constraints
    beds = tuple(MonthlyBeds(b.month, max(0, b.beds - draw(st.integers(0, 2)))) for b in cons.beds)
    budget = cons.budget
    if budget is not None:
        budget = Money(
            max(Decimal(0), budget.amount - draw(st.sampled_from((0, 1000, 2000)))), "SGD"
        )
    cons = attrs.evolve(cons, beds=beds, budget=budget, pins=())
    if draw(st.booleans()):
        options = tuple(
            attrs.evolve(
                o,
                payer_costs=(
                    PayerCost("district", Money(1000 * max(1, len(o.bed_months)), "CNY")),
                ),
            )
            for o in base.options
        )
        limit = 1000 * draw(st.integers(0, 2 * len(base.candidates)))
        cons = attrs.evolve(cons, payer_budgets=(PayerBudget("district", Money(limit, "CNY")),))
        base = attrs.evolve(base, options=options)
    return attrs.evolve(base, constraints=cons, objectives=(Objective.PLACED,))


@settings(max_examples=15, deadline=None)
@given(_tight())
def test_every_marginal_value_reported_is_confirmed_by_a_re_solve(problem: Problem) -> None:
    _check(problem)


def _three(**constraints) -> Problem:
    """Three candidates, one three-seat position, three months from October, SGD 3,000 each."""
    from datetime import date

    from sgcq.matching import Constraints, MatchCandidate, MatchPosition, Option
    from sgcq.models import DateRange, Mode

    stay = DateRange.of_months(date(2020, 10, 1), 3)
    return Problem(
        candidates=[MatchCandidate(c, "ntu") for c in "abc"],
        positions=[MatchPosition("p", "h", 3)],
        options=[
            Option(
                c,
                "p",
                stay.start,
                stay,
                Mode.ON_SITE,
                candidate_rank=1,
                bed_months=tuple(stay.calendar_months()),
                cost=Money(3000, "SGD"),
            )
            for c in "abc"
        ],
        constraints=Constraints(**constraints),
        objectives=(Objective.PLACED,),
    )


def test_a_binding_bed_is_priced_at_one_placement_per_bed() -> None:
    oct_ = YearMonth(2020, 10)
    problem = _three(beds=[MonthlyBeds(oct_, 2)])
    (price,) = row_prices(problem)
    assert (price.kind, price.month, price.side, price.limit) == ("beds", "2020-10", "max", 2)
    assert price.price == pytest.approx(1.0)
    (mv,) = marginal_values(problem, settings=TEST_SETTINGS)
    assert (mv.claim, mv.claimed_gain, mv.placed_before, mv.placed_after) == (1, 1, 2, 3)
    assert mv.confirmed and mv.least == 1 and mv.least_proven


def test_the_budget_is_priced_per_minor_unit_and_claims_one_allowance() -> None:
    problem = _three(budget=Money(6000, "SGD"))
    (price,) = row_prices(problem)
    assert price.kind == "budget" and price.limit == 600_000  # cents
    assert price.price == pytest.approx(1 / 300_000)
    (mv,) = marginal_values(problem, budget_step=100, settings=TEST_SETTINGS)
    assert mv.claim == Decimal(3000) and mv.confirmed
    assert mv.least == Decimal(3000) and mv.least_proven
    assert "the budget: multiplier" in mv.describe()
