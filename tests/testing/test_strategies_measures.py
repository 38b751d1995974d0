"""Tests of sgcq.testing.strategies._measures: dated measures, alone and in scenarios."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from sgcq.models import Measure, Scenario
from sgcq.testing import strategies as sst

LO, HI = date(2021, 1, 1), date(2021, 12, 31)


@given(m=sst.measures(countries=("MY", "TH"), min_date=LO, max_date=HI))
def test_measure_knobs(m: Measure) -> None:
    """Measures are of a given country, close a mode and are in force within the bounds."""
    assert m.country in {"MY", "TH"} and m.closes
    assert LO <= m.start < HI
    assert m.end is None or m.start < m.end <= HI


@given(s=sst.scenarios(max_measures=2))
def test_scenario_measures_name_known_countries(s: Scenario) -> None:
    """A drawn scenario's measures are in countries its parties or positions are in."""
    known = {o.location.country for o in s.organisations} | {
        p.location.country for p in s.positions
    }
    assert len(s.measures) <= 2
    assert all(m.country in known for m in s.measures)


def test_impossible_knobs_raise_invalid_argument() -> None:
    """No country, or bounds with no room, are refused when the strategy is built."""
    with pytest.raises(InvalidArgument, match="country"):
        sst.measures(countries=())
    with pytest.raises(InvalidArgument, match="max_date"):
        sst.measures(min_date=HI, max_date=LO)
    with pytest.raises(InvalidArgument, match="max_measures"):
        sst.scenarios(max_measures=11)
