"""The LP relaxation inside the Lagrangian stage (decision 0027).

Its duals, evaluated by the relaxation's exact flow, must bound the optimum
CP-SAT proves (and come close to GLOP's own optimum, which wrong duals would
not); its order must give solutions that meet every constraint; and the
stage must stay correct when GLOP gives nothing.
"""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import assume, given, settings
from matching_helpers import TEST_SETTINGS
from ortools.linear_solver import linear_solver_pb2

from sgcq.matching import Constraints, Problem, Result, SolvePath, Status, solve
from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._limits import violations
from sgcq.matching._objective import level_groups, objective_levels, per_option_score
from sgcq.matching._repair import greedy, greedy_with_minimums
from sgcq.matching.stages import _lp, lagrangian
from sgcq.matching.stages.lagrangian import Lagrangian, lagrangian_refusals, lp_applies
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import check_result
from sgcq.testing.strategies import problems

CP_SAT = attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT)


def _relaxation(problem: Problem) -> tuple[Index, Lagrangian]:
    ix = Index(problem)
    return ix, Lagrangian(ix, level_groups(ix, objective_levels(ix))[0])


def _first_score(ix: Index, result: Result) -> int:
    """Return the folded first-group score of a result's assignments."""
    score = per_option_score(ix, level_groups(ix, objective_levels(ix))[0])
    assert score is not None
    at = {(o.candidate, o.position, o.start): i for i, o in enumerate(ix.options)}
    return sum(score[at[(a.candidate, a.position, a.start)]] for a in result.assignments)


@settings(max_examples=40, deadline=None)
@given(
    problem=problems(
        max_candidates=6, max_positions=3, max_ranks=2, starts=2, side_constraints=True
    )
)
def test_the_duals_bound_the_optimum_and_meet_the_lp(problem: Problem) -> None:
    """At the LP's duals one flow gives a bound: never below the optimum, near GLOP's value."""
    ix = Index(problem)
    assume(not lagrangian_refusals(ix))
    ix, relax = _relaxation(problem)
    assume(lp_applies(ix, relax))
    lp = _lp.solve_lp(ix, relax.s, relax.rows, relax.allowed)
    oracle = solve(problem, CP_SAT)
    if lp is None:
        # GLOP proves the relaxation infeasible only when the problem is.
        assert oracle.status is Status.INFEASIBLE
        return
    assert lp.multipliers.min(initial=0.0) >= 0.0
    point = relax.evaluate(lp.multipliers)
    assume(point is not None)
    assert point is not None
    bound = point.value // point.d
    # Wrong duals (a sign, a row's divisor) give the unconstrained flow's bound
    # or worse: far above the LP optimum when a priced row binds.
    assert bound <= lp.objective + len(relax.rows) + 1
    # The duals of an LP over only some columns (each candidate's best option)
    # bound the whole problem too, once the flow evaluates them.
    best = np.asarray(
        [max(opts, key=lambda i: (relax.s[i], -i)) for opts in ix.by_cand if opts],
        dtype=np.int64,
    )
    part = _lp.solve_lp(ix, relax.s, relax.rows, relax.allowed, columns=best)
    part_point = None if part is None else relax.evaluate(part.multipliers)
    if part is not None:
        assert (
            not lp.x[~relax.allowed].any()
            and not part.x[np.setdiff1d(np.arange(len(ix.options)), best)].any()
        )
    if oracle.status is Status.OPTIMAL:
        optimum = _first_score(ix, oracle)
        assert bound >= optimum
        assert lp.objective >= optimum - 1e-6
        if part_point is not None:
            assert part_point.value // part_point.d >= optimum


