"""Course participants' routes and the checks that read the on-site days in their own country."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq.models import DateRange, Scenario, StudyStatus
from sgcq.rules import Outcome, default_rulebook, evaluate_option, option_context
from sgcq.rules.engine import find_rule
from sgcq.scenarios import load_scenario
from sgcq.serialization import load

REGRESSIONS = (
    Path(__file__).parents[2] / "src/sgcq/data/rules/cases/scenarios/rule-regressions.toml"
)
STUDY_OPEN = frozenset({"visa.cn.x2.open", "visa.sg.student_pass.open"})


@pytest.fixture(scope="module")
def base() -> Scenario:
    """The bundled NTU China (West) Base scenario."""
    return load_scenario("ntu-west-base-2021")


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    enrolled_until=st.none() | st.dates(date(2020, 1, 1), date(2022, 12, 31)),
    nationality=st.sampled_from(["SG", "CN", "MY"]),
)
def test_a_study_route_is_open_only_to_a_student_for_the_days_in_the_country(
    base: Scenario, data: st.DataObject, enrolled_until: date | None, nationality: str
) -> None:
    """No participant enrolled short of the last day in the country gets X2 or a Student's Pass."""
    position = data.draw(st.sampled_from(base.positions), label="position")
    (start,) = position.start_options(DateRange(date(2021, 1, 1), date(2022, 1, 1)))[:1]
    stay = DateRange(start, position.duration.maximum.end_from(start))
    candidate = attrs.evolve(
        base.candidate("mm-cn01"),
        nationalities=frozenset({nationality}),
        study=StudyStatus(enrolled_full_time_until=enrolled_until)
        if enrolled_until is not None
        else StudyStatus(graduated_on=date(2018, 6, 30)),
    )
    verdict = evaluate_option(base, candidate, position, stay)
    for country in ("CN", "SG"):
        ctx = attrs.evolve(option_context(base, candidate, position, stay), country=country)
        days = ctx.presence
        if enrolled_until is None or enrolled_until < days.last_day:
            route = "visa.cn.x2" if country == "CN" else "visa.sg.student_pass"
            assert f"{route}.open" not in verdict.codes, (position.id, verdict)
    assert not any(
        c.startswith(("visa.cn.s2", "visa.cn.yes", "visa.sg.tep")) for c in verdict.codes
    )


def test_a_non_student_gets_the_f_visa_and_a_short_visit_not_a_study_route(base: Scenario) -> None:
    """A manager at the Base: F; an official three weeks on campus: the visit pass."""
    for cid, pid, open_code in (
        ("ex-01", "exec-base", "visa.cn.f.open"),
        ("ex-02", "exec-campus", "visa.sg.visit_course.open"),
    ):
        p = base.position(pid)
        start = p.start_options(DateRange(date(2021, 1, 1), date(2022, 1, 1)))[0]
        v = evaluate_option(base, base.candidate(cid), p, DateRange.of_days(start, 21))
        assert v.outcome is Outcome.ELIGIBLE and open_code in v.codes, v
        assert not STUDY_OPEN & set(v.codes)


@given(registered=st.integers(0, 240))
@settings(max_examples=30, deadline=None)
def test_s2_registration_is_read_on_the_first_day_in_china(registered: int) -> None:
    """The host-registration check holds iff the host registered by the first day in China."""
    s = load(REGRESSIONS, Scenario)
    on = date(2020, 9, 1) + timedelta(days=registered)
    host = attrs.evolve(s.organisation("ftz-host-late"), visa_scheme_registered_on=on)
    s = attrs.evolve(s, organisations=[host if o.id == host.id else o for o in s.organisations])
    rule = find_rule(default_rulebook().rule_set("visa.cn.s2").rule, "visa.cn.s2.host_registered")
    assert rule is not None
    stay = DateRange(date(2020, 9, 1), date(2021, 5, 1))
    for pid, first_in_china in (
        ("hybrid-remote-3m-late-host", date(2020, 12, 1)),
        ("hybrid-remote-1m-late-host", date(2020, 10, 1)),
    ):
        ctx = option_context(s, s.candidate("enrolled-2022"), s.position(pid), stay)
        assert ctx.presence.start == first_in_china
        outcome = rule.evaluate(ctx).outcome
        assert (outcome is Outcome.ELIGIBLE) == (on <= first_in_china), (pid, on)
