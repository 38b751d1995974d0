"""Property tests of the programme's rules and matching, with sgcq's testing toolkit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from myprogramme.rules import book

from sgcq.matching import Settings, solve
from sgcq.models import Allowance, Money
from sgcq.rules import Verdict, option_context, stay_for
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import (
    assert_constant_between,
    assert_no_worse,
    assert_reasons_cited,
    check_result,
)
from sgcq.testing.strategies import MatchingCase, OptionCase, matching_cases, options

BOOK = book()
SCENARIO = load_scenario("ntu-ydpg-2020")
SETTINGS = Settings(deterministic_time_limit=5.0, workers=1, seed=0)


def _verdict(position_id: str, amount: int, as_of: date) -> Verdict:
    position = SCENARIO.position(position_id)
    assert position.allowance is not None
    paid = Allowance(Money(Decimal(amount), "CNY"), position.allowance.payer)
    position = attrs.evolve(position, allowance=paid)
    candidate = SCENARIO.candidate("ntu-c001")
    stay = stay_for(candidate, position, date(2020, 9, 1))
    assert stay is not None
    ctx = option_context(SCENARIO, candidate, position, stay, as_of=as_of, rulebook=BOOK)
    return BOOK.rule_set("mine.pay_floor").evaluate(ctx)


@given(amount=st.integers(0, 10_000), raise_by=st.integers(0, 5_000))
def test_paying_more_never_hurts(amount: int, raise_by: int) -> None:
    """Raising the allowance never turns ELIGIBLE into INELIGIBLE; reasons are cited."""
    before = _verdict("ntu-p06", amount, date(2020, 9, 1))
    after = _verdict("ntu-p06", amount + raise_by, date(2020, 9, 1))
    assert_reasons_cited(before)
    assert_no_worse(before, after, change=f"raising the allowance by {raise_by}")


def test_the_floor_only_changes_on_its_effective_dates() -> None:
    """Between 2020-01-01 and 2021-01-01 the verdict for 3,200 CNY does not change."""
    days = [date(2020, 1, 1), date(2020, 6, 30), date(2020, 12, 31)]
    assert_constant_between(lambda d: _verdict("ntu-p06", 3200, d), days)


@given(options(min_date=date(2020, 1, 1), max_date=date(2024, 12, 31)))
def test_every_verdict_cites_its_sources(option: OptionCase) -> None:
    """On generated options (every one can be evaluated) each reason has a citation."""
    assert_reasons_cited(option.evaluate(BOOK))


@settings(deadline=None)  # each example runs the solver
@given(matching_cases(max_candidates=5))
def test_our_matching_respects_every_limit(case: MatchingCase) -> None:
    """On generated cohorts the matcher's result passes sgcq's independent checker."""
    problem = case.problem(BOOK, pins=False)  # the pay floor may refuse a pinned pair
    check_result(problem, solve(problem, SETTINGS))
