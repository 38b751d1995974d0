"""Tests for :mod:`sgcq.rules.book`: rule sets by date, user rules and parameter files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sgcq.models import DateRange, Scenario, SgcqError
from sgcq.rules import (
    Check,
    Context,
    Outcome,
    RuleBook,
    RuleSet,
    RuleSetKind,
    UnknownRuleError,
    Verdict,
    evaluate_option,
    visa_routes,
)

NUS_STAY = DateRange(date(2019, 12, 16), date(2020, 1, 20))


def test_default_rule_sets(book: RuleBook) -> None:
    """The default book has every rule set the issue names, each with its effective dates."""
    assert book.ids() == (
        "visa.cn.s2",
        "visa.cn.internship",
        "visa.cn.yes",
        "visa.cn.work",
        "visa.cn.x2",
        "visa.cn.f",
        "visa.sg.tep",
        "visa.sg.twp",
        "visa.sg.whp",
        "visa.sg.ep",
        "visa.sg.visit_course",
        "visa.sg.student_pass",
        "visa.my.out_of_scope",
        "visa.th.out_of_scope",
        "visa.au.out_of_scope",
        "visa.exempt.remote",
        "visa.exempt.national",
        "placement.feasibility",
        "mode.measure",
        "programme.cofounder",
        "remote.norms",
        "housing.cover",
        "allowance.cost",
    )
    assert [r.id for r in book.visa_routes("SG")] == [
        "visa.sg.tep",
        "visa.sg.twp",
        "visa.sg.whp",
        "visa.sg.ep",
        "visa.sg.visit_course",
        "visa.sg.student_pass",
    ]
    assert book.rule_set("visa.cn.s2").effective(book.parameters) == ((date(2019, 12, 13), None),)


def test_rule_sets_chosen_by_date(book: RuleBook) -> None:
    """Before 2019-12-13 the S2 route is not in force; from then it is."""
    before = {rs.id for rs in book.in_force(date(2019, 12, 12))}
    after = {rs.id for rs in book.in_force(date(2019, 12, 13))}
    assert "visa.cn.s2" not in before and "visa.cn.s2" in after
    assert "visa.cn.internship" in before and "visa.cn.yes" not in after


def test_unknown_ids(book: RuleBook) -> None:
    """Asking for an unknown rule set or rule names it and the known ids."""
    with pytest.raises(UnknownRuleError, match=r"no rule set 'visa\.xx'; known: visa\.cn\.s2"):
        book.rule_set("visa.xx")
    with pytest.raises(UnknownRuleError, match="no rule 'nope'"):
        book.with_rule("nope", book.rule_set("visa.cn.s2"))


def _always_registered(ctx: Context) -> Verdict:
    return ctx.verdict("visa.cn.s2.host_registered", Outcome.ELIGIBLE)


def test_override_a_default_rule_by_id(book: RuleBook, ntu: Scenario) -> None:
    """A user replaces one condition of the S2 route without editing the package."""
    c, p = ntu.candidate("ntu-c002"), ntu.position("ntu-p01")  # FTZ host, never registered
    stay = DateRange.of_months(date(2020, 9, 1), 3)
    s2 = book.rule_set("visa.cn.s2")
    ctx = Context.for_option(ntu, c, p, stay, parameters=book.parameters)
    assert "visa.cn.s2.host_not_registered" in s2.evaluate(ctx).codes
    mine = book.with_rule(
        "visa.cn.s2.host_registered", Check("visa.cn.s2.host_registered", _always_registered)
    )
    assert mine.rule_set("visa.cn.s2").evaluate(ctx).eligible
    assert not book.rule_set("visa.cn.s2").evaluate(ctx).eligible


def _closed(ctx: Context) -> Verdict:
    return ctx.verdict(
        "demo.closed",
        Outcome.INELIGIBLE,
        [ctx.reason("demo.closed.always", "closed", "visa.cn.s2.in_force")],
    )


def test_add_and_replace_rule_sets(book: RuleBook, nus: Scenario) -> None:
    """A user feasibility rule set joins evaluate_option; a set of the same id replaces it."""
    extra = RuleSet(
        "demo.closed",
        "Closed",
        RuleSetKind.FEASIBILITY,
        Check("demo.closed", _closed),
        "visa.cn.s2.in_force",
    )
    mine = book.with_rule_set(extra)
    c, p = nus.candidates[0], nus.positions[0]
    v = evaluate_option(nus, c, p, NUS_STAY, rulebook=mine)
    assert v.outcome is Outcome.INELIGIBLE
    assert v.codes == ("demo.closed.always", "option.programme_kind")
    assert mine.with_rule_set(extra).ids() == mine.ids()
    assert mine.without("demo.closed").ids() == book.ids()


def test_rule_set_needs_a_defined_in_force_parameter(book: RuleBook) -> None:
    """A rule set whose in_force parameter is not defined is refused when the book is built."""
    bad = RuleSet("x", "X", RuleSetKind.NORM, book.rule_set("remote.norms").rule, "no.such.param")
    with pytest.raises(SgcqError, match=r"in_force parameter 'no\.such\.param' is not defined"):
        book.with_rule_set(bad)


def test_parameter_file_overrides_a_default(book: RuleBook, nus: Scenario, tmp_path: Path) -> None:
    """A user parameter file shortens the S2 stay limit; the verdict cites the user's source."""
    f = tmp_path / "local.toml"
    f.write_text(
        'schema_version = 1\nkind = "parameters"\n'
        '[parameters."visa.cn.s2.max_stay_days"]\ntype = "int"\nunit = "days"\n'
        'values = [{ start = 2019-01-01, value = 30, reference = { source = "local memo", '
        "date = 2019-11-01 } }]\n",
        encoding="utf-8",
    )
    mine = book.with_parameter_files([f])
    c, p = nus.candidates[0], nus.positions[0]
    v = evaluate_option(nus, c, p, NUS_STAY, rulebook=mine)
    assert v.outcome is Outcome.INELIGIBLE
    (reason,) = [r for r in v.reasons if r.code == "visa.cn.s2.stay_too_long"]
    assert reason.citation is not None and reason.citation.source == "local memo"
    assert evaluate_option(nus, c, p, NUS_STAY, rulebook=book).eligible


def test_repealed_rule_set(book: RuleBook, nus: Scenario, tmp_path: Path) -> None:
    """A route repealed by a user's parameter file is closed from that date, citing the repeal."""
    f = tmp_path / "repeal.toml"
    f.write_text(
        'schema_version = 1\nkind = "parameters"\n'
        '[parameters."visa.cn.s2.in_force"]\ntype = "bool"\nvalues = [\n'
        '  { start = 2019-12-13, value = true, reference = { source = "release", '
        "date = 2019-12-13 } },\n"
        '  { start = 2020-01-01, repealed = true, reference = { source = "notice", '
        "date = 2019-12-20 } },\n]\n",
        encoding="utf-8",
    )
    mine = book.with_parameter_files([f])
    s2 = mine.rule_set("visa.cn.s2")
    assert s2.effective(mine.parameters) == ((date(2019, 12, 13), date(2020, 1, 1)),)
    c, p = nus.candidates[0], nus.positions[0]
    a = visa_routes(nus, c, p, NUS_STAY, as_of=date(2020, 1, 2), rulebook=mine)
    (reason,) = a.routes[0].verdict.reasons
    assert reason.code == "visa.cn.s2.repealed"
    assert reason.citation is not None and reason.citation.source == "notice"
    assert evaluate_option(nus, c, p, NUS_STAY, rulebook=mine).eligible
    assert not s2.in_force_on(date(2020, 1, 1), mine.parameters)
