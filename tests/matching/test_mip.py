"""The MIP stage: SCIP on the 0/1 model before CP-SAT (decision 0026)."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS
from ortools.linear_solver import linear_solver_pb2

from sgcq.matching import (
    Objective,
    Problem,
    Settings,
    SolvePath,
    Stability,
    Status,
    UnsupportedPathError,
    choose_path,
    solve,
)
from sgcq.matching._index import Index
from sgcq.matching._objective import level_range
from sgcq.matching.stages import mip
from sgcq.planning import Variation
from sgcq.scenarios import load_scenario
from sgcq.serialization import dumps_json, loads_json
from sgcq.testing.checks import check_result
from sgcq.testing.strategies import problems

MIP = attrs.evolve(TEST_SETTINGS, path=SolvePath.MIP)
CP_SAT = attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT)
SOLVER_RUNS = settings(max_examples=40, deadline=None)


def _lex(levels: Any) -> tuple[int, ...]:
    return tuple(lv.value if Objective(lv.objective).maximise else -lv.value for lv in levels)


@pytest.fixture(scope="module")
def tight() -> Problem:
    """The NTU cohort with beds x0.71 and the budget x0.68, where both bind.

    Before the MIP stage, CP-SAT ran 58 s on it at a deterministic limit of 10
    and ended FEASIBLE with placed 77 against a bound of 78.
    """
    base = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    variation = Variation(beds_scale=Decimal("0.71"), budget_scale=Decimal("0.68"))
    return variation.apply(base)


def test_auto_proves_the_tight_ntu_variation_with_scip(tight: Problem) -> None:
    """AUTO: the relaxation does not prove it, SCIP proves both levels; CP-SAT does not run."""
    events: list[str] = []
    result = solve(tight, attrs.evolve(TEST_SETTINGS, progress=lambda e: events.append(e.stage)))
    assert result.path is SolvePath.MIP and result.status is Status.OPTIMAL
    assert [(lv.objective, lv.value, lv.bound, lv.proven) for lv in result.levels] == [
        ("placed", 78, 78, True),
        ("candidate_welfare", 626, 626, True),
    ]
    assert result.gap == 0.0
    assert "MIP stage (SCIP" in result.message and "proved every level" in result.message
    assert result.message.startswith("side constraints (")
    assert "mip" in events and "cp_sat" not in events
    check_result(tight, result)
    assert loads_json(dumps_json(result), type(result)) == result


def test_the_mip_stage_is_reproducible(tight: Problem) -> None:
    """Same problem, seed and deterministic limit: the same result, message included."""
    first = solve(tight, MIP)
    again = solve(tight, MIP)
    assert first.status is again.status is Status.OPTIMAL
    assert first.as_mapping() == again.as_mapping()
    # Only the wall time may differ: no clock reading in the message.
    assert attrs.evolve(first, wall_time=0.0) == attrs.evolve(again, wall_time=0.0)


@SOLVER_RUNS
@given(
    problem=problems(max_candidates=8, max_positions=4, starts=2, side_constraints=True),
    seed=st.integers(0, 3),
)
def test_forced_mip_reaches_cp_sats_proven_optimum(problem: Problem, seed: int) -> None:
    """A differential test: SCIP and CP-SAT, two independent solvers, prove the same levels."""
    by_mip = solve(problem, attrs.evolve(MIP, seed=seed))
    by_cp = solve(problem, CP_SAT)
    check_result(problem, by_mip)
    assert by_mip.path is SolvePath.MIP
    assert by_cp.status is Status.OPTIMAL  # feasible by construction, and small
    assert by_mip.status is Status.OPTIMAL, by_mip.message
    assert [lv.value for lv in by_mip.levels] == [lv.value for lv in by_cp.levels]
    assert all(lv.proven and lv.bound == lv.value for lv in by_mip.levels)


def test_forcing_mip_with_stability_on_is_refused() -> None:
    """SCIP holds no stability rows: forcing it names the reason."""
    problem = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    strict = attrs.evolve(problem, stability=Stability.STRICT)
    with pytest.raises(UnsupportedPathError, match=r"MIP stage cannot solve .*stability strict"):
        choose_path(strict, MIP)
    assert mip.mip_refusals(Index(problem)) == []


def test_a_level_too_wide_for_floating_point_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A level whose range passes MIP_LIMIT is refused (TOO_WIDE), and AUTO goes to CP-SAT."""
    problem = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    monkeypatch.setattr(mip, "MIP_LIMIT", 10)
    refused = mip.mip_refusals(Index(problem))
    assert [r.reason.value for r in refused] == ["too_wide"]
    assert "placed" in refused[0].message and "candidate_welfare" in refused[0].message
    # A range of exactly the limit is refused too: its folded weights would pass it.
    ix = Index(problem)
    monkeypatch.setattr(mip, "MIP_LIMIT", level_range(ix, Objective.PLACED))
    assert "placed" in mip.mip_refusals(ix)[0].message


