"""Measures in matching: the mode chosen per date, Changes that add or lift measures, the report."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS

from sgcq.matching import (
    Changes,
    Constraints,
    Pin,
    Problem,
    Result,
    SolvePath,
    rematch,
    render_report,
    solve,
)
from sgcq.matching.export import placements_header, placements_table
from sgcq.models import (
    Citation,
    Confidence,
    Measure,
    Mode,
    ModelValidationError,
    Ranking,
    StartDates,
    measure_closes,
)
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import check_result

SUSS = load_scenario("suss-overseas-2021")
COHORT = "suss-interns-2021"
REF = Citation("invented for a test", date(2021, 1, 4), confidence=Confidence.LOW)
#: The SUSS interns' problem without the bundled measure, built once.
OPEN = Problem.from_scenario(attrs.evolve(SUSS, measures=()), COHORT)


def _one_run(start: date) -> tuple[Problem, Result]:
    """Match suss-c04 to suss-p05b (on site or remote, Chongqing) starting on ``start`` only."""
    pos = SUSS.position("suss-p05b")
    cand = attrs.evolve(SUSS.candidate("suss-c04"), preferences=Ranking({pos.id: 1}))
    one = attrs.evolve(
        SUSS,
        candidates=(cand,),
        positions=(attrs.evolve(pos, starts=StartDates((start,))),),
        placements=(),
    )
    problem = Problem.from_scenario(one, COHORT, constraints=Constraints())
    return problem, solve(problem, TEST_SETTINGS)


def test_suss_position_on_site_before_the_measure_and_remote_after() -> None:
    """Issue 14's done-when: one matcher run per date; on site before the measure, remote after.

    Before the measure both modes are open and score alike; the flow path
    keeps a pair's first option on a tie, which is the position's first mode
    (decision 0021). After it, on site is closed and only remote is left.
    """
    (measure,) = SUSS.measures
    assert SUSS.position("suss-p05b").modes == (Mode.ON_SITE, Mode.REMOTE)
    before, early = _one_run(date(2021, 3, 1))
    assert early.path is SolvePath.FLOW
    check_result(before, early)
    assert {o.mode for o in before.options} == {Mode.ON_SITE, Mode.REMOTE}
    assert [a.mode for a in early.assignments] == [Mode.ON_SITE]

    after, late = _one_run(measure.start)
    check_result(after, late)
    assert {o.mode for o in after.options} == {Mode.REMOTE}
    (closed,) = after.exclusions
    assert "mode.measure.closed" in {r.code for r in closed.reasons}
    assert [a.mode for a in late.assignments] == [Mode.REMOTE]
    report = render_report(late, after)
    assert f"remote (on site closed by {measure.description}, from 2021-04-01)" in report


def test_no_suss_option_is_undetermined_for_want_of_a_countrys_rules() -> None:
    """Every SUSS exclusion, in both cohorts, is decided: none is UNDETERMINED."""
    for cohort in ("suss-interns-2021", "suss-cofounders-2021"):
        problem = Problem.from_scenario(SUSS, cohort)
        codes = {r.code for x in problem.exclusions for r in x.reasons}
        assert "matching.undetermined" not in codes, cohort
    out_of_scope = {r.code for x in OPEN.exclusions for r in x.reasons if "out_of_scope" in r.code}
    assert out_of_scope == {
        "visa.my.out_of_scope.not_modelled",
        "visa.th.out_of_scope.not_modelled",
        "visa.au.out_of_scope.not_modelled",
    }


_PREVIOUS = solve(OPEN, TEST_SETTINGS)


@settings(max_examples=30, deadline=None)
@given(
    country=st.sampled_from(["SG", "MY", "TH", "AU", "CN"]),
    closes=st.sets(st.sampled_from(list(Mode)), min_size=1).map(frozenset),
    begins=st.dates(min_value=date(2021, 1, 1), max_value=date(2021, 7, 1)),
    days=st.none() | st.integers(1, 120),
)
def test_changes_close_an_option_iff_measure_closes_says_so(
    country: str, closes: frozenset[Mode], begins: date, days: int | None
) -> None:
    """Changes.apply drops exactly the options measure_closes closes, and lifting restores them."""
    end = None if days is None else date.fromordinal(begins.toordinal() + days)
    m = Measure("m", country, closes, begins, "a test measure (invented)", REF, end)
    changed = Changes(measures_added=(m,)).apply(OPEN, _PREVIOUS)
    kept = set(changed.options)
    country_of = {p.id: p.country for p in OPEN.positions}
    for o in OPEN.options:
        closes_it = measure_closes(m, country_of[o.position], o.mode, o.start)
        assert (o in kept) is not closes_it
    held = [x.option for x in changed.exclusions if x.option is not None]
    assert len(held) == len(set(held))
    assert set(held) == {o for o in OPEN.options if o not in kept}
    if held:
        lifted = Changes(measures_lifted=("m",)).apply(changed, _PREVIOUS)
        assert set(lifted.options) == set(OPEN.options)
        assert lifted.exclusions == OPEN.exclusions


def test_rematch_after_a_measure_keeps_them_remote_and_names_it() -> None:
    """A measure closing on site in Singapore for a re-match: those placed on site there are
    kept in their position and start, remotely, and the report and the export say why."""
    m = Measure(
        "sg-closed", "SG", {Mode.ON_SITE}, date(2021, 1, 1), "on-site work closed (invented)", REF
    )
    sg = {p.id for p in OPEN.positions if p.country == "SG"}
    # The earlier match placed people on site in Singapore (remote was not offered there).
    options = [o for o in OPEN.options if not (o.position in sg and o.mode is Mode.REMOTE)]
    # Pinned, so that the earlier match surely has someone on site in Singapore.
    first = next(o for o in options if o.position in sg and o.mode is Mode.ON_SITE)
    on_site_only = attrs.evolve(
        OPEN,
        options=options,
        constraints=attrs.evolve(OPEN.constraints, pins=(Pin(first.candidate, first.position),)),
    )
    previous = solve(on_site_only, TEST_SETTINGS)
    on_site_before = [
        a for a in previous.assignments if a.position in sg and a.mode is Mode.ON_SITE
    ]
    assert on_site_before
    changed = Changes(measures_added=(m,)).apply(OPEN, previous)
    assert not [o for o in changed.options if o.position in sg and o.mode is Mode.ON_SITE]
    after = rematch(OPEN, previous, Changes(measures_added=(m,)), settings=TEST_SETTINGS)
    check_result(changed, after)
    now = {a.candidate: a for a in after.assignments}
    rows = {(r[0], r[2]): r[-1] for r in placements_table(after, changed)}
    assert placements_header(changed)[-1] == "mode_closed_by"
    assert "mode_closed_by" not in placements_header(OPEN)
    report = render_report(after, changed, rows=None)
    for a in on_site_before:
        b = now[a.candidate]
        assert (b.position, b.start, b.mode) == (a.position, a.start, Mode.REMOTE)
        assert rows[(b.candidate, b.position)] == (
            "on_site closed by on-site work closed (invented), from 2021-01-01"
        )
    assert "remote (on site closed by on-site work closed (invented), from 2021-01-01)" in report


def test_changes_refuse_a_measure_added_and_lifted_or_lifted_with_nothing_held() -> None:
    """Adding and lifting one measure is refused; lifting one that closed nothing held too."""
    m = Measure("m", "SG", {Mode.ON_SITE}, date(2021, 1, 1), "closed (invented)", REF)
    with pytest.raises(ModelValidationError, match="both added and lifted"):
        Changes(measures_added=(m,), measures_lifted=("m",))
    with pytest.raises(ModelValidationError, match=r"measures_added\[1\]\.id"):
        Changes(measures_added=(m, m))
    with pytest.raises(ModelValidationError, match="rebuilding it from the scenario"):
        Changes(measures_lifted=("cn-on-site-closed-2021-04",)).apply(
            Problem.from_scenario(SUSS, COHORT), _PREVIOUS
        )


def test_a_measure_lifted_while_another_still_closes_keeps_the_option_closed() -> None:
    """Two measures close the same options; lifting one leaves them closed by the other."""
    a = Measure("a", "SG", {Mode.ON_SITE}, date(2021, 1, 1), "closed A (invented)", REF)
    b = Measure(
        "b", "SG", {Mode.ON_SITE, Mode.REMOTE}, date(2021, 1, 1), "closed B (invented)", REF
    )
    both = Changes(measures_added=(a, b)).apply(OPEN, _PREVIOUS)
    one = Changes(measures_lifted=("a",)).apply(both, _PREVIOUS)
    assert set(one.options) == set(both.options)
    for x in one.exclusions:
        if x.option is not None:
            measures = {f.value for r in x.reasons for f in r.facts if f.name == "measure"}
            assert measures == {"b"}
    none = Changes(measures_lifted=("b",)).apply(one, _PREVIOUS)
    assert set(none.options) == set(OPEN.options)


def test_a_problem_holding_closed_options_round_trips() -> None:
    """The options a measure closed, held in exclusions, survive JSON and TOML documents."""
    from sgcq.serialization import dumps_json, dumps_toml, loads_json, loads_toml

    m = Measure("m", "CN", {Mode.ON_SITE}, date(2021, 1, 1), "closed (invented)", REF)
    changed = Changes(measures_added=(m,)).apply(OPEN, _PREVIOUS)
    assert any(x.option is not None for x in changed.exclusions)
    assert loads_json(dumps_json(changed), Problem) == changed
    assert loads_toml(dumps_toml(changed), Problem) == changed


def test_unplaced_explanation_names_the_measure() -> None:
    """A candidate who takes only on-site work, after the measure: unplaced, and the report
    says the measure closed the on-site option."""
    (measure,) = SUSS.measures
    pos = SUSS.position("suss-p05b")
    cand = attrs.evolve(
        SUSS.candidate("suss-c04"),
        preferences=Ranking({pos.id: 1}),
        modes=frozenset({Mode.ON_SITE}),
    )
    one = attrs.evolve(
        SUSS,
        candidates=(cand,),
        positions=(attrs.evolve(pos, starts=StartDates((measure.start,))),),
        placements=(),
    )
    problem = Problem.from_scenario(one, COHORT, constraints=Constraints())
    result = solve(problem, TEST_SETTINGS)
    assert not result.assignments
    report = render_report(result, problem)
    assert f"closed on the start by {measure.description}" in report
    assert "[mode.measure.closed]" in report
