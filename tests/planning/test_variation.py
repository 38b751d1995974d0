"""Variations: each change, composition, validation naming the field, documents."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from planning_helpers import small_problem

from sgcq.errors import ModelValidationError, VariationError
from sgcq.models import Count, Money, MonthlyBeds, QuotaDimension, YearMonth
from sgcq.planning import (
    QuotaBounds,
    RateChange,
    SeatsChange,
    Sweep,
    Variation,
    beds_scales,
    budget_scales,
    grid,
)
from sgcq.serialization import dumps_json, dumps_toml, loads_json, loads_toml

BASE = small_problem()


def _beds(problem):
    return {str(b.month): b.beds for b in problem.constraints.beds}


def test_the_base_variation_changes_nothing() -> None:
    assert Variation().apply(BASE) is BASE
    assert Variation(label="base").is_base


def test_beds_scaled_rounds_down_then_months_are_set() -> None:
    v = Variation(beds_scale="0.5", beds=[MonthlyBeds(YearMonth(2020, 12), 4)])
    got = _beds(v.apply(BASE))
    assert got == {"2020-08": 2, "2020-09": 3, "2020-10": 2, "2020-11": 1, "2020-12": 4}
    assert _beds(BASE)["2020-08"] == 5  # the base is untouched


def test_budget_set_then_scaled_floors_to_the_minor_unit() -> None:
    v = Variation(budget=Money("1000.01", "SGD"), budget_scale="0.5")
    assert v.apply(BASE).constraints.budget == Money("500.00", "SGD")
    assert Variation(budget_scale=2).apply(BASE).constraints.budget == Money(24000, "SGD")


def test_seats_of_a_position_and_of_a_field() -> None:
    by = {p.id: p for p in BASE.positions}
    one = Variation(seats=[SeatsChange(position="p0", seats=7)]).apply(BASE)
    assert {p.id: p.seats for p in one.positions}["p0"] == 7
    field = Variation(seats=[SeatsChange(field="ai", add=2)]).apply(BASE)
    for p in field.positions:
        assert p.seats == by[p.id].seats + (2 if "ai" in p.fields else 0)


def test_a_position_left_with_no_seat_is_withdrawn_with_its_options() -> None:
    out = Variation(seats=[SeatsChange(position="p1", seats=0)]).apply(BASE)
    assert "p1" not in {p.id for p in out.positions}
    assert all(o.position != "p1" for o in out.options)
    assert all(x.position != "p1" for x in out.exclusions)


def test_hosts_withdrawn_take_their_positions_and_options() -> None:
    out = Variation(withdrawn_hosts={"h0"}).apply(BASE)
    assert {p.host for p in out.positions} == {"h1", "h2"}
    assert all(o.position not in {"p0", "p3"} for o in out.options)


def test_quota_bounds_replace_add_and_remove() -> None:
    arts = QuotaBounds(QuotaDimension.FIELD, "arts", maximum=Count(4))
    ai = QuotaBounds("field", "ai", minimum=Count(1))
    out = Variation(quotas=[arts, ai]).apply(BASE)
    assert {(q.key, q.minimum, q.maximum) for q in out.constraints.quotas} == {
        ("arts", None, Count(4)),
        ("ai", Count(1), None),
    }
    gone = Variation(quotas=[QuotaBounds("field", "arts")]).apply(BASE)
    assert gone.constraints.quotas == ()


def test_cohort_size_bounds() -> None:
    out = Variation(min_size=2, max_size=11).apply(BASE)
    assert (out.constraints.min_size, out.constraints.max_size) == (2, 11)


def test_start_months_keep_only_their_options() -> None:
    out = Variation(start_months=[YearMonth(2020, 7)]).apply(BASE)
    assert out.options and all(o.start.month == 7 for o in out.options)


def test_an_exchange_rate_recomputes_the_costs() -> None:
    out = Variation(rates=[RateChange("SGD", "CNY", "4")]).apply(BASE)
    for before, after in zip(BASE.options, out.options, strict=True):
        assert after.cost == Money(before.allowance.amount / 4, "SGD").rounded()
    inverted = Variation(rates=[RateChange("CNY", "SGD", "0.25")]).apply(BASE)
    assert [o.cost for o in inverted.options] == [o.cost for o in out.options]


@pytest.mark.parametrize(
    ("variation", "path"),
    [
        (Variation(withdrawn_hosts={"h9"}), "withdrawn_hosts"),
        (Variation(seats=[SeatsChange(position="p9", add=1)]), "seats[0].position"),
        (Variation(seats=[SeatsChange(field="fashion", add=1)]), "seats[0].field"),
        (Variation(budget=Money(5, "CNY")), "budget"),
        (Variation(start_months=[YearMonth(2021, 1)]), "start_months"),
        (Variation(rates=[RateChange("EUR", "USD", 1)]), "rates[0]"),
        (Variation(quotas=[QuotaBounds("university", "nus")]), "quotas[0]"),
        (Variation(min_size=11), "min_size"),
    ],
)
def test_a_change_that_does_not_fit_names_its_field(variation: Variation, path: str) -> None:
    with pytest.raises(VariationError) as info:
        variation.apply(BASE)
    assert info.value.path == path
    assert str(info.value).startswith(f"{path}: ")


def test_a_problem_without_beds_or_budget_refuses_scaling_them() -> None:
    import attrs

    bare = attrs.evolve(BASE, constraints=attrs.evolve(BASE.constraints, beds=(), budget=None))
    with pytest.raises(VariationError, match=r"^beds_scale: "):
        Variation(beds_scale=2).apply(bare)
    with pytest.raises(VariationError, match=r"^budget_scale: "):
        Variation(budget_scale=2).apply(bare)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Variation(beds_scale=-1), "beds_scale: must be a finite number >= 0"),
        (lambda: Variation(max_size=True), "max_size: expected an integer"),
        (lambda: Variation(min_size=3, max_size=2), "max_size: max_size 2 is below min_size 3"),
        (lambda: Variation(start_months=[]), "start_months: give at least one month"),
        (
            lambda: Variation(
                seats=[SeatsChange(position="p1", add=1), SeatsChange(position="p1", seats=2)]
            ),
            r"seats\[1\]: position p1 changed twice",
        ),
        (lambda: SeatsChange(position="p1", field="ai", add=1), "position: give position or"),
        (lambda: RateChange("SGD", "SGD", 1), "quote: must differ from base SGD"),
        (
            lambda: Variation(rates=[RateChange("SGD", "CNY", 5), RateChange("CNY", "SGD", 1)]),
            r"rates\[1\]: the rate CNY/SGD changed twice",
        ),
        (lambda: RateChange("SGD", "CNY", 0), "rate: must be a finite number > 0"),
        (lambda: QuotaBounds("region", "x"), "dimension: must be 'university' or 'field'"),
    ],
)
def test_bad_values_are_refused_naming_the_field(make, message: str) -> None:
    with pytest.raises(ModelValidationError, match=message):
        make()


def test_composition_merges_by_key_and_the_right_wins() -> None:
    a = Variation(
        beds=[MonthlyBeds(YearMonth(2020, 8), 1), MonthlyBeds(YearMonth(2020, 9), 2)],
        max_size=5,
        withdrawn_hosts={"h0"},
    )
    b = Variation(beds=[MonthlyBeds(YearMonth(2020, 9), 7)], max_size=6, withdrawn_hosts={"h1"})
    c = a | b
    assert {str(x.month): x.beds for x in c.beds} == {"2020-08": 1, "2020-09": 7}
    assert c.max_size == 6
    assert c.withdrawn_hosts == {"h0", "h1"}
    assert (a | Variation()) == a


def test_a_grid_is_every_combination_first_axis_slowest() -> None:
    g = grid(beds_scales([1, 2]), budget_scales([3, 4, 5]))
    assert [(x.beds_scale, x.budget_scale) for x in g] == [
        (Decimal(b), Decimal(u)) for b in (1, 2) for u in (3, 4, 5)
    ]


def test_variations_are_documents() -> None:
    v = Variation(
        label="many",
        beds_scale="1.1",
        beds=[MonthlyBeds(YearMonth(2020, 12), 9)],
        budget=Money(100, "SGD"),
        seats=[SeatsChange(field="ai", add=-1)],
        quotas=[QuotaBounds("field", "arts", minimum=Count(1), maximum=Count(3))],
        min_size=1,
        max_size=9,
        start_months=[YearMonth(2020, 7), YearMonth(2020, 8)],
        withdrawn_hosts={"h2"},
        rates=[RateChange("SGD", "CNY", "5.2")],
    )
    assert loads_json(dumps_json(v)) == v
    assert loads_toml(dumps_toml(v), Variation) == v


def test_a_variation_document_reads_in_a_fresh_interpreter() -> None:
    text = dumps_json(Variation(max_size=3, withdrawn_hosts={"h1"}))
    code = (
        "import sys; from sgcq.serialization import loads_json; "
        "print(loads_json(sys.stdin.read()).describe())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "max size 3, withdrawn h1"


@given(
    st.permutations(list(grid(beds_scales([1, "0.5"]), [Variation(max_size=m) for m in (3, 4)]))),
    st.integers(0, 2**31 - 1),
)
def test_derived_seeds_depend_on_the_variation_not_its_place(order, seed: int) -> None:
    ordered = Sweep(BASE, sorted(order, key=lambda x: x.describe()), seed=seed)
    shuffled = Sweep(BASE, order, seed=seed)
    for x in order:
        assert ordered.seed_of(x) == shuffled.seed_of(x)
        assert shuffled.seed_of(attrs_label(x)) == shuffled.seed_of(x)
    assert len({shuffled.seed_of(x) for x in order}) == len(order)


def attrs_label(x: Variation) -> Variation:
    import attrs

    return attrs.evolve(x, label="renamed")
