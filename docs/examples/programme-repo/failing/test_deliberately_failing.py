"""A property that is wrong on purpose: what a red CI build looks like.

It claims that the programme's rule book never refuses an option that sgcq's
own rules accept. That is false (a host that pays less than the floor, or not
in CNY, is refused), and because every option drawn can be evaluated, the
``ci`` profile finds a counterexample on every run.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from myprogramme.rules import book

from sgcq.rules import default_rulebook
from sgcq.testing.checks import assert_no_worse
from sgcq.testing.strategies import OptionCase, options

BOOK = book()


@given(options(max_candidates=1, max_positions=1, min_date=date(2020, 1, 1)))
def test_the_pay_floor_never_refuses_what_sgcq_accepts(option: OptionCase) -> None:
    """Wrong on purpose: adding the programme's pay floor can refuse an option."""
    before = option.evaluate(default_rulebook())
    after = option.evaluate(BOOK)
    assert_no_worse(before, after, change="adding the programme's pay floor")
