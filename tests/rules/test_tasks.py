"""Dated tasks of a placement: dates from the rule data, CSV, iCalendar parsed back, DataFrame."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, datetime, timedelta, timezone

import attrs
import icalendar
import pytest

from sgcq import frames
from sgcq.errors import MissingExtraError, ModelValidationError
from sgcq.matching import Problem, Settings, solve
from sgcq.models import DateRange, Document, Mode, Placement, Scenario
from sgcq.rules import TaskKind, stay_for, tasks_for, tasks_to_csv, tasks_to_ical
from sgcq.rules.tasks import CSV_COLUMNS
from sgcq.scenarios import load_scenario

STAMP = datetime(2020, 6, 1, 9, 0, tzinfo=timezone.utc)


def _ntu_placement() -> tuple[Scenario, Placement]:
    s = load_scenario("ntu-ydpg-2020")
    c = s.candidate("ntu-c001")
    p = s.position("ntu-p21")
    stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
    return s, Placement(c.id, p.id, stay, Mode.ON_SITE)


def test_a_yes_intern_gets_the_work_permit_within_15_days_and_the_cover_end() -> None:
    """A six-month YES internship: apply before arrival, work permit by arrival + 15 days
    (cited), the visa's longest stay and the housing cover's last day (28 Feb)."""
    s, pl = _ntu_placement()
    by = {t.kind: t for t in tasks_for(pl, s)}
    assert by[TaskKind.VISA_APPLICATION].due == date(2020, 8, 31)
    permit = by[TaskKind.WORK_PERMIT]
    assert permit.due == date(2020, 9, 16)
    assert permit.parameter == "visa.cn.yes.work_permit_deadline_days"
    assert permit.citation is not None and "yes.org.sg" in permit.citation.source
    assert by[TaskKind.HOUSING_COVER_ENDS].due == date(2021, 2, 28)
    assert by[TaskKind.VISA_STAY_ENDS].due == date(2021, 2, 28)


def test_a_short_yes_stay_needs_no_work_permit() -> None:
    """Under 90 days in the country the YES route asks for no work permit."""
    s, pl = _ntu_placement()
    short = attrs.evolve(pl, period=DateRange(date(2020, 9, 1), date(2020, 11, 1)))
    assert TaskKind.WORK_PERMIT not in {t.kind for t in tasks_for(short, s)}


def test_the_s2_route_asks_for_the_registration_form_before_arrival() -> None:
    """The Chongqing S2 route's application lists the registration form and invitation letter."""
    s = load_scenario("nus-ytp-2019")
    c, p = s.candidates[0], s.positions[0]
    stay = stay_for(c, p, p.start_options(c.available)[0])
    assert stay is not None
    [apply, ends] = tasks_for(Placement(c.id, p.id, stay, p.mode), s)
    assert apply.kind is TaskKind.VISA_APPLICATION and apply.due == stay.start - timedelta(1)
    assert "face_to_face_application_registration_form" in apply.detail
    assert "company_invitation_letter" in apply.detail
    assert ends.due == stay.start + timedelta(179)


def test_an_expiring_document_is_a_task() -> None:
    """A recorded passport that expires during the stay is due on its expiry."""
    s, pl = _ntu_placement()
    c = s.candidate(pl.candidate)
    passport = Document("passport", date(2011, 1, 1), date(2020, 12, 31))
    s = attrs.evolve(
        s,
        candidates=tuple(
            attrs.evolve(x, documents=(passport,)) if x.id == c.id else x for x in s.candidates
        ),
    )
    [doc] = [t for t in tasks_for(pl, s) if t.kind is TaskKind.DOCUMENT_EXPIRES]
    assert doc.due == date(2020, 12, 31) and "passport" in doc.title


def test_a_remote_placement_has_no_visa_or_cover_tasks() -> None:
    """Remote work needs no visa and holds no bed."""
    s, pl = _ntu_placement()
    assert tasks_for(attrs.evolve(pl, mode=Mode.REMOTE), s) == ()


def test_tasks_export_as_csv_ical_and_a_frame() -> None:
    """Every task of a whole match: the CSV rows, the iCalendar events (parsed back with the
    icalendar library) and the DataFrame rows agree."""
    s = load_scenario("ntu-ydpg-2020")
    result = solve(Problem.from_scenario(s), Settings(workers=1, seed=0))
    tasks = [t for pl in result.to_placements(STAMP)[:15] for t in tasks_for(pl, s)]
    assert tasks
    rows = list(csv.DictReader(io.StringIO(tasks_to_csv(tasks))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["candidate"], r["kind"], r["due"]) for r in rows] == [
        (t.candidate, t.kind.value, t.due.isoformat()) for t in tasks
    ]
    cal = icalendar.Calendar.from_ical(tasks_to_ical(tasks, stamp=STAMP))
    events = list(cal.walk("VEVENT"))
    assert [(e["UID"], e.decoded("DTSTART")) for e in events] == [(t.uid, t.due) for t in tasks]
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == timedelta(1) for e in events)
    assert str(events[0]["SUMMARY"]).endswith(tasks[0].title)
    df = frames.tasks(tasks)
    assert len(df) == len(tasks) and str(df["due"].dtype) == "datetime64[s]"


def test_ical_needs_a_time_zone_and_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """A naive stamp is refused; without icalendar the error names the extra."""
    s, pl = _ntu_placement()
    tasks = tasks_for(pl, s)
    with pytest.raises(ModelValidationError, match="stamp"):
        tasks_to_ical(tasks, stamp=datetime(2020, 6, 1))
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(MissingExtraError, match=r"sgcq\[ical\]"):
        tasks_to_ical(tasks, stamp=STAMP)
