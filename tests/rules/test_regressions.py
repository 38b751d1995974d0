"""Regression tests of the engine defects of issue 14.

The bundled case file ``regressions.toml`` holds the same defects as data;
these tests pin the parts a case file cannot express (repeals from a layered
parameter file, the ``Not`` combinator, budgets, the days a hybrid stay
spends in the country).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq.models import Citation, DateRange, HybridSplit, Mode, Phase, Scenario
from sgcq.rules import (
    Check,
    Context,
    Fact,
    Outcome,
    Reason,
    RuleBook,
    Verdict,
    budget_check,
    default_rulebook,
    evaluate_option,
    not_,
    option_context,
)
from sgcq.rules.engine import combine_all, combine_any
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import assert_no_worse, assert_reasons_cited

CITE = Citation("test source", date(2020, 1, 1))


def _hybrid(scenario: Scenario, share: str, phase: Phase = Phase.FIRST) -> Scenario:
    pos = scenario.positions[0]
    hybrid = attrs.evolve(pos, mode=Mode.HYBRID, hybrid=HybridSplit(Decimal(share), phase))
    return attrs.evolve(scenario, positions=(hybrid, *scenario.positions[1:]))


def test_presence_is_the_on_site_part_of_a_hybrid_stay(nus: Scenario, book: RuleBook) -> None:
    """A hybrid stay's days in the country are its on-site part, first or last."""
    stay = DateRange(date(2020, 9, 1), date(2021, 5, 1))
    for phase, expected in (
        (Phase.FIRST, DateRange(date(2020, 9, 1), date(2020, 11, 30))),
        (Phase.LAST, DateRange(date(2021, 1, 31), date(2021, 5, 1))),
    ):
        s = _hybrid(nus, "0.37", phase)
        ctx = option_context(s, s.candidates[0], s.positions[0], stay, rulebook=book)
        assert ctx.presence.parts == (expected,)
        assert ctx.presence.days == 90
    on_site = option_context(nus, nus.candidates[0], nus.positions[1], stay, rulebook=book)
    assert on_site.presence.parts == (stay,)


def test_day_limit_counts_only_on_site_days(nus: Scenario, book: RuleBook) -> None:
    """180 on-site days pass the S2 limit whatever the remote days; 181 do not."""
    s = _hybrid(nus, "0.5")
    candidate = attrs.evolve(
        s.candidates[0],
        study=attrs.evolve(s.candidates[0].study, enrolled_full_time_until=date(2030, 1, 1)),
        available=DateRange(date(2019, 12, 1), date(2021, 12, 1)),
    )
    start = date(2020, 1, 1)
    for days, outcome in ((360, Outcome.ELIGIBLE), (362, Outcome.INELIGIBLE)):
        stay = DateRange(start, date.fromordinal(start.toordinal() + days))
        ctx = option_context(s, candidate, s.positions[0], stay, rulebook=book)
        verdict = book.rule_set("visa.cn.s2").evaluate(ctx)
        assert verdict.outcome is outcome, (days, verdict.codes)
        if outcome is Outcome.INELIGIBLE:
            assert verdict.codes == ("visa.cn.s2.stay_too_long",)


def test_hybrid_option_is_eligible_where_on_site_is_not() -> None:
    """The 8-month hybrid of the fixture is an open option; the same stay on site is not."""
    from sgcq.serialization import load

    path = Path(__file__).parents[2] / "src/sgcq/data/rules/cases/scenarios/rule-regressions.toml"
    s = load(path, Scenario)
    stay = DateRange(date(2020, 9, 1), date(2021, 5, 1))
    c = s.candidate("enrolled-2020")
    hybrid = evaluate_option(s, c, s.position("hybrid-8m"), stay)
    on_site = evaluate_option(s, c, s.position("onsite-8m"), stay)
    assert hybrid.eligible and "visa.cn.s2.open" in hybrid.codes
    assert "visa.cn.s2.stay_too_long" in on_site.codes


def _repeal_file(tmp_path: Path) -> Path:
    path = tmp_path / "repeal.toml"
    path.write_text(
        """schema_version = 1
kind = "parameters"

[parameters."remote.norms.in_force"]
description = "norms, repealed"
unit = ""
type = "bool"
values = [
    { start = 2020-06-01, value = true, reference = { source = "guide", date = 2020-06-01 } },
    { start = 2021-01-01, repealed = true, reference = { source = "memo 7", date = 2020-12-01 } },
]

[parameters."visa.cn.s2.in_force"]
description = "S2, repealed"
unit = ""
type = "bool"
values = [
    { start = 2019-12-13, value = true, reference = { source = "release", date = 2019-12-13 } },
    { start = 2021-01-01, value = false, reference = { source = "memo 8", date = 2020-12-01 } },
]
""",
        encoding="utf-8",
    )
    return path


def test_repealed_reason_states_its_dates(nus: Scenario, tmp_path: Path) -> None:
    """A repealed norm does not apply; a repealed route is closed; both state the dates."""
    book = RuleBook.default().with_parameter_files([_repeal_file(tmp_path)])
    stay = DateRange(date(2021, 2, 1), date(2021, 3, 8))
    ctx = option_context(nus, nus.candidates[0], nus.positions[0], stay, rulebook=book)
    norms = book.rule_set("remote.norms").evaluate(ctx)
    s2 = book.rule_set("visa.cn.s2").evaluate(ctx)
    assert norms.outcome is Outcome.NOT_APPLICABLE
    assert s2.outcome is Outcome.INELIGIBLE
    for verdict, rid, value, source in (
        (norms, "remote.norms", "repealed", "memo 7"),
        (s2, "visa.cn.s2", "false", "memo 8"),
    ):
        (reason,) = verdict.reasons
        assert reason.code == f"{rid}.repealed"
        assert reason.citation is not None and reason.citation.source == source
        facts = {f.name: f.value for f in reason.facts}
        assert facts == {
            "as_of": "2021-02-01",
            "repealed_on": "2021-01-01",
            f"{rid}.in_force": value,
        }
        assert_reasons_cited(verdict)


