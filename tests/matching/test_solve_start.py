"""Warm starts: ``solve(problem, settings, start=...)`` (decision 0017).

A start is validated, matched to the problem's options, repaired when it
breaks a constraint, hinted to CP-SAT and kept as the incumbent when it
meets every constraint: it never changes a proven-optimal solve's status or
levels, and a start that meets every constraint is never better than the
result.
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS

from sgcq.matching import (
    Assignment,
    MatchCandidate,
    MatchPosition,
    Option,
    Problem,
    SolvePath,
    StartError,
    Status,
    solve,
)
from sgcq.matching._explain import build_result
from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._objective import exact_levels
from sgcq.matching.elements import Objective
from sgcq.matching.solve import _keep_start, _Warm
from sgcq.matching.stages.lagrangian import acceptable, lagrangian_refusals
from sgcq.models import DateRange, Mode
from sgcq.testing.checks import check_result
from sgcq.testing.strategies import problems

CP_SAT = attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT)
STAY = DateRange(date(2020, 9, 1), date(2021, 1, 1))


def _assignment(o: Option) -> Assignment:
    return Assignment(o.candidate, o.position, o.stay.start, o.stay.end, o.mode)


@st.composite
def _problems_and_starts(draw: st.DrawFn) -> tuple[Problem, tuple[Assignment, ...]]:
    """A side-constrained problem and an arbitrary start: any option or none per candidate."""
    problem = draw(
        problems(max_candidates=5, max_positions=3, max_ranks=2, starts=2, side_constraints=True)
    )
    by_cand: dict[str, list[Option]] = {}
    for o in problem.options:
        by_cand.setdefault(o.candidate, []).append(o)
    start = []
    for c in sorted(by_cand):
        k = draw(st.integers(-1, len(by_cand[c]) - 1))
        if k >= 0:
            start.append(_assignment(by_cand[c][k]))
    return problem, tuple(start)


def _key(levels: tuple[object, ...]) -> tuple[int, ...]:
    """Levels as one key, larger is better."""
    return tuple(
        lv.value if Objective(lv.objective).maximise else -lv.value  # type: ignore[attr-defined]
        for lv in levels
    )


def _chosen(ix: Index, start: tuple[Assignment, ...]) -> list[int]:
    at = {(o.candidate, o.position, o.stay.start, o.stay.end): i for i, o in enumerate(ix.options)}
    chosen = [UNPLACED] * len(ix.cand_ids)
    for a in start:
        chosen[ix.cand_at[a.candidate]] = at[(a.candidate, a.position, a.start, a.end)]
    return chosen


@settings(max_examples=25, deadline=None)
@given(case=_problems_and_starts())
def test_a_start_never_changes_a_proven_optimum(
    case: tuple[Problem, tuple[Assignment, ...]],
) -> None:
    """A proven-optimal cold solve stays proven optimal with the same levels from any start."""
    problem, start = case
    cold = solve(problem, CP_SAT)
    warm = solve(problem, CP_SAT, start=start)
    event(f"cold {cold.status.value}, {len(start)} placements in the start")
    check_result(problem, warm)
    if cold.status is Status.OPTIMAL:
        assert warm.status is Status.OPTIMAL
        assert [(lv.objective, lv.value) for lv in warm.levels] == [
            (lv.objective, lv.value) for lv in cold.levels
        ]
    if cold.status is Status.INFEASIBLE:
        assert warm.status is Status.INFEASIBLE


@settings(max_examples=40, deadline=None)
@given(
    case=_problems_and_starts(),
    limit=st.sampled_from([0.0001, 0.01, 20.0]),
    path=st.sampled_from([SolvePath.CP_SAT, SolvePath.LAGRANGIAN, SolvePath.AUTO]),
)
def test_a_start_that_meets_every_constraint_is_never_better_than_the_result(
    case: tuple[Problem, tuple[Assignment, ...]], limit: float, path: SolvePath
) -> None:
    """Whatever the path and the limits, the result scores at least as well as a feasible start.

    The Lagrangian path alone returns its greedy solution, which a start can beat.
    """
    problem, start = case
    ix = Index(problem)
    assume(path is not SolvePath.LAGRANGIAN or not lagrangian_refusals(ix))
    chosen = _chosen(ix, start)
    fits = acceptable(ix, chosen)
    ask = attrs.evolve(TEST_SETTINGS, deterministic_time_limit=limit, path=path)
    result = solve(problem, ask, start=start)
    kept = "returning the starting solution" in result.message
    event(f"start feasible: {fits}, returned: {kept}")
    check_result(problem, result)
    if fits:
        assert result.status.has_solution
        assert _key(result.levels) >= _key(exact_levels(ix, chosen, False))


@settings(max_examples=10, deadline=None)
@given(case=_problems_and_starts())
def test_the_same_start_gives_the_same_result(
    case: tuple[Problem, tuple[Assignment, ...]],
) -> None:
    """The result depends on the problem, the settings and the start only."""
    problem, start = case
    first = solve(problem, TEST_SETTINGS, start=start)
    again = solve(problem, TEST_SETTINGS, start=start)
    assert (first.status, first.levels, first.assignments) == (
        again.status,
        again.levels,
        again.assignments,
    )


def _tiny() -> Problem:
    """Two candidates, one seat each in p1 and p2; c2 prefers p1."""
    return Problem(
        candidates=(MatchCandidate("c1", "ntu"), MatchCandidate("c2", "nus")),
        positions=(MatchPosition("p1", "h1", seats=1), MatchPosition("p2", "h2", seats=1)),
        options=(
            Option("c1", "p1", STAY.start, STAY, Mode.ON_SITE, candidate_rank=1),
            Option("c2", "p1", STAY.start, STAY, Mode.ON_SITE, candidate_rank=1),
            Option("c2", "p2", STAY.start, STAY, Mode.ON_SITE, candidate_rank=2),
        ),
    )


def test_a_result_of_another_problem_is_a_start_and_missing_options_are_counted() -> None:
    """A result is a start; its placements that are not options here are left out, and said so."""
    problem = _tiny()
    other = attrs.evolve(
        problem,
        options=(*problem.options, Option("c1", "p2", STAY.start, STAY, Mode.ON_SITE, 2)),
    )
    given_ = solve(other, CP_SAT)
    start = (
        Assignment("c1", "p2", STAY.start, STAY.end, Mode.ON_SITE),
        Assignment("c2", "p1", STAY.start, STAY.end, Mode.ON_SITE),
    )
    result = solve(problem, CP_SAT, start=start)
    assert result.status is Status.OPTIMAL and result.as_mapping() == {"c1": "p1", "c2": "p2"}
    assert "warm start of 2 placements, 1 not options of this problem, left out" in result.message
    assert solve(problem, CP_SAT, start=given_).status is Status.OPTIMAL


def test_a_start_that_breaks_a_limit_is_repaired() -> None:
    """Two candidates in one seat: the start is repaired, and the solve still proves the optimum."""
    problem = _tiny()
    start = (
        Assignment("c1", "p1", STAY.start, STAY.end, Mode.ON_SITE),
        Assignment("c2", "p1", STAY.start, STAY.end, Mode.ON_SITE),
    )
    result = solve(problem, CP_SAT, start=start)
    assert result.status is Status.OPTIMAL and result.placed == 2
    assert "repaired (it broke a constraint)" in result.message


@pytest.mark.parametrize(
    ("start", "where", "what"),
    [
        ("c1", "start", "must be a Result or a sequence of Assignment, got str"),
        ([("c1", "p1")], "start[0]", "must be an Assignment, got tuple"),
        (
            [Assignment("c9", "p1", STAY.start, STAY.end, Mode.ON_SITE)],
            "start[0].candidate",
            "unknown candidate 'c9'",
        ),
        (
            [
                Assignment("c2", "p1", STAY.start, STAY.end, Mode.ON_SITE),
                Assignment("c2", "p2", STAY.start, STAY.end, Mode.ON_SITE),
            ],
            "start[1].candidate",
            "'c2' is placed twice (also start[0])",
        ),
    ],
)
def test_a_bad_start_is_refused_with_where_and_why(start: object, where: str, what: str) -> None:
    """A start that is not assignments, names an unknown candidate or doubles one is refused."""
    with pytest.raises(StartError) as info:
        solve(_tiny(), CP_SAT, start=start)  # type: ignore[arg-type]
    assert (info.value.path, info.value.message) == (where, what)
    assert str(info.value) == f"{where}: {what}"


@pytest.mark.parametrize("found", ["nothing", "worse"])
def test_a_feasible_start_better_than_what_the_solve_found_is_returned(found: str) -> None:
    """When a stage returns nothing or worse, the start is the result: FEASIBLE, with its gap."""
    problem = _tiny()
    ix = Index(problem)
    start = (
        Assignment("c1", "p1", STAY.start, STAY.end, Mode.ON_SITE),
        Assignment("c2", "p2", STAY.start, STAY.end, Mode.ON_SITE),
    )
    warm = _Warm(ix, start)
    assert warm.incumbent is not None and not warm.repaired
    chosen = [UNPLACED, 1]  # c2 in p1 alone: one placed
    if found == "nothing":
        got = build_result(ix, None, Status.UNKNOWN, SolvePath.CP_SAT, (), 0.0, "UNKNOWN: x")
    else:
        levels = exact_levels(ix, chosen, False)
        got = build_result(ix, chosen, Status.FEASIBLE, SolvePath.CP_SAT, levels, 0.0, "found")
    kept = _keep_start(ix, warm, got, 0.0, TEST_SETTINGS)
    assert kept.status is Status.FEASIBLE
    assert kept.as_mapping() == {"c1": "p1", "c2": "p2"}
    assert kept.levels[0].value == 2 and kept.gap is not None
    assert "returning the starting solution" in kept.message
    check_result(problem, kept)


def test_a_start_worse_than_the_result_only_adds_a_note() -> None:
    """A proven result stays the result; the message says what became of the start."""
    problem = _tiny()
    ix = Index(problem)
    warm = _Warm(ix, (Assignment("c2", "p1", STAY.start, STAY.end, Mode.ON_SITE),))
    best = solve(problem, CP_SAT)
    kept = _keep_start(ix, warm, best, 0.0, TEST_SETTINGS)
    assert (kept.status, kept.levels, kept.assignments) == (
        best.status,
        best.levels,
        best.assignments,
    )
    assert kept.message.endswith("warm start of 1 placements")
