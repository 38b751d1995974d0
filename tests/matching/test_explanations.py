"""Properties: limits are never exceeded, every candidate is placed or explained, truthfully."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from matching_helpers import (
    TEST_SETTINGS,
    broken_constraints,
    option_of,
    placed_options,
)

from sgcq.matching import BlockerKind, Objective, Problem, Result, Stability, Status, solve
from sgcq.testing.strategies import problems

SOLVER_RUNS = settings(max_examples=25, deadline=None)

#: How each blocker kind is named by the plain-code checker.
KIND = {
    BlockerKind.SEATS_FULL: "seats_full",
    BlockerKind.HOST_CAP: "host_cap",
    BlockerKind.BEDS_FULL: "beds_full",
    BlockerKind.QUOTA_MAX: "quota_max",
    BlockerKind.QUOTA_MIN: "quota_min",
    BlockerKind.BUDGET: "budget",
    BlockerKind.MAX_SIZE: "max_size",
    BlockerKind.FORBIDDEN: "forbidden",
}


def _check_explanations(problem: Problem, result: Result) -> None:
    placed = placed_options(problem, result)
    assert not broken_constraints(problem, placed)
    placed_ids = {o.candidate for o in placed}
    explained = {e.candidate for e in result.unplaced}
    assert placed_ids | explained == {c.id for c in problem.candidates}
    assert not placed_ids & explained
    host_rank = {(o.candidate, o.position): o.position_rank for o in problem.options}
    proven_placed = result.status is Status.OPTIMAL and problem.objectives[0] is Objective.PLACED
    for e in result.unplaced:
        has_options = any(o.candidate == e.candidate for o in problem.options)
        assert e.ineligible is (not has_options)
        for reason in e.reasons:
            if not reason.eligible:
                assert reason.rule_reasons
                continue
            assert reason.start is not None
            option = option_of(problem, e.candidate, reason.position, reason.start)
            broken = broken_constraints(problem, [*placed, option])
            for blocker in reason.blockers:
                if blocker.kind is BlockerKind.NOT_CHOSEN:
                    assert not proven_placed, "an optimal PLACED level leaves nothing unblocked"
                    assert not broken
                    continue
                subject = blocker.subject
                if blocker.kind is BlockerKind.BEDS_FULL:
                    subject = str(blocker.month)
                if blocker.kind in (BlockerKind.BUDGET, BlockerKind.MAX_SIZE):
                    subject = None
                if blocker.kind is BlockerKind.FORBIDDEN:
                    subject = e.candidate
                # The explanation is true: adding the option breaks what it names.
                assert (KIND[blocker.kind], subject) in broken, (blocker, broken)
                if blocker.kind is BlockerKind.SEATS_FULL:
                    mine = host_rank[(e.candidate, reason.position)]
                    for other in blocker.preferred:
                        theirs = host_rank[(other, reason.position)]
                        assert theirs is not None and mine is not None and theirs < mine


@SOLVER_RUNS
@given(problem=problems(max_candidates=10, max_positions=4, starts=3, side_constraints=True))
def test_side_constraints_hold_and_explanations_are_true(problem: Problem) -> None:
    """With host caps, quotas, beds, budget and size limits the result is feasible and explained."""
    result = solve(problem, TEST_SETTINGS)
    assert result.status is Status.OPTIMAL, result.message
    _check_explanations(problem, result)
    if result.budget is not None:
        assert result.budget_used is not None and result.budget_used <= result.budget
    for use in result.beds_used:
        assert use.capacity is None or use.used <= use.capacity


@SOLVER_RUNS
@given(problem=problems(min_candidates=4, max_candidates=12, max_positions=3, host_rankings="all"))
def test_pure_and_stable_results_are_explained(problem: Problem) -> None:
    """Flow and deferred-acceptance results explain every unplaced candidate truthfully too."""
    _check_explanations(problem, solve(problem, TEST_SETTINGS))
    stable = attrs.evolve(problem, stability=Stability.STRICT)
    _check_explanations(stable, solve(stable, TEST_SETTINGS))


@SOLVER_RUNS
@given(base=problems(max_candidates=6, max_positions=3, side_constraints=True))
def test_cost_first_leaves_options_not_chosen_and_says_so(base: Problem) -> None:
    """With COST first nobody needs to be placed: free options are reported as not chosen."""
    problem = attrs.evolve(base, objectives=(Objective.COST, Objective.PLACED))
    result = solve(problem, TEST_SETTINGS)
    assert result.status is Status.OPTIMAL
    _check_explanations(problem, result)
    if not problem.constraints.min_size and not problem.constraints.pins:
        assert result.placed == 0
