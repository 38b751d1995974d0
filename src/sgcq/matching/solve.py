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
from collections.abc import Sequence
from datetime import date

import attrs

from sgcq.matching._conflicts import describe_conflicts, isolate, precheck
from sgcq.matching._explain import build_result
from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._objective import exact_levels, folded_group_values
from sgcq.matching._repair import repair
from sgcq.matching.elements import Evaluator, Objective
from sgcq.matching.errors import StartError, UnsupportedPathError
from sgcq.matching.problem import Problem
from sgcq.matching.progress import Tracker
from sgcq.matching.result import Assignment, LevelValue, Result, Status
from sgcq.matching.settings import Settings, SolvePath
from sgcq.matching.stages import Carry, Outcome, RefusalReason, Stage
from sgcq.matching.stages.cpsat import CpSatStage, cpsat_reserve, infeasible_message
from sgcq.matching.stages.deferred import DeferredStage
from sgcq.matching.stages.flow import FlowStage
from sgcq.matching.stages.lagrangian import LagrangianStage, acceptable, lagrangian_refusals
from sgcq.matching.stages.mip import MIP_OPTIONS, MipStage, mip_refusals
from sgcq.matching.stages.starts import Starts
from sgcq.models import Scenario

__all__ = ["choose_path", "match_scenario", "solve"]

_log = logging.getLogger("sgcq.matching")

# CP-SAT's model build and start, in multiples of the index's build time
# (measured at 10,000 and 40,000 candidates: the build alone is 2.8 times the
# index, under load as when quiet; the hint and presolve's first pass add more).
CPSAT_START_FACTOR = 4.0

#: The share of a solve's limits the MIP stage takes when AUTO runs it before
#: CP-SAT (decision 0026); CP-SAT has the rest when SCIP does not prove.
MIP_SHARE = 0.5

#: The stages that solve a problem exactly on their own, when they apply.
_EXACT: dict[SolvePath, Stage] = {
    SolvePath.FLOW: FlowStage(),
    SolvePath.DEFERRED_ACCEPTANCE: DeferredStage(),
}


def choose_path(problem: Problem, settings: Settings | None = None) -> tuple[SolvePath, str]:
    """Return the path :func:`solve` would take and why.

    Parameters
    ----------
    problem
        The problem.
    settings
        The settings (``settings.path`` may force a path).

    Returns
    -------
    tuple of SolvePath and str
        The path and a plain phrase saying why.

    Raises
    ------
    UnsupportedPathError
        If ``settings.path`` forces a path that cannot solve the problem.
    """
    return _choose(Index(problem), settings or Settings())


def _joined(refusals: list[object]) -> str:
    return "; ".join(str(r) for r in refusals)


def _choose(ix: Index, settings: Settings) -> tuple[SolvePath, str]:
    asked = settings.path
    if asked is SolvePath.CP_SAT:
        return SolvePath.CP_SAT, "CP-SAT was asked for"
    if asked is SolvePath.LAGRANGIAN:
        no = lagrangian_refusals(ix)
        if no:
            raise UnsupportedPathError(
                "the Lagrangian relaxation cannot handle this problem: " + _joined(list(no))
            )
        return (
            SolvePath.LAGRANGIAN,
            "the Lagrangian relaxation with a greedy solution was asked for",
        )
    if asked is SolvePath.MIP:
        refused = mip_refusals(ix)
        if refused:
            raise UnsupportedPathError(
                "the MIP stage cannot solve this problem: " + _joined(list(refused))
            )
        return SolvePath.MIP, "the MIP stage (SCIP) was asked for"
    flow_no = _EXACT[SolvePath.FLOW].supports(ix)
    da_no = _EXACT[SolvePath.DEFERRED_ACCEPTANCE].supports(ix)
    if asked is SolvePath.FLOW:
        if flow_no:
            raise UnsupportedPathError(
                "min-cost flow cannot solve this problem: " + _joined(list(flow_no))
            )
        return SolvePath.FLOW, "min-cost flow was asked for"
    if asked is SolvePath.DEFERRED_ACCEPTANCE:
        # Forced on ties or other objectives, it still gives a stable result.
        hard = [r for r in da_no if r.reason not in (RefusalReason.TIES, RefusalReason.OBJECTIVE)]
        if hard:
            raise UnsupportedPathError(
                "deferred acceptance cannot solve this problem: " + _joined(list(hard))
            )
        return SolvePath.DEFERRED_ACCEPTANCE, "deferred acceptance was asked for"
    if not flow_no:
        return SolvePath.FLOW, "a pure capacitated assignment: min-cost flow is exact"
    if not da_no:
        return SolvePath.DEFERRED_ACCEPTANCE, (
            "strict stability with strict preferences and no side constraints: "
            "deferred acceptance is exact"
        )
    return SolvePath.CP_SAT, "CP-SAT (" + _joined(list(flow_no[:2])) + ")"


