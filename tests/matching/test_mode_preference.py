"""MODE_PREFERENCE: of two equally good options, the position's own mode (decision 0025)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS

from sgcq.matching import (
    DEFAULT_OBJECTIVES,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    Problem,
    SolvePath,
    solve,
)
from sgcq.matching.rounds import ROUND_OBJECTIVES, Response, offer_round
from sgcq.models import DateRange, Mode, ModelValidationError
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import check_result

STAY = DateRange(date(2021, 3, 1), date(2021, 6, 1))
AT = datetime(2021, 1, 4, 9, 0, tzinfo=timezone(timedelta(hours=8)))
LEVELS = (*DEFAULT_OBJECTIVES, Objective.MODE_PREFERENCE)
PATHS = (SolvePath.AUTO, SolvePath.FLOW, SolvePath.LAGRANGIAN, SolvePath.CP_SAT, SolvePath.MIP)


def _twin(modes: tuple[Mode, ...], seats: int = 1, people: int = 1) -> Problem:
    """``people`` candidates ranking one position open in ``modes``, alike in every mode."""
    cands = tuple(MatchCandidate(f"c{k}", "u") for k in range(people))
    options = tuple(
        Option(c.id, "p", STAY.start, STAY, m, candidate_rank=1) for c in cands for m in modes
    )
    pos = MatchPosition("p", "h", seats, modes=modes)
    return Problem(cands, (pos,), options, objectives=LEVELS)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("first", [Mode.ON_SITE, Mode.REMOTE])
def test_every_path_places_in_the_positions_first_mode(path: SolvePath, first: Mode) -> None:
    """Both modes score alike on every other level; each path picks the listed-first one, proven."""
    other = Mode.REMOTE if first is Mode.ON_SITE else Mode.ON_SITE
    problem = _twin((first, other), seats=2, people=2)
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=path))
    check_result(problem, result)
    assert [a.mode for a in result.assignments] == [first, first]
    level = result.levels[-1]
    assert level.objective == "mode_preference"
    assert (level.value, level.bound, level.proven) == (2, 2, True)


def test_a_placement_scores_the_modes_listed_after_its_own() -> None:
    """Three modes: the first scores 2, the second 1, the last 0; a one-mode position scores 0."""
    from sgcq.matching._index import Index
    from sgcq.matching._objective import level_coefficients

    three = _twin((Mode.HYBRID, Mode.ON_SITE, Mode.REMOTE))
    ix = Index(three)
    by_mode = dict(
        zip(
            (o.mode for o in ix.options),
            level_coefficients(ix, Objective.MODE_PREFERENCE),
            strict=True,
        )
    )
    assert by_mode == {Mode.HYBRID: 2, Mode.ON_SITE: 1, Mode.REMOTE: 0}
    one = _twin((Mode.ON_SITE,))
    assert level_coefficients(Index(one), Objective.MODE_PREFERENCE) == [0]


def test_mode_preference_never_costs_a_placement_or_a_rank() -> None:
    """It is the last level: a better rank in the second mode wins over the first mode."""
    cand = MatchCandidate("c", "u")
    pos = (
        MatchPosition("p", "h", 1, modes=(Mode.ON_SITE, Mode.REMOTE)),
        MatchPosition("q", "h", 1),
    )
    options = (
        Option("c", "p", STAY.start, STAY, Mode.ON_SITE, candidate_rank=2),
        Option("c", "q", STAY.start, STAY, Mode.REMOTE, candidate_rank=1),
    )
    problem = Problem((cand,), pos, options, objectives=LEVELS)
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT))
    assert [(a.position, a.mode) for a in result.assignments] == [("q", Mode.REMOTE)]
    assert result.levels[-1].value == 0


def test_modes_listed_twice_are_refused_with_the_field() -> None:
    with pytest.raises(ModelValidationError, match=r"modes.*listed twice"):
        MatchPosition("p", "h", 1, modes=(Mode.REMOTE, Mode.REMOTE))


def test_from_scenario_adds_the_level_only_where_a_position_has_two_modes() -> None:
    """SUSS (positions open remote or on site) gets the level; the NTU demo cohort does not."""
    suss = Problem.from_scenario(load_scenario("suss-overseas-2021"), "suss-interns-2021")
    assert suss.objectives == (*DEFAULT_OBJECTIVES, Objective.MODE_PREFERENCE)
    twins = [p for p in suss.positions if len(p.modes) > 1]
    assert twins and all(p.modes[0] is Mode.ON_SITE for p in twins)
    ntu = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    assert ntu.objectives == DEFAULT_OBJECTIVES
    assert all(len(p.modes) == 1 for p in ntu.positions)
    chosen = Problem.from_scenario(
        load_scenario("suss-overseas-2021"), "suss-interns-2021", objectives=[Objective.PLACED]
    )
    assert chosen.objectives == (Objective.PLACED,)


def test_an_offer_round_keeps_the_problems_mode_preference() -> None:
    """A round's default levels end with MODE_PREFERENCE when the problem's do: the seat a
    decline frees goes to the next candidate in the position's first mode."""
    problem = _twin((Mode.REMOTE, Mode.ON_SITE), seats=1, people=2)
    first = offer_round(problem, (), {}, at=AT, number=1, settings=TEST_SETTINGS)
    (offer,) = first.record.offered
    assert first.result.levels[-1].objective == "mode_preference"
    assert [a.mode for a in first.result.assignments] == [Mode.REMOTE]
    second = offer_round(
        problem,
        first.placements,
        {offer.candidate: Response.DECLINED},
        at=AT + timedelta(days=7),
        number=2,
        settings=TEST_SETTINGS,
    )
    other = "c1" if offer.candidate == "c0" else "c0"
    assert [(a.candidate, a.mode) for a in second.result.assignments] == [(other, Mode.REMOTE)]
    assert second.result.levels[-1].objective == "mode_preference"
    assert ROUND_OBJECTIVES[-1] is not Objective.MODE_PREFERENCE


