"""The LP relaxation inside the Lagrangian stage (decision 0027).

Its duals, evaluated by the relaxation's exact flow, must bound the optimum
CP-SAT proves (and come close to GLOP's own optimum, which wrong duals would
not); its order must give solutions that meet every constraint; and the
stage must stay correct when GLOP gives nothing.
"""

from __future__ import annotations

import _thread
import itertools
import threading

import attrs
import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS
from ortools.linear_solver import pywraplp

from sgcq.matching import Constraints, Problem, Result, SolvePath, Status, solve
from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._limits import violations
from sgcq.matching._objective import level_groups, objective_levels, per_option_score
from sgcq.matching._repair import greedy, greedy_with_minimums
from sgcq.matching.stages import Carry, _lp, lagrangian
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
    monkeypatch.setattr(_lp.ColumnLp, "solve", lambda *a, **k: None)
    without = solve(ntu, TEST_SETTINGS)
    assert without.status is with_lp.status is Status.OPTIMAL
    assert [lv.value for lv in without.levels] == [lv.value for lv in with_lp.levels]
    check_result(ntu, without)


def test_a_deterministic_limit_reaches_glop(monkeypatch: pytest.MonkeyPatch) -> None:
    """The LP rounds share half the deterministic limit, halving: the LP repeats."""
    seen: list[str] = []
    real = _lp._parameters

    def spy(deterministic: float | None) -> str:
        seen.append(real(deterministic))
        return seen[-1]

    monkeypatch.setattr(_lp, "_parameters", spy)
    monkeypatch.setattr(lagrangian, "LP_AFTER_OPTIONS", 0)
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    first = solve(ntu, attrs.evolve(TEST_SETTINGS, deterministic_time_limit=8.0))
    limits = [float(t.rsplit(" ", 1)[1]) for t in seen if "max_deterministic_time" in t]
    # Half of 8 for the LP; round k gets 4 / 2**k.
    assert limits and limits == [4.0 / 2**k for k in range(1, len(limits) + 1)]
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


@settings(max_examples=30, deadline=None)
@given(
    problem=problems(
        max_candidates=6, max_positions=3, max_ranks=2, starts=2, side_constraints=True
    )
)
def test_columns_added_give_the_lp_over_them_all(problem: Problem) -> None:
    """A ColumnLp grown round by round ends where one LP over every column ends."""
    ix = Index(problem)
    assume(not lagrangian_refusals(ix))
    ix, relax = _relaxation(problem)
    assume(lp_applies(ix, relax))
    best = np.asarray(
        [max(opts, key=lambda i: (relax.s[i], -i)) for opts in ix.by_cand if opts],
        dtype=np.int64,
    )
    model = _lp.ColumnLp(ix, relax.s, relax.rows, relax.allowed, best)
    assert model.columns == int(relax.allowed[best].sum())
    first = model.solve()
    if first is not None:
        assert not first.x[np.setdiff1d(np.arange(len(ix.options)), best)].any()
    added = model.add(np.arange(len(ix.options), dtype=np.int64))
    assert added == int(relax.allowed.sum()) - int(relax.allowed[best].sum())
    assert model.add(np.arange(len(ix.options), dtype=np.int64)) == 0
    grown = model.solve()
    whole = _lp.solve_lp(ix, relax.s, relax.rows, relax.allowed)
    assert (grown is None) == (whole is None)
    if grown is None or whole is None:
        return
    assert abs(grown.objective - whole.objective) <= 1e-6 * max(1.0, abs(whole.objective))
    assert not grown.x[~relax.allowed].any()
    if first is not None:
        assert first.objective <= grown.objective + 1e-6 * max(1.0, abs(grown.objective))
    point = relax.evaluate(grown.multipliers)
    if point is not None:
        assert point.value // point.d <= grown.objective + len(relax.rows) + 1


