"""Tests of sgcq.testing.strategies._money: money, exchange rates and rate tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from sgcq.models import CURRENCY_MINOR_UNITS
from sgcq.testing import strategies as sst

LO, HI = date(2020, 1, 1), date(2020, 12, 31)


@given(m=sst.money(currencies=("JPY", "SGD"), min_amount=-5, max_amount=5))
def test_money_knobs(m: Any) -> None:
    """Amounts stay in bounds, in the asked currencies, with at most the minor unit's places."""
    assert m.currency in {"JPY", "SGD"} and -5 <= m.amount <= 5
    exponent = m.amount.as_tuple().exponent
    assert isinstance(exponent, int) and -exponent <= CURRENCY_MINOR_UNITS[m.currency]


@given(
    r=sst.exchange_rates(
        currencies=("USD", "EUR", "SGD"), min_date=LO, max_date=HI, min_rate="1", max_rate="2"
    ),
    t=sst.rate_tables(min_size=2, max_size=3),
)
def test_rate_knobs(r: Any, t: Any) -> None:
    """Rates use the asked currencies, dates and bounds; tables have the asked size."""
    assert {r.base, r.quote} <= {"USD", "EUR", "SGD"} and r.base != r.quote
    assert LO <= r.as_of <= HI and Decimal(1) <= r.rate <= Decimal(2)
    assert 2 <= len(t.rates) <= 3


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.money(currencies=("XXX",)),
        lambda: sst.money(currencies=()),
        lambda: sst.money(min_amount=5, max_amount=1),
        lambda: sst.exchange_rates(currencies=("SGD",)),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()
