"""Tests of sgcq.testing.strategies._dates: dates, ranges, months, durations, timestamps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from sgcq.models import DateRange, DurationBounds, DurationUnit, YearMonth
from sgcq.testing import strategies as sst

LO, HI = date(2020, 1, 1), date(2020, 12, 31)


@given(d=sst.dates(LO, HI), r=sst.date_ranges(min_date=LO, max_date=HI, min_days=3, max_days=9))
def test_date_knobs(d: date, r: DateRange) -> None:
    """Dates and ranges stay within min_date/max_date, and ranges within their day bounds."""
    assert LO <= d <= HI
    assert r.start >= LO and r.end <= HI and 3 <= r.days <= 9


@given(ym=sst.year_months(2020, 2021), ts=sst.timestamps(min_date=LO, max_date=LO))
def test_year_month_and_timestamp_knobs(ym: YearMonth, ts: Any) -> None:
    """Months stay in the years asked for; timestamps are aware and on the asked day."""
    assert 2020 <= ym.year <= 2021
    assert ts.utcoffset() is not None and ts.date() == LO


@given(
    d=sst.durations(units={DurationUnit.WEEKS}, max_value=4),
    b=sst.duration_bounds(fixed=True),
    free=sst.duration_bounds(units={DurationUnit.DAYS, DurationUnit.MONTHS}, fixed=False),
)
def test_duration_knobs(d: Any, b: DurationBounds, free: DurationBounds) -> None:
    """Units and sizes follow the knobs; fixed=True gives equal bounds."""
    assert d.unit is DurationUnit.WEEKS and 1 <= d.value <= 4
    assert b.is_fixed
    assert {free.minimum.unit, free.maximum.unit} <= {DurationUnit.DAYS, DurationUnit.MONTHS}


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.dates(HI, LO),
        lambda: sst.date_ranges(min_date=LO, max_date=LO),
        lambda: sst.date_ranges(min_days=0),
        lambda: sst.durations(units=()),
        lambda: sst.year_months(2021, 2020),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()
