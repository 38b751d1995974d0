"""The MIP stage: the 0/1 model solved by SCIP, the MIP solver OR-Tools ships (internal stage).

The model is CP-SAT's, written for a MIP solver: one binary per option, at most
one option per candidate, every side constraint row as it is (shares through
one integer for the number placed), the objective solved level group by level
group with each group's optimum fixed as a row before the next
(``docs/decisions/0026-mip-stage.md``). The model goes to SCIP as one
``MPModelRequest`` (``pywraplp.Solver.SolveWithProto``): no per-coefficient
calls and none of ``MPSolver``'s own defaults.

A MIP solver works in floating point with tolerances, so nothing it returns
is taken on trust: the solution is rounded and every row is checked in exact
integers, the level values are recomputed from the options chosen, and a
bound counts only as ``floor(bound + 1e-6)``. A solution that fails a check
is not used (the stage says so and CP-SAT runs instead).
"""

from __future__ import annotations

import logging
import math
import time

from ortools.linear_solver import linear_solver_pb2, pywraplp

from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._objective import (
    group_values,
    level_coefficients,
    level_groups,
    level_range,
    level_value,
    lex_weights,
    maximised,
    objective_levels,
)
from sgcq.matching.elements import Objective, Stability
from sgcq.matching.result import LevelValue, Status
from sgcq.matching.settings import Settings, SolvePath
from sgcq.matching.stages import Carry, Outcome, Refusal, RefusalReason

__all__ = [
    "MIP_LIMIT",
    "MIP_OPTIONS",
    "NODES_PER_UNIT",
    "MipStage",
    "mip_refusals",
]

_log = logging.getLogger("sgcq.matching")

#: Largest folded score of one level group in the MIP model. SCIP compares
#: activities with a relative tolerance (1e-6): a row fixing a group's optimum
#: must not let a solution one unit worse through, so the scores stay small.
MIP_LIMIT = 2**31

#: AUTO runs the MIP stage before CP-SAT on problems with at most this many
#: options. Measured on the NTU cohort's sweep variations (2,126 options): in
#: the first 100 of the benchmark grid, CP-SAT took 7 to 56 s on five, three
#: of them without a proof; SCIP proved the three variations tried in 1.2 to
#: 4.4 s, the hardest (58 s FEASIBLE before) in 4.7 s in all. Larger problems
#: are not measured yet (decision 0026).
MIP_OPTIONS = 5_000

#: With a deterministic limit of ``L`` (CP-SAT's units), SCIP may explore
#: ``NODES_PER_UNIT * L`` branch-and-bound nodes in all, so that the stage is
#: as reproducible as CP-SAT (SCIP has no deterministic clock).
NODES_PER_UNIT = 1_000

_STATUS = {
    linear_solver_pb2.MPSOLVER_OPTIMAL: Status.OPTIMAL,
    linear_solver_pb2.MPSOLVER_FEASIBLE: Status.FEASIBLE,
}


def mip_refusals(ix: Index) -> list[Refusal]:
    """Return why the MIP stage does not apply to ``ix`` (empty when it does)."""
    out = []
    if ix.problem.stability is not Stability.OFF:
        out.append(Refusal(RefusalReason.STABILITY, f"stability {ix.problem.stability.value}"))
    levels = objective_levels(ix)
    if Objective.BLOCKING_PAIRS in levels:
        out.append(Refusal(RefusalReason.OBJECTIVE, "the blocking-pairs objective"))
    wide = [o.value for o in levels if o is not Objective.BLOCKING_PAIRS and _too_wide(ix, o)]
    if wide:
        out.append(
            Refusal(
                RefusalReason.TOO_WIDE,
                f"objective levels too wide for exact floating point ({', '.join(wide)})",
            )
        )
    return out


def _too_wide(ix: Index, objective: Objective) -> bool:
    # The same test as lex_weights on a group of one: its range plus one.
    return level_range(ix, objective) + 1 > MIP_LIMIT


