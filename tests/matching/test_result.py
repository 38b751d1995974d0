"""Results: statuses, invalid models, summaries and round trips."""

from __future__ import annotations

import pickle
from datetime import date

import attrs
import pytest
from matching_helpers import TEST_SETTINGS, broken_constraints, placed_options
from ortools.sat.python import cp_model

from sgcq.matching import (
    Constraints,
    LevelValue,
    MatchCandidate,
    MatchingError,
    MatchPosition,
    ModelInvalidError,
    Option,
    Problem,
    Result,
    Settings,
    SolvePath,
    Stability,
    Status,
    solve,
)
from sgcq.matching._index import Index
from sgcq.matching.stages import Refusal, RefusalReason
from sgcq.matching.stages import cpsat as _cpsat
from sgcq.matching.stages.cpsat import (
    RESERVE_PER_OPTION,
    RESERVE_SHARE,
    CpSatScheduler,
    map_status,
)
from sgcq.matching.stages.lagrangian import LagrangianStage
from sgcq.models import (
    Count,
    DateRange,
    Mode,
    Money,
    MonthlyBeds,
    Quota,
    QuotaDimension,
    YearMonth,
)
from sgcq.serialization import dumps_json, loads_json


def _crowded(constraints: Constraints | None = None, n: int = 6) -> Problem:
    """``n`` candidates (alternately from nus and ntu) want ``3n/4`` seats in ``n/2`` positions.

    Every stay is [2020-09-01, 2020-12-01), holding a bed in September, October
    and November, and costs SGD 1,000 to 3,000; each candidate ranks two
    positions in every three.
    """
    stay = DateRange(date(2020, 9, 1), date(2020, 12, 1))
    candidates = tuple(MatchCandidate(f"c{i}", "ntu" if i % 2 else "nus") for i in range(n))
    positions = tuple(MatchPosition(f"p{j}", f"h{j % 3}", 1 + j % 2) for j in range(n // 2))
    options = tuple(
        Option(
            c.id,
            p.id,
            stay.start,
            stay,
            Mode.ON_SITE,
            candidate_rank=1 + (i + j) % 3,
            bed_months=tuple(stay.calendar_months()),
            cost=Money(1000 * (1 + j % 3), "SGD"),
        )
        for i, c in enumerate(candidates)
        for j, p in enumerate(positions)
        if (i + j) % 3 != 2
    )
    return Problem(candidates, positions, options, constraints=constraints or Constraints())


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (cp_model.OPTIMAL, Status.OPTIMAL),
        (cp_model.FEASIBLE, Status.FEASIBLE),
        (cp_model.INFEASIBLE, Status.INFEASIBLE),
        (cp_model.UNKNOWN, Status.UNKNOWN),
    ],
)
def test_every_cp_sat_status_is_mapped(code: int, status: Status) -> None:
    """OPTIMAL, FEASIBLE, INFEASIBLE and UNKNOWN stay distinct."""
    assert map_status(int(code)) is status


def test_model_invalid_raises_with_the_solver_text() -> None:
    """MODEL_INVALID is an error carrying CP-SAT's validation text, never a status."""
    with pytest.raises(ModelInvalidError, match="no domain"):
        map_status(int(cp_model.MODEL_INVALID), "var #0 has no domain()")
    with pytest.raises(MatchingError, match="unknown status"):
        map_status(99)
    scheduler = CpSatScheduler(Index(_crowded()))
    scheduler.model.new_int_var(3, 1, "broken")
    with pytest.raises(ModelInvalidError, match="broken") as info:
        scheduler.solve(TEST_SETTINGS, None)
    assert "broken" in info.value.validation
    assert pickle.loads(pickle.dumps(info.value)).validation == info.value.validation


def test_cohort_minimum_above_the_options_is_infeasible_and_said_plainly() -> None:
    """A minimum size nobody can reach gives INFEASIBLE, no placements and a plain message."""
    problem = attrs.evolve(_crowded(), constraints=Constraints(min_size=7))
    result = solve(problem, TEST_SETTINGS)
    assert result.status is Status.INFEASIBLE
    # The Lagrangian bound proves it before CP-SAT runs; forced CP-SAT says the same.
    assert result.path is SolvePath.LAGRANGIAN
    assert "Lagrangian bound" in result.message
    assert result.message.startswith("INFEASIBLE")
    assert "min_size" in result.message
    forced = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT))
    assert forced.status is Status.INFEASIBLE and forced.path is SolvePath.CP_SAT
    assert forced.message.startswith("INFEASIBLE") and "min_size" in forced.message
    assert result.assignments == () and result.gap is None
    assert "infeasible" in str(result)


def test_result_round_trips_and_reads_well() -> None:
    """A result with explanations survives JSON and pickle; its text names the levels."""
    problem = _crowded(Constraints(beds=(MonthlyBeds(YearMonth(2020, 9), 3),), max_size=4))
    result = solve(problem, TEST_SETTINGS)
    assert result.unplaced
    assert loads_json(dumps_json(result), Result) == result
    assert pickle.loads(pickle.dumps(result)) == result
    text = str(result)
    assert "placed:" in text and "candidate_welfare:" in text and result.path.value in text
    assert result.objective == result.levels[0].value
    assert result.bound == result.levels[0].bound
    assert result.gap == 0.0
    assert sum(r.count for r in result.rank_distribution) == result.placed


