"""The Lagrangian stage: bound validity, the LAGRANGIAN path, its statuses and level bounds.

The bound is checked against CP-SAT and against brute force on tiny
instances; results of the LAGRANGIAN path (forced, or taken by AUTO) are
checked with :mod:`sgcq.testing.checks`, which uses no solver.
"""

from __future__ import annotations

import itertools
import pickle
import warnings
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS, broken_constraints, objective_value, placed_options

from sgcq.matching import (
    BlockerKind,
    Constraints,
    ForbiddenPair,
    HostCap,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    Pin,
    Problem,
    Result,
    Settings,
    SolvePath,
    Stability,
    Status,
    UnsupportedPathError,
    choose_path,
    solve,
)
from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._limits import violations
from sgcq.matching._objective import (
    group_values,
    level_groups,
    level_value,
    lex_weights,
    objective_levels,
    per_option_score,
)
from sgcq.matching._repair import greedy, greedy_with_minimums
from sgcq.matching.stages import RefusalReason
from sgcq.matching.stages.lagrangian import Lagrangian, lagrangian_refusals
from sgcq.matching.stages.lagrangian import Priced as _Priced
from sgcq.models import (
    Count,
    DateRange,
    Mode,
    Money,
    MonthlyBeds,
    Quota,
    QuotaDimension,
    QuotaLimit,
    Share,
    YearMonth,
)
from sgcq.serialization import dumps_json, loads_json
from sgcq.testing.checks import check_result, constraint_violations
from sgcq.testing.strategies import (
    MatchingCase,
    infeasible_matching_cases,
    matching_cases,
    problems,
)

LAGRANGIAN = attrs.evolve(TEST_SETTINGS, path=SolvePath.LAGRANGIAN)
CP_SAT = attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT)
#: Most evaluations the stage runs inside ``solve`` (``LAGRANGIAN_FLOWS``).
FLOWS = 60
SOLVER_RUNS = settings(max_examples=40, deadline=None)

STAY = DateRange.of_months(date(2020, 9, 1), 3)  # beds in September, October, November
OCTOBER = YearMonth(2020, 10)

#: Objectives the generated problems are solved with: PLACED first or not,
#: maximised and minimised levels, folded into one group or not.
OBJECTIVES = (
    (Objective.PLACED, Objective.CANDIDATE_WELFARE),
    (Objective.PLACED, Objective.POSITION_WELFARE, Objective.COST),
    (Objective.PRIORITY_PLACED, Objective.CANDIDATE_WELFARE),
    (Objective.CANDIDATE_WELFARE, Objective.PLACED),
    (Objective.PLACED, Objective.COST),
    (Objective.COST, Objective.PLACED),
)
_QUOTA_KEYS = (
    (QuotaDimension.UNIVERSITY, "ntu"),
    (QuotaDimension.UNIVERSITY, "nus"),
    (QuotaDimension.FIELD, "ai"),
    (QuotaDimension.FIELD, "big-data"),
)


# --- inputs ----------------------------------------------------------------------


@st.composite
def _quota(draw: st.DrawFn) -> Quota:
    """A quota with counts or shares (minimums included, which the witness may not meet)."""
    dimension, key = draw(st.sampled_from(_QUOTA_KEYS))
    if draw(st.booleans()):
        lo_c = draw(st.integers(0, 2))
        lo: QuotaLimit | None = Count(lo_c) if draw(st.booleans()) else None
        hi: QuotaLimit | None = Count(draw(st.integers(lo_c, 3))) if draw(st.booleans()) else None
    else:
        lo_s = draw(st.sampled_from(("0", "0.25", "0.5")))
        lo = Share(lo_s) if draw(st.booleans()) else None
        hi = Share(draw(st.sampled_from(("0.5", "0.75", "1")))) if draw(st.booleans()) else None
    if lo is None and hi is None:
        hi = Count(1)
    return Quota(dimension, key, minimum=lo, maximum=hi)


@st.composite
def _side_problems(
    draw: st.DrawFn, max_candidates: int = 6, max_positions: int = 3, extra: bool = True
) -> Problem:
    """Stability-off problems with side constraints, several starts and a drawn objective.

    With ``extra``, shares, minimum counts and a minimum size are added on top
    of the constraints the witness meets, so some problems are infeasible.
    """
    base = draw(
        problems(
            max_candidates=max_candidates,
            max_positions=max_positions,
            max_ranks=2,
            starts=2,
            side_constraints=True,
        )
    )
    cons = base.constraints
    if extra and draw(st.booleans()):
        added = draw(st.lists(_quota(), max_size=2, unique_by=lambda q: (q.dimension, q.key)))
        keys = {(q.dimension, q.key) for q in added}
        kept = tuple(q for q in cons.quotas if (q.dimension, q.key) not in keys)
        cons = attrs.evolve(cons, quotas=(*kept, *added))
    if extra and draw(st.booleans()):
        size = draw(st.integers(1, max_candidates))
        top = cons.max_size if cons.max_size is not None and cons.max_size >= size else None
        cons = attrs.evolve(cons, min_size=size, max_size=top)
    objectives = draw(st.sampled_from(OBJECTIVES))
    return attrs.evolve(base, constraints=cons, objectives=objectives)


def _option(
    c: str, p: str, rank: int, cost: int | str | None = None, stay: DateRange = STAY
) -> Option:
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


def _beds_binding() -> Problem:
    """Three candidates, four seats, two beds in October: a and b take p, c stays out.

    The unique optimum places a and b in p (their first choice); c's only
    option is a second choice, so it is the one the beds leave out.
    """
    return Problem(
        candidates=(
            MatchCandidate("a", "ntu"),
            MatchCandidate("b", "nus"),
            MatchCandidate("c", "ntu"),
        ),
        positions=(MatchPosition("p", "h", 2), MatchPosition("q", "h", 2)),
        options=(_option("a", "p", 1), _option("b", "p", 1), _option("c", "q", 2)),
        constraints=Constraints(beds=(MonthlyBeds(OCTOBER, 2),)),
    )


