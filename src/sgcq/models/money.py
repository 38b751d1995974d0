"""Money with its currency, and conversion through explicit dated rates.

The sources quote the same sums in two currencies at rates that disagree
(S$61m = RMB300m implies 4.92 CNY per SGD; S$1.7m = RMB8.6m implies 5.06;
source: NTU press release, 8 Dec 2020), so sgcq never converts implicitly: a
conversion names a :class:`RateTable` and a date. See
``docs/decisions/0003-money-and-currencies.md``.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from enum import Enum
from typing import Any

import attrs

from sgcq.models import _validate as v
from sgcq.models.errors import CurrencyMismatchError, RateNotFoundError
from sgcq.models.limits import MAX_AMOUNT, MAX_RATE, MIN_RATE

__all__ = [
    "CURRENCY_MINOR_UNITS",
    "ExchangeRate",
    "Money",
    "RateTable",
    "Rounding",
    "minor_unit",
]

#: ISO 4217 codes sgcq accepts, with the number of digits of their minor unit.
#: The list covers the currencies of the programmes' countries (Singapore,
#: China, ASEAN, Australia) and the major reserve currencies.
CURRENCY_MINOR_UNITS: dict[str, int] = {
    "AUD": 2, "BND": 2, "CAD": 2, "CHF": 2, "CNY": 2, "EUR": 2, "GBP": 2,
    "HKD": 2, "IDR": 2, "INR": 2, "JPY": 0, "KHR": 2, "KRW": 0, "LAK": 2,
    "MMK": 2, "MOP": 2, "MYR": 2, "NZD": 2, "PHP": 2, "SGD": 2, "THB": 2,
    "TWD": 2, "USD": 2, "VND": 0,
}  # fmt: skip


class Rounding(str, Enum):
    """How a Decimal is rounded to a currency's minor unit.

    The names follow :mod:`decimal`; ``HALF_EVEN`` (banker's rounding) is the
    default everywhere a rounding is not chosen by the caller.
    """

    HALF_EVEN = decimal.ROUND_HALF_EVEN
    HALF_UP = decimal.ROUND_HALF_UP
    DOWN = decimal.ROUND_DOWN
    UP = decimal.ROUND_UP
    FLOOR = decimal.ROUND_FLOOR
    CEILING = decimal.ROUND_CEILING


def minor_unit(currency: str) -> Decimal:
    """Return the smallest unit of ``currency`` as a Decimal, e.g. ``0.01`` for SGD.

    Parameters
    ----------
    currency
        An ISO 4217 code known to sgcq.

    Returns
    -------
    Decimal
        ``10 ** -digits``.

    Examples
    --------
    >>> minor_unit("SGD")
    Decimal('0.01')
    >>> minor_unit("JPY")
    Decimal('1')
    """
    return Decimal(1).scaleb(-CURRENCY_MINOR_UNITS[currency])


def _currency(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        v.fail(attribute.name, f"expected an ISO 4217 code, got {type(value).__name__}")
    if value not in CURRENCY_MINOR_UNITS:
        v.fail(
            attribute.name,
            f"unknown currency {value!r}; known: {', '.join(sorted(CURRENCY_MINOR_UNITS))}",
        )


def _bounded_amount(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # copy_abs() neither rounds nor overflows, as abs() does for huge exponents.
    if isinstance(value, Decimal) and value.is_finite() and value.copy_abs() > MAX_AMOUNT:
        v.fail(attribute.name, f"must be at most {MAX_AMOUNT:,.0f} in size (sgcq.models.limits)")


@attrs.frozen(order=False)
class Money:
    """An amount of one currency.

    Parameters
    ----------
    amount
        A :class:`~decimal.Decimal` (``int`` and ``str`` are converted; ``float``
        is refused because it cannot hold most decimal fractions exactly).
    currency
        An ISO 4217 code such as ``"SGD"`` or ``"CNY"``.

    Notes
    -----
    The amount's size is at most :data:`~sgcq.models.limits.MAX_AMOUNT`
    (10^15), so that sums and conversions stay exact. Addition, subtraction
    and comparison work only within one currency and raise
    :class:`~sgcq.models.errors.CurrencyMismatchError` otherwise.
    Multiplication and division by a number keep full Decimal precision; call
    :meth:`rounded` to round to the currency's minor unit.

    Examples
    --------
    >>> Money("1500", "SGD") + Money("250.50", "SGD")
    Money(amount=Decimal('1750.50'), currency='SGD')
    >>> str(Money("1500", "SGD"))
    'SGD 1,500.00'
    """

    amount: Decimal = attrs.field(
        converter=v.to_decimal,
        validator=[v.instance_of(Decimal), v.finite_decimal, _bounded_amount],
    )
    currency: str = attrs.field(validator=_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero of ``currency``."""
        return cls(Decimal(0), currency)

    def _same(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {op} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot {op} {self.currency} and {other.currency} without an exchange "
                "rate; convert one side with RateTable.convert first"
            )
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other, "add").amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other, "subtract").amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, Money):
            raise TypeError("cannot multiply Money by Money")
        if isinstance(factor, float):
            raise TypeError("multiply Money by a Decimal or int, not a float")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        if isinstance(divisor, (Money, float)):
            raise TypeError("divide Money by a Decimal or int")
        return Money(self.amount / divisor, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount

    def rounded(self, rounding: Rounding = Rounding.HALF_EVEN) -> Money:
        """Round to the currency's minor unit.

        Parameters
        ----------
        rounding
            The rounding mode; banker's rounding by default.

        Returns
        -------
        Money
            The rounded amount, e.g. ``SGD 10.005`` -> ``SGD 10.00`` (half-even).
        """
        return Money(
            self.amount.quantize(minor_unit(self.currency), rounding=rounding.value),
            self.currency,
        )

    @staticmethod
    def total(items: Iterable[Money], currency: str) -> Money:
        """Sum ``items``, all of which must be in ``currency``.

        An explicit currency makes the sum of no items well defined.
        """
        result = Money.zero(currency)
        for item in items:
            result = result + item
        return result

    def __str__(self) -> str:
        digits = CURRENCY_MINOR_UNITS[self.currency]
        if self.amount.adjusted() >= 60:
            # No real amount has 60 digits: show it as it is written (1E+90000000000)
            # rather than building all of them.
            return f"{self.currency} {self.amount}"
        # Enough precision for every digit: the default 28 refuse 1E30 in cents.
        context = decimal.Context(prec=max(28, self.amount.adjusted() + digits + 2))
        q = self.amount.quantize(
            Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN, context=context
        )
        return f"{self.currency} {q:,.{digits}f}"


def _bounded_rate(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, Decimal) and value.is_finite() and not MIN_RATE <= value <= MAX_RATE:
        v.fail(attribute.name, f"must be from {MIN_RATE} to {MAX_RATE:,} (sgcq.models.limits)")


@attrs.frozen
class ExchangeRate:
    """One dated exchange rate: ``1 base = rate quote``, in force from ``as_of``.

    Parameters
    ----------
    base, quote
        ISO 4217 codes; they must differ.
    rate
        Units of ``quote`` per unit of ``base``; positive.
    as_of
        The first day on which the rate applies.
    source
        Where the rate comes from (a citation, or "illustrative").

    Examples
    --------
    >>> from datetime import date
    >>> ExchangeRate("SGD", "CNY", "4.92", date(2020, 12, 8), "NTU release, 8 Dec 2020")
    ExchangeRate(base='SGD', quote='CNY', rate=Decimal('4.92'), ...)
    """

    base: str = attrs.field(validator=_currency)
    quote: str = attrs.field(validator=_currency)
    rate: Decimal = attrs.field(
        converter=v.to_decimal,
        validator=[v.instance_of(Decimal), v.finite_decimal, v.positive, _bounded_rate],
    )
    as_of: date = attrs.field(validator=v.instance_of(date))
    source: str = attrs.field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        v.check(self.base != self.quote, "quote", f"must differ from base {self.base}")

    def __repr__(self) -> str:
        return (
            f"ExchangeRate(base={self.base!r}, quote={self.quote!r}, rate={self.rate!r}, "
            f"as_of={self.as_of!r}, source={self.source!r})"
        )


@attrs.frozen
class RateTable:
    """A set of dated exchange rates, used for every currency conversion.

    A conversion on date ``d`` uses the rate of the pair with the latest
    ``as_of`` not after ``d``; a rate given only as ``B -> Q`` is also used
    inverted for ``Q -> B``, and a direct quote wins over an inverted one of
    the same date. Results are rounded to the target's minor unit with the
    stated :class:`Rounding` (half-even unless chosen).

    Parameters
    ----------
    rates
        The rates; two rates for the same pair on the same date are refused.

    Examples
    --------
    >>> from datetime import date
    >>> table = RateTable((ExchangeRate("SGD", "CNY", "5", date(2020, 1, 1)),))
    >>> table.convert(Money("10", "SGD"), "CNY", on=date(2020, 6, 1))
    Money(amount=Decimal('50.00'), currency='CNY')
    """

    rates: tuple[ExchangeRate, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(ExchangeRate)
    )

    def __attrs_post_init__(self) -> None:
        seen: dict[tuple[str, str, date], int] = {}
        for i, r in enumerate(self.rates):
            key = (r.base, r.quote, r.as_of)
            if key in seen:
                v.fail(
                    f"rates[{i}]",
                    f"second {r.base}->{r.quote} rate for {r.as_of} (first at rates[{seen[key]}])",
                )
            seen[key] = i

    def rate(self, base: str, quote: str, on: date) -> tuple[Decimal, ExchangeRate]:
        """Return the rate that converts ``base`` to ``quote`` on ``on`` and its record.

        Raises
        ------
        RateNotFoundError
            If no rate of the pair (either way round) is in force on ``on``.
        """
        best: tuple[date, int, Decimal, ExchangeRate] | None = None
        for r in self.rates:
            if r.as_of > on:
                continue
            if (r.base, r.quote) == (base, quote):
                cand = (r.as_of, 1, r.rate, r)
            elif (r.base, r.quote) == (quote, base):
                cand = (r.as_of, 0, Decimal(1) / r.rate, r)
            else:
                continue
            if best is None or cand[:2] > best[:2]:
                best = cand
        if best is None:
            raise RateNotFoundError(f"no {base}->{quote} rate in force on {on.isoformat()}")
        return best[2], best[3]

    def convert(
        self,
        money: Money,
        to: str,
        *,
        on: date,
        rounding: Rounding = Rounding.HALF_EVEN,
    ) -> Money:
        """Convert ``money`` into currency ``to`` at the rate in force ``on``.

        Parameters
        ----------
        money
            The amount to convert.
        to
            Target ISO 4217 code. Converting to the same currency only rounds.
        on
            The date whose rate applies.
        rounding
            Rounding to the target's minor unit.

        Returns
        -------
        Money
            The converted, rounded amount.

        Raises
        ------
        RateNotFoundError
            If no rate applies.
        """
        if money.currency == to:
            return money.rounded(rounding)
        rate, _ = self.rate(money.currency, to, on)
        return Money(money.amount * rate, to).rounded(rounding)