def test_no_time_for_cp_sat_still_gives_the_greedy_that_meets_the_minimums() -> None:
    """Only nus candidates may fill the 15 places: filling the minimum first finds it."""
    # The repaired flow hint mixes universities; the greedy that fills the
    # nus minimum first meets every constraint, so AUTO has an answer even
    # when CP-SAT has no time at all (issue 18).
    nus_only = Quota(QuotaDimension.UNIVERSITY, "nus", minimum=Count(15))
    problem = _crowded(Constraints(quotas=(nus_only,), max_size=15), n=30)
    best = solve(problem, TEST_SETTINGS)
    assert best.status is Status.OPTIMAL
    result = solve(problem, Settings(deterministic_time_limit=1e-9))
    assert result.status.has_solution and result.placed == 15
    assert not broken_constraints(problem, placed_options(problem, result))
    assert [lv.value for lv in result.levels] <= [lv.value for lv in best.levels]


def test_unknown_when_the_limit_leaves_no_solution() -> None:
    """A limit too small for any solution gives UNKNOWN (not INFEASIBLE), with advice."""
    # Fewest blocking pairs: no Lagrangian stage, and the stable start, repaired,
    # misses the nus minimum; no time is left to search.
    nus_only = Quota(QuotaDimension.UNIVERSITY, "nus", minimum=Count(15))
    problem = attrs.evolve(
        _crowded(Constraints(quotas=(nus_only,), max_size=15), n=30),
        stability=Stability.MIN_BLOCKING,
    )
    assert solve(problem, TEST_SETTINGS).status.has_solution
    result = solve(problem, Settings(deterministic_time_limit=1e-9))
    assert result.status is Status.UNKNOWN
    assert result.assignments == () and result.levels == ()
    assert "raise the time limits" in result.message


def test_unknown_search_falls_back_to_the_repaired_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    """If CP-SAT finds nothing but the starting solution meets every constraint, it is returned."""

    def nothing(self: object, *_args: object) -> _cpsat.CpSatOutcome:
        return _cpsat.CpSatOutcome(Status.UNKNOWN, None, (), "no solution within the limits")

    monkeypatch.setattr(_cpsat.CpSatScheduler, "solve", nothing)
    # Without the Lagrangian stage the fallback has no bound: nothing is proven.
    refused = [Refusal(RefusalReason.STABILITY, "switched off for the test")]
    monkeypatch.setattr(LagrangianStage, "supports", lambda _self, _ix: refused)
    problem = attrs.evolve(_crowded(), constraints=Constraints(max_size=3))
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT))
    assert result.status is Status.FEASIBLE
    assert "starting solution" in result.message
    assert 0 < result.placed <= 3
    assert not any(lv.proven for lv in result.levels)
    assert not broken_constraints(problem, placed_options(problem, result))


def test_unknown_search_keeps_the_lagrangian_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the Lagrangian stage, the fallback solution carries its bound (here: optimal)."""

    def nothing(self: object, *_args: object) -> _cpsat.CpSatOutcome:
        return _cpsat.CpSatOutcome(Status.UNKNOWN, None, (), "no solution within the limits")

    monkeypatch.setattr(_cpsat.CpSatScheduler, "solve", nothing)
    problem = attrs.evolve(_crowded(), constraints=Constraints(max_size=3))
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT))
    assert result.path is SolvePath.CP_SAT
    assert "CP-SAT found no solution" in result.message
    assert result.placed == 3
    assert result.status is Status.OPTIMAL
    assert all(lv.proven and lv.bound == lv.value for lv in result.levels)
    assert not broken_constraints(problem, placed_options(problem, result))


def test_a_worse_cp_sat_solution_does_not_replace_the_greedy_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CP-SAT starts from the higher-scoring start; if it ends below the greedy, the greedy wins."""
    nus_only = Quota(QuotaDimension.UNIVERSITY, "nus", minimum=Count(15))
    problem = _crowded(Constraints(quotas=(nus_only,), max_size=15), n=30)
    greedy_only = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.LAGRANGIAN))
    assert greedy_only.status.has_solution and greedy_only.placed == 15

    def poor(self: _cpsat.CpSatScheduler, *_args: object) -> _cpsat.CpSatOutcome:
        nobody = [-1] * len(self.ix.cand_ids)
        levels = tuple(LevelValue(lv.objective, 0, lv.bound, False) for lv in greedy_only.levels)
        return _cpsat.CpSatOutcome(Status.FEASIBLE, nobody, levels, "")

    monkeypatch.setattr(_cpsat.CpSatScheduler, "solve", poor)
    # Forced, so that CP-SAT runs although the Lagrangian stage closes it.
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT))
    assert "better than what CP-SAT found" in result.message
    assert result.as_mapping() == greedy_only.as_mapping()
    assert not broken_constraints(problem, placed_options(problem, result))


def test_cp_sat_leaves_a_reserve_of_a_wall_clock_limit_for_the_result() -> None:
    """CP-SAT's own limit is the wall-clock limit less a reserve that grows with the options.

    The reserve (stopping the solver, reading the solution, the result's
    counts) is ``RESERVE_PER_OPTION`` per option and at most
    ``RESERVE_SHARE`` of the limit, so a solve ends within its limit.
    """
    scheduler = CpSatScheduler(Index(_crowded()))
    options = len(scheduler.x)
    solver = scheduler._solver(Settings(time_limit=10.0, workers=1), 2.0, 0.0)
    expected = 10.0 - 2.0 - RESERVE_PER_OPTION * options
    assert solver.parameters.max_time_in_seconds == pytest.approx(expected)
    # A tiny limit keeps most of itself: the reserve is capped by its share.
    scheduler.x = scheduler.x * (30_000 // options + 1)
    capped = scheduler._solver(Settings(time_limit=1.0, workers=1), 0.0, 0.0)
    assert capped.parameters.max_time_in_seconds == pytest.approx(1.0 - RESERVE_SHARE)
