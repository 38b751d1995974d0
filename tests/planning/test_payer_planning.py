"""Payers' budgets in planning: variations, sweep columns, capacity search, marginal values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from planning_helpers import TEST_SETTINGS, payer_problem

from sgcq.errors import ModelValidationError, PlanningError, VariationError
from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    PayerCost,
    Problem,
    Settings,
    SolvePath,
    Status,
    solve,
)
from sgcq.matching.stages.lagrangian import row_prices
from sgcq.models import DateRange, Mode, Money, PayerBudget
from sgcq.planning import (
    PayerBudgetScale,
    Sweep,
    Variation,
    frontier,
    grid,
    least_capacity,
    marginal_values,
    payer_scales,
    placed_problem,
    run_sweep,
)
from sgcq.serialization import dumps_json, dumps_toml, loads_json, loads_toml

#: The independent check: CP-SAT forced, whatever AUTO would pick.
CHECK = Settings(workers=1, seed=0, deterministic_time_limit=5.0, path=SolvePath.CP_SAT)

BASE = payer_problem()
#: Room everywhere but in the district's budget, so that it is what binds.
ROOMY = Variation(beds_scale=3, budget_scale=3, max_size=12)


def _district(problem: Problem) -> Money | None:
    return problem.constraints.payer_budget("district")


def _placed(problem: Problem, variation: Variation | None = None) -> tuple[int, int]:
    """Return (placed, bound on placed) with the number placed as the only objective."""
    result = solve(placed_problem(problem, variation), CHECK)
    if result.status is Status.INFEASIBLE:
        return 0, -1
    return result.placed, result.levels[0].bound


# --- variations ------------------------------------------------------------------


def test_a_payer_budget_is_set_then_scaled_and_floored_to_the_minor_unit() -> None:
    v = Variation(
        payer_budgets={"district": Money("1000.01", "CNY")}, payer_budget_scales={"district": 0.5}
    )
    assert _district(v.apply(BASE)) == Money("500.00", "CNY")
    assert _district(Variation(payer_budget_scales={"district": 2}).apply(BASE)) == Money(
        18000, "CNY"
    )
    assert _district(BASE) == Money(9000, "CNY")  # the base is untouched
    assert BASE.constraints.payer_budget("sponsor") is None


def test_a_payer_with_costs_but_no_budget_gets_one() -> None:
    v = Variation(payer_budgets={"sponsor": Money(200, "SGD")})
    cons = v.apply(BASE).constraints
    assert cons.payer_budget("sponsor") == Money(200, "SGD")
    assert cons.payer_budget("district") == Money(9000, "CNY")  # kept, in its place
    assert [b.payer for b in cons.payer_budgets] == ["district", "sponsor"]


def test_a_mapping_and_items_are_the_same_variation_sorted_by_payer() -> None:
    by_map = Variation(
        payer_budgets={"sponsor": Money(1, "SGD"), "district": Money(2, "CNY")},
        payer_budget_scales={"sponsor": "1.5"},
    )
    by_items = Variation(
        payer_budgets=[
            PayerBudget("district", Money(2, "CNY")),
            PayerBudget("sponsor", Money(1, "SGD")),
        ],
        payer_budget_scales=[PayerBudgetScale("sponsor", Decimal("1.5"))],
    )
    assert by_map == by_items and hash(by_map) == hash(by_items)
    assert [b.payer for b in by_map.payer_budgets] == ["district", "sponsor"]
    assert by_map.describe() == "district budget CNY 2, sponsor budget SGD 1, sponsor budget x1.5"


@pytest.mark.parametrize(
    ("variation", "message"),
    [
        (
            Variation(payer_budgets={"nobody": Money(1, "CNY")}),
            "payer_budgets[0].payer: unknown payer 'nobody' (the problem's payers are "
            "district, sponsor: a payer has costs or a budget)",
        ),
        (
            Variation(payer_budget_scales={"nobody": 2}),
            "payer_budget_scales[0].payer: unknown payer 'nobody'",
        ),
        (
            Variation(payer_budgets={"district": Money(9000, "SGD")}),
            "payer_budgets[0].budget: the budget of district is in SGD but district's costs "
            "are in CNY",
        ),
        (
            Variation(payer_budget_scales={"sponsor": 2}),
            "payer_budget_scales[0]: the payer 'sponsor' has no budget to scale",
        ),
    ],
)
def test_a_payer_change_that_does_not_fit_names_its_field(
    variation: Variation, message: str
) -> None:
    with pytest.raises(VariationError) as e:
        variation.apply(BASE)
    assert str(e.value).startswith(message), str(e.value)


def test_a_payer_budget_is_checked_when_made() -> None:
    with pytest.raises(ModelValidationError, match=r"payer_budgets\[1\]: the budget of district"):
        Variation(
            payer_budgets=[
                PayerBudget("district", Money(1, "CNY")),
                PayerBudget("district", Money(2, "CNY")),
            ]
        )
    with pytest.raises(ModelValidationError, match=r"payer_budgets\[district\]\.budget: expected"):
        Variation(payer_budgets={"district": 9000})
    with pytest.raises(ModelValidationError, match=r"payer_budget_scales\[district\]\.scale"):
        Variation(payer_budget_scales={"district": -1})
    with pytest.raises(ModelValidationError, match="budget: must not be negative"):
        Variation(payer_budgets={"district": Money(-1, "CNY")})


def test_the_right_hand_side_wins_per_payer() -> None:
    a = Variation(
        payer_budgets={"district": Money(1, "CNY"), "sponsor": Money(5, "SGD")},
        payer_budget_scales={"district": 2},
    )
    b = Variation(payer_budgets={"district": Money(3, "CNY")})
    both = a | b
    assert {p.payer: p.budget for p in both.payer_budgets} == {
        "district": Money(3, "CNY"),
        "sponsor": Money(5, "SGD"),
    }
    assert both.payer_budget_scales == (PayerBudgetScale("district", Decimal(2)),)
    assert not both.is_base


def test_the_payer_axis_helper_makes_a_grid() -> None:
    axis = payer_scales("district", ["0.5", 1, 1.5])
    assert [v.describe() for v in axis] == [
        "district budget x0.5",
        "district budget x1",
        "district budget x1.5",
    ]
    assert len(grid(axis, payer_scales("sponsor", [1, 2]))) == 6


@pytest.mark.parametrize("dumps_loads", [(dumps_json, loads_json), (dumps_toml, loads_toml)])
def test_payer_changes_read_back_from_a_document(dumps_loads) -> None:
    dumps, loads = dumps_loads
    v = Variation(
        label="district cut",
        payer_budgets={"district": Money("8000.50", "CNY"), "sponsor": Money(100, "SGD")},
        payer_budget_scales={"district": "0.9"},
        max_size=10,
    )
    text = dumps(v)
    assert "planning_variation" in text
    back = loads(text)
    assert back == v
    assert back.apply(BASE).constraints == v.apply(BASE).constraints


# --- sweeps ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def table():
    sweep = Sweep(
        BASE,
        grid(payer_scales("district", ["0.5", 1, 2])),
        seed=3,
        settings=TEST_SETTINGS,
    )
    return sweep, run_sweep(sweep)


def test_each_row_has_what_each_payer_pays_against_its_budget(table) -> None:
    sweep, rows = table
    start = solve(BASE, sweep.settings_of(Variation()))
    for row, x in zip(rows, sweep.variations, strict=True):
        result = solve(x.apply(BASE), sweep.settings_of(x), start=start)
        assert row.payer_totals == result.payer_totals
        (district, sponsor) = row.payer_totals
        assert district.budget == _district(x.apply(BASE))
        assert district.used.amount <= district.budget.amount
        assert sponsor.budget is None and row.payer_used("sponsor") == sponsor.used.amount
    assert rows[0].payer_used("district") <= 4500
    assert rows[0].payer_used("nobody") is None


def test_the_table_has_three_columns_per_payer(table, tmp_path) -> None:
    _, rows = table
    records = rows.records()
    cols = list(records[0])
    payer_cols = [c for c in cols if c.startswith("payer_")]
    assert payer_cols == [
        "payer_used_district",
        "payer_budget_district",
        "payer_currency_district",
        "payer_used_sponsor",
        "payer_budget_sponsor",
        "payer_currency_sponsor",
    ]
    assert cols.index("currency") < cols.index("payer_used_district") < cols.index("beds_2020-08")
    assert [r["payer_budget_district"] for r in records] == ["4500.00", "9000.00", "18000.00"]
    assert {r["payer_currency_district"] for r in records} == {"CNY"}
    assert {r["payer_budget_sponsor"] for r in records} == {None}
    assert Decimal(records[0]["payer_used_district"]) == rows[0].payer_used("district")
    text = rows.to_csv(tmp_path / "t.csv")
    assert text.splitlines()[0].count("payer_") == 6


# --- capacity -------------------------------------------------------------------


def test_the_least_district_budget_matches_a_brute_force() -> None:
    base = ROOMY.apply(BASE)
    top, _ = _placed(base, Variation(payer_budgets={"district": Money(10**6, "CNY")}))
    answer = least_capacity(
        base, top, "budget", payer="district", step=1000, settings=TEST_SETTINGS
    )
    assert answer.resource == "the budget of district"
    placed = [
        _placed(base, Variation(payer_budgets={"district": Money(1000 * k, "CNY")}))[0]
        for k in range(int(answer.amount / 1000) + 1)
    ]
    assert answer.amount == 1000 * min(k for k, n in enumerate(placed) if n >= top)
    assert answer.proven and answer.placed >= top
    assert answer.variation == Variation(payer_budgets={"district": Money(answer.amount, "CNY")})
    less = Variation(payer_budgets={"district": Money(answer.amount - 1000, "CNY")})
    assert _placed(base, less)[1] < top
    assert "placing" in answer.describe() and "the budget of district =" in answer.describe()


def test_a_payer_without_a_budget_can_be_searched() -> None:
    base = ROOMY.apply(BASE)
    target = _placed(base)[0]
    answer = least_capacity(
        base, target, "budget", payer="sponsor", step=50, settings=TEST_SETTINGS
    )
    # Each placement costs the sponsor SGD 50: the least budget is 50 a placement.
    assert answer.amount == 50 * target and answer.proven


def test_an_unknown_payer_or_a_payer_on_another_resource_is_refused() -> None:
    with pytest.raises(
        PlanningError,
        match=r"payer: the problem has no payer 'nobody' \(its payers: district, sponsor\)",
    ):
        least_capacity(BASE, 3, "budget", payer="nobody")
    with pytest.raises(PlanningError, match="payer: goes with the budget, not with beds"):
        least_capacity(BASE, 3, "beds", payer="district")


def test_a_frontier_is_placed_against_a_payer_budget() -> None:
    amounts = [0, 3000, 6000, 12000, 24000]
    points, rows = frontier(BASE, "budget", amounts, payer="district", settings=TEST_SETTINGS)
    placed = [p.placed for p in points]
    assert placed == sorted(placed) and placed[0] == 0 and placed[-1] > placed[1]
    for p in points:
        assert (
            p.placed
            == _placed(BASE, Variation(payer_budgets={"district": Money(p.amount, "CNY")}))[0]
        )
    assert rows.base is not None and rows.base.index == -1  # the warm start's solve, reported


# --- marginal values ------------------------------------------------------------


def test_the_multipliers_name_the_payer_and_the_unit_of_its_row() -> None:
    tight = placed_problem(BASE, Variation(payer_budget_scales={"district": "0.5"}, max_size=12))
    prices = [p for p in row_prices(tight) if p.kind == "payer_budgets"]
    assert [(p.payer, p.side, p.unit) for p in prices] == [("district", "max", Decimal("0.01"))]
    assert prices[0].limit == 450_000  # fen
    assert prices[0].price > 0
    budget = next(p for p in row_prices(tight) if p.kind == "budget")
    assert budget.payer is None and budget.unit == Decimal("0.01")


def _three(budget: int) -> Problem:
    """Three candidates, one three-seat position; the district pays CNY 1,000 for each."""
    stay = DateRange.of_months(date(2020, 10, 1), 3)
    return Problem(
        candidates=[MatchCandidate(c, "ntu") for c in "abc"],
        positions=[MatchPosition("p", "h", 3)],
        options=[
            Option(
                c,
                "p",
                stay.start,
                stay,
                Mode.ON_SITE,
                candidate_rank=1,
                payer_costs=(PayerCost("district", Money(1000, "CNY")),),
            )
            for c in "abc"
        ],
        constraints=Constraints(payer_budgets=(PayerBudget("district", Money(budget, "CNY")),)),
        objectives=(Objective.PLACED,),
    )


def test_a_binding_payer_budget_claims_one_placement_per_stay_and_is_confirmed() -> None:
    problem = _three(2500)
    (price,) = row_prices(problem)
    assert (price.kind, price.payer, price.limit) == ("payer_budgets", "district", 250_000)
    (mv,) = marginal_values(problem, budget_step=100, settings=TEST_SETTINGS)
    assert (mv.kind, mv.payer, mv.resource) == (
        "payer_budget",
        "district",
        "the budget of district",
    )
    assert (mv.placed_before, mv.claimed_gain) == (2, 1)
    assert mv.claim == Decimal(1000) and mv.confirmed and mv.placed_after == 3
    assert mv.variation == Variation(payer_budgets={"district": Money(3500, "CNY")})
    # 500 more is the least (3,000 places three), and 400 more was proven short.
    assert mv.least == Decimal(500) and mv.least_proven
    assert _placed(problem, mv.least_variation)[0] == 3
    short = Variation(payer_budgets={"district": Money(2900, "CNY")})
    assert _placed(problem, short)[1] == 2
    assert "the budget of district: multiplier" in mv.describe()


def test_every_marginal_value_with_a_payer_budget_is_confirmed() -> None:
    tight = Variation(payer_budget_scales={"district": "0.4"}, max_size=12, beds_scale=2).apply(
        BASE
    )
    values = marginal_values(tight, budget_step=1000, settings=TEST_SETTINGS)
    (district,) = [mv for mv in values if mv.kind == "payer_budget"]
    assert district.payer == "district" and district.claimed_gain == 1
    assert district.confirmed, district.describe()
    before = _placed(tight)[0]
    assert district.placed_before == before
    assert _placed(tight, district.variation)[0] >= before + 1
    assert district.least is not None
    assert _placed(tight, district.least_variation)[0] >= before + 1
    if district.least_proven and district.least > 1000:
        less = Money(_district(tight).amount + district.least - 1000, "CNY")
        assert _placed(tight, Variation(payer_budgets={"district": less}))[1] <= before


# --- exchange rates re-price what payers pay ----------------------------------------


def _sgd_district_problem() -> Problem:
    """The NTU cohort, housing priced in CNY, the district's budget in SGD (5.05 CNY a dollar)."""
    import attrs

    from sgcq.models import ExchangeRate, RateTable
    from sgcq.scenarios import load_scenario

    s = load_scenario("ntu-ydpg-2020")
    programme = s.programmes[0]
    assert programme.benefits.housing is not None
    terms = attrs.evolve(
        programme.benefits.housing,
        bed_night=Money(Decimal(120), "CNY"),
        meals_per_day=Money(Decimal(60), "CNY"),
    )
    programme = attrs.evolve(programme, benefits=attrs.evolve(programme.benefits, housing=terms))
    cohort = attrs.evolve(
        s.cohorts[0], payer_budgets=(PayerBudget("ydpg", Money(Decimal(100_000), "SGD")),)
    )
    rates = RateTable((ExchangeRate("SGD", "CNY", Decimal("5.05"), date(2020, 1, 1)),))
    scenario = attrs.evolve(s, programmes=(programme,), cohorts=(cohort,), rates=rates)
    return Problem.from_scenario(scenario)


