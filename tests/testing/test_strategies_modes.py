"""Tests of sgcq.testing.strategies._modes: hybrid splits."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given

from sgcq.models import HybridSplit
from sgcq.testing import strategies as sst


@given(h=sst.hybrid_splits())
def test_hybrid_splits_are_strictly_between_on_site_and_remote(h: HybridSplit) -> None:
    """The on-site share is in [0.01, 0.99] with two decimal places."""
    assert Decimal("0.01") <= h.on_site_share <= Decimal("0.99")
    assert h.on_site_share == h.on_site_share.quantize(Decimal("0.01"))
