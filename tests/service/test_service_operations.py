"""POST /rounds, /tasks and /progress: running a programme after the match, over HTTP."""

from __future__ import annotations

import csv
import http.client
import io
import sys
from datetime import date, datetime, timezone
from typing import Any

import attrs
import icalendar
import jsonschema
import pytest
from service_http import Client, Server

from sgcq.matching import Problem, Response, RoundRecord, Settings, Standing, offer_round
from sgcq.models import Placement, PlacementStatus, Scenario
from sgcq.rules import progress, tasks_for, tasks_to_csv, tasks_to_ical
from sgcq.scenarios import load_scenario
from sgcq.serialization import from_data, to_data
from sgcq.service import openapi_document

SMALL = "nus-ytp-2019"  # 19 candidates, solved by min-cost flow in milliseconds
SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=20.0)
#: What the module's server solves with (conftest: time limits of 60 s).
SERVED = attrs.evolve(SETTINGS, time_limit=60.0, log=False)
AT1 = datetime(2020, 6, 1, 9, 0, tzinfo=timezone.utc)
AT2 = datetime(2020, 6, 8, 9, 0, tzinfo=timezone.utc)


def _errors(reply: Any) -> list[tuple[str, str]]:
    return [(e["path"], e["message"]) for e in reply.body["errors"]]


def _valid(name: str, body: Any) -> bool:
    root = {"components": openapi_document()["components"]}
    validator = jsonschema.Draft202012Validator({**root, "$ref": f"#/components/schemas/{name}"})
    return validator.is_valid(body)


def _round_body(scenario: Scenario, number: int, at: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "scenario": to_data(scenario),
        "number": number,
        "at": at.isoformat(),
        "settings": to_data(SETTINGS),
        **extra,
    }


def _first_round(client: Client) -> tuple[Scenario, RoundRecord]:
    reply = client.post("/rounds", _round_body(load_scenario(SMALL), 1, AT1))
    assert reply.status == 200, reply.body
    return from_data(reply.body["scenario"], Scenario), from_data(reply.body["record"], RoundRecord)


def test_two_rounds_equal_the_library(client: Client) -> None:
    """Round 1 offers; round 2 declines one, withdraws one (with a reason) and accepts one:
    the records, placements and scenario equal offer_round's, and validate against OpenAPI."""
    scenario = load_scenario(SMALL)
    problem = Problem.from_scenario(scenario)
    reply = client.post("/rounds", _round_body(scenario, 1, AT1))
    assert reply.status == 200, reply.body
    assert _valid("RoundsResponse", reply.body)
    assert from_data(reply.body["settings"], Settings) == SERVED
    first = offer_round(problem, (), {}, at=AT1, number=1, settings=SERVED)
    assert from_data(reply.body["record"], RoundRecord) == first.record
    assert [from_data(p, Placement) for p in reply.body["placements"]] == list(first.placements)
    after = from_data(reply.body["scenario"], Scenario)
    assert after.placements == first.placements

    offered = sorted(o.candidate for o in first.record.offered)
    assert len(offered) >= 3
    responses = {
        offered[0]: Response.DECLINED,
        offered[1]: Response.WITHDRAWN,
        offered[2]: Response.ACCEPTED,
    }
    notes = {offered[1]: "took a job in Singapore"}
    body = _round_body(
        after,
        2,
        AT2,
        responses={c: r.value for c, r in responses.items()},
        notes=notes,
    )
    reply = client.post("/rounds", body)
    assert reply.status == 200, reply.body
    second = offer_round(
        problem, first.placements, responses, at=AT2, number=2, settings=SERVED, notes=notes
    )
    record = from_data(reply.body["record"], RoundRecord)
    assert record == second.record
    assert [o.candidate for o in record.withdrawn] == [offered[1]]
    gone = record.standing(offered[1])
    assert gone.state is Standing.WITHDRAWN
    assert "took a job in Singapore" in gone.reasons[0]
    assert offered[1] not in {w.candidate for w in record.waitlists}
    assert from_data(reply.body["scenario"], Scenario).placements == second.placements

    # The same round from the problem and the placements gives the same record.
    reply = client.post(
        "/rounds",
        {
            "problem": to_data(problem),
            "placements": [to_data(p) for p in first.placements],
            "responses": {c: r.value for c, r in responses.items()},
            "notes": notes,
            "number": 2,
            "at": AT2.isoformat(),
            "settings": to_data(SETTINGS),
        },
    )
    assert reply.status == 200, reply.body
    assert "scenario" not in reply.body
    assert from_data(reply.body["record"], RoundRecord) == second.record


