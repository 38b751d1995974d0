"""Why a problem is infeasible: cheap single-constraint checks, then an assumption core (private).

:func:`precheck` runs before any solve. Each check is a necessary condition
for feasibility (a minimum quota against the candidates who could count
towards it, the minimum size against the candidates with options and the
seats, beds and budget against the least that the required placements
need, pins against seats, quotas, beds and budget), so a conflict it
reports proves infeasibility on its own.

When the checks pass and the solve still proves infeasibility,
:func:`isolate` builds a feasibility model in which every side-constraint
row is switched on by its own assumption literal, reads CP-SAT's
``sufficient_assumptions_for_infeasibility()`` and shrinks that set by
deletion (each row dropped in turn while the rest stays infeasible) when it
is small, so that the rows named are together infeasible and each needed.
With a wall-clock limit, isolation gets what is left of it (at least
:data:`FLOOR` seconds per feasibility solve); it stops when that runs out,
and :class:`Isolation` says whether it was cut short. Ctrl-C stops the
current feasibility solve at once and raises ``KeyboardInterrupt``.
"""

from __future__ import annotations

import heapq
import time
from decimal import Decimal

import attrs
from ortools.sat.python import cp_model

from sgcq.matching._index import Index, Row, RowKind
from sgcq.matching._interruptible import run_interruptibly
from sgcq.matching.result import Conflict, ConflictKind
from sgcq.matching.settings import Settings
from sgcq.models import Money, minor_unit

__all__ = ["FLOOR", "Isolation", "describe_conflicts", "isolate", "precheck"]

#: Most rows a core may have for the deletion pass (one feasibility solve each).
_SHRINK = 12

#: Least wall-clock time (seconds) one feasibility solve is given, even when
#: less of the limit is left (docs/limits.md).
FLOOR = 0.05


@attrs.frozen
class Isolation:
    """The constraints :func:`isolate` names, and whether the time limit cut it short.

    Parameters
    ----------
    conflicts
        The side constraints that are infeasible together (empty if none is found).
    cut_short
        Whether the wall-clock limit ended isolation before it was done: the
        core was not found, or not shrunk, so a row named may not be needed.
    """

    conflicts: tuple[Conflict, ...]
    cut_short: bool = False


def _money(ix: Index, minor: int) -> str:
    cur = ix.problem.currency
    if cur is None:
        return str(minor)
    return str(Money(Decimal(minor) * minor_unit(cur), cur))


def _payer_money(ix: Index, k: int, units: int) -> str:
    """Return ``units`` of payer ``k``'s cost unit as money."""
    return str(Money(Decimal(units) * ix.payer_unit[k], ix.payer_currency[k]))


def _required(ix: Index) -> int:
    """Return how many candidates every solution places at least (minimum size, pins)."""
    return max(ix.problem.constraints.min_size or 0, len(ix.pins))


def precheck(ix: Index) -> tuple[Conflict, ...]:
    """Return the conflicts that single constraints prove, before any solve."""
    out: list[Conflict] = []
    with_options = [c for c, opts in enumerate(ix.by_cand) if opts]
    cons = ix.problem.constraints
    for q in ix.quotas:
        if q.min_count is None:
            continue
        counted = {ix.cand_of[i] for i in q.members}
        if len(counted) < q.min_count:
            out.append(
                Conflict(
                    ConflictKind.QUOTA_MIN,
                    f"quota {q.label()} >= {q.min_count}",
                    f"at most {len(counted)} candidate{'s' if len(counted) != 1 else ''} "
                    "can count towards it",
                )
            )
    if cons.min_size is not None:
        if len(with_options) < cons.min_size:
            out.append(
                Conflict(
                    ConflictKind.MIN_SIZE,
                    f"min_size >= {cons.min_size}",
                    f"only {len(with_options)} candidates have an eligible option",
                )
            )
        elif cons.seats and all(c is not None for c in ix.cap):
            seats = sum(c for c in ix.cap if c is not None)
            if seats < cons.min_size:
                out.append(
                    Conflict(
                        ConflictKind.MIN_SIZE,
                        f"min_size >= {cons.min_size}",
                        f"the positions have {seats} seats in all",
                    )
                )
    out += _pin_checks(ix)
    need = _required(ix)
    if need and ix.budget is not None and len(with_options) >= need:
        cheapest = heapq.nsmallest(
            need, (min(ix.cost[i] for i in ix.by_cand[c]) for c in with_options)
        )
        if sum(cheapest) > ix.budget:
            out.append(
                Conflict(
                    ConflictKind.BUDGET,
                    f"budget <= {_money(ix, ix.budget)}",
                    f"the {need} placements required cost at least {_money(ix, sum(cheapest))}",
                )
            )
    if need and len(with_options) >= need:
        for k, hi in enumerate(ix.payer_budget):
            if hi is None:
                continue
            per = ix.payer_cost[k]
            cheapest = heapq.nsmallest(
                need, (min(per[i] for i in ix.by_cand[c]) for c in with_options)
            )
            if sum(cheapest) > hi:
                out.append(
                    Conflict(
                        ConflictKind.BUDGET,
                        f"budget of {ix.payers[k]} <= {_payer_money(ix, k, hi)}",
                        f"the {need} placements required cost {ix.payers[k]} at least "
                        f"{_payer_money(ix, k, sum(cheapest))}",
                    )
                )
    if need and ix.bed_limit and len(with_options) >= need:
        least = heapq.nsmallest(
            need,
            (
                min(sum(1 for m in ix.opt_months[i] if m in ix.bed_limit) for i in ix.by_cand[c])
                for c in with_options
            ),
        )
        total = sum(ix.bed_limit.values())
        if sum(least) > total:
            out.append(
                Conflict(
                    ConflictKind.BEDS,
                    f"beds <= {total} bed-months in the limited months",
                    f"the {need} placements required hold at least {sum(least)}",
                )
            )
    return tuple(out)