def test_a_rate_change_reprices_the_converted_part_of_a_payers_cost() -> None:
    """Housing in CNY against an SGD budget: the builder records each converted part, and a
    RateChange recomputes it and the payer's total; parts in the budget's currency stay."""
    from sgcq.planning import RateChange

    problem = _sgd_district_problem()
    priced = [o for o in problem.options if o.payer_costs]
    assert priced
    for o in priced:
        (pc,) = o.payer_costs
        assert pc.cost.currency == "SGD"
        assert pc.parts and {part.given.currency for part in pc.parts} == {"CNY"}
        assert sum((part.counted.amount for part in pc.parts), Decimal(0)) == pc.cost.amount
    dearer = Variation(rates=(RateChange("SGD", "CNY", "4"),)).apply(problem)
    by_key = {(o.candidate, o.position, o.start, o.mode): o for o in dearer.options}
    for o in priced:
        (old,) = o.payer_costs
        (new,) = by_key[(o.candidate, o.position, o.start, o.mode)].payer_costs
        want = sum(
            (Money(part.given.amount / 4, "SGD").rounded().amount for part in old.parts),
            Decimal(0),
        )
        assert new.cost == Money(want, "SGD")
        assert new.cost > old.cost  # fewer yuan to the dollar: the same beds cost more
        assert [part.given for part in new.parts] == [part.given for part in old.parts]
    # The re-priced problem is matched under the same SGD budget.
    assert solve(dearer, TEST_SETTINGS).status.has_solution


