"""The local search on feasible solutions: augmenting paths and cheaper stays (issue 18).

Results are checked with :mod:`sgcq.testing.checks`, which uses no solver,
and against brute force on generated problems small enough to enumerate.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS, broken_constraints, placed_options

from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    Pin,
    Problem,
    SolvePath,
    Status,
    solve,
)
from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._limits import violations
from sgcq.matching._objective import level_groups, per_option_score
from sgcq.matching._repair import greedy_with_minimums
from sgcq.matching._search import improve
from sgcq.models import DateRange, Mode, Money, MonthlyBeds, YearMonth
from sgcq.testing.strategies import problems

STAY = DateRange.of_months(date(2020, 9, 1), 3)
SHORT = DateRange.of_months(date(2020, 9, 15), 1)  # another start: September and October


def _option(c: str, p: str, rank: int, cost: int | None = None, stay: DateRange = STAY) -> Option:
    return Option(
        c,
        p,
        stay.start,
        stay,
        Mode.ON_SITE,
        candidate_rank=rank,
        bed_months=tuple(stay.calendar_months()),
        cost=Money(Decimal(cost), "SGD") if cost is not None else None,
    )


def _score(ix: Index) -> list[int]:
    score = per_option_score(ix, level_groups(ix)[0])
    assert score is not None
    return score


def _value(score: list[int], chosen: list[int]) -> int:
    return sum(score[i] for i in chosen if i != UNPLACED)


def _chosen(ix: Index, pairs: dict[str, tuple[str, date] | None]) -> list[int]:
    """The option index per candidate for ``{candidate: (position, start) or None}``."""
    out = [UNPLACED] * len(ix.cand_ids)
    for c, at in pairs.items():
        if at is None:
            continue
        k = ix.cand_at[c]
        out[k] = next(
            i for i in ix.by_cand[k] if (ix.options[i].position, ix.options[i].start) == at
        )
    return out


def _placed(ix: Index, chosen: list[int]) -> dict[str, str]:
    return {ix.cand_ids[c]: ix.options[i].position for c, i in enumerate(chosen) if i != UNPLACED}


def _chain() -> Problem:
    """a sits in p, its first choice; b wants only p, so a must move to q for both to fit."""
    return Problem(
        candidates=(MatchCandidate("a", "ntu"), MatchCandidate("b", "nus")),
        positions=(MatchPosition("p", "h", 1), MatchPosition("q", "h", 1)),
        options=(_option("a", "p", 1), _option("a", "q", 2), _option("b", "p", 1)),
    )


def test_an_augmenting_path_moves_an_occupant_to_place_one_more() -> None:
    """a moves from p to q so that b, who can only go to p, is placed."""
    problem = _chain()
    ix = Index(problem)
    start = _chosen(ix, {"a": ("p", STAY.start), "b": None})
    out = improve(ix, start, _score(ix))
    assert _placed(ix, out) == {"a": "q", "b": "p"}
    assert violations(ix, out) == []
    assert start == _chosen(ix, {"a": ("p", STAY.start), "b": None})  # not changed in place


def test_a_longer_chain_is_followed() -> None:
    """Three full positions in a row: each occupant shifts one along to a free fourth."""
    n = 3
    cands = [MatchCandidate(f"c{k}", "ntu") for k in range(n + 1)]
    positions = [MatchPosition(f"p{k}", "h", 1) for k in range(n + 1)]
    options = [_option("c0", "p0", 1)]
    for k in range(1, n + 1):
        # c_k sits in p_{k-1} and could also go to p_k.
        options += [_option(f"c{k}", f"p{k - 1}", 1), _option(f"c{k}", f"p{k}", 2)]
    problem = Problem(candidates=tuple(cands), positions=tuple(positions), options=tuple(options))
    ix = Index(problem)
    start = _chosen(ix, {"c0": None} | {f"c{k}": (f"p{k - 1}", STAY.start) for k in range(1, 4)})
    out = improve(ix, start, _score(ix))
    assert _placed(ix, out) == {"c0": "p0", "c1": "p1", "c2": "p2", "c3": "p3"}


def test_the_work_cap_ends_the_search_with_what_it_has() -> None:
    """With no steps of work allowed the start comes back unchanged; a small cap
    still returns a feasible solution no worse than the start; the default finds the chain."""
    n = 3
    cands = [MatchCandidate(f"c{k}", "ntu") for k in range(n + 1)]
    positions = [MatchPosition(f"p{k}", "h", 1) for k in range(n + 1)]
    options = [_option("c0", "p0", 1)]
    for k in range(1, n + 1):
        options += [_option(f"c{k}", f"p{k - 1}", 1), _option(f"c{k}", f"p{k}", 2)]
    problem = Problem(candidates=tuple(cands), positions=tuple(positions), options=tuple(options))
    ix = Index(problem)
    start = _chosen(ix, {"c0": None} | {f"c{k}": (f"p{k - 1}", STAY.start) for k in range(1, 4)})
    assert improve(ix, start, _score(ix), work_per_option=0) == start
    capped = improve(ix, start, _score(ix), work_per_option=1)
    assert violations(ix, capped) == []
    assert _value(_score(ix), capped) >= _value(_score(ix), start)
    assert len(_placed(ix, improve(ix, start, _score(ix)))) == n + 1


def test_a_cheaper_stay_frees_the_budget_for_one_more() -> None:
    """The budget holds a's long stay or b's, not both; a's short stay leaves room for b."""
    problem = Problem(
        candidates=(MatchCandidate("a", "ntu"), MatchCandidate("b", "nus")),
        positions=(MatchPosition("p", "h", 1), MatchPosition("q", "h", 1)),
        options=(
            _option("a", "p", 1, 3000),
            _option("a", "p", 1, 1000, stay=SHORT),
            _option("b", "q", 1, 3000),
        ),
        constraints=Constraints(budget=Money(Decimal(4000), "SGD")),
    )
    ix = Index(problem)
    start = _chosen(ix, {"a": ("p", STAY.start), "b": None})
    out = improve(ix, start, _score(ix))
    assert _placed(ix, out) == {"a": "p", "b": "q"}
    assert ix.cost[out[ix.cand_at["a"]]] == 100000
    assert violations(ix, out) == []


