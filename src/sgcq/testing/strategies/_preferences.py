"""Strategies for rankings, with or without ties (:mod:`sgcq.models.preferences`)."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from sgcq.models import Ranking
from sgcq.testing.strategies._knobs import cached, check_size, require

__all__ = ["rankings"]


@cached
@st.composite
def _rankings(
    draw: st.DrawFn, ids: tuple[str, ...], min_size: int, max_size: int, max_ties: int
) -> Ranking:
    size = draw(st.integers(min_size, max_size))
    order = draw(st.permutations(ids))[:size]
    ranks: dict[str, int] = {}
    rank, tier = 0, 0
    for key in order:
        if rank and tier < max_ties and draw(st.booleans()):
            tier += 1
        else:
            rank, tier = rank + 1, 1
        ranks[key] = rank
    return Ranking(ranks)


@cached
def rankings(
    ids: Sequence[str],
    *,
    min_size: int = 0,
    max_size: int | None = None,
    max_ties: int = 3,
) -> st.SearchStrategy[Ranking]:
    """Rankings over a subset of ``ids``: dense ranks from 1, ties allowed.

    Parameters
    ----------
    ids
        The ids that may be ranked (distinct).
    min_size, max_size
        How many ids are ranked; ``max_size`` defaults to all of them.
    max_ties
        The most ids that may share one rank; 1 gives strict rankings.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(rankings(["p0", "p1", "p2"], min_size=3, max_ties=1))
    ... def test_strict(r):
    ...     assert sorted(r.as_dict().values()) == [1, 2, 3]
    >>> test_strict()
    """
    pool = tuple(ids)
    require(len(set(pool)) == len(pool), f"ids repeat: {pool}")
    high = len(pool) if max_size is None else min(max_size, len(pool))
    check_size("size", min_size, high)
    require(max_ties >= 1, f"max_ties must be at least 1, got {max_ties}")
    return _rankings(pool, min_size, high, max_ties)