def _lex(levels: tuple[LevelValue, ...]) -> tuple[int, ...]:
    """Return level values as one key, larger is better (minimised levels negated)."""
    return tuple(lv.value if Objective(lv.objective).maximise else -lv.value for lv in levels)


def _stage_result(
    ix: Index, outcome: Outcome, path: SolvePath, started: float, why: str, settings: Settings
) -> Result:
    """Return a stage's outcome (the Lagrangian or the MIP stage's) as the result."""
    if outcome.status is Status.INFEASIBLE:
        message = f"{infeasible_message(ix, settings)}; {outcome.message}"
        return build_result(ix, None, Status.INFEASIBLE, path, (), started, message)
    if outcome.chosen is None:
        message = f"UNKNOWN: {outcome.message}"
        return build_result(ix, None, Status.UNKNOWN, path, (), started, message)
    message = f"{why}; {outcome.message}"
    deadline = _deadline(started, settings)
    return build_result(
        ix,
        outcome.chosen,
        outcome.status,
        path,
        outcome.levels,
        started,
        message,
        deadline=deadline,
    )


def solve(
    problem: Problem,
    settings: Settings | None = None,
    *,
    start: Result | Sequence[Assignment] | None = None,
) -> Result:
    """Solve ``problem`` and return a :class:`Result` that explains every unplaced candidate.

    Parameters
    ----------
    problem
        The problem.
    settings
        Limits, seed, workers and path; ``Settings()`` by default.
    start
        A starting solution (a warm start, decision 0018): a result, e.g. of
        a related problem, or its assignments. Each placement is matched to
        the option of ``problem`` with the same candidate, position and stay;
        placements that are not options here are left out (the result's
        message counts them). The start is repaired to the upper limits if it
        breaks one, given to CP-SAT as its hint when it scores at least as
        well as the solver's own start, and returned (``FEASIBLE``, with its
        gap) when it meets every constraint and the solve finds nothing
        better. The result depends on the start given, never on anything
        else; the exact paths (flow, deferred acceptance) do not need it.

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
    StartError
        If ``start`` is not a result or assignments, names a candidate the
        problem does not have or places a candidate twice.
    """
    settings = settings or Settings()
    started = time.perf_counter()
    tracker = Tracker(settings.progress, started)
    attempt = _Attempt(Carry(started, progress=tracker))
    try:
        result = _solve(problem, settings, started, tracker, start, attempt)
    except KeyboardInterrupt:
        # Ctrl-C outside CP-SAT (which keeps its best solution itself).
        tracker.interrupted = True
        result = _interrupted(problem, settings, started, attempt)
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN) and not result.conflicts:
        result = _with_conflicts(problem, settings, result, tracker, started)
    if tracker.halted:
        result = attrs.evolve(
            result,
            interrupted=tracker.interrupted,
            message=f"{result.message}; {tracker.reason()}" if result.message else tracker.reason(),
        )
    tracker.emit(
        "done",
        placed=result.placed if result.status.has_solution else None,
        objective=tuple(lv.value for lv in result.levels) or None,
        bound=tuple(lv.bound for lv in result.levels) or None,
        message=f"{result.status.value} by {result.path.value}",
    )
    return result


@attrs.define
class _Attempt:
    """What a solve has built so far, kept for when Ctrl-C stops it (internal)."""

    carry: Carry
    ix: Index | None = None
    warm: _Warm | None = None
    path: SolvePath | None = None
    #: Seconds the index took to build: the measure of this machine's speed
    #: now, from which CP-SAT's start-up time is estimated.
    index_s: float = 0.0


