"""Half-open date ranges and month arithmetic that refuses ambiguity.

Two decisions rule this module (``docs/decisions/0001-half-open-date-ranges.md``
and ``0002-month-arithmetic.md``):

* every range is half-open, ``[start, end)``: ``end`` is the first day *not*
  included, so consecutive ranges share a boundary and lengths subtract;
* months are always added to the original anchor date, clamping to the last
  day of a shorter month (``2023-08-31 + 6 months = 2024-02-29``), never step
  by step (which drifts: Aug 31 -> Sep 30 -> Oct 30 ...). Counting the months
  of a range that is not whole months needs an explicit :class:`MonthRounding`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, timedelta
from enum import Enum

import attrs
from dateutil.relativedelta import relativedelta

from sgcq.models import _validate as v
from sgcq.models.limits import MAX_DURATION_DAYS, MAX_DURATION_MONTHS, MAX_DURATION_WEEKS

__all__ = [
    "DateRange",
    "Duration",
    "DurationBounds",
    "DurationUnit",
    "MonthRounding",
    "YearMonth",
    "add_months",
    "months_between",
]


def add_months(anchor: date, months: int) -> date:
    """Add ``months`` calendar months to ``anchor``, clamping to the month's end.

    Parameters
    ----------
    anchor
        The date to count from. Always pass the original anchor, never a date
        that was itself the result of adding months.
    months
        May be negative.

    Returns
    -------
    date
        The same day of the target month, or its last day if it is shorter.

    Examples
    --------
    >>> from datetime import date
    >>> add_months(date(2023, 8, 31), 6)
    datetime.date(2024, 2, 29)
    >>> add_months(date(2020, 8, 31), 6)
    datetime.date(2021, 2, 28)
    """
    result: date = anchor + relativedelta(months=months)
    return result


class MonthRounding(str, Enum):
    """How a span that is not a whole number of months is counted in months.

    ``FLOOR`` counts whole months only, ``CEIL`` counts a started month as a
    month, and ``EXACT`` raises unless the span is whole months.
    """

    FLOOR = "floor"
    CEIL = "ceil"
    EXACT = "exact"


def months_between(start: date, end: date, rounding: MonthRounding) -> int:
    """Count the months from ``start`` to ``end`` (``end`` excluded).

    Whole months are counted from the anchor ``start``: ``k`` months fit when
    ``add_months(start, k) <= end``.

    Parameters
    ----------
    start, end
        ``start <= end``.
    rounding
        What to do with a remainder of days.

    Returns
    -------
    int
        The number of months.

    Raises
    ------
    ValueError
        If ``end < start``, or if ``rounding`` is ``EXACT`` and there is a remainder.

    Examples
    --------
    >>> from datetime import date
    >>> months_between(date(2020, 8, 31), date(2021, 2, 28), MonthRounding.EXACT)
    6
    >>> months_between(date(2020, 1, 15), date(2020, 3, 1), MonthRounding.CEIL)
    2
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    k = (end.year - start.year) * 12 + (end.month - start.month)
    # Estimate from the calendar, then correct against the anchor.
    while k > 0 and add_months(start, k) > end:
        k -= 1
    while add_months(start, k + 1) <= end:
        k += 1
    exact = add_months(start, k) == end
    if exact or rounding is MonthRounding.FLOOR:
        return k
    if rounding is MonthRounding.CEIL:
        return k + 1
    raise ValueError(
        f"[{start}, {end}) is not a whole number of months; choose MonthRounding.FLOOR or CEIL"
    )


_YM = re.compile(r"^(\d{4})-(\d{2})$")


