"""Solve a matching problem: pick the fastest exact path, run it, explain the result.

Examples
--------
>>> from datetime import date
>>> from sgcq.matching import MatchCandidate, MatchPosition, Option, Problem, Settings
>>> from sgcq.models import DateRange, Mode
>>> stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
>>> problem = Problem(
...     candidates=(MatchCandidate("c1", "ntu"), MatchCandidate("c2", "nus")),
...     positions=(MatchPosition("p1", "h1", seats=1), MatchPosition("p2", "h2", seats=1)),
...     options=(
...         Option("c1", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...         Option("c2", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...         Option("c2", "p2", stay.start, stay, Mode.ON_SITE, candidate_rank=2),
...     ),
... )
>>> result = solve(problem, Settings(deterministic_time_limit=5))
>>> result.status.value, result.path.value, result.as_mapping()
('optimal', 'flow', {'c1': 'p1', 'c2': 'p2'})
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sgcq.matching._cpsat import (
    CpSatScheduler,
    group_values,
    level_groups,
    level_value,
    objective_levels,
)
from sgcq.matching._deferred import deferred_acceptance, deferred_blockers, proposing_side
from sgcq.matching._extract import blocking_pairs, build_result, violations
from sgcq.matching._flow import (
    PER_OPTION_LEVELS,
    level_range,
    lex_weights,
    per_option_score,
    solve_flow,
)
from sgcq.matching._flow import flow_blockers as _flow_blockers
from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._lagrange import Lagrangian, lagrangian_blockers
from sgcq.matching._repair import greedy, repair
from sgcq.matching.errors import UnsupportedPathError
from sgcq.matching.problem import Evaluator, Objective, Problem, Stability
from sgcq.matching.result import LevelValue, Result, Status
from sgcq.matching.settings import Settings, SolvePath
from sgcq.models import Scenario

__all__ = ["choose_path", "match_scenario", "solve"]

_log = logging.getLogger("sgcq.matching")


def choose_path(problem: Problem, settings: Settings | None = None) -> tuple[SolvePath, str]:
    """Return the path :func:`solve` would take and why.

    Raises
    ------
    UnsupportedPathError
        If ``settings.path`` forces a path that cannot solve the problem.
    """
    return _choose(Index(problem), settings or Settings())


def _choose(ix: Index, settings: Settings) -> tuple[SolvePath, str]:
    asked = settings.path
    if asked is SolvePath.CP_SAT:
        return SolvePath.CP_SAT, "CP-SAT was asked for"
    if asked is SolvePath.LAGRANGIAN:
        first = level_groups(ix, objective_levels(ix))[0]
        no = lagrangian_blockers(ix, first)
        if no:
            raise UnsupportedPathError(
                "the Lagrangian relaxation cannot handle this problem: " + "; ".join(no)
            )
        return (
            SolvePath.LAGRANGIAN,
            "the Lagrangian relaxation with a greedy solution was asked for",
        )
    flow_no = _flow_blockers(ix)
    da_no = deferred_blockers(ix)
    if asked is SolvePath.FLOW:
        if flow_no:
            raise UnsupportedPathError(
                "min-cost flow cannot solve this problem: " + "; ".join(flow_no)
            )
        return SolvePath.FLOW, "min-cost flow was asked for"
    if asked is SolvePath.DEFERRED_ACCEPTANCE:
        hard = [r for r in da_no if "ties" not in r and not r.startswith("objective")]
        if hard:
            raise UnsupportedPathError(
                "deferred acceptance cannot solve this problem: " + "; ".join(hard)
            )
        return SolvePath.DEFERRED_ACCEPTANCE, "deferred acceptance was asked for"
    if not flow_no:
        return SolvePath.FLOW, "a pure capacitated assignment: min-cost flow is exact"
    if not da_no:
        return SolvePath.DEFERRED_ACCEPTANCE, (
            "strict stability with strict preferences and no side constraints: "
            "deferred acceptance is exact"
        )
    return SolvePath.CP_SAT, "CP-SAT (" + "; ".join(flow_no[:2]) + ")"


def _exact_levels(ix: Index, chosen: list[int], proven: bool) -> tuple[LevelValue, ...]:
    out = []
    for obj in objective_levels(ix):
        value = ix.value(obj, chosen)
        if proven:
            out.append(LevelValue(obj.value, value, value, True))
        else:
            trivial = level_range(ix, obj) if obj.maximise else 0
            out.append(
                LevelValue(obj.value, value, max(trivial, value) if obj.maximise else 0, False)
            )
    return tuple(out)


#: Solutions of the side-constraint-free relaxation, keyed by how they were solved,
#: so that the bound and the hint of one solve share them.
_Relaxed = dict[tuple[object, ...], list[int]]


def _stable_start(ix: Index, memo: _Relaxed) -> list[int]:
    side = proposing_side(ix)
    key: tuple[object, ...] = ("deferred_acceptance", side)
    if key not in memo:
        memo[key] = deferred_acceptance(ix, side)
    return memo[key]


def _flow_start(ix: Index, levels: list[Objective], memo: _Relaxed) -> list[int]:
    key: tuple[object, ...] = ("flow", *levels)
    if key not in memo:
        memo[key] = solve_flow(ix, levels=levels, side=False)
    return memo[key]


def _hint(ix: Index, memo: _Relaxed) -> list[int]:
    """Return a starting solution for CP-SAT: deferred acceptance or flow, then repaired."""
    if ix.problem.stability is not Stability.OFF:
        start = _stable_start(ix, memo)
    else:
        per_option: list[Objective] = [
            o
            for o in ix.problem.objectives
            if o not in (Objective.PLACED, Objective.BLOCKING_PAIRS)
        ]
        start = _flow_start(ix, per_option, memo)
    return repair(ix, start)


def _relaxation_bound(ix: Index, memo: _Relaxed) -> int | None:
    """Return a bound on the first level group when the Lagrangian stage does not apply.

    Under strict stability where deferred acceptance is exact (strict
    preferences, no side constraints) its value is the optimum itself; CP-SAT
    takes it as the first solve's objective domain, so a hint that reaches it
    is proven optimal at once (decision 0014). With stability off the
    Lagrangian stage (:func:`_lagrangian`) gives the bound instead: its first
    evaluation is the flow without side constraints, and its prices only
    tighten it (decision 0015).
    """
    group = level_groups(ix, objective_levels(ix))[0]
    if ix.problem.stability is not Stability.STRICT or deferred_blockers(ix):
        return None
    score = per_option_score(ix, group) if all(o in PER_OPTION_LEVELS for o in group) else None
    if score is None:
        return None
    return sum(score[i] for i in _stable_start(ix, memo) if i != UNPLACED)


#: Most min-cost flows the Lagrangian relaxation runs (each is one evaluation).
LAGRANGIAN_FLOWS = 60


class _Priced:
    """The Lagrangian stage: its bound, the best solution found and whether they meet."""

    def __init__(
        self,
        bound: int | None,
        best: list[int],
        value: int,
        feasible: bool,
        flows: int,
        rows: int,
        floor: int,
    ) -> None:
        self.floor = floor
        self.bound = bound
        self.best = best
        self.value = value
        self.feasible = feasible
        self.flows = flows
        self.rows = rows

    @property
    def infeasible(self) -> bool:
        """Whether the bound is below every solution's score: no solution exists."""
        return self.bound is not None and self.bound < self.floor

    @property
    def closed(self) -> bool:
        """Whether the bound proves the best solution optimal on the first group."""
        return self.feasible and self.bound is not None and self.value >= self.bound

    def describe(self) -> str:
        """Return one line on what the relaxation did."""
        rows = f"{self.rows} constraint{'' if self.rows == 1 else 's'}"
        flows = f"{self.flows} min-cost flow{'' if self.flows == 1 else 's'}"
        return f"Lagrangian bound ({rows} priced into {flows})"


