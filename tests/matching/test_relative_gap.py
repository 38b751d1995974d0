"""``Settings.relative_gap``: a level stopped at the asked gap is never reported as proven.

CP-SAT reports OPTIMAL once its relative gap limit is reached; before this was
handled, a solve with a gap claimed OPTIMAL with placed 77 and a "bound" of 77
on a problem whose optimum places 78.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS

from sgcq.matching import Objective, Problem, SolvePath, Status, solve
from sgcq.planning import Variation
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import check_result
from sgcq.testing.strategies import problems

SOLVER_RUNS = settings(max_examples=30, deadline=None)
PATHS = (SolvePath.CP_SAT, SolvePath.MIP)


def _lex(levels: Any) -> tuple[int, ...]:
    return tuple(lv.value if Objective(lv.objective).maximise else -lv.value for lv in levels)


@pytest.fixture(scope="module")
def tight() -> Problem:
    """The NTU cohort with beds x0.71 and the budget x0.68: the optimum places 78, welfare 626."""
    base = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    return Variation(beds_scale=Decimal("0.71"), budget_scale=Decimal("0.68")).apply(base)


@pytest.mark.parametrize("path", PATHS)
def test_a_gap_stop_keeps_a_valid_bound_and_no_false_proof(tight: Problem, path: SolvePath) -> None:
    """With a 5 % gap each bound stays at or above the true optimum; proven means equal."""
    result = solve(tight, attrs.evolve(TEST_SETTINGS, path=path, relative_gap=0.05))
    assert result.path is path
    check_result(tight, result)
    placed = result.levels[0]
    assert placed.objective == "placed"
    assert placed.bound >= 78  # the optimum: a bound below it would be a false proof
    assert placed.value >= 0.95 * 78 - 1
    for level in result.levels:
        assert level.bound >= level.value
        if level.proven:
            assert level.value == level.bound
    if result.status is Status.OPTIMAL:
        assert [lv.value for lv in result.levels] == [78, 626]
    else:
        assert result.status is Status.FEASIBLE
        assert not all(lv.proven for lv in result.levels)


def test_the_mip_stage_stopped_at_the_gap_is_the_answer(tight: Problem) -> None:
    """AUTO: SCIP solves the one level group to the gap; CP-SAT is not run after it."""
    events: list[str] = []
    s = attrs.evolve(TEST_SETTINGS, relative_gap=0.05, progress=lambda e: events.append(e.stage))
    result = solve(tight, s)
    assert result.path is SolvePath.MIP
    assert "cp_sat" not in events
    if result.status is Status.FEASIBLE:
        assert "at the asked relative gap of 0.05" in result.message
        assert result.levels[0].bound >= 78


def test_without_a_gap_the_tight_variation_is_proven(tight: Problem) -> None:
    """The oracle the tests above rely on: both solvers prove placed 78, welfare 626."""
    for path in PATHS:
        result = solve(tight, attrs.evolve(TEST_SETTINGS, path=path))
        assert result.status is Status.OPTIMAL
        assert [lv.value for lv in result.levels] == [78, 626]


@SOLVER_RUNS
@given(
    problem=problems(max_candidates=8, max_positions=4, starts=2, side_constraints=True),
    gap=st.sampled_from([0.1, 0.3, 0.6]),
    path=st.sampled_from(PATHS),
)
def test_a_gap_never_hides_the_optimum(problem: Problem, gap: float, path: SolvePath) -> None:
    """Against the proof without a gap: the first bound is valid, OPTIMAL means the optimum."""
    exact = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT))
    if exact.status is not Status.OPTIMAL:
        return  # infeasible problems have no levels to compare
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=path, relative_gap=gap))
    check_result(problem, result)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    first, best = result.levels[0], exact.levels[0]
    assert first.objective == best.objective
    assert first.bound >= best.value >= first.value
    for level in result.levels:
        if level.proven:
            assert level.value == level.bound
    if result.status is Status.OPTIMAL:
        assert _lex(result.levels) == _lex(exact.levels)
