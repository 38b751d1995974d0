"""Costs by payer: one budget per payer in every stage, totals in results and reports."""

from __future__ import annotations

import csv
import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS, placed_options

from sgcq.matching import (
    BlockerKind,
    Constraints,
    MatchCandidate,
    MatchPosition,
    Option,
    PayerCost,
    Problem,
    Result,
    SolvePath,
    Status,
    render_report,
    solve,
)
from sgcq.matching.export import write_placements
from sgcq.models import (
    Allowance,
    Count,
    DateRange,
    ExchangeRate,
    Mode,
    Money,
    PayerBudget,
    Quota,
    QuotaDimension,
    RateTable,
    Scenario,
)
from sgcq.models.errors import ModelValidationError
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import check_result, constraint_violations

SOLVER_RUNS = settings(max_examples=25, deadline=None)

STAY = DateRange.of_months(date(2020, 9, 1), 3)


# --- a scenario: district housing in CNY, host allowances in CNY and SGD -------------


def _district_scenario(housing_budget: Decimal) -> Scenario:
    """The NTU cohort with priced housing and meals, and a third of the hosts paying in SGD."""
    s = load_scenario("ntu-ydpg-2020")
    programme = s.programmes[0]
    assert programme.benefits.housing is not None
    terms = attrs.evolve(
        programme.benefits.housing,
        bed_night=Money(Decimal(120), "CNY"),
        meals_per_day=Money(Decimal(60), "CNY"),
    )
    programme = attrs.evolve(programme, benefits=attrs.evolve(programme.benefits, housing=terms))
    positions = []
    for k, p in enumerate(s.positions):
        if k % 3 == 0 and p.allowance is not None:
            # Paid in SGD by the host; converted into the CNY budget on the start date.
            p = attrs.evolve(p, allowance=Allowance(Money(Decimal(800), "SGD"), p.host))
        positions.append(p)
    cohort = attrs.evolve(
        s.cohorts[0], payer_budgets=(PayerBudget("ydpg", Money(housing_budget, "CNY")),)
    )
    rates = RateTable((ExchangeRate("SGD", "CNY", Decimal("5.05"), date(2020, 1, 1)),))
    return attrs.evolve(
        s,
        programmes=(programme,),
        positions=tuple(positions),
        cohorts=(cohort,),
        rates=rates,
    )


#: Binding: the cohort's 90 places would cost the district about CNY 2.1m.
HOUSING_BUDGET = Decimal(500_000)


@pytest.fixture(scope="module")
def district() -> tuple[Problem, Result]:
    """The cohort matched under its allowance budget and a binding district housing budget."""
    problem = Problem.from_scenario(_district_scenario(HOUSING_BUDGET))
    return problem, solve(problem, attrs.evolve(TEST_SETTINGS, deterministic_time_limit=5.0))


def test_district_pays_bed_nights_and_meals_per_covered_day(
    district: tuple[Problem, Result],
) -> None:
    """Each option costs the housing payer (120 + 60) CNY per covered day, nothing after cover."""
    problem = district[0]
    priced = [o for o in problem.options if o.payer_costs]
    assert priced
    for o in priced:
        (pc,) = o.payer_costs
        assert pc.payer == "ydpg"
        assert o.covered is not None
        assert pc.cost == Money(Decimal(180 * o.covered.days), "CNY")
    assert all(o.covered is None for o in problem.options if not o.payer_costs)


def test_sgd_allowances_are_converted_into_the_cny_budget(
    district: tuple[Problem, Result],
) -> None:
    """A host paying in SGD counts against the CNY allowance budget at the dated rate."""
    problem = district[0]
    sgd = [o for o in problem.options if o.allowance is not None and o.allowance.currency == "SGD"]
    assert sgd
    for o in sgd:
        assert o.cost is not None and o.allowance is not None
        assert o.cost.currency == "CNY"
        assert o.cost.amount == (o.allowance.amount * Decimal("5.05")).quantize(Decimal("0.01"))