def _lagrangian(
    ix: Index, settings: Settings, started: float, hint: Callable[[], list[int]]
) -> _Priced | None:
    """Bound the first group by the Lagrangian relaxation and find a greedy solution.

    Returns ``None`` when the relaxation does not apply (stability on, or a
    first level that is not a sum over options). ``best`` is the best of the
    greedy solutions and, only when they do not reach the bound, ``hint()``,
    preferring those that meet every constraint (decision 0015).
    """
    group = level_groups(ix, objective_levels(ix))[0]
    if lagrangian_blockers(ix, group):
        return None
    relax = Lagrangian(ix, group)
    score = relax.s.tolist()

    def rated(chosen: list[int]) -> tuple[bool, int]:
        return _acceptable(ix, chosen), sum(score[i] for i in chosen if i != UNPLACED)

    pool = [greedy(ix, relax.order_by_score())]
    ratings = [rated(c) for c in pool]
    incumbent = max((v for ok, v in ratings if ok), default=None)
    deadline = None
    if settings.time_limit is not None:
        deadline = started + settings.time_limit / 2
    found = relax.run(incumbent, LAGRANGIAN_FLOWS, deadline)
    if found.bound is not None and (incumbent is None or found.bound > incumbent):
        pool.append(greedy(ix, found.order))
        ratings.append(rated(pool[-1]))
    best = max((v for ok, v in ratings if ok), default=None)
    if found.bound is None or best is None or (relax.floor <= found.bound and best < found.bound):
        pool.append(hint())
        ratings.append(rated(pool[-1]))
    pick = max(range(len(pool)), key=lambda k: (ratings[k], -k))
    ok, value = ratings[pick]
    return _Priced(found.bound, pool[pick], value, ok, found.flows, found.rows, relax.floor)


