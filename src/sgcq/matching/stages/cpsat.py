"""The CP-SAT model: one Boolean per option, every side constraint from its row (internal stage).

The lexicographic objective is solved level group by level group: levels whose
values are sums over options are folded into one weighted objective when the
weights stay exact (``docs/decisions/0010-objective-levels.md``); after each
group its value is fixed as a constraint and the solution is the hint of the
next solve.
"""

from __future__ import annotations

import logging
import math
import time

import attrs
import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from sgcq.matching._index import UNPLACED, Index, Row
from sgcq.matching._interruptible import run_interruptibly
from sgcq.matching._objective import (
    folded_group_values,
    group_values,
    level_coefficients,
    level_groups,
    level_value,
    lex_weights,
    maximised,
    objective_levels,
)
from sgcq.matching.elements import Objective, Stability
from sgcq.matching.errors import MatchingError, ModelInvalidError
from sgcq.matching.progress import Tracker
from sgcq.matching.result import LevelValue, Status
from sgcq.matching.settings import Settings, SolvePath
from sgcq.matching.stages import Carry, Outcome, Refusal
from sgcq.matching.stages._guard import Response, solve_guarded, solve_here
from sgcq.matching.stages.lagrangian import NO_BOUND

__all__ = [
    "KEEP_SHARE",
    "CpSatOutcome",
    "CpSatScheduler",
    "CpSatStage",
    "cpsat_reserve",
    "infeasible_message",
    "map_status",
]

_log = logging.getLogger("sgcq.matching")

_MIN = -(2**63) + 1
_MAX = 2**63 - 1


def _unit(row: Row) -> bool:
    return row.coef == 1


#: Options above which presolve is trimmed (see ``CpSatScheduler._solver``).
LARGE = 20_000

# Seconds per option of a wall-clock limit that CP-SAT leaves for what comes
# after it: stopping its workers and reading the solution back (measured at
# 40,000 candidates and 1.32 million options on 2 cores: 1.2 s to 3.1 s past
# its own limit), then the result (assignments, counts, explanations; the
# explanations stop early enough for the rest, see ``_explain.build_result``).
RESERVE_PER_OPTION = 6e-6
# The reserve never takes more than this share of the limit.
RESERVE_SHARE = 0.1


def cpsat_reserve(ix: Index, settings: Settings, options: int | None = None) -> float:
    """Return the seconds of a wall-clock limit CP-SAT leaves for the result (0 without one).

    ``RESERVE_PER_OPTION`` per option (``options``, or the index's), at most
    ``RESERVE_SHARE`` of the limit.
    """
    if settings.time_limit is None:
        return 0.0
    count = len(ix.options) if options is None else options
    return min(RESERVE_SHARE * settings.time_limit, RESERVE_PER_OPTION * count)


def map_status(code: int, validation: str = "") -> Status:
    """Return the :class:`Status` of a CP-SAT status code; MODEL_INVALID raises.

    Raises
    ------
    ModelInvalidError
        For ``MODEL_INVALID``, with ``validation`` (CP-SAT's text).
    MatchingError
        For a code CP-SAT does not define.
    """
    if code == int(cp_model.MODEL_INVALID):
        raise ModelInvalidError(validation or "no validation text")
    statuses = {
        int(cp_model.OPTIMAL): Status.OPTIMAL,
        int(cp_model.FEASIBLE): Status.FEASIBLE,
        int(cp_model.INFEASIBLE): Status.INFEASIBLE,
        int(cp_model.UNKNOWN): Status.UNKNOWN,
    }
    if code not in statuses:
        raise MatchingError(f"CP-SAT returned an unknown status code {code}")
    return statuses[code]


class CpSatOutcome:
    """What the CP-SAT runs produced."""

    def __init__(
        self,
        status: Status,
        chosen: list[int] | None,
        levels: tuple[LevelValue, ...],
        message: str,
    ) -> None:
        self.status = status
        self.chosen = chosen
        self.levels = levels
        self.message = message