def test_cohort_is_matched_under_both_budgets(
    district: tuple[Problem, Result],
) -> None:
    """The binding housing budget holds with the allowance budget, and the checker agrees."""
    tight, result = district
    assert result.status.has_solution
    check_result(tight, result)
    (total,) = result.payer_totals
    assert total.payer == "ydpg" and total.budget is not None
    assert total.used <= total.budget
    assert result.budget is not None and result.budget_used is not None
    assert result.budget_used <= result.budget
    # The housing budget binds: fewer are placed than the cohort's maximum of 90,
    # and no unplaced candidate's cheapest stay still fits what is left of it.
    assert tight.constraints.max_size == 90
    assert result.placed < 90
    left = total.budget.amount - total.used.amount
    placed = {a.candidate for a in result.assignments}
    costs = [
        o.payer_costs[0].cost.amount
        for o in tight.options
        if o.candidate not in placed and o.payer_costs
    ]
    assert min(costs) > left
    # Unplaced candidates are told so, and check_result above verified each claim.
    subjects = {
        b.subject
        for e in result.unplaced
        for r in e.reasons
        for b in r.blockers
        if b.kind is BlockerKind.BUDGET
    }
    assert "ydpg" in subjects


def test_report_totals_each_payer(district: tuple[Problem, Result]) -> None:
    """The report has one line per payer with its total and its budget."""
    tight, result = district
    text = render_report(result, tight)
    (total,) = result.payer_totals
    assert f"ydpg pays: {total.used} of {total.budget}" in text
    assert f"budget used: {result.budget_used}" in text


def test_rates_missing_for_a_payer_are_an_error() -> None:
    """A payer cost in a currency with no rate to the budget's names the payer, never drops."""
    s = _district_scenario(Decimal(10**6))
    cohort = attrs.evolve(
        s.cohorts[0], payer_budgets=(PayerBudget("ydpg", Money(Decimal(10**6), "SGD")),)
    )
    s = attrs.evolve(s, cohorts=(cohort,), rates=RateTable(()))
    with pytest.raises(Exception, match="ydpg pays"):
        Problem.from_scenario(s)


# --- small problems with two budgets -------------------------------------------------


def _option(c: str, p: str, rank: int, cost: int, housing: int, visa: int) -> Option:
    payers = []
    if housing:
        payers.append(PayerCost("district", Money(Decimal(housing), "CNY")))
    if visa:
        payers.append(PayerCost("sponsor", Money(Decimal(visa), "SGD")))
    return Option(
        c,
        p,
        STAY.start,
        STAY,
        Mode.ON_SITE,
        candidate_rank=rank,
        cost=Money(Decimal(cost), "SGD"),
        payer_costs=tuple(payers),
    )


def test_payer_budget_in_another_currency_than_its_costs_is_refused() -> None:
    """Costs of one payer in two currencies are a validation error naming the option."""
    o1 = _option("c1", "p1", 1, 0, 10, 0)
    o2 = attrs.evolve(o1, candidate="c2", payer_costs=(PayerCost("district", Money(1, "SGD")),))
    with pytest.raises(ModelValidationError, match=r"options\[1\]\.payer_costs\[0\]"):
        Problem(
            (MatchCandidate("c1"), MatchCandidate("c2")),
            (MatchPosition("p1", "h1", 2),),
            (o1, o2),
        )


def test_two_payer_budgets_bind_in_every_path() -> None:
    """Each payer's budget is its own row: CP-SAT, Lagrangian and AUTO all keep both."""
    cands = tuple(MatchCandidate(f"c{i}") for i in range(4))
    pos = (MatchPosition("p1", "h1", 4),)
    opts = (
        _option("c0", "p1", 1, 0, 500, 0),
        _option("c1", "p1", 1, 0, 500, 0),
        _option("c2", "p1", 1, 0, 0, 300),
        _option("c3", "p1", 1, 0, 0, 300),
    )
    cons = Constraints(
        payer_budgets=(
            PayerBudget("district", Money(Decimal(600), "CNY")),
            PayerBudget("sponsor", Money(Decimal(300), "SGD")),
        )
    )
    problem = Problem(cands, pos, opts, constraints=cons)
    for path in (SolvePath.AUTO, SolvePath.CP_SAT, SolvePath.LAGRANGIAN):
        result = solve(problem, attrs.evolve(TEST_SETTINGS, path=path))
        assert result.status is Status.OPTIMAL, (path, result.message)
        assert result.placed == 2, path
        check_result(problem, result)
        totals = {t.payer: t.used for t in result.payer_totals}
        assert totals == {
            "district": Money(Decimal(500), "CNY"),
            "sponsor": Money(Decimal(300), "SGD"),
        }