def _priced_result(
    ix: Index, priced: _Priced, path: SolvePath, started: float, why: str, settings: Settings
) -> Result:
    """Return the Lagrangian stage's solution as a result (no CP-SAT run)."""
    levels = objective_levels(ix)
    groups = level_groups(ix, levels)
    if priced.infeasible:
        message = f"{_infeasible_message(ix, settings)}; proven by the {priced.describe()}"
        return build_result(ix, None, Status.INFEASIBLE, path, (), started, message)
    if not priced.feasible:
        message = (
            "UNKNOWN: the greedy solution misses a minimum (quota or cohort size); "
            f"{priced.describe()}; use CP-SAT"
        )
        return build_result(ix, None, Status.UNKNOWN, path, (), started, message)
    chosen = priced.best
    first = groups[0]
    weights = lex_weights(ix, first)
    assert weights is not None  # the relaxation applies only to foldable groups
    values = group_values(ix, first, weights, chosen, priced.bound, priced.closed)
    done = {v.objective for v in values}
    values += [level_value(ix, o, chosen, False, None, 1) for o in levels if o.value not in done]
    optimal = priced.closed and len(groups) == 1
    status = Status.OPTIMAL if optimal else Status.FEASIBLE
    if optimal:
        message = f"{why}; greedy solution proven optimal by the {priced.describe()}"
    else:
        message = f"{why}; greedy solution, with the {priced.describe()}"
    return build_result(ix, chosen, status, path, tuple(values), started, message)


def _acceptable(ix: Index, chosen: list[int]) -> bool:
    """Whether a solution meets every constraint, stability included."""
    if violations(ix, chosen):
        return False
    return ix.problem.stability is not Stability.STRICT or not blocking_pairs(ix, chosen)


def _infeasible_message(ix: Index, settings: Settings) -> str:
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


