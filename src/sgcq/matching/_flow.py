"""Pure capacitated assignment by OR-Tools min-cost flow (private).

The network is source -> (gate) -> candidate -> position -> (host) -> sink:
a unit arc per candidate, one arc per candidate-position pair (the best of its
starts), the seats on the position arcs, host caps on the host arcs and the
maximum cohort size on the gate. ``solve_max_flow_with_min_cost`` gives the
most placements and, among those, the least cost; the lower objective levels
are folded into the arc costs with weights that keep them lexicographic
(``docs/decisions/0010-objective-levels.md``).
"""

from __future__ import annotations

from typing import cast

import numpy as np
from ortools.graph.python import min_cost_flow

from sgcq.matching._index import UNPLACED, Index
from sgcq.matching.problem import Objective, Stability

__all__ = [
    "PER_OPTION_LEVELS",
    "flow_blockers",
    "lex_weights",
    "per_option_score",
    "solve_flow",
]

#: Levels whose value is a sum over chosen options of a non-negative coefficient.
PER_OPTION_LEVELS = frozenset(
    {
        Objective.PLACED,
        Objective.PRIORITY_PLACED,
        Objective.CANDIDATE_WELFARE,
        Objective.POSITION_WELFARE,
        Objective.COST,
        Objective.DISRUPTION,
    }
)

#: Largest combined objective magnitude accepted when folding levels together
#: for CP-SAT (exact in a double) and for min-cost flow (whose cost scaling
#: multiplies costs by the number of nodes, so it needs more headroom).
LIMIT = 2**53
FLOW_LIMIT = 2**40


def level_coefficients(ix: Index, objective: Objective) -> list[int]:
    """Return non-negative per-option coefficients of a per-option level (cached; read only).

    DISRUPTION is expressed as the number of earlier placements an option
    keeps (maximised); every other level as :meth:`Index.coefficients`.
    """
    key = ("coefficients", objective)
    if key not in ix.memo:
        if objective is Objective.DISRUPTION:
            kept = [0] * len(ix.options)
            for opts in ix.previous:
                for i in opts:
                    kept[i] += 1
            ix.memo[key] = kept
        else:
            ix.memo[key] = ix.coefficients(objective)
    return cast("list[int]", ix.memo[key])


def level_range(ix: Index, objective: Objective) -> int:
    """Return the largest value a per-option level can take: each candidate's best, summed."""
    key = ("range", objective)
    if key not in ix.memo:
        coef = level_coefficients(ix, objective)
        ix.memo[key] = sum(max(coef[i] for i in opts) for opts in ix.by_cand if opts)
    return cast(int, ix.memo[key])


def maximised(objective: Objective) -> bool:
    """Whether the per-option coefficients of a level are maximised."""
    return objective.maximise or objective is Objective.DISRUPTION


def lex_weights(ix: Index, levels: list[Objective], limit: int = LIMIT) -> list[int] | None:
    """Return weights that make a weighted sum of ``levels`` lexicographic, or ``None``.

    With ``R_l`` the largest value level ``l`` can take (each candidate's
    largest coefficient, summed), the weight of level ``j`` is the product of
    ``R_l + 1`` over the later levels; the later levels together then move the
    sum by less than one unit of level ``j``. ``None`` when the product would
    pass :data:`LIMIT`.
    """
    ranges = [level_range(ix, obj) for obj in levels]
    weights = [1] * len(levels)
    acc = 1
    for j in range(len(levels) - 1, -1, -1):
        weights[j] = acc
        acc *= ranges[j] + 1
        if acc > limit:
            return None
    return weights


def per_option_score(ix: Index, levels: list[Objective], limit: int = LIMIT) -> list[int] | None:
    """Return one maximised per-option score equivalent to ``levels`` in order, or ``None``.

    Cached per problem; callers must not modify the list.
    """
    key = ("score", tuple(levels), limit)
    if key not in ix.memo:
        ix.memo[key] = _per_option_score(ix, levels, limit)
    return cast("list[int] | None", ix.memo[key])


def _per_option_score(ix: Index, levels: list[Objective], limit: int) -> list[int] | None:
    weights = lex_weights(ix, levels, limit)
    if weights is None:
        return None
    score = [0] * len(ix.options)
    for obj, w in zip(levels, weights, strict=True):
        sign = 1 if maximised(obj) else -1
        coef = level_coefficients(ix, obj)
        for i, c in enumerate(coef):
            if c:
                score[i] += sign * w * c
    return score


