"""Tests of Money, ExchangeRate and RateTable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sgcq.models import (
    CURRENCY_MINOR_UNITS,
    CurrencyMismatchError,
    ExchangeRate,
    ModelValidationError,
    Money,
    RateNotFoundError,
    RateTable,
    Rounding,
    minor_unit,
)
from sgcq.testing import strategies as sst

Checker = Callable[..., ModelValidationError]

D = date(2020, 1, 1)


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("amount", 1.5),
        ("amount", "abc"),
        ("amount", Decimal("NaN")),
        ("amount", Decimal("Infinity")),
        ("amount", True),
        ("currency", "XXX"),
        ("currency", "sgd"),
        ("currency", 702),
    ],
)
def test_money_invalid_field_names_the_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """Each bad amount or currency is refused with its field as the path."""
    kwargs: dict[str, Any] = {"amount": Decimal(1), "currency": "SGD", field: bad}
    assert_invalid(lambda: Money(**kwargs), field)


def test_float_amounts_are_refused_with_a_reason(assert_invalid: Checker) -> None:
    """A float amount is refused, not converted (0.1 is not one tenth)."""
    assert_invalid(lambda: Money(0.1, "SGD"), "amount", "got float")  # type: ignore[arg-type]


def test_int_and_str_amounts_become_decimals() -> None:
    """Ints and strings are converted exactly to Decimal."""
    assert Money(5, "SGD").amount == Decimal(5)
    assert Money("0.10", "SGD").amount == Decimal("0.10")


@pytest.mark.parametrize("op", ["add", "sub", "lt", "le", "gt", "ge"])
@given(a=sst.money(currencies=("SGD",)), b=sst.money(currencies=("CNY",)))
def test_no_cross_currency_arithmetic_or_comparison(op: str, a: Money, b: Money) -> None:
    """Adding, subtracting or ordering two currencies raises CurrencyMismatchError."""
    with pytest.raises(CurrencyMismatchError):
        getattr(a, f"__{op}__")(b)


def test_money_of_different_currencies_is_never_equal() -> None:
    """Equality does not convert: SGD 1 is not CNY 1."""
    assert Money(1, "SGD") != Money(1, "CNY")


@given(a=sst.money(currencies=("SGD",)), b=sst.money(currencies=("SGD",)))
def test_same_currency_arithmetic_is_exact(a: Money, b: Money) -> None:
    """Within one currency, sums and differences are exact and ordered like amounts."""
    assert (a + b).amount == a.amount + b.amount
    assert (a + b) - b == a
    assert (a < b) == (a.amount < b.amount)
    assert (a - a) == Money.zero("SGD")


def test_multiplying_by_float_or_money_is_refused() -> None:
    """Money times a float, or money times money, raises TypeError."""
    with pytest.raises(TypeError):
        Money(1, "SGD") * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1, "SGD") * Money(1, "SGD")  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1, "SGD") / 2.0  # type: ignore[operator]


def test_rounded_uses_the_minor_unit_and_half_even() -> None:
    """Rounding goes to the currency's minor unit, banker's rounding by default."""
    assert Money("10.005", "SGD").rounded() == Money("10.00", "SGD")
    assert Money("10.005", "SGD").rounded(Rounding.HALF_UP) == Money("10.01", "SGD")
    assert Money("10.5", "JPY").rounded() == Money("10", "JPY")
    assert minor_unit("SGD") == Decimal("0.01") and minor_unit("JPY") == Decimal(1)


def test_total_of_nothing_is_zero_and_mixed_totals_raise() -> None:
    """Money.total needs its currency; a foreign item raises."""
    assert Money.total([], "SGD") == Money.zero("SGD")
    with pytest.raises(CurrencyMismatchError):
        Money.total([Money(1, "CNY")], "SGD")


def test_str_groups_thousands_with_minor_digits() -> None:
    """str shows the code and the amount rounded to the minor unit."""
    assert str(Money("1500", "SGD")) == "SGD 1,500.00"
    assert str(Money("1500", "JPY")) == "JPY 1,500"


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("base", "XXX"),
        ("quote", "SGD"),  # same as base
        ("rate", Decimal(0)),
        ("rate", Decimal(-1)),
        ("rate", 4.92),
        ("as_of", "2020-01-01"),
        ("source", None),
    ],
)
def test_exchange_rate_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """Each bad field of an ExchangeRate is refused with its path."""
    kwargs: dict[str, Any] = {"base": "SGD", "quote": "CNY", "rate": "4.92", "as_of": D}
    kwargs[field] = bad
    assert_invalid(lambda: ExchangeRate(**kwargs), field)


def test_rate_table_refuses_two_rates_for_one_pair_and_date(assert_invalid: Checker) -> None:
    """Two SGD->CNY rates on one day are refused, naming the second."""
    r = ExchangeRate("SGD", "CNY", "4.92", D)
    assert_invalid(
        lambda: RateTable((r, ExchangeRate("SGD", "CNY", "5.06", D))), "rates[1]", "rates[0]"
    )


def test_rate_table_refuses_non_rates(assert_invalid: Checker) -> None:
    """A rate table holds only ExchangeRate items."""
    assert_invalid(lambda: RateTable(("4.92",)), "rates[0]")  # type: ignore[arg-type]


def test_conversion_before_the_first_rate_raises() -> None:
    """No rate is in force before the earliest as_of."""
    table = RateTable((ExchangeRate("SGD", "CNY", "5", D),))
    with pytest.raises(RateNotFoundError, match="2019-12-31"):
        table.convert(Money(1, "SGD"), "CNY", on=D - timedelta(days=1))
    assert table.convert(Money(1, "SGD"), "CNY", on=D) == Money("5.00", "CNY")


def test_conversion_of_an_unrelated_pair_raises() -> None:
    """A table without the pair cannot convert it."""
    table = RateTable((ExchangeRate("SGD", "CNY", "5", D),))
    with pytest.raises(RateNotFoundError):
        table.convert(Money(1, "SGD"), "USD", on=D)


def test_the_two_source_rates_give_different_results() -> None:
    """S$61m at 4.92 and at 5.06 differ: the date picks the rate (source: NTU, 8 Dec 2020)."""
    table = RateTable(
        (
            ExchangeRate("SGD", "CNY", "4.92", date(2020, 1, 1)),
            ExchangeRate("SGD", "CNY", "5.06", date(2020, 12, 8)),
        )
    )
    amount = Money("61000000", "SGD")
    assert table.convert(amount, "CNY", on=date(2020, 12, 7)) == Money("300120000.00", "CNY")
    assert table.convert(amount, "CNY", on=date(2020, 12, 8)) == Money("308660000.00", "CNY")


def test_direct_quote_wins_over_inverse_of_same_date() -> None:
    """On one date, SGD->CNY beats the inverse of CNY->SGD."""
    table = RateTable((ExchangeRate("CNY", "SGD", "0.25", D), ExchangeRate("SGD", "CNY", "5", D)))
    assert table.convert(Money(1, "SGD"), "CNY", on=D) == Money("5.00", "CNY")


def test_same_currency_conversion_only_rounds() -> None:
    """Converting to the own currency needs no rate and rounds."""
    assert RateTable().convert(Money("1.005", "SGD"), "SGD", on=D) == Money("1.00", "SGD")


@given(
    table=sst.rate_tables(currencies=("SGD", "CNY"), min_size=1, max_size=6),
    on=sst.dates(),
)
def test_the_latest_rate_not_after_the_date_is_used(table: RateTable, on: date) -> None:
    """rate() picks the latest as_of <= on, direct quotes first, or raises if none applies."""
    usable = [r for r in table.rates if r.as_of <= on]
    if not usable:
        with pytest.raises(RateNotFoundError):
            table.rate("SGD", "CNY", on)
        return
    latest = max(r.as_of for r in usable)
    same_day = [r for r in usable if r.as_of == latest]
    direct = [r for r in same_day if (r.base, r.quote) == ("SGD", "CNY")]
    expected = direct[0].rate if direct else Decimal(1) / same_day[0].rate
    rate, record = table.rate("SGD", "CNY", on)
    assert rate == expected
    assert record.as_of == latest


@given(
    x=st.sampled_from(sorted(CURRENCY_MINOR_UNITS)).flatmap(
        lambda c: sst.money(currencies=(c,), min_amount=-(10**6), max_amount=10**6)
    ),
    to=st.sampled_from(sorted(CURRENCY_MINOR_UNITS)),
    rate=st.decimals("0.0001", "20000", places=4),
)
def test_convert_and_back_stays_within_the_stated_rounding(
    x: Money, to: str, rate: Decimal
) -> None:
    """|back - x| <= minor_unit(A)/2 + minor_unit(B)/(2*rate) for A -> B -> A."""
    assume(to != x.currency)
    table = RateTable((ExchangeRate(x.currency, to, rate, D),))
    there = table.convert(x, to, on=D)
    back = table.convert(there, x.currency, on=D)
    bound = minor_unit(x.currency) / 2 + minor_unit(to) / (2 * rate)
    assert abs(back.amount - x.amount) <= bound