def _pin_checks(ix: Index) -> list[Conflict]:
    out: list[Conflict] = []
    cons = ix.problem.constraints
    at_pos: dict[int, list[int]] = {}
    for c, opts in ix.pins:
        if not opts:
            out.append(
                Conflict(
                    ConflictKind.PINS,
                    f"pin of {ix.cand_ids[c]}",
                    "the pinned position has no eligible option for the candidate",
                )
            )
            continue
        positions = {ix.pos_of[i] for i in opts}
        if len(positions) == 1:
            at_pos.setdefault(positions.pop(), []).append(c)
    if cons.seats:
        for p, cands in at_pos.items():
            cap = ix.cap[p]
            if cap is not None and len(cands) > cap:
                out.append(
                    Conflict(
                        ConflictKind.PINS,
                        f"pins at {ix.pos_ids[p]}",
                        f"{len(cands)} candidates are pinned to its {cap} seat"
                        + ("s" if cap != 1 else ""),
                    )
                )
    for q in ix.quotas:
        if q.max_count is None:
            continue
        forced = sum(1 for _, opts in ix.pins if opts and all(i in q.member_set for i in opts))
        if forced > q.max_count:
            out.append(
                Conflict(
                    ConflictKind.QUOTA_MAX,
                    f"quota {q.label()} <= {q.max_count}",
                    f"{forced} pinned candidates count towards it",
                )
            )
    if ix.budget is not None:
        pinned = sum(min(ix.cost[i] for i in opts) for _, opts in ix.pins if opts)
        if pinned > ix.budget:
            out.append(
                Conflict(
                    ConflictKind.BUDGET,
                    f"budget <= {_money(ix, ix.budget)}",
                    f"the pinned placements cost at least {_money(ix, pinned)}",
                )
            )
    for k, hi in enumerate(ix.payer_budget):
        if hi is None:
            continue
        per = ix.payer_cost[k]
        pinned = sum(min(per[i] for i in opts) for _, opts in ix.pins if opts)
        if pinned > hi:
            out.append(
                Conflict(
                    ConflictKind.BUDGET,
                    f"budget of {ix.payers[k]} <= {_payer_money(ix, k, hi)}",
                    f"the pinned placements cost {ix.payers[k]} at least "
                    f"{_payer_money(ix, k, pinned)}",
                )
            )
    if cons.max_size is not None and len(ix.pins) > cons.max_size:
        out.append(
            Conflict(
                ConflictKind.MAX_SIZE,
                f"max_size <= {cons.max_size}",
                f"{len(ix.pins)} candidates are pinned",
            )
        )
    return out


# --- the assumption core -----------------------------------------------------------


def _describe(ix: Index, row: Row) -> tuple[ConflictKind, str]:
    kind = row.kind
    if kind is RowKind.QUOTA:
        q = ix.quotas[row.at]
        share = row.placed_coef != 0
        if row.lo is not None:
            bound = f"share >= {float(q.min_share or 0):.0%}" if share else f">= {row.lo}"
            return ConflictKind.QUOTA_MIN, f"quota {q.label()} {bound}"
        bound = f"share <= {float(q.max_share or 0):.0%}" if share else f"<= {row.hi}"
        return ConflictKind.QUOTA_MAX, f"quota {q.label()} {bound}"
    if kind is RowKind.MIN_SIZE:
        return ConflictKind.MIN_SIZE, f"min_size >= {row.lo}"
    if kind is RowKind.MAX_SIZE:
        return ConflictKind.MAX_SIZE, f"max_size <= {row.hi}"
    if kind is RowKind.SEATS:
        return ConflictKind.SEATS, f"seats of {row.label} <= {row.hi}"
    if kind is RowKind.HOST_CAP:
        return ConflictKind.HOST_CAP, f"{row.label} <= {row.hi}"
    if kind is RowKind.BEDS:
        return ConflictKind.BEDS, f"{row.label} <= {row.hi}"
    if kind is RowKind.BUDGET:
        return ConflictKind.BUDGET, f"budget <= {_money(ix, row.hi or 0)}"
    if kind is RowKind.PAYER_BUDGET:
        k = row.at
        limit = _payer_money(ix, k, row.hi or 0)
        return ConflictKind.BUDGET, f"budget of {ix.payers[k]} <= {limit}"
    if kind is RowKind.PIN:
        return ConflictKind.PINS, row.label
    return ConflictKind.FORBIDDEN, row.label


