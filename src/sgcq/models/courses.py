"""Courses with dated sessions, seats and a certificate outcome.

The NTU China (West) Base runs a MiniMasters with hybrid classes at the NTU
campus in Singapore and at the Base in Chongqing, and certification and
executive courses (source: NTU press release, 8 Dec 2020). A :class:`Course`
holds such an offering: its sessions (each dated, on site at one place or
remote, with its own seats), an optional seat cap over all sessions, and what
a participant gets on completion (:class:`Certificate`).

The matcher sees a course through :meth:`Course.positions`: one
:class:`~sgcq.models.Position` per session, which a scenario lists among its
positions (decision 0022).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise
from typing import Any

import attrs

from sgcq.models import _html
from sgcq.models import _validate as v
from sgcq.models.candidates import tags
from sgcq.models.dates import DateRange, Duration, DurationBounds, DurationUnit
from sgcq.models.limits import MAX_DURATION_DAYS
from sgcq.models.modes import Mode
from sgcq.models.parties import Location
from sgcq.models.positions import Position, StartDates

__all__ = ["Certificate", "CertificateAward", "Course", "CourseSession"]


def _session_mode(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.instance_of(Mode)(_inst, attribute, value)
    v.check(
        value is not Mode.HYBRID,
        attribute.name,
        "a session is on site or remote; a hybrid course is made of sessions of both",
    )


@attrs.frozen
class CourseSession:
    """One dated session of a course: on site at one place, or remote.

    Parameters
    ----------
    id
        Unique among the scenario's positions (the session becomes a position
        of that id, :meth:`Course.positions`).
    days
        The session's half-open days.
    mode
        ``Mode.ON_SITE`` or ``Mode.REMOTE`` (never hybrid).
    seats
        How many participants it takes; at least 1.
    location
        Where an on-site session is held (the NTU campus in Singapore, the
        Base in Chongqing); a remote session has none.
    title
        A display title, e.g. ``"campus block"``.
    """

    id: str = attrs.field(validator=v.identifier)
    days: DateRange = attrs.field(validator=v.instance_of(DateRange))
    mode: Mode = attrs.field(validator=_session_mode)
    seats: int = attrs.field(validator=[v.instance_of(int), v.positive])
    location: Location | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Location))
    )
    title: str = attrs.field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        v.check(
            (self.mode is Mode.ON_SITE) == (self.location is not None),
            "location",
            "an on-site session has a location and a remote one has none",
        )
        v.check(
            self.days.days <= MAX_DURATION_DAYS,
            "days",
            f"a session lasts at most {MAX_DURATION_DAYS} days, got {self.days.days}",
        )

    @property
    def country(self) -> str | None:
        """The country of an on-site session, ``None`` for a remote one."""
        return self.location.country if self.location is not None else None


@attrs.frozen
class Certificate:
    """What a participant gets on completing a course, and the condition for it.

    Parameters
    ----------
    name
        The certificate's name.
    min_sessions
        How many of the course's sessions a participant must attend; ``None``
        means every session.
    required_sessions
        Ids of sessions that must be among those attended (e.g. the block at
        the Base), whatever the count.

    Examples
    --------
    >>> Certificate("Certificate of completion", min_sessions=1).min_sessions
    1
    """

    name: str = attrs.field(validator=v.text)
    min_sessions: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.positive])
    )
    required_sessions: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(str)
    )


@attrs.frozen
class CertificateAward:
    """Whether one participant's sessions of a course earn its certificate.

    Parameters
    ----------
    candidate
        The participant.
    course
        The course's id.
    certificate
        The certificate's name.
    attended
        The ids of the sessions counted, in the course's order.
    required
        How many sessions the certificate needs.
    missing_sessions
        Required sessions not attended, in the course's order.
    """

    candidate: str
    course: str
    certificate: str
    attended: tuple[str, ...]
    required: int
    missing_sessions: tuple[str, ...] = ()

    @property
    def earned(self) -> bool:
        """Whether the condition holds: enough sessions and every required one."""
        return len(self.attended) >= self.required and not self.missing_sessions

    def __str__(self) -> str:
        state = "earned" if self.earned else "not earned"
        more = f"; missing {', '.join(self.missing_sessions)}" if self.missing_sessions else ""
        return (
            f"{self.candidate}: {self.certificate} ({self.course}) {state}: "
            f"{len(self.attended)} of {self.required} session(s){more}"
        )


def _sessions(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(CourseSession)(_inst, attribute, value)
    v.check(bool(value), attribute.name, "a course needs at least one session")
    v.unique_ids(attribute.name, value)


def _course_id(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # The id also tags the course's positions (Course.tag), so it is a tag.
    v.identifier(_inst, attribute, value)
    tags(_inst, attribute, frozenset({value}))


def _by_start(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and all(isinstance(s, CourseSession) for s in value):
        return tuple(sorted(value, key=lambda s: (s.days.start, s.days.end, s.id)))
    return v.to_tuple(value)


@attrs.frozen(repr=False)
class Course:
    """A course a host offers in dated sessions, with seats and a certificate.

    Parameters
    ----------
    id
        Unique among the scenario's courses; lower-case letters, digits and
        ``_.+-`` (it tags the course's positions, :attr:`tag`).
    host
        Id of the host organisation (NTU, the Base).
    title
        Display title.
    location
        Where the host is; a remote session's position is located here.
    days
        The course's half-open dates; every session lies inside them.
    sessions
        At least one, with unique ids; kept in order of their start.
    certificate
        What a participant gets on completion, and the condition for it.
    seats
        At most this many participants over all sessions, if the course
        has a cap; at least 1.
    programme
        Id of the programme the course belongs to, if any.
    fields
        Field tags of the course, e.g. ``"technopreneurship"``.
    hours_per_week
        The contact hours a week of a session.

    Raises
    ------
    ModelValidationError
        On a session outside the course's dates, a certificate that needs more
        sessions than there are or names an unknown session, or sessions that
        overlap although the certificate needs a participant in both.

    Examples
    --------
    >>> from datetime import date
    >>> campus, base = Location("SG", "Singapore"), Location("CN", "Chongqing")
    >>> course = Course(
    ...     "mm", "ntu", "MiniMasters", campus, DateRange(date(2021, 3, 1), date(2021, 9, 1)),
    ...     (CourseSession("mm-campus", DateRange(date(2021, 3, 1), date(2021, 4, 12)),
    ...                    Mode.ON_SITE, 20, campus),
    ...      CourseSession("mm-base", DateRange(date(2021, 7, 12), date(2021, 9, 1)),
    ...                    Mode.ON_SITE, 20, base)),
    ...     Certificate("MiniMasters certificate", min_sessions=1), seats=30)
    >>> [(p.id, p.location.country, p.seats) for p in course.positions()]
    [('mm-campus', 'SG', 20), ('mm-base', 'CN', 20)]
    >>> course.award("c1", ["mm-base"]).earned
    True
    """

    id: str = attrs.field(validator=_course_id)
    host: str = attrs.field(validator=v.identifier)
    title: str = attrs.field(validator=v.text)
    location: Location = attrs.field(validator=v.instance_of(Location))
    days: DateRange = attrs.field(validator=v.instance_of(DateRange))
    sessions: tuple[CourseSession, ...] = attrs.field(converter=_by_start, validator=_sessions)
    certificate: Certificate = attrs.field(validator=v.instance_of(Certificate))
    seats: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.positive])
    )
    programme: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    fields: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=tags
    )
    hours_per_week: Decimal = attrs.field(
        default=Decimal(40), converter=v.to_decimal, validator=v.instance_of(Decimal)
    )

    def __attrs_post_init__(self) -> None:
        v.check(
            Decimal(0) < self.hours_per_week <= Decimal(84),
            "hours_per_week",
            f"must be in (0, 84], got {self.hours_per_week}",
        )
        for i, s in enumerate(self.sessions):
            v.check(
                self.days.contains_range(s.days),
                f"sessions[{i}].days",
                f"session {s.id} {s.days} lies outside the course's dates {self.days}",
            )
        ids = [s.id for s in self.sessions]
        cert = self.certificate
        unknown = sorted(cert.required_sessions - set(ids))
        v.check(
            not unknown,
            "certificate.required_sessions",
            f"names sessions the course does not have: {', '.join(unknown)}",
        )
        v.check(
            cert.min_sessions is None or cert.min_sessions <= len(ids),
            "certificate.min_sessions",
            f"needs {cert.min_sessions} sessions; the course has {len(ids)}",
        )
        # A participant cannot be in two sessions at once: sessions the
        # certificate needs together must not overlap.
        together = (
            self.sessions
            if cert.min_sessions is None
            else tuple(s for s in self.sessions if s.id in cert.required_sessions)
        )
        for a, b in pairwise(together):  # sorted by start: neighbours suffice
            v.check(
                not a.days.overlaps(b.days),
                "sessions",
                f"sessions {a.id} {a.days} and {b.id} {b.days} overlap, but the certificate "
                "needs a participant in both",
            )

    @property
    def tag(self) -> str:
        """The field tag every position of the course carries: ``course.<id>``.

        A quota on this tag (``QuotaDimension.FIELD``) is how the course's
        :attr:`seats` cap reaches the matcher.
        """
        return f"course.{self.id}"

    @property
    def session_ids(self) -> tuple[str, ...]:
        """The ids of the sessions, in order."""
        return tuple(s.id for s in self.sessions)

    @property
    def required(self) -> int:
        """How many sessions the certificate needs (at least its required sessions)."""
        n = self.certificate.min_sessions
        count = len(self.sessions) if n is None else n
        return max(count, len(self.certificate.required_sessions))

    def position(self, session: CourseSession) -> Position:
        """Return the position of ``session``: its seats, dates, mode and place.

        The position has the session's id, starts on the session's first day
        and lasts exactly its days; a remote session is located at
        :attr:`location`. It carries :attr:`tag` among its fields.
        """
        name = session.title or session.id
        return Position(
            id=session.id,
            host=self.host,
            title=f"{self.title}: {name}",
            fields=self.fields | {self.tag},
            seats=session.seats,
            mode=session.mode,
            location=session.location if session.location is not None else self.location,
            starts=StartDates((session.days.start,)),
            duration=DurationBounds.fixed(Duration(session.days.days, DurationUnit.DAYS)),
            hours_per_week=self.hours_per_week,
            programme=self.programme,
        )

    def positions(self) -> tuple[Position, ...]:
        """Return one position per session, in session order (see :meth:`position`)."""
        return tuple(self.position(s) for s in self.sessions)

    def award(self, candidate: str, sessions: Iterable[str]) -> CertificateAward:
        """Return whether attending ``sessions`` earns ``candidate`` the certificate.

        Raises
        ------
        ModelValidationError
            If a session id is not one of the course's.
        """
        given = set(sessions)
        unknown = sorted(given - set(self.session_ids))
        v.check(not unknown, "sessions", f"not sessions of {self.id}: {', '.join(unknown)}")
        attended = tuple(i for i in self.session_ids if i in given)
        missing = tuple(
            i
            for i in self.session_ids
            if i in self.certificate.required_sessions and i not in given
        )
        return CertificateAward(
            candidate, self.id, self.certificate.name, attended, self.required, missing
        )

    def __repr__(self) -> str:
        cap = f", {_html.plural(self.seats, 'seat')} in all" if self.seats is not None else ""
        return (
            f"<Course {self.id}: {_html.plural(len(self.sessions), 'session')}{cap}, "
            f"{self.days}, certificate {self.certificate.name!r}>"
        )

    def _repr_html_(self) -> str:
        """Return the notebook view: the course, its certificate and its sessions."""
        cert = self.certificate
        need = "every session" if cert.min_sessions is None else f"{cert.min_sessions} session(s)"
        if cert.required_sessions:
            need += " including " + ", ".join(sorted(cert.required_sessions))
        return _html.view(
            "course",
            f"Course {self.id}: {self.title}",
            _html.note(f"host {self.host}, {self.days}"),
            _html.note(f"certificate: {cert.name} (attend {need})"),
            _html.note(f"seats in all: {self.seats}") if self.seats is not None else "",
            _html.html_table(
                ("session", "days", "mode", "where", "seats"),
                (
                    (s.id, s.days, s.mode.value, s.location or "remote", s.seats)
                    for s in self.sessions
                ),
                caption="Sessions",
            ),
        )