def solve(problem: Problem, settings: Settings | None = None) -> Result:
    """Solve ``problem`` and return a :class:`Result` that explains every unplaced candidate.

    Parameters
    ----------
    problem
        The problem.
    settings
        Limits, seed, workers and path; ``Settings()`` by default.

    Returns
    -------
    Result
        The same type whichever path ran; :attr:`Result.path` says which.

    Raises
    ------
    UnsupportedPathError
        If the path forced by ``settings`` cannot solve the problem.
    ModelInvalidError
        If CP-SAT rejects the model (with the solver's text).
    """
    settings = settings or Settings()
    started = time.perf_counter()
    ix = Index(problem)
    path, why = _choose(ix, settings)
    _log.debug("solving with %s: %s", path.value, why)
    if path is SolvePath.FLOW:
        chosen = solve_flow(ix)
        levels = _exact_levels(ix, chosen, True)
        return build_result(ix, chosen, Status.OPTIMAL, path, levels, started, why)
    if path is SolvePath.DEFERRED_ACCEPTANCE:
        chosen = deferred_acceptance(ix, proposing_side(ix))
        exact = not deferred_blockers(ix)
        status = Status.OPTIMAL if exact else Status.FEASIBLE
        if not exact:
            why += "; preferences have ties, so the stable result is not proven optimal"
        levels = _exact_levels(ix, chosen, exact)
        return build_result(ix, chosen, status, path, levels, started, why)
    relaxed: _Relaxed = {}
    priced = _lagrangian(ix, settings, started, lambda: _hint(ix, relaxed))
    if path is SolvePath.LAGRANGIAN:
        assert priced is not None  # _choose refused the problems it does not apply to
        return _priced_result(ix, priced, path, started, why, settings)
    groups = level_groups(ix, objective_levels(ix))
    hint = priced.best if priced is not None else _hint(ix, relaxed)
    if priced is not None:
        if settings.path is SolvePath.AUTO and (
            priced.infeasible or (priced.closed and len(groups) == 1)
        ):
            side = "side constraints (" + "; ".join(_flow_blockers(ix)[:2]) + ")"
            return _priced_result(ix, priced, SolvePath.LAGRANGIAN, started, side, settings)
        why = f"{why}; {priced.describe()}; CP-SAT from the best greedy or repaired solution"
    scheduler = CpSatScheduler(ix)
    if priced is not None and priced.bound is not None:
        bounds = [priced.bound]  # at least as tight as the flow's
    else:
        bounds = [b for b in [_relaxation_bound(ix, relaxed)] if b is not None]
    if bounds:
        _log.debug("first level group bounded by %d", min(bounds))
        scheduler.bound_first_group(min(bounds))
    outcome = scheduler.solve(settings, hint, started)
    message = why
    if outcome.status is Status.UNKNOWN and _acceptable(ix, hint):
        # CP-SAT may spend a short limit in presolve on a large model; the
        # hint meets every constraint, so it is a valid answer.
        fallback = (
            "CP-SAT found no solution within the limits; returning the starting "
            "solution, which meets every constraint"
        )
        if priced is not None:
            return _priced_result(ix, priced, path, started, fallback, settings)
        levels = _exact_levels(ix, hint, False)
        return build_result(ix, hint, Status.FEASIBLE, path, levels, started, fallback)
    if outcome.status is Status.INFEASIBLE:
        message = _infeasible_message(ix, settings)
    elif outcome.status is Status.UNKNOWN:
        message = f"UNKNOWN: {outcome.message}; raise the time limits"
    return build_result(
        ix,
        outcome.chosen,
        outcome.status,
        path,
        outcome.levels,
        started,
        message,
    )


def match_scenario(
    scenario: Scenario,
    cohort: str | None = None,
    settings: Settings | None = None,
    *,
    evaluate: Evaluator | None = None,
) -> tuple[Problem, Result]:
    """Build the problem of a scenario's cohort and solve it.

    Parameters
    ----------
    scenario
        The scenario.
    cohort
        The cohort's id (optional when the scenario has at most one).
    settings
        Solver settings; ``Settings()`` by default.
    evaluate
        The eligibility rule; ``sgcq.rules.evaluate_option`` by default.

    Returns
    -------
    tuple of Problem and Result
        The problem (for reports) and its result.
    """
    problem = Problem.from_scenario(scenario, cohort, evaluate=evaluate)
    return problem, solve(problem, settings)
