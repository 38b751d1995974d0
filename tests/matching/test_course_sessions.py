"""Course sessions in the matcher: one position per session, its seats and the course's cap."""

from __future__ import annotations

from datetime import datetime, timezone

import attrs
import pytest

from sgcq.matching import Problem, Settings, match_scenario
from sgcq.models import QuotaDimension, Scenario
from sgcq.scenarios import load_scenario

SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=20.0)
AT = datetime(2021, 2, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def base() -> Scenario:
    """The bundled NTU China (West) Base scenario."""
    return load_scenario("ntu-west-base-2021")


def test_the_course_cap_is_a_field_quota_on_the_course_tag(base: Scenario) -> None:
    """The executive cohort's problem carries the course's cap as a quota on its tag."""
    course = base.course("ntu-west-executive-2021")
    problem = Problem.from_scenario(base, "exec-2021")
    quotas = [q for q in problem.constraints.quotas if q.key == course.tag]
    assert [(q.dimension, str(q.maximum)) for q in quotas] == [
        (QuotaDimension.FIELD, str(course.seats))
    ]
    sessions = {p.id: p for p in problem.positions if p.id in course.session_ids}
    assert set(sessions) == set(course.session_ids)
    assert all(course.tag in p.fields for p in sessions.values())


def test_placed_participants_get_the_certificate(base: Scenario) -> None:
    """Every executive placed in a session earns the course's certificate (one session needed)."""
    _, result = match_scenario(base, "exec-2021", SETTINGS)
    placed = result.to_placements(AT, cohort="exec-2021")
    assert placed, result
    awards = base.certificates(placed)
    assert {a.candidate for a in awards} == {p.candidate for p in placed}
    assert all(a.earned and a.certificate.startswith("Certificate in leadership") for a in awards)


def test_session_seats_and_the_course_cap_hold(base: Scenario) -> None:
    """A cap of 3 over the course and one seat in a session bound the placements."""
    course = base.course("ntu-west-executive-2021")
    one_seat = attrs.evolve(course.sessions[0], seats=1)
    tight = attrs.evolve(course, seats=3, sessions=(one_seat, *course.sessions[1:]))
    # Course.position gives the session's position; keep the others as they are.
    positions = [
        tight.position(next(x for x in tight.sessions if x.id == p.id))
        if p.id in tight.session_ids
        else p
        for p in base.positions
    ]
    scenario = attrs.evolve(base, positions=positions, courses=(base.courses[0], tight))
    _, result = match_scenario(scenario, "exec-2021", SETTINGS)
    by_position: dict[str, int] = {}
    for a in result.assignments:
        by_position[a.position] = by_position.get(a.position, 0) + 1
    assert sum(by_position.values()) == 3
    assert by_position.get(one_seat.id, 0) <= 1