def _budget_gap() -> Problem:
    """Candidates costing SGD 3,000 and 3,001, a budget of 5,000: one placed, bound above it.

    The costs share no divisor above 100 cents, so the priced budget row stays
    fractional (with equal costs it would read "at most one" and be exact).
    """
    return Problem(
        candidates=(MatchCandidate("a", "ntu"), MatchCandidate("b", "nus")),
        positions=(MatchPosition("p", "h", 2),),
        options=(_option("a", "p", 1, 3000), _option("b", "p", 1, 3001)),
        constraints=Constraints(budget=Money(Decimal(5000), "SGD")),
    )


def _greedy_misses_minimum() -> Problem:
    """ntu needs one placement; the only ntu candidate b shares the ai position with a1.

    Feasible (b in p and a2 in q: one of two in ai), but a greedy that adds
    every option that fits places all three and restoring the ai share then
    drops b, the worst-ranked member, so the ntu minimum is missed.
    """
    return Problem(
        candidates=(
            MatchCandidate("a1", "nus"),
            MatchCandidate("a2", "nus"),
            MatchCandidate("b", "ntu"),
        ),
        positions=(MatchPosition("p", "h", 2, frozenset({"ai"})), MatchPosition("q", "h", 1)),
        options=(_option("a1", "p", 1), _option("a2", "q", 1), _option("b", "p", 2)),
        constraints=Constraints(
            quotas=(
                Quota(QuotaDimension.UNIVERSITY, "ntu", minimum=Count(1)),
                Quota(QuotaDimension.FIELD, "ai", maximum=Share("0.5")),
            )
        ),
    )


def _minimums_compete() -> Problem:
    """Both minimums need the one September bed; only a later start for b meets them.

    b (ntu) prefers p from September; a's only option is r from September;
    one bed in September, at least one ntu placement, at least two placed.
    Filling the ntu minimum first by score puts b in September, and then
    nobody can raise the cohort to two. The optimum is b in q from December,
    a in r.
    """
    later = DateRange.of_months(date(2020, 12, 1), 3)
    return Problem(
        candidates=(MatchCandidate("a", "nus"), MatchCandidate("b", "ntu")),
        positions=(
            MatchPosition("p", "h", 1),
            MatchPosition("q", "h", 1),
            MatchPosition("r", "h", 1),
        ),
        options=(_option("b", "p", 1), _option("b", "q", 2, stay=later), _option("a", "r", 1)),
        constraints=Constraints(
            min_size=2,
            quotas=(Quota(QuotaDimension.UNIVERSITY, "ntu", minimum=Count(1)),),
            beds=(MonthlyBeds(YearMonth(2020, 9), 1),),
        ),
    )


def _too_small(n: int, min_size: int) -> Problem:
    """``n`` candidates who all want one single-seat position, at least ``min_size`` placed."""
    cands = [f"c{i}" for i in range(n)]
    return Problem(
        candidates=tuple(MatchCandidate(c, "ntu") for c in cands),
        positions=(MatchPosition("p", "h", 1),),
        options=tuple(_option(c, "p", 1) for c in cands),
        constraints=Constraints(min_size=min_size),
    )


# --- helpers ---------------------------------------------------------------------


def _problem_of(case: MatchingCase) -> Problem:
    """The case's cohort as a problem, with the case's pins."""
    cons = Constraints.from_cohort(case.scenario.cohort(case.cohort))
    cons = attrs.evolve(cons, pins=tuple(Pin(c, p) for c, p in case.pins))
    return Problem.from_scenario(case.scenario, case.cohort, constraints=cons)


def _first_group(ix: Index) -> list[Objective]:
    return level_groups(ix, objective_levels(ix))[0]


def _bound(problem: Problem) -> tuple[int, int]:
    """Return the relaxation's bound on the first group and its floor."""
    ix = Index(problem)
    relax = Lagrangian(ix, _first_group(ix))
    found = relax.run(None, FLOWS, None)
    assert found.bound is not None
    return found.bound, relax.floor


def _chosen(ix: Index, result: Result) -> list[int]:
    """Return a result's placements as option indices per candidate."""
    at = {(o.candidate, o.position, o.start): i for i, o in enumerate(ix.options)}
    chosen = [UNPLACED] * len(ix.cand_ids)
    for a in result.assignments:
        i = at[(a.candidate, a.position, a.start)]
        chosen[ix.cand_of[i]] = i
    return chosen


def _folded(ix: Index, group: list[Objective], chosen: list[int]) -> int:
    score = per_option_score(ix, group)
    assert score is not None
    return sum(score[i] for i in chosen if i != UNPLACED)


def _levels(result: Result) -> list[tuple[str, int]]:
    return [(lv.objective, lv.value) for lv in result.levels]


class _Brute:
    """Every assignment of a tiny problem, and the best of the feasible ones."""

    def __init__(self, problem: Problem) -> None:
        ix = Index(problem)
        self.group = _first_group(ix)
        weights = lex_weights(ix, self.group)
        assert weights is not None
        by_cand: dict[str, list[Option | None]] = {c.id: [None] for c in problem.candidates}
        for o in problem.options:
            by_cand[o.candidate].append(o)
        self.best: tuple[int, ...] | None = None  # level values, lexicographic optimum
        self.best_folded: int | None = None  # most the first group's folded score reaches
        best_key: tuple[int, ...] | None = None
        for combo in itertools.product(*by_cand.values()):
            placed = [o for o in combo if o is not None]
            if constraint_violations(problem, placed):
                continue
            values = [objective_value(problem, placed, ob) for ob in problem.objectives]
            key = tuple(
                v if ob.maximise else -v for v, ob in zip(values, problem.objectives, strict=True)
            )
            if best_key is None or key > best_key:
                best_key, self.best = key, tuple(values)
            folded = sum(
                w * (key[problem.objectives.index(ob)])
                for ob, w in zip(self.group, weights, strict=True)
            )
            if self.best_folded is None or folded > self.best_folded:
                self.best_folded = folded


def _assert_level_bounds(result: Result, objectives: Sequence[Objective]) -> None:
    """A bound is never on the wrong side of its value; proven levels are exact."""
    for lv, ob in zip(result.levels, objectives, strict=True):
        assert lv.objective == ob.value
        if ob.maximise:
            assert lv.bound >= lv.value, lv
        else:
            assert lv.bound <= lv.value, lv
        if lv.proven:
            assert lv.bound == lv.value, lv


