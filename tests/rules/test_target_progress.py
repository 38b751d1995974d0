"""Tests of progress(): each target's state, observed value and projection on a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sgcq.models import (
    Comparator,
    ExchangeRate,
    Money,
    Observation,
    RateTable,
    Target,
)
from sgcq.rules import ProgressState, progress, target_progress
from sgcq.rules.targets import PROJECTION_METHOD, satisfies
from sgcq.scenarios import load_scenario

START = date(2021, 1, 1)
BY = date(2025, 12, 31)

#: States from worst to best for a target that wants more (at least).
_RANK_MORE = {ProgressState.BEHIND: 0, ProgressState.ON_TRACK: 1, ProgressState.MET: 2}


def _target(comparator: Comparator, observed: int, on: date, tol: int | None = None) -> Target:
    return Target(
        "x",
        40,
        BY,
        comparator=comparator,
        tolerance=tol,
        baseline=Observation(START, 0),
        observations=[Observation(on, observed)],
    )


def test_ssijri_prints_each_target_with_its_observed_value_and_state() -> None:
    """SSIJRI's two targets print with the observed value, the state and the projection."""
    report = progress(load_scenario("ssijri-2020"), date(2023, 12, 31))
    text = str(report)
    assert [(t.target.metric, t.state) for t in report.targets] == [
        ("new_research_projects", ProgressState.ON_TRACK),
        ("new_patent_applications", ProgressState.BEHIND),
    ]
    assert "new_research_projects: at least 40 by 2025-12-31: on track; observed 25" in text
    assert "new_patent_applications: at least 100 by 2025-12-31: behind; observed 48" in text
    assert "patents_licensed_value: SGD 1,700,000.00 = CNY 8,600,000.00" in text
    assert "research_papers: 90+" in text
    assert PROJECTION_METHOD in text


def test_nus_prints_its_target_with_the_observed_value_and_state() -> None:
    """NUS's about-100 target is behind in April 2020 and missed after the summer."""
    scenario = load_scenario("nus-ytp-2019")
    spring = progress(scenario, date(2020, 4, 30))
    assert "students_next_summer: about 100 ± 10 by 2020-08-31: behind; observed 46" in str(spring)
    autumn = progress(scenario, date(2020, 9, 30)).targets[0]
    assert autumn.state is ProgressState.MISSED and autumn.projection is None


def test_states_before_the_baseline_and_with_nothing_observed() -> None:
    """Before the baseline a target is not started; after it with no data, no observation."""
    t = _target(Comparator.AT_LEAST, 10, date(2023, 1, 1))
    assert target_progress("p", t, date(2020, 1, 1)).state is ProgressState.NOT_STARTED
    assert target_progress("p", t, date(2022, 1, 1)).state is ProgressState.NO_OBSERVATION


def test_one_point_without_a_baseline_has_no_projection() -> None:
    """A single observation and no baseline cannot be projected, and says so."""
    t = Target("x", 40, BY, observations=[Observation(date(2022, 1, 1), 10)])
    p = target_progress("p", t, date(2023, 1, 1))
    assert p.state is ProgressState.NO_PROJECTION and p.projection is None


def test_the_projection_is_linear_from_the_baseline_to_the_latest_observation() -> None:
    """Half the time for half the value projects exactly the target at the deadline."""
    mid = START + (BY - START) / 2
    t = Target("x", 40, BY, baseline=Observation(START, 0), observations=[Observation(mid, 20)])
    p = target_progress("p", t, mid)
    assert p.projection is not None
    assert abs(p.projection.value - 40) < Decimal("0.05")
    assert p.projection.method == PROJECTION_METHOD


def test_an_at_most_cap_already_exceeded_is_behind_then_missed() -> None:
    """Over the cap before the deadline is behind; at the deadline it is missed."""
    t = _target(Comparator.AT_MOST, 41, date(2022, 1, 1))
    assert target_progress("p", t, date(2022, 6, 1)).state is ProgressState.BEHIND
    assert target_progress("p", t, BY).state is ProgressState.MISSED


def test_observations_after_the_deadline_do_not_count() -> None:
    """Once the deadline has passed, the value on or before it decides."""
    t = Target(
        "x",
        40,
        BY,
        baseline=Observation(START, 0),
        observations=[Observation(date(2025, 6, 1), 30), Observation(date(2026, 3, 1), 45)],
    )
    p = target_progress("p", t, date(2026, 6, 1))
    assert p.state is ProgressState.MISSED and p.observed_value == 30