def test_the_deterministic_limit_becomes_a_node_limit() -> None:
    """L deterministic units and a share s give ceil(1000 * L * s) nodes; no L, no node limit."""
    text = mip._parameters(Settings(deterministic_time_limit=10.0, seed=7), 0.5)
    assert "limits/totalnodes = 5000" in text
    assert "randomization/randomseedshift = 7" in text
    assert "limits/gap = 0" in text
    assert "totalnodes" not in mip._parameters(Settings(time_limit=5.0), 0.5)
    assert "limits/totalnodes = 1\n" in mip._parameters(Settings(deterministic_time_limit=1e-9), 1)


def _replying(monkeypatch: pytest.MonkeyPatch, reply: Any) -> list[Any]:
    """Replace SCIP with ``reply(request, response)``; return the requests seen.

    Other solvers' requests (the Lagrangian stage's LP relaxation, GLOP) go
    to the real solver.
    """
    seen: list[Any] = []
    real = mip.pywraplp.Solver.SolveWithProto
    scip = linear_solver_pb2.MPModelRequest.SCIP_MIXED_INTEGER_PROGRAMMING

    def fake(request: Any, response: Any) -> None:
        if request.solver_type != scip:
            real(request, response)
            return
        seen.append(request)
        reply(request, response)

    monkeypatch.setattr(mip.pywraplp.Solver, "SolveWithProto", staticmethod(fake))
    return seen


def test_a_solution_that_breaks_a_row_is_not_used(
    tight: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SCIP "proves" everyone placed: the exact check refuses it and CP-SAT answers."""

    def everyone(request: Any, response: Any) -> None:
        n = len(request.model.variable)
        response.status = linear_solver_pb2.MPSOLVER_OPTIMAL
        response.variable_value.extend([1.0] * n)
        response.best_objective_bound = 1e9

    seen = _replying(monkeypatch, everyone)
    result = solve(tight, attrs.evolve(TEST_SETTINGS, deterministic_time_limit=2.0))
    assert seen, "the MIP stage ran"
    assert result.path is SolvePath.CP_SAT
    assert "failed the exact check" in result.message and "not used" in result.message
    check_result(tight, result)


def test_forced_mip_without_a_solution_returns_the_greedy_one(
    tight: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SCIP gives up: forced MIP returns the relaxation's solution, FEASIBLE with its gap."""

    def nothing(request: Any, response: Any) -> None:
        response.status = linear_solver_pb2.MPSOLVER_NOT_SOLVED

    _replying(monkeypatch, nothing)
    result = solve(tight, MIP)
    assert result.path is SolvePath.MIP and result.status is Status.FEASIBLE
    assert "SCIP: MPSOLVER_NOT_SOLVED on level group 1" in result.message
    assert result.gap is not None and result.gap > 0
    check_result(tight, result)


def test_cp_sat_goes_on_from_an_unproven_scip_solution(
    tight: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SCIP's first solution without its proof: CP-SAT starts from it; the answer is no worse."""
    real = mip.pywraplp.Solver.SolveWithProto
    hints: list[int] = []

    def unproven(request: Any, response: Any) -> None:
        real(request, response)
        hints.append(len(request.model.solution_hint.var_index))
        response.best_objective_bound = response.objective_value + 10.0
        response.status = linear_solver_pb2.MPSOLVER_FEASIBLE

    _replying(monkeypatch, unproven)
    scip_only = solve(tight, MIP)
    assert scip_only.status is Status.FEASIBLE and not scip_only.levels[0].proven
    result = solve(tight, attrs.evolve(TEST_SETTINGS, deterministic_time_limit=4.0))
    assert "did not prove every level" in result.message
    assert "CP-SAT from its solution" in result.message or "CP-SAT found nothing better" in (
        result.message
    )
    assert hints and hints[0] == len(Index(tight).options) + 1  # started from the greedy
    assert _lex(result.levels) >= _lex(scip_only.levels)
    check_result(tight, result)


def test_auto_leaves_large_problems_to_cp_sat(
    tight: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above MIP_OPTIONS options AUTO does not run SCIP."""
    solve_module = importlib.import_module("sgcq.matching.solve")
    monkeypatch.setattr(solve_module, "MIP_OPTIONS", 100)
    seen = _replying(monkeypatch, lambda request, response: None)
    result = solve(tight, attrs.evolve(TEST_SETTINGS, deterministic_time_limit=1.0))
    assert seen == [] and result.path is SolvePath.CP_SAT
