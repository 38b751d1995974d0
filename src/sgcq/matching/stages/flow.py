"""Pure capacitated assignment by OR-Tools min-cost flow (internal stage).

The network is source -> (gate) -> candidate -> position -> (host) -> sink:
a unit arc per candidate, one arc per candidate-position pair (the best of its
starts), the seats on the position arcs, host caps on the host arcs and the
maximum cohort size on the gate. ``solve_max_flow_with_min_cost`` gives the
most placements and, among those, the least cost; the lower objective levels
are folded into the arc costs with weights that keep them lexicographic
(``docs/decisions/0010-objective-levels.md``).
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from sgcq.matching._index import UNPLACED, Index, RowKind
from sgcq.matching._objective import FLOW_LIMIT, PER_OPTION_LEVELS, exact_levels, per_option_score
from sgcq.matching.elements import Objective, Stability
from sgcq.matching.result import Status
from sgcq.matching.settings import Settings, SolvePath
from sgcq.matching.stages import Carry, Outcome, Refusal, RefusalReason

__all__ = ["NETWORK_KINDS", "FlowStage", "flow_refusals", "solve_flow"]

#: The row kinds the network holds as arc capacities or by leaving arcs out.
NETWORK_KINDS = frozenset({RowKind.SEATS, RowKind.HOST_CAP, RowKind.MAX_SIZE, RowKind.FORBIDDEN})
_FIRST = (
    RowKind.MIN_SIZE,
    RowKind.QUOTA,
    RowKind.BEDS,
    RowKind.BUDGET,
    RowKind.PAYER_BUDGET,
    RowKind.PIN,
)
#: The order refusals name the other kinds in (any new kind last).
_KIND_ORDER = (*_FIRST, *(k for k in RowKind if k not in _FIRST))


def _kind_rank(kind: RowKind) -> tuple[int, str]:
    rank = _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)
    return rank, kind.value


def flow_refusals(ix: Index) -> list[Refusal]:
    """Return why min-cost flow is not exact for the problem (empty when it is)."""
    problem = ix.problem
    out = []
    if problem.stability is not Stability.OFF:
        out.append(Refusal(RefusalReason.STABILITY, f"stability is {problem.stability.value}"))
    kinds = {row.kind for row in ix.rows if row.kind not in NETWORK_KINDS}
    # One phrase per kind, in the order of the constraints' fields.
    for kind in sorted(kinds, key=_kind_rank):
        out.append(Refusal(RefusalReason.SIDE_CONSTRAINT, f"{kind.value} constraints"))
    objs = list(problem.objectives)
    first = objs[0]
    equal_priorities = len(set(ix.priority)) <= 1
    if first is Objective.PRIORITY_PLACED and not equal_priorities:
        out.append(
            Refusal(RefusalReason.OBJECTIVE, "priority-weighted placement with unequal priorities")
        )
    elif first not in (Objective.PLACED, Objective.PRIORITY_PLACED):
        out.append(
            Refusal(RefusalReason.OBJECTIVE, f"the first objective is {first.value}, not placed")
        )
    for obj in objs[1:]:
        if obj not in PER_OPTION_LEVELS:
            out.append(Refusal(RefusalReason.OBJECTIVE, f"objective {obj.value}"))
        elif obj is Objective.PRIORITY_PLACED and not equal_priorities:
            out.append(
                Refusal(
                    RefusalReason.OBJECTIVE, "priority-weighted placement below the first level"
                )
            )
    if not out and per_option_score(ix, _lower_levels(ix), FLOW_LIMIT) is None:
        out.append(
            Refusal(
                RefusalReason.TOO_WIDE, "the objective levels are too wide to fold into one cost"
            )
        )
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


class FlowStage:
    """Min-cost flow: exact for a pure capacitated assignment (see :func:`flow_refusals`)."""

    path = SolvePath.FLOW

    def supports(self, ix: Index) -> list[Refusal]:
        """Return why min-cost flow is not exact for ``ix`` (empty when it is)."""
        return flow_refusals(ix)

    def run(self, ix: Index, settings: Settings, carry: Carry) -> Outcome:
        """Solve exactly; every level is proven."""
        chosen = solve_flow(ix)
        return Outcome(Status.OPTIMAL, chosen, exact_levels(ix, chosen, True))
