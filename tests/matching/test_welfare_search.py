"""The local search's welfare rounds: better options for the placed, the number placed kept."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings

from sgcq.matching import MatchCandidate, MatchPosition, Option, Problem
from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._limits import violations
from sgcq.matching._objective import level_groups, per_option_score
from sgcq.matching._repair import greedy_with_minimums
from sgcq.matching._search import improve
from sgcq.models import DateRange, Mode
from sgcq.testing.strategies import problems

STAY = DateRange(date(2020, 9, 1), date(2021, 3, 1))


def _value(score: list[int], chosen: list[int]) -> int:
    return sum(score[i] for i in chosen if i != UNPLACED)


def test_a_placed_candidate_moves_to_the_option_it_ranks_first() -> None:
    """c1 sits at its second choice while its first has a free seat: the welfare round moves it."""
    problem = Problem(
        candidates=(MatchCandidate("c1", "ntu"),),
        positions=(MatchPosition("p1", "h1", seats=1), MatchPosition("p2", "h2", seats=1)),
        options=(
            Option("c1", "p1", STAY.start, STAY, Mode.ON_SITE, candidate_rank=1),
            Option("c1", "p2", STAY.start, STAY, Mode.ON_SITE, candidate_rank=2),
        ),
    )
    ix = Index(problem)
    score = per_option_score(ix, level_groups(ix)[0])
    assert score is not None
    second = next(i for i, o in enumerate(ix.options) if o.position == "p2")
    first = next(i for i, o in enumerate(ix.options) if o.position == "p1")
    assert improve(ix, [second], score) == [second]  # placement rounds alone: nothing to do
    assert improve(ix, [second], score, welfare=True) == [first]


@settings(max_examples=60, deadline=None)
@given(problem=problems(max_candidates=6, max_positions=3, side_constraints=True, starts=2))
def test_welfare_rounds_keep_feasibility_and_never_lose_score(problem: Problem) -> None:
    """From the minimum-first greedy: feasible out, a score at least the plain search's start's."""
    ix = Index(problem)
    score = per_option_score(ix, level_groups(ix)[0])
    if score is None:
        return
    order = sorted(range(len(ix.options)), key=lambda i: (-score[i], i))
    start = greedy_with_minimums(ix, order)
    if violations(ix, start):
        return
    plain = improve(ix, start, score)
    out = improve(ix, start, score, welfare=True)
    assert violations(ix, out) == []
    assert _value(score, out) >= _value(score, plain) >= _value(score, start)
    # Everyone placed by the plain search stays placed.
    assert sum(1 for i in out if i != UNPLACED) >= sum(1 for i in plain if i != UNPLACED)
    assert improve(ix, start, score, welfare=True) == out  # deterministic
