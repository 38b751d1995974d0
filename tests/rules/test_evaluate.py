"""Tests for :func:`sgcq.rules.evaluate_option`, :func:`visa_routes` and :func:`explain_option`."""

from __future__ import annotations

from datetime import date

import attrs

from sgcq.models import DateRange, Scenario, StudyStatus
from sgcq.rules import (
    Outcome,
    RuleBook,
    evaluate_option,
    explain_option,
    stay_for,
    visa_routes,
)
from sgcq.testing.checks import assert_reasons_cited

NUS_STAY = DateRange(date(2019, 12, 16), date(2020, 1, 20))


def test_nus_seed_is_s2_eligible(nus: Scenario) -> None:
    """The first NUS interns at the registered Pilot-FTZ host have the S2 route, and only it."""
    for c in nus.candidates:
        p = nus.position(next(iter(c.preferences)))
        v = evaluate_option(nus, c, p, NUS_STAY)
        assert v.outcome is Outcome.ELIGIBLE, v
        assert v.codes == ("visa.cn.s2.open", "option.programme_kind")
        assert v.as_of == NUS_STAY.start


def test_nus_seed_before_the_rule(nus: Scenario) -> None:
    """As of 2019-12-01 the S2 route is not yet in force; every route's reason is given."""
    c, p = nus.candidates[0], nus.positions[0]
    v = evaluate_option(nus, c, p, NUS_STAY, as_of=date(2019, 12, 1))
    assert v.outcome is Outcome.INELIGIBLE
    assert set(v.codes) == {
        "visa.cn.s2.not_in_force",
        "visa.cn.internship.host_not_well_known",
        "visa.cn.yes.not_in_force",
        "option.programme_kind",
    }
    (s2,) = [r for r in v.reasons if r.code == "visa.cn.s2.not_in_force"]
    assert "not yet in force" in s2.message and s2.citation is not None
    assert s2.citation.date == date(2019, 12, 13)
    assert_reasons_cited(v)


def test_visa_routes_name_documents_and_limits(nus: Scenario) -> None:
    """The open S2 route names the visa, its three materials and the 180-day limit."""
    a = visa_routes(nus, nus.candidates[0], nus.positions[0], NUS_STAY)
    assert a.needed and a.verdict.eligible
    (route,) = a.open_routes
    assert route.route == "visa.cn.s2" and route.visa is not None and route.visa.startswith("S2")
    assert route.documents == (
        "face_to_face_application_registration_form",
        "company_invitation_letter",
        "other_application_materials",
    )
    assert [(f.name, f.value) for f in route.limits] == [("visa.cn.s2.max_stay_days", "180")]
    assert [r.route for r in a.routes] == ["visa.cn.s2", "visa.cn.internship", "visa.cn.yes"]


def test_remote_and_national_need_no_visa(suss: Scenario, ntu: Scenario) -> None:
    """A remote placement and a Chinese national in China need no visa."""
    remote = visa_routes(
        suss,
        suss.candidate("suss-c01"),
        suss.position("suss-p05a"),
        DateRange.of_months(date(2021, 2, 1), 3),
    )
    assert not remote.needed and remote.verdict.codes == ("visa.exempt.remote.no_visa_needed",)
    national = visa_routes(
        ntu,
        ntu.candidate("ntu-c070"),
        ntu.position("ntu-p02"),
        DateRange.of_months(date(2020, 9, 1), 3),
    )
    assert not national.needed and national.verdict.eligible
    assert national.open_routes == ()


def test_missing_birth_date_is_undetermined(yes: Scenario) -> None:
    """Without a date of birth the YES age condition is UNDETERMINED and names the input."""
    c = attrs.evolve(yes.candidate("yes-sg-c01"), date_of_birth=None)
    p = yes.position("yes-cn-p03a")  # a host that is not well known: YES is the only route
    stay = DateRange.of_months(date(2020, 7, 1), 3)
    v = evaluate_option(yes, c, p, stay)
    assert v.outcome is Outcome.UNDETERMINED
    assert "candidate.date_of_birth" in v.missing
    assert_reasons_cited(v)


def test_recent_graduate_qualifies_for_yes(yes: Scenario) -> None:
    """A Singaporean who graduated less than a calendar year before the start qualifies for YES."""
    c = attrs.evolve(
        yes.candidate("yes-sg-c01"), study=StudyStatus(graduated_on=date(2019, 12, 31))
    )
    p = yes.position("yes-cn-p03a")
    ok = evaluate_option(yes, c, p, DateRange.of_months(date(2020, 7, 1), 3))
    assert ok.codes == ("visa.cn.yes.open", "option.programme_kind")
    late = attrs.evolve(c, available=DateRange(date(2020, 6, 1), date(2021, 6, 1)))
    v = evaluate_option(yes, late, p, DateRange.of_months(date(2021, 1, 1), 3))
    assert "visa.cn.yes.not_student_or_recent_graduate" in v.codes


def test_short_yes_stay_needs_no_work_permit(yes: Scenario) -> None:
    """A YES stay under 90 days needs the Z visa but no work permit."""
    c, p = yes.candidate("yes-sg-c01"), yes.position("yes-cn-p03a")
    short = visa_routes(yes, c, p, DateRange.of_months(date(2020, 7, 1), 2))
    long = visa_routes(yes, c, p, DateRange.of_months(date(2020, 7, 1), 3))
    assert "work_permit" not in short.open_routes[0].documents
    assert "work_permit" in long.open_routes[0].documents


def test_trace_explains_the_same_verdict(nus: Scenario) -> None:
    """explain_option's root verdict equals evaluate_option's, and lists every rule set tried."""
    c, p = nus.candidates[0], nus.positions[0]
    t = explain_option(nus, c, p, NUS_STAY)
    assert t.verdict == evaluate_option(nus, c, p, NUS_STAY)
    rules = {x.rule for x in t.walk()}
    assert {"placement.feasibility", "visa.cn", "visa.cn.s2", "visa.exempt.remote"} <= rules


def test_every_ntu_option_has_a_cited_verdict(ntu: Scenario, book: RuleBook) -> None:
    """Over every option of the NTU scenario, verdicts are cited and INELIGIBLE has reasons."""
    seen: set[Outcome] = set()
    for c in ntu.candidates[::7]:
        for p in ntu.positions[::3]:
            for start in p.start_options(c.available)[:2]:
                stay = stay_for(c, p, start, ntu.programme_index.get(p.programme or ""))
                if stay is None:
                    continue
                v = evaluate_option(ntu, c, p, stay, rulebook=book)
                assert_reasons_cited(v)
                seen.add(v.outcome)
    assert seen == {Outcome.ELIGIBLE, Outcome.INELIGIBLE}


def test_evaluate_candidate_lists_every_start(ntu: Scenario) -> None:
    """evaluate_candidate tries every start of each ranked position, as evaluate_option would."""
    from sgcq.rules import evaluate_candidate

    c = ntu.candidate("ntu-c040")
    results = evaluate_candidate(ntu, c)
    assert {r.position for r in results} == set(c.preferences)
    for r in results:
        p = ntu.position(r.position)
        assert r.start in p.start_options(c.available)
        if r.stay is None:
            assert r.verdict is None and not r.eligible
        else:
            assert r.verdict == evaluate_option(ntu, c, p, r.stay)
    assert any(r.eligible for r in results) and any(not r.eligible for r in results)
