"""Tests for :mod:`sgcq.rules.entitlements`: housing cover, allowance totals, budget."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from sgcq.models import (
    DateRange,
    ExchangeRate,
    Money,
    Placement,
    RateNotFoundError,
    RateTable,
    Scenario,
)
from sgcq.rules import (
    Outcome,
    budget_check,
    cohort_allowance,
    default_housing_terms,
    housing_cover,
    placement_allowance,
    uncovered_cost,
)


def test_seven_months_from_2020_08_31(ntu: Scenario) -> None:
    """Seed fact: covered [2020-08-31, 2021-02-28), the rest of the seven months uncovered."""
    p = ntu.position("ntu-p03")
    cover = housing_cover(ntu, p, DateRange.of_months(date(2020, 8, 31), 7))
    assert str(cover.split.covered) == "[2020-08-31, 2021-02-28)"
    assert str(cover.split.uncovered) == "[2021-02-28, 2021-03-31)"
    assert cover.verdict.outcome is Outcome.ELIGIBLE
    assert cover.verdict.codes == ("housing.cover.covered", "housing.cover.uncovered_tail")
    assert all(r.citation is not None for r in cover.verdict.reasons)
    cost = uncovered_cost(cover.split, Money("3100", "CNY"))
    # 2021-02-28 is 1/28 of February, 2021-03-01..30 are 30/31 of March.
    assert cost == Money("3110.71", "CNY")


def test_remote_has_no_cover(suss: Scenario) -> None:
    """A remote stay has nothing covered and a reason saying so; its tail costs nothing."""
    cover = housing_cover(
        suss, suss.position("suss-p05a"), DateRange.of_months(date(2021, 2, 1), 3)
    )
    assert cover.split.covered is None and cover.verdict.codes == ("housing.cover.remote",)
    assert uncovered_cost(cover.split, Money("10", "SGD")) == Money("0.00", "SGD")


def test_default_terms_from_parameters() -> None:
    """The default cover is six months from 2020-05-13 and unknown before."""
    assert default_housing_terms("ydpg", date(2020, 6, 1)).max_months == 6
    with pytest.raises(Exception, match="not yet in force"):
        default_housing_terms("ydpg", date(2020, 1, 1))


def _placements(s: Scenario, pairs: list[tuple[str, str, date, int]]) -> list[Placement]:
    return [
        Placement(c, p, DateRange.of_months(start, months), s.position(p).mode)
        for c, p, start, months in pairs
    ]


def test_cohort_allowance_converts_with_dated_rates(suss: Scenario) -> None:
    """Allowances are pro-rated in their own currency, then converted at the stated date's rate."""
    pls = _placements(
        suss,
        [
            ("suss-c01", "suss-p01a", date(2021, 2, 1), 3),
            ("suss-c02", "suss-p02a", date(2021, 2, 1), 3),
        ],
    )
    totals = cohort_allowance(suss, pls, "SGD", on=date(2021, 1, 15))
    assert totals.per_placement[0][1] == Money("2400.00", "SGD")
    assert totals.per_placement[1][1] == Money("1480.26", "SGD")  # MYR 4,500 / 3.04
    assert totals.total == Money("3880.26", "SGD")
    with pytest.raises(RateNotFoundError):
        cohort_allowance(suss, pls, "SGD", on=date(2020, 12, 31))


def test_placement_allowance_without_allowance_or_rates(nus: Scenario, suss: Scenario) -> None:
    """No allowance costs zero; a conversion without a rate table is refused."""
    p = nus.positions[0]
    stay = DateRange.of_months(date(2019, 12, 16), 1)
    assert placement_allowance(p, stay, "SGD", None, on=stay.start) == Money("0.00", "SGD")
    q = suss.position("suss-p02a")
    with pytest.raises(RateNotFoundError):
        placement_allowance(q, stay, "SGD", None, on=stay.start)
    table = RateTable((ExchangeRate("SGD", "MYR", "3", date(2019, 1, 1)),))
    assert placement_allowance(q, stay, "SGD", table, on=stay.start) == Money("500.00", "SGD")


def test_budget_check(suss: Scenario) -> None:
    """Within the budget is ELIGIBLE; over it INELIGIBLE with the totals as facts."""
    pls = _placements(suss, [("suss-c01", "suss-p01a", date(2021, 2, 1), 3)])
    ok = budget_check(suss, "suss-interns-2021", pls, on=date(2021, 1, 15))
    assert ok.outcome is Outcome.ELIGIBLE and ok.codes == ("allowance.budget.within",)
    small = attrs.evolve(
        suss,
        cohorts=tuple(
            attrs.evolve(c, allowance_budget=Money("1000", "SGD"))
            if c.id == "suss-interns-2021"
            else c
            for c in suss.cohorts
        ),
    )
    over = budget_check(small, "suss-interns-2021", pls, on=date(2021, 1, 15))
    assert over.outcome is Outcome.INELIGIBLE and over.codes == ("allowance.budget.exceeded",)
    facts = {f.name: f.value for f in over.reasons[0].facts}
    assert facts["total"] == "SGD 2,400.00" and facts["budget"] == "SGD 1,000.00"
    none = budget_check(suss, "suss-cofounders-2021", pls, on=date(2021, 1, 15))
    assert none.codes == ("allowance.budget.none",) and none.reasons[0].citation is not None
