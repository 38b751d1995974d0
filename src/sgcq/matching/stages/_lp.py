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
* **An order for the greedy.** On the hard family the LP optimum is all but
  integral (2 to 4 fractional options of 33k at 1k); adding the options
  by decreasing LP value, then by score, rebuilds it and completes it
  within the constraints.

``docs/decisions/0027-lp-relaxation.md`` records why and what it gave.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from ortools.linear_solver import linear_solver_pb2, pywraplp

from sgcq.matching._index import Index
from sgcq.matching.stages.flow import NETWORK_KINDS

__all__ = ["LP_OPTIONS", "LpSolution", "PricedRow", "solve_lp"]

#: The LP runs on problems with at most this many options. By columns
#: (each candidate's best few and what the flow at the duals uses) the LP
#: at 1k (33k options) takes well under a second; at 10k (330k options) a
#: round of GLOP took 15 to 32 s on 38k columns and 28k rows, so the hard
#: family at 10k and 40k is left as it was until the rounds are faster.
LP_OPTIONS = 100_000


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
    # GlopParameters in text format; the deterministic limit keeps a solve
    # with a deterministic limit reproducible (GLOP itself is deterministic).
    return "" if deterministic is None else f"max_deterministic_time: {deterministic!r}"


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
    """Solve the LP relaxation with GLOP; ``None`` unless GLOP proves its optimum.

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
    n = len(ix.options)
    cols = np.flatnonzero(allowed) if columns is None else columns[allowed[columns]]
    # Each option's variable, or -1 for an option left out of this LP.
    var = np.full(n, -1, dtype=np.int64)
    var[cols] = np.arange(len(cols))
    proto = linear_solver_pb2.MPModelProto(maximize=True)
    add = proto.variable.add
    for c in score[cols].tolist():
        add(lower_bound=0.0, upper_bound=1.0, objective_coefficient=float(c))
    placed = len(cols)
    add(lower_bound=0.0, upper_bound=float(len(ix.cand_ids)))

    def row(index: Sequence[int], coef: Sequence[float], lo: float, hi: float) -> None:
        ct = proto.constraint.add(lower_bound=lo, upper_bound=hi)
        ct.var_index.extend(index)
        ct.coefficient.extend(coef)

    def kept(
        members: npt.NDArray[np.int64], coef: npt.NDArray[np.int64]
    ) -> tuple[list[int], list[float]]:
        at = var[members]
        on = at >= 0
        return at[on].tolist(), coef[on].astype(np.float64).tolist()

    row([*range(placed), placed], [*([1.0] * placed), -1.0], 0.0, 0.0)
    for opts in ix.by_cand:
        mine = [v for v in var[opts].tolist() if v >= 0] if opts else []
        if len(mine) > 1:
            row(mine, [1.0] * len(mine), -math.inf, 1.0)
    for r in ix.rows:
        if r.kind not in NETWORK_KINDS or r.redundant:
            continue
        members = np.asarray(r.members, dtype=np.int64)
        index, coefs = kept(
            members, np.broadcast_to(np.asarray(r.coef, dtype=np.int64), members.shape)
        )
        if r.placed_coef:
            index.append(placed)
            coefs.append(float(r.placed_coef))
        row(
            index,
            coefs,
            -math.inf if r.lo is None else float(r.lo),
            math.inf if r.hi is None else float(r.hi),
        )
    first = len(proto.constraint)
    for p in rows:
        index, coefs = kept(p.idx, p.coef)
        if p.const:
            index.append(placed)
            coefs.append(float(p.const))
        row(index, coefs, -math.inf, float(p.rhs))
    request = linear_solver_pb2.MPModelRequest(
        solver_type=linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING,
        solver_specific_parameters=_parameters(deterministic_limit),
    )
    if time_limit is not None:
        request.solver_time_limit_seconds = max(0.0, time_limit)
    request.model.CopyFrom(proto)
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    if response.status != linear_solver_pb2.MPSOLVER_OPTIMAL:
        return None
    x = np.zeros(n, dtype=np.float64)
    x[cols] = np.clip(np.asarray(response.variable_value[:placed], dtype=np.float64), 0.0, 1.0)
    duals = np.asarray(response.dual_value[first : first + len(rows)], dtype=np.float64)
    # A maximisation's binding "<=" row has a non-negative dual; a negative
    # one (a tolerance's noise) prices nothing.
    return LpSolution(x, np.maximum(duals, 0.0), float(response.objective_value))