class _Feasibility:
    """One Boolean per option, at most one per candidate, each row behind a literal."""

    def __init__(self, ix: Index, rows: list[int]) -> None:
        self.ix = ix
        self.model = model = cp_model.CpModel()
        x = [model.new_bool_var("") for _ in ix.options]
        placed = model.new_int_var(0, len(ix.cand_ids), "placed")
        model.add(placed == sum(x))
        for opts in ix.by_cand:
            if len(opts) > 1:
                model.add_at_most_one(x[i] for i in opts)
        self.literal: dict[int, cp_model.IntVar] = {}
        self.timed_out = False
        for r in rows:
            row = ix.rows[r]
            lit = model.new_bool_var(f"row[{r}]")
            self.literal[r] = lit
            expr = sum(row.coef_of(i) * x[i] for i in row.members) + row.placed_coef * placed
            if row.lo is not None:
                model.add(expr >= row.lo).only_enforce_if(lit)
            if row.hi is not None:
                model.add(expr <= row.hi).only_enforce_if(lit)

    def infeasible(
        self, on: list[int], settings: Settings, until: float | None = None
    ) -> list[int] | None:
        """Return a core of ``on`` if the rows in ``on`` are infeasible together, else None.

        ``until`` (a ``time.perf_counter()`` reading) bounds the solve's wall
        time, with at least :data:`FLOOR` seconds; ``self.timed_out`` says
        whether the last solve ended on a limit rather than an answer.
        """
        model = self.model
        model.clear_assumptions()
        model.add_assumptions([self.literal[r] for r in on])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = settings.seed
        # Ctrl-C reaches Python, as in the CP-SAT stage (not OR-Tools' handler),
        # and stops this solve at once; the interrupt is then raised.
        solver.parameters.catch_sigint_signal = False
        # Cores are read back only without presolve.
        solver.parameters.cp_model_presolve = False
        solver.parameters.max_deterministic_time = 5.0
        if until is not None:
            solver.parameters.max_time_in_seconds = max(until - time.perf_counter(), FLOOR)
        status = run_interruptibly(
            lambda: solver.solve(model), lambda: _stopped(solver), name="sgcq-isolation"
        )
        self.timed_out = status == cp_model.UNKNOWN
        if status != cp_model.INFEASIBLE:
            return None
        index = {self.literal[r].index: r for r in on}
        core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index]
        return core or list(on)


def _stopped(solver: cp_model.CpSolver) -> bool:
    """Stop ``solver`` on Ctrl-C; the interrupt is raised once it has stopped."""
    solver.stop_search()
    return False


def isolate(ix: Index, settings: Settings, until: float | None = None) -> Isolation:
    """Return the side constraints that are infeasible together (empty if none is found).

    Parameters
    ----------
    ix
        The indexed problem, proven infeasible.
    settings
        The seed is used; each feasibility solve is bounded in deterministic time.
    until
        The ``time.perf_counter()`` reading the wall-clock limit ends at
        (``None``: no wall-clock limit). Each feasibility solve gets what is
        left, at least :data:`FLOOR` seconds, and the deletion pass stops
        once it has run out.
    """
    rows = [r for r, row in enumerate(ix.rows) if not row.redundant]
    if not rows:
        return Isolation(())
    model = _Feasibility(ix, rows)
    core = model.infeasible(rows, settings, until)
    if core is None:
        return Isolation((), cut_short=model.timed_out)
    cut = False
    if len(core) <= _SHRINK:
        needed = list(core)
        for r in list(core):
            if until is not None and time.perf_counter() >= until:
                cut = True
                break
            trial = [k for k in needed if k != r]
            if trial and model.infeasible(trial, settings, until) is not None:
                needed = trial
            cut = cut or model.timed_out
        core = needed
    described = [_describe(ix, ix.rows[r]) for r in core]
    out = []
    for kind, text in described:
        others = [t for _, t in described if t != text]
        why = (
            "cannot be met together with "
            + ", ".join(others[:4])
            + (f" and {len(others) - 4} more" if len(others) > 4 else "")
            if others
            else "cannot be met on its own"
        )
        out.append(Conflict(kind, text, why))
    return Isolation(tuple(out), cut_short=cut)


def describe_conflicts(conflicts: tuple[Conflict, ...]) -> str:
    """Return the ``Result.message`` of an infeasible result with these conflicts."""
    together = [c for c in conflicts if c.message.startswith("cannot be met together")]
    if len(together) == len(conflicts) and len(conflicts) > 1:
        return "INFEASIBLE: these constraints cannot all be met together: " + "; ".join(
            c.constraint for c in conflicts
        )
    return "INFEASIBLE: " + "; ".join(c.describe() for c in conflicts)