def _interrupted(problem: Problem, settings: Settings, started: float, attempt: _Attempt) -> Result:
    """Return the best solution meeting every constraint found before Ctrl-C, else UNKNOWN.

    The candidates are CP-SAT's latest solution (``Carry.solved``: Ctrl-C
    came after a level group, or while the result was built), the
    Lagrangian stage's best solution so far (greedy, minimum-first, locally
    improved or repaired start: ``Carry.incumbent``) and the warm start,
    when it meets every constraint. On equal levels CP-SAT's is taken.
    """
    ix = attempt.ix if attempt.ix is not None else Index(problem)
    path = attempt.path or settings.path
    found: list[tuple[tuple[int, ...], int, list[int], str]] = []
    carry = attempt.carry
    if carry.solved is not None:
        # CP-SAT's own values and bounds once it has finished; between its
        # level groups, the exact values (the bounds are set below).
        levels = carry.solved_levels or exact_levels(ix, carry.solved, False)
        found.append((_lex(levels), 2, carry.solved, "CP-SAT"))
    if attempt.carry.incumbent is not None:
        chosen = attempt.carry.incumbent
        found.append((_lex(exact_levels(ix, chosen, False)), 1, chosen, "the Lagrangian stage"))
    if attempt.warm is not None and attempt.warm.incumbent is not None:
        found.append((_lex(attempt.warm.levels), 0, attempt.warm.incumbent, "the warm start"))
    if not found:
        return build_result(
            ix,
            None,
            Status.UNKNOWN,
            path,
            (),
            started,
            "UNKNOWN: stopped before a solution that meets every constraint was found",
        )
    _, _, chosen, source = max(found, key=lambda f: (f[0], f[1]))
    bound = attempt.carry.bound
    status = Status.FEASIBLE
    if source == "CP-SAT" and carry.solved_levels:
        levels = carry.solved_levels
        if carry.solved_status is Status.OPTIMAL:
            status = Status.OPTIMAL  # proven before the interrupt: it stays proven
    elif bound is not None and source != "the warm start" and not lagrangian_refusals(ix):
        # The Lagrangian bound on the first level group holds for every solution.
        levels = tuple(folded_group_values(ix, chosen, bound, False))
    else:
        levels = exact_levels(ix, chosen, False)
    message = (
        f"stopped early; returning the best solution found so far ({source}), "
        "which meets every constraint"
    )
    return build_result(
        ix,
        chosen,
        status,
        path,
        levels,
        started,
        message,
        deadline=_deadline(started, settings),
    )


def _with_conflicts(
    problem: Problem, settings: Settings, result: Result, tracker: Tracker, started: float
) -> Result:
    """Name the cause of an infeasible result (or prove an UNKNOWN one infeasible).

    Isolation (CP-SAT on an assumption model) gets what is left of a
    wall-clock limit; it is skipped, and the message says so, when nothing is.
    """
    if tracker.halted:
        return result
    ix = Index(problem)
    conflicts = precheck(ix)
    note = ""
    if not conflicts and result.status is Status.INFEASIBLE:
        until = _deadline(started, settings)
        if until is not None and time.perf_counter() >= until:
            note = "conflict isolation skipped: the time limit had run out"
        else:
            try:
                isolation = isolate(ix, settings, until)
            except KeyboardInterrupt:
                # Ctrl-C stopped the current feasibility solve at once: the
                # result stands, without the conflicts.
                tracker.interrupted = True
                return result
            conflicts = isolation.conflicts
            if isolation.cut_short:
                note = (
                    "conflict isolation cut short by the time limit"
                    + ("" if conflicts else ": no conflict named")
                    + ("; a constraint named may not be needed" if conflicts else "")
                )
    if not conflicts:
        if note:
            return attrs.evolve(result, message=f"{result.message}; {note}")
        return result
    before = result.message.removeprefix("INFEASIBLE: ").removeprefix("UNKNOWN: ")
    message = describe_conflicts(conflicts) + (f"; {before}" if before else "")
    if note:
        message = f"{message}; {note}"
    return attrs.evolve(result, status=Status.INFEASIBLE, conflicts=conflicts, message=message)