def _no_violations(problem: Problem, result: Result) -> None:
    assert not constraint_violations(problem, placed_options(problem, result)), result.summary()


# --- 1. the bound ------------------------------------------------------------------


@SOLVER_RUNS
@given(problem=_side_problems())
def test_bound_is_above_the_cp_sat_optimum_and_floor_only_below_when_infeasible(
    problem: Problem,
) -> None:
    """The bound is at least CP-SAT's optimal first-group score; below the floor, no solution."""
    ix = Index(problem)
    group = _first_group(ix)
    relax = Lagrangian(ix, group)
    found = relax.run(None, FLOWS, None)
    assert found.bound is not None
    assert 1 <= found.flows <= FLOWS
    cp = solve(problem, CP_SAT)
    event(f"CP-SAT {cp.status.value}, bound below the floor: {found.bound < relax.floor}")
    if cp.status is Status.OPTIMAL:
        optimum = _folded(ix, group, _chosen(ix, cp))
        assert optimum >= relax.floor  # no solution scores less than the floor
        assert found.bound >= optimum
        assert found.bound >= relax.floor
    if found.bound < relax.floor:
        assert cp.status is Status.INFEASIBLE


@SOLVER_RUNS
@given(problem=_side_problems(extra=False), short=st.integers(0, 5))
def test_an_incumbent_stops_the_search_early_but_never_below_the_optimum(
    problem: Problem, short: int
) -> None:
    """Given a known score (the optimum or less) the search may stop early; the bound holds."""
    ix = Index(problem)
    group = _first_group(ix)
    cp = solve(problem, CP_SAT)
    assert cp.status is Status.OPTIMAL  # feasible by construction, and tiny
    optimum = _folded(ix, group, _chosen(ix, cp))
    found = Lagrangian(ix, group).run(optimum - short, FLOWS, None)
    assert found.bound is not None and found.bound >= optimum
    # The order the greedy follows lists every option at least once.
    assert set(found.order) == set(range(len(ix.options)))


def test_bound_prices_the_binding_beds_exactly() -> None:
    """Two beds for three candidates: the bound is the two best placements, not three."""
    problem = _beds_binding()
    ix = Index(problem)
    group = _first_group(ix)
    assert group == [Objective.PLACED, Objective.CANDIDATE_WELFARE]
    # weights: PLACED (2 + 2 + 1) + 1 = 6, welfare 1; a and b score 6 + 2, c 6 + 1.
    assert lex_weights(ix, group) == [6, 1]
    bound, floor = _bound(problem)
    assert (bound, floor) == (16, 0)


def _suss_minimum_nobody_meets() -> Problem:
    """Infeasible (a suss minimum, no suss candidate) with several priced rows.

    The cuts keep proposing larger multipliers for all 60 flows: they must be
    held where every priced score stays exact in 64 bits.
    """

    def option(c: str, start: date, months: int, host_rank: int, cost: int) -> Option:
        stay = DateRange.of_months(start, months)
        return Option(
            c,
            "p0",
            start,
            stay,
            Mode.ON_SITE,
            candidate_rank=1,
            position_rank=host_rank,
            bed_months=tuple(stay.calendar_months()),
            cost=Money(Decimal(cost), "SGD"),
        )

    jul, aug = date(2020, 7, 1), date(2020, 8, 1)
    return Problem(
        candidates=(
            MatchCandidate("c0", "nus", 2),
            MatchCandidate("c1", "nus", 2),
            MatchCandidate("c2", "ntu", 1),
            MatchCandidate("c3", "nus", 2),
        ),
        positions=(MatchPosition("p0", "h0", 2, ranks_candidates=True),),
        options=(
            option("c0", jul, 4, 4, 3000),
            option("c0", aug, 1, 4, 1000),
            option("c1", jul, 4, 1, 1000),
            option("c1", aug, 4, 1, 2000),
            option("c2", jul, 2, 2, 2000),
            option("c3", jul, 4, 3, 1000),
        ),
        constraints=Constraints(
            quotas=(
                Quota(QuotaDimension.UNIVERSITY, "suss", minimum=Count(3)),
                Quota(QuotaDimension.UNIVERSITY, "nus", maximum=Share("0.5")),
            ),
            beds=(MonthlyBeds(YearMonth(2020, 9), 1),),
            budget=Money(Decimal(2000), "SGD"),
        ),
        objectives=(Objective.PRIORITY_PLACED, Objective.POSITION_WELFARE, Objective.COST),
    )


def test_growing_multipliers_stay_within_64_bits() -> None:
    """No overflow (numpy warns on an out-of-range cast) while the bound proves infeasibility."""
    problem = _suss_minimum_nobody_meets()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bound, floor = _bound(problem)
        result = solve(problem, TEST_SETTINGS)
    assert bound < floor
    assert result.status is Status.INFEASIBLE and result.path is SolvePath.LAGRANGIAN


# --- 2. AUTO against CP-SAT ----------------------------------------------------------


@SOLVER_RUNS
@given(problem=_side_problems())
def test_auto_agrees_with_cp_sat_and_passes_the_checker(problem: Problem) -> None:
    """AUTO (Lagrangian or CP-SAT) reaches CP-SAT's optimal levels; the checker accepts it."""
    auto = solve(problem, TEST_SETTINGS)
    cp = solve(problem, CP_SAT)
    event(f"AUTO {auto.status.value} by {auto.path.value}")
    check_result(problem, auto)
    if auto.levels:
        _assert_level_bounds(auto, problem.objectives)
    if auto.status is Status.OPTIMAL and cp.status is Status.OPTIMAL:
        assert _levels(auto) == _levels(cp)
    if Status.INFEASIBLE in (auto.status, cp.status):
        assert auto.status is cp.status is Status.INFEASIBLE
    if auto.path is SolvePath.LAGRANGIAN:
        assert auto.status in (Status.OPTIMAL, Status.INFEASIBLE)
        assert "Lagrangian bound" in auto.message
        if auto.status is Status.OPTIMAL:
            assert len(level_groups(Index(problem), list(problem.objectives))) == 1
            assert all(lv.proven and lv.bound == lv.value for lv in auto.levels)
            assert auto.gap == 0.0
        else:
            assert auto.message.startswith("INFEASIBLE") and auto.assignments == ()


