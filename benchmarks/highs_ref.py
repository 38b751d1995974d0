"""HiGHS on the same 0/1 model, as a reference column for ``benchmarks/run.py --reference highs``.

The model a user would write by hand for a MIP solver: one binary per
option, at most one option per candidate, every side constraint row of the
problem (seats, quotas with shares as ``coef * x + placed_coef * placed``,
beds by month, the budget) and the first objective group folded into one
weighted score (placed, then welfare, with exact lexicographic weights), all
passed to HiGHS as arrays (one ``addRows`` call in CSR form, no
per-coefficient calls). Every solution HiGHS returns is checked against the
problem's constraints by ``sgcq.testing.checks.constraint_violations`` (plain
code, no solver).

Needs ``highspy`` (in the ``dev`` extra).
"""

from __future__ import annotations

import time
from typing import Any

import highspy
import numpy as np

from sgcq.matching import Problem
from sgcq.matching._index import Index
from sgcq.matching._objective import (
    level_coefficients,
    level_groups,
    lex_weights,
    maximised,
    objective_levels,
    value,
)
from sgcq.testing.checks.matching import constraint_violations

__all__ = ["model_arrays", "solve_highs"]


def model_arrays(ix: Index) -> dict[str, Any]:
    """Return the 0/1 model of ``ix`` as arrays: costs, and rows in CSR form with bounds."""
    n = len(ix.options)
    first = level_groups(ix)[0]
    weights = lex_weights(ix, first)
    assert weights is not None
    cost = np.zeros(n)
    for obj, w in zip(first, weights, strict=True):
        sign = 1.0 if maximised(obj) else -1.0
        cost += sign * w * np.asarray(level_coefficients(ix, obj), dtype=float)
    starts: list[int] = [0]
    index: list[np.ndarray] = []
    coef: list[np.ndarray] = []
    lower: list[float] = []
    upper: list[float] = []
    nnz = 0
    for opts in ix.by_cand:
        if not opts:
            continue
        index.append(np.asarray(opts, dtype=np.int32))
        coef.append(np.ones(len(opts)))
        nnz += len(opts)
        starts.append(nnz)
        lower.append(-np.inf)
        upper.append(1.0)
    for row in ix.rows:
        if row.redundant:
            continue
        members = np.asarray(row.members, dtype=np.int32)
        c = np.broadcast_to(np.asarray(row.coef, dtype=float), members.shape).astype(float)
        if row.placed_coef:
            # A share: coef * members + placed_coef * (every option).
            dense = np.full(n, float(row.placed_coef))
            dense[members] += c
            keep = np.nonzero(dense)[0].astype(np.int32)
            members, c = keep, dense[keep]
        index.append(members)
        coef.append(c)
        nnz += len(members)
        starts.append(nnz)
        lower.append(-np.inf if row.lo is None else float(row.lo))
        upper.append(np.inf if row.hi is None else float(row.hi))
    return {
        "cost": cost,
        "starts": np.asarray(starts[:-1], dtype=np.int32),
        "index": np.concatenate(index) if index else np.zeros(0, dtype=np.int32),
        "value": np.concatenate(coef) if coef else np.zeros(0),
        "lower": np.asarray(lower),
        "upper": np.asarray(upper),
    }


def solve_highs(
    problem: Problem, time_limit: float, *, threads: int = 2, relax: bool = False
) -> dict[str, Any]:
    """Solve the 0/1 model with HiGHS (or its LP relaxation with ``relax``); return measurements."""
    t0 = time.perf_counter()
    ix = Index(problem)
    a = model_arrays(ix)
    n = len(ix.options)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", threads)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.5)  # the folded score is an integer
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), a["cost"])
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    if not relax:
        h.changeColsIntegrality(
            n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
        )
    h.addRows(
        len(a["lower"]),
        a["lower"],
        a["upper"],
        len(a["index"]),
        a["starts"],
        a["index"],
        a["value"],
    )
    build = time.perf_counter() - t0
    h.run()
    wall = time.perf_counter() - t0
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    out: dict[str, Any] = {"highs_status": status, "highs_s": wall, "highs_build_s": build}
    if relax:
        out["lp_bound"] = info.objective_function_value
        return out
    out["highs_bound"] = info.mip_dual_bound
    out["highs_gap"] = info.mip_gap
    if info.primal_solution_status >= 2:  # a feasible solution
        x = np.asarray(h.getSolution().col_value)
        picked = [int(i) for i in np.nonzero(x > 0.5)[0]]
        chosen = [-1] * len(ix.cand_ids)
        for i in picked:
            chosen[ix.cand_of[i]] = i
        out["highs_objective"] = "/".join(
            str(value(ix, obj, chosen)) for obj in objective_levels(ix)
        )
        bad = constraint_violations(problem, [ix.options[i] for i in picked])
        out["highs_check"] = "ok" if not bad else f"{len(bad)} violations: {bad[0].message}"
    return out