class _Warm:
    """A starting solution given to :func:`solve`, read against one indexed problem."""

    def __init__(self, ix: Index, start: Result | Sequence[Assignment]) -> None:
        if isinstance(start, Result):
            items: Sequence[object] = start.assignments
        elif isinstance(start, (str, bytes)) or not isinstance(start, Sequence):
            raise StartError(
                "start", f"must be a Result or a sequence of Assignment, got {type(start).__name__}"
            )
        else:
            items = start
        at: dict[tuple[str, str, date, date], int] = {}
        for n, o in enumerate(ix.options):
            at.setdefault((o.candidate, o.position, o.stay.start, o.stay.end), n)
        given = [UNPLACED] * len(ix.cand_ids)
        seen: dict[str, int] = {}
        #: Placements of the start that are not options of this problem.
        self.missing = 0
        for k, a in enumerate(items):
            if not isinstance(a, Assignment):
                raise StartError(f"start[{k}]", f"must be an Assignment, got {type(a).__name__}")
            c = ix.cand_at.get(a.candidate)
            if c is None:
                raise StartError(f"start[{k}].candidate", f"unknown candidate {a.candidate!r}")
            if a.candidate in seen:
                raise StartError(
                    f"start[{k}].candidate",
                    f"{a.candidate!r} is placed twice (also start[{seen[a.candidate]}])",
                )
            seen[a.candidate] = k
            option = at.get((a.candidate, a.position, a.start, a.end))
            if option is None:
                self.missing += 1
            else:
                given[c] = option
        self.placements = len(seen)
        #: Whether the start had to be repaired (it broke a constraint).
        self.repaired = not acceptable(ix, given)
        self.hint = repair(ix, given) if self.repaired else given
        #: The start when it meets every constraint (after repair), else None.
        self.incumbent = self.hint if acceptable(ix, self.hint) else None
        self.levels = () if self.incumbent is None else exact_levels(ix, self.incumbent, False)

    def describe(self) -> str:
        """Return a phrase on what became of the start."""
        parts = [f"warm start of {self.placements} placements"]
        if self.missing:
            parts.append(f"{self.missing} not options of this problem, left out")
        if self.repaired:
            parts.append("repaired (it broke a constraint)")
        if self.incumbent is None:
            parts.append("it breaks a constraint, so it is a hint only")
        return ", ".join(parts)

    def choose_hint(self, ix: Index, own: list[int] | None) -> list[int]:
        """Return the start or the solver's own hint ``own``, whichever is the better start.

        A start that meets every constraint wins unless ``own`` meets every
        constraint and scores higher; a start that does not wins over an
        ``own`` that does not either.
        """
        if own is None:
            return self.hint
        own_fits = acceptable(ix, own)
        if self.incumbent is not None:
            if own_fits and _lex(exact_levels(ix, own, False)) > _lex(self.levels):
                return own
            return self.incumbent
        return own if own_fits else self.hint


def _keep_start(
    ix: Index, warm: _Warm | None, result: Result, started: float, settings: Settings
) -> Result:
    """Return the start instead of ``result`` when it meets every constraint and is better."""
    if warm is None:
        return result
    note = warm.describe()
    if warm.incumbent is not None and result.status is not Status.OPTIMAL:
        worse = not result.status.has_solution or _lex(warm.levels) > _lex(result.levels)
        if worse and result.status is not Status.INFEASIBLE:
            levels = list(warm.levels)
            if levels and result.levels and result.levels[0].objective == levels[0].objective:
                # The solve's bound on the first level holds for every solution.
                first = levels[0]
                bound = result.levels[0].bound
                if Objective(first.objective).maximise:
                    bound = max(bound, first.value)
                else:
                    bound = min(bound, first.value)
                levels[0] = attrs.evolve(first, bound=bound)
            message = (
                f"{result.message}; returning the starting solution, which meets every "
                f"constraint and is better than what the solve found ({note})"
            )
            return build_result(
                ix,
                warm.incumbent,
                Status.FEASIBLE,
                result.path,
                tuple(levels),
                started,
                message,
                deadline=_deadline(started, settings),
            )
    message = f"{result.message}; {note}" if result.message else note
    return attrs.evolve(result, message=message)


def _solve(
    problem: Problem,
    settings: Settings,
    started: float,
    tracker: Tracker,
    start: Result | Sequence[Assignment] | None,
    attempt: _Attempt,
) -> Result:
    begun = time.perf_counter()
    ix = attempt.ix = Index(problem)
    attempt.index_s = time.perf_counter() - begun
    warm = attempt.warm = None if start is None else _Warm(ix, start)
    result = _paths(ix, settings, started, tracker, warm, attempt)
    return _keep_start(ix, warm, result, started, settings)


