"""The LP relaxation of the first level group, solved by GLOP (private).

The linear program is the 0/1 model with every option's variable in
``[0, 1]``: at most one option per candidate, the rows the Lagrangian
relaxation's network holds (seats, host caps, the maximum size, options
left out) and every priced row exactly as the relaxation prices it
(``sum(coef * x) + const * placed <= rhs``, with ``placed`` one more
variable equal to the number placed). Two things come out of it:

* **Multipliers.** The duals of the priced rows are multipliers for the
  relaxation. The network's polytope is integral, so at the optimal duals
  the Lagrangian function equals the LP optimum, the best bound any
  multipliers give. The bound itself is never read from GLOP: the
  relaxation evaluates the duals with one min-cost flow, in its exact
  integer arithmetic (a rounded or inexact dual only gives a weaker bound,
  never a wrong one).
* **An order for the greedy, and a rounding.** On the hard family the LP
  optimum is all but integral (2 to 4 fractional options of 33k at 1k, 8
  of 37k at 10k); adding the options by decreasing LP value, then by
  score, rebuilds it and completes it within the constraints. When that
  greedy falls short of the bound,
  :func:`round_lp` keeps the options at 1 and at 0 and lets SCIP decide the
  few fractional ones (and their candidates' other options) exactly.

``docs/decisions/0027-lp-relaxation.md`` records why and what it gave.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from ortools.linear_solver import linear_solver_pb2, pywraplp

from sgcq.matching._index import UNPLACED, Index
from sgcq.matching.stages.flow import NETWORK_KINDS

__all__ = [
    "LP_OPTIONS",
    "ROUND_FREE",
    "ColumnLp",
    "Interruptible",
    "LpSolution",
    "PricedRow",
    "round_lp",
    "solve_interruptibly",
    "solve_lp",
]

#: The LP runs on problems with at most this many options. It starts from
#: the options of the relaxation's last flows (``LP_FLOWS``): on the hard
#: family 9,837 columns at 10k (330k options, GLOP 0.3 to 0.4 s) and 39,546
#: at 40k (1.3M options, 8.4 to 9.9 s). Its memory grows with the options
#: (each one's rows are kept for when it joins).
LP_OPTIONS = 2_000_000

#: The LP's rounding leaves at most this many options to SCIP: the fractional
#: ones and the other options of their candidates, or, when those are more,
#: the fractional ones alone (none when they are more still). Measured on the
#: hard family at 10k: 8 fractional options of 37k, 28 with their
#: candidates' other options; SCIP settles them in a quarter of a second.
ROUND_FREE = 2_000
#: Values within this of 0 or 1 count as integral.
_INTEGRAL = 1e-6


class PricedRow(Protocol):
    """What the LP reads of one priced row of the relaxation."""

    @property
    def idx(self) -> npt.NDArray[np.int64]:
        """The options in the row."""

    @property
    def coef(self) -> npt.NDArray[np.int64]:
        """Their coefficients."""

    @property
    def const(self) -> int:
        """The coefficient of the number placed."""

    @property
    def rhs(self) -> int:
        """The right-hand side of ``<= rhs``."""


class LpSolution:
    """The LP optimum: each option's value and each priced row's dual (a multiplier).

    Parameters
    ----------
    x
        The value of each option's variable, in ``[0, 1]``.
    multipliers
        One non-negative multiplier per priced row, in score units per unit
        of the row (the relaxation's units).
    objective
        GLOP's optimum, in score units (informative only: not a proof).
    """

    __slots__ = ("multipliers", "objective", "x")

    def __init__(
        self, x: npt.NDArray[np.float64], multipliers: npt.NDArray[np.float64], objective: float
    ) -> None:
        self.x = x
        self.multipliers = multipliers
        self.objective = objective

    def order(self, score: npt.NDArray[np.int64]) -> list[int]:
        """Return the options by decreasing LP value, then by score, then by index."""
        n = len(self.x)
        value = np.round(self.x, 6)
        return np.lexsort((np.arange(n), -score, -value)).tolist()  # type: ignore[no-any-return]


def _parameters(deterministic: float | None) -> str:
    # GlopParameters in text format. The dual simplex with perturbed costs:
    # measured on the hard family, on the LP over the options of the
    # relaxation's last flows, 0.3 to 0.4 s at 10k (primal simplex 1.2 to
    # 2.1 s) and 8.4 to 9.9 s at 40k (primal simplex 26.3 s); without the
    # perturbation the dual simplex took 3.8 s at 10k.
    # Presolve and GLOP's scaling stay off: the LP comes scaled (below).
    # The deterministic limit keeps a solve with a deterministic limit
    # reproducible (GLOP itself is deterministic).
    text = (
        "use_preprocessing: false use_scaling: false"
        " use_dual_simplex: true perturb_costs_in_dual_simplex: true"
    )
    return text if deterministic is None else f"{text} max_deterministic_time: {deterministic!r}"


class Interruptible(Protocol):
    """What :func:`solve_interruptibly` needs of a solver (``pywraplp.Solver`` has it)."""

    def Solve(self) -> int:  # noqa: N802 - OR-Tools' name
        """Solve; return the result status."""

    def InterruptSolve(self) -> bool:  # noqa: N802 - OR-Tools' name
        """Ask a running solve to stop."""


def solve_interruptibly(solver: Interruptible) -> int:
    """Run ``solver.Solve()`` in a thread of its own; return its status.

    GLOP releases Python's lock while it solves, but a ``KeyboardInterrupt``
    (Ctrl-C in a notebook or a script) reaches Python only between bytecodes
    of the main thread, so a solve called directly would finish first (up to
    about 20 s at 40k candidates). Waited for here in short joins, the
    interrupt arrives at once: the solve is asked to stop
    (``InterruptSolve``), waited for, and the interrupt raised on.
    """
    status: list[int] = []
    done = threading.Event()

    def run() -> None:
        try:
            status.append(solver.Solve())
        finally:
            done.set()

    # An Event, not Thread.join: an interrupted join can leave the thread
    # looking finished while it runs.
    worker = threading.Thread(target=run, name="sgcq-glop", daemon=True)
    worker.start()
    try:
        while not done.wait(0.05):
            pass
    except BaseException:
        solver.InterruptSolve()
        done.wait()
        raise
    worker.join()
    if not status:  # pragma: no cover - Solve raised in the thread (it does not)
        raise RuntimeError("GLOP's solve ended without a status")
    return status[0]


class ColumnLp:
    """The LP relaxation over a growing set of options, solved by GLOP's dual simplex.

    Each round :meth:`add` gives it more options' variables and
    :meth:`solve` solves it. A solve after columns were added starts GLOP
    afresh on the grown model: a dual simplex basis does not survive added
    columns (measured at 10k: 169 columns added to 9,837 made the next
    solve 10,016 iterations and 2.5 s warm, 5,515 and 0.42 s afresh).

    Parameters
    ----------
    ix
        The indexed problem.
    score
        The relaxation's score per option (maximised).
    rows
        The relaxation's priced rows, each ``sum(coef * x[idx]) + const * placed <= rhs``.
    allowed
        Per option, whether the network has its arc (pins and options left out
        restrict it).
    columns
        The options the LP starts with (those not allowed are left out);
        every allowed option when ``None``.
    deterministic_limit
        GLOP's deterministic time limit for each solve.
    """

    def __init__(
        self,
        ix: Index,
        score: npt.NDArray[np.int64],
        rows: Sequence[PricedRow],
        allowed: npt.NDArray[np.bool_],
        columns: npt.NDArray[np.int64] | None = None,
        *,
        deterministic_limit: float | None = None,
    ) -> None:
        n = len(ix.options)
        self._n = n
        # The LP comes scaled (GLOP's own scaling is off): the objective by
        # its largest score, each row by its largest coefficient. Measured
        # at 10k, GLOP's presolve and scaling on instead changed nothing on
        # a first solve (0.3 against 0.4 s).
        self._gain = float(np.abs(score[allowed]).max(initial=0)) or 1.0
        self._score = score.astype(np.float64) / self._gain
        self._allowed = allowed
        self._priced = len(rows)
        cols = np.flatnonzero(allowed) if columns is None else np.unique(columns[allowed[columns]])
        # Each option's variable, or -1 for an option not (yet) in the LP.
        var = np.full(n, -1, dtype=np.int64)
        var[cols] = np.arange(len(cols))
        proto = linear_solver_pb2.MPModelProto(maximize=True)
        add = proto.variable.add
        for c in self._score[cols].tolist():
            add(lower_bound=0.0, upper_bound=1.0, objective_coefficient=c)
        placed = len(cols)
        add(lower_bound=0.0, upper_bound=float(len(ix.cand_ids)))
        # What a later column joins: per allowed option, its rows and coefficients.
        at_opt: list[npt.NDArray[np.int64]] = []
        at_row: list[npt.NDArray[np.int64]] = []
        at_coef: list[npt.NDArray[np.float64]] = []
        scale: list[float] = []  # per row, what it was divided by

        def row(index: Sequence[int], coef: Sequence[float], lo: float, hi: float) -> None:
            ct = proto.constraint.add(lower_bound=lo, upper_bound=hi)
            ct.var_index.extend(index)
            ct.coefficient.extend(coef)

        def member(
            members: npt.NDArray[np.int64],
            coef: npt.NDArray[np.int64],
            const: int,
            lo: float,
            hi: float,
        ) -> None:
            k = len(proto.constraint)
            f = float(max(int(np.abs(coef).max(initial=0)), abs(const))) or 1.0
            scale.append(f)
            scaled = coef.astype(np.float64) / f
            at_opt.append(members)
            at_row.append(np.full(len(members), k, dtype=np.int64))
            at_coef.append(scaled)
            at = var[members]
            on = at >= 0
            index = at[on].tolist()
            coefs = scaled[on].tolist()
            if const:
                index.append(placed)
                coefs.append(const / f)
            row(index, coefs, lo / f, hi / f)

        row([*range(placed), placed], [*([1.0] * placed), -1.0], 0.0, 0.0)
        scale.append(1.0)
        # Every candidate with an allowed option has its row from the start
        # (GLOP keeps a basis when columns are added, not rows).
        for opts in ix.by_cand:
            mine = np.asarray(opts, dtype=np.int64)
            mine = mine[allowed[mine]] if len(mine) else mine
            if len(mine):
                member(mine, np.ones(len(mine), dtype=np.int64), 0, -math.inf, 1.0)
        for r in ix.rows:
            if r.kind not in NETWORK_KINDS or r.redundant:
                continue
            members = np.asarray(r.members, dtype=np.int64)
            member(
                members,
                np.broadcast_to(np.asarray(r.coef, dtype=np.int64), members.shape),
                r.placed_coef,
                -math.inf if r.lo is None else float(r.lo),
                math.inf if r.hi is None else float(r.hi),
            )
        self._first = len(proto.constraint)
        for pr in rows:
            member(pr.idx, pr.coef, pr.const, -math.inf, float(pr.rhs))
        opt = np.concatenate(at_opt) if at_opt else np.zeros(0, dtype=np.int64)
        by = np.argsort(opt, kind="stable")
        self._at_row = np.concatenate(at_row)[by] if at_row else opt
        self._at_coef = np.concatenate(at_coef)[by] if at_coef else opt
        self._start = np.searchsorted(opt[by], np.arange(n + 1))
        self._scale = np.asarray(scale, dtype=np.float64)
        self._var = var
        self._options = cols.tolist()
        self._placed = placed
        self._deterministic = deterministic_limit
        self._time_ms: int | None = None
        #: Whether columns were added since the last solve.
        self._grown = False
        self._load(proto)

    @property
    def columns(self) -> int:
        """How many options have a variable."""
        return len(self._options)

    def add(self, options: npt.NDArray[np.int64]) -> int:
        """Give ``options`` their variables (those already in or not allowed are skipped).

        Returns how many were added.
        """
        fresh = options[(self._var[options] < 0) & self._allowed[options]]
        fresh = np.unique(fresh)
        solver, cons = self._solver, self._constraints
        objective = solver.Objective()
        placed_row = cons[0]
        for i in fresh.tolist():
            v = solver.NumVar(0.0, 1.0, "")
            self._var[i] = v.index()
            self._options.append(i)
            objective.SetCoefficient(v, float(self._score[i]))
            placed_row.SetCoefficient(v, 1.0)
            lo, hi = self._start[i], self._start[i + 1]
            for k, a in zip(
                self._at_row[lo:hi].tolist(), self._at_coef[lo:hi].tolist(), strict=True
            ):
                cons[k].SetCoefficient(v, float(a))
        self._grown = self._grown or bool(len(fresh))
        return len(fresh)

    def _load(self, proto: linear_solver_pb2.MPModelProto) -> None:
        """Load ``proto`` into a new GLOP solver with the limits so far."""
        solver = pywraplp.Solver.CreateSolver("GLOP")
        if solver is None:  # pragma: no cover - GLOP ships with every OR-Tools
            raise RuntimeError("OR-Tools has no GLOP")
        error = solver.LoadModelFromProto(proto)
        if error:  # pragma: no cover - the model is built here
            raise RuntimeError(f"GLOP refused the LP: {error}")
        solver.SetSolverSpecificParametersAsString(_parameters(self._deterministic))
        if self._time_ms is not None:
            solver.SetTimeLimit(self._time_ms)
        self._solver = solver
        self._constraints = solver.constraints()
        self._grown = False

    def _afresh(self) -> None:
        """Load the grown model into a new GLOP solver (no basis: see the class docstring)."""
        proto = linear_solver_pb2.MPModelProto()
        self._solver.ExportModelToProto(proto)
        self._load(proto)

    def solve(
        self, time_limit: float | None = None, deterministic_limit: float | None = None
    ) -> LpSolution | None:
        """Solve the LP over the columns so far; ``None`` unless GLOP proves the optimum.

        Parameters
        ----------
        time_limit
            Seconds GLOP may take; ``None`` keeps the last solve's limit
            (none before the first).
        deterministic_limit
            GLOP's deterministic time limit for this solve; ``None`` keeps
            the last one (the constructor's at first).
        """
        if self._grown:
            self._afresh()
        solver = self._solver
        if time_limit is not None:
            self._time_ms = max(1, math.ceil(1000 * time_limit))
            solver.SetTimeLimit(self._time_ms)
        if deterministic_limit is not None:
            self._deterministic = deterministic_limit
            solver.SetSolverSpecificParametersAsString(_parameters(deterministic_limit))
        if solve_interruptibly(solver) != pywraplp.Solver.OPTIMAL:
            return None
        response = linear_solver_pb2.MPSolutionResponse()
        solver.FillSolutionResponseProto(response)
        values = np.asarray(response.variable_value, dtype=np.float64)
        # The variables: the first columns, the number placed, then those added.
        order = np.asarray(self._options, dtype=np.int64)
        values = np.concatenate([values[: self._placed], values[self._placed + 1 :]])
        x = np.zeros(self._n, dtype=np.float64)
        x[order] = np.clip(values, 0.0, 1.0)
        # Back to the relaxation's units: the row's scale and the objective's.
        duals = (
            np.asarray(
                response.dual_value[self._first : self._first + self._priced], dtype=np.float64
            )
            * self._gain
            / self._scale[self._first : self._first + self._priced]
        )
        # A maximisation's binding "<=" row has a non-negative dual; a negative
        # one (a tolerance's noise) prices nothing.
        return LpSolution(x, np.maximum(duals, 0.0), float(response.objective_value) * self._gain)


def solve_lp(
    ix: Index,
    score: npt.NDArray[np.int64],
    rows: Sequence[PricedRow],
    allowed: npt.NDArray[np.bool_],
    *,
    columns: npt.NDArray[np.int64] | None = None,
    time_limit: float | None = None,
    deterministic_limit: float | None = None,
) -> LpSolution | None:
    """Solve the LP relaxation with GLOP, once; ``None`` unless GLOP proves its optimum.

    Parameters
    ----------
    ix
        The indexed problem.
    score
        The relaxation's score per option (maximised).
    rows
        The relaxation's priced rows, each ``sum(coef * x[idx]) + const * placed <= rhs``.
    allowed
        Per option, whether the network has its arc (pins and options left out
        restrict it).
    columns
        The options the LP has a variable for (the others are at 0); every
        allowed option when ``None``.
    time_limit
        Seconds GLOP may take.
    deterministic_limit
        GLOP's deterministic time limit.
    """
    lp = ColumnLp(ix, score, rows, allowed, columns, deterministic_limit=deterministic_limit)
    return lp.solve(time_limit)


def round_lp(
    ix: Index,
    score: npt.NDArray[np.int64],
    x: npt.NDArray[np.float64],
    allowed: npt.NDArray[np.bool_],
    *,
    time_limit: float | None = None,
    node_limit: int | None = None,
    seed: int = 0,
) -> list[int] | None:
    """Round an LP solution: its options at 1 stay, those at 0 stay out, SCIP decides the rest.

    The sub-problem has a 0/1 variable for each fractional option and, when
    they are at most :data:`ROUND_FREE` in all, for each other allowed option
    of their candidates; every row of ``ix`` holds with the fixed options'
    part moved to its bounds. The answer is not trusted: the caller checks
    it against every row in exact integers (SCIP works with tolerances).

    Parameters
    ----------
    ix
        The indexed problem.
    score
        The score per option to maximise (the relaxation's).
    x
        The LP's value per option.
    allowed
        Per option, whether it may be chosen.
    time_limit
        Seconds SCIP may take.
    node_limit
        Branch-and-bound nodes SCIP may explore (for a reproducible run).
    seed
        SCIP's random seed shift.

    Returns
    -------
    list[int] or None
        Per candidate, the chosen option or ``UNPLACED``; ``None`` when nothing is fractional, the
        fractional options are too many, the fixed options alone break a row,
        or SCIP finds no solution within its limits.
    """
    n = len(ix.options)
    on = (x >= 1.0 - _INTEGRAL) & allowed
    fractional = (x > _INTEGRAL) & ~on & allowed
    if not fractional.any() or int(fractional.sum()) > ROUND_FREE:
        return None
    # A candidate with an option at 1 keeps it: their other options stay out
    # (within the tolerance an LP can hold both a 1 and a crumb).
    settled = {ix.cand_of[i] for i in np.flatnonzero(on).tolist()}
    for c in settled:
        fractional[ix.by_cand[c]] = False
    if not fractional.any():
        return None
    free = fractional.copy()
    touched = {ix.cand_of[i] for i in np.flatnonzero(fractional).tolist()}
    wider = free.copy()
    for c in touched:
        wider[ix.by_cand[c]] = True
    wider &= allowed
    if int(wider.sum()) <= ROUND_FREE:
        free = wider
    free_idx = np.flatnonzero(free)
    var = np.full(n, -1, dtype=np.int64)
    var[free_idx] = np.arange(len(free_idx))
    fixed = int(on.sum())
    proto = linear_solver_pb2.MPModelProto(maximize=True)
    for c in score[free_idx].tolist():
        proto.variable.add(
            lower_bound=0.0, upper_bound=1.0, is_integer=True, objective_coefficient=float(c)
        )

    def row(index: Sequence[int], coef: Sequence[float], lo: float, hi: float) -> None:
        ct = proto.constraint.add(lower_bound=lo, upper_bound=hi)
        ct.var_index.extend(index)
        ct.coefficient.extend(coef)

    by_cand: dict[int, list[int]] = {}
    for i in free_idx.tolist():
        by_cand.setdefault(ix.cand_of[i], []).append(int(var[i]))
    for mine in by_cand.values():
        if len(mine) > 1:
            row(mine, [1.0] * len(mine), -math.inf, 1.0)
    for r in ix.rows:
        if r.redundant:
            continue
        members = np.asarray(r.members, dtype=np.int64)
        coef = np.broadcast_to(np.asarray(r.coef, dtype=np.int64), members.shape)
        # Exact integers for the fixed part: the bounds move by it.
        part = int(coef[on[members]].sum()) + r.placed_coef * fixed
        at = var[members]
        inside = at >= 0
        dense = np.zeros(len(free_idx), dtype=np.int64)
        np.add.at(dense, at[inside], coef[inside])
        dense += r.placed_coef
        index = np.flatnonzero(dense)
        lo = None if r.lo is None else r.lo - part
        hi = None if r.hi is None else r.hi - part
        if not len(index):
            if (lo is not None and lo > 0) or (hi is not None and hi < 0):
                return None  # the fixed options alone break this row
            continue
        row(
            index.tolist(),
            dense[index].astype(np.float64).tolist(),
            -math.inf if lo is None else float(lo),
            math.inf if hi is None else float(hi),
        )
    lines = [
        "limits/gap = 0",
        "limits/absgap = 0.5",  # the scores are integers
        f"randomization/randomseedshift = {seed % (2**31 - 1)}",
    ]
    if node_limit is not None:
        lines.append(f"limits/totalnodes = {max(1, node_limit)}")
    request = linear_solver_pb2.MPModelRequest(
        solver_type=linear_solver_pb2.MPModelRequest.SCIP_MIXED_INTEGER_PROGRAMMING,
        solver_specific_parameters="\n".join(lines) + "\n",
    )
    if time_limit is not None:
        request.solver_time_limit_seconds = max(0.0, time_limit)
    request.model.CopyFrom(proto)
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    if response.status not in (
        linear_solver_pb2.MPSOLVER_OPTIMAL,
        linear_solver_pb2.MPSOLVER_FEASIBLE,
    ):
        return None
    values = np.asarray(response.variable_value, dtype=np.float64)
    chosen = [UNPLACED] * len(ix.cand_ids)
    for i in np.concatenate([np.flatnonzero(on), free_idx[values > 0.5]]).tolist():
        c = ix.cand_of[i]
        if chosen[c] != UNPLACED:
            return None  # two options of one candidate: a row SCIP did not keep
        chosen[c] = i
    return chosen
