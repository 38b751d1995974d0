"""Strategies for the date types of :mod:`sgcq.models.dates`, plain dates and timestamps.

Dates fall in ``[MIN_DATE, MAX_DATE]`` unless asked otherwise and shrink
towards the lower bound; ranges are half-open ``[start, end)``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st

from sgcq.models import DateRange, Duration, DurationBounds, DurationUnit, YearMonth
from sgcq.testing.strategies._draws import in_order
from sgcq.testing.strategies._knobs import cached, check_dates, check_size, require

__all__ = [
    "MAX_DATE",
    "MIN_DATE",
    "TIMEZONES",
    "date_ranges",
    "dates",
    "duration_bounds",
    "durations",
    "timestamps",
    "year_months",
]

#: Default lower bound of drawn dates (the sources' programmes start in 2019).
MIN_DATE = date(2019, 1, 1)
#: Default upper bound of drawn dates.
MAX_DATE = date(2030, 12, 31)

#: Fixed-offset time zones timestamps are drawn in (UTC first, so it is what shrinks).
TIMEZONES: tuple[timezone, ...] = (
    timezone.utc,
    timezone(timedelta(hours=8)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=30)),
)


@cached
def dates(min_date: date = MIN_DATE, max_date: date = MAX_DATE) -> st.SearchStrategy[date]:
    """Dates within ``[min_date, max_date]`` (both included).

    Parameters
    ----------
    min_date, max_date
        Bounds; shrinking moves towards ``min_date``.
    """
    check_dates(min_date, max_date)
    return st.dates(min_date, max_date)


@cached
@st.composite
def _date_ranges(
    draw: st.DrawFn, min_date: date, max_date: date, min_days: int, max_days: int
) -> DateRange:
    latest_start = max_date - timedelta(days=min_days)
    start = draw(st.dates(min_date, latest_start))
    longest = min(max_days, (max_date - start).days)
    return DateRange(start, start + timedelta(days=draw(st.integers(min_days, longest))))


@cached
def date_ranges(
    *,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    min_days: int = 1,
    max_days: int = 400,
) -> st.SearchStrategy[DateRange]:
    """Half-open ranges ``[start, end)`` with ``min_date <= start < end <= max_date``.

    Parameters
    ----------
    min_date, max_date
        Bounds of ``start`` and ``end``.
    min_days, max_days
        Bounds on the range's length in days.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(date_ranges(min_days=7, max_days=7))
    ... def test_a_week(r):
    ...     assert r.days == 7
    >>> test_a_week()
    """
    require(min_days >= 1, f"min_days must be at least 1, got {min_days}")
    check_size("days", min_days, max_days)
    check_dates(min_date, max_date, room=min_days)
    return _date_ranges(min_date, max_date, min_days, max_days)


@cached
def year_months(
    min_year: int = MIN_DATE.year, max_year: int = MAX_DATE.year
) -> st.SearchStrategy[YearMonth]:
    """Calendar months of the years ``min_year`` to ``max_year``.

    Parameters
    ----------
    min_year, max_year
        Bounds, within 1..9999.
    """
    require(1 <= min_year <= max_year <= 9999, f"bad years {min_year}..{max_year}")
    return st.builds(YearMonth, st.integers(min_year, max_year), st.integers(1, 12))


@cached
def durations(
    *, units: Collection[DurationUnit] = tuple(DurationUnit), max_value: int = 12
) -> st.SearchStrategy[Duration]:
    """Durations in the given units, ``1..max_value`` of them.

    Parameters
    ----------
    units
        Units to draw from.
    max_value
        Largest count.
    """
    require(bool(units), "give at least one unit")
    require(max_value >= 1, f"max_value must be at least 1, got {max_value}")
    return st.builds(
        Duration, st.integers(1, max_value), st.sampled_from(in_order(DurationUnit, units))
    )


_DAYS_LOW = {DurationUnit.DAYS: 1, DurationUnit.WEEKS: 7, DurationUnit.MONTHS: 28}
_DAYS_HIGH = {DurationUnit.DAYS: 1, DurationUnit.WEEKS: 7, DurationUnit.MONTHS: 31}


@cached
@st.composite
def _duration_bounds(
    draw: st.DrawFn, units: tuple[DurationUnit, ...], max_value: int, fixed: bool | None
) -> DurationBounds:
    minimum = draw(durations(units=units, max_value=max_value))
    if fixed or (fixed is None and draw(st.booleans())):
        return DurationBounds.fixed(minimum)
    unit = draw(st.sampled_from(units))
    if unit is minimum.unit:
        return DurationBounds(minimum, Duration(draw(st.integers(minimum.value, max_value)), unit))
    # Across units the maximum must be longer from every start date.
    least = -(-(_DAYS_HIGH[minimum.unit] * minimum.value) // _DAYS_LOW[unit])
    if least > max_value:
        return DurationBounds.fixed(minimum)
    return DurationBounds(minimum, Duration(draw(st.integers(least, max_value)), unit))


@cached
def duration_bounds(
    *,
    units: Collection[DurationUnit] = tuple(DurationUnit),
    max_value: int = 12,
    fixed: bool | None = None,
) -> st.SearchStrategy[DurationBounds]:
    """Draw valid bounds: the maximum is never shorter than the minimum, from any start.

    Parameters
    ----------
    units
        Units of the two durations (mixed units are drawn when more than one).
    max_value
        Largest count in either duration.
    fixed
        ``True`` for ``minimum == maximum`` only, ``False`` never forces it,
        ``None`` draws both kinds.
    """
    require(bool(units), "give at least one unit")
    require(max_value >= 1, f"max_value must be at least 1, got {max_value}")
    return _duration_bounds(in_order(DurationUnit, units), max_value, fixed)


@cached
def timestamps(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[datetime]:
    """Time-zone aware timestamps (whole minutes) on days in ``[min_date, max_date]``.

    Parameters
    ----------
    min_date, max_date
        The days the local time falls on.
    """
    check_dates(min_date, max_date)
    return st.builds(
        lambda d, minute, tz: (
            datetime(d.year, d.month, d.day, tzinfo=tz) + timedelta(minutes=minute)
        ),
        st.dates(min_date, max_date),
        st.integers(0, 24 * 60 - 1),
        st.sampled_from(TIMEZONES),
    )