def test_rounds_refusals_name_the_path(client: Client) -> None:
    """Bad rounds requests are 422 with the JSON path of the bad value."""
    after, record = _first_round(client)
    offered = sorted(o.candidate for o in record.offered)
    idle = sorted({c.id for c in after.candidates} - set(offered))
    base = _round_body(after, 2, AT2)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({**base, "responses": {offered[0]: "maybe"}}, f"responses.{offered[0]}", "maybe"),
        ({**base, "responses": {offered[0]: 1}}, f"responses.{offered[0]}", "expected a string"),
        ({**base, "at": "2020-06-08T09:00"}, "at", "time zone"),
        ({**base, "at": "next week"}, "at", "ISO 8601"),
        ({**base, "at": None}, "at", "is needed"),
        ({**base, "at": "2020-05-01T09:00+00:00"}, "at", "before the last step"),
        ({**base, "number": 0}, "number", "1 or more"),
        ({**base, "number": True}, "number", "1 or more"),
        ({**base, "problem": to_data(Problem.from_scenario(after))}, "", "exactly one"),
        ({**base, "colour": "red"}, "colour", "unknown field"),
        ({**base, "placements": [{"schema_version": 1, "kind": "money"}]}, "placements[0].kind",
         "placement"),
    ]  # fmt: skip
    if idle:
        cases.append(
            ({**base, "responses": {idle[0]: "accepted"}}, f"responses.{idle[0]}", "no open offer")
        )
    for body, path, words in cases:
        reply = client.post("/rounds", body)
        assert reply.status == 422, (path, reply.body)
        found = _errors(reply)
        assert any(p == path and words in m for p, m in found), (path, found)
    missing = client.post("/rounds", {"scenario": to_data(after)})
    assert missing.status == 422
    assert {p for p, _ in _errors(missing)} == {"at", "number"}


def _offered_scenario() -> Scenario:
    scenario = load_scenario(SMALL)
    rnd = offer_round(Problem.from_scenario(scenario), (), {}, at=AT1, number=1, settings=SETTINGS)
    return attrs.evolve(scenario, placements=rnd.placements)


