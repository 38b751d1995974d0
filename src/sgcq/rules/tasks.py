"""Dated obligations of a placement: what is due before arrival, after it, and when cover ends.

:func:`tasks_for` reads a placement's visa route, housing cover and the
candidate's documents and returns :class:`Task` records, each dated and,
where the date comes from the rule data, citing the parameter's source:

* the visa application with the route's documents, due the day before
  arrival (for the Chongqing S2 route: the face-to-face application
  registration form, the company's invitation letter and the other
  materials);
* a work permit within ``work_permit_deadline_days`` of arrival, on a
  route that has one and for a stay of at least ``work_permit_min_days``
  (YES: 15 days, for internships of 90 days or more);
* a residence permit within ``residence_permit_deadline_days`` of entry
  (the work route: 30 days);
* the last day the route's longest stay allows (``max_stay_days`` or
  ``max_stay_months`` from arrival);
* the last day of the housing-and-meals cover;
* every document of the candidate's record that expires before the stay
  ends.

The tasks export as CSV text (:func:`tasks_to_csv`), an iCalendar file
(:func:`tasks_to_ical`, the ``ical`` extra) and a DataFrame
(:func:`sgcq.frames.tasks`).

Examples
--------
>>> from datetime import datetime, timezone
>>> from sgcq.models import Placement
>>> from sgcq.rules import stay_for
>>> from sgcq.scenarios import load_scenario
>>> s = load_scenario("nus-ytp-2019")
>>> c, p = s.candidates[0], s.positions[0]
>>> stay = stay_for(c, p, p.start_options(c.available)[0])
>>> [t.kind.value for t in tasks_for(Placement(c.id, p.id, stay, p.mode), s)]
['visa_application', 'visa_stay_ends']
"""

from __future__ import annotations

import csv
import importlib
import io
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import Enum

import attrs

from sgcq.errors import MissingExtraError
from sgcq.models import Citation, DateRange, Mode, Placement, Scenario
from sgcq.models import _validate as v
from sgcq.rules._dates import plus_months
from sgcq.rules.book import RuleBook
from sgcq.rules.evaluate import default_rulebook, visa_routes
from sgcq.rules.housing import on_site_parts, split_cover

__all__ = ["CSV_COLUMNS", "Task", "TaskKind", "tasks_for", "tasks_to_csv", "tasks_to_ical"]

#: The columns of :func:`tasks_to_csv`, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "candidate",
    "position",
    "kind",
    "due",
    "title",
    "detail",
    "parameter",
    "source",
)


class TaskKind(str, Enum):
    """What a task is about."""

    VISA_APPLICATION = "visa_application"
    WORK_PERMIT = "work_permit"
    RESIDENCE_PERMIT = "residence_permit"
    VISA_STAY_ENDS = "visa_stay_ends"
    HOUSING_COVER_ENDS = "housing_cover_ends"
    DOCUMENT_EXPIRES = "document_expires"


@attrs.frozen
class Task:
    """One dated obligation of a placement.

    Parameters
    ----------
    candidate, position
        The placement's pair.
    kind
        What it is about.
    due
        The day it is due (or, for an end, the last day that counts).
    title
        One line for people.
    detail
        More, with the numbers.
    parameter
        The rule parameter the date comes from, if any.
    citation
        That parameter's source, if any.
    """

    candidate: str = attrs.field(validator=v.identifier)
    position: str = attrs.field(validator=v.identifier)
    kind: TaskKind = attrs.field(validator=v.instance_of(TaskKind))
    due: date = attrs.field(validator=v.instance_of(date))
    title: str = attrs.field(validator=v.text)
    detail: str = attrs.field(default="", validator=v.instance_of(str))
    parameter: str | None = None
    citation: Citation | None = None

    @property
    def uid(self) -> str:
        """A stable identifier: the pair, the kind and the date."""
        return f"{self.candidate}.{self.position}.{self.kind.value}.{self.due.isoformat()}@sgcq"


