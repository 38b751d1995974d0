"""Tests of half-open date ranges, month arithmetic, months, durations and bounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgcq.models import (
    DateRange,
    Duration,
    DurationBounds,
    DurationUnit,
    ModelValidationError,
    MonthRounding,
    YearMonth,
    add_months,
    months_between,
)
from sgcq.testing import strategies as sst

Checker = Callable[..., ModelValidationError]

any_day = st.dates(date(1900, 1, 1), date(2200, 12, 31))
month_counts = st.integers(0, 240)


# --- add_months -----------------------------------------------------------------


def test_six_months_from_august_31_is_end_of_february() -> None:
    """The domain's example: 2023-08-31 + 6 months is 2024-02-29 (leap year), 2020 gives 28."""
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2020, 8, 31), 6) == date(2021, 2, 28)


def test_stepping_one_month_at_a_time_drifts_but_the_anchor_does_not() -> None:
    """Aug 31 -> Sep 30 -> Oct 30 by steps, but the anchor gives Oct 31."""
    anchor = date(2023, 8, 31)
    stepped = anchor
    for _ in range(2):
        stepped = add_months(stepped, 1)
    assert stepped == date(2023, 10, 30)
    assert add_months(anchor, 2) == date(2023, 10, 31)


@given(day=any_day, n=st.integers(1, 240))
def test_end_is_after_start(day: date, n: int) -> None:
    """Adding a positive number of months always moves forward."""
    assert add_months(day, n) > day


@given(day=any_day)
def test_six_months_span_181_to_184_days(day: date) -> None:
    """Six calendar months from any date are 181 to 184 days (so they exceed a 180-day limit)."""
    assert 181 <= (add_months(day, 6) - day).days <= 184


@given(a=any_day, b=any_day, n=st.integers(-120, 120))
def test_end_never_decreases_as_start_increases(a: date, b: date, n: int) -> None:
    """add_months is monotone in its anchor."""
    lo, hi = sorted((a, b))
    assert add_months(lo, n) <= add_months(hi, n)


@given(day=any_day, a=st.integers(0, 60), b=st.integers(0, 60))
def test_no_drift_the_anchor_result_is_the_reference(day: date, a: int, b: int) -> None:
    """Stepping a then b months never ends after a + b from the anchor; equal if day <= 28."""
    anchored = add_months(day, a + b)
    stepped = add_months(add_months(day, a), b)
    assert stepped <= anchored
    if day.day <= 28:
        assert stepped == anchored
    assert anchored.day == min(day.day, YearMonth.of(anchored).days())


@given(day=any_day, n=st.integers(-120, 120))
def test_add_months_clamps_to_the_month_end(day: date, n: int) -> None:
    """The result is in the target month, on the same day or the month's last day."""
    result = add_months(day, n)
    total = day.year * 12 + day.month - 1 + n
    year, month0 = divmod(total, 12)
    assert (result.year, result.month) == (year, month0 + 1)
    assert result.day == min(day.day, YearMonth.of(result).days())


# --- months_between --------------------------------------------------------------


@given(day=any_day, n=month_counts)
def test_months_between_inverts_add_months(day: date, n: int) -> None:
    """Whole months come back exactly under every rounding."""
    end = add_months(day, n)
    for rounding in MonthRounding:
        assert months_between(day, end, rounding) == n


@given(a=any_day, b=any_day)
def test_floor_le_ceil_and_exact_raises_on_remainders(a: date, b: date) -> None:
    """FLOOR <= CEIL <= FLOOR + 1; EXACT answers only when they agree, else raises."""
    start, end = sorted((a, b))
    floor = months_between(start, end, MonthRounding.FLOOR)
    ceil = months_between(start, end, MonthRounding.CEIL)
    assert floor <= ceil <= floor + 1
    assert add_months(start, floor) <= end
    assert add_months(start, floor + 1) > end
    if floor == ceil:
        assert months_between(start, end, MonthRounding.EXACT) == floor
    else:
        with pytest.raises(ValueError, match="not a whole number of months"):
            months_between(start, end, MonthRounding.EXACT)


def test_months_between_refuses_a_reversed_range() -> None:
    """An end before the start raises."""
    with pytest.raises(ValueError, match="before start"):
        months_between(date(2020, 2, 1), date(2020, 1, 1), MonthRounding.FLOOR)


def test_months_between_examples() -> None:
    """Clamped ends count as whole months; a started month counts only under CEIL."""
    assert months_between(date(2020, 8, 31), date(2021, 2, 28), MonthRounding.EXACT) == 6
    assert months_between(date(2020, 1, 15), date(2020, 3, 1), MonthRounding.FLOOR) == 1
    assert months_between(date(2020, 1, 15), date(2020, 3, 1), MonthRounding.CEIL) == 2


# --- DateRange ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("start", "2020-01-01"),
        ("start", datetime(2020, 1, 1)),
        ("end", None),
        ("end", date(2020, 1, 1)),  # empty
        ("end", date(2019, 12, 31)),  # before start
    ],
)
def test_date_range_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """A bad or non-increasing bound is refused at its field."""
    kwargs: dict[str, Any] = {"start": date(2020, 1, 1), "end": date(2020, 2, 1), field: bad}
    assert_invalid(lambda: DateRange(**kwargs), field)