def test_infeasible_payer_budget_is_isolated() -> None:
    """A pin the district cannot pay for is reported as that payer's budget."""
    from sgcq.matching import Pin

    problem = Problem(
        (MatchCandidate("c0"),),
        (MatchPosition("p1", "h1", 1),),
        (_option("c0", "p1", 1, 0, 500, 0),),
        constraints=Constraints(
            pins=(Pin("c0", "p1"),),
            payer_budgets=(PayerBudget("district", Money(Decimal(100), "CNY")),),
        ),
    )
    result = solve(problem, TEST_SETTINGS)
    assert result.status is Status.INFEASIBLE
    assert any("budget of district" in c.constraint for c in result.conflicts)


@st.composite
def two_budget_problems(draw: st.DrawFn) -> Problem:
    """Up to 6 candidates, 3 positions, costs to two payers, budgets and a nationality quota."""
    n_c = draw(st.integers(1, 6))
    n_p = draw(st.integers(1, 3))
    cands = tuple(
        MatchCandidate(f"c{i}", nationalities=draw(st.sampled_from([{"SG"}, {"CN"}])))
        for i in range(n_c)
    )
    pos = tuple(
        MatchPosition(
            f"p{j}",
            f"h{j % 2}",
            draw(st.integers(1, 2)),
            country=draw(st.sampled_from(["CN", "SG"])),
            direction=draw(st.sampled_from(["sg_to_cq", "cq_to_sg"])),
        )
        for j in range(n_p)
    )
    opts = []
    for i in range(n_c):
        for j in draw(st.sets(st.integers(0, n_p - 1), max_size=n_p)):
            opts.append(
                _option(
                    f"c{i}",
                    f"p{j}",
                    j + 1,
                    draw(st.integers(0, 50)),
                    draw(st.integers(0, 9)) * 100,
                    draw(st.sampled_from([0, 0, 35, 70])),
                )
            )
    dims = [
        (QuotaDimension.NATIONALITY, "SG"),
        (QuotaDimension.DIRECTION, "cq_to_sg"),
        (QuotaDimension.HOST_COUNTRY, "CN"),
        (QuotaDimension.HOST, "h0"),
        (QuotaDimension.POSITION, "p0"),
    ]
    quotas = []
    for dim, key in draw(st.lists(st.sampled_from(dims), max_size=2, unique=True)):
        quotas.append(Quota(dim, key, maximum=Count(draw(st.integers(0, 2)))))
    cons = Constraints(
        quotas=tuple(quotas),
        budget=Money(Decimal(draw(st.integers(0, 150))), "SGD"),
        payer_budgets=(
            PayerBudget("district", Money(Decimal(draw(st.integers(0, 20)) * 100), "CNY")),
            PayerBudget("sponsor", Money(Decimal(draw(st.integers(0, 150))), "SGD")),
        ),
    )
    return Problem(cands, pos, tuple(opts), constraints=cons)


def _brute_placed(problem: Problem) -> int:
    """The most candidates any assignment places within every constraint (plain enumeration)."""
    by_cand: dict[str, list[Option | None]] = {c.id: [None] for c in problem.candidates}
    for o in problem.options:
        by_cand[o.candidate].append(o)
    best = 0
    for combo in itertools.product(*by_cand.values()):
        placed = [o for o in combo if o is not None]
        if len(placed) > best and not constraint_violations(problem, placed):
            best = len(placed)
    return best