def test_a_rate_only_a_payer_counts_in_is_accepted_and_an_unrelated_one_is_refused() -> None:
    """A rate between CNY and SGD touches the payer's SGD even where the allowances are in
    CNY; a rate between two currencies nothing counts in is an error naming the field."""
    from sgcq.planning import RateChange

    problem = _sgd_district_problem()
    assert problem.currency == "CNY"
    Variation(rates=(RateChange("CNY", "SGD", "0.2"),)).apply(problem)
    with pytest.raises(VariationError, match=r"rates\[0\].*counted in CNY, SGD, not USD or EUR"):
        Variation(rates=(RateChange("USD", "EUR", "0.9"),)).apply(problem)


def test_cost_parts_are_checked_and_read_back() -> None:
    """A part converts between two currencies, into the cost's; a problem keeps its parts
    through JSON."""
    from sgcq.matching import CostPart

    part = CostPart(Money(Decimal(50), "CNY"), Money(Decimal(10), "SGD"))
    PayerCost("d", Money(Decimal(10), "SGD"), (part,))
    with pytest.raises(ModelValidationError, match=r"parts\[0\]\.counted.*the cost is in CNY"):
        PayerCost("d", Money(Decimal(50), "CNY"), (part,))
    with pytest.raises(ModelValidationError, match=r"counted.*between two currencies"):
        CostPart(Money(Decimal(10), "SGD"), Money(Decimal(10), "SGD"))
    problem = _sgd_district_problem()
    again = loads_json(dumps_json(problem), Problem)
    assert again.options == problem.options
