"""Strategies for work modes' details: hybrid splits (:mod:`sgcq.models.modes`).

Modes themselves are drawn with ``st.sampled_from``; the strategies that take
a ``modes`` knob draw them in declaration order, so they shrink to on site.
"""

from __future__ import annotations

from hypothesis import strategies as st

from sgcq.models import HybridSplit, Phase
from sgcq.testing.strategies._knobs import cached

__all__ = ["hybrid_splits"]


@cached
def hybrid_splits() -> st.SearchStrategy[HybridSplit]:
    """Hybrid splits with an on-site share in ``[0.01, 0.99]`` and either phase."""
    return st.builds(
        HybridSplit,
        st.decimals("0.01", "0.99", places=2),
        st.sampled_from(list(Phase)),
    )