@SOLVER_RUNS
@given(problem=two_budget_problems())
def test_solutions_respect_every_payer_budget_and_quota(problem: Problem) -> None:
    """Every path's solution keeps both payer budgets and every quota (the checker agrees)."""
    for path in (SolvePath.AUTO, SolvePath.LAGRANGIAN):
        result = solve(problem, attrs.evolve(TEST_SETTINGS, path=path))
        assert result.status.has_solution
        assert not constraint_violations(problem, placed_options(problem, result))
        check_result(problem, result)


@SOLVER_RUNS
@given(problem=two_budget_problems())
def test_two_budgets_match_brute_force(problem: Problem) -> None:
    """CP-SAT places exactly as many as the best assignment found by enumeration."""
    result = solve(problem, attrs.evolve(TEST_SETTINGS, path=SolvePath.CP_SAT))
    assert result.status is Status.OPTIMAL
    assert result.placed == _brute_placed(problem)


def test_exports_and_frames_total_each_payer(
    district: tuple[Problem, Result], tmp_path: Path
) -> None:
    """The placements file has the district's column; the payers frame totals each payer."""
    from sgcq import frames

    problem, result = district
    path = write_placements(result, problem, tmp_path / "placements.csv")
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == result.placed
    paid = sum(Decimal(r["cost_ydpg"]) for r in rows if r["cost_ydpg"])
    (total,) = result.payer_totals
    assert paid == total.used.amount
    assert {r["cost_ydpg_currency"] for r in rows if r["cost_ydpg"]} == {"CNY"}
    df = frames.payers(result)
    assert list(df["payer"]) == ["allowance", "ydpg"]
    assert df["used_amount"][1] == float(total.used.amount)
    assert df["budget_amount"][1] == float(HOUSING_BUDGET)
    long = frames.payer_costs(result)
    assert abs(long["amount"].sum() - float(total.used.amount)) < 1e-6


def test_a_legacy_problem_without_payers_is_unchanged() -> None:
    """Without payer costs the placements file keeps its columns and no payer totals appear."""
    from sgcq.matching.export import PLACEMENTS_HEADER, placements_header

    problem = Problem(
        (MatchCandidate("c0"),),
        (MatchPosition("p1", "h1", 1),),
        (_option("c0", "p1", 1, 10, 0, 0),),
        constraints=Constraints(budget=Money(Decimal(10), "SGD")),
    )
    result = solve(problem, TEST_SETTINGS)
    assert result.payer_totals == ()
    assert result.budget_used == Money(Decimal(10), "SGD")
    assert placements_header(problem) == PLACEMENTS_HEADER


def test_problem_and_result_with_payers_round_trip_through_json() -> None:
    """Payer costs, payer budgets and totals survive JSON and validate against the schema."""
    import json

    import jsonschema

    from sgcq.serialization import dumps_json, json_schema, loads_json

    problem = Problem(
        (MatchCandidate("c0", nationalities={"SG"}), MatchCandidate("c1")),
        (MatchPosition("p1", "h1", 2, country="CN", direction="sg_to_cq"),),
        (_option("c0", "p1", 1, 5, 500, 35), _option("c1", "p1", 1, 5, 500, 0)),
        constraints=Constraints(
            quotas=(Quota(QuotaDimension.NATIONALITY, "SG", maximum=Count(1), year=2020),),
            payer_budgets=(PayerBudget("district", Money(Decimal(600), "CNY")),),
        ),
    )
    result = solve(problem, TEST_SETTINGS)
    assert [t.payer for t in result.payer_totals] == ["district", "sponsor"]
    for value, kind in ((problem, "match_problem"), (result, "match_result")):
        text = dumps_json(value)
        jsonschema.validate(json.loads(text), json_schema(kind))
        back = loads_json(text, type(value))
        if isinstance(value, Problem):
            assert back == value
        else:
            assert back.payer_totals == value.payer_totals
            assert back.assignments == value.assignments
