"""Tests of Cohort, Quota, Count, Share and MonthlyBeds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

from sgcq.models import (
    Cohort,
    Count,
    DateRange,
    ModelValidationError,
    Money,
    MonthlyBeds,
    Quota,
    QuotaDimension,
    Share,
    YearMonth,
)
from sgcq.testing import strategies as sst

Checker = Callable[..., ModelValidationError]

INTAKE = DateRange(date(2020, 7, 1), date(2021, 1, 1))
U = QuotaDimension.UNIVERSITY


@pytest.mark.parametrize(
    ("field", "bad", "path"),
    [
        ("id", "", "id"),
        ("programme", "a b", "programme"),
        ("intake", None, "intake"),
        ("target_size", 0, "target_size"),
        ("min_size", -1, "min_size"),
        ("max_size", -1, "max_size"),
        ("max_size", 1.0, "max_size"),
        ("quotas", ("nus",), "quotas[0]"),
        ("beds", (40,), "beds[0]"),
        ("allowance_budget", Decimal(1000), "allowance_budget"),
        ("allowance_budget", Money(-1, "SGD"), "allowance_budget"),
    ],
)
def test_cohort_invalid_field(field: str, bad: Any, path: str, assert_invalid: Checker) -> None:
    """Each bad field of a Cohort is refused with its path."""
    kwargs: dict[str, Any] = {"id": "k0", "programme": "prog0", "intake": INTAKE, field: bad}
    assert_invalid(lambda: Cohort(**kwargs), path)


def test_min_size_above_max_size_is_refused(assert_invalid: Checker) -> None:
    """min_size > max_size is refused at max_size."""
    assert_invalid(lambda: Cohort("k0", "g", INTAKE, min_size=5, max_size=4), "max_size")


def test_a_month_listed_twice_in_beds_is_refused(assert_invalid: Checker) -> None:
    """Two bed counts for one month are refused, naming the second (after sorting)."""
    ym = YearMonth(2020, 9)
    beds = (MonthlyBeds(ym, 1), MonthlyBeds(YearMonth(2020, 8), 3), MonthlyBeds(ym, 2))
    assert_invalid(lambda: Cohort("k0", "g", INTAKE, beds=beds), "beds[2].month")


def test_a_second_quota_for_one_key_is_refused(assert_invalid: Checker) -> None:
    """Two university quotas for 'nus' are refused, naming the second."""
    q = Quota(U, "nus", maximum=Count(5))
    assert_invalid(lambda: Cohort("k0", "g", INTAKE, quotas=(q, q)), "quotas[1]")


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({}, "maximum"),
        ({"minimum": Count(5), "maximum": Count(4)}, "maximum"),
        ({"minimum": Share("0.6"), "maximum": Share("0.5")}, "maximum"),
        ({"minimum": 5}, "minimum"),
        ({"maximum": Decimal("0.4")}, "maximum"),
    ],
)
def test_quota_invalid(kwargs: dict[str, Any], path: str, assert_invalid: Checker) -> None:
    """A quota needs a bound; the minimum may not exceed a maximum of the same kind."""
    assert_invalid(lambda: Quota(U, "nus", **kwargs), path)


@pytest.mark.parametrize(
    ("cls", "bad", "path"),
    [
        (Count, -1, "value"),
        (Count, 1.0, "value"),
        (Share, Decimal("1.01"), "value"),
        (Share, Decimal("-0.01"), "value"),
        (Share, 0.5, "value"),
    ],
)
def test_quota_limits_invalid(cls: type, bad: Any, path: str, assert_invalid: Checker) -> None:
    """Counts are non-negative ints, shares Decimals in [0, 1]."""
    assert_invalid(lambda: cls(bad), path)


def test_monthly_beds_invalid(assert_invalid: Checker) -> None:
    """Beds need a YearMonth and a non-negative count."""
    assert_invalid(lambda: MonthlyBeds("2020-09", 1), "month")  # type: ignore[arg-type]
    assert_invalid(lambda: MonthlyBeds(YearMonth(2020, 9), -1), "beds")


def test_beds_are_sorted_and_looked_up_by_month() -> None:
    """Beds are kept in month order; an unlisted month has no limit."""
    c = Cohort(
        "k0",
        "g",
        INTAKE,
        beds=(MonthlyBeds(YearMonth(2020, 10), 2), MonthlyBeds(YearMonth(2020, 9), 40)),
    )
    assert [b.month for b in c.beds] == [YearMonth(2020, 9), YearMonth(2020, 10)]
    assert c.beds_in(YearMonth(2020, 9)) == 40 and c.beds_in(YearMonth(2021, 1)) is None


def test_share_resolves_against_the_placed_count() -> None:
    """40% of 50 placed is 20; a count ignores the placed count."""
    assert Share("0.4").resolve(50) == 20 and Count(7).resolve(50) == 7
    assert str(Share("0.4")) == "40%"


@given(c=sst.cohorts(programme_ids=["prog0"], university_ids=["u0", "u1"]))
def test_generated_cohorts_have_ordered_sizes(c: Cohort) -> None:
    """min_size <= max_size whenever both are set; quotas name the given keys."""
    if c.min_size is not None and c.max_size is not None:
        assert c.min_size <= c.max_size
    for q in c.quotas:
        assert q.key in {"u0", "u1"} if q.dimension is U else q.key in sst.FIELD_TAGS
