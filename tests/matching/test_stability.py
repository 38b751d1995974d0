"""Stability: strict, minimised blocking pairs, and the deferred-acceptance fast path."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS

from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    Pin,
    Problem,
    SolvePath,
    Stability,
    Status,
    UnsupportedPathError,
    solve,
)
from sgcq.models import Count, DateRange, Mode, Quota, QuotaDimension
from sgcq.testing.checks import assert_stable, blocking_pairs, check_result, preferences_of
from sgcq.testing.strategies import problems

SOLVER_RUNS = settings(max_examples=15, deadline=None)


def _resident_optimal(problem: Problem) -> dict[str, str | None]:
    from matching.games import HospitalResident

    c_ranks, p_ranks, caps = preferences_of(problem)
    c_prefs = {c: sorted(r, key=r.__getitem__) for c, r in c_ranks.items()}
    p_prefs = {}
    for p, r in p_ranks.items():
        assert r is not None
        if r:  # the matching package fails on hospitals nobody ranked
            p_prefs[p] = sorted(r, key=r.__getitem__)
    caps = {p: k for p, k in caps.items() if p in p_prefs}
    game = HospitalResident.create_from_dictionaries(c_prefs, p_prefs, caps)
    solution = game.solve(optimal="resident")
    out: dict[str, str | None] = dict.fromkeys(c_prefs)
    for hospital, residents in solution.items():
        for r in residents:
            out[str(r)] = str(hospital)
    return out


@SOLVER_RUNS
@given(
    base=problems(max_candidates=10, max_positions=4, host_rankings="all"),
    path=st.sampled_from([SolvePath.AUTO, SolvePath.CP_SAT]),
)
def test_strict_stable_result_is_the_candidate_optimal_stable_matching(
    base: Problem, path: SolvePath
) -> None:
    """With strict preferences and no side constraints, STRICT gives HospitalResident's answer."""
    problem = attrs.evolve(base, stability=Stability.STRICT)
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=path))
    assert result.status is Status.OPTIMAL
    if path is SolvePath.AUTO:
        assert result.path is SolvePath.DEFERRED_ACCEPTANCE
    mine = {c.id: None for c in problem.candidates} | result.as_mapping()
    assert mine == _resident_optimal(problem)
    assert_stable(*preferences_of(problem), mine)
    assert result.blocking_pairs == ()


@SOLVER_RUNS
@given(base=problems(max_candidates=10, max_positions=4, host_rankings="all"))
def test_position_welfare_first_gives_the_position_optimal_matching(base: Problem) -> None:
    """POSITION_WELFARE before CANDIDATE_WELFARE picks the hospital-optimal stable matching."""
    from matching.games import HospitalResident

    problem = attrs.evolve(
        base,
        stability=Stability.STRICT,
        objectives=(Objective.PLACED, Objective.POSITION_WELFARE),
    )
    da = solve(problem, TEST_SETTINGS)
    cp = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT))
    c_ranks, p_ranks, caps = preferences_of(problem)
    p_prefs = {p: sorted(r, key=r.__getitem__) for p, r in p_ranks.items() if r}
    game = HospitalResident.create_from_dictionaries(
        {c: sorted(r, key=r.__getitem__) for c, r in c_ranks.items()},
        p_prefs,
        {p: k for p, k in caps.items() if p in p_prefs},
    )
    expected: dict[str, str] = {}
    for hospital, residents in game.solve(optimal="hospital").items():
        for r in residents:
            expected[str(r)] = str(hospital)
    assert da.as_mapping() == expected
    assert [lv.value for lv in cp.levels] == [lv.value for lv in da.levels]


@SOLVER_RUNS
@given(
    problem=problems(
        max_candidates=10, max_positions=4, ties=True, host_rankings="some", stability="strict"
    )
)
def test_weakly_stable_with_ties_passes_the_independent_checker(problem: Problem) -> None:
    """With ties (or hosts that do not rank) the CP-SAT STRICT result has no blocking pair."""
    result = solve(problem, TEST_SETTINGS)
    assert result.status is Status.OPTIMAL
    mine = {c.id: None for c in problem.candidates} | result.as_mapping()
    assert_stable(*preferences_of(problem), mine)
    check_result(problem, result)


def _two_by_one() -> Problem:
    stay = DateRange.of_months(date(2020, 9, 1), 3)
    return Problem(
        candidates=(MatchCandidate("a", "ntu"), MatchCandidate("b", "nus")),
        positions=(MatchPosition("p", "h", 1, ranks_candidates=True),),
        options=(
            Option("a", "p", stay.start, stay, Mode.ON_SITE, 1, 1),
            Option("b", "p", stay.start, stay, Mode.ON_SITE, 1, 2),
        ),
        stability=Stability.STRICT,
    )


