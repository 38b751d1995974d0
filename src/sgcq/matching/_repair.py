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

from collections import Counter

from sgcq.matching._index import UNPLACED, Index

__all__ = ["greedy", "repair"]


class _State:
    def __init__(self, ix: Index) -> None:
        self.ix = ix
        self.chosen = [UNPLACED] * len(ix.cand_ids)
        self.at_pos = [0] * len(ix.pos_ids)
        self.at_host: Counter[int] = Counter()
        self.beds: Counter[int] = Counter()
        self.cost = 0
        self.placed = 0
        self.quota = [0] * len(ix.quotas)
        self.max_size = ix.problem.constraints.max_size

    def fits(self, i: int) -> bool:
        ix = self.ix
        if i in ix.forbidden or self.chosen[ix.cand_of[i]] != UNPLACED:
            return False
        p = ix.pos_of[i]
        cap = ix.cap[p]
        if cap is not None and self.at_pos[p] >= cap:
            return False
        h = ix.host_of_pos[p]
        hcap = ix.host_cap.get(h)
        if hcap is not None and self.at_host[h] >= hcap:
            return False
        for m in ix.opt_months[i]:
            limit = ix.bed_limit.get(m)
            if limit is not None and self.beds[m] >= limit:
                return False
        if ix.budget is not None and self.cost + ix.cost[i] > ix.budget:
            return False
        if self.max_size is not None and self.placed >= self.max_size:
            return False
        for k, q in enumerate(ix.quotas):
            if q.max_count is not None and i in q.member_set and self.quota[k] >= q.max_count:
                return False
        return True

    def add(self, i: int, sign: int = 1) -> None:
        ix = self.ix
        p = ix.pos_of[i]
        self.chosen[ix.cand_of[i]] = i if sign > 0 else UNPLACED
        self.at_pos[p] += sign
        self.at_host[ix.host_of_pos[p]] += sign
        for m in ix.opt_months[i]:
            self.beds[m] += sign
        self.cost += sign * ix.cost[i]
        self.placed += sign
        for k, q in enumerate(ix.quotas):
            if i in q.member_set:
                self.quota[k] += sign


def repair(ix: Index, chosen: list[int]) -> list[int]:
    """Return a feasible-for-upper-limits assignment close to ``chosen``."""
    state = _State(ix)
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
    for k, q in enumerate(ix.quotas):
        if q.max_share is None:
            continue
        members = sorted(
            (i for i in state.chosen if i != UNPLACED and i in q.member_set),
            key=lambda i: (-ix.crank[i], ix.priority[ix.cand_of[i]], -ix.cand_of[i]),
        )
        for i in members:
            if state.quota[k] <= q.max_share * state.placed:
                break
            if ix.cand_of[i] not in pinned:
                state.add(i, -1)
    return state.chosen


def greedy(ix: Index, order: list[int]) -> list[int]:
    """Return the solution that adds the options in ``order`` while they fit, then repaired."""
    state = _State(ix)
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
