"""Tests of sgcq.testing.strategies._cohorts: cohorts, quotas and beds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from sgcq.models import Cohort, QuotaDimension
from sgcq.testing import strategies as sst


@given(cohort=sst.cohorts(programme_ids=["prog3"], university_ids=["u0"], field_tags=["ai"]))
def test_cohort_knobs(cohort: Cohort) -> None:
    """Cohorts name the programme and the quota keys asked for."""
    assert cohort.programme == "prog3"
    for q in cohort.quotas:
        assert q.key == ("u0" if q.dimension is QuotaDimension.UNIVERSITY else "ai")


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.cohorts(programme_ids=()),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()
