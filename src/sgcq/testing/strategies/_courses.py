"""Strategies for courses with sessions and a certificate (:mod:`sgcq.models.courses`)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from sgcq.models import Certificate, Course, CourseSession, DateRange, Mode
from sgcq.testing.strategies._parties import locations

__all__ = ["courses"]


@st.composite
def courses(
    draw: st.DrawFn,
    *,
    id: str = "course0",
    host: str = "h0",
    max_sessions: int = 4,
    start: date = date(2021, 1, 4),
) -> Course:
    """Courses of ``host`` with 1 to ``max_sessions`` sessions one after another.

    Sessions are consecutive blocks (on site somewhere, or remote) inside the
    course's dates, with ids ``"<id>-s0"``, ``"<id>-s1"``, ...; the
    certificate needs every session or a drawn minimum, and the course may
    have a seat cap.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(courses())
    ... def test_one_position_per_session(c):
    ...     assert len(c.positions()) == len(c.sessions)
    >>> test_one_position_per_session()
    """
    n = draw(st.integers(1, max_sessions))
    day = start + timedelta(days=draw(st.integers(0, 30)))
    first = day
    sessions = []
    for i in range(n):
        length = draw(st.integers(1, 60))
        days = DateRange(day, day + timedelta(days=length))
        on_site = draw(st.booleans())
        sessions.append(
            CourseSession(
                f"{id}-s{i}",
                days,
                Mode.ON_SITE if on_site else Mode.REMOTE,
                draw(st.integers(1, 30)),
                draw(locations()) if on_site else None,
            )
        )
        day = days.end + timedelta(days=draw(st.integers(0, 20)))
    minimum = draw(st.none() | st.integers(1, n))
    required = draw(st.sets(st.sampled_from([s.id for s in sessions]), max_size=n))
    return Course(
        id,
        host,
        "course",
        draw(locations()),
        DateRange(first, sessions[-1].days.end + timedelta(days=draw(st.integers(0, 10)))),
        tuple(sessions),
        Certificate("certificate", minimum, frozenset(required)),
        seats=draw(st.none() | st.integers(1, 60)),
    )
