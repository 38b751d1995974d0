"""Tests of sgcq.testing.checks.matching: the stability and matching-result oracle.

Blocking pairs are checked on small hand-made assignments and differentially
against the `matching` package; generated cases are solved and checked;
hand-made wrong results must each be caught with a message naming the
violated constraint and its numbers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq.matching import (
    Assignment,
    Blocker,
    BlockerKind,
    Constraints,
    Explanation,
    MatchCandidate,
    MatchPosition,
    Option,
    Pin,
    Problem,
    Result,
    Settings,
    SolvePath,
    Stability,
    Status,
    UnplacedReason,
    solve,
)
from sgcq.models import DateRange, Mode, Money, MonthlyBeds, Quota, QuotaDimension, YearMonth
from sgcq.testing.checks import CheckError, assert_stable, blocking_pairs, check_result
from sgcq.testing.strategies import (
    MatchingCase,
    infeasible_matching_cases,
    matching_cases,
    problems,
)


def test_free_seat_blocks() -> None:
    """An unassigned candidate and a position with a free seat that both accept block."""
    pairs = blocking_pairs({"c1": {"p1": 1}}, {"p1": None}, {"p1": 1}, {"c1": None})
    assert [(b.candidate, b.position, b.reason) for b in pairs] == [
        ("c1", "p1", "p1 has a free seat")
    ]


def test_ties_do_not_block() -> None:
    """Weak stability: a position indifferent between two candidates is not blocked."""
    pairs = blocking_pairs(
        {"c1": {"p1": 1}, "c2": {"p1": 1}},
        {"p1": {"c1": 1, "c2": 1}},
        {"p1": 1},
        {"c1": None, "c2": "p1"},
    )
    assert pairs == ()


def test_unranked_position_blocks_only_with_free_seat() -> None:
    """A position with no ranking is indifferent, so a full one is never blocked."""
    args = ({"c1": {"p1": 1}, "c2": {"p1": 1}}, {"p1": None}, {"p1": 1})
    assert blocking_pairs(*args, {"c1": None, "c2": "p1"}) == ()


def test_unacceptable_and_ineligible_pairs_do_not_block() -> None:
    """A candidate the position did not rank, or a pair the rules forbid, cannot block."""
    ranks = {"c1": {"p1": 1}}
    assert blocking_pairs(ranks, {"p1": {"c9": 1}}, {"p1": 1}, {"c1": None}) == ()
    assert (
        blocking_pairs(ranks, {"p1": None}, {"p1": 1}, {"c1": None}, eligible=lambda c, p: False)
        == ()
    )


def test_assert_stable_lists_every_pair() -> None:
    """assert_stable raises with one line per blocking pair."""
    with pytest.raises(CheckError, match="2 violations") as info:
        assert_stable(
            {"c1": {"p1": 1}, "c2": {"p2": 1}},
            {"p1": None, "p2": None},
            {"p1": 1, "p2": 1},
            {"c1": None, "c2": None},
        )
    assert "blocking pair c1-p1" in str(info.value)
    assert "blocking pair c2-p2" in str(info.value)


def test_missing_candidate_in_assignment_is_an_error() -> None:
    """Every candidate must have an assignment entry; none is silently skipped."""
    with pytest.raises(ValueError, match="c2"):
        blocking_pairs({"c1": {}, "c2": {}}, {}, {}, {"c1": None})


@st.composite
def strict_instances(
    draw: st.DrawFn,
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """Strict, mutually consistent preference lists for hospital/residents."""
    n_c = draw(st.integers(1, 7))
    n_p = draw(st.integers(1, 4))
    cands = [f"c{i}" for i in range(n_c)]
    poss = [f"p{j}" for j in range(n_p)]
    c_prefs = {
        c: draw(st.permutations(poss).map(lambda x: list(x[: max(1, len(x) - 1)]))) for c in cands
    }
    p_prefs: dict[str, list[str]] = {}
    for p in poss:
        applicants = [c for c in cands if p in c_prefs[c]]
        p_prefs[p] = list(draw(st.permutations(applicants)))
    caps = {p: draw(st.integers(1, 3)) for p in poss}
    return c_prefs, p_prefs, caps


@pytest.mark.filterwarnings("ignore::matching.exceptions.PlayerExcludedWarning")
@given(strict_instances())
def test_deferred_acceptance_result_has_no_blocking_pair(
    instance: tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]],
) -> None:
    """Differential: the `matching` package's stable matching passes our checker."""
    from matching.games import HospitalResident

    c_prefs, p_prefs, caps = instance
    game = HospitalResident.create_from_dictionaries(c_prefs, p_prefs, caps)
    solution = game.solve(optimal="resident")
    assignment: dict[str, str | None] = dict.fromkeys(c_prefs)
    for hospital, residents in solution.items():
        for r in residents:
            assignment[str(r)] = str(hospital)
    c_ranks = {c: {p: i + 1 for i, p in enumerate(ps)} for c, ps in c_prefs.items()}
    p_ranks: dict[str, dict[str, int] | None] = {
        p: {c: i + 1 for i, c in enumerate(cs)} for p, cs in p_prefs.items()
    }
    assert blocking_pairs(c_ranks, p_ranks, caps, assignment) == ()
    # Unassigning a placed candidate whose position is their first choice
    # always opens a blocking pair: the free seat they left.
    placed_first = [c for c, p in assignment.items() if p is not None and c_ranks[c][p] == 1]
    if placed_first:
        c = placed_first[0]
        broken = {**assignment, c: None}
        assert any(b.candidate == c for b in blocking_pairs(c_ranks, p_ranks, caps, broken))