def test_not_applicable_is_neutral_in_combinators() -> None:
    """NOT_APPLICABLE never fails an all-of and never opens an any-of."""
    day = date(2020, 1, 1)
    na = Verdict("n", Outcome.NOT_APPLICABLE, day, (Reason("n.not_in_force", "off", CITE),))
    ok = Verdict("y", Outcome.ELIGIBLE, day)
    no = Verdict("x", Outcome.INELIGIBLE, day, (Reason("x.no", "no", CITE),))
    assert combine_all("all", day, [na, ok]).outcome is Outcome.ELIGIBLE
    assert combine_all("all", day, [na, no]).outcome is Outcome.INELIGIBLE
    assert combine_any("any", day, [na, no]).outcome is Outcome.INELIGIBLE
    assert combine_any("any", day, [na, ok]).outcome is Outcome.ELIGIBLE
    assert_no_worse(na, ok)
    with pytest.raises(Exception, match="NOT_APPLICABLE"):
        assert_reasons_cited(Verdict("n", Outcome.NOT_APPLICABLE, day))


def test_not_reason_carries_the_negated_rules_facts(nus: Scenario, book: RuleBook) -> None:
    """The ``Not`` combinator's reason names the negated rule and keeps its facts."""

    def holds(ctx: Context) -> Verdict:
        reason = Reason("inner.ok", "held", CITE, (Fact("inner.value", "7", "parameter"),))
        return ctx.verdict("inner", Outcome.ELIGIBLE, [reason])

    rule = not_("outer", Check("inner", holds), code="outer.no", message="no", citation=CITE)
    stay = DateRange(date(2019, 12, 16), date(2020, 1, 20))
    ctx = option_context(nus, nus.candidates[0], nus.positions[0], stay, rulebook=book)
    verdict = rule.evaluate(ctx)
    assert verdict.outcome is Outcome.INELIGIBLE
    facts = {f.name: f.value for f in verdict.reasons[0].facts}
    assert facts == {"negated_rule": "inner", "inner.outcome": "eligible", "inner.value": "7"}
    assert rule.trace(ctx).verdict == verdict


def test_budget_none_states_its_facts(nus: Scenario) -> None:
    """A cohort without a budget: the reason names the cohort and the proration used."""
    cohort = nus.cohorts[0]
    assert cohort.allowance_budget is None
    verdict = budget_check(nus, cohort.id, (), on=date(2019, 12, 16))
    (reason,) = verdict.reasons
    assert reason.code == "allowance.budget.none"
    facts = {f.name: f.value for f in reason.facts}
    assert facts == {
        "cohort": cohort.id,
        "budget": "none",
        "allowance.proration": "calendar_days",
    }


@given(
    share=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.99"), places=2),
    phase=st.sampled_from(Phase),
    months=st.integers(min_value=1, max_value=14),
)
@settings(max_examples=60, deadline=None)
def test_routes_see_only_the_on_site_days_of_a_hybrid_stay(
    share: Decimal, phase: Phase, months: int
) -> None:
    """A hybrid stay's route verdicts equal those of an on-site stay of its on-site days."""
    s = _NUS
    split = HybridSplit(share, phase)
    base = s.positions[0]
    hybrid = attrs.evolve(base, mode=Mode.HYBRID, hybrid=split)
    c = attrs.evolve(
        s.candidates[0],
        study=attrs.evolve(s.candidates[0].study, enrolled_full_time_until=date(2020, 12, 31)),
    )
    stay = DateRange.of_months(date(2020, 1, 6), months)
    on_site = split.on_site_part(stay) if stay.days > 1 else stay
    book = default_rulebook()
    for route in ("visa.cn.s2", "visa.cn.yes", "visa.cn.internship"):
        rs = book.rule_set(route)
        got = rs.evaluate(option_context(s, c, hybrid, stay, rulebook=book))
        want = rs.evaluate(option_context(s, c, base, on_site, as_of=stay.start, rulebook=book))
        assert (got.outcome, got.codes) == (want.outcome, want.codes), route


_NUS = load_scenario("nus-ytp-2019")


@given(st.lists(st.sampled_from(list(Outcome)), min_size=1, max_size=6))
def test_not_applicable_never_changes_an_all_of(outcomes: list[Outcome]) -> None:
    """Adding NOT_APPLICABLE verdicts to an all-of never changes an applicable result."""
    day = date(2020, 1, 1)

    def verdict(o: Outcome, i: int) -> Verdict:
        reasons = () if o is Outcome.ELIGIBLE else (Reason(f"r{i}.why", "why", CITE),)
        return Verdict(f"r{i}", o, day, reasons, ("x",) if o is Outcome.UNDETERMINED else ())

    vs = [verdict(o, i) for i, o in enumerate(outcomes)]
    applicable = [v for v in vs if v.outcome is not Outcome.NOT_APPLICABLE]
    got = combine_all("all", day, vs)
    if applicable:
        assert got == combine_all("all", day, applicable)
    else:
        assert got.outcome is Outcome.NOT_APPLICABLE
