"""Tests of sgcq.testing.strategies._citations: citations of sources."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from sgcq.models import Citation
from sgcq.testing import strategies as sst

LO, HI = date(2020, 1, 1), date(2020, 12, 31)


@given(c=sst.citations(min_date=LO, max_date=HI))
def test_citation_knobs(c: Citation) -> None:
    """Citations name a source and are dated within the bounds."""
    assert c.source.strip() and LO <= c.date <= HI


def test_impossible_knobs_raise_invalid_argument() -> None:
    """Bounds in the wrong order are refused when the strategy is built."""
    with pytest.raises(InvalidArgument, match="max_date"):
        sst.citations(min_date=HI, max_date=LO)