# --- matching results ---------------------------------------------------------


SETTINGS = Settings(deterministic_time_limit=5.0, workers=1, seed=0)


#: Solver runs take their time: no per-example deadline, whatever the profile.
SOLVES = settings(deadline=None)


STAY = DateRange(date(2021, 3, 1), date(2021, 5, 1))


MONTHS = (YearMonth(2021, 3), YearMonth(2021, 4))


@SOLVES
@given(matching_cases())
def test_feasible_cases_solve_and_pass_the_checker(case: MatchingCase) -> None:
    """A case feasible by construction solves to a solution the checker accepts."""
    problem = case.problem()
    result = solve(problem, SETTINGS)
    assert result.status.has_solution, result.message
    assert result.placed >= len(case.witness)  # most placed first: never fewer than the witness
    check_result(problem, result)


@SOLVES
@given(matching_cases(max_candidates=5, max_positions=3, side_constraints=False))
def test_strictly_stable_results_pass_the_checker(case: MatchingCase) -> None:
    """Strict stability without side constraints always has a solution with no blocking pair."""
    problem = Problem.from_scenario(
        case.scenario, case.cohort, constraints=Constraints(), stability=Stability.STRICT
    )
    result = solve(problem, SETTINGS)
    assert result.status.has_solution, result.message
    check_result(problem, result)


@SOLVES
@given(infeasible_matching_cases())
def test_infeasible_cases_are_reported_infeasible(case: MatchingCase) -> None:
    """A case broken on purpose is reported INFEASIBLE with no placements."""
    problem = case.problem()
    result = solve(problem, SETTINGS)
    assert result.status is Status.INFEASIBLE, case.infeasible_because
    assert result.assignments == ()
    check_result(problem, result)


def _option(c: str, p: str, *, cost: int | None = None) -> Option:
    return Option(
        c,
        p,
        STAY.start,
        STAY,
        Mode.ON_SITE,
        candidate_rank=1,
        bed_months=MONTHS,
        cost=Money(Decimal(cost), "CNY") if cost is not None else None,
    )


def _assign(o: Option) -> Assignment:
    return Assignment(o.candidate, o.position, o.start, o.stay.end, o.mode, cost=o.cost)


def _problem(constraints: Constraints | None = None, *, cost: int | None = None) -> Problem:
    return Problem(
        candidates=(
            MatchCandidate("c1", "ntu"),
            MatchCandidate("c2", "ntu"),
            MatchCandidate("c3", "nus"),
        ),
        positions=(MatchPosition("p1", "h1", seats=1), MatchPosition("p2", "h1", seats=2)),
        options=tuple(_option(c, p, cost=cost) for c in ("c1", "c2", "c3") for p in ("p1", "p2")),
        constraints=constraints or Constraints(),
    )


def _result(problem: Problem, placed: dict[str, str], **extra: object) -> Result:
    options = {(o.candidate, o.position): o for o in problem.options}
    unplaced = tuple(
        Explanation(
            c.id,
            False,
            (UnplacedReason("p1", STAY.start, (Blocker(BlockerKind.SEATS_FULL, "p1 is full"),)),),
        )
        for c in problem.candidates
        if c.id not in placed
    )
    fields: dict[str, object] = {
        "assignments": tuple(_assign(options[(c, p)]) for c, p in sorted(placed.items())),
        "unplaced": unplaced,
    }
    fields.update(extra)
    return Result(Status.FEASIBLE, SolvePath.CP_SAT, **fields)  # type: ignore[arg-type]


def test_a_correct_hand_made_result_passes() -> None:
    """A result within every limit, with true explanations, passes."""
    problem = _problem()
    check_result(problem, _result(problem, {"c1": "p1", "c2": "p2", "c3": "p2"}))


