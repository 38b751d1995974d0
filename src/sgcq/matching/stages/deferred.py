"""Deferred acceptance in plain Python, either side proposing (internal stage).

With strict preferences on both sides the candidate-proposing result is the
candidate-optimal stable matching (Gale and Shapley, 1962) and the
position-proposing one the position-optimal; both place the same candidates
(the rural hospitals theorem). Ties, and hosts that do not rank, are broken by
id so the result is deterministic and weakly stable
(``docs/decisions/0012-tie-breaking.md``).
"""

from __future__ import annotations

import heapq

from sgcq.matching._index import UNPLACED, Index, RowKind
from sgcq.matching._objective import exact_levels
from sgcq.matching.elements import Objective, Stability
from sgcq.matching.result import Status
from sgcq.matching.settings import Settings, SolvePath
from sgcq.matching.stages import Carry, Outcome, Refusal, RefusalReason

__all__ = ["DeferredStage", "deferred_acceptance", "deferred_refusals", "proposing_side"]

#: The row kinds deferred acceptance holds (seats as capacities, forbidden
#: options left out of the lists).
_HELD = frozenset({RowKind.SEATS, RowKind.FORBIDDEN})

#: Objectives that deferred acceptance optimises exactly under strict preferences.
_EXACT = frozenset(
    {
        Objective.PLACED,
        Objective.PRIORITY_PLACED,
        Objective.CANDIDATE_WELFARE,
        Objective.POSITION_WELFARE,
    }
)


def deferred_refusals(ix: Index) -> list[Refusal]:
    """Return why deferred acceptance is not exact for the problem (empty when it is)."""
    problem = ix.problem
    out = []
    if problem.stability is not Stability.STRICT:
        out.append(
            Refusal(RefusalReason.STABILITY, f"stability is {problem.stability.value}, not strict")
        )
    cons = problem.constraints
    if not cons.seats:
        out.append(Refusal(RefusalReason.SEATS_OFF, "seats are switched off"))
    # one_to_one is seats of one; forbidden options are left out of the lists.
    for name in cons.side_constraints:
        if name not in ("forbidden", "one_to_one"):
            out.append(Refusal(RefusalReason.SIDE_CONSTRAINT, f"{name} constraints"))
    # A kind of row that no field of Constraints names (a new side constraint).
    named = set(cons.side_constraints)
    for kind in sorted({row.kind for row in ix.rows} - _HELD, key=lambda k: k.value):
        if kind.value not in named:
            out.append(Refusal(RefusalReason.SIDE_CONSTRAINT, f"{kind.value} constraints"))
    for obj in problem.objectives:
        if obj not in _EXACT:
            out.append(Refusal(RefusalReason.OBJECTIVE, f"objective {obj.value}"))
    if not out and not ix.strict_preferences():
        out.append(Refusal(RefusalReason.TIES, "preferences have ties or hosts that do not rank"))
    return out


def proposing_side(ix: Index) -> str:
    """Return ``"candidates"`` or ``"positions"``: whose welfare level comes first."""
    for obj in ix.problem.objectives:
        if obj is Objective.POSITION_WELFARE:
            return "positions"
        if obj is Objective.CANDIDATE_WELFARE:
            return "candidates"
    return "candidates"


def _lists(ix: Index) -> tuple[list[list[int]], list[int], list[int]]:
    cand_order = {
        c: k for k, c in enumerate(sorted(range(len(ix.cand_ids)), key=ix.cand_ids.__getitem__))
    }
    pos_order = {
        p: k for k, p in enumerate(sorted(range(len(ix.pos_ids)), key=ix.pos_ids.__getitem__))
    }
    per_cand: list[list[int]] = []
    for opts in ix.by_cand:
        best: dict[int, int] = {}
        for i in opts:
            if i in ix.forbidden:
                continue
            best.setdefault(ix.pos_of[i], i)  # by_cand is sorted by rank then start
        per_cand.append(sorted(best.values(), key=lambda i: (ix.crank[i], pos_order[ix.pos_of[i]])))
    c_key = [0] * len(ix.options)
    p_key = [0] * len(ix.options)
    n_c = len(ix.cand_ids) + 1
    n_p = len(ix.pos_ids) + 1
    for i in range(len(ix.options)):
        c_key[i] = ix.crank[i] * n_p + pos_order[ix.pos_of[i]]
        p_key[i] = ix.prank[i] * n_c + cand_order[ix.cand_of[i]]
    return per_cand, c_key, p_key


