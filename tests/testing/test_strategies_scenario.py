"""Tests of sgcq.testing.strategies._scenario: whole scenarios."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from sgcq.models import Mode, Scenario
from sgcq.testing import strategies as sst

LO, HI = date(2020, 1, 1), date(2020, 12, 31)


@given(
    s=sst.scenarios(
        max_universities=1,
        max_hosts=1,
        max_others=0,
        max_candidates=3,
        max_positions=2,
        currencies=("SGD",),
        modes={Mode.ON_SITE},
        min_date=LO,
        max_date=HI,
    )
)
def test_scenario_knobs(s: Scenario) -> None:
    """Scenario sizes, currencies, modes and dates follow the knobs; references resolve."""
    assert [o.id for o in s.organisations] == ["u0", "h0"]
    assert len(s.candidates) <= 3 and len(s.positions) <= 2 and not s.rates.rates
    assert all(c.modes == {Mode.ON_SITE} for c in s.candidates)
    assert all(p.mode is Mode.ON_SITE for p in s.positions)
    assert all(p.allowance is None or p.allowance.monthly.currency == "SGD" for p in s.positions)
    assert all(c.available.start >= LO and c.available.end <= HI for c in s.candidates)
    assert all(k.intake.start >= LO and k.intake.end <= HI for k in s.cohorts)
    for c in s.candidates:
        assert all(s.position(p) for p in c.preferences)


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.scenarios(max_universities=0),
        lambda: sst.scenarios(max_candidates=11),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()