def _limit(facts: Iterable[tuple[str, str]], suffix: str) -> tuple[str, int] | None:
    for name, value in facts:
        if name.endswith(suffix):
            try:
                return name, int(value)
            except ValueError:
                return None
    return None


def tasks_for(
    placement: Placement,
    scenario: Scenario,
    *,
    rulebook: RuleBook | None = None,
) -> tuple[Task, ...]:
    """Return the dated obligations of ``placement``, in date order.

    Parameters
    ----------
    placement
        The placement; its candidate and position are looked up in ``scenario``.
    scenario
        Where the candidate, position, programme and host come from.
    rulebook
        The rules; :func:`~sgcq.rules.default_rulebook` by default. Their
        parameters are looked up as of the stay's start.

    Returns
    -------
    tuple of Task
        By due date, then kind. A placement that needs no visa (remote, or a
        national of the host country) has no visa tasks; one without housing
        cover has no cover task. When no visa route is open for the stay the
        tasks say so with a single visa task due before arrival.

    Raises
    ------
    KeyError
        If the placement's candidate or position is not in ``scenario``.
    """
    book = rulebook if rulebook is not None else default_rulebook()
    cand = scenario.candidate(placement.candidate)
    pos = scenario.position(placement.position)
    if pos.mode is not placement.mode:
        # The placement's mode decides (a remote placement of an on-site position needs no visa).
        remote = placement.mode is Mode.REMOTE
        pos = attrs.evolve(pos, mode=placement.mode, housing_cover=pos.housing_cover and not remote)
    programme = scenario.programme_index.get(pos.programme) if pos.programme else None
    stay = placement.period
    params = book.parameters
    out: list[Task] = []

    def task(
        kind: TaskKind, due: date, title: str, detail: str = "", parameter: str | None = None
    ) -> None:
        cite = None
        if parameter is not None:
            record = params.lookup(parameter, stay.start)
            cite = record.reference if record is not None else None
        out.append(Task(cand.id, pos.id, kind, due, title, detail, parameter, cite))

    parts = on_site_parts(pos, stay)
    if parts:
        # A stay in segments arrives with its first on-site segment and leaves
        # with its last; the days in the country are the segments' sum.
        on_site = DateRange(parts[0].start, parts[-1].end)
        days_in = sum(part.days for part in parts)
        # The route is chosen on the rules alone: the documents are what the
        # tasks ask for, so the record's gaps must not hide the route.
        bare = attrs.evolve(cand, documents=())
        visas = visa_routes(scenario, bare, pos, stay, programme=programme, rulebook=book)
        arrival = on_site.start
        if visas.needed and visas.open_routes:
            route = visas.open_routes[0]
            limits = [(f.name, f.value) for f in route.limits]
            task(
                TaskKind.VISA_APPLICATION,
                arrival - timedelta(days=1),
                f"apply for the {route.visa} before arrival on {arrival.isoformat()}",
                f"{route.title}; documents: {', '.join(route.documents) or 'none'}",
                f"{route.route}.documents",
            )
            permit = _limit(limits, ".work_permit_deadline_days")
            floor = _limit(limits, ".work_permit_min_days")
            if permit is not None and (floor is None or days_in >= floor[1]):
                task(
                    TaskKind.WORK_PERMIT,
                    arrival + timedelta(days=permit[1]),
                    f"obtain the work permit within {permit[1]} days of arrival",
                    f"the stay in the country {on_site} is {days_in} days"
                    + (f" (at least {floor[1]})" if floor else ""),
                    permit[0],
                )
            residence = _limit(limits, ".residence_permit_deadline_days")
            if residence is not None:
                task(
                    TaskKind.RESIDENCE_PERMIT,
                    arrival + timedelta(days=residence[1]),
                    f"apply for the residence permit within {residence[1]} days of entry",
                    "",
                    residence[0],
                )
            days = _limit(limits, ".max_stay_days")
            months = _limit(limits, ".max_stay_months")
            if days is not None:
                task(
                    TaskKind.VISA_STAY_ENDS,
                    arrival + timedelta(days=days[1] - 1),
                    f"last day of the longest stay the {route.visa} allows ({days[1]} days)",
                    f"the placement's stay in the country ends on {on_site.last_day.isoformat()}",
                    days[0],
                )
            elif months is not None:
                task(
                    TaskKind.VISA_STAY_ENDS,
                    plus_months(arrival, months[1]) - timedelta(days=1),
                    f"last day of the longest stay the {route.visa} allows ({months[1]} months)",
                    f"the placement's stay in the country ends on {on_site.last_day.isoformat()}",
                    months[0],
                )
        elif visas.needed:
            codes = ", ".join(visas.verdict.codes) or "none"
            task(
                TaskKind.VISA_APPLICATION,
                arrival - timedelta(days=1),
                f"no visa route is open for arrival on {arrival.isoformat()}",
                f"the visa verdict is {visas.verdict.outcome.value} ({codes})",
            )
    terms = programme.benefits.housing if programme is not None else None
    split = split_cover(pos, stay, terms)
    if split.covered is not None and terms is not None:
        tail = (
            f"; the stay goes on uncovered until {split.uncovered.last_day.isoformat()}"
            if split.uncovered is not None
            else ""
        )
        task(
            TaskKind.HOUSING_COVER_ENDS,
            split.covered.last_day,
            f"last day of the housing and meals cover paid by {terms.payer}",
            f"up to {terms.max_months} months from the start {stay.start.isoformat()}{tail}",
            "housing.cover.in_force",
        )
    for d in cand.documents:
        if d.expires_on is not None and d.expires_on < stay.last_day:
            task(
                TaskKind.DOCUMENT_EXPIRES,
                d.expires_on,
                f"the candidate's {d.kind} expires before the stay ends",
                f"the stay {stay} ends on {stay.last_day.isoformat()}",
            )
    return tuple(sorted(out, key=lambda t: (t.due, list(TaskKind).index(t.kind))))


