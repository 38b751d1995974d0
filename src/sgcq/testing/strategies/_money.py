"""Strategies for money, exchange rates and rate tables (:mod:`sgcq.models.money`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from sgcq.models import CURRENCY_MINOR_UNITS, ExchangeRate, Money, RateTable
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE
from sgcq.testing.strategies._draws import free_text
from sgcq.testing.strategies._knobs import (
    cached,
    check_currencies,
    check_dates,
    check_size,
    require,
)

__all__ = ["CURRENCIES", "exchange_rates", "money", "rate_tables"]

#: Default currencies: those of the two programme countries.
CURRENCIES: tuple[str, ...] = ("SGD", "CNY")


@cached
@st.composite
def _money(
    draw: st.DrawFn, currencies: tuple[str, ...], min_amount: Decimal, max_amount: Decimal
) -> Money:
    currency = draw(st.sampled_from(currencies))
    amount = draw(
        st.decimals(
            min_amount,
            max_amount,
            places=CURRENCY_MINOR_UNITS[currency],
            allow_nan=False,
            allow_infinity=False,
        )
    )
    return Money(amount, currency)


@cached
def money(
    *,
    currencies: Sequence[str] = CURRENCIES,
    min_amount: Decimal | int | str = 0,
    max_amount: Decimal | int | str = 100_000,
) -> st.SearchStrategy[Money]:
    """Money in one of ``currencies``, with as many decimal places as the currency's minor unit.

    Parameters
    ----------
    currencies
        ISO 4217 codes known to sgcq.
    min_amount, max_amount
        Bounds on the amount (negative amounts are allowed if asked for).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(money(currencies=("JPY",), min_amount=1))
    ... def test_yen_has_no_minor_unit(m):
    ...     assert m.amount == m.amount.to_integral_value() and m.amount >= 1
    >>> test_yen_has_no_minor_unit()
    """
    cs = check_currencies(currencies)
    lo, hi = Decimal(min_amount), Decimal(max_amount)
    require(lo <= hi, f"max_amount {hi} is below min_amount {lo}")
    return _money(cs, lo, hi)


@cached
@st.composite
def _exchange_rates(
    draw: st.DrawFn,
    currencies: tuple[str, ...],
    min_date: date,
    max_date: date,
    min_rate: Decimal,
    max_rate: Decimal,
) -> ExchangeRate:
    base = draw(st.sampled_from(currencies))
    quote = draw(st.sampled_from([c for c in currencies if c != base]))
    rate = draw(st.decimals(min_rate, max_rate, places=4, allow_nan=False, allow_infinity=False))
    return ExchangeRate(base, quote, rate, draw(st.dates(min_date, max_date)), draw(free_text()))


@cached
def exchange_rates(
    *,
    currencies: Sequence[str] = CURRENCIES,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    min_rate: Decimal | str = "0.01",
    max_rate: Decimal | str = "100",
) -> st.SearchStrategy[ExchangeRate]:
    """Dated exchange rates between two different currencies of ``currencies``.

    Parameters
    ----------
    currencies
        At least two ISO 4217 codes.
    min_date, max_date
        Bounds of ``as_of``.
    min_rate, max_rate
        Bounds of the rate (four decimal places; positive).
    """
    cs = check_currencies(currencies, at_least=2)
    check_dates(min_date, max_date)
    lo, hi = Decimal(min_rate), Decimal(max_rate)
    require(Decimal("0.0001") <= lo <= hi, f"need 0.0001 <= min_rate <= max_rate, got {lo}, {hi}")
    return _exchange_rates(cs, min_date, max_date, lo, hi)


@cached
def rate_tables(
    *,
    currencies: Sequence[str] = CURRENCIES,
    min_size: int = 0,
    max_size: int = 4,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    min_rate: Decimal | str = "0.01",
    max_rate: Decimal | str = "100",
) -> st.SearchStrategy[RateTable]:
    """Rate tables with no two rates for the same pair on the same date.

    Parameters
    ----------
    currencies
        At least two ISO 4217 codes.
    min_size, max_size
        Number of rates.
    min_date, max_date, min_rate, max_rate
        As for :func:`exchange_rates`.
    """
    check_size("size", min_size, max_size)
    rates = exchange_rates(
        currencies=currencies,
        min_date=min_date,
        max_date=max_date,
        min_rate=min_rate,
        max_rate=max_rate,
    )
    return st.builds(
        RateTable,
        st.lists(
            rates,
            min_size=min_size,
            max_size=max_size,
            unique_by=lambda r: (r.base, r.quote, r.as_of),
        ),
    )
