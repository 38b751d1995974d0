"""Allowance cost of a stay, pro-rated by calendar days.

A monthly allowance is paid in full for every whole calendar month of the
stay; a partial calendar month is paid ``days in the stay / days in that
month`` of the monthly amount (``docs/decisions/0004-allowance-pro-rating.md``).
The total is rounded once, at the end, to the currency's minor unit with
banker's rounding, so per-month rounding errors never accumulate.
"""

from __future__ import annotations

from decimal import Decimal

from sgcq.models import DateRange, Money, Rounding

__all__ = ["allowance_cost", "month_fractions"]


def month_fractions(stay: DateRange) -> dict[str, Decimal]:
    """Return, per calendar month ``"YYYY-MM"``, the share of it the stay covers.

    Examples
    --------
    >>> from datetime import date
    >>> month_fractions(DateRange(date(2020, 9, 16), date(2020, 11, 1)))
    {'2020-09': Decimal('0.5'), '2020-10': Decimal('1')}
    """
    out: dict[str, Decimal] = {}
    for ym in stay.calendar_months():
        days = stay.days_in(ym)
        out[str(ym)] = Decimal(1) if days == ym.days() else Decimal(days) / Decimal(ym.days())
    return out


def allowance_cost(
    monthly: Money, stay: DateRange, rounding: Rounding = Rounding.HALF_EVEN
) -> Money:
    """Return the allowance paid for ``stay`` at ``monthly`` per calendar month.

    Parameters
    ----------
    monthly
        The monthly amount.
    stay
        The half-open stay.
    rounding
        Applied once to the total.

    Returns
    -------
    Money
        The total in ``monthly``'s currency.

    Examples
    --------
    >>> from datetime import date
    >>> allowance_cost(Money("1000", "SGD"), DateRange(date(2020, 9, 16), date(2020, 11, 1)))
    Money(amount=Decimal('1500.00'), currency='SGD')
    """
    share = sum(month_fractions(stay).values(), Decimal(0))
    return Money(monthly.amount * share, monthly.currency).rounded(rounding)
