"""Greedy repair: turn an assignment that ignores side constraints into a feasible hint (private).

Pins go first; then the given placements, best candidate rank first, are
kept while they fit every upper limit (seats, host caps, beds, budget,
maximum size, quota maxima as counts); then unplaced candidates are added,
best rank first, where they fit; finally maximum shares are restored by
dropping the worst-ranked members of any group above its share. Minimum
bounds are not enforced: the result is a hint for CP-SAT, which repairs the
rest.

:func:`greedy` builds a solution from scratch instead, adding options in a
given order (by score, ties by the priced score of the Lagrangian relaxation)
while they fit, then repairing as above.
"""

from __future__ import annotations

from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._limits import Usage

__all__ = ["greedy", "repair"]


def repair(ix: Index, chosen: list[int]) -> list[int]:
    """Return a feasible-for-upper-limits assignment close to ``chosen``."""
    state = Usage(ix)
    pinned: set[int] = set()
    for c, opts in ix.pins:
        for i in opts:
            if state.fits(i):
                state.add(i)
                pinned.add(c)
                break
    first = sorted(
        (i for i in chosen if i != UNPLACED),
        key=lambda i: (ix.crank[i], -ix.priority[ix.cand_of[i]], ix.cand_of[i]),
    )
    for i in first:
        if state.fits(i):
            state.add(i)
    rest = sorted(
        (c for c in range(len(ix.cand_ids)) if state.chosen[c] == UNPLACED),
        key=lambda c: (-ix.priority[c], c),
    )
    for c in rest:
        for i in ix.by_cand[c]:
            if state.fits(i):
                state.add(i)
                break
    # Rows that adding a non-member relaxes (maximum shares): drop the
    # worst-ranked members while the row is above its limit.
    for r in ix.member_rows:
        row = ix.rows[r]
        if row.monotone or row.hi is None or row.redundant:
            continue
        least = row.coef if isinstance(row.coef, int) else min(row.coef)
        if least + row.placed_coef <= 0:
            continue  # dropping a member would not lower the row
        members = sorted(
            (i for i in state.chosen if i != UNPLACED and row.contains(i)),
            key=lambda i: (-ix.crank[i], ix.priority[ix.cand_of[i]], -ix.cand_of[i]),
        )
        for i in members:
            if state.activity(r) <= row.hi:
                break
            if ix.cand_of[i] not in pinned:
                state.add(i, -1)
    return state.chosen


def greedy(ix: Index, order: list[int]) -> list[int]:
    """Return the solution that adds the options in ``order`` while they fit, then repaired."""
    state = Usage(ix)
    fits, add = state.fits, state.add
    for _, opts in ix.pins:
        for i in opts:
            if fits(i):
                add(i)
                break
    for i in order:
        if fits(i):
            add(i)
    return repair(ix, state.chosen)