@settings(max_examples=40, deadline=None)
@given(
    problem=problems(
        max_candidates=6, max_positions=3, max_ranks=2, starts=2, side_constraints=True
    )
)
def test_the_lp_order_gives_solutions_the_checks_accept(problem: Problem) -> None:
    """The greedy in the LP's order keeps every upper limit; AUTO's answer passes the checker."""
    ix = Index(problem)
    assume(not lagrangian_refusals(ix))
    ix, relax = _relaxation(problem)
    assume(lp_applies(ix, relax))
    lp = _lp.solve_lp(ix, relax.s, relax.rows, relax.allowed)
    assume(lp is not None)
    assert lp is not None
    order = lp.order(relax.s)
    assert sorted(order) == list(range(len(ix.options)))
    assert all(lp.x[a] >= lp.x[b] - 1e-6 for a, b in itertools.pairwise(order))
    for chosen in (greedy(ix, order), greedy_with_minimums(ix, order)):
        placed = [i for i in chosen if i != UNPLACED]
        assert len({ix.cand_of[i] for i in placed}) == len(placed)
    result = solve(problem, TEST_SETTINGS)
    check_result(problem, result)


def test_lp_needs_priced_rows_and_at_most_lp_options(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without side rows the flow is the LP; above LP_OPTIONS the LP is not solved."""
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    ix, relax = _relaxation(ntu)
    assert relax.rows and lp_applies(ix, relax)
    monkeypatch.setattr(lagrangian, "LP_OPTIONS", len(ix.options) - 1)
    assert not lp_applies(ix, relax)
    result = solve(ntu, TEST_SETTINGS)
    assert "LP relaxation" not in result.message
    check_result(ntu, result)
    bare = attrs.evolve(ntu, constraints=Constraints())  # seats only: the network holds them
    ix, relax = _relaxation(bare)
    assert not relax.rows and not lp_applies(ix, relax)


def test_a_failed_lp_changes_nothing_but_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """GLOP without an optimum: the stage goes on as before and proves the same optimum."""
    monkeypatch.setattr(lagrangian, "LP_AFTER_OPTIONS", 0)
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    with_lp = solve(ntu, TEST_SETTINGS)
    assert "LP relaxation" in with_lp.message
    monkeypatch.setattr(lagrangian, "solve_lp", lambda *a, **k: None)
    without = solve(ntu, TEST_SETTINGS)
    assert without.status is with_lp.status is Status.OPTIMAL
    assert [lv.value for lv in without.levels] == [lv.value for lv in with_lp.levels]
    check_result(ntu, without)


def test_a_deterministic_limit_reaches_glop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each LP round gets a share of a quarter of the deterministic limit: the LP repeats."""
    seen: list[Any] = []
    real = _lp.pywraplp.Solver.SolveWithProto
    glop = linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING

    def spy(request: Any, response: Any) -> None:
        if request.solver_type == glop:
            seen.append(request)
        real(request, response)

    monkeypatch.setattr(_lp.pywraplp.Solver, "SolveWithProto", staticmethod(spy))
    monkeypatch.setattr(lagrangian, "LP_AFTER_OPTIONS", 0)
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    first = solve(ntu, attrs.evolve(TEST_SETTINGS, deterministic_time_limit=8.0))
    assert seen and all(r.solver_specific_parameters == "max_deterministic_time: 0.4" for r in seen)
    again = solve(ntu, attrs.evolve(TEST_SETTINGS, deterministic_time_limit=8.0))
    assert attrs.evolve(first, wall_time=0.0) == attrs.evolve(again, wall_time=0.0)


def test_the_lp_order_rebuilds_an_integral_lp_optimum() -> None:
    """When the LP optimum is integral, the greedy in its order is that optimum."""
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    ix, relax = _relaxation(ntu)
    lp = _lp.solve_lp(ix, relax.s, relax.rows, relax.allowed)
    assert lp is not None
    ones = np.flatnonzero(lp.x > 1 - 1e-9)
    order = lp.order(relax.s)
    assert set(order[: len(ones)]) == set(ones.tolist())
    # A solution that meets every constraint never scores above the LP optimum.
    for chosen in (greedy(ix, order), greedy_with_minimums(ix, order)):
        if not violations(ix, chosen):
            placed = [i for i in chosen if i != UNPLACED]
            assert float(relax.s[placed].sum()) <= lp.objective + 1e-6