def test_a_full_month_of_beds_is_freed_by_a_stay_that_avoids_it() -> None:
    """One bed in November: a moves to a stay that ends in October so b gets November."""
    november = DateRange.of_months(date(2020, 11, 1), 1)
    problem = Problem(
        candidates=(MatchCandidate("a", "ntu"), MatchCandidate("b", "nus")),
        positions=(MatchPosition("p", "h", 1), MatchPosition("q", "h", 1)),
        options=(
            _option("a", "p", 1),
            _option("a", "p", 2, stay=SHORT),
            _option("b", "q", 1, stay=november),
        ),
        constraints=Constraints(beds=(MonthlyBeds(YearMonth(2020, 11), 1),)),
    )
    ix = Index(problem)
    start = _chosen(ix, {"a": ("p", STAY.start), "b": None})
    out = improve(ix, start, _score(ix))
    assert _placed(ix, out) == {"a": "p", "b": "q"}
    assert len(ix.opt_months[out[ix.cand_at["a"]]]) == 2


def test_pinned_candidates_are_never_moved() -> None:
    """With a pinned to p, b cannot be placed: the search leaves the solution alone."""
    problem = Problem(
        candidates=_chain().candidates,
        positions=_chain().positions,
        options=_chain().options,
        constraints=Constraints(pins=(Pin("a", "p"),)),
    )
    ix = Index(problem)
    start = _chosen(ix, {"a": ("p", STAY.start), "b": None})
    assert improve(ix, start, _score(ix)) == start


def test_a_move_that_would_lower_the_score_is_not_made() -> None:
    """Welfare first: moving a to its second choice to place b would score less, so no move."""
    problem = Problem(
        candidates=_chain().candidates,
        positions=_chain().positions,
        options=_chain().options,
        objectives=(Objective.CANDIDATE_WELFARE,),
    )
    ix = Index(problem)
    score = _score(ix)
    start = _chosen(ix, {"a": ("p", STAY.start), "b": None})
    out = improve(ix, start, score)
    assert _value(score, out) >= _value(score, start)


def _brute_best(ix: Index, score: list[int]) -> int:
    """The best score over every assignment that meets every constraint."""
    choices = [[UNPLACED, *opts] for opts in ix.by_cand]
    best = 0
    for combo in itertools.product(*choices):
        chosen = list(combo)
        if not violations(ix, chosen):
            best = max(best, _value(score, chosen))
    return best


@settings(max_examples=60, deadline=None)
@given(problem=problems(max_candidates=5, max_positions=3, side_constraints=True, starts=2))
def test_improve_never_loses_score_or_feasibility(problem: Problem) -> None:
    """From the minimum-first greedy: feasible in, feasible out, never a lower score, never
    above the brute-force optimum."""
    ix = Index(problem)
    score = per_option_score(ix, level_groups(ix)[0])
    if score is None:
        return
    order = sorted(range(len(ix.options)), key=lambda i: (-score[i], i))
    start = greedy_with_minimums(ix, order)
    if violations(ix, start):
        return  # the search starts only from solutions that meet every constraint
    out = improve(ix, start, score)
    assert violations(ix, out) == []
    assert _value(score, out) >= _value(score, start)
    if sum(len(o) + 1 for o in ix.by_cand) <= 40:
        assert _value(score, out) <= _brute_best(ix, score)
    assert improve(ix, start, score) == out  # deterministic


@settings(max_examples=25, deadline=None)
@given(
    problem=problems(max_candidates=8, max_positions=4, side_constraints=True, starts=2),
    path=st.sampled_from([SolvePath.AUTO, SolvePath.LAGRANGIAN]),
)
def test_solutions_after_the_search_pass_the_independent_checker(
    problem: Problem, path: SolvePath
) -> None:
    """Whatever path ran, the answer meets every constraint by the solver-free checker."""
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=path))
    if result.status.has_solution:
        assert broken_constraints(problem, placed_options(problem, result)) == set()
    else:
        assert result.status in (Status.INFEASIBLE, Status.UNKNOWN)
