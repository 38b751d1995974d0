"""Building problems: validation, from a scenario, round trips."""

from __future__ import annotations

import pickle
from datetime import date

import attrs
import pytest
from hypothesis import given, settings

from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchingError,
    MatchPosition,
    Option,
    Pin,
    Problem,
    Settings,
    Status,
    solve,
)
from sgcq.models import DateRange, Mode, ModelValidationError, Money
from sgcq.rules import Fact, Outcome, Reason, Verdict
from sgcq.scenarios import load_scenario
from sgcq.serialization import dumps_json, loads_json
from sgcq.testing.strategies import problems

STAY = DateRange(date(2020, 9, 1), date(2020, 12, 1))
ALL_ELIGIBLE = Verdict("test.all", Outcome.ELIGIBLE, date(2020, 1, 1))


def _eligible(*_args: object) -> Verdict:
    return ALL_ELIGIBLE


def test_unknown_ids_duplicates_and_bad_pins_are_all_reported() -> None:
    """A problem reports every bad reference at once, each with its path."""
    with pytest.raises(ModelValidationError) as info:
        Problem(
            candidates=(MatchCandidate("c1", "ntu"),),
            positions=(MatchPosition("p1", "h1", 1),),
            options=(
                Option("c1", "p1", STAY.start, STAY, Mode.ON_SITE),
                Option("c1", "p1", STAY.start, STAY, Mode.ON_SITE),
                Option("c9", "p1", STAY.start, STAY, Mode.ON_SITE),
            ),
            constraints=Constraints(pins=(Pin("c1", "p9"),)),
        )
    assert set(info.value.paths) == {"options[1]", "options[2].candidate", "constraints.pins[0]"}


def test_costs_must_share_the_budget_currency() -> None:
    """An option cost in another currency than the budget is refused."""
    with pytest.raises(ModelValidationError, match=r"options\[0\]\.cost"):
        Problem(
            candidates=(MatchCandidate("c1", "ntu"),),
            positions=(MatchPosition("p1", "h1", 1),),
            options=(Option("c1", "p1", STAY.start, STAY, Mode.ON_SITE, cost=Money(1, "CNY")),),
            constraints=Constraints(budget=Money(10, "SGD")),
        )


def test_an_option_stay_must_begin_on_its_start() -> None:
    """The stay and the start of an option agree."""
    with pytest.raises(ModelValidationError, match="stay"):
        Option("c1", "p1", date(2020, 9, 2), STAY, Mode.ON_SITE)


@settings(max_examples=20, deadline=None)
@given(problem=problems(starts=2, side_constraints=True, ties=True))
def test_problem_round_trips_through_json_and_pickle(problem: Problem) -> None:
    """A problem with side constraints, starts and ties survives JSON and pickle unchanged."""
    assert loads_json(dumps_json(problem), Problem) == problem
    assert pickle.loads(pickle.dumps(problem)) == problem


def test_from_scenario_keeps_every_ranked_pair_as_option_or_exclusion() -> None:
    """Every ranked pair of the bundled scenario is an option or an exclusion with reasons."""
    scenario = load_scenario("ntu-ydpg-2020")
    problem = Problem.from_scenario(scenario, evaluate=_eligible)
    assert problem.cohort == scenario.cohorts[0].id
    assert problem.currency == "CNY"
    covered = {(o.candidate, o.position) for o in problem.options}
    covered |= {(x.candidate, x.position) for x in problem.exclusions}
    ranked = {(c.id, p) for c in scenario.candidates for p in c.preferences}
    assert ranked == covered
    for x in problem.exclusions:
        assert x.reasons and all(r.code.startswith("matching.") for r in x.reasons)
    cohort = scenario.cohorts[0]
    for o in problem.options:
        assert o.start in cohort.intake
        assert o.cost is not None and o.cost.currency == "CNY"
    assert problem.constraints == Constraints.from_cohort(cohort)


def test_ineligible_verdicts_become_exclusions_with_their_reasons() -> None:
    """An evaluator's INELIGIBLE reasons are kept on the exclusion, verbatim."""
    scenario = load_scenario("ntu-ydpg-2020")
    reason = Reason("test.no_remote", "no remote work", None, (Fact("mode", "remote"),))

    def not_p01(_s: object, _c: object, position: object, _stay: object) -> Verdict:
        if getattr(position, "id", "") == "ntu-p01":
            return Verdict("test", Outcome.INELIGIBLE, date(2020, 1, 1), (reason,))
        return ALL_ELIGIBLE

    problem = Problem.from_scenario(scenario, evaluate=not_p01)
    assert not any(o.position == "ntu-p01" for o in problem.options)
    mine = [x for x in problem.exclusions if x.position == "ntu-p01"]
    by_rule = [x for x in mine if not x.reasons[0].code.startswith("matching.")]
    assert by_rule and all(x.reasons == (reason,) for x in by_rule)


def test_unknown_cohort_names_the_known_ones() -> None:
    """Asking for a cohort the scenario lacks is a MatchingError listing the cohorts."""
    scenario = load_scenario("ntu-ydpg-2020")
    with pytest.raises(MatchingError, match="ntu-ydpg-2020-h2"):
        Problem.from_scenario(scenario, "nope", evaluate=_eligible)


def test_candidate_who_ranks_nothing_may_take_any_position() -> None:
    """A candidate with no ranking gets options in every position, with rank None."""
    scenario = load_scenario("ntu-ydpg-2020")
    first = scenario.candidates[0]
    blank = attrs.evolve(first, preferences=type(first.preferences)())
    others = [attrs.evolve(p, candidate_preferences=None) for p in scenario.positions]
    changed = attrs.evolve(scenario, candidates=(blank, *scenario.candidates[1:]), positions=others)
    problem = Problem.from_scenario(changed, evaluate=_eligible)
    mine = [o for o in problem.options if o.candidate == first.id]
    assert mine and all(o.candidate_rank is None for o in mine)
    assert len(
        {o.position for o in mine}
        | {x.position for x in problem.exclusions if x.candidate == first.id}
    ) == len(scenario.positions)


def test_default_evaluator_uses_the_rule_book() -> None:
    """Without an evaluator the rule book decides; its reasons carry citations."""
    scenario = load_scenario("ntu-ydpg-2020")
    problem = Problem.from_scenario(scenario)
    rule_reasons = [
        r for x in problem.exclusions for r in x.reasons if not r.code.startswith("matching.")
    ]
    assert rule_reasons and all(r.citation is not None for r in rule_reasons)
    result = solve(problem, Settings(deterministic_time_limit=20.0))
    assert result.status is Status.OPTIMAL


def test_scenario_problem_round_trips_through_json() -> None:
    """A problem built from a scenario (cover splits, costs, reasons) survives JSON."""
    problem = Problem.from_scenario(load_scenario("ntu-ydpg-2020"), evaluate=_eligible)
    assert loads_json(dumps_json(problem), Problem) == problem
