"""Entitlements with reasons: the housing-and-meals cover and allowance totals.

:func:`housing_cover` wraps :func:`~sgcq.rules.housing.split_cover` in a
verdict that says which days the cover pays for, which it does not, and why;
:func:`uncovered_cost` prices the uncovered tail at a monthly rate, pro-rated
by calendar days like allowances. :func:`cohort_allowance` totals allowances
per placement and per cohort in one currency, converting only with the dated
rates of a :class:`~sgcq.models.RateTable` on a date the caller states, and
:func:`budget_check` compares the total with the cohort's budget, and what
each other payer (the housing payer, the visa sponsor) pays, priced by
:func:`payer_amounts`, with that payer's budget.

Examples
--------
>>> from datetime import date
>>> from sgcq.models import DateRange
>>> from sgcq.scenarios import load_scenario
>>> s = load_scenario("ntu-ydpg-2020")
>>> pos = next(p for p in s.positions if p.housing_cover)
>>> cover = housing_cover(s, pos, DateRange.of_months(date(2020, 8, 31), 7))
>>> print(cover.split.covered, cover.split.uncovered)
[2020-08-31, 2021-02-28) [2021-02-28, 2021-03-31)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import attrs

from sgcq.models import (
    Candidate,
    DateRange,
    HousingTerms,
    Money,
    Placement,
    Position,
    Programme,
    RateTable,
    Scenario,
    SgcqError,
)
from sgcq.rules.allowance import allowance_cost
from sgcq.rules.book import RuleBook
from sgcq.rules.engine import Context
from sgcq.rules.evaluate import default_rulebook
from sgcq.rules.housing import CoverSplit, split_cover
from sgcq.rules.parameters import ParameterSet, ParameterValue
from sgcq.rules.verdicts import Fact, Outcome, Reason, Verdict

__all__ = [
    "AllowanceTotals",
    "HousingCover",
    "budget_check",
    "cohort_allowance",
    "default_housing_terms",
    "housing_cover",
    "payer_amounts",
    "placement_allowance",
    "uncovered_cost",
    "visa_needed",
]


@attrs.frozen
class HousingCover:
    """The housing-and-meals cover of one stay, with the verdict that explains it.

    Parameters
    ----------
    split
        Covered and uncovered on-site days.
    verdict
        Rule ``housing.cover``: ELIGIBLE when some days are covered (reasons
        ``housing.cover.covered`` and, if any, ``housing.cover.uncovered_tail``),
        INELIGIBLE otherwise with the reason.
    """

    split: CoverSplit
    verdict: Verdict


def _context(
    scenario: Scenario,
    position: Position,
    stay: DateRange,
    programme: Programme | None,
    as_of: date | None,
    book: RuleBook,
    candidate: Candidate | None,
) -> Context:
    if programme is None and position.programme is not None:
        programme = scenario.programme_index.get(position.programme)
    if candidate is None:
        # The default entitlement rules read only the position, the stay and
        # the programme, so any candidate of the scenario can be the subject.
        if not scenario.candidates:
            raise SgcqError(
                f"scenario {scenario.id} has no candidate; pass candidate= to evaluate "
                "entitlement rules"
            )
        candidate = scenario.candidates[0]
    return Context(
        scenario,
        candidate,
        position,
        stay,
        stay.start if as_of is None else as_of,
        book.parameters,
        programme,
    )


def housing_cover(
    scenario: Scenario,
    position: Position,
    stay: DateRange,
    *,
    programme: Programme | None = None,
    as_of: date | None = None,
    rulebook: RuleBook | None = None,
    candidate: Candidate | None = None,
) -> HousingCover:
    """Return the cover of ``stay`` in ``position`` and the verdict explaining it.

    Parameters
    ----------
    scenario
        The scenario the position belongs to.
    position, stay
        The placement.
    programme
        The programme whose :class:`~sgcq.models.HousingTerms` apply; the
        position's programme by default.
    as_of
        The date whose rules apply; the stay's start by default.
    rulebook
        The rules; the default rule book by default.
    candidate
        The subject, for rules that read it (the default rules do not); the
        scenario's first candidate by default.
    """
    book = rulebook if rulebook is not None else default_rulebook()
    ctx = _context(scenario, position, stay, programme, as_of, book, candidate)
    terms = ctx.programme.benefits.housing if ctx.programme is not None else None
    verdict = book.rule_set("housing.cover").evaluate(ctx)
    split = split_cover(position, stay, terms)
    if not verdict.eligible:
        # The verdict is the entitlement: when it says no cover, nothing is covered.
        split = CoverSplit(stay, split.on_site, None, split.on_site)
    return HousingCover(split, verdict)


def default_housing_terms(
    payer: str, as_of: date, parameters: ParameterSet | None = None
) -> HousingTerms:
    """Return housing terms with the default number of months in force on ``as_of``.

    The number is the parameter ``housing.default_cover_months`` (6 from
    2020-05-13; source: NTU press release, 13 May 2020).
    """
    params = parameters if parameters is not None else default_rulebook().parameters
    months = params.value("housing.default_cover_months", as_of)
    assert isinstance(months, int)
    return HousingTerms(months, payer)


def uncovered_cost(split: CoverSplit, monthly: Money) -> Money:
    """Return the cost of the uncovered on-site days at ``monthly`` per calendar month.

    Partial months are pro-rated by calendar days (decision 0004).

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.models import DateRange
    >>> s = CoverSplit(DateRange(date(2021, 1, 1), date(2021, 3, 1)), None, None,
    ...                DateRange(date(2021, 2, 1), date(2021, 3, 1)))
    >>> uncovered_cost(s, Money("3000", "CNY"))
    Money(amount=Decimal('3000.00'), currency='CNY')
    """
    if split.uncovered is None:
        return Money.zero(monthly.currency).rounded()
    return allowance_cost(monthly, split.uncovered)


def placement_allowance(
    position: Position, stay: DateRange, currency: str, rates: RateTable | None, *, on: date
) -> Money:
    """Return the allowance of ``stay`` in ``position`` in ``currency``.

    Parameters
    ----------
    position, stay
        The placement; a position without an allowance costs zero.
    currency
        The payer's (or reporting) currency.
    rates
        The dated exchange rates; ``None`` means an empty table (no conversion
        possible).
    on
        The date whose rate applies (never implicit).

    Raises
    ------
    RateNotFoundError
        If a conversion is needed and no rate is in force on ``on``.
    """
    if position.allowance is None:
        return Money.zero(currency).rounded()
    cost = allowance_cost(position.allowance.monthly, stay)
    if cost.currency == currency:
        return cost
    return (rates if rates is not None else RateTable()).convert(cost, currency, on=on)


@attrs.frozen
class AllowanceTotals:
    """Allowances of a set of placements in one currency.

    Parameters
    ----------
    currency
        The currency of every amount.
    on
        The date whose exchange rates were used.
    per_placement
        ``(placement, amount)`` in the order given.
    total
        Their sum.
    """

    currency: str
    on: date
    per_placement: tuple[tuple[Placement, Money], ...]
    total: Money


def cohort_allowance(
    scenario: Scenario, placements: Iterable[Placement], currency: str, *, on: date
) -> AllowanceTotals:
    """Total the allowances of ``placements`` in ``currency`` at the rates in force ``on``.

    Each placement is converted once, after pro-rating, and rounded to the
    currency's minor unit; the total is the sum of the rounded amounts.
    """
    rows: list[tuple[Placement, Money]] = []
    for pl in placements:
        pos = scenario.position(pl.position)
        rows.append((pl, placement_allowance(pos, pl.period, currency, scenario.rates, on=on)))
    total = Money.total((m for _, m in rows), currency)
    return AllowanceTotals(currency, on, tuple(rows), total)


def visa_needed(
    candidate: Candidate,
    position: Position,
    covered: DateRange | None,
    uncovered: DateRange | None,
) -> bool:
    """Return whether a stay needs a visa the programme's visa sponsor pays for.

    Parameters
    ----------
    candidate, position
        The pair (the position in the mode carried out).
    covered, uncovered
        The stay's on-site days with and without the housing cover
        (:func:`~sgcq.rules.housing.split_cover`); both ``None`` for a stay
        with no on-site day.

    Returns
    -------
    bool
        True when the stay has on-site days in a country of which the
        candidate is not a national (decision 0020).
    """
    on_site = covered is not None or uncovered is not None
    return on_site and position.location.country not in candidate.nationalities


def payer_amounts(
    candidate: Candidate,
    position: Position,
    programme: Programme | None,
    covered: DateRange | None,
    uncovered: DateRange | None,
) -> tuple[tuple[str, Money], ...]:
    """Return what each payer other than the host owes for one stay, in the rates' currencies.

    The pricing of decision 0020, used by the matcher (which converts each
    amount into the payer's budget currency) and by :func:`budget_check`:
    the housing payer pays the bed-night rate and the meals rate for every
    covered day; the visa sponsor pays the visa fee when
    :func:`visa_needed`.

    Parameters
    ----------
    candidate, position
        The pair (the position in the mode carried out).
    programme
        The programme whose housing terms and benefits price the stay; ``None``
        prices nothing.
    covered, uncovered
        The stay's split (:func:`~sgcq.rules.housing.split_cover`).

    Returns
    -------
    tuple of (str, Money)
        ``(payer, amount)``: the bed nights, then the meals, then the visa
        fee, each that applies; amounts are exact (rate times days) and
        not converted.

    Examples
    --------
    Six months of cover priced at CNY 120 a night and CNY 60 a day for meals,
    and an SGD 100 visa for a Singaporean in Chongqing:

    >>> from datetime import date
    >>> from sgcq.scenarios import load_scenario
    >>> s = load_scenario("ntu-ydpg-2020")
    >>> prog = s.programmes[0]
    >>> terms = attrs.evolve(prog.benefits.housing, bed_night=Money(120, "CNY"),
    ...                      meals_per_day=Money(60, "CNY"))
    >>> prog = attrs.evolve(prog, benefits=attrs.evolve(prog.benefits, housing=terms,
    ...                                                 visa_fee=Money(100, "SGD")))
    >>> pos = s.position("ntu-p01")
    >>> split = split_cover(pos, DateRange.of_months(date(2020, 8, 31), 7), terms)
    >>> [(payer, str(m)) for payer, m in payer_amounts(
    ...     s.candidates[0], pos, prog, split.covered, split.uncovered)]
    [('ydpg', 'CNY 21,720.00'), ('ydpg', 'CNY 10,860.00'), ('ydpg', 'SGD 100.00')]
    """
    if programme is None:
        return ()
    out: list[tuple[str, Money]] = []
    terms = programme.benefits.housing
    if terms is not None and covered is not None:
        for rate in (terms.bed_night, terms.meals_per_day):
            if rate is not None:
                out.append((terms.payer, Money(rate.amount * covered.days, rate.currency)))
    benefits = programme.benefits
    sponsor, fee = benefits.visa_support, benefits.visa_fee
    if (
        sponsor is not None
        and fee is not None
        and visa_needed(candidate, position, covered, uncovered)
    ):
        out.append((sponsor, fee))
    return tuple(out)


def _payer_reason(
    scenario: Scenario,
    cohort: str,
    payer: str,
    budget: Money,
    placements: tuple[Placement, ...],
    programme: Programme | None,
) -> tuple[Reason, bool]:
    """Total what ``payer`` pays for ``placements`` in the budget's currency; compare."""
    total = Money(Decimal(0), budget.currency)
    priced = 0
    for pl in placements:
        pos = scenario.position(pl.position)
        if pl.mode is not pos.mode and pl.mode in pos.modes:
            pos = pos.in_mode(pl.mode)
        terms = programme.benefits.housing if programme is not None else None
        split = split_cover(pos, pl.period, terms)
        cand = scenario.candidate(pl.candidate)
        amounts = payer_amounts(cand, pos, programme, split.covered, split.uncovered)
        owed = [m for who, m in amounts if who == payer]
        if owed:
            priced += 1
        for m in owed:
            # As the matcher does: each amount at the rates in force on the stay's first day.
            if m.currency != budget.currency:
                m = scenario.rates.convert(m, budget.currency, on=pl.period.start)
            total = total + m
    total = total.rounded()
    facts = (
        Fact("payer", payer),
        Fact("total", str(total)),
        Fact("budget", str(budget)),
        Fact("placements", str(len(placements))),
        Fact("priced", str(priced)),
        Fact("cohort", cohort),
        Fact("rates_on", "each stay's first day"),
    )
    if total > budget:
        message = f"{payer} pays {total}, over its budget of {budget} for cohort {cohort}"
        return Reason("payer.budget.exceeded", message, None, facts), False
    message = f"{payer} pays {total}, within its budget of {budget} for cohort {cohort}"
    return Reason("payer.budget.within", message, None, facts), True


def budget_check(
    scenario: Scenario,
    cohort: str,
    placements: Iterable[Placement],
    *,
    on: date,
    as_of: date | None = None,
    rulebook: RuleBook | None = None,
) -> Verdict:
    """Check the cohort's allowances against its budget, and each payer's costs against its own.

    Parameters
    ----------
    scenario
        The scenario.
    cohort
        Id of the cohort whose ``allowance_budget`` applies.
    placements
        The placements to count.
    on
        The date of the exchange rates.
    as_of
        The date of the verdict (``on`` by default).
    rulebook
        Supplies the parameters cited.

    Returns
    -------
    Verdict
        Rule ``allowance.budget``. Its first reason is the allowances':
        ``allowance.budget.within``, ``allowance.budget.exceeded`` (with the
        total and the budget as facts) or ``allowance.budget.none`` when the
        cohort has no allowance budget. Then one reason per
        :class:`~sgcq.models.PayerBudget` of the cohort, in its order:
        ``payer.budget.within`` or ``payer.budget.exceeded``, with what the
        payer pays for the placements (priced by :func:`payer_amounts` under
        the cohort's programme, each amount converted at the rates in force
        on its stay's first day, as the matcher does) and the budget. The
        verdict is INELIGIBLE when any budget is exceeded, else ELIGIBLE.

    Raises
    ------
    RateNotFoundError
        If an amount needs a conversion and no rate is in force.
    """
    book = rulebook if rulebook is not None else default_rulebook()
    day = on if as_of is None else as_of
    record = (
        book.parameters.lookup("allowance.proration", day)
        or book.parameters.parameter("allowance.proration").first
    )
    group = scenario.cohort(cohort)
    placed = tuple(placements)
    programme = scenario.programme_index.get(group.programme)
    payers = [
        _payer_reason(scenario, cohort, b.payer, b.budget, placed, programme)
        for b in group.payer_budgets
    ]
    first, ok = _allowance_reason(scenario, cohort, placed, on, record)
    outcome = ok and all(within for _, within in payers)
    reasons = (first, *(r for r, _ in payers))
    return Verdict(
        "allowance.budget", Outcome.ELIGIBLE if outcome else Outcome.INELIGIBLE, day, reasons
    )


def _allowance_reason(
    scenario: Scenario,
    cohort: str,
    placements: tuple[Placement, ...],
    on: date,
    record: ParameterValue,
) -> tuple[Reason, bool]:
    budget = scenario.cohort(cohort).allowance_budget
    reference = record.reference
    proration = Fact("allowance.proration", str(record.value), "parameter")
    if budget is None:
        reason = Reason(
            "allowance.budget.none",
            f"cohort {cohort} has no budget",
            reference,
            (Fact("cohort", cohort), Fact("budget", "none"), proration),
        )
        return reason, True
    totals = cohort_allowance(scenario, placements, budget.currency, on=on)
    facts = (
        Fact("total", str(totals.total)),
        Fact("budget", str(budget)),
        Fact("placements", str(len(totals.per_placement))),
        Fact("cohort", cohort),
        Fact("rates_on", on.isoformat()),
        proration,
    )
    if totals.total > budget:
        reason = Reason(
            "allowance.budget.exceeded",
            f"allowances of {totals.total} exceed cohort {cohort}'s budget of {budget}",
            reference,
            facts,
        )
        return reason, False
    reason = Reason(
        "allowance.budget.within",
        f"allowances of {totals.total} are within cohort {cohort}'s budget of {budget}",
        reference,
        facts,
    )
    return reason, True
