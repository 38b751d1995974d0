"""Every cohort of every bundled scenario matches, with the default rules, and checks out."""

from __future__ import annotations

from pathlib import Path

import pytest
from matching_helpers import TEST_SETTINGS

from sgcq.matching import Evaluator, Objective, Problem, match_scenario
from sgcq.models import Candidate, DateRange, Position, Scenario
from sgcq.rules import Verdict, default_rulebook, evaluate_option
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


_TEP_LIST = (
    'schema_version = 1\nkind = "parameters"\n'
    '[parameters."visa.sg.tep.acceptable_institutions"]\n'
    'description = "The Chongqing universities confirmed acceptable (invented for the test)"\n'
    'unit = ""\ntype = "list"\n'
    'values = [{ start = 2019-01-01, value = ["cq-uni-a", "cq-uni-b"], '
    'reference = { source = "test register", date = 2020-01-01 } }]\n'
)


def _listed(tmp_path: Path) -> Evaluator:
    # The Chongqing students train in Singapore on a Training Employment Pass
    # only once their universities are listed as acceptable (MOM's list is not
    # in sgcq's sources), so these tests layer such a list.
    (tmp_path / "tep.toml").write_text(_TEP_LIST, encoding="utf-8")
    book = default_rulebook().with_parameter_files([tmp_path / "tep.toml"])

    def evaluate(scn: Scenario, c: Candidate, p: Position, stay: DateRange) -> Verdict:
        return evaluate_option(scn, c, p, stay, rulebook=book)

    return evaluate


def test_mixed_currencies_without_a_budget_need_no_rate(tmp_path: Path) -> None:
    """yes-2020 pays in SGD and CNY with no budget: options keep allowances and carry no cost."""
    scenario = load_scenario("yes-2020")
    evaluate = _listed(tmp_path)
    problem = Problem.from_scenario(scenario, scenario.cohorts[0].id, evaluate=evaluate)
    currencies = {o.allowance.currency for o in problem.options if o.allowance is not None}
    assert currencies == {"CNY", "SGD"}
    assert problem.currency is None
    assert all(o.cost is None for o in problem.options)


def test_the_cost_objective_converts_mixed_currencies_or_says_which_rate_is_missing(
    tmp_path: Path,
) -> None:
    """With COST as an objective costs need one currency; a missing rate is a clear error."""
    from sgcq.matching import MatchingError

    scenario = load_scenario("yes-2020")
    with pytest.raises(MatchingError, match="no SGD->CNY rate"):
        Problem.from_scenario(
            scenario,
            scenario.cohorts[0].id,
            evaluate=_listed(tmp_path),
            objectives=(Objective.PLACED, Objective.COST),
        )
