"""Tests of the rule set mode.measure: dated scenario measures that close a mode."""

from __future__ import annotations

import pickle
from datetime import date

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq.models import (
    Citation,
    Confidence,
    DateRange,
    Measure,
    Mode,
    Scenario,
    measure_closes,
)
from sgcq.rules import Outcome, RuleBook, default_rulebook, evaluate_option, option_context
from sgcq.rules.defaults.placement_feasibility import measure_checks
from sgcq.scenarios import load_scenario

REF = Citation("invented for a test", date(2021, 1, 4), confidence=Confidence.LOW)
SUSS = attrs.evolve(load_scenario("suss-overseas-2021"), measures=())
BOOK = default_rulebook()
RULE = BOOK.rule_set("mode.measure")

#: One (candidate, position in one mode, stay) per SUSS internship position and mode.
SUBJECTS = tuple(
    (SUSS.candidate("suss-c04"), p.in_mode(mode), DateRange(date(2021, 2, 1), date(2021, 8, 1)))
    for p in SUSS.positions
    if p.programme == "suss-overseas-internships"
    for mode in p.modes
)


def _verdict(scenario: Scenario, subject: int, start: date) -> Outcome:
    cand, pos, stay = SUBJECTS[subject]
    moved = DateRange(start, stay.end)
    ctx = option_context(scenario, cand, pos, moved, rulebook=BOOK)
    return RULE.evaluate(ctx).outcome


@settings(max_examples=60, deadline=None)
@given(
    subject=st.integers(0, len(SUBJECTS) - 1),
    country=st.sampled_from(["SG", "MY", "TH", "AU", "CN"]),
    closes=st.sets(st.sampled_from(list(Mode)), min_size=1).map(frozenset),
    begins=st.dates(min_value=date(2021, 1, 1), max_value=date(2021, 7, 1)),
    days=st.none() | st.integers(1, 120),
    start=st.dates(min_value=date(2021, 1, 1), max_value=date(2021, 7, 1)),
)
def test_rule_closes_an_option_iff_measure_closes_says_so(
    subject: int,
    country: str,
    closes: frozenset[Mode],
    begins: date,
    days: int | None,
    start: date,
) -> None:
    """mode.measure is INELIGIBLE exactly when measure_closes holds at the stay's start."""
    end = None if days is None else DateRange.of_days(begins, days).end
    m = Measure("m", country, closes, begins, "a test measure (invented)", REF, end)
    scenario = attrs.evolve(SUSS, measures=(m,))
    _, pos, _ = SUBJECTS[subject]
    closed = measure_closes(m, pos.location.country, pos.mode, start)
    outcome = _verdict(scenario, subject, start)
    assert (outcome is Outcome.INELIGIBLE) is closed
    if not closed:
        in_force = m.country == pos.location.country and m.in_force_on(start)
        assert outcome is (Outcome.ELIGIBLE if in_force else Outcome.NOT_APPLICABLE)


def test_no_measures_is_not_applicable_and_says_so() -> None:
    """A scenario with no measures: NOT_APPLICABLE, with the checked country and date as facts."""
    cand, pos, stay = SUBJECTS[0]
    ctx = option_context(SUSS, cand, pos, stay, rulebook=BOOK)
    v = RULE.evaluate(ctx)
    assert v.outcome is Outcome.NOT_APPLICABLE
    (reason,) = v.reasons
    assert reason.code == "mode.measure.none_in_force"
    facts = {f.name: f.value for f in reason.facts}
    assert facts["scenario.measures"] == "0"
    assert facts["checked"] == f"{pos.location.country} on {stay.start.isoformat()}"
    assert reason.citation is not None


def test_closed_reason_cites_the_measure_and_names_its_facts() -> None:
    """A closed option's reason cites the measure's reference and states its dates."""
    m = Measure(
        "cn-closed",
        "CN",
        {Mode.ON_SITE},
        date(2021, 3, 1),
        "entry closed (invented)",
        REF,
        date(2021, 9, 1),
    )
    s = attrs.evolve(SUSS, measures=(m,))
    p = s.position("suss-p05b")
    stay = DateRange(date(2021, 4, 1), date(2021, 7, 1))
    v = evaluate_option(s, s.candidate("suss-c04"), p, stay)
    assert v.outcome is Outcome.INELIGIBLE
    (reason,) = [r for r in v.reasons if r.code == "mode.measure.closed"]
    assert reason.citation == REF
    facts = {f.name: f.value for f in reason.facts}
    assert facts == {
        "measure": "cn-closed",
        "measure.description": "entry closed (invented)",
        "measure.country": "CN",
        "measure.closes": "on_site",
        "measure.start": "2021-03-01",
        "measure.end": "2021-09-01",
        "option.mode": "on_site",
        "checked.country": "CN",
        "checked.mode": "on_site",
        "checked_on": "2021-04-01",
        "as_of": "2021-04-01",
    }
    # The remote mode of the same position and stay is open.
    remote = evaluate_option(s, s.candidate("suss-c04"), p.in_mode(Mode.REMOTE), stay)
    assert "mode.measure.closed" not in remote.codes


def test_hybrid_stay_is_checked_at_each_on_site_segment() -> None:
    """A MiniMasters stay is closed by a measure in force when its Chongqing segment starts."""
    west = load_scenario("ntu-west-base-2021")
    pos = west.position("minimasters-sg")
    stay = DateRange(date(2021, 3, 1), date(2021, 9, 1))
    checks = measure_checks(pos, stay)
    assert [(c, m) for c, m, _ in checks] == [
        ("SG", Mode.HYBRID),
        ("SG", Mode.ON_SITE),
        ("CN", Mode.ON_SITE),
    ]
    cn_start = checks[2][2]
    cand = next(c for c in west.candidates if "minimasters-sg" in c.preferences)

    def outcome(begins: date) -> tuple[Outcome, tuple[str, ...]]:
        m = Measure("cn-entry", "CN", {Mode.ON_SITE}, begins, "entry closed (invented)", REF)
        s = attrs.evolve(west, measures=(m,))
        v = RULE.evaluate(option_context(s, cand, pos, stay, rulebook=BOOK))
        return v.outcome, tuple(
            f.value for r in v.reasons for f in r.facts if f.name == "checked_on"
        )

    assert outcome(cn_start) == (Outcome.INELIGIBLE, (cn_start.isoformat(),))
    # In force only from the day after the segment starts: the stay's checks all precede it.
    assert outcome(date.fromordinal(cn_start.toordinal() + 1))[0] is Outcome.NOT_APPLICABLE


def test_rule_book_with_the_measure_rule_still_pickles() -> None:
    """The rule book (now with mode.measure) pickles for worker processes."""
    again = pickle.loads(pickle.dumps(BOOK))
    assert isinstance(again, RuleBook)
    assert "mode.measure" in again.ids()