def _free_options(ix: Index, x: np.ndarray, allowed: np.ndarray) -> list[int]:
    """The options round_lp leaves to SCIP, by its rule (an independent copy)."""
    on = {i for i in range(len(x)) if x[i] >= 1 - 1e-6 and allowed[i]}
    settled = {ix.cand_of[i] for i in on}
    fractional = [
        i
        for i in range(len(x))
        if 1e-6 < x[i] < 1 - 1e-6 and allowed[i] and ix.cand_of[i] not in settled
    ]
    touched = {ix.cand_of[i] for i in fractional}
    wider = sorted({i for c in touched for i in ix.by_cand[c] if allowed[i]} | set(fractional))
    return wider if len(wider) <= _lp.ROUND_FREE else fractional


@settings(max_examples=60, deadline=None)
@given(
    problem=problems(
        max_candidates=6, max_positions=3, max_ranks=2, starts=2, side_constraints=True
    ),
    data=st.data(),
)
def test_round_lp_finds_the_best_completion_of_the_integral_part(
    problem: Problem, data: st.DataObject
) -> None:
    """Differential: round_lp against enumerating every completion of the options at 1."""
    ix = Index(problem)
    assume(not lagrangian_refusals(ix))
    ix, relax = _relaxation(problem)
    base = [i for i in greedy(ix, relax.order_by_score()) if i != UNPLACED]
    x = np.zeros(len(ix.options), dtype=np.float64)
    x[base] = 1.0
    # Some candidates' options split evenly, as an LP's fractional part.
    cands = sorted({ix.cand_of[i] for i in range(len(ix.options))})
    split = data.draw(st.sets(st.sampled_from(cands), min_size=1, max_size=3), label="split")
    for c in split:
        opts = [i for i in ix.by_cand[c] if relax.allowed[i]]
        x[ix.by_cand[c]] = 0.0
        if opts:
            x[opts] = 1.0 / max(2, len(opts))
    free = _free_options(ix, x, relax.allowed)
    on = [i for i in range(len(x)) if x[i] >= 1 - 1e-6 and relax.allowed[i]]
    rounded = _lp.round_lp(ix, relax.s, x, relax.allowed)
    if not free:
        assert rounded is None
        return
    # Every completion: per touched candidate none or one of their free options.
    by_cand: dict[int, list[int]] = {}
    for i in free:
        by_cand.setdefault(ix.cand_of[i], []).append(i)
    best: int | None = None
    for pick in itertools.product(*[[None, *opts] for opts in by_cand.values()]):
        chosen = [UNPLACED] * len(ix.cand_ids)
        for i in on + [i for i in pick if i is not None]:
            chosen[ix.cand_of[i]] = i
        if not violations(ix, chosen):
            value = int(sum(int(relax.s[i]) for i in chosen if i != UNPLACED))
            best = value if best is None else max(best, value)
    event("some completion meets every row" if best is not None else "no completion does")
    if best is None:
        assert rounded is None
        return
    assert rounded is not None
    assert not violations(ix, rounded)
    assert all(rounded[ix.cand_of[i]] == i for i in on)
    assert all(i == UNPLACED or i in set(on) | set(free) for i in rounded)
    assert sum(int(relax.s[i]) for i in rounded if i != UNPLACED) == best