class _Model:
    """The 0/1 model as an ``MPModelProto``: options first, then the number placed."""

    def __init__(self, ix: Index) -> None:
        self.ix = ix
        n = len(ix.options)
        self.n = n
        proto = linear_solver_pb2.MPModelProto()
        proto.maximize = True
        add = proto.variable.add
        for _ in range(n):
            add(lower_bound=0.0, upper_bound=1.0, is_integer=True)
        add(lower_bound=0.0, upper_bound=float(len(ix.cand_ids)), is_integer=True)
        self.placed = n
        self.proto = proto
        self._row([*range(n), n], [*([1.0] * n), -1.0], 0.0, 0.0)
        for opts in ix.by_cand:
            if len(opts) > 1:
                self._row(list(opts), [1.0] * len(opts), -math.inf, 1.0)
        for row in ix.rows:
            if row.redundant:
                continue
            members = list(row.members)
            coef = row.coef
            coefs = (
                [float(coef)] * len(members) if isinstance(coef, int) else [float(c) for c in coef]
            )
            if row.placed_coef:
                members.append(self.placed)
                coefs.append(float(row.placed_coef))
            lo = -math.inf if row.lo is None else float(row.lo)
            hi = math.inf if row.hi is None else float(row.hi)
            self._row(members, coefs, lo, hi)

    def _row(self, index: list[int], coef: list[float], lo: float, hi: float) -> None:
        ct = self.proto.constraint.add(lower_bound=lo, upper_bound=hi)
        ct.var_index.extend(index)
        ct.coefficient.extend(coef)

    def objective(self, score: list[int]) -> None:
        """Maximise ``sum(score[i] * x[i])``."""
        for var, c in zip(self.proto.variable, score, strict=False):
            var.objective_coefficient = float(c)

    def fix(self, score: list[int], value: int) -> None:
        """Add ``sum(score[i] * x[i]) >= value`` (a group's proven optimum)."""
        index = [i for i, c in enumerate(score) if c]
        self._row(index, [float(score[i]) for i in index], float(value), math.inf)

    def hint(self, chosen: list[int]) -> None:
        """Start SCIP from ``chosen`` (every option's value and the number placed)."""
        on = {i for i in chosen if i != UNPLACED}
        h = self.proto.solution_hint
        del h.var_index[:]
        del h.var_value[:]
        h.var_index.extend(range(self.n + 1))
        h.var_value.extend([1.0 if i in on else 0.0 for i in range(self.n)] + [float(len(on))])


def _score(ix: Index, group: list[Objective], weights: list[int]) -> list[int]:
    score = [0] * len(ix.options)
    for obj, w in zip(group, weights, strict=True):
        sign = 1 if maximised(obj) else -1
        for i, c in enumerate(level_coefficients(ix, obj)):
            if c:
                score[i] += sign * w * c
    return score


def _violations(ix: Index, picked: list[int]) -> int:
    """Return how many rows ``picked`` breaks, counted in exact integers."""
    on = [False] * len(ix.options)
    for i in picked:
        on[i] = True
    placed = len(picked)
    bad = 0
    for row in ix.rows:
        if row.redundant:
            continue
        coef = row.coef
        if isinstance(coef, int):
            total = coef * sum(1 for i in row.members if on[i])
        else:
            total = sum(c for i, c in zip(row.members, coef, strict=True) if on[i])
        total += row.placed_coef * placed
        if (row.lo is not None and total < row.lo) or (row.hi is not None and total > row.hi):
            bad += 1
    return bad


def _parameters(settings: Settings, share: float) -> str:
    gap = settings.relative_gap if settings.relative_gap is not None else 0
    lines = [
        f"limits/gap = {gap!r}",
        "limits/absgap = 0.5",  # every folded score is an integer
        f"randomization/randomseedshift = {settings.seed % (2**31 - 1)}",
    ]
    if settings.deterministic_time_limit is not None:
        nodes = max(1, math.ceil(NODES_PER_UNIT * settings.deterministic_time_limit * share))
        lines.append(f"limits/totalnodes = {nodes}")
    return "\n".join(lines) + "\n"


