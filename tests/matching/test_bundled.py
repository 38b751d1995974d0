"""Every cohort of every bundled scenario matches, with the default rules, and checks out."""

from __future__ import annotations

import pytest
from matching_helpers import TEST_SETTINGS

from sgcq.matching import Objective, Problem, match_scenario
from sgcq.scenarios import list_scenarios, load_scenario
from sgcq.testing.checks import check_result

COHORTS = [(name, c.id) for name in list_scenarios() for c in load_scenario(name).cohorts]


@pytest.mark.parametrize(("scenario", "cohort"), COHORTS)
def test_every_bundled_cohort_matches_and_checks_out(scenario: str, cohort: str) -> None:
    """The default rules and solver place each bundled cohort; the independent checker agrees."""
    problem, result = match_scenario(load_scenario(scenario), cohort, TEST_SETTINGS)
    assert result.status.has_solution, result.message
    assert result.placed > 0
    check_result(problem, result)


def test_mixed_currencies_without_a_budget_need_no_rate() -> None:
    """yes-2020 pays in SGD and CNY with no budget: options keep allowances and carry no cost."""
    scenario = load_scenario("yes-2020")
    problem = Problem.from_scenario(scenario, scenario.cohorts[0].id)
    currencies = {o.allowance.currency for o in problem.options if o.allowance is not None}
    assert currencies == {"CNY", "SGD"}
    assert problem.currency is None
    assert all(o.cost is None for o in problem.options)


def test_the_cost_objective_converts_mixed_currencies_or_says_which_rate_is_missing() -> None:
    """With COST as an objective costs need one currency; a missing rate is a clear error."""
    from sgcq.matching import MatchingError

    scenario = load_scenario("yes-2020")
    with pytest.raises(MatchingError, match="no SGD->CNY rate"):
        Problem.from_scenario(
            scenario,
            scenario.cohorts[0].id,
            objectives=(Objective.PLACED, Objective.COST),
        )