class CpSatScheduler:
    """Builds the CP-SAT model of a problem and solves its objective levels in turn."""

    def __init__(self, ix: Index, *, stability: bool = True) -> None:
        self.ix = ix
        self.first_group_bound: int | None = None
        self.model = cp_model.CpModel()
        named = len(ix.options) <= 5000
        self.x = [
            self.model.new_bool_var(f"x[{o.candidate}@{o.position}:{o.start}]" if named else "")
            for o in ix.options
        ]
        self.blocking: list[cp_model.IntVar] = []
        #: Auxiliary counters for complete hints: (variable, index of the counter
        #: it adds to or -1, the options it counts on top of that).
        self.counters: list[tuple[cp_model.IntVar, int, list[int]]] = []
        # One variable for the number placed keeps the size and share
        # constraints short (two terms instead of one per option).
        self.xi = [v.index for v in self.x]
        self.placed = self.model.new_int_var(0, len(ix.cand_ids), "placed")
        self._linear([*self.xi, self.placed.index], [1] * len(self.x) + [-1], 0, 0)
        self.counters.append((self.placed, -1, list(range(len(self.x)))))
        self._one_per_candidate()
        self._rows()
        counted = Objective.BLOCKING_PAIRS in objective_levels(ix)
        if stability and (ix.problem.stability is not Stability.OFF or counted):
            # Stability off with BLOCKING_PAIRS listed: count the pairs (to
            # minimise them at their level) without forbidding any.
            self._stability(minimise=ix.problem.stability is not Stability.STRICT)

    # --- constraint families ----------------------------------------------

    def _linear(self, variables: list[int], coeffs: list[int] | None, lo: int, hi: int) -> None:
        """Add ``lo <= sum(coeffs * variables) <= hi`` straight into the proto.

        Building big sums through ``LinearExpr`` costs seconds on models with
        hundreds of thousands of options; the proto takes index lists as they are.
        """
        ct = self.model.proto.constraints.add()
        ct.linear.vars.extend(variables)
        ct.linear.coeffs.extend(coeffs if coeffs is not None else [1] * len(variables))
        ct.linear.domain.extend([lo, hi])

    def _one_per_candidate(self) -> None:
        for opts in self.ix.by_cand:
            if len(opts) > 1:
                self.model.add_at_most_one(self.x[i] for i in opts)

    def _rows(self) -> None:
        """Write every side constraint from its row, in the index's order.

        Rows no assignment can break are left out. The form follows the
        row's shape: exactly one (a pin), options fixed to 0 (forbidden
        pairs), a bound on the number placed (cohort size), a bound on a
        counter shared by the rows of one quota (counts and shares stay two
        terms long), or a plain linear row written straight into the proto.
        """
        counters: dict[int, cp_model.IntVar] = {}
        for row in self.ix.rows:
            if row.redundant:
                continue
            if row.group is not None:
                count = counters.get(row.group)
                if count is None:
                    count = counters[row.group] = self._counter(row)
                self._counted(row, count)
            elif not row.members:
                expr = row.placed_coef * self.placed
                if row.lo is not None:
                    self.model.add(expr >= row.lo)
                if row.hi is not None:
                    self.model.add(expr <= row.hi)
            elif _unit(row) and row.lo == 1 and row.hi == 1 and not row.placed_coef:
                self.model.add_exactly_one(self.x[i] for i in row.members)
            elif _unit(row) and row.hi == 0 and row.lo is None and not row.placed_coef:
                for i in row.members:
                    self.model.add(self.x[i] == 0)
            else:
                self._linear_row(row)

    def _counter(self, row: Row) -> cp_model.IntVar:
        """Return a new counter of a quota's members, linked to them."""
        assert row.group is not None
        members = row.members
        label = self.ix.quotas[row.group].label()
        count = self.model.new_int_var(0, len(members), f"quota[{label}]")
        self._linear([self.xi[i] for i in members] + [count.index], [1] * len(members) + [-1], 0, 0)
        self.counters.append((count, -1, list(members)))
        return count

    def _counted(self, row: Row, count: cp_model.IntVar) -> None:
        """Write a row over a counter: ``coef * count + placed_coef * placed`` within bounds."""
        assert isinstance(row.coef, int)  # rows of a quota count their members once each
        if not row.placed_coef:
            if row.hi is not None:
                self.model.add(row.coef * count <= row.hi if row.coef != 1 else count <= row.hi)
            if row.lo is not None:
                self.model.add(row.coef * count >= row.lo if row.coef != 1 else count >= row.lo)
            return
        # coef * count + placed_coef * placed <= hi, written as den * count <= num * placed.
        share = -row.placed_coef * self.placed
        if row.hi is not None:
            self.model.add(
                row.coef * count <= share + row.hi if row.hi else row.coef * count <= share
            )
        if row.lo is not None:
            self.model.add(
                row.coef * count >= share + row.lo if row.lo else row.coef * count >= share
            )

    def _linear_row(self, row: Row) -> None:
        coef = row.coef
        variables = [self.xi[i] for i in row.members]
        coeffs = None if coef == 1 else ([coef] * len(variables) if isinstance(coef, int) else coef)
        if row.placed_coef:
            variables.append(self.placed.index)
            coeffs = (coeffs or [1] * len(row.members)) + [row.placed_coef]
        positive = coef >= 0 if isinstance(coef, int) else all(c >= 0 for c in coef)
        lo = row.lo if row.lo is not None else (0 if positive and row.placed_coef >= 0 else _MIN)
        hi = row.hi if row.hi is not None else _MAX
        self._linear(variables, coeffs, lo, hi)

    def _stability(self, *, minimise: bool) -> None:
        """No blocking pair (or count them): ``cap * (A + b) + T >= cap`` per pair.

        ``A`` is 1 when the candidate holds an option it ranks at least as
        well as the position; ``T`` counts the position's holders ranked at
        least as well as the candidate (every holder, for a host that does
        not rank); ``b`` is the blocking indicator (fixed to 0 when strict).
        """
        ix = self.ix
        model = self.model
        x = self.x
        tier_total: dict[tuple[int, int], cp_model.IntVar] = {}
        for p, opts in enumerate(ix.by_pos):
            tiers: dict[int, list[int]] = {}
            for i in opts:
                if i not in ix.forbidden:
                    tiers.setdefault(ix.prank[i], []).append(i)
            running: list[cp_model.IntVar] = []
            base = -1
            size = 0
            for r in sorted(tiers):
                size += len(tiers[r])
                total = model.new_int_var(0, size, "")
                # Prefix sums: holders ranked r or better = those ranked better + tier r.
                model.add(total == cp_model.LinearExpr.sum(running + [x[i] for i in tiers[r]]))
                tier_total[(p, r)] = total
                self.counters.append((total, base, tiers[r]))
                base = len(self.counters) - 1
                running = [total]
        for opts in ix.by_cand:
            done: set[int] = set()
            for i in opts:
                p = ix.pos_of[i]
                if p in done or i in ix.forbidden:
                    continue
                done.add(p)
                cap = ix.stable_cap[p]
                at_least = cp_model.LinearExpr.sum(
                    [x[k] for k in opts if ix.crank[k] <= ix.crank[i]]
                )
                holders = tier_total[(p, ix.prank[i])]
                if minimise:
                    b = model.new_bool_var("")
                    self.blocking.append(b)
                    model.add(cap * at_least + cap * b + holders >= cap)
                else:
                    model.add(cap * at_least + holders >= cap)

    # --- solving ------------------------------------------------------------

    def bound_first_group(self, bound: int) -> None:
        """Declare that the first level group's maximised value is at most ``bound``.

        The bound must be valid (a relaxation's optimum). It becomes the
        domain of the first solve's objective, which CP-SAT uses as its
        objective bound from the start (a separate linear constraint over the
        same sum would wait for the LP to find it).
        """
        self.first_group_bound = bound

    def fix_unused(self, options: tuple[int, ...] | list[int]) -> None:
        """Fix the Booleans of ``options`` to 0 (reduced-cost fixing, decision 0024).

        Sound only for options that no solution better than a known one
        meeting every constraint uses, that known solution's options not
        among them.
        """
        if options:
            # One row (their sum is 0), which presolve turns into fixings.
            self._linear([self.xi[i] for i in options], None, 0, 0)

    def _level_expr(self, group: list[Objective]) -> tuple[list[int], list[int], list[int]]:
        """Return the maximised objective of a group (variables, coefficients) and its weights."""
        if group == [Objective.BLOCKING_PAIRS]:
            return [b.index for b in self.blocking], [-1] * len(self.blocking), [1]
        weights = lex_weights(self.ix, group)
        assert weights is not None  # groups are formed only when the weights fit
        score = [0] * len(self.x)
        for obj, w in zip(group, weights, strict=True):
            sign = 1 if maximised(obj) else -1
            for i, c in enumerate(level_coefficients(self.ix, obj)):
                if c:
                    score[i] += sign * w * c
        keep = [i for i, sc in enumerate(score) if sc]
        return [self.xi[i] for i in keep], [score[i] for i in keep], weights

    def _maximise(self, variables: list[int], coeffs: list[int]) -> None:
        """Set ``maximise sum(coeffs * variables)`` in the proto (stored as a minimisation)."""
        self.model.clear_objective()  # type: ignore[no-untyped-call]
        objective = self.model.proto.objective
        objective.vars.extend(variables)
        objective.coeffs.extend([-c for c in coeffs])
        objective.scaling_factor = -1

    def _hint(self, chosen: list[int]) -> None:
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        on = {i for i in chosen if i != UNPLACED}
        values: list[int] = []
        for _var, base, opts in self.counters:
            values.append((values[base] if base >= 0 else 0) + sum(1 for i in opts if i in on))
        # Written straight into the proto: add_hint per variable costs seconds
        # on large models. A complete hint lets CP-SAT take it as a solution.
        hint = self.model.proto.solution_hint
        hint.vars.extend([var.index for var in self.x] + [v.index for v, _, _ in self.counters])
        hint.values.extend([1 if i in on else 0 for i in range(len(self.x))] + values)

    def _solver(self, settings: Settings, spent: float, det_spent: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = settings.workers
        params.random_seed = settings.seed
        if settings.time_limit is not None:
            reserve = cpsat_reserve(self.ix, settings, len(self.x))
            params.max_time_in_seconds = max(settings.time_limit - spent - reserve, 0.001)
        if settings.deterministic_time_limit is not None:
            params.max_deterministic_time = max(
                settings.deterministic_time_limit - det_spent, 0.001
            )
        if settings.relative_gap is not None:
            params.relative_gap_limit = settings.relative_gap
        if len(self.x) > LARGE:
            # On large assignment models the inclusion detection and probing of
            # presolve can take the whole time limit before any search (measured:
            # 2,000 candidates with side constraints, 66k options, no solution in
            # 30 s with defaults; 0.13 % gap on PLACED with these two off).
            params.presolve_inclusion_work_limit = 0
            params.cp_model_probing_level = 0
            # 10,000 candidates with side constraints (330k options): the full
            # presolve took 15 s of a 30 s limit and the LP bound never came;
            # one presolve pass leaves time for it (gap on PLACED 0.03 %).
            params.max_presolve_iterations = 1
        if settings.log:
            params.log_search_progress = True
            params.log_to_stdout = False
            solver.log_callback = _log.info
        return solver

    def solve(
        self,
        settings: Settings,
        hint: list[int] | None,
        started: float | None = None,
        progress: Tracker | None = None,
        carry: Carry | None = None,
    ) -> CpSatOutcome:
        """Solve every level group in turn; return the status, solution and level values.

        ``started`` is the ``time.perf_counter()`` reading the wall-clock
        limit counts from (now, if ``None``). ``progress`` receives an event
        per solution and per level group, and can stop the solve; so can
        Ctrl-C (the best solution so far is kept). ``carry``, if given,
        records each level group's solution (``Carry.solved``) as soon as
        it is read back, so that a ``KeyboardInterrupt`` after it still
        finds it.
        """
        ix = self.ix
        invalid = self.model.validate()
        if invalid:
            raise ModelInvalidError(invalid)
        levels = objective_levels(ix)
        groups = level_groups(ix, levels)
        started = time.perf_counter() if started is None else started
        det_spent = 0.0
        chosen = hint
        proven_all = True
        values: list[LevelValue] = []
        notes: list[str] = []
        status = Status.UNKNOWN
        for g, group in enumerate(groups):
            variables, coeffs, weights = self._level_expr(group)
            self._maximise(variables, coeffs)
            if g == 0 and self.first_group_bound is not None:
                # Stored as a minimisation of -sum(coeffs * x): at least -bound.
                # A bound below every score (the relaxation proved the model
                # infeasible) still needs a well-formed domain.
                low = -self.first_group_bound
                top = max(sum(abs(c) for c in coeffs), low)
                self.model.proto.objective.domain.extend([low, top])
            if chosen is not None:
                self._hint(chosen)
            solver = self._solver(settings, time.perf_counter() - started, det_spent)
            # Once blocking pairs are counted, a later level's model can abort
            # CP-SAT 9.15 in presolve (issue 19): solved where that cannot kill
            # the caller's process.
            isolate = bool(self.blocking) and g > 0
            if isolate:
                got = solve_guarded(self.model, solver, len(self.x))
            else:
                got = _solve_watched(self, solver, progress, g)
            if got.note:
                notes.append(got.note)
            code = got.code
            det_spent += got.deterministic_time
            invalid_text = self.model.validate() if code == int(cp_model.MODEL_INVALID) else ""
            mapped = map_status(code, invalid_text or got.info)
            if mapped is Status.INFEASIBLE:
                return CpSatOutcome(Status.INFEASIBLE, None, (), "")
            halted = progress is not None and progress.halted
            if mapped is Status.UNKNOWN:
                if g == 0:
                    why = (
                        progress.reason()
                        if halted and progress
                        else "no solution within the limits"
                    )
                    return CpSatOutcome(Status.UNKNOWN, None, (), why)
                break  # keep the earlier groups' solution
            solution = got.solution  # the option Booleans come first
            chosen = [UNPLACED] * len(ix.cand_ids)
            for i, on in enumerate(solution):
                if on:
                    chosen[ix.cand_of[i]] = i
            if carry is not None:
                carry.solved = chosen
            value = round(got.objective)
            bound = math.floor(got.bound + 1e-6)
            # CP-SAT reports OPTIMAL once Settings.relative_gap is reached, so
            # with a gap asked for a level is proven only when its value meets
            # the bound.
            within_gap = (
                mapped is Status.OPTIMAL and settings.relative_gap is not None and value < bound
            )
            proven = mapped is Status.OPTIMAL and not within_gap
            values.extend(group_values(ix, group, weights, chosen, bound, proven))
            status = Status.FEASIBLE
            if progress is not None:
                progress.emit(
                    "cp_sat",
                    placed=sum(1 for c in chosen if c != UNPLACED),
                    objective=(value,),
                    bound=(bound,),
                    message=f"level group {g + 1} of {len(groups)} "
                    + ("proven" if proven else "not proven"),
                )
            if halted:
                proven_all = proven_all and proven and g == len(groups) - 1
                if not proven:
                    break
            if proven and group == [Objective.BLOCKING_PAIRS] and value == 0:
                # No blocking pair: fix each indicator instead of an equality over
                # their sum, a form CP-SAT 9.15's presolve has aborted on.
                for b in self.blocking:
                    self.model.add(b == 0)
            elif proven:
                self._linear(variables, coeffs, value, value)
            elif within_gap:
                # Stopped at the asked gap: the next group keeps at least this
                # value, and the status cannot be OPTIMAL.
                proven_all = False
                self._linear(variables, coeffs, value, sum(c for c in coeffs if c > 0))
            else:
                proven_all = False
                self._linear(variables, coeffs, value, sum(c for c in coeffs if c > 0))
                break
        assert chosen is not None
        done = {lv.objective for lv in values}
        for obj in levels:
            if obj.value not in done:
                proven_all = False
                values.append(level_value(ix, obj, chosen, False, None, 1))
        if proven_all:
            status = Status.OPTIMAL
        return CpSatOutcome(status, chosen, tuple(values), "; ".join(notes))


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports every CP-SAT solution and stops the search when asked to."""

    def __init__(self, scheduler: CpSatScheduler, progress: Tracker | None, group: int) -> None:
        super().__init__()
        self.scheduler = scheduler
        self.progress = progress
        self.group = group

    def on_solution_callback(self) -> None:
        """Send one event; stop the search if the callback (or Ctrl-C) says so."""
        if self.progress is None or not self.progress.active:
            return
        placed = int(self.value(self.scheduler.placed))
        objective = round(self.objective_value)
        bound = math.floor(self.best_objective_bound + 1e-6)
        stop = self.progress.emit(
            "cp_sat",
            placed=placed,
            objective=(objective,),
            bound=(bound,),
            message=f"solution in level group {self.group + 1}",
        )
        if stop:
            self.stop_search()


def _solve_watched(
    scheduler: CpSatScheduler, solver: cp_model.CpSolver, progress: Tracker | None, group: int
) -> Response:
    """Solve in a worker thread; Ctrl-C in the caller stops the search and keeps the best.

    CP-SAT's own SIGINT handler is switched off, so Ctrl-C reaches Python
    (the main thread waits here, interruptibly), which stops the search
    and marks ``progress`` interrupted; the solve then returns its best
    solution as usual.
    """
    solver.parameters.catch_sigint_signal = False
    # The watcher is attached whether or not anyone listens: on OR-Tools 9.10
    # a solve with a solution callback can take another search path than one
    # without, and events must never change the result.
    callback = _Watcher(scheduler, progress, group)
    if progress is not None and progress.halted:
        solver.parameters.max_time_in_seconds = 0.001

    def interrupted() -> bool:
        solver.stop_search()
        if progress is None:
            return False  # nobody to hand the best solution to: raise once stopped
        progress.interrupted = True
        return True

    return run_interruptibly(
        lambda: solve_here(scheduler.model, solver, len(scheduler.x), callback), interrupted
    )


def infeasible_message(ix: Index, settings: Settings) -> str:
    """Return why a problem proven infeasible is so (strict stability checked without it)."""
    problem = ix.problem
    active = ["seats"] if problem.constraints.seats else []
    active += list(problem.constraints.side_constraints)
    if problem.stability is Stability.STRICT:
        scheduler = CpSatScheduler(ix, stability=False)
        check = scheduler.solve(settings, None)
        if check.status.has_solution:
            return (
                "INFEASIBLE: strict stability cannot be met together with the constraints "
                f"({', '.join(active) or 'none'}); without stability they can be. "
                "Use Stability.MIN_BLOCKING to get the fewest blocking pairs."
            )
        if check.status is Status.INFEASIBLE:
            return (
                "INFEASIBLE: the constraints cannot all be met, even without stability "
                f"({', '.join(active)})"
            )
    return f"INFEASIBLE: no assignment meets every constraint together ({', '.join(active)})"


class CpSatStage:
    """CP-SAT over every constraint, level group by level group; applies to every problem."""

    path = SolvePath.CP_SAT

    def supports(self, ix: Index) -> list[Refusal]:
        """Return no refusal: CP-SAT holds every row, stability and objective."""
        return []

    def run(self, ix: Index, settings: Settings, carry: Carry) -> Outcome:
        """Solve from ``carry.hint``, with ``carry.bound`` on the first level group.

        With the Lagrangian stage's per-option bounds and a solution meeting
        every constraint (``carry.option_bounds``, ``carry.incumbent``), the
        options no better solution uses are left out (reduced-cost fixing,
        decision 0024), after a first solve on the options closest to the
        bound when there is one level group. The answer is recorded on the
        carry (``carry.solved``) as soon as it is known, for Ctrl-C.
        """
        found: Outcome | CpSatOutcome
        if (
            carry.option_bounds is not None
            and carry.incumbent is not None
            and carry.bound is not None
            and len(ix.options) > FIXING_OPTIONS
        ):
            found = _fixed_rounds(ix, settings, carry, carry.option_bounds, carry.bound)
        else:
            found = _scheduled(ix, carry.bound, ()).solve(
                settings, carry.hint, carry.started, carry.progress, carry
            )
        if found.chosen is not None:
            carry.solved = found.chosen
            carry.solved_levels = found.levels
            carry.solved_status = found.status
        return Outcome(found.status, found.chosen, found.levels, found.message)


#: Reduced-cost fixing runs only on problems with more options than this.
#: Measured: on the hard family at 1k (32,946 options) it turns FEASIBLE after
#: 60 s into OPTIMAL in 7 to 19 s; on variations of the bundled NTU cohort
#: (2,126 options, beds x0.7 to x1.24, budget x0.5 to x1.4) it made twelve
#: solves take 56 s instead of 9 s, and one ended FEASIBLE below the optimum,
#: because round 1 spends half the limit without a proof there.
FIXING_OPTIONS = 20_000

#: The first round of reduced-cost fixing keeps this share of the options:
#: those whose bound is closest to the Lagrangian bound (measured on the hard
#: family at 1k, 32,946 options: keeping 44 % proved the optimum in 9 s on
#: 2 workers, keeping 8 % or 25 % had not proven it in 30 s).
KEEP_SHARE = 0.45


def _scheduled(ix: Index, bound: int | None, fixed: list[int] | tuple[int, ...]) -> CpSatScheduler:
    scheduler = CpSatScheduler(ix)
    if bound is not None:
        _log.debug("first level group bounded by %d", bound)
        scheduler.bound_first_group(bound)
    scheduler.fix_unused(fixed)
    return scheduler


def _first_score(ix: Index, chosen: list[int]) -> int:
    """Return the first level group's folded score of a solution."""
    group = level_groups(ix)[0]
    weights = lex_weights(ix, group)
    assert weights is not None  # the Lagrangian stage ran on this group
    total = 0
    for obj, w in zip(group, weights, strict=True):
        sign = 1 if maximised(obj) else -1
        coef = level_coefficients(ix, obj)
        total += sign * w * sum(coef[i] for i in chosen if i != UNPLACED)
    return total


def _fixed_rounds(
    ix: Index, settings: Settings, carry: Carry, bounds: npt.NDArray[np.int64], bound: int
) -> Outcome:
    """CP-SAT with reduced-cost fixing (decision 0024).

    ``bounds[j]`` is the largest first-group score of a solution meeting
    every constraint that uses option ``j``. Round 1 (one level group only)
    solves on the options with a bound above a threshold ``t``, the
    incumbent's and the hint's kept: if it proves its optimum ``v >= t``,
    no left-out option takes part in a better solution, and ``v`` is the
    optimum. Otherwise round 2 leaves out only the options whose bound is at
    most the best score known ``v`` (below it, with later level groups, so
    that every optimum of the first group stays): its optimum is the
    problem's.
    """
    assert carry.incumbent is not None
    groups = level_groups(ix)
    single = len(groups) == 1
    best = carry.incumbent
    value = _first_score(ix, best)
    hint = carry.hint if carry.hint is not None else best
    keep = {i for i in (*best, *hint) if i != UNPLACED}
    n = len(ix.options)
    open_ = bounds != NO_BOUND
    notes: list[str] = []
    if single and open_.any():
        # The threshold leaving KEEP_SHARE of the options with a known bound.
        ranked = np.sort(bounds[open_])
        cut = int(ranked[max(0, int(len(ranked) * (1 - KEEP_SHARE)) - 1)])
        t = min(bound - 1, cut)
        if t > value:
            fixed = [int(j) for j in np.flatnonzero(open_ & (bounds <= t)) if int(j) not in keep]
            now = time.perf_counter() - carry.started
            half = settings
            if settings.time_limit is not None:
                half = attrs.evolve(half, time_limit=now + (settings.time_limit - now) / 2)
            if settings.deterministic_time_limit is not None:
                half = attrs.evolve(
                    half, deterministic_time_limit=settings.deterministic_time_limit / 2
                )
            begun = time.perf_counter()
            scheduler = _scheduled(ix, bound, fixed)
            built = time.perf_counter() - begun
            first = scheduler.solve(half, hint, carry.started, carry.progress)
            reached = None if first.chosen is None else _first_score(ix, first.chosen)
            notes.append(
                f"reduced-cost fixing, round 1: CP-SAT on the {n - len(fixed):,} of {n:,} options "
                f"closest to the bound ({first.status.value})"
            )
            if first.status is Status.OPTIMAL and reached is not None and reached >= t:
                notes.append("its optimum is the problem's (every option left out allows less)")
                return Outcome(first.status, first.chosen, first.levels, "; ".join(notes))
            if first.chosen is not None and reached is not None and reached > value:
                best, value, hint = first.chosen, reached, first.chosen
                keep = {i for i in best if i != UNPLACED}
            halted = carry.progress is not None and carry.progress.halted
            # Round 2 builds the same model (every option a Boolean, the
            # fixing one more row), then starts: twice round 1's build, with
            # the reserve CP-SAT leaves for the result.
            need = 2 * built + cpsat_reserve(ix, settings)
            left = None
            if settings.time_limit is not None:
                left = settings.time_limit - (time.perf_counter() - carry.started)
            if halted or (left is not None and left < need):
                if not halted:
                    notes.append(
                        f"round 2 not started: {max(left or 0.0, 0.0):.1f} s of the time limit "
                        f"left, less than its model needs (about {need:.1f} s)"
                    )
                levels = tuple(folded_group_values(ix, best, bound, False))
                return Outcome(Status.FEASIBLE, best, levels, "; ".join(notes))
    if notes and settings.deterministic_time_limit is not None:
        # Round 1 had half the deterministic limit: round 2 gets the other half.
        settings = attrs.evolve(
            settings, deterministic_time_limit=settings.deterministic_time_limit / 2
        )
    limit = value if single else value - 1
    fixed = [int(j) for j in np.flatnonzero(open_ & (bounds <= limit)) if int(j) not in keep]
    notes.append(
        f"reduced-cost fixing left out {len(fixed):,} of {n:,} options "
        f"(none takes part in a solution better than one scoring {value:,})"
    )
    # Round 2's optimum and bound are the whole problem's (decision 0024), so
    # its solutions go on the carry as they come; round 1's bound is only its
    # own model's, so it does not.
    found = _scheduled(ix, bound, fixed).solve(settings, hint, carry.started, carry.progress, carry)
    if found.message:
        notes.append(found.message)
    if found.chosen is None or _first_score(ix, found.chosen) < value:
        # No solution, or a worse one, in what was left: the best known stands.
        if found.status is Status.INFEASIBLE:
            raise MatchingError(
                "reduced-cost fixing removed a solution that meets every constraint"
            )
        levels = tuple(folded_group_values(ix, best, bound, False))
        return Outcome(Status.FEASIBLE, best, levels, "; ".join(notes))
    return Outcome(found.status, found.chosen, found.levels, "; ".join(notes))