def _brute(problem: Problem, seats: int) -> list[int]:
    """The lexicographic best (placed, welfare, mode level) over every assignment."""
    ix_worst = max(o.candidate_rank or 0 for o in problem.options) + 1
    modes = problem.positions[0].modes
    by_cand: dict[str, list[Option]] = {}
    for o in problem.options:
        by_cand.setdefault(o.candidate, []).append(o)
    best = [0, 0, 0]
    for pick in itertools.product(*([None, *opts] for opts in by_cand.values())):
        chosen = [o for o in pick if o is not None]
        if len(chosen) > seats:
            continue
        score = [
            len(chosen),
            sum(ix_worst - (o.candidate_rank or 0) for o in chosen),
            sum(len(modes) - 1 - modes.index(o.mode) for o in chosen),
        ]
        best = max(best, score)
    return best


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 5),
    seats=st.integers(1, 3),
    ranks=st.lists(st.integers(1, 3), min_size=10, max_size=10),
    order=st.permutations([Mode.ON_SITE, Mode.REMOTE]),
)
def test_every_path_reaches_the_brute_force_levels(
    n: int, seats: int, ranks: list[int], order: list[Mode]
) -> None:
    """Random ranks per mode: every forced path reaches the brute-force optimum of all three
    levels (placed, welfare, then the mode level), and proves it."""
    cands = tuple(MatchCandidate(f"c{k}", "u") for k in range(n))
    options = tuple(
        Option(c.id, "p", STAY.start, STAY, m, candidate_rank=ranks[2 * k + j])
        for k, c in enumerate(cands)
        for j, m in enumerate(order)
    )
    pos = MatchPosition("p", "h", seats, modes=tuple(order))
    problem = Problem(cands, (pos,), options, objectives=LEVELS)
    expected = _brute(problem, seats)
    for path in PATHS:
        result = solve(problem, attrs.evolve(TEST_SETTINGS, path=path))
        check_result(problem, result)
        assert [lv.value for lv in result.levels] == expected, path
        assert all(lv.proven for lv in result.levels), path
