"""Differential and brute-force tests of :func:`sgcq.matching.solve`."""

from __future__ import annotations

import itertools
from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS, broken_constraints, objective_value, placed_options

from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    Problem,
    Result,
    Settings,
    SolvePath,
    Status,
    UnsupportedPathError,
    choose_path,
    solve,
)
from sgcq.models import Count, DateRange, Mode, Quota, QuotaDimension
from sgcq.testing.strategies import problems

SOLVER_RUNS = settings(max_examples=15, deadline=None)


def _two_by_two(constraints: Constraints) -> Problem:
    """Two candidates of one university who both want either of two one-seat positions."""
    stay = DateRange.of_months(date(2020, 9, 1), 3)
    return Problem(
        candidates=(MatchCandidate("a", "ntu"), MatchCandidate("b", "ntu")),
        positions=(MatchPosition("p", "h", 1), MatchPosition("q", "h", 1)),
        options=tuple(
            Option(c, p, stay.start, stay, Mode.ON_SITE, candidate_rank=r)
            for c in ("a", "b")
            for p, r in (("p", 1), ("q", 2))
        ),
        constraints=constraints,
    )


def _levels(result_levels: tuple[object, ...]) -> list[tuple[str, int]]:
    return [(lv.objective, lv.value) for lv in result_levels]  # type: ignore[attr-defined]


def _brute_force(problem: Problem) -> tuple[int, ...]:
    """Return the lexicographically best level values over every feasible assignment."""
    by_cand: dict[str, list[Option | None]] = {c.id: [None] for c in problem.candidates}
    for o in problem.options:
        by_cand[o.candidate].append(o)
    best: tuple[int, ...] | None = None
    for combo in itertools.product(*by_cand.values()):
        placed = [o for o in combo if o is not None]
        if broken_constraints(problem, placed):
            continue
        key = tuple(
            objective_value(problem, placed, ob) * (1 if ob.maximise else -1)
            for ob in problem.objectives
        )
        if best is None or key > best:
            best = key
    assert best is not None
    return tuple(
        v * (1 if ob.maximise else -1) for v, ob in zip(best, problem.objectives, strict=True)
    )


@SOLVER_RUNS
@given(
    problem=st.one_of(
        problems(max_candidates=12, max_positions=5, starts=2),
        problems(max_candidates=12, max_positions=5, starts=2, ties=True),
    )
)
def test_flow_and_cp_sat_agree_on_pure_instances(problem: Problem) -> None:
    """On a pure assignment, min-cost flow and CP-SAT reach the same proven level values."""
    assert choose_path(problem) == (
        SolvePath.FLOW,
        "a pure capacitated assignment: min-cost flow is exact",
    )
    flow = solve(problem, TEST_SETTINGS)
    cp = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT))
    assert flow.path is SolvePath.FLOW and cp.path is SolvePath.CP_SAT
    assert flow.status is Status.OPTIMAL and cp.status is Status.OPTIMAL
    assert _levels(flow.levels) == _levels(cp.levels)


@SOLVER_RUNS
@given(
    base=problems(max_candidates=5, max_positions=3, max_ranks=2, starts=2, side_constraints=True),
    objectives=st.sampled_from(
        [
            (Objective.PLACED, Objective.CANDIDATE_WELFARE),
            (Objective.PLACED, Objective.POSITION_WELFARE, Objective.COST),
            (Objective.PRIORITY_PLACED, Objective.CANDIDATE_WELFARE),
            (Objective.CANDIDATE_WELFARE, Objective.PLACED),
            (Objective.COST, Objective.PLACED),
        ]
    ),
    side=st.booleans(),
)
def test_optimum_equals_brute_force_on_tiny_instances(
    base: Problem, objectives: tuple[Objective, ...], side: bool
) -> None:
    """On tiny instances every level value equals the brute-force lexicographic optimum."""
    if not side:
        base = attrs.evolve(base, constraints=Constraints())
    problem = attrs.evolve(base, objectives=objectives)
    result = solve(problem, TEST_SETTINGS)
    assert result.status is Status.OPTIMAL, result.message
    assert tuple(lv.value for lv in result.levels) == _brute_force(problem)
    assert not broken_constraints(problem, placed_options(problem, result))


def test_forcing_flow_on_side_constraints_is_refused() -> None:
    """Forcing min-cost flow on a problem with quotas raises, naming why."""
    problem = _two_by_two(
        Constraints(quotas=(Quota(QuotaDimension.UNIVERSITY, "ntu", maximum=Count(1)),))
    )
    with pytest.raises(UnsupportedPathError, match="quotas"):
        solve(problem, Settings(path=SolvePath.FLOW))


@SOLVER_RUNS
@given(problem=problems(max_candidates=10, max_positions=4, starts=2, side_constraints=True))
def test_same_seed_gives_the_same_result(problem: Problem) -> None:
    """Two runs with the same settings return equal results (wall time aside)."""
    one = solve(problem, TEST_SETTINGS)
    two = solve(problem, TEST_SETTINGS)
    assert attrs.evolve(one, wall_time=0.0) == attrs.evolve(two, wall_time=0.0)


# --- AUTO is never worse than a path it could have chosen (issue 18) -------------------


def _lex(result: Result) -> tuple[int, ...]:
    """The result's levels as one lexicographic key, larger is better."""
    return tuple(
        lv.value if Objective(lv.objective).maximise else -lv.value for lv in result.levels
    )


TINY = Settings(workers=1, seed=0, deterministic_time_limit=1e-9)
ENOUGH = Settings(workers=1, seed=0, deterministic_time_limit=10.0)


@settings(deadline=None)
@given(
    problems(max_candidates=8, max_positions=4, starts=2, side_constraints=True),
    st.sampled_from([TINY, ENOUGH]),
)
def test_auto_is_never_worse_than_a_forced_path(problem: Problem, limits: Settings) -> None:
    """On the same limits, AUTO has a solution whenever a forced path has one, and not a worse one.

    With no time for CP-SAT (TINY) AUTO still answers with the solution its
    cheap stages found, as forcing the Lagrangian path does.
    """
    auto = solve(problem, limits)
    for path in (SolvePath.CP_SAT, SolvePath.LAGRANGIAN, SolvePath.FLOW, SolvePath.MIP):
        try:
            forced = solve(problem, attrs.evolve(limits, path=path))
        except UnsupportedPathError:
            continue
        if forced.status.has_solution:
            assert auto.status.has_solution, (path, forced.message, auto.message)
            assert _lex(auto) >= _lex(forced), (path, auto.levels, forced.levels)
        if forced.status is Status.INFEASIBLE:
            assert auto.status is Status.INFEASIBLE, (path, auto.message)