def test_seats_exceeded_is_caught() -> None:
    """Two candidates in a one-seat position are named with the numbers."""
    problem = _problem()
    with pytest.raises(CheckError, match=r"seats: p1 holds 2 candidates but has 1 seat"):
        check_result(problem, _result(problem, {"c1": "p1", "c2": "p1"}))


def test_quota_broken_is_caught() -> None:
    """A university over its maximum is named with the count and the limit."""
    quota = Quota(QuotaDimension.UNIVERSITY, "ntu", maximum=_count(1))
    problem = _problem(Constraints(quotas=(quota,)))
    with pytest.raises(CheckError, match=r"university quota ntu: 2 placed, maximum 1"):
        check_result(problem, _result(problem, {"c1": "p1", "c2": "p2"}))


def test_bed_overuse_is_caught() -> None:
    """More beds held in a month than it has are named with the month."""
    problem = _problem(Constraints(beds=(MonthlyBeds(YearMonth(2021, 4), 1),)))
    with pytest.raises(CheckError, match=r"beds: 2 beds held in 2021-04, capacity 1"):
        check_result(problem, _result(problem, {"c1": "p1", "c2": "p2"}))


def test_budget_overrun_is_caught() -> None:
    """Placements costing more than the budget are named with both amounts."""
    problem = _problem(Constraints(budget=Money(Decimal(5000), "CNY")), cost=3000)
    with pytest.raises(CheckError, match=r"budget: placements cost 6000 CNY"):
        check_result(problem, _result(problem, {"c1": "p1", "c2": "p2"}))


def test_ineligible_pair_is_caught() -> None:
    """A placement that is not an option of the problem is named."""
    problem = _problem()
    bogus = Assignment("c1", "p1", date(2021, 6, 1), date(2021, 8, 1), Mode.ON_SITE)
    result = _result(problem, {"c2": "p2"})
    result = attrs.evolve(result, assignments=(bogus, *result.assignments))
    with pytest.raises(CheckError, match=r"options: c1 in p1 from 2021-06-01 is not an option"):
        check_result(problem, result)


def test_unexplained_candidate_is_caught() -> None:
    """A candidate neither placed nor explained is named."""
    problem = _problem()
    result = attrs.evolve(_result(problem, {"c1": "p1"}), unplaced=())
    with pytest.raises(CheckError, match=r"c2 is neither placed nor explained"):
        check_result(problem, result)


def test_false_explanation_is_caught() -> None:
    """Saying a position is full when it has a free seat is caught."""
    problem = _problem()
    result = _result(problem, {"c2": "p2", "c3": "p2"})  # p1 is empty
    with pytest.raises(CheckError, match=r"says seats_full but p1 holds 0 of 1 seat"):
        check_result(problem, result)


def test_cohort_size_and_pins_are_checked() -> None:
    """A result below the cohort minimum and ignoring a pin lists both violations."""
    problem = _problem(Constraints(min_size=3, pins=(Pin("c3", "p1"),)))
    with pytest.raises(CheckError) as info:
        check_result(problem, _result(problem, {"c1": "p1", "c2": "p2"}))
    text = str(info.value)
    assert "cohort size: 2 placed, minimum 3" in text
    assert "pins: c3 is pinned to p1 but is unplaced" in text
    assert len(info.value.violations) == 2


def test_blocking_pair_under_strict_stability_is_caught() -> None:
    """Under strict stability an empty seat someone wanted is a blocking pair."""
    problem = attrs.evolve(_problem(), stability=Stability.STRICT)
    with pytest.raises(CheckError, match=r"stability: blocking pair c\d-p1: p1 has a free seat"):
        check_result(problem, _result(problem, {"c2": "p2", "c3": "p2"}))


def test_results_without_a_solution_must_not_place_anyone() -> None:
    """An INFEASIBLE result with placements is caught."""
    problem = _problem()
    result = attrs.evolve(_result(problem, {"c1": "p1"}), status=Status.INFEASIBLE)
    with pytest.raises(CheckError, match=r"status: a infeasible result has 1 placements"):
        check_result(problem, result)


def _count(n: int) -> object:
    from sgcq.models import Count

    return Count(n)


@SOLVES
@given(problems(side_constraints=True, starts=3, ties=True))
def test_synthetic_problems_with_side_constraints_solve_and_check(problem: Problem) -> None:
    """Synthetic problems feasible by construction solve; the checker accepts the result."""
    result = solve(problem, SETTINGS)
    assert result.status.has_solution, result.message
    check_result(problem, result)


@SOLVES
@given(problems(stability="strict", ties=True))
def test_synthetic_strict_problems_are_stable(problem: Problem) -> None:
    """Without side constraints a (weakly) stable matching always exists and is found."""
    result = solve(problem, SETTINGS)
    assert result.status.has_solution, result.message
    assert result.blocking_pairs == ()
    check_result(problem, result)
