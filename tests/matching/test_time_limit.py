"""A wall-clock limit covers the whole solve: no stage starts, nor explanation runs, after it.

These tests use a limit that has always run out by the time the index is
built (a microsecond), so what they check does not depend on the machine's
speed; how long the unavoidable parts take is measured by
``benchmarks/time_limit.py`` and documented in ``docs/limits.md``.
"""

from __future__ import annotations

import functools
import importlib

import pytest
from matching_helpers import TEST_SETTINGS, broken_constraints, placed_options

from sgcq.matching import Problem, Settings, SolvePath, Status, solve
from sgcq.scenarios import load_scenario

# The module (``sgcq.matching.solve`` the name is the function).
solve_module = importlib.import_module("sgcq.matching.solve")

EXPIRED = Settings(time_limit=1e-6, workers=1, seed=0)


@functools.lru_cache(maxsize=1)
def _problem() -> Problem:
    # Quotas and beds: the Lagrangian stage, then CP-SAT.
    return Problem.from_scenario(load_scenario("ntu-ydpg-2020"))


def test_an_expired_limit_skips_cp_sat_and_returns_a_valid_solution() -> None:
    """A 0.01 s limit on a large problem used to take seconds: CP-SAT ran after the limit."""
    problem = _problem()
    result = solve(problem, EXPIRED)
    assert "the time limit ran out before CP-SAT could start" in result.message
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert result.placed > 0
    assert broken_constraints(problem, placed_options(problem, result)) == set()


def test_an_expired_limit_cuts_the_explanations_short_and_says_so() -> None:
    """Past the limit, unplaced candidates keep their rule reasons; options are not examined."""
    problem = _problem()
    result = solve(problem, EXPIRED)
    eligible_unplaced = [e for e in result.unplaced if not e.ineligible]
    assert eligible_unplaced, "the scenario leaves candidates with options unplaced"
    assert all(not r.blockers for e in eligible_unplaced for r in e.reasons)
    assert f"{len(eligible_unplaced)} unplaced candidates were not examined" in result.message


def test_without_a_wall_clock_limit_every_option_is_explained() -> None:
    """A deterministic limit never cuts explanations: every eligible option has its blockers."""
    problem = _problem()
    result = solve(problem, TEST_SETTINGS)
    assert "not examined" not in result.message
    for e in result.unplaced:
        if not e.ineligible:
            assert any(r.blockers for r in e.reasons)


def test_too_little_time_for_cp_sat_hands_over_the_solution_in_hand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With less of the limit left than CP-SAT needs to build and start, it is not started.

    CP-SAT's start-up is estimated from the index's build time; a factor no
    limit can meet makes every remaining time too short, whatever the machine.
    """
    monkeypatch.setattr(solve_module, "CPSAT_START_FACTOR", 1e9)
    problem = _problem()
    result = solve(problem, Settings(time_limit=60.0, workers=1, seed=0))
    assert "less than CP-SAT needs to build its model and start" in result.message
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert result.placed > 0
    assert result.wall_time < 60.0
    assert broken_constraints(problem, placed_options(problem, result)) == set()


def test_cp_sat_runs_when_its_start_fits_in_the_time_left() -> None:
    """The same problem with the usual factor and a roomy limit goes on past the relaxation.

    On a problem this small AUTO's MIP stage comes first and proves it; forced
    CP-SAT runs CP-SAT.
    """
    result = solve(_problem(), Settings(time_limit=60.0, workers=1, seed=0))
    assert "CP-SAT needs" not in result.message
    assert result.path.value == "mip" and result.status is Status.OPTIMAL
    forced = solve(_problem(), Settings(time_limit=60.0, workers=1, seed=0, path=SolvePath.CP_SAT))
    assert "CP-SAT needs" not in forced.message
    assert forced.path.value == "cp_sat"
