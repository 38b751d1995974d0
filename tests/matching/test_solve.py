"""Differential and brute-force tests of :func:`sgcq.matching.solve`."""

from __future__ import annotations

import itertools

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS, broken_constraints, placed_options, random_problem

from sgcq.matching import (
    Objective,
    Option,
    Problem,
    Settings,
    SolvePath,
    Status,
    UnsupportedPathError,
    choose_path,
    solve,
)

SOLVER_RUNS = settings(max_examples=15, deadline=None)


def _levels(result_levels: tuple[object, ...]) -> list[tuple[str, int]]:
    return [(lv.objective, lv.value) for lv in result_levels]  # type: ignore[attr-defined]


def _value(problem: Problem, placed: list[Option], objective: Objective) -> int:
    worst_c = max(max((o.candidate_rank or 0 for o in problem.options), default=1), 1)
    worst_p = max(max((o.position_rank or 0 for o in problem.options), default=1), 1)
    prio = {c.id: c.priority for c in problem.candidates}
    if objective is Objective.PLACED:
        return len(placed)
    if objective is Objective.PRIORITY_PLACED:
        return sum(prio[o.candidate] for o in placed)
    if objective is Objective.CANDIDATE_WELFARE:
        return sum(worst_c + 1 - (o.candidate_rank or worst_c) for o in placed)
    if objective is Objective.POSITION_WELFARE:
        return sum(worst_p + 1 - (o.position_rank or worst_p) for o in placed)
    if objective is Objective.COST:
        return sum(int(o.cost.amount * 100) for o in placed if o.cost is not None)
    raise AssertionError(objective)


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
            _value(problem, placed, ob) * (1 if ob.maximise else -1) for ob in problem.objectives
        )
        if best is None or key > best:
            best = key
    assert best is not None
    return tuple(
        v * (1 if ob.maximise else -1) for v, ob in zip(best, problem.objectives, strict=True)
    )


@SOLVER_RUNS
@given(seed=st.integers(0, 10**6), starts=st.integers(1, 2), ties=st.booleans())
def test_flow_and_cp_sat_agree_on_pure_instances(seed: int, starts: int, ties: bool) -> None:
    """On a pure assignment, min-cost flow and CP-SAT reach the same proven level values."""
    problem = random_problem(seed, candidates=12, positions=5, starts=starts, ties=ties)
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
    seed=st.integers(0, 10**6),
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
    seed: int, objectives: tuple[Objective, ...], side: bool
) -> None:
    """On tiny instances every level value equals the brute-force lexicographic optimum."""
    base = random_problem(seed, candidates=5, positions=3, max_ranks=2, starts=2, side=True)
    if not side:
        base = attrs.evolve(base, constraints=attrs.evolve(base.constraints, budget=None))
        base = attrs.evolve(base, constraints=type(base.constraints)(), objectives=objectives)
    problem = attrs.evolve(base, objectives=objectives)
    result = solve(problem, TEST_SETTINGS)
    assert result.status is Status.OPTIMAL, result.message
    assert tuple(lv.value for lv in result.levels) == _brute_force(problem)
    assert not broken_constraints(problem, placed_options(problem, result))


def test_forcing_flow_on_side_constraints_is_refused() -> None:
    """Forcing min-cost flow on a problem with quotas raises, naming why."""
    problem = random_problem(3, side=True)
    with pytest.raises(UnsupportedPathError, match="quotas"):
        solve(problem, Settings(path=SolvePath.FLOW))


@SOLVER_RUNS
@given(seed=st.integers(0, 10**6))
def test_same_seed_gives_the_same_result(seed: int) -> None:
    """Two runs with the same settings return equal results (wall time aside)."""
    problem = random_problem(seed, candidates=10, positions=4, starts=2, side=True)
    one = solve(problem, TEST_SETTINGS)
    two = solve(problem, TEST_SETTINGS)
    assert attrs.evolve(one, wall_time=0.0) == attrs.evolve(two, wall_time=0.0)