def tasks_to_csv(tasks: Iterable[Task]) -> str:
    """Return the tasks as CSV text with the header :data:`CSV_COLUMNS`.

    Examples
    --------
    >>> t = Task("c1", "p1", TaskKind.WORK_PERMIT, date(2020, 9, 16), "obtain the work permit")
    >>> print(tasks_to_csv([t]).splitlines()[1])
    c1,p1,work_permit,2020-09-16,obtain the work permit,,,
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for t in tasks:
        w.writerow(
            (
                t.candidate,
                t.position,
                t.kind.value,
                t.due.isoformat(),
                t.title,
                t.detail,
                t.parameter or "",
                str(t.citation) if t.citation is not None else "",
            )
        )
    return buf.getvalue()


def tasks_to_ical(tasks: Iterable[Task], *, stamp: datetime, name: str = "sgcq tasks") -> bytes:
    """Return the tasks as an iCalendar (RFC 5545) file: one all-day event per task.

    Needs the ``icalendar`` package (``pip install "sgcq[ical]"``).

    Parameters
    ----------
    tasks
        The tasks.
    stamp
        The ``DTSTAMP`` of every event (with a time zone): when the file was
        made, supplied by the caller so that the output is reproducible.
    name
        The calendar's name (``X-WR-CALNAME``).

    Raises
    ------
    MissingExtraError
        If ``icalendar`` is not installed.
    ModelValidationError
        If ``stamp`` has no time zone.
    """
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        v.fail("stamp", "timestamps must carry a time zone (e.g. +08:00)")
    try:
        ical = importlib.import_module("icalendar")
    except ImportError:
        raise MissingExtraError("sgcq.rules.tasks_to_ical", "icalendar", "ical") from None
    cal = ical.Calendar()
    cal.add("prodid", "-//sgcq//tasks//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for t in tasks:
        ev = ical.Event()
        ev.add("uid", t.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", t.due)
        ev.add("dtend", t.due + timedelta(days=1))
        ev.add("summary", f"{t.candidate} {t.position}: {t.title}")
        description = t.detail
        if t.citation is not None:
            description = f"{description}\n{t.citation}" if description else str(t.citation)
        if description:
            ev.add("description", description)
        ev.add("categories", [t.kind.value])
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data