def _paths(
    ix: Index,
    settings: Settings,
    started: float,
    tracker: Tracker,
    warm: _Warm | None,
    attempt: _Attempt,
) -> Result:
    # A wall-clock limit covers the whole solve: the index, every stage and
    # the explanations (docs/limits.md gives the slack).
    deadline = _deadline(started, settings)
    path, why = _choose(ix, settings)
    attempt.path = path
    _log.debug("solving with %s: %s", path.value, why)
    tracker.emit("start", message=f"{path.value}: {why}")
    # Each check is a necessary condition: a conflict proves infeasibility.
    # The fast stages still run (their proofs and messages stand); CP-SAT,
    # the costly one, is skipped when a check has already proven it.
    conflicts = precheck(ix)
    carry = attempt.carry
    if path in _EXACT:
        done = _EXACT[path].run(ix, settings, carry)
        tracker.emit(
            path.value,
            placed=None if done.chosen is None else sum(1 for c in done.chosen if c >= 0),
            objective=tuple(lv.value for lv in done.levels) or None,
            bound=tuple(lv.bound for lv in done.levels) or None,
            message=done.status.value,
        )
        message = f"{why}; {done.message}" if done.message else why
        return build_result(
            ix, done.chosen, done.status, path, done.levels, started, message, deadline=deadline
        )
    # Lagrangian, then CP-SAT from what it carries (decision 0015).
    starts = Starts(ix)
    lagrangian = LagrangianStage(starts.hint)
    priced = None if lagrangian.supports(ix) else lagrangian.run(ix, settings, carry)
    if path is SolvePath.LAGRANGIAN:
        assert priced is not None  # _choose refused the problems it does not apply to
        return _stage_result(ix, priced, path, started, why, settings)
    if priced is not None:
        if settings.path is SolvePath.AUTO and priced.final:
            flow_no = _EXACT[SolvePath.FLOW].supports(ix)
            side = "side constraints (" + _joined(list(flow_no[:2])) + ")"
            return _stage_result(ix, priced, SolvePath.LAGRANGIAN, started, side, settings)
        assert lagrangian.priced is not None
        why = (
            f"{why}; {lagrangian.priced.describe()}; "
            "CP-SAT from the best greedy or repaired solution"
        )
        carry.bound = lagrangian.priced.bound  # at least as tight as the flow's
        carry.hint = lagrangian.priced.hint
        carry.option_bounds = lagrangian.priced.option_bounds
    else:
        carry.hint = starts.hint()
        carry.bound = starts.stable_bound()
    if warm is not None:
        carry.hint = warm.choose_hint(ix, carry.hint)
    if tracker.halted and priced is not None:
        # Stopped during the relaxation: its solution is the answer.
        return _stage_result(ix, priced, path, started, why, settings)
    if conflicts:
        checked = build_result(
            ix, None, Status.INFEASIBLE, path, (), started, describe_conflicts(conflicts)
        )
        return attrs.evolve(checked, conflicts=conflicts)
    # Building CP-SAT's model and starting it cannot be cut short: measured,
    # it takes about three times as long as the index took to build, on a
    # quiet machine or a loaded one. With less left than that (and the
    # reserve CP-SAT leaves for the result), CP-SAT would only overrun the
    # limit; the solution in hand is handed over instead.
    need = CPSAT_START_FACTOR * attempt.index_s + cpsat_reserve(ix, settings)
    left = None if deadline is None else deadline - time.perf_counter()
    if left is not None and 0 < left < need:
        late = (
            f"{left:.1f} s of the time limit was left, less than CP-SAT needs to build "
            f"its model and start on this problem (about {need:.1f} s)"
        )
        if priced is not None and priced.chosen is not None:
            return _stage_result(ix, priced, path, started, f"{why}; {late}", settings)
        if acceptable(ix, carry.hint):
            levels = exact_levels(ix, carry.hint, False)
            late = f"{why}; {late}; returning the starting solution, which meets every constraint"
            return build_result(
                ix, carry.hint, Status.FEASIBLE, path, levels, started, late, deadline=deadline
            )
    if deadline is not None and time.perf_counter() >= deadline:
        late = "the time limit ran out before CP-SAT could start"
        if priced is not None and priced.chosen is not None:
            return _stage_result(ix, priced, path, started, f"{why}; {late}", settings)
        if acceptable(ix, carry.hint):
            levels = exact_levels(ix, carry.hint, False)
            late = f"{why}; {late}; returning the starting solution, which meets every constraint"
            return build_result(
                ix, carry.hint, Status.FEASIBLE, path, levels, started, late, deadline=deadline
            )
    mipped: Outcome | None = None
    if path is SolvePath.MIP or (
        settings.path is SolvePath.AUTO and len(ix.options) <= MIP_OPTIONS and not mip_refusals(ix)
    ):
        forced = path is SolvePath.MIP
        mipped = MipStage(1.0 if forced else MIP_SHARE).run(ix, settings, carry)
        if forced and mipped.chosen is None:
            fallback = f"{why}; {mipped.message}"
            if priced is not None and priced.chosen is not None:
                return _stage_result(ix, priced, path, started, fallback, settings)
            if acceptable(ix, carry.hint):
                levels = exact_levels(ix, carry.hint, False)
                fallback += "; returning the starting solution, which meets every constraint"
                return build_result(
                    ix,
                    carry.hint,
                    Status.FEASIBLE,
                    path,
                    levels,
                    started,
                    fallback,
                    deadline=deadline,
                )
            return build_result(ix, None, Status.UNKNOWN, path, (), started, f"UNKNOWN: {fallback}")
        if forced or mipped.final or (tracker.halted and mipped.chosen is not None):
            assert mipped.chosen is not None
            # CP-SAT did not run: the reason names the side constraints, not CP-SAT.
            mip_why = why.split("; CP-SAT from")[0].replace("CP-SAT (", "side constraints (", 1)
            return _stage_result(ix, mipped, SolvePath.MIP, started, mip_why, settings)
        # Not proven: CP-SAT goes on from SCIP's solution (it meets every
        # constraint) with the rest of the deterministic limit.
        if mipped.chosen is not None:
            carry.hint = mipped.chosen
            why = f"{why.split('; CP-SAT from')[0]}; {mipped.message}; CP-SAT from its solution"
        else:
            why = f"{why}; {mipped.message}"
        if settings.deterministic_time_limit is not None:
            settings = attrs.evolve(
                settings,
                deterministic_time_limit=settings.deterministic_time_limit * (1 - MIP_SHARE),
            )
    found = CpSatStage().run(ix, settings, carry)
    if (
        mipped is not None
        and mipped.chosen is not None
        and found.status is not Status.OPTIMAL
        and (found.chosen is None or _lex(mipped.levels) > _lex(found.levels))
    ):
        # SCIP's solution (checked) is better than what CP-SAT found in its share.
        kept = f"{why}; CP-SAT found nothing better within the limits"
        return build_result(
            ix,
            mipped.chosen,
            mipped.status,
            SolvePath.MIP,
            mipped.levels,
            started,
            kept,
            deadline=deadline,
        )
    hint = carry.hint
    message = why
    answered = priced is not None and priced.chosen is not None
    if found.status is Status.UNKNOWN and (answered or acceptable(ix, hint)):
        # CP-SAT may spend a short limit in presolve on a large model; the
        # Lagrangian stage's solution (or the hint) meets every constraint,
        # so it is a valid answer.
        fallback = (
            "CP-SAT found no solution within the limits; returning the starting "
            "solution, which meets every constraint"
        )
        if priced is not None:
            return _stage_result(ix, priced, path, started, fallback, settings)
        levels = exact_levels(ix, hint, False)
        return build_result(
            ix, hint, Status.FEASIBLE, path, levels, started, fallback, deadline=deadline
        )
    if (
        answered
        and priced is not None
        and found.status is Status.FEASIBLE
        and _lex(priced.levels) > _lex(found.levels)
    ):
        # CP-SAT started from the highest-scoring start, which broke a minimum,
        # and found worse than the minimum-first greedy had: keep the greedy's.
        better = "the greedy solution is better than what CP-SAT found within the limits"
        return _stage_result(ix, priced, path, started, better, settings)
    if found.status is Status.INFEASIBLE:
        message = infeasible_message(ix, settings)
    elif found.status is Status.UNKNOWN:
        message = f"UNKNOWN: {found.message}; raise the time limits"
    elif found.message:
        message = f"{why}; {found.message}"
    return build_result(
        ix, found.chosen, found.status, path, found.levels, started, message, deadline=deadline
    )


def _deadline(started: float, settings: Settings) -> float | None:
    """Return the ``time.perf_counter()`` reading at which a wall-clock limit ends, or None."""
    return None if settings.time_limit is None else started + settings.time_limit


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