@settings(max_examples=10, deadline=None)
@given(case=matching_cases(max_candidates=5, max_positions=3))
def test_auto_solves_generated_cohorts_and_passes_the_checker(case: MatchingCase) -> None:
    """Scenario-built cohorts (beds, budget, quotas with minimums, pins) solve and check."""
    problem = _problem_of(case)
    result = solve(problem, TEST_SETTINGS)
    event(f"AUTO {result.status.value} by {result.path.value}")
    assert result.status is Status.OPTIMAL, result.message
    assert result.placed >= len(case.witness)  # most placed first: never fewer than the witness
    check_result(problem, result)
    forced = solve(problem, LAGRANGIAN)
    event(f"forced {forced.status.value}")
    check_result(problem, forced)
    if forced.status is Status.OPTIMAL:
        assert _levels(forced) == _levels(result)


@settings(max_examples=10, deadline=None)
@given(case=infeasible_matching_cases())
def test_broken_cohorts_are_infeasible_whichever_path_proves_it(case: MatchingCase) -> None:
    """Broken on purpose: AUTO says INFEASIBLE; forced Lagrangian claims no solution."""
    problem = _problem_of(case)
    auto = solve(problem, TEST_SETTINGS)
    event(f"{case.infeasible_because}: AUTO by {auto.path.value}")
    assert auto.status is Status.INFEASIBLE
    check_result(problem, auto)
    forced = solve(problem, LAGRANGIAN)
    assert forced.status in (Status.INFEASIBLE, Status.UNKNOWN)
    assert forced.assignments == () and forced.levels == ()


# --- 3. brute force --------------------------------------------------------------------


@SOLVER_RUNS
@given(problem=_side_problems(max_candidates=4, max_positions=3))
def test_tiny_instances_match_brute_force(problem: Problem) -> None:
    """On <= 4 candidates the bound covers the best score; OPTIMAL is the lexicographic optimum."""
    brute = _Brute(problem)
    bound, floor = _bound(problem)
    forced = solve(problem, LAGRANGIAN)
    auto = solve(problem, TEST_SETTINGS)
    event(f"feasible {brute.best is not None}; forced {forced.status.value}")
    event(f"AUTO by {auto.path.value}")
    check_result(problem, forced)
    check_result(problem, auto)
    if brute.best is None:
        assert auto.status is Status.INFEASIBLE
        assert forced.status in (Status.INFEASIBLE, Status.UNKNOWN)
        return
    assert brute.best_folded is not None
    assert bound >= brute.best_folded >= floor
    assert auto.status is Status.OPTIMAL
    assert tuple(lv.value for lv in auto.levels) == brute.best
    assert forced.status is not Status.INFEASIBLE
    if forced.status is Status.OPTIMAL:
        assert tuple(lv.value for lv in forced.levels) == brute.best
    if forced.status.has_solution:
        assert not broken_constraints(problem, placed_options(problem, forced))
        _assert_level_bounds(forced, problem.objectives)
        # Each level's bound covers the optimum while the levels before it are optimal.
        for k, (lv, ob) in enumerate(zip(forced.levels, problem.objectives, strict=True)):
            if tuple(x.value for x in forced.levels[:k]) != brute.best[:k]:
                break
            if ob.maximise:
                assert lv.bound >= brute.best[k], (k, forced.levels, brute.best)
            else:
                assert lv.bound <= brute.best[k], (k, forced.levels, brute.best)


# --- 4. deterministic examples ------------------------------------------------------------


def test_binding_beds_are_solved_by_the_lagrangian_path_without_cp_sat() -> None:
    """The greedy meets the bound: AUTO skips CP-SAT and proves the unique optimum."""
    problem = _beds_binding()
    assert choose_path(problem, TEST_SETTINGS)[0] is SolvePath.CP_SAT  # cannot know in advance
    result = solve(problem, TEST_SETTINGS)
    assert result.path is SolvePath.LAGRANGIAN
    assert result.status is Status.OPTIMAL
    assert result.as_mapping() == {"a": "p", "b": "p"}
    assert [(lv.objective, lv.value, lv.bound, lv.proven) for lv in result.levels] == [
        ("placed", 2, 2, True),
        ("candidate_welfare", 4, 4, True),
    ]
    assert "greedy solution proven optimal by the Lagrangian bound" in result.message
    assert result.message.startswith("side constraints (beds constraints)")
    (unplaced,) = result.unplaced
    assert unplaced.candidate == "c"
    assert [b.kind for r in unplaced.reasons for b in r.blockers] == [BlockerKind.BEDS_FULL]
    check_result(problem, result)
    assert _levels(solve(problem, CP_SAT)) == _levels(result)


def test_more_placements_than_seats_twice_over_is_proven_infeasible_by_the_bound() -> None:
    """A minimum size far above the seats: the bound falls below every score, no CP-SAT."""
    problem = _too_small(3, 3)
    bound, floor = _bound(problem)
    assert bound < floor == 0
    for s in (TEST_SETTINGS, LAGRANGIAN):
        result = solve(problem, s)
        assert result.status is Status.INFEASIBLE
        assert result.path is SolvePath.LAGRANGIAN
        assert result.message.startswith("INFEASIBLE")
        assert "min_size" in result.message
        assert "proven by the Lagrangian bound" in result.message
        assert result.assignments == () and result.levels == () and result.gap is None
        check_result(problem, result)
    assert solve(problem, CP_SAT).status is Status.INFEASIBLE


def test_one_placement_short_of_the_minimum_size_is_proven_infeasible_by_the_bound() -> None:
    """Two candidates, one seat, at least two placed: L(lambda) = 4 - lambda falls below 0."""
    problem = _too_small(2, 2)
    bound, floor = _bound(problem)
    assert bound < floor
    assert solve(problem, TEST_SETTINGS).path is SolvePath.LAGRANGIAN