@given(r=sst.date_ranges())
def test_date_range_is_half_open(r: DateRange) -> None:
    """start is in the range, end is not, last_day is, and days counts [start, end)."""
    assert r.start in r and r.end not in r and r.last_day in r
    assert r.days == (r.end - r.start).days >= 1


@given(a=sst.date_ranges(), b=sst.date_ranges())
def test_intersection_and_overlap_agree(a: DateRange, b: DateRange) -> None:
    """Ranges overlap exactly when they intersect; the intersection lies in both."""
    both = a.intersection(b)
    assert (both is not None) == a.overlaps(b) == b.overlaps(a)
    if both is not None:
        assert a.contains_range(both) and b.contains_range(both)


@given(r=sst.date_ranges(max_days=800))
def test_days_in_calendar_months_add_up(r: DateRange) -> None:
    """The days the range has in each month it touches sum to its length."""
    assert sum(r.days_in(m) for m in r.calendar_months()) == r.days


def test_consecutive_ranges_share_a_boundary() -> None:
    """[a, b) and [b, c) do not overlap and their lengths add."""
    a, b, c = date(2020, 1, 1), date(2020, 3, 1), date(2020, 4, 1)
    assert not DateRange(a, b).overlaps(DateRange(b, c))
    assert DateRange(a, b).days + DateRange(b, c).days == DateRange(a, c).days


def test_of_months_and_of_days_refuse_empty_ranges() -> None:
    """A range of zero months or days is refused."""
    with pytest.raises(ValueError):
        DateRange.of_months(date(2020, 1, 1), 0)
    with pytest.raises(ValueError):
        DateRange.of_days(date(2020, 1, 1), 0)
    assert DateRange.of_months(date(2020, 8, 31), 6).end == date(2021, 2, 28)


# --- YearMonth ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad"),
    [("month", 0), ("month", 13), ("month", "9"), ("year", 0), ("year", 10000), ("year", 2020.0)],
)
def test_year_month_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """A month outside 1..12 or a year outside 1..9999 is refused at its field."""
    kwargs: dict[str, Any] = {"year": 2020, "month": 9, field: bad}
    assert_invalid(lambda: YearMonth(**kwargs), field)


@given(ym=sst.year_months())
def test_year_month_parse_str_and_next(ym: YearMonth) -> None:
    """str and parse are inverse; next() is the following month and its range is the month."""
    assert YearMonth.parse(str(ym)) == ym
    assert ym.next() > ym
    assert ym.as_range().days == ym.days()
    assert ym.as_range().end == ym.next().first_day()


@pytest.mark.parametrize("text", ["2020-9", "2020/09", "20-09", "2020-13", ""])
def test_year_month_parse_refuses_malformed_text(text: str) -> None:
    """Only YYYY-MM with a real month parses."""
    with pytest.raises(ValueError):
        YearMonth.parse(text)


# --- Duration and DurationBounds ----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad"),
    [("value", 0), ("value", -1), ("value", True), ("value", 1.5), ("unit", "months")],
)
def test_duration_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """A non-positive or non-int value, or a unit given as text, is refused."""
    kwargs: dict[str, Any] = {"value": 3, "unit": DurationUnit.MONTHS, field: bad}
    assert_invalid(lambda: Duration(**kwargs), field)


def test_five_weeks_from_december_2() -> None:
    """The 2019 NUS cohort: five weeks from 2019-12-02 end on 2020-01-06 (exclusive)."""
    assert Duration(5, DurationUnit.WEEKS).end_from(date(2019, 12, 2)) == date(2020, 1, 6)
    assert str(Duration(1, DurationUnit.MONTHS)) == "1 month"


@pytest.mark.parametrize(
    ("minimum", "maximum"),
    [
        (Duration(6, DurationUnit.MONTHS), Duration(3, DurationUnit.MONTHS)),
        (Duration(1, DurationUnit.MONTHS), Duration(4, DurationUnit.WEEKS)),  # 31 > 28 days
        (Duration(8, DurationUnit.DAYS), Duration(1, DurationUnit.WEEKS)),
    ],
)
def test_duration_bounds_min_above_max_is_refused(
    minimum: Duration, maximum: Duration, assert_invalid: Checker
) -> None:
    """A maximum that can be shorter than the minimum is refused at 'maximum'."""
    assert_invalid(lambda: DurationBounds(minimum, maximum), "maximum", "shorter")


@pytest.mark.parametrize("field", ["minimum", "maximum"])
def test_duration_bounds_need_durations(field: str, assert_invalid: Checker) -> None:
    """Each bound must be a Duration."""
    kwargs: dict[str, Any] = {
        "minimum": Duration(1, DurationUnit.MONTHS),
        "maximum": Duration(2, DurationUnit.MONTHS),
        field: 3,
    }
    assert_invalid(lambda: DurationBounds(**kwargs), field)


@given(bounds=sst.duration_bounds(), start=sst.dates())
def test_bounds_admit_their_own_extremes(bounds: DurationBounds, start: date) -> None:
    """From any start, a stay of exactly the minimum and of the maximum is admitted."""
    shortest = bounds.minimum.range_from(start)
    longest = bounds.maximum.range_from(start)
    assert shortest.end <= longest.end
    assert bounds.admits(shortest) and bounds.admits(longest)
    assert not bounds.admits(DateRange(start, longest.end + timedelta(days=1)))