def flow_blockers(ix: Index) -> list[str]:
    """Return why min-cost flow is not exact for the problem (empty when it is)."""
    problem = ix.problem
    out = []
    if problem.stability is not Stability.OFF:
        out.append(f"stability is {problem.stability.value}")
    cons = problem.constraints
    for name in ("min_size", "quotas", "beds", "budget", "pins"):
        value = getattr(cons, name)
        if value is not None and value != ():
            out.append(f"{name} constraints")
    objs = list(problem.objectives)
    first = objs[0]
    equal_priorities = len(set(ix.priority)) <= 1
    if first is Objective.PRIORITY_PLACED and not equal_priorities:
        out.append("priority-weighted placement with unequal priorities")
    elif first not in (Objective.PLACED, Objective.PRIORITY_PLACED):
        out.append(f"the first objective is {first.value}, not placed")
    for obj in objs[1:]:
        if obj not in PER_OPTION_LEVELS:
            out.append(f"objective {obj.value}")
        elif obj is Objective.PRIORITY_PLACED and not equal_priorities:
            out.append("priority-weighted placement below the first level")
    if not out and per_option_score(ix, _lower_levels(ix), FLOW_LIMIT) is None:
        out.append("the objective levels are too wide to fold into one cost")
    return out


def _lower_levels(ix: Index) -> list[Objective]:
    # PLACED and (equal) PRIORITY_PLACED are constant once the flow is maximal.
    return [
        o
        for o in ix.problem.objectives[1:]
        if o not in (Objective.PLACED, Objective.PRIORITY_PLACED)
    ]


def solve_flow(ix: Index, *, levels: list[Objective] | None = None, side: bool = True) -> list[int]:
    """Return the max-flow min-cost assignment (option index per candidate, -1 unplaced).

    Parameters
    ----------
    ix
        The indexed problem.
    levels
        The levels below PLACED to fold into the costs (default: the
        problem's).
    side
        Whether to honour host caps, the maximum size and forbidden pairs
        (off when the flow is only a hint for CP-SAT).
    """
    if levels is None:
        levels = _lower_levels(ix)
    score = per_option_score(ix, levels, FLOW_LIMIT) if levels else [0] * len(ix.options)
    if score is None:
        # Only as a hint: keep the most important level that fits.
        score = per_option_score(ix, levels[:1], FLOW_LIMIT) or [0] * len(ix.options)
    cons = ix.problem.constraints
    n_c, n_p = len(ix.cand_ids), len(ix.pos_ids)
    use_hosts = side and bool(ix.host_cap)
    n_h = len(ix.host_ids) if use_hosts else 0
    source, gate = 0, 1
    cand0 = 2
    pos0 = cand0 + n_c
    host0 = pos0 + n_p
    sink = host0 + n_h
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []
    big = len(ix.cand_ids) + 1
    max_size = cons.max_size if side and cons.max_size is not None else big
    tails.append(source)
    heads.append(gate)
    caps.append(max_size)
    costs.append(0)
    for c in range(n_c):
        tails.append(gate)
        heads.append(cand0 + c)
        caps.append(1)
        costs.append(0)
    option_arc: list[tuple[int, int]] = []
    for c, opts in enumerate(ix.by_cand):
        best: dict[int, int] = {}
        for i in opts:
            if side and i in ix.forbidden:
                continue
            p = ix.pos_of[i]
            if p not in best or score[i] > score[best[p]]:
                best[p] = i
        for p, i in best.items():
            option_arc.append((len(tails), i))
            tails.append(cand0 + c)
            heads.append(pos0 + p)
            caps.append(1)
            costs.append(-score[i])
    for p in range(n_p):
        cap = ix.cap[p]
        tails.append(pos0 + p)
        heads.append(host0 + ix.host_of_pos[p] if use_hosts else sink)
        caps.append(big if cap is None else cap)
        costs.append(0)
    for h in range(n_h):
        tails.append(host0 + h)
        heads.append(sink)
        caps.append(ix.host_cap.get(h, big))
        costs.append(0)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(caps, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    flow.set_node_supply(source, big)
    flow.set_node_supply(sink, -big)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    arcs = np.array([a for a, _ in option_arc], dtype=np.int32)
    flows = flow.flows(arcs) if len(arcs) else []
    chosen = [UNPLACED] * n_c
    for (_, i), f in zip(option_arc, flows, strict=True):
        if f > 0:
            chosen[ix.cand_of[i]] = i
    return chosen