def test_strict_stability_against_a_pin_is_infeasible_and_says_so() -> None:
    """Pinning the host's second choice makes strict stability impossible; the message says so."""
    problem = attrs.evolve(_two_by_one(), constraints=Constraints(pins=(Pin("b", "p"),)))
    result = solve(problem, TEST_SETTINGS)
    assert result.status is Status.INFEASIBLE
    assert "strict stability cannot be met" in result.message
    assert result.assignments == ()


def test_min_blocking_counts_the_unavoidable_blocking_pair() -> None:
    """MIN_BLOCKING with the same pin finds the one blocking pair and reports it."""
    problem = attrs.evolve(
        _two_by_one(),
        constraints=Constraints(pins=(Pin("b", "p"),)),
        stability=Stability.MIN_BLOCKING,
    )
    result = solve(problem, TEST_SETTINGS)
    assert result.status is Status.OPTIMAL
    assert result.levels[0].objective == Objective.BLOCKING_PAIRS.value
    assert result.levels[0].value == 1
    assert [(b.candidate, b.position) for b in result.blocking_pairs] == [("a", "p")]
    c_ranks, p_ranks, caps = preferences_of(problem)
    assert len(blocking_pairs(c_ranks, p_ranks, caps, {"a": None, "b": "p"})) == 1


@SOLVER_RUNS
@given(
    problem=problems(
        max_candidates=10, max_positions=4, ties=True, host_rankings="all", stability="strict"
    )
)
def test_forced_deferred_acceptance_with_ties_is_weakly_stable_but_unproven(
    problem: Problem,
) -> None:
    """With ties, forced deferred acceptance breaks them by id: stable, marked FEASIBLE."""
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.DEFERRED_ACCEPTANCE))
    assert result.path is SolvePath.DEFERRED_ACCEPTANCE
    mine = {c.id: None for c in problem.candidates} | result.as_mapping()
    assert_stable(*preferences_of(problem), mine)
    strict = all(
        len({o.candidate_rank for o in problem.options if o.candidate == c.id})
        == len([o for o in problem.options if o.candidate == c.id])
        for c in problem.candidates
    )
    if not strict:
        assert result.status is Status.FEASIBLE
        assert not all(lv.proven for lv in result.levels)


def test_forced_deferred_acceptance_refuses_side_constraints() -> None:
    """Deferred acceptance cannot honour quotas; forcing it says so."""
    quota = Quota(QuotaDimension.UNIVERSITY, "ntu", maximum=Count(1))
    problem = attrs.evolve(_two_by_one(), constraints=Constraints(quotas=(quota,)))
    with pytest.raises(UnsupportedPathError, match="quotas"):
        solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.DEFERRED_ACCEPTANCE))


@SOLVER_RUNS
@given(base=problems(max_candidates=8, max_positions=4, max_seats=3))
def test_one_to_one_mode_uses_single_seats_on_every_path(base: Problem) -> None:
    """In one-to-one mode no position takes two candidates, stable or not."""
    for stability in (Stability.OFF, Stability.STRICT):
        problem = attrs.evolve(base, constraints=Constraints(one_to_one=True), stability=stability)
        result = solve(problem, TEST_SETTINGS)
        taken = [a.position for a in result.assignments]
        assert len(taken) == len(set(taken))
        if stability is Stability.STRICT:
            c_ranks, p_ranks, _ = preferences_of(problem)
            mine = {c.id: None for c in problem.candidates} | result.as_mapping()
            assert_stable(c_ranks, p_ranks, {p.id: 1 for p in problem.positions}, mine)


@pytest.mark.parametrize("path", [SolvePath.AUTO, SolvePath.CP_SAT])
def test_listed_blocking_pairs_are_minimised_even_with_stability_off(path: SolvePath) -> None:
    """BLOCKING_PAIRS as an objective level counts and minimises the pairs, stability off."""
    stay = DateRange.of_months(date(2020, 9, 1), 3)

    def option(candidate: str, position: str, rank: int) -> Option:
        return Option(candidate, position, stay.start, stay, Mode.ON_SITE, candidate_rank=rank)

    problem = Problem(
        (MatchCandidate("a", "ntu"), MatchCandidate("b", "ntu")),
        (MatchPosition("p", "h", 1), MatchPosition("q", "h", 2)),
        (option("a", "p", 1), option("a", "q", 2), option("b", "p", 1), option("b", "q", 2)),
        constraints=Constraints(max_size=2),
        objectives=(Objective.PLACED, Objective.BLOCKING_PAIRS),
    )
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=path))
    # Both in q would leave p empty with two candidates preferring it: 2 blocking pairs.
    assert result.placed == 2
    assert result.as_mapping()["a"] != result.as_mapping()["b"]
    assert [(lv.objective, lv.value, lv.proven) for lv in result.levels] == [
        ("placed", 2, True),
        ("blocking_pairs", 0, True),
    ]
    assert result.blocking_pairs == ()