# --- 5. the forced path ---------------------------------------------------------------------


@pytest.mark.parametrize("stability", [Stability.STRICT, Stability.MIN_BLOCKING])
def test_forcing_the_lagrangian_path_with_stability_is_refused(stability: Stability) -> None:
    """Blocking pairs are not sums over options: forcing the path raises, naming stability."""
    problem = attrs.evolve(_beds_binding(), stability=stability)
    ix = Index(problem)
    refusals = lagrangian_refusals(ix, _first_group(ix))
    blockers = [str(r) for r in refusals]
    assert refusals[0].reason is RefusalReason.STABILITY
    assert blockers[0] == f"stability is {stability.value}"
    if stability is Stability.MIN_BLOCKING:  # blocking pairs come first
        assert blockers[1:] == ["the first objective level is not a sum over options"]
        assert refusals[1].reason is RefusalReason.OBJECTIVE
    else:
        assert blockers[1:] == []
    with pytest.raises(UnsupportedPathError, match=f"stability is {stability.value}"):
        solve(problem, LAGRANGIAN)
    with pytest.raises(UnsupportedPathError, match="Lagrangian relaxation cannot handle"):
        choose_path(problem, LAGRANGIAN)
    assert solve(problem, TEST_SETTINGS).path is SolvePath.CP_SAT  # AUTO does not try it


def test_forced_lagrangian_is_chosen_when_it_applies() -> None:
    """Forcing the path on a stability-off problem is accepted, with the reason."""
    assert choose_path(_beds_binding(), Settings(path="lagrangian")) == (
        SolvePath.LAGRANGIAN,
        "the Lagrangian relaxation with a greedy solution was asked for",
    )
    ix = Index(_beds_binding())
    assert lagrangian_refusals(ix, _first_group(ix)) == []


def test_forced_lagrangian_fills_a_minimum_the_plain_greedy_misses() -> None:
    """The greedy by score drops b, the only ntu candidate; filling the minimum first keeps b."""
    problem = _greedy_misses_minimum()
    cp = solve(problem, CP_SAT)
    assert cp.status is Status.OPTIMAL
    assert cp.as_mapping() == {"a2": "q", "b": "p"}
    ix = Index(problem)
    plain = greedy(ix, sorted(range(len(ix.options)), key=lambda i: (ix.crank[i], i)))
    assert "quota university ntu: 0 below minimum 1" in violations(ix, plain)
    result = solve(problem, LAGRANGIAN)
    assert result.status is Status.OPTIMAL and result.path is SolvePath.LAGRANGIAN
    assert _levels(result) == _levels(cp)
    check_result(problem, result)


def test_the_priced_order_meets_minimums_that_compete_for_a_bed() -> None:
    """By score, the ntu minimum takes the September bed the size minimum needs; priced, not."""
    problem = _minimums_compete()
    cp = solve(problem, CP_SAT)
    assert cp.status is Status.OPTIMAL
    assert cp.as_mapping() == {"a": "r", "b": "q"}
    ix = Index(problem)
    by_score = sorted(range(len(ix.options)), key=lambda i: (ix.crank[i], i))
    assert violations(ix, greedy_with_minimums(ix, by_score)) == ["cohort size 1 below minimum 2"]
    result = solve(problem, LAGRANGIAN)
    assert result.status is Status.OPTIMAL and _levels(result) == _levels(cp)
    check_result(problem, result)


