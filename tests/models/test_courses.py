"""Tests of courses: sessions, seats, the certificate, positions, documents and views."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given

from sgcq import serialization as ser
from sgcq.models import (
    Certificate,
    CertificateAward,
    Course,
    CourseSession,
    DateRange,
    Location,
    Mode,
    ModelValidationError,
    Placement,
    PlacementStatus,
    StatusChange,
)
from sgcq.scenarios import load_scenario
from sgcq.serialization import json_schema
from sgcq.testing import strategies as sst

SG = Location("SG", "Singapore")
CN = Location("CN", "Chongqing")


def _r(a: tuple[int, int, int], b: tuple[int, int, int]) -> DateRange:
    return DateRange(date(*a), date(*b))


def _course(**kw: Any) -> Course:
    fields: dict[str, Any] = dict(
        id="mm",
        host="ntu",
        title="MiniMasters",
        location=SG,
        days=_r((2021, 3, 1), (2021, 9, 1)),
        sessions=(
            CourseSession("mm-base", _r((2021, 7, 12), (2021, 9, 1)), Mode.ON_SITE, 20, CN),
            CourseSession("mm-campus", _r((2021, 3, 1), (2021, 4, 12)), Mode.ON_SITE, 20, SG),
            CourseSession("mm-online", _r((2021, 4, 12), (2021, 7, 12)), Mode.REMOTE, 40),
        ),
        certificate=Certificate("MiniMasters certificate", min_sessions=2),
        seats=28,
    )
    fields.update(kw)
    return Course(**fields)


def _error(build: Callable[[], object]) -> str:
    with pytest.raises(ModelValidationError) as info:
        build()
    return str(info.value)


def test_sessions_are_kept_in_order_of_their_start() -> None:
    """The sessions are sorted by start whatever order they are given in."""
    assert _course().session_ids == ("mm-campus", "mm-online", "mm-base")


def test_one_position_per_session_with_its_seats_dates_and_place() -> None:
    """Each session is a position of its id: its seats, one start, its exact days, its place."""
    course = _course()
    positions = course.positions()
    assert [p.id for p in positions] == list(course.session_ids)
    for s, p in zip(course.sessions, positions, strict=True):
        assert p.seats == s.seats
        assert p.start_options(course.days) == (s.days.start,)
        assert p.admits(s.days)
        assert not p.admits(DateRange(s.days.start, s.days.end + timedelta(days=1)))
        assert p.mode is s.mode
        assert course.tag in p.fields
        assert p.host == "ntu"
    online = positions[1]
    assert online.mode is Mode.REMOTE and online.location == SG  # the host's place
    assert positions[2].location == CN


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            {"days": _r((2021, 3, 1), (2021, 8, 1))},
            "sessions[2].days",
            "outside the course's dates",
        ),
        ({"seats": 0}, "seats", "must be positive"),
        (
            {"certificate": Certificate("c", min_sessions=4)},
            "certificate.min_sessions",
            "needs 4 sessions; the course has 3",
        ),
        (
            {"certificate": Certificate("c", required_sessions={"mm-x"})},
            "certificate.required_sessions",
            "mm-x",
        ),
        ({"id": "MM"}, "id", "lower case"),
        ({"sessions": ()}, "sessions", "at least one session"),
    ],
)
def test_invalid_courses_are_refused_naming_the_field(
    change: dict[str, Any], path: str, words: str
) -> None:
    """Dates outside the course, seats below 1, an impossible certificate: clear errors."""
    message = _error(lambda: _course(**change))
    assert path in message and words in message


def test_a_session_needs_seats_and_a_place_that_fits_its_mode() -> None:
    """Seats below 1, a remote session with a place, an on-site one without, hybrid: refused."""
    days = _r((2021, 3, 1), (2021, 3, 8))
    assert "seats" in _error(lambda: CourseSession("s", days, Mode.ON_SITE, 0, SG))
    assert "location" in _error(lambda: CourseSession("s", days, Mode.REMOTE, 1, SG))
    assert "location" in _error(lambda: CourseSession("s", days, Mode.ON_SITE, 1))
    assert "hybrid" in _error(lambda: CourseSession("s", days, Mode.HYBRID, 1, SG))


def test_overlapping_sessions_are_an_error_only_when_the_certificate_needs_both() -> None:
    """Parallel groups may overlap; sessions a participant must attend together may not."""
    a = CourseSession("a", _r((2021, 3, 1), (2021, 3, 20)), Mode.ON_SITE, 5, SG)
    b = CourseSession("b", _r((2021, 3, 10), (2021, 3, 30)), Mode.ON_SITE, 5, CN)
    span = _r((2021, 3, 1), (2021, 4, 1))
    parallel = _course(days=span, sessions=(a, b), certificate=Certificate("c", min_sessions=1))
    assert parallel.required == 1
    message = _error(lambda: _course(days=span, sessions=(a, b), certificate=Certificate("c")))
    assert "overlap" in message and "a [2021-03-01" in message
    both = Certificate("c", min_sessions=1, required_sessions={"a", "b"})
    assert "overlap" in _error(lambda: _course(days=span, sessions=(a, b), certificate=both))


def test_award_counts_sessions_and_required_ones() -> None:
    """Two of three sessions earn the certificate; one does not; a required one must be there."""
    course = _course()
    assert course.award("c1", ["mm-campus", "mm-base"]).earned
    one = course.award("c1", ["mm-campus"])
    assert not one.earned and one.attended == ("mm-campus",) and one.required == 2
    strict = _course(certificate=Certificate("c", min_sessions=2, required_sessions={"mm-base"}))
    missing = strict.award("c1", ["mm-campus", "mm-online"])
    assert not missing.earned and missing.missing_sessions == ("mm-base",)
    assert "missing mm-base" in str(missing)
    assert "not sessions of mm" in _error(lambda: course.award("c1", ["nope"]))


def test_every_session_is_needed_by_default() -> None:
    """A certificate with no minimum needs every session."""
    course = _course(certificate=Certificate("c"))
    assert course.required == 3
    assert not course.award("c", ["mm-campus", "mm-base"]).earned
    assert course.award("c", course.session_ids).earned


def test_scenario_checks_that_each_session_has_its_position() -> None:
    """A course whose session position is missing or differs is refused, naming the session."""
    s = load_scenario("ntu-west-base-2021")
    course = s.courses[0]
    without = [p for p in s.positions if p.id != course.sessions[0].id]
    message = _error(lambda: attrs.evolve(s, positions=without))
    assert "courses[0].sessions[0]" in message and "no position" in message
    changed = [
        attrs.evolve(p, seats=p.seats + 1) if p.id == course.sessions[0].id else p
        for p in s.positions
    ]
    assert "not the session's position" in _error(lambda: attrs.evolve(s, positions=changed))
    bare = attrs.evolve(
        s,
        courses=s.courses[1:],
        positions=[p for p in s.positions if p.id not in course.session_ids],
    )
    again = bare.with_courses(course)
    assert again.courses == (*s.courses[1:], course)
    assert {p.id for p in again.positions} == {p.id for p in s.positions}


def test_scenario_certificates_from_placements() -> None:
    """Placements in sessions earn certificates; withdrawn ones do not count."""
    s = load_scenario("ntu-west-base-2021")
    mm = s.course("ntu-minimasters-2021")
    at = datetime(2021, 1, 15, tzinfo=timezone.utc)

    def placed(cand: str, sid: str, status: PlacementStatus = PlacementStatus.OFFERED) -> Placement:
        session = next(x for x in mm.sessions if x.id == sid)
        return Placement(
            cand,
            sid,
            session.days,
            session.mode,
            status=status,
            history=(StatusChange(status, at),),
        )

    awards = s.certificates(
        [
            placed("mm-cn01", "mm-campus-2021"),
            placed("mm-cn01", "mm-base-2021"),
            placed("mm-cn02", "mm-campus-2021"),
            placed("mm-cn02", "mm-base-2021", PlacementStatus.WITHDRAWN),
            Placement("mm-cn03", "minimasters-campus", _r((2021, 3, 1), (2021, 9, 1)), Mode.HYBRID),
        ]
    )
    assert [(a.candidate, a.earned) for a in awards] == [("mm-cn01", True), ("mm-cn02", False)]
    assert all(isinstance(a, CertificateAward) for a in awards)


def test_course_repr_and_html_view() -> None:
    """A one-line repr with counts; an escaped HTML view listing the sessions."""
    course = _course(title="MiniMasters <hybrid>")
    assert repr(course).startswith("<Course mm: 3 sessions, 28 seats in all")
    view = course._repr_html_()
    assert 'class="sgcq sgcq-course"' in view
    assert "&lt;hybrid&gt;" in view and "mm-online" in view and "remote" in view
    scenario_view = load_scenario("ntu-west-base-2021")._repr_html_()
    assert "Courses" in scenario_view and "ntu-west-executive-2021" in scenario_view


def test_course_documents_round_trip_and_meet_their_schema(
    schema_errors: Callable[[Any], list[str]],
) -> None:
    """JSON and TOML documents of a course read back equal and validate against `course`."""
    course = _course()
    assert ser.loads_json(ser.dumps_json(course), Course) == course
    assert ser.loads_toml(ser.dumps_toml(course), Course) == course
    assert schema_errors(json.loads(ser.dumps_json(course))) == []
    schema = json_schema("course")
    assert "sessions" in json.dumps(schema) and "certificate" in json.dumps(schema)


@given(course=sst.courses())
def test_drawn_courses_round_trip_and_give_one_position_per_session(course: Course) -> None:
    """Every drawn course round-trips through JSON and each session's position admits its days."""
    assert ser.loads_json(ser.dumps_json(course), Course) == course
    positions = course.positions()
    assert [p.id for p in positions] == list(course.session_ids)
    assert all(
        p.admits(s.days) and p.seats == s.seats
        for s, p in zip(course.sessions, positions, strict=True)
    )
    assert course.award("x", course.session_ids).earned


def test_scenario_checks_a_course_s_host_programme_and_ids() -> None:
    """An unknown host or programme and a repeated course id are reported with their paths."""
    s = load_scenario("ntu-west-base-2021")
    course = s.courses[0]
    odd = attrs.evolve(course, host="nobody", programme="none-such")
    message = _error(lambda: attrs.evolve(s, courses=(odd, *s.courses[1:])))
    assert "courses[0].host" in message and "unknown organisation 'nobody'" in message
    assert "courses[0].programme" in message and "unknown programme 'none-such'" in message
    twice = _error(lambda: attrs.evolve(s, courses=(*s.courses, course)))
    assert "courses[2].id" in twice and "duplicate id" in twice
    assert s.course_of("exec-base") is s.course("ntu-west-executive-2021")
    assert s.course_of("minimasters-sg") is None
    with pytest.raises(KeyError, match="no course with id 'x'"):
        s.course("x")
