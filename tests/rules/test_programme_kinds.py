"""Rule sets chosen by programme kind (issue 14).

The case file ``kinds.toml`` holds the verdicts; these tests check the
invariants over every option of the fixture: a verdict uses only the rules
of its programme's kind and says which kind it applied.
"""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest

from sgcq.models import ProgrammeKind, Scenario
from sgcq.rules import (
    Check,
    Outcome,
    RuleBook,
    VisaRoutes,
    default_rulebook,
    evaluate_candidate,
    explain_option,
    find_rule,
)
from sgcq.serialization import load

FIXTURE = Path(__file__).parents[2] / "src/sgcq/data/rules/cases/scenarios/programme-kinds.toml"


@pytest.fixture(scope="module")
def kinds() -> Scenario:
    """The invented jobs, courses and co-founder programmes of the case file."""
    return load(FIXTURE, Scenario)


def _routes_of(book: RuleBook, kind: ProgrammeKind) -> set[str]:
    return {rs.id for rs in book.rule_sets if rs.applies_to(kind)}


def test_every_verdict_uses_only_its_kinds_rule_sets(kinds: Scenario) -> None:
    """No reason of an option's verdict comes from a rule set of another kind."""
    book = default_rulebook()
    others = {rs.id for rs in book.rule_sets if rs.kinds}
    seen = 0
    for c in kinds.candidates:
        for ov in evaluate_candidate(kinds, c, positions=kinds.positions, rulebook=book):
            if ov.verdict is None:
                continue
            prog = kinds.programme_index[kinds.position(ov.position).programme or ""]
            allowed = _routes_of(book, prog.kind)
            for code in ov.verdict.codes:
                owner = next((i for i in others if code.startswith(f"{i}.")), None)
                assert owner is None or owner in allowed, (c.id, ov.position, code)
            last = ov.verdict.reasons[-1]
            assert last.code == "option.programme_kind"
            assert {f.name: f.value for f in last.facts}["programme.kind"] == prog.kind.value
            seen += 1
    assert seen > 50


def test_a_position_outside_a_programme_is_assessed_as_an_internship(nus: Scenario) -> None:
    """Without a programme the verdict says it applied the internship rules by default."""
    import attrs

    from sgcq.models import DateRange
    from sgcq.rules import evaluate_option

    p = attrs.evolve(nus.positions[0], programme=None)
    v = evaluate_option(nus, nus.candidates[0], p, DateRange(date(2019, 12, 16), date(2020, 1, 20)))
    assert v.eligible and "visa.cn.s2.open" in v.codes
    kind = v.reasons[-1]
    assert "by default" in kind.message
    assert {f.name: f.value for f in kind.facts}["programme"] == "none"


def test_trace_agrees_and_shows_routes_not_for_the_kind(kinds: Scenario) -> None:
    """The trace's root equals the verdict; routes of other kinds appear as NOT_APPLICABLE."""
    from sgcq.models import DateRange
    from sgcq.rules import evaluate_option

    c, p = kinds.candidate("grad"), kinds.position("cn-job")
    stay = DateRange(date(2020, 10, 1), date(2021, 10, 1))
    trace = explain_option(kinds, c, p, stay)
    assert trace.verdict == evaluate_option(kinds, c, p, stay)
    outcomes = {t.rule: t.outcome for t in trace.walk()}
    assert outcomes["visa.cn.s2"] is Outcome.NOT_APPLICABLE
    assert outcomes["visa.cn.work"] is Outcome.ELIGIBLE


def test_visa_routes_pickle_and_replace() -> None:
    """A book with kind-chosen routes pickles, and a route inside VisaRoutes can be replaced."""
    book = default_rulebook()
    rule = book.visa_rule("CN")
    again = pickle.loads(pickle.dumps(book))
    assert again.ids() == book.ids()
    base = find_rule(rule, "visa.cn.routes")
    assert isinstance(base, VisaRoutes)
    assert find_rule(rule, "visa.cn.work.degree") is not None
    never = Check(
        "visa.cn.work.degree", lambda ctx: ctx.verdict("visa.cn.work.degree", Outcome.ELIGIBLE)
    )
    swapped = book.with_rule("visa.cn.work.degree", never)
    assert find_rule(swapped.rule_set("visa.cn.work").rule, "visa.cn.work.degree") is never


def test_a_country_without_rules_is_undetermined(suss: Scenario) -> None:
    """Without the out-of-scope route, Malaysia has no rules: UNDETERMINED, naming them."""
    from sgcq.models import DateRange
    from sgcq.rules import evaluate_option

    book = default_rulebook().without("visa.my.out_of_scope")
    c, p = suss.candidate("suss-c04"), suss.position("suss-p02b")
    v = evaluate_option(suss, c, p, DateRange.of_months(date(2021, 2, 1), 3), rulebook=book)
    assert v.outcome is Outcome.UNDETERMINED and v.missing == ("visa_rules:MY",)
