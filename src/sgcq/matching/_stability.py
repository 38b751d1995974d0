"""Blocking pairs of a solution under weak stability (private).

The definition every stage and the explanations share: a candidate ``c`` and
a position ``p`` block when ``c`` strictly prefers ``p`` to its placement (or
is unplaced) and ``p`` has a free seat or ranks ``c`` strictly above one of its
holders. Forbidden options cannot block. ``docs/decisions/0011-stability.md``.
"""

from __future__ import annotations

from sgcq.matching._index import UNPLACED, Index
from sgcq.matching.result import BlockingPair

__all__ = ["blocking_for", "blocking_pairs"]


def blocking_pairs(ix: Index, chosen: list[int]) -> tuple[BlockingPair, ...]:
    """Return the blocking pairs of a solution under weak stability.

    Same definition as :func:`sgcq.testing.checks.blocking_pairs`, over the
    problem's options (forbidden options cannot block): ``c`` strictly
    prefers ``p`` to its placement (or is unplaced), and ``p`` has a free seat
    or ranks ``c`` strictly above one of its holders.
    """
    held: list[list[int]] = [[] for _ in ix.pos_ids]
    for i in chosen:
        if i != UNPLACED:
            held[ix.pos_of[i]].append(i)
    out: list[BlockingPair] = []
    for c in sorted(range(len(ix.cand_ids)), key=lambda k: ix.cand_ids[k]):
        pair = blocking_for(ix, c, chosen[c], held)
        out.extend(pair)
    return tuple(out)


def blocking_for(
    ix: Index, c: int, current: int, held: list[list[int]], extra: int = UNPLACED
) -> list[BlockingPair]:
    cur_rank = ix.crank[current] if current != UNPLACED else None
    cur_pos = ix.pos_of[current] if current != UNPLACED else None
    out: list[BlockingPair] = []
    seen: set[int] = set()
    for i in sorted(ix.by_cand[c], key=lambda k: ix.pos_ids[ix.pos_of[k]]):
        p = ix.pos_of[i]
        if p in seen or p == cur_pos or i in ix.forbidden:
            continue
        if cur_rank is not None and ix.crank[i] >= cur_rank:
            continue
        seen.add(p)
        holders = held[p] + ([extra] if extra != UNPLACED and ix.pos_of[extra] == p else [])
        if len(holders) < ix.stable_cap[p]:
            out.append(
                BlockingPair(ix.cand_ids[c], ix.pos_ids[p], f"{ix.pos_ids[p]} has a free seat")
            )
            continue
        if not ix.ranks_candidates[p] or not holders:
            continue
        worst = max(holders, key=lambda k: (ix.prank[k], ix.cand_ids[ix.cand_of[k]]))
        if ix.prank[i] < ix.prank[worst]:
            out.append(
                BlockingPair(
                    ix.cand_ids[c],
                    ix.pos_ids[p],
                    f"{ix.pos_ids[p]} prefers {ix.cand_ids[c]} (rank {ix.prank[i]}) to "
                    f"{ix.cand_ids[ix.cand_of[worst]]} (rank {ix.prank[worst]})",
                )
            )
    return out
