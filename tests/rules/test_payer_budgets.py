"""budget_check and payer budgets: the housing payer's bed nights and meals, the visa fees."""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal

import attrs

from sgcq.matching import Problem
from sgcq.models import (
    ExchangeRate,
    Money,
    PayerBudget,
    Placement,
    RateTable,
    Scenario,
)
from sgcq.rules import Outcome, budget_check, payer_amounts, split_cover, visa_needed
from sgcq.scenarios import load_scenario

ON = date(2020, 8, 1)


@functools.cache
def _priced(housing: Decimal = Decimal(10_000_000)) -> Scenario:
    """The NTU cohort with the district's beds (CNY 120 a night) and meals (CNY 60 a day)
    priced, a visa fee of SGD 100 paid by the district, and its budget in CNY."""
    s = load_scenario("ntu-ydpg-2020")
    programme = s.programmes[0]
    assert programme.benefits.housing is not None
    assert programme.benefits.visa_support == programme.benefits.housing.payer == "ydpg"
    terms = attrs.evolve(
        programme.benefits.housing,
        bed_night=Money(Decimal(120), "CNY"),
        meals_per_day=Money(Decimal(60), "CNY"),
    )
    benefits = attrs.evolve(programme.benefits, housing=terms, visa_fee=Money(100, "SGD"))
    programme = attrs.evolve(programme, benefits=benefits)
    budgets = [PayerBudget("ydpg", Money(housing, "CNY"))]
    cohort = attrs.evolve(s.cohorts[0], payer_budgets=tuple(budgets))
    rates = RateTable((ExchangeRate("SGD", "CNY", Decimal("5.05"), date(2020, 1, 1)),))
    return attrs.evolve(s, programmes=(programme,), cohorts=(cohort,), rates=rates)


@functools.lru_cache(maxsize=1)
def _problem() -> Problem:
    return Problem.from_scenario(_priced())


def _placements(n: int) -> list[Placement]:
    """The first priced option of each of ``n`` candidates, as placements."""
    seen: set[str] = set()
    out = []
    for o in _problem().options:
        if o.payer_costs and o.candidate not in seen:
            seen.add(o.candidate)
            out.append(Placement(o.candidate, o.position, o.stay, o.mode))
        if len(out) == n:
            break
    assert len(out) == n
    return out


def _facts(reason: object) -> dict[str, str]:
    return {f.name: f.value for f in reason.facts}  # type: ignore[attr-defined]


def test_the_payer_total_equals_the_matchers_costs() -> None:
    """What budget_check totals for the district is what the matcher priced the same options
    (one pricing function, converted the same way)."""
    placements = _placements(12)
    by_pair = {(o.candidate, o.position, o.start): o for o in _problem().options}
    expected = Money(Decimal(0), "CNY")
    for pl in placements:
        (cost,) = by_pair[(pl.candidate, pl.position, pl.period.start)].payer_costs
        expected = expected + cost.cost
    verdict = budget_check(_priced(), _priced().cohorts[0].id, placements, on=ON)
    assert verdict.outcome is Outcome.ELIGIBLE
    assert verdict.codes == ("allowance.budget.within", "payer.budget.within")
    facts = _facts(verdict.reasons[1])
    assert facts["payer"] == "ydpg"
    assert facts["total"] == str(expected.rounded())
    assert facts["placements"] == "12"


def test_a_payer_over_its_budget_makes_the_check_ineligible() -> None:
    """The district's budget below what it pays: INELIGIBLE with payer.budget.exceeded, while
    the allowances stay within theirs."""
    placements = _placements(12)
    full = budget_check(_priced(), _priced().cohorts[0].id, placements, on=ON)
    paid = Money(Decimal(_facts(full.reasons[1])["total"].split()[1].replace(",", "")), "CNY")
    tight = _priced(housing=paid.amount - 1)
    over = budget_check(tight, tight.cohorts[0].id, placements, on=ON)
    assert over.outcome is Outcome.INELIGIBLE
    assert over.codes == ("allowance.budget.within", "payer.budget.exceeded")
    assert "over its budget" in over.reasons[1].message
    exact = _priced(housing=paid.amount)
    assert budget_check(exact, exact.cohorts[0].id, placements, on=ON).outcome is Outcome.ELIGIBLE


def test_bed_nights_meals_and_the_visa_fee_are_priced_per_stay() -> None:
    """(120 + 60) CNY per covered day, and SGD 100 for a visa, only when one is needed."""
    s = _priced()
    programme = s.programmes[0]
    pl = _placements(1)[0]
    cand, pos = s.candidate(pl.candidate), s.position(pl.position)
    split = split_cover(pos, pl.period, programme.benefits.housing)
    assert split.covered is not None
    owed = payer_amounts(cand, pos, programme, split.covered, split.uncovered)
    days = split.covered.days
    assert owed[:2] == (
        ("ydpg", Money(Decimal(120 * days), "CNY")),
        ("ydpg", Money(Decimal(60 * days), "CNY")),
    )
    needs = visa_needed(cand, pos, split.covered, split.uncovered)
    assert needs == (pos.location.country not in cand.nationalities)
    assert owed[2:] == ((("ydpg", Money(100, "SGD")),) if needs else ())
    # A national of the host country needs no visa; a remote stay has no on-site day.
    local = attrs.evolve(cand, nationalities=frozenset({pos.location.country}))
    assert not visa_needed(local, pos, split.covered, split.uncovered)
    assert not visa_needed(cand, pos, None, None)
    assert payer_amounts(cand, pos, None, split.covered, split.uncovered) == ()


def test_a_cohort_without_payer_budgets_checks_the_allowances_only() -> None:
    """No PayerBudget: one reason, as before."""
    s = load_scenario("ntu-ydpg-2020")
    cohort = s.cohorts[0]
    assert not cohort.payer_budgets
    verdict = budget_check(s, cohort.id, (), on=ON)
    assert len(verdict.reasons) == 1 and verdict.codes[0].startswith("allowance.budget.")