def test_round_lp_leaves_integral_and_too_fractional_lps_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing fractional, or more than ROUND_FREE fractional options: no sub-MIP."""
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    ix, relax = _relaxation(ntu)
    x = np.zeros(len(ix.options), dtype=np.float64)
    assert _lp.round_lp(ix, relax.s, x, relax.allowed) is None
    x[:] = 0.5
    monkeypatch.setattr(_lp, "ROUND_FREE", 3)
    assert _lp.round_lp(ix, relax.s, x, relax.allowed) is None


def test_a_grown_lp_keeps_its_limits_when_solved_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """After added columns GLOP starts afresh, with the deterministic limit it had."""
    seen: list[float | None] = []
    real = _lp._parameters

    def spy(deterministic: float | None) -> str:
        seen.append(deterministic)
        return real(deterministic)

    monkeypatch.setattr(_lp, "_parameters", spy)
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    ix, relax = _relaxation(ntu)
    best = np.asarray(
        [max(opts, key=lambda i: (relax.s[i], -i)) for opts in ix.by_cand if opts],
        dtype=np.int64,
    )
    model = _lp.ColumnLp(ix, relax.s, relax.rows, relax.allowed, best, deterministic_limit=1.5)
    first = model.solve(10.0)
    assert seen == [1.5]
    assert model.add(np.arange(len(ix.options), dtype=np.int64)) > 0
    grown = model.solve()
    assert seen == [1.5, 1.5]  # the new solver has the limit it had
    assert model.solve() is not None and seen == [1.5, 1.5]  # nothing added: no reload
    whole = _lp.solve_lp(ix, relax.s, relax.rows, relax.allowed)
    assert first is not None and grown is not None and whole is not None
    assert first.objective <= grown.objective + 1e-6
    assert abs(grown.objective - whole.objective) <= 1e-6 * max(1.0, abs(whole.objective))


def test_the_relaxation_keeps_its_last_flows() -> None:
    """``recent`` holds the relaxed solutions of the last LP_FLOWS evaluations, latest last."""
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    _, relax = _relaxation(ntu)
    seen: list[np.ndarray] = []
    real = relax.evaluate

    def evaluate(lam: np.ndarray) -> object:
        point = real(lam)
        if point is not None:
            seen.append(point.x)
        return point

    relax.evaluate = evaluate  # type: ignore[method-assign]
    found = relax.run(None, lagrangian.LAGRANGIAN_FLOWS, None)
    assert found.flows == len(seen) > lagrangian.LP_FLOWS
    assert list(relax.recent) == seen[-lagrangian.LP_FLOWS :]
    assert all(a is b for a, b in zip(relax.recent, seen[-lagrangian.LP_FLOWS :], strict=True))


def test_the_rounds_stop_once_a_round_settles_the_bound() -> None:
    """``settle`` answering yes after the first round ends the LP rounds there."""
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    ix, relax = _relaxation(ntu)
    relax.run(None, lagrangian.LAGRANGIAN_FLOWS, None)  # the LP starts from its flows
    stage = lagrangian.LagrangianStage(lambda: [])
    asked: list[int] = []

    def settle(solution: _lp.LpSolution, bound: int) -> bool:
        asked.append(bound)
        return True

    solved = stage._relaxed(ix, relax, TEST_SETTINGS, Carry(started=0.0), settle)
    assert solved is not None and stage.lp_rounds == 1 and len(asked) == 1
    point = solved[1]
    assert point is not None and asked[0] == point.value // point.d


class _BlockingSolver:
    """A stand-in for GLOP: Solve() runs until InterruptSolve() (or 10 s) and says so."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.returned = threading.Event()

    def Solve(self) -> int:  # noqa: N802 - OR-Tools' name
        self.asked.wait(10.0)
        self.returned.set()
        return int(pywraplp.Solver.NOT_SOLVED)

    def InterruptSolve(self) -> bool:  # noqa: N802 - OR-Tools' name
        self.asked.set()
        return True


def test_an_interrupt_stops_the_lp_solve_at_once() -> None:
    """A KeyboardInterrupt during a GLOP solve interrupts it, waits for it and is raised on."""
    solver = _BlockingSolver()
    timer = threading.Timer(0.2, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            _lp.solve_interruptibly(solver)
    finally:
        timer.cancel()
    assert solver.asked.is_set() and solver.returned.is_set()


def test_an_uninterrupted_lp_solve_returns_glops_status() -> None:
    """Through the thread, GLOP's own status comes back (the NTU LP: optimal)."""
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    ix, relax = _relaxation(ntu)
    model = _lp.ColumnLp(ix, relax.s, relax.rows, relax.allowed)
    assert _lp.solve_interruptibly(model._solver) == pywraplp.Solver.OPTIMAL
