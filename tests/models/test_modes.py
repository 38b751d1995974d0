"""Tests of Mode and HybridSplit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

from sgcq.models import DateRange, HybridSplit, ModelValidationError, Phase
from sgcq.testing import strategies as sst

Checker = Callable[..., ModelValidationError]


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("on_site_share", Decimal(0)),
        ("on_site_share", Decimal(1)),
        ("on_site_share", Decimal("1.5")),
        ("on_site_share", 0.5),
        ("on_site_phase", "first"),
    ],
)
def test_hybrid_split_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """A share outside (0, 1), a float share or a phase given as text is refused."""
    kwargs: dict[str, Any] = {"on_site_share": Decimal("0.5"), field: bad}
    assert_invalid(lambda: HybridSplit(**kwargs), field)


def test_hybrid_split_halves_a_month() -> None:
    """Half of 30 days on site first is the first 15 days; LAST takes the final ones."""
    stay = DateRange(date(2021, 1, 1), date(2021, 1, 31))
    assert HybridSplit(Decimal("0.5")).on_site_part(stay) == DateRange(
        date(2021, 1, 1), date(2021, 1, 16)
    )
    assert HybridSplit("0.5", Phase.LAST).on_site_part(stay).end == stay.end


@given(split=sst.hybrid_splits(), stay=sst.date_ranges(min_days=2))
def test_both_parts_of_a_hybrid_stay_are_non_empty(split: HybridSplit, stay: DateRange) -> None:
    """The on-site part lies in the stay at the chosen end and leaves at least one remote day."""
    part = split.on_site_part(stay)
    assert stay.contains_range(part)
    assert 1 <= part.days <= stay.days - 1
    assert (
        (part.start == stay.start) if split.on_site_phase is Phase.FIRST else (part.end == stay.end)
    )
