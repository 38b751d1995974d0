"""Tests of sgcq.testing.strategies._preferences: rankings."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from sgcq.models import Ranking
from sgcq.testing import strategies as sst


@given(r=sst.rankings(["p0", "p1", "p2", "p3"], min_size=2, max_size=3, max_ties=1))
def test_ranking_knobs(r: Ranking) -> None:
    """Rankings rank only the given ids, within the size bounds, strictly when max_ties=1."""
    assert set(r) <= {"p0", "p1", "p2", "p3"} and 2 <= len(r) <= 3
    assert not r.has_ties


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.rankings(["a", "a"]),
        lambda: sst.rankings(["a"], max_ties=0),
        lambda: sst.rankings(["a"], min_size=2),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()
