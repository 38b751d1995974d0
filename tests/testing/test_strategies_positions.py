"""Tests of sgcq.testing.strategies._positions: positions, start rules and allowances."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from sgcq.models import Mode, Position, StartDates
from sgcq.testing import strategies as sst

LO, HI = date(2020, 1, 1), date(2020, 12, 31)


@given(
    p=sst.positions(
        host_ids=["h3"],
        candidate_ids=["c5"],
        programme_ids=["prog1"],
        payer_ids=["o2"],
        modes={Mode.HYBRID, Mode.REMOTE},
        currencies=("CNY",),
        max_seats=2,
        min_date=LO,
        max_date=HI,
    )
)
def test_position_knobs(p: Position) -> None:
    """Positions keep to the ids, modes, currency, seats and dates asked for."""
    assert (
        p.host == "h3" and p.programme in (None, "prog1") and p.mode in {Mode.HYBRID, Mode.REMOTE}
    )
    assert p.candidate_preferences is None or set(p.candidate_preferences) <= {"c5"}
    assert p.allowance is None or (
        p.allowance.payer == "o2" and p.allowance.monthly.currency == "CNY"
    )
    assert 1 <= p.seats <= 2 and (p.hybrid is not None) == (p.mode is Mode.HYBRID)
    assert not (p.housing_cover and p.mode is Mode.REMOTE)
    days = p.starts.dates if isinstance(p.starts, StartDates) else (p.starts.window.start,)
    assert all(LO <= d <= HI for d in days)


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.positions(modes=()),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()