def deferred_acceptance(ix: Index, side: str = "candidates") -> list[int]:
    """Return a stable assignment (option index per candidate, -1 unplaced).

    Parameters
    ----------
    ix
        The indexed problem; forbidden options are never used.
    side
        ``"candidates"`` (candidate-optimal) or ``"positions"`` (position-optimal).
    """
    per_cand, c_key, p_key = _lists(ix)
    cap = ix.stable_cap
    if side == "candidates":
        return _candidates_propose(ix, per_cand, p_key, cap)
    if side == "positions":
        return _positions_propose(ix, per_cand, c_key, p_key, cap)
    raise ValueError(f"side must be 'candidates' or 'positions', got {side!r}")


def _candidates_propose(
    ix: Index, per_cand: list[list[int]], p_key: list[int], cap: list[int]
) -> list[int]:
    chosen = [UNPLACED] * len(ix.cand_ids)
    nxt = [0] * len(ix.cand_ids)
    held: list[list[tuple[int, int]]] = [[] for _ in ix.pos_ids]  # max-heaps of (-key, option)
    free = list(range(len(ix.cand_ids) - 1, -1, -1))
    while free:
        c = free.pop()
        prefs = per_cand[c]
        while nxt[c] < len(prefs):
            i = prefs[nxt[c]]
            nxt[c] += 1
            p = ix.pos_of[i]
            heap = held[p]
            if len(heap) < cap[p]:
                heapq.heappush(heap, (-p_key[i], i))
                chosen[c] = i
                break
            worst_key, worst = heap[0]
            if p_key[i] < -worst_key:
                heapq.heapreplace(heap, (-p_key[i], i))
                chosen[c] = i
                loser = ix.cand_of[worst]
                chosen[loser] = UNPLACED
                free.append(loser)
                break
    return chosen


def _positions_propose(
    ix: Index, per_cand: list[list[int]], c_key: list[int], p_key: list[int], cap: list[int]
) -> list[int]:
    allowed = {i for opts in per_cand for i in opts}
    lists = [sorted((i for i in opts if i in allowed), key=p_key.__getitem__) for opts in ix.by_pos]
    chosen = [UNPLACED] * len(ix.cand_ids)
    count = [0] * len(ix.pos_ids)
    nxt = [0] * len(ix.pos_ids)
    queue = list(range(len(ix.pos_ids) - 1, -1, -1))
    while queue:
        p = queue.pop()
        prefs = lists[p]
        while count[p] < cap[p] and nxt[p] < len(prefs):
            i = prefs[nxt[p]]
            nxt[p] += 1
            c = ix.cand_of[i]
            cur = chosen[c]
            if cur == UNPLACED or c_key[i] < c_key[cur]:
                if cur != UNPLACED:
                    q = ix.pos_of[cur]
                    count[q] -= 1
                    queue.append(q)
                chosen[c] = i
                count[p] += 1
    return chosen


class DeferredStage:
    """Deferred acceptance: exact under strict stability with strict preferences."""

    path = SolvePath.DEFERRED_ACCEPTANCE

    def supports(self, ix: Index) -> list[Refusal]:
        """Return why deferred acceptance is not exact for ``ix`` (empty when it is)."""
        return deferred_refusals(ix)

    def run(self, ix: Index, settings: Settings, carry: Carry) -> Outcome:
        """Return the stable result of the side whose welfare comes first.

        With ties it is stable, not proven optimal (status FEASIBLE).
        """
        chosen = deferred_acceptance(ix, proposing_side(ix))
        exact = not deferred_refusals(ix)
        message = (
            "" if exact else ("preferences have ties, so the stable result is not proven optimal")
        )
        status = Status.OPTIMAL if exact else Status.FEASIBLE
        return Outcome(status, chosen, exact_levels(ix, chosen, exact), message)