def test_money_targets_use_the_quote_in_their_currency_or_a_dated_rate() -> None:
    """A money target reads an SGD quote as given, or converts at the scenario's rate."""
    target = Money("2000000", "SGD")
    quoted = Observation(
        date(2022, 1, 1), Money("8600000", "CNY"), also_quoted=[Money("1700000", "SGD")]
    )
    t = Target("licence_value", target, BY, observations=[quoted])
    assert target_progress("p", t, date(2022, 6, 1)).observed_value == Decimal("1700000")
    only_cny = Observation(date(2022, 1, 1), Money("10000000", "CNY"))
    t2 = Target("licence_value", target, BY, observations=[only_cny])
    missing = target_progress("p", t2, date(2022, 6, 1))
    assert missing.state is ProgressState.NO_OBSERVATION and "no rate" in missing.reason
    rates = RateTable([ExchangeRate("SGD", "CNY", "5", date(2021, 1, 1), "illustrative")])
    converted = target_progress("p", t2, date(2022, 6, 1), rates)
    assert converted.state is ProgressState.MET
    assert converted.observed_value == Decimal("2000000.00") and "converted" in converted.reason


@given(
    st.integers(0, 200),
    st.integers(0, 200),
    st.dates(date(2021, 1, 2), BY),
    st.dates(date(2021, 1, 2), date(2027, 12, 31)),
)
def test_state_is_monotone_in_the_observed_value(a: int, b: int, on: date, as_of: date) -> None:
    """More observed never worsens an at-least target nor improves an at-most one."""
    lo, hi = sorted((a, b))
    as_of = max(as_of, on)
    for comparator, sign in ((Comparator.AT_LEAST, 1), (Comparator.AT_MOST, -1)):
        s_lo = target_progress("p", _target(comparator, lo, on), as_of).state
        s_hi = target_progress("p", _target(comparator, hi, on), as_of).state
        rank = {**_RANK_MORE, ProgressState.MISSED: 0}
        if comparator is Comparator.AT_MOST:
            rank = {ProgressState.BEHIND: 0, ProgressState.MISSED: 0}
            rank |= {ProgressState.ON_TRACK: 1, ProgressState.MET: 2}
        assert sign * (rank[s_hi] - rank[s_lo]) >= 0, (comparator, lo, hi, s_lo, s_hi)


@given(st.integers(0, 200), st.integers(0, 30), st.dates(date(2021, 1, 2), BY))
def test_about_is_symmetric_and_met_within_the_tolerance(d: int, tol: int, on: date) -> None:
    """At the deadline, 'about' is met exactly within ±tolerance, the same either side."""

    def state(x: int) -> ProgressState:
        return target_progress("p", _target(Comparator.ABOUT, x, on, tol), BY).state

    above, below = state(40 + d), state(max(0, 40 - d))
    assert (above is ProgressState.MET) == (d <= tol)
    if d <= 40:
        assert above is below


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 50))
def test_satisfies_matches_its_definition(x: int, v: int, tol: int) -> None:
    """satisfies() is >=, <=, == or |x - v| <= tol, and about with tol 0 is exactly."""
    dx, dv, dt = Decimal(x), Decimal(v), Decimal(tol)
    assert satisfies(Comparator.AT_LEAST, dx, dv) == (x >= v)
    assert satisfies(Comparator.AT_MOST, dx, dv) == (x <= v)
    assert satisfies(Comparator.ABOUT, dx, dv, dt) == (abs(x - v) <= tol)
    assert satisfies(Comparator.ABOUT, dx, dv, Decimal(0)) == satisfies(Comparator.EXACTLY, dx, dv)


def test_report_views() -> None:
    """The report has a one-line repr and an HTML view with one row per target."""
    report = progress(load_scenario("ssijri-2020"), date(2023, 12, 31))
    assert repr(report) == (
        "<ProgressReport ssijri-2020 as of 2023-12-31: 2 targets (1 on track, 1 behind)>"
    )
    html = report._repr_html_()
    assert 'class="sgcq sgcq-progress"' in html
    assert html.count("new_patent_applications") == 1
