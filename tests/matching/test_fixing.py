"""Reduced-cost fixing (decision 0024): per-option bounds and CP-SAT on what is left."""

from __future__ import annotations

import time
from unittest import mock

import attrs
from hypothesis import event, given, settings
from hypothesis import strategies as st

from sgcq.matching import Problem, Settings, SolvePath, Status, solve
from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._objective import level_groups
from sgcq.matching.stages import Carry
from sgcq.matching.stages import cpsat as cpsat_module
from sgcq.matching.stages.cpsat import CpSatScheduler, CpSatStage, _first_score
from sgcq.matching.stages.lagrangian import (
    LAGRANGIAN_FLOWS,
    NO_BOUND,
    Lagrangian,
    LagrangianStage,
    acceptable,
    lagrangian_refusals,
)
from sgcq.matching.stages.starts import Starts
from sgcq.testing.strategies import problems

ENOUGH = Settings(workers=1, seed=0, deterministic_time_limit=10.0)

side_problems = problems(
    max_candidates=7, max_positions=4, max_ranks=3, starts=2, side_constraints=True
)


def _best_with(ix: Index, j: int) -> int | None:
    """The best first-group score of a solution meeting every constraint that uses option j."""
    scheduler = CpSatScheduler(ix)
    scheduler.model.add(scheduler.x[j] == 1)
    found = scheduler.solve(ENOUGH, None)
    if found.status is Status.INFEASIBLE:
        return None
    assert found.status is Status.OPTIMAL and found.chosen is not None
    return _first_score(ix, found.chosen)


@settings(deadline=None, max_examples=40)
@given(side_problems)
def test_option_bounds_hold_for_every_solution_using_the_option(problem: Problem) -> None:
    """No solution meeting every constraint that uses option j scores above bounds[j].

    Checked against CP-SAT with the option forced in, option by option.
    """
    ix = Index(problem)
    if lagrangian_refusals(ix):
        event("relaxation refused")
        return
    relax = Lagrangian(ix, level_groups(ix)[0])
    found = relax.run(None, LAGRANGIAN_FLOWS, None)
    bounds = relax.option_bounds()
    assert bounds is not None and found.bound is not None
    assert len(bounds) == len(ix.options)
    # Every option's bound is at most the relaxation's bound.
    known = bounds[bounds != NO_BOUND]
    assert (known <= found.bound).all()
    for j in range(len(ix.options)):
        best = _best_with(ix, j)
        if best is not None:
            assert bounds[j] != NO_BOUND, j
            assert best <= bounds[j], (j, best, int(bounds[j]))


@settings(deadline=None, max_examples=40)
@given(side_problems, st.booleans())
def test_fixing_rounds_reach_the_optimum_of_the_whole_model(problem: Problem, empty: bool) -> None:
    """CP-SAT with reduced-cost fixing proves the same optimum as CP-SAT on every option.

    The incumbent is the greedy's best or, to leave more room for the
    fixing's rounds, the empty solution when it meets every constraint.
    """
    ix = Index(problem)
    if lagrangian_refusals(ix):
        event("relaxation refused")
        return
    carry = Carry(time.perf_counter())
    stage = LagrangianStage(Starts(ix).hint)
    priced = stage.price(ix, ENOUGH, carry)
    if not priced.feasible or priced.bound is None:
        event("no incumbent")
        return
    incumbent = priced.best
    none = [UNPLACED] * len(ix.cand_ids)
    if empty and acceptable(ix, none):
        incumbent = none
    relax = Lagrangian(ix, level_groups(ix)[0])
    relax.run(None, LAGRANGIAN_FLOWS, None)
    bounds = relax.option_bounds()
    assert bounds is not None
    carry = Carry(
        time.perf_counter(),
        bound=priced.bound,
        hint=incumbent,
        incumbent=incumbent,
        option_bounds=bounds,
    )
    # The rounds run on large problems only (FIXING_OPTIONS): here on every size.
    with mock.patch.object(cpsat_module, "FIXING_OPTIONS", 0):
        fixed = CpSatStage().run(ix, ENOUGH, carry)
    whole = solve(problem, attrs.evolve(ENOUGH, path=SolvePath.CP_SAT))
    assert whole.status is Status.OPTIMAL
    assert fixed.status is Status.OPTIMAL, fixed.message
    assert fixed.chosen is not None and acceptable(ix, fixed.chosen)
    assert [lv.value for lv in fixed.levels] == [lv.value for lv in whole.levels]
    event("round 1 proved" if "its optimum is the problem's" in fixed.message else "round 2")