def _raw_post(server: Server, path: str, body: Any, accept: str) -> tuple[int, str, bytes]:
    import json

    conn = http.client.HTTPConnection("127.0.0.1", server.client.port, timeout=120)
    try:
        headers = {"Content-Type": "application/json", "Accept": accept}
        conn.request("POST", path, body=json.dumps(body).encode(), headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("content-type", ""), response.read()
    finally:
        conn.close()


def test_tasks_as_json_equal_the_csv_export(client: Client) -> None:
    """/tasks answers the open placements' tasks with the CSV export's columns, in its order."""
    scenario = _offered_scenario()
    reply = client.post("/tasks", {"scenario": to_data(scenario)})
    assert reply.status == 200, reply.body
    assert _valid("TasksResponse", reply.body)
    tasks = [t for p in scenario.placements if p.is_open for t in tasks_for(p, scenario)]
    assert reply.body["placements"] == len(scenario.placements)
    rows = list(csv.DictReader(io.StringIO(tasks_to_csv(tasks))))
    assert len(rows) == len(tasks) > 0
    served = reply.body["tasks"]
    assert [t["uid"] for t in served] == [t.uid for t in tasks]
    for got, row in zip(served, rows, strict=True):
        expected = {k: (v or None) if k in ("parameter", "source") else v for k, v in row.items()}
        assert {k: got[k] for k in row} == expected
    # Only the placements sent, when sent.
    one = scenario.placements[0]
    reply = client.post("/tasks", {"scenario": to_data(scenario), "placements": [to_data(one)]})
    assert [t["uid"] for t in reply.body["tasks"]] == [t.uid for t in tasks_for(one, scenario)]


def test_tasks_as_icalendar(server: Server) -> None:
    """Accept: text/calendar answers the iCalendar file tasks_to_ical writes for the stamp."""
    scenario = _offered_scenario()
    stamp = datetime(2020, 6, 1, 9, 0, tzinfo=timezone.utc)
    body = {"scenario": to_data(scenario), "stamp": stamp.isoformat()}
    status, media, data = _raw_post(server, "/tasks", body, "text/calendar")
    assert status == 200 and media.startswith("text/calendar")
    tasks = [t for p in scenario.placements if p.is_open for t in tasks_for(p, scenario)]
    assert data == tasks_to_ical(tasks, stamp=stamp)
    events = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
    assert len(events) == len(tasks)


def test_tasks_as_icalendar_without_the_extra_is_406_naming_it(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without icalendar, text/calendar is refused with 406 naming the 'ical' extra."""
    monkeypatch.setitem(sys.modules, "icalendar", None)
    body = {"scenario": to_data(_offered_scenario())}
    status, media, data = _raw_post(server, "/tasks", body, "text/calendar")
    assert status == 406 and media.startswith("application/json")
    assert b"sgcq[ical]" in data and b"icalendar" in data


def test_tasks_refusals_name_the_path(client: Client) -> None:
    """A placement of an unknown candidate or position is 422 with its path."""
    scenario = _offered_scenario()
    bad = attrs.evolve(scenario.placements[0], candidate="nobody", position="nowhere")
    reply = client.post("/tasks", {"scenario": to_data(scenario), "placements": [to_data(bad)]})
    assert reply.status == 422
    assert [p for p, _ in _errors(reply)] == ["placements[0].candidate", "placements[0].position"]
    reply = client.post("/tasks", {"placements": []})
    assert _errors(reply) == [("scenario", "required field is missing")]
    reply = client.post("/tasks", {"scenario": to_data(scenario), "stamp": "2020-06-01"})
    assert reply.status == 422 and _errors(reply)[0][0] == "stamp"


@pytest.mark.parametrize(
    ("name", "as_of"), [("ssijri-2020", date(2023, 12, 31)), ("nus-ytp-2019", date(2020, 4, 30))]
)
def test_progress_equals_the_library(client: Client, name: str, as_of: date) -> None:
    """/progress gives each target's state, observed value and projection, as progress()."""
    scenario = load_scenario(name)
    reply = client.post("/progress", {"scenario": to_data(scenario), "as_of": as_of.isoformat()})
    assert reply.status == 200, reply.body
    assert _valid("ProgressResponse", reply.body)
    report = progress(scenario, as_of)
    assert reply.body["summary"] == report.summary()
    assert reply.body["as_of"] == as_of.isoformat()
    served = reply.body["targets"]
    assert [t["state"] for t in served] == [t.state.value for t in report.targets]
    assert len(served) == len(report.targets) > 0
    for got, t in zip(served, report.targets, strict=True):
        assert got["target"]["metric"] == t.target.metric
        assert got.get("observed_value") == (
            None if t.observed_value is None else str(t.observed_value)
        )
        if t.projection is None:
            assert "projection" not in got
        else:
            assert got["projection"]["value"] == str(t.projection.value)
            assert got["projection"]["on"] == t.projection.on.isoformat()


def test_progress_defaults_to_the_scenarios_date_and_refuses_none(client: Client) -> None:
    """Without as_of the scenario's as_of is used; with neither, 422 names as_of."""
    scenario = load_scenario("ssijri-2020")
    reply = client.post("/progress", {"scenario": to_data(scenario)})
    assert reply.status == 200
    assert reply.body["as_of"] == str(scenario.as_of)
    undated = attrs.evolve(scenario, as_of=None)
    reply = client.post("/progress", {"scenario": to_data(undated)})
    assert reply.status == 422 and _errors(reply)[0][0] == "as_of"
    reply = client.post("/progress", {"scenario": to_data(scenario), "as_of": "2023-13-01"})
    assert reply.status == 422 and _errors(reply)[0][0] == "as_of"


def test_openapi_describes_the_new_endpoints() -> None:
    """The OpenAPI document has the three paths, the calendar media type and the 406."""
    doc = openapi_document()
    assert {"/rounds", "/tasks", "/progress"} <= set(doc["paths"])
    tasks = doc["paths"]["/tasks"]["post"]["responses"]
    assert "text/calendar" in tasks["200"]["content"] and "406" in tasks
    schemas = doc["components"]["schemas"]
    assert {"offer_round.document", "placement.document"} <= set(schemas)
    responses = schemas["RoundsRequest"]["properties"]["responses"]["additionalProperties"]
    assert set(responses["enum"]) == {r.value for r in Response}
    assert _valid(
        "RoundsRequest",
        {"scenario": to_data(load_scenario(SMALL)), "number": 1, "at": AT1.isoformat()},
    )
    assert not _valid("RoundsRequest", {"number": 1, "at": AT1.isoformat(), "colour": "red"})


def test_a_withdrawn_placement_leaves_the_tasks(client: Client) -> None:
    """A placement closed by a withdrawal has no tasks: /tasks lists open placements only."""
    scenario = _offered_scenario()
    first = scenario.placements[0]
    gone = first.advance(PlacementStatus.WITHDRAWN, AT2, "round 2: withdrew from the programme")
    changed = attrs.evolve(scenario, placements=(gone, *scenario.placements[1:]))
    reply = client.post("/tasks", {"scenario": to_data(changed)})
    assert reply.status == 200
    assert first.candidate not in {t["candidate"] for t in reply.body["tasks"]}
    assert reply.body["placements"] == len(scenario.placements) - 1
