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

import numpy as np

from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._limits import Usage

__all__ = ["greedy", "greedy_with_minimums", "repair"]


def _place_pins(ix: Index, state: Usage) -> set[int]:
    """Place each pinned candidate in the first of its pinned options that fits; return them."""
    pinned: set[int] = set()
    for c, opts in ix.pins:
        for i in opts:
            if state.fits(i):
                state.add(i)
                pinned.add(c)
                break
    return pinned


def repair(ix: Index, chosen: list[int]) -> list[int]:
    """Return a feasible-for-upper-limits assignment close to ``chosen``."""
    state = Usage(ix)
    pinned = _place_pins(ix, state)
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
    _restore_maximum_shares(ix, state, pinned, keep_minimums=False)
    return state.chosen


def _restore_maximum_shares(
    ix: Index, state: Usage, pinned: set[int], *, keep_minimums: bool
) -> None:
    """Drop the worst-ranked members of every row above a limit that non-members relax.

    Those rows are the maximum shares. With ``keep_minimums`` a member whose
    removal would break a met minimum stays.
    """
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
            if ix.cand_of[i] not in pinned and (not keep_minimums or state.keeps_without(i)):
                state.add(i, -1)


def greedy(ix: Index, order: list[int]) -> list[int]:
    """Return the solution that adds the options in ``order`` while they fit, then repaired."""
    state = Usage(ix)
    fits, add = state.fits, state.add
    _place_pins(ix, state)
    for i in order:
        if fits(i):
            add(i)
    return repair(ix, state.chosen)


def greedy_with_minimums(ix: Index, order: list[int]) -> list[int]:
    """Return a greedy solution that meets the lower limits first, then adds by ``order``.

    Pins go first. Then every row with a lower limit is filled with its
    members in ``order`` while it is short, each where it fits every upper
    limit: counts and sizes (minimum quotas, the minimum cohort size, a new
    kind's minimum) first, then minimum shares, each member where it also
    keeps the met shares met. Then the options in ``order`` are added where
    they fit; one that would take a minimum share below its limit first makes
    room by adding the share's best remaining member. Maximum shares are
    restored last without breaking a minimum. Filling the minimum
    groups while seats, beds and budget are still free is what finds a
    solution that the plain greedy (which fills by score first) misses.

    The result may still break a minimum when no greedy choice meets it;
    callers check it (:func:`sgcq.matching._limits.violations`).
    """
    state = Usage(ix)
    fits, keeps, add = state.fits, state.keeps, state.add
    pinned = _place_pins(ix, state)
    rank = np.empty(len(ix.options), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    ranked: dict[int, list[int]] = {}
    for r in state.lower_rows:
        row = ix.rows[r]
        if row.members:
            members = np.asarray(row.members, dtype=np.int64)
            ranked[r] = members[np.argsort(rank[members], kind="stable")].tolist()
        else:
            ranked[r] = order  # a row on the number placed: every option counts
    # How far each row's ranked members have been tried: an option passed over
    # never fits again, as every upper limit only tightens while options are added.
    tried = dict.fromkeys(ranked, 0)

    def raise_row(r: int, guard: bool) -> bool:
        """Add the next member of row ``r`` that fits; whether one was added."""
        members = ranked[r]
        k = tried[r]
        while k < len(members):
            i = members[k]
            k += 1
            if state.change(r, i) > 0 and fits(i) and (not guard or keeps(i)):
                add(i)
                tried[r] = k
                return True
        tried[r] = k
        return False

    # Counts and sizes first, without the share guard (the shares are
    # raised next); then the minimum shares.
    rows = ix.rows
    for guard in (False, True):
        for r in state.lower_rows:
            lo = rows[r].lo
            assert lo is not None
            if rows[r].monotone is guard:
                continue
            while state.activity(r) < lo and raise_row(r, guard):
                pass
    for i in order:
        if not fits(i):
            continue
        # An option that would take a minimum share below its limit first
        # makes room with the share's best remaining member.
        blocking = state.blocking(i)
        while blocking is not None and raise_row(blocking, True) and fits(i):
            blocking = state.blocking(i)
        if blocking is None and fits(i):
            add(i)
    _restore_maximum_shares(ix, state, pinned, keep_minimums=True)
    return state.chosen