def test_forced_lagrangian_is_unknown_when_no_greedy_meets_the_minimums(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When every starting solution misses a minimum: UNKNOWN, no placements; AUTO goes on."""
    from sgcq.matching.stages import lagrangian, starts

    def nobody(ix: Index, *_args: object) -> list[int]:
        return [UNPLACED] * len(ix.cand_ids)

    for module, name in ((lagrangian, "greedy"), (lagrangian, "greedy_with_minimums")):
        monkeypatch.setattr(module, name, nobody)
    monkeypatch.setattr(starts, "repair", nobody)
    problem = _minimums_compete()
    cp = solve(problem, CP_SAT)
    result = solve(problem, LAGRANGIAN)
    assert result.status is Status.UNKNOWN
    assert result.path is SolvePath.LAGRANGIAN
    assert result.assignments == () and result.levels == () and result.gap is None
    assert result.message.startswith("UNKNOWN: the greedy solution misses a minimum")
    assert "use CP-SAT" in result.message
    check_result(problem, result)
    assert pickle.loads(pickle.dumps(result)) == result
    assert loads_json(dumps_json(result), Result) == result
    # AUTO does not stop there: the MIP stage (on a problem this small) repairs the miss.
    auto = solve(problem, TEST_SETTINGS)
    assert auto.path is SolvePath.MIP and auto.status is Status.OPTIMAL
    assert _levels(auto) == _levels(cp)


def test_forced_lagrangian_is_feasible_with_bounds_when_the_bound_is_not_met() -> None:
    """Budget for 1.67 placements: one placed, the folded bound says more may be possible."""
    problem = _budget_gap()
    result = solve(problem, LAGRANGIAN)
    assert result.status is Status.FEASIBLE
    assert result.path is SolvePath.LAGRANGIAN
    assert result.placed == 1
    assert "greedy solution, with the Lagrangian bound" in result.message
    assert not any(lv.proven for lv in result.levels)
    _assert_level_bounds(result, problem.objectives)
    assert result.levels[0].bound > result.levels[0].value and result.gap is not None
    assert result.gap > 0
    check_result(problem, result)
    auto = solve(problem, TEST_SETTINGS)  # the MIP stage closes the gap
    assert auto.path is SolvePath.MIP and auto.status is Status.OPTIMAL and auto.placed == 1
    cp = solve(problem, CP_SAT)  # and so does CP-SAT
    assert cp.path is SolvePath.CP_SAT and cp.status is Status.OPTIMAL and cp.placed == 1


def test_forced_lagrangian_is_feasible_when_a_later_level_group_remains() -> None:
    """Blocking pairs after a closed first group: proven there, FEASIBLE overall, AUTO goes on."""
    objectives = (Objective.PLACED, Objective.CANDIDATE_WELFARE, Objective.BLOCKING_PAIRS)
    problem = attrs.evolve(_beds_binding(), objectives=objectives)
    assert len(level_groups(Index(problem), list(objectives))) == 2
    result = solve(problem, LAGRANGIAN)
    assert result.status is Status.FEASIBLE and result.path is SolvePath.LAGRANGIAN
    assert result.as_mapping() == {"a": "p", "b": "p"}
    placed, welfare, blocking = result.levels
    assert (placed.value, placed.proven, welfare.value, welfare.proven) == (2, True, 4, True)
    # c is out while q has a free seat it ranked: one blocking pair, nothing proven below it.
    assert (blocking.objective, blocking.value, blocking.bound) == ("blocking_pairs", 1, 0)
    assert not blocking.proven
    assert "greedy solution, with the Lagrangian bound" in result.message
    check_result(problem, result)
    auto = solve(problem, TEST_SETTINGS)  # one group would be proven, not the objective
    assert auto.path is SolvePath.CP_SAT


@pytest.mark.parametrize(
    ("bound", "value", "feasible", "floor", "closed", "infeasible"),
    [
        (10, 10, True, 0, True, False),
        (10, 9, True, 0, False, False),  # one unit short is not proven
        (10, 10, False, 0, False, False),  # a solution missing a minimum proves nothing
        (None, 10, True, 0, False, False),
        (-1, 0, False, 0, False, True),  # below every score: no solution
        (0, 0, False, 0, False, False),  # the floor itself may be reached
        (-7, -7, True, -8, True, False),  # negative scores (costs first)
    ],
)
def test_priced_stage_closes_only_at_the_bound_and_proves_infeasible_only_below_the_floor(
    bound: int | None, value: int, feasible: bool, floor: int, closed: bool, infeasible: bool
) -> None:
    """The two decisions the stage makes from its bound, its best value and the floor."""
    priced = _Priced(bound, [], value, feasible, flows=3, rows=1, floor=floor)
    assert priced.closed is closed
    assert priced.infeasible is infeasible
    assert priced.describe() == "Lagrangian bound (1 constraint priced into 3 min-cost flows)"
    assert _Priced(bound, [], value, feasible, 1, 2, floor).describe() == (
        "Lagrangian bound (2 constraints priced into 1 min-cost flow)"
    )


def test_a_budget_for_one_placement_is_priced_like_one_bed() -> None:
    """One bed or a budget for one: the same problem, so the same bound (one placement, 4)."""
    one_bed = attrs.evolve(_budget_gap(), constraints=Constraints(beds=(MonthlyBeds(OCTOBER, 1),)))
    assert _bound(one_bed) == (4, 0)
    budget_for_one = attrs.evolve(
        _budget_gap(), constraints=Constraints(budget=Money(Decimal(3000), "SGD"))
    )
    assert _bound(budget_for_one) == (4, 0)


@SOLVER_RUNS
@given(problem=_side_problems())
def test_forced_lagrangian_statuses_are_honest(problem: Problem) -> None:
    """OPTIMAL is proven everywhere, FEASIBLE has bounds on the right side, UNKNOWN is empty."""
    result = solve(problem, LAGRANGIAN)
    event(f"forced {result.status.value}")
    assert result.path is SolvePath.LAGRANGIAN
    check_result(problem, result)
    if result.status.has_solution:
        _no_violations(problem, result)
        _assert_level_bounds(result, problem.objectives)
        proven = [lv.proven for lv in result.levels]
        assert all(proven) == (result.status is Status.OPTIMAL)
        cp = solve(problem, CP_SAT)
        assert cp.status.has_solution
        if result.status is Status.OPTIMAL and cp.status is Status.OPTIMAL:
            assert _levels(result) == _levels(cp)
    else:
        assert result.assignments == () and result.levels == ()
        if result.status is Status.INFEASIBLE:
            assert solve(problem, CP_SAT).status is Status.INFEASIBLE


# --- 6. constraints the network keeps ------------------------------------------------------


def _network_bound() -> Problem:
    """Five candidates; a pin, a forbidden pair, a host cap and the maximum size all bind.

    a is pinned to p1, its second choice; b may not take p4, its first; host
    h1 (p1, p2) takes two placements, a's and e's, so c takes p3 (its second
    choice, not p2) and b cannot take p1; at most four are placed, so b stays
    out. The optimum is unique, and dropping any one constraint improves it.
    """
    ranked = {
        "a": ("p4", "p1", "p2"),
        "b": ("p4", "p1"),
        "c": ("p2", "p3"),
        "d": ("p4",),
        "e": ("p1", "p2", "p4"),
    }
    return Problem(
        candidates=tuple(MatchCandidate(c, "ntu") for c in ranked),
        positions=(
            MatchPosition("p1", "h1", 2),
            MatchPosition("p2", "h1", 2),
            MatchPosition("p3", "h2", 2),
            MatchPosition("p4", "h2", 2),
        ),
        options=tuple(
            _option(c, p, rank) for c, ps in ranked.items() for rank, p in enumerate(ps, 1)
        ),
        constraints=Constraints(
            pins=(Pin("a", "p1"),),
            forbidden=(ForbiddenPair("b", "p4"),),
            host_caps=(HostCap("h1", 2),),
            max_size=4,
            beds=(MonthlyBeds(OCTOBER, 5),),  # not binding
        ),
    )


@pytest.mark.parametrize(
    "dropped",
    [None, "pins", "forbidden", "host_caps", "max_size"],
)
def test_pins_forbidden_pairs_host_caps_and_max_size_hold_on_the_lagrangian_path(
    dropped: str | None,
) -> None:
    """The unique optimum honours all four; the network keeps them, so the bound is exact."""
    problem = _network_bound()
    # Welfare up to 5 * 3, so PLACED weighs 16: 4 * 16 + (2 + 2 + 3 + 3) = 74.
    ix = Index(problem)
    assert lex_weights(ix, _first_group(ix)) == [16, 1]
    if dropped is not None:
        # Each constraint is kept in the flow network: without it the bound rises.
        unset = None if dropped == "max_size" else ()
        looser = attrs.evolve(problem.constraints, **{dropped: unset})
        assert _bound(attrs.evolve(problem, constraints=looser))[0] > 74
        return
    assert _bound(problem) == (74, 0)
    for s in (LAGRANGIAN, TEST_SETTINGS):
        result = solve(problem, s)
        assert result.path is SolvePath.LAGRANGIAN
        assert result.status is Status.OPTIMAL
        assert result.as_mapping() == {"a": "p1", "c": "p3", "d": "p4", "e": "p1"}
        _no_violations(problem, result)
        check_result(problem, result)
    assert _levels(solve(problem, CP_SAT)) == [("placed", 4), ("candidate_welfare", 10)]


@pytest.mark.parametrize(
    ("constraints", "bound"),
    [
        (Constraints(), 5),  # a in p: placed (weight 3) plus first-choice welfare 2
        (Constraints(pins=(Pin("a", "q"),)), 4),
        (Constraints(forbidden=(ForbiddenPair("a", "p"),)), 4),
        (Constraints(host_caps=(HostCap("h1", 0),)), 4),
        (Constraints(max_size=0), 0),
    ],
)
def test_the_network_keeps_pins_forbidden_pairs_host_caps_and_the_maximum_size(
    constraints: Constraints, bound: int
) -> None:
    """One candidate, first choice p (host h1), second q: each constraint moves the bound."""
    problem = Problem(
        candidates=(MatchCandidate("a", "ntu"),),
        positions=(MatchPosition("p", "h1", 1), MatchPosition("q", "h2", 1)),
        options=(_option("a", "p", 1), _option("a", "q", 2)),
        constraints=constraints,
    )
    assert _bound(problem) == (bound, 0)
    result = solve(problem, LAGRANGIAN)
    assert result.status is Status.OPTIMAL
    assert result.levels[0].value == result.levels[0].bound == (1 if bound else 0)
    _no_violations(problem, result)


@st.composite
def _network_problems(draw: st.DrawFn) -> Problem:
    """Side-constrained problems with forbidden pairs and host caps added (pins kept)."""
    problem = draw(_side_problems(max_candidates=6, extra=False))
    pinned = {p.candidate for p in problem.constraints.pins}
    pairs = sorted(
        {(o.candidate, o.position) for o in problem.options if o.candidate not in pinned}
    )
    banned = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True)) if pairs else []
    caps = problem.constraints.host_caps or tuple(
        HostCap(h, draw(st.integers(0, 2))) for h in ("h0", "h1") if draw(st.booleans())
    )
    size = problem.constraints.max_size
    if size is None:
        least = problem.constraints.min_size or 0
        size = draw(st.none() | st.integers(least, max(least, 3)))
    cons = attrs.evolve(
        problem.constraints,
        forbidden=tuple(ForbiddenPair(c, p) for c, p in banned),
        host_caps=caps,
        max_size=size,
    )
    return attrs.evolve(problem, constraints=cons)


@SOLVER_RUNS
@given(problem=_network_problems())
def test_network_constraints_hold_on_every_lagrangian_result(problem: Problem) -> None:
    """Pins, forbidden pairs, host caps and the maximum size are never broken by the path."""
    for s in (LAGRANGIAN, TEST_SETTINGS):
        result = solve(problem, s)
        event(f"{s.path.value}: {result.status.value} by {result.path.value}")
        if result.path is SolvePath.LAGRANGIAN and result.status.has_solution:
            _no_violations(problem, result)
            check_result(problem, result)


@SOLVER_RUNS
@given(problem=_side_problems(), data=st.data())
def test_greedy_meets_every_upper_limit_whatever_the_order(
    problem: Problem, data: st.DataObject
) -> None:
    """Only minimums may be missed; without shares the first option that fits is kept."""
    problem = attrs.evolve(problem, constraints=attrs.evolve(problem.constraints, pins=()))
    ix = Index(problem)
    order = data.draw(st.permutations(range(len(ix.options))))
    chosen = greedy(ix, list(order))
    assert len(chosen) == len(ix.cand_ids)
    assert all(i == UNPLACED or ix.cand_of[i] == c for c, i in enumerate(chosen))
    placed = [ix.options[i] for i in chosen if i != UNPLACED]
    missed = {v.constraint for v in constraint_violations(problem, placed)}
    assert missed <= {"min_size", "quota_min"}
    if any(isinstance(q.maximum, Share) for q in problem.constraints.quotas):
        return  # restoring a share may drop any member
    for i in order:
        alone = {v.constraint for v in constraint_violations(problem, [ix.options[i]])}
        if i not in ix.forbidden and alone <= {"min_size", "quota_min"}:
            assert chosen[ix.cand_of[i]] == i
            break


# --- 7. level bounds inside a folded group -------------------------------------------------


def _costly() -> Problem:
    """a and b, each with a cheaper first choice; costs in cents: a 1 or 3, b 4 or 2."""
    return Problem(
        candidates=(MatchCandidate("a", "ntu"), MatchCandidate("b", "nus")),
        positions=(MatchPosition("p", "h", 1), MatchPosition("q", "h", 1)),
        options=(
            _option("a", "p", 1, "0.01"),
            _option("a", "q", 2, "0.03"),
            _option("b", "p", 2, "0.02"),
            _option("b", "q", 1, "0.04"),
        ),
    )


def test_placed_bound_above_a_minimised_cost_level() -> None:
    """[PLACED, COST]: weight 8 (costs up to 3 + 4); a score bound B gives placed <= (B+7)//8."""
    ix = Index(_costly())
    group = [Objective.PLACED, Objective.COST]
    weights = lex_weights(ix, group)
    assert weights == [8, 1]
    only_a = [0, UNPLACED]  # a in p: placed 1, cost 1, score 8 - 1 = 7
    # B = 8: two placed would score at least 16 - 7 = 9 > 8, so at most one.
    placed, cost = group_values(ix, group, weights, only_a, 8, False)
    assert (placed.objective, placed.value, placed.bound, placed.proven) == ("placed", 1, 1, False)
    assert (cost.objective, cost.value, cost.bound) == ("cost", 1, 0)  # 8 - cost <= 8
    # B = 9: (9 + 7) // 8 = 2 placed may be possible.
    placed, _ = group_values(ix, group, weights, only_a, 9, False)
    assert (placed.value, placed.bound) == (1, 2)
    # Both placed (a in p, b in q: cost 5, score 11); B = 13 leaves cost >= 16 - 13 = 3.
    both = [0, 3]
    placed, cost = group_values(ix, group, weights, both, 13, False)
    assert (placed.value, placed.bound) == (2, 2)
    assert (cost.value, cost.bound) == (5, 3)
    placed, cost = group_values(ix, group, weights, both, 11, False)
    assert (cost.value, cost.bound) == (5, 5)
    proven = group_values(ix, group, weights, both, 11, True)
    assert [(lv.value, lv.bound, lv.proven) for lv in proven] == [(2, 2, True), (5, 5, True)]
    # Without a bound: the most that can be placed, and no cost below 0.
    placed, cost = group_values(ix, group, weights, only_a, None, False)
    assert (placed.bound, cost.bound) == (2, 0)


def test_placed_bound_counts_only_the_cost_below_it_not_a_whole_weight() -> None:
    """[PLACED, WELFARE, COST]: weights 40, 8, 1; PLACED's slack is the 7 cents, not 39."""
    ix = Index(_costly())
    group = [Objective.PLACED, Objective.CANDIDATE_WELFARE, Objective.COST]
    weights = lex_weights(ix, group)
    assert weights == [40, 8, 1]  # welfare up to 2 + 2, cost up to 3 + 4
    only_a = [0, UNPLACED]  # placed 1, welfare 2, cost 1: score 40 + 16 - 1 = 55
    # Two placed score at least 80 + 2 * 8 - 7 = 89: a bound of 72 allows one.
    placed, welfare, cost = group_values(ix, group, weights, only_a, 72, False)
    assert (placed.value, placed.bound) == (1, 1)  # (72 + 7) // 40; (72 + 39) // 40 is 2
    assert (welfare.value, welfare.bound) == (2, 4)  # (72 - 40 + 7) // 8 = 4 (the most)
    assert (cost.value, cost.bound) == (1, 0)  # 56 - 72 < 0
    placed, welfare, cost = group_values(ix, group, weights, only_a, 57, False)
    assert (placed.bound, welfare.bound, cost.bound) == (1, 3, 0)  # (57 - 40 + 7) // 8 = 3


def test_level_value_of_a_maximised_lower_level_with_nothing_below_is_a_floor_division() -> None:
    """later=0: floor(remaining / weight), capped by the most possible, never below the value."""
    ix = Index(_costly())
    only_a = [0, UNPLACED]  # welfare 2 of at most 4
    welfare = Objective.CANDIDATE_WELFARE
    assert level_value(ix, welfare, only_a, False, 31, 8, 0).bound == 3  # 31 // 8
    assert level_value(ix, welfare, only_a, False, 31, 8).bound == 4  # (31 + 7) // 8 by default
    assert level_value(ix, welfare, only_a, False, 24, 8, 0).bound == 3
    assert level_value(ix, welfare, only_a, False, 23, 8, 0).bound == 2
    assert level_value(ix, welfare, only_a, False, 8, 8, 0).bound == 2  # not below the value
    assert level_value(ix, welfare, only_a, False, 800, 8, 0).bound == 4  # not above the most
    assert level_value(ix, Objective.PLACED, only_a, False, 17, 8, 0).bound == 2
    lv = level_value(ix, welfare, only_a, True, 31, 8, 0)
    assert (lv.value, lv.bound, lv.proven) == (2, 2, True)


def test_lagrangian_results_carry_the_tighter_level_bounds() -> None:
    """A FEASIBLE result's level bounds are group_values of its bound, as solved."""
    problem = _budget_gap()
    ix = Index(problem)
    group = _first_group(ix)
    result = solve(problem, LAGRANGIAN)
    bound, _ = _bound(problem)
    weights = lex_weights(ix, group)
    assert weights is not None
    expected = group_values(ix, group, weights, _chosen(ix, result), bound, False)
    assert list(result.levels) == expected


# --- 8. reproducibility ----------------------------------------------------------------------


@SOLVER_RUNS
@given(problem=_side_problems())
def test_the_same_settings_give_the_same_result(problem: Problem) -> None:
    """Forced Lagrangian and AUTO each return equal results twice (wall time aside)."""
    for s in (LAGRANGIAN, TEST_SETTINGS):
        one = solve(problem, s)
        two = solve(problem, s)
        assert attrs.evolve(one, wall_time=0.0) == attrs.evolve(two, wall_time=0.0)


# --- 9. round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "status"),
    [
        (_beds_binding, Status.OPTIMAL),
        (_budget_gap, Status.FEASIBLE),
        (_greedy_misses_minimum, Status.OPTIMAL),  # UNKNOWN: see the test above
        (lambda: _too_small(3, 3), Status.INFEASIBLE),
    ],
)
def test_lagrangian_results_pickle_and_round_trip_through_json(
    build: Callable[[], Problem], status: Status
) -> None:
    """Every status of the path survives pickle and JSON, path and bounds included."""
    problem = build()
    result = solve(problem, LAGRANGIAN)
    assert result.status is status and result.path is SolvePath.LAGRANGIAN
    assert pickle.loads(pickle.dumps(result)) == result
    back = loads_json(dumps_json(result), Result)
    assert back == result
    assert back.path is SolvePath.LAGRANGIAN and back.status is status
    assert str(back) == str(result) and "lagrangian" in str(result)


def test_a_budget_in_whole_units_is_divided_by_their_common_divisor() -> None:
    """Equal costs of SGD 3,000 and a budget of 5,000: the row reads "at most one" exactly."""
    problem = attrs.evolve(
        _budget_gap(),
        options=(_option("a", "p", 1, 3000), _option("b", "p", 1, 3000)),
    )
    assert _bound(problem) == (4, 0)
    result = solve(problem, TEST_SETTINGS)
    assert result.path is SolvePath.LAGRANGIAN and result.status is Status.OPTIMAL
    assert result.placed == 1
