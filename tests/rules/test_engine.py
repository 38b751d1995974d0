"""Tests for :mod:`sgcq.rules.engine`: combinators, exceptions, conflicts and traces."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from sgcq.models import Citation, DateRange, Scenario
from sgcq.rules import (
    Check,
    Context,
    Outcome,
    Override,
    Reason,
    RuleConflictError,
    Trace,
    Verdict,
    all_of,
    any_of,
    default_parameters,
    exceptions,
    find_rule,
    not_,
    replace_rule,
)
from sgcq.serialization import dumps_json, loads_json

CITE = Citation("test", date(2020, 1, 1))


def _fixed(id: str, outcome: Outcome, missing: tuple[str, ...] = ()) -> Check:
    def test(ctx: Context) -> Verdict:
        reasons = (Reason(f"{id}.why", f"{id} says {outcome.value}", CITE),)
        return ctx.verdict(id, outcome, reasons, missing)

    return Check(id, test)


YES = Outcome.ELIGIBLE
NO = Outcome.INELIGIBLE
UNKNOWN = Outcome.UNDETERMINED


@pytest.fixture
def ctx(nus: Scenario) -> Context:
    """A context for the first NUS intern."""
    return Context.for_option(
        nus,
        nus.candidates[0],
        nus.positions[0],
        DateRange(date(2019, 12, 16), date(2020, 1, 20)),
        parameters=default_parameters(),
    )


def test_context_defaults(ctx: Context, nus: Scenario) -> None:
    """as_of defaults to the stay's start and the programme to the position's."""
    assert ctx.as_of == date(2019, 12, 16)
    assert ctx.programme is not None and ctx.programme.id == nus.positions[0].programme
    assert ctx.host.id == "ytp-host"


def test_all_of_gives_every_failing_reason(ctx: Context) -> None:
    """all_of: any INELIGIBLE wins with all failing reasons; then UNDETERMINED; then ELIGIBLE."""
    v = all_of("r", _fixed("a", NO), _fixed("b", YES), _fixed("c", NO)).evaluate(ctx)
    assert v.outcome is NO and v.codes == ("a.why", "c.why") and v.rule == "r"
    v = all_of("r", _fixed("a", UNKNOWN, ("x",)), _fixed("b", YES)).evaluate(ctx)
    assert v.outcome is UNKNOWN and v.missing == ("x",)
    v = all_of("r", _fixed("a", YES), _fixed("b", YES)).evaluate(ctx)
    assert v.outcome is YES and v.codes == ("a.why", "b.why")


def test_any_of_names_every_passing_alternative(ctx: Context) -> None:
    """any_of: ELIGIBLE with the reasons of every passing rule; INELIGIBLE with all reasons."""
    v = any_of("r", _fixed("a", NO), _fixed("b", YES), _fixed("c", YES)).evaluate(ctx)
    assert v.outcome is YES and v.codes == ("b.why", "c.why")
    v = any_of("r", _fixed("a", NO), _fixed("b", UNKNOWN, ("y",))).evaluate(ctx)
    assert v.outcome is UNKNOWN and v.missing == ("y",)
    v = any_of("r", _fixed("a", NO), _fixed("b", NO)).evaluate(ctx)
    assert v.outcome is NO and v.codes == ("a.why", "b.why")


def test_not_inverts_and_gives_a_cited_reason(ctx: Context) -> None:
    """not_ turns ELIGIBLE into INELIGIBLE with its own cited reason; UNDETERMINED stays."""
    rule = not_("n", _fixed("a", YES), code="n.held", message="a held", citation=CITE)
    v = rule.evaluate(ctx)
    assert v.outcome is NO and v.codes[0] == "n.held" and v.reasons[0].citation == CITE
    assert not_("n", _fixed("a", NO), code="n", message="", citation=CITE).evaluate(ctx).eligible
    und = not_("n", _fixed("a", UNKNOWN, ("z",)), code="n", message="", citation=CITE)
    assert und.evaluate(ctx).missing == ("z",)


def test_exceptions_highest_priority_decides(ctx: Context) -> None:
    """An applicable exception overrides the base; the highest priority wins."""
    base = _fixed("base", NO)
    rule = exceptions(
        "r",
        base,
        Override(1, _fixed("low", YES), _fixed("low.then", NO)),
        Override(5, _fixed("high", YES)),
        Override(9, _fixed("inapplicable", NO), _fixed("never", NO)),
    )
    v = rule.evaluate(ctx)
    assert v.outcome is YES and v.codes == ("high.why",)
    assert exceptions("r", base, Override(1, _fixed("c", NO))).evaluate(ctx).codes == ("base.why",)


def test_conflicting_exceptions_of_equal_priority_raise(ctx: Context) -> None:
    """Two applicable exceptions of the same priority that disagree are an error, not last-wins."""
    rule = exceptions(
        "r",
        _fixed("base", NO),
        Override(3, _fixed("a", YES)),
        Override(3, _fixed("b", YES), _fixed("b.then", NO)),
    )
    with pytest.raises(RuleConflictError, match=r"rule r: exceptions of priority 3 disagree"):
        rule.evaluate(ctx)
    with pytest.raises(RuleConflictError):
        rule.trace(ctx)
    agree = exceptions(
        "r", _fixed("base", NO), Override(3, _fixed("a", YES)), Override(3, _fixed("b", YES))
    )
    assert agree.evaluate(ctx).codes == ("a.why", "b.why")


def test_trace_matches_evaluate_and_round_trips_json(ctx: Context) -> None:
    """A trace's root verdict equals evaluate()'s and the trace serializes losslessly."""
    rule = exceptions(
        "r",
        all_of("all", _fixed("a", YES), any_of("any", _fixed("b", NO), _fixed("c", YES))),
        Override(1, _fixed("e", NO)),
    )
    trace = rule.trace(ctx)
    assert trace.verdict == rule.evaluate(ctx)
    assert [t.rule for t in trace.walk()] == ["r", "all", "a", "any", "b", "c", "e"]
    assert "any: eligible [c.why]" in trace.render()
    assert loads_json(dumps_json(trace), Trace) == trace


def test_find_and_replace_rules(ctx: Context) -> None:
    """replace_rule swaps a sub-rule by id anywhere in a tree without changing the original."""
    tree = all_of(
        "all", _fixed("a", YES), not_("n", _fixed("b", NO), code="n", message="", citation=CITE)
    )
    assert find_rule(tree, "b") is not None and find_rule(tree, "zz") is None
    new = replace_rule(tree, "b", _fixed("b", YES))
    assert new.evaluate(ctx).outcome is NO
    assert tree.evaluate(ctx).outcome is YES


def test_rules_pickle(ctx: Context) -> None:
    """Combinator trees of module-level checks pickle and evaluate the same."""
    from sgcq.rules import default_rulebook

    rs = default_rulebook().rule_set("visa.cn.s2")
    copy = pickle.loads(pickle.dumps(rs))
    assert copy.evaluate(ctx) == rs.evaluate(ctx)


def test_rule_book_pickles(ctx: Context) -> None:
    """The default book (rules, parameters, not its caches) pickles and evaluates the same."""
    from sgcq.rules import default_rulebook, evaluate_option

    book = default_rulebook()
    book.visa_rule("CN")
    copy = pickle.loads(pickle.dumps(book))
    assert copy.ids() == book.ids()
    args = (ctx.scenario, ctx.candidate, ctx.position, ctx.stay)
    assert evaluate_option(*args, rulebook=copy) == evaluate_option(*args, rulebook=book)
