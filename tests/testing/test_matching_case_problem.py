"""MatchingCase.problem(): the case's cohort as a Problem, with its pins."""

from __future__ import annotations

from hypothesis import given, settings

from sgcq.matching import Settings, Stability, solve
from sgcq.rules import (
    Check,
    Context,
    Outcome,
    RuleBook,
    RuleSet,
    RuleSetKind,
    Verdict,
    default_rulebook,
)
from sgcq.testing.checks import check_result
from sgcq.testing.strategies import MatchingCase, infeasible_matching_cases, matching_cases

SOLVES = settings(max_examples=10, deadline=None)
SETTINGS = Settings(deterministic_time_limit=5.0, workers=1, seed=0)


@SOLVES
@given(matching_cases(max_candidates=4))
def test_feasible_case_problem_holds_the_witness_and_solves(case: MatchingCase) -> None:
    """Every witness pair is an option, every pin is kept, and the solve passes the checker."""
    problem = case.problem()
    options = {(o.candidate, o.position, o.start) for o in problem.options}
    assert set(case.witness) <= options
    assert {(p.candidate, p.position) for p in problem.constraints.pins} == set(case.pins)
    result = solve(problem, SETTINGS)
    assert result.status.has_solution, result.message
    assert result.placed >= len(case.witness)
    check_result(problem, result)


@SOLVES
@given(infeasible_matching_cases())
def test_infeasible_case_problem_is_infeasible(case: MatchingCase) -> None:
    """A case broken on purpose gives a problem without a solution."""
    result = solve(case.problem(), SETTINGS)
    assert not result.status.has_solution, case.infeasible_because


def _refusing(position: str) -> RuleBook:
    """sgcq's rules plus one that refuses every placement in ``position``."""

    def not_there(ctx: Context) -> Verdict:
        if ctx.position.id == position:
            reason = ctx.reason("test.refused", f"{position} is refused", _IN_FORCE)
            return ctx.verdict("test.refuse", Outcome.INELIGIBLE, [reason])
        return ctx.verdict("test.refuse", Outcome.ELIGIBLE)

    rule = RuleSet(
        "test.refuse",
        "Refuses one position",
        RuleSetKind.FEASIBILITY,
        Check("test.refuse", not_there, "not that position"),
        _IN_FORCE,
    )
    return default_rulebook().with_rule_set(rule)


_IN_FORCE = "placement.feasibility.in_force"


@SOLVES
@given(matching_cases(max_candidates=3))
def test_the_rule_book_decides_the_options(case: MatchingCase) -> None:
    """A rule book that refuses p0 leaves p0 without options; pins=False drops the pins."""
    assert case.problem(default_rulebook()).options == case.problem().options
    problem = case.problem(_refusing("p0"), pins=False)
    assert problem.constraints.pins == ()
    assert all(o.position != "p0" for o in problem.options)
    assert {o.position for o in case.problem().options} - {"p0"} == {
        o.position for o in problem.options
    }
    assert case.problem(stability=Stability.STRICT).stability is Stability.STRICT