@attrs.frozen(order=True)
class YearMonth:
    """A calendar month, e.g. September 2020; written ``"2020-09"``.

    Examples
    --------
    >>> YearMonth(2020, 9).next()
    YearMonth(year=2020, month=10)
    >>> str(YearMonth.parse("2020-12").next())
    '2021-01'
    """

    year: int = attrs.field(validator=v.instance_of(int))
    month: int = attrs.field(validator=v.instance_of(int))

    def __attrs_post_init__(self) -> None:
        v.check(1 <= self.month <= 12, "month", f"must be 1..12, got {self.month}")
        v.check(1 <= self.year <= 9999, "year", f"must be 1..9999, got {self.year}")

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """Parse ``"YYYY-MM"``."""
        m = _YM.match(text)
        if not m:
            raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> YearMonth:
        """Return the month that contains ``day``."""
        return cls(day.year, day.month)

    def first_day(self) -> date:
        """Return the first day of the month."""
        return date(self.year, self.month, 1)

    def days(self) -> int:
        """Return the number of days in the month."""
        return calendar.monthrange(self.year, self.month)[1]

    def as_range(self) -> DateRange:
        """Return the month as the range ``[first day, first day of next month)``."""
        return DateRange(self.first_day(), self.next().first_day())

    def next(self) -> YearMonth:
        """Return the following month."""
        return YearMonth(self.year + self.month // 12, self.month % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@attrs.frozen(order=True)
class DateRange:
    """A half-open range of days ``[start, end)``; ``end`` is not included.

    Parameters
    ----------
    start
        The first day in the range.
    end
        The first day after the range; must be after ``start`` (ranges are
        never empty).

    Examples
    --------
    >>> from datetime import date
    >>> r = DateRange.of_months(date(2020, 8, 31), 6)
    >>> r
    DateRange(start=datetime.date(2020, 8, 31), end=datetime.date(2021, 2, 28))
    >>> r.days, r.months(MonthRounding.EXACT)
    (181, 6)
    >>> date(2021, 2, 28) in r
    False
    """

    start: date = attrs.field(validator=v.instance_of(date))
    end: date = attrs.field(validator=v.instance_of(date))

    def __attrs_post_init__(self) -> None:
        v.check(
            self.end > self.start,
            "end",
            f"must be after start {self.start.isoformat()} (ranges are half-open "
            f"[start, end) and never empty), got {self.end.isoformat()}",
        )

    @classmethod
    def of_months(cls, start: date, months: int) -> DateRange:
        """Return ``[start, start + months)`` with anchor month arithmetic."""
        if months < 1:
            raise ValueError(f"months must be at least 1, got {months}")
        return cls(start, add_months(start, months))

    @classmethod
    def of_days(cls, start: date, days: int) -> DateRange:
        """Return ``[start, start + days)``."""
        if days < 1:
            raise ValueError(f"days must be at least 1, got {days}")
        return cls(start, start + timedelta(days=days))

    @property
    def days(self) -> int:
        """Number of days in the range."""
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        """The last day included (``end - 1 day``)."""
        return self.end - timedelta(days=1)

    def months(self, rounding: MonthRounding) -> int:
        """Length in months counted from ``start``; see :func:`months_between`."""
        return months_between(self.start, self.end, rounding)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    def contains_range(self, other: DateRange) -> bool:
        """Return whether ``other`` lies wholly inside this range."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: DateRange) -> bool:
        """Return whether the two ranges share at least one day."""
        return self.start < other.end and other.start < self.end

    def intersection(self, other: DateRange) -> DateRange | None:
        """Return the days both ranges share, or ``None``."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return DateRange(start, end) if start < end else None

    def calendar_months(self) -> Iterator[YearMonth]:
        """Yield every calendar month that the range touches, in order."""
        ym = YearMonth.of(self.start)
        last = YearMonth.of(self.last_day)
        while ym <= last:
            yield ym
            ym = ym.next()

    def days_in(self, month: YearMonth) -> int:
        """Return how many days of ``month`` the range covers."""
        part = self.intersection(month.as_range())
        return part.days if part else 0

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"


class DurationUnit(str, Enum):
    """The unit of a :class:`Duration`."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


@attrs.frozen
class Duration:
    """A length of time in days, weeks or calendar months.

    A month is not a fixed number of days, so a duration becomes a date range
    only from an anchor: :meth:`end_from`.

    Examples
    --------
    >>> from datetime import date
    >>> Duration(5, DurationUnit.WEEKS).end_from(date(2019, 12, 2))
    datetime.date(2020, 1, 6)
    >>> str(Duration(6, DurationUnit.MONTHS))
    '6 months'
    """

    value: int = attrs.field(validator=[v.instance_of(int), v.positive])
    unit: DurationUnit = attrs.field(validator=v.instance_of(DurationUnit))

    def __attrs_post_init__(self) -> None:
        most = {
            DurationUnit.MONTHS: MAX_DURATION_MONTHS,
            DurationUnit.WEEKS: MAX_DURATION_WEEKS,
            DurationUnit.DAYS: MAX_DURATION_DAYS,
        }[self.unit]
        v.check(
            self.value <= most,
            "value",
            f"must be at most {most} {self.unit.value} (sgcq.models.limits), got {self.value}",
        )

    def end_from(self, start: date) -> date:
        """Return the exclusive end of a stay of this length starting on ``start``."""
        if self.unit is DurationUnit.MONTHS:
            return add_months(start, self.value)
        days = self.value * (7 if self.unit is DurationUnit.WEEKS else 1)
        return start + timedelta(days=days)

    def range_from(self, start: date) -> DateRange:
        """Return ``[start, end_from(start))``."""
        return DateRange(start, self.end_from(start))

    def __str__(self) -> str:
        unit = self.unit.value if self.value != 1 else self.unit.value[:-1]
        return f"{self.value} {unit}"


def _in_days_upper(d: Duration) -> int:
    # The longest a duration can be in days, for checking min <= max across units.
    return {DurationUnit.DAYS: 1, DurationUnit.WEEKS: 7, DurationUnit.MONTHS: 31}[d.unit] * d.value


def _in_days_lower(d: Duration) -> int:
    return {DurationUnit.DAYS: 1, DurationUnit.WEEKS: 7, DurationUnit.MONTHS: 28}[d.unit] * d.value


@attrs.frozen
class DurationBounds:
    """The shortest and longest allowed stay; ``minimum == maximum`` means fixed.

    Whether a stay fits is decided on dates from its own start, so bounds in
    months are exact whatever the month lengths.

    Parameters
    ----------
    minimum, maximum
        Durations; ``maximum`` may not be shorter than ``minimum`` from any start.

    Examples
    --------
    >>> from datetime import date
    >>> b = DurationBounds(Duration(3, DurationUnit.MONTHS), Duration(6, DurationUnit.MONTHS))
    >>> b.admits(DateRange(date(2020, 8, 31), date(2021, 2, 28)))
    True
    >>> b.admits(DateRange(date(2020, 8, 31), date(2021, 3, 1)))
    False
    """

    minimum: Duration = attrs.field(validator=v.instance_of(Duration))
    maximum: Duration = attrs.field(validator=v.instance_of(Duration))

    def __attrs_post_init__(self) -> None:
        if self.minimum.unit is self.maximum.unit:
            ok = self.minimum.value <= self.maximum.value
        else:
            ok = _in_days_upper(self.minimum) <= _in_days_lower(self.maximum)
        v.check(ok, "maximum", f"{self.maximum} is shorter than the minimum {self.minimum}")

    @classmethod
    def fixed(cls, duration: Duration) -> DurationBounds:
        """Return bounds that admit exactly ``duration``."""
        return cls(duration, duration)

    @property
    def is_fixed(self) -> bool:
        """Whether only one length is admitted."""
        return self.minimum == self.maximum

    def admits(self, stay: DateRange) -> bool:
        """Return whether ``stay`` is at least the minimum and at most the maximum."""
        return self.minimum.end_from(stay.start) <= stay.end <= self.maximum.end_from(stay.start)

    def __str__(self) -> str:
        if self.is_fixed:
            return str(self.minimum)
        return f"{self.minimum} to {self.maximum}"
