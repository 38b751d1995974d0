"""The budget row is exact: costs are counted in the finest unit they use, never rounded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from matching_helpers import TEST_SETTINGS, placed_options

from sgcq.errors import DocumentError, ModelValidationError
from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Option,
    Problem,
    Settings,
    SolvePath,
    solve,
)
from sgcq.matching._index import Index
from sgcq.matching.elements import cost_unit
from sgcq.models import DateRange, Mode, Money
from sgcq.serialization import loads_json

STAY = DateRange(date(2020, 9, 1), date(2021, 3, 1))


def _problem(costs: list[str], budget: str, currency: str = "SGD") -> Problem:
    n = len(costs)
    return Problem(
        candidates=tuple(MatchCandidate(f"c{i}", "ntu") for i in range(n)),
        positions=(MatchPosition("p1", "h1", seats=n),),
        options=tuple(
            Option(
                f"c{i}", "p1", STAY.start, STAY, Mode.ON_SITE, candidate_rank=1,
                cost=Money(cost, currency),
            )
            for i, cost in enumerate(costs)
        ),
        constraints=Constraints(budget=Money(budget, currency)),
    )  # fmt: skip


@pytest.mark.parametrize("path", [SolvePath.AUTO, SolvePath.CP_SAT])
def test_budget_exceeded_while_optimal_finer_than_minor_unit(path: SolvePath) -> None:
    """Two costs of 50.005 add up to 100.01: a budget of 100.00 admits only one of them.

    The budget row used to round each cost to cents (50.005 -> 50.00), so
    both were placed and the result was OPTIMAL with 100.01 spent.
    """
    problem = _problem(["50.005", "50.005"], "100.00")
    settings = Settings(workers=1, seed=0, deterministic_time_limit=20.0, path=path)
    result = solve(problem, settings)
    assert result.status.value == "optimal"
    assert result.placed == 1
    spent = sum(o.cost.amount for o in placed_options(problem, result) if o.cost is not None)
    assert spent <= Decimal("100.00")
    assert result.budget_used == Money("50.005", "SGD")


def test_budget_at_the_minor_unit_boundary() -> None:
    """100.00 admits costs of exactly 100.00 and refuses 100.01, one cent over."""
    exact = solve(_problem(["60.00", "40.00"], "100.00"), TEST_SETTINGS)
    assert exact.placed == 2 and exact.budget_used == Money("100.00", "SGD")
    over = solve(_problem(["60.00", "40.01"], "100.00"), TEST_SETTINGS)
    assert over.placed == 1


def test_fine_costs_that_fit_exactly_are_admitted() -> None:
    """50.004 + 49.996 is exactly 100: both fit, counted in thousandths."""
    problem = _problem(["50.004", "49.996"], "100")
    ix = Index(problem)
    assert ix.cost_unit == Decimal("0.001")
    assert ix.cost == [50004, 49996] and ix.budget == 100000
    assert solve(problem, TEST_SETTINGS).placed == 2


def test_cost_unit_is_the_minor_unit_or_finer() -> None:
    """The unit is the currency's minor unit unless a cost needs more decimals."""
    assert cost_unit([Money("1500", "SGD")], "SGD") == Decimal("0.01")
    assert cost_unit([Money("1500", "JPY")], "JPY") == Decimal("1")
    assert cost_unit([Money("0.5", "JPY")], "JPY") == Decimal("0.1")
    assert cost_unit([Money("1.000000", "SGD")], "SGD") == Decimal("0.01")  # trailing zeros


def test_cost_with_more_than_six_decimals_is_refused() -> None:
    """A cost finer than a millionth is refused when the option is made."""
    with pytest.raises(ModelValidationError, match="cost: at most 6 decimal places"):
        Option("c1", "p1", STAY.start, STAY, Mode.ON_SITE, cost=Money("0.0000001", "SGD"))


def test_huge_budget_is_refused_at_load() -> None:
    """The 232-byte problem with budget 1e999990 (a 1 s solve took 69 s) is refused on reading."""
    text = (
        '{"schema_version": 1, "kind": "match_problem",'
        ' "candidates": [{"id": "c", "university": "u"}],'
        ' "positions": [{"id": "p", "host": "h", "seats": 1}], "options": [],'
        ' "constraints": {"budget": {"amount": "1e999990", "currency": "SGD"}}}'
    )
    with pytest.raises(DocumentError) as info:
        loads_json(text)
    assert info.value.paths == ("constraints.budget.amount",)


def test_largest_budget_is_the_total_of_the_costs() -> None:
    """A budget above every cost together is held as that total, not as a huge integer."""
    problem = _problem(["10.00", "20.00"], "1000000000000000")
    ix = Index(problem)
    assert ix.budget == 3000
    result = solve(problem, TEST_SETTINGS)
    assert result.placed == 2


def test_costs_too_large_for_exact_sums_are_refused() -> None:
    """Costs whose total in units exceeds 2**62 are refused when the problem is made."""
    costs = ["999999999999999.999999"] * 5
    with pytest.raises(ModelValidationError, match="more than the 2\\*\\*62"):
        _problem(costs, "1")