class MipStage:
    """SCIP on the 0/1 model, level group by level group (decision 0026).

    Parameters
    ----------
    share
        The share of the solve's limits (deterministic and wall-clock) the
        stage may use; the rest is CP-SAT's when the stage does not prove
        the optimum.
    """

    path = SolvePath.MIP

    def __init__(self, share: float = 1.0) -> None:
        self.share = share

    def supports(self, ix: Index) -> list[Refusal]:
        """Return why the stage does not apply to ``ix`` (empty when it does)."""
        return mip_refusals(ix)

    def run(self, ix: Index, settings: Settings, carry: Carry) -> Outcome:
        """Solve every level group with SCIP from ``carry.incumbent`` or ``carry.hint``.

        The outcome is ``final`` only when every level is proven, or solved
        to ``Settings.relative_gap`` (a level stopped there is not proven,
        and the next group keeps at least its value). A solution
        that breaks a row once rounded, or a later group's solution that
        loses an earlier group's optimum, is not used: the outcome then
        keeps what was checked before it.
        """
        began = time.perf_counter()
        levels = objective_levels(ix)
        groups = level_groups(ix, levels, MIP_LIMIT)
        model = _Model(ix)
        start = carry.incumbent if carry.incumbent is not None else carry.hint
        chosen: list[int] | None = None
        values: list[LevelValue] = []
        fixed: list[tuple[list[int], int]] = []
        notes: list[str] = []
        proven_all = True
        gapped = 0  # level groups stopped at Settings.relative_gap
        complete = False  # every group solved, to a proof or to the asked gap
        first_bound: int | None = None
        deadline = None
        if settings.time_limit is not None:
            left = settings.time_limit - (began - carry.started)
            deadline = began + max(0.0, left) * self.share
        for g, group in enumerate(groups):
            weights = lex_weights(ix, group, MIP_LIMIT)
            assert weights is not None  # level_groups kept every group within the limit
            score = _score(ix, group, weights)
            model.objective(score)
            hint = chosen if chosen is not None else start
            if hint is not None:
                model.hint(hint)
            request = linear_solver_pb2.MPModelRequest(
                solver_type=linear_solver_pb2.MPModelRequest.SCIP_MIXED_INTEGER_PROGRAMMING,
                solver_specific_parameters=_parameters(settings, self.share / len(groups)),
            )
            if deadline is not None:
                request.solver_time_limit_seconds = max(0.0, deadline - time.perf_counter())
            request.model.CopyFrom(model.proto)
            response = linear_solver_pb2.MPSolutionResponse()
            pywraplp.Solver.SolveWithProto(request, response)
            status = _STATUS.get(response.status)
            if status is None or len(response.variable_value) != model.n + 1:
                notes.append(f"SCIP: {_status_name(response.status)} on level group {g + 1}")
                proven_all = False
                break
            picked = [i for i in range(model.n) if response.variable_value[i] > 0.5]
            found = [UNPLACED] * len(ix.cand_ids)
            twice = False
            for i in picked:
                c = ix.cand_of[i]
                twice = twice or found[c] != UNPLACED
                found[c] = i
            broken = _violations(ix, picked)
            lost = any(sum(s[i] for i in picked) < v for s, v in fixed)
            if twice or broken or lost:
                notes.append(
                    f"SCIP's solution of level group {g + 1} failed the exact check "
                    f"({'a candidate placed twice' if twice else ''}"
                    f"{f'{broken} rows broken' if broken else ''}"
                    f"{'an earlier level lost' if lost else ''}); not used"
                )
                proven_all = False
                break
            chosen = found
            carry.incumbent = chosen
            value = sum(score[i] for i in picked)
            bound = math.floor(response.best_objective_bound + 1e-6)
            if g == 0 and carry.bound is not None and groups[0] == level_groups(ix, levels)[0]:
                bound = min(bound, carry.bound)
            proven = value >= bound  # SCIP's own status is not needed for the proof
            # Stopped at Settings.relative_gap: not a proof, but the asked answer.
            within_gap = (
                not proven
                and settings.relative_gap is not None
                and bound - value <= settings.relative_gap * max(1, abs(value))
            )
            bound = max(bound, value)
            if g == 0:
                first_bound = bound
            values.extend(group_values(ix, group, weights, chosen, bound, proven))
            if carry.progress is not None:
                carry.progress.emit(
                    "mip",
                    placed=sum(1 for c in chosen if c != UNPLACED),
                    objective=(value,),
                    bound=(bound,),
                    message=f"level group {g + 1} of {len(groups)} "
                    + ("proven" if proven else "not proven"),
                )
            if not proven:
                proven_all = False
                if not within_gap:
                    break
                gapped += 1
            if carry.progress is not None and carry.progress.halted and g < len(groups) - 1:
                proven_all = False
                break
            model.fix(score, value)
            fixed.append((score, value))
        else:
            complete = True
        # The message carries no wall time, so equal settings give equal results
        # (the time is in Result.wall_time and in the progress events).
        _log.debug("MIP stage: %.2f s in SCIP", time.perf_counter() - began)
        if chosen is None:
            note = "; ".join(notes) or "SCIP found no solution"
            return Outcome(Status.UNKNOWN, None, (), f"MIP stage (SCIP): {note}", final=False)
        done = {lv.objective for lv in values}
        for obj in levels:
            if obj.value not in done:
                proven_all = False
                values.append(level_value(ix, obj, chosen, False, None, 1))
        status = Status.OPTIMAL if proven_all else Status.FEASIBLE
        if proven_all:
            what = "proved every level"
        elif complete:  # not every group proven: some stopped at the gap
            what = (
                f"stopped {gapped} of {len(groups)} level groups at the asked relative gap "
                f"of {settings.relative_gap:g}"
            )
            if gapped < len(groups):
                what += " and proved the others"
        else:
            what = "did not prove every level"
        message = f"MIP stage (SCIP) {what}"
        if notes:
            message += ": " + "; ".join(notes)
        _log.debug("%s", message)
        return Outcome(
            status,
            chosen,
            tuple(values),
            message,
            bound=first_bound,
            hint=chosen,
            # Every group proven or solved to the asked gap (CP-SAT would
            # stop at the same gap); proven_all implies complete.
            final=complete,
        )


def _status_name(code: int) -> str:
    try:
        return str(linear_solver_pb2.MPSolverResponseStatus.Name(code))
    except ValueError:
        return f"status {code}"
