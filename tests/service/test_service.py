"""The HTTP service, started for real (uvicorn on 127.0.0.1) and called over HTTP."""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import attrs
import jsonschema
import pytest
from service_http import Client, Reply, Server

from sgcq.matching import Changes, Result, Settings, match_scenario, rematch
from sgcq.matching.result import Status
from sgcq.models import DateRange, Scenario
from sgcq.rules import explain_option, stay_for
from sgcq.scenarios import list_scenarios, load_scenario
from sgcq.serialization import from_data, json_schema, to_data
from sgcq.service import ServiceSettings, openapi_document

SMALL = "nus-ytp-2019"  # 19 candidates, solved by min-cost flow in milliseconds
SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=20.0)


def _scenario(name: str = SMALL) -> Scenario:
    return load_scenario(name)


def _without_times(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "wall_time"}


def _errors(reply: Any) -> list[tuple[str, str]]:
    return [(e["path"], e["message"]) for e in reply.body["errors"]]


def _served_settings(settings: Settings, time_limit: float) -> Settings:
    return attrs.evolve(settings, time_limit=time_limit, log=False)


# --- one round trip per endpoint ----------------------------------------------------


def test_validate_a_scenario(client: Client) -> None:
    """A valid scenario: 200, its kind and its summary."""
    scenario = _scenario()
    reply = client.post("/validate", to_data(scenario))
    assert reply.status == 200
    assert reply.body == {"ok": True, "kind": "scenario", "summary": scenario.summary()}


def test_validate_any_kind_and_require_one(client: Client) -> None:
    """Any document validates; ?kind= refuses another kind with the path 'kind'."""
    money = {"schema_version": 1, "kind": "money", "amount": "1500", "currency": "SGD"}
    assert client.post("/validate", money).body == {"ok": True, "kind": "money"}
    reply = client.post("/validate?kind=scenario", money)
    assert reply.status == 422
    assert _errors(reply) == [("kind", "expected a 'scenario' document, got 'money'")]


def test_evaluate_an_option(client: Client) -> None:
    """The rule trace equals the library's, for the stay the rules give."""
    scenario = _scenario()
    c, p = scenario.candidates[0], scenario.positions[0]
    start = date(2019, 12, 16)
    body = {
        "scenario": to_data(scenario),
        "candidate": c.id,
        "position": p.id,
        "start": "2019-12-16",
    }
    reply = client.post("/evaluate", body)
    assert reply.status == 200, reply.body
    stay = stay_for(c, p, start, scenario.programme(p.programme) if p.programme else None)
    assert stay is not None
    assert reply.body == to_data(explain_option(scenario, c, p, stay))
    # With an explicit end.
    body["end"] = "2020-03-16"
    reply = client.post("/evaluate", body)
    expected = explain_option(scenario, c, p, DateRange(start, date(2020, 3, 16)))
    assert reply.body == to_data(expected)


def test_match_and_rematch_round_trip(client: Client) -> None:
    """/match equals match_scenario; its problem and result feed /rematch, equal to rematch."""
    scenario = _scenario()
    reply = client.post(
        "/match",
        {"scenario": to_data(scenario), "settings": to_data(SETTINGS), "include_problem": True},
    )
    assert reply.status == 200, reply.body
    used = from_data(reply.body["settings"], Settings)
    assert used == _served_settings(SETTINGS, 60.0)
    problem, result = match_scenario(scenario, None, used)
    assert _without_times(reply.body["result"]) == _without_times(to_data(result))
    assert reply.body["problem"] == to_data(problem)

    served = from_data(reply.body["result"], Result)
    changes = Changes(withdrawn=(served.assignments[0].candidate,))
    again = client.post(
        "/rematch",
        {"problem": reply.body["problem"], "previous": reply.body["result"],
         "changes": to_data(changes), "settings": to_data(SETTINGS)},
    )  # fmt: skip
    assert again.status == 200, again.body
    expected = rematch(problem, served, changes, settings=used)
    assert _without_times(again.body["result"]) == _without_times(to_data(expected))
    assert again.body["audit"]["kind"] == "match_audit"
    assert again.body["audit"]["withdrawn"] == [served.assignments[0].candidate]


def test_scenarios(client: Client) -> None:
    """The bundled scenarios are listed, and each one is served as a document."""
    reply = client.get("/scenarios")
    assert reply.status == 200
    assert [s["name"] for s in reply.body["scenarios"]] == list(list_scenarios())
    first = reply.body["scenarios"][0]
    scenario = load_scenario(first["name"])
    assert first["candidates"] == len(scenario.candidates)
    one = client.get(f"/scenarios/{first['name']}")
    assert from_data(one.body, Scenario) == scenario
    missing = client.get("/scenarios/nope")
    assert missing.status == 404 and _errors(missing)[0][0] == "name"


def test_schema(client: Client) -> None:
    """/schema/{kind} serves json_schema(kind); an unknown kind is 404 with the path."""
    for kind in ("scenario", "match_result", "parameters"):
        assert client.get(f"/schema/{kind}").body == json_schema(kind)
    reply = client.get("/schema/nope")
    assert reply.status == 404 and _errors(reply) == [("kind", "no document kind 'nope'")]


def test_openapi_is_built_from_the_schemas(client: Client) -> None:
    """Every reference resolves, and the components validate real documents."""
    doc = client.get("/openapi.json").body
    assert doc == openapi_document()
    assert doc["openapi"] == "3.1.0"
    assert {"/validate", "/evaluate", "/match", "/rematch", "/scenarios"} <= set(doc["paths"])

    def refs(value: Any) -> list[str]:
        if isinstance(value, dict):
            own = [value["$ref"]] if "$ref" in value else []
            return own + [r for v in value.values() for r in refs(v)]
        if isinstance(value, list):
            return [r for v in value for r in refs(v)]
        return []

    schemas = doc["components"]["schemas"]
    for ref in refs(doc):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    root = {"components": doc["components"]}
    scenario = jsonschema.Draft202012Validator(
        {**root, "$ref": "#/components/schemas/scenario.document"}
    )
    assert scenario.is_valid(to_data(_scenario()))
    assert not scenario.is_valid({**to_data(_scenario()), "colour": "red"})
    match = jsonschema.Draft202012Validator({**root, "$ref": "#/components/schemas/MatchRequest"})
    assert match.is_valid({"scenario": to_data(_scenario()), "settings": to_data(SETTINGS)})


def test_health(client: Client) -> None:
    """/health says the pool's state."""
    body = client.get("/health").body
    assert body == {"status": "ok", "pending": 0, "capacity": 18, "solvers": 2}


# --- malformed bodies ---------------------------------------------------------------------


def test_truncated_json_is_422_with_where(client: Client) -> None:
    """Cut-off JSON names the line and column."""
    text = json.dumps({"scenario": to_data(_scenario())})
    reply = client.post("/match", raw=text[: len(text) // 2].encode())
    assert reply.status == 422
    ((path, message),) = _errors(reply)
    assert path == "" and message.startswith("not valid JSON at line 1, column ")


def test_not_utf8_and_not_an_object(client: Client) -> None:
    """Bytes that are not text, and a JSON array, are 422."""
    assert client.post("/validate", raw=b"\xff\xfe{").status == 422
    reply = client.post("/match", [1, 2])
    assert _errors(reply) == [("", "the body must be a JSON object")]


def test_wrong_kind_and_bad_fields_name_their_paths(client: Client) -> None:
    """A money document where a scenario belongs, a bad id, an unknown key: each with its path."""
    money = {"schema_version": 1, "kind": "money", "amount": "1", "currency": "SGD"}
    reply = client.post("/match", {"scenario": money})
    assert reply.status == 422
    assert _errors(reply) == [("scenario.kind", "expected a 'scenario' document, got 'money'")]

    data = to_data(_scenario())
    data["candidates"][2]["priority"] = "high"
    data["positions"][0]["seats"] = -1
    reply = client.post("/match", {"scenario": data, "colour": "red"})
    assert reply.status == 422
    assert [p for p, _ in _errors(reply)] == ["colour"]
    reply = client.post("/match", {"scenario": data})
    paths = [p for p, _ in _errors(reply)]
    assert "scenario.candidates[2].priority" in paths
    assert "scenario.positions[0].seats" in paths
    reply = client.post("/evaluate", {"scenario": to_data(_scenario()), "candidate": "nobody",
                                      "position": "x", "start": "2019-13-01"})  # fmt: skip
    assert _errors(reply) == [("candidate", "no candidate 'nobody' in scenario 'nus-ytp-2019'")]
    reply = client.post("/match", {"scenario": to_data(_scenario()), "cohort": "nope"})
    assert _errors(reply)[0][0] == "cohort"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_10_mb_body_is_413(client: Client, chunked: bool) -> None:
    """Over the 8 MiB limit: 413 with an error, whether or not the size is declared."""
    payload = b'{"scenario": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    if chunked:
        reply = _post_chunked(client, "/match", payload)
    else:
        reply = client.post("/match", raw=payload)
    assert reply.status == 413
    ((path, message),) = _errors(reply)
    assert path == "" and "larger than this service's limit of 8388608 bytes" in message
    assert client.get("/health").body["pending"] == 0  # and the server still answers


def _post_chunked(client: Client, path: str, payload: bytes) -> Any:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=120)
    try:
        pieces = (payload[i : i + 65536] for i in range(0, len(payload), 65536))
        conn.request("POST", path, body=pieces, encode_chunked=True,
                     headers={"Content-Type": "application/json"})  # fmt: skip
        response = conn.getresponse()
        return Reply(response.status, dict(response.getheaders()), json.loads(response.read()))
    finally:
        conn.close()


# --- limits -------------------------------------------------------------------------------


def test_a_full_queue_is_503(make_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """One solver, no queue: while it works, another request gets 503 and Retry-After."""
    from sgcq.service import _app

    release = threading.Event()
    real = _app.match_scenario

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(_app, "match_scenario", held)
    server: Server = make_server(ServiceSettings(solvers=1, queue=0))
    body = {"scenario": to_data(_scenario()), "settings": to_data(SETTINGS)}
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(server.client.post, "/match", body)
        deadline = time.monotonic() + 60
        while server.client.get("/health").body["pending"] < 1:
            assert time.monotonic() < deadline and not first.done()
            time.sleep(0.01)
        busy = server.client.post("/match", body)
        assert busy.status == 503
        assert busy.headers["retry-after"] == "1"
        assert _errors(busy)[0][1].startswith("the service is busy")
        release.set()
        assert first.result(timeout=120).status == 200


def test_a_solve_past_its_time_limit_returns_its_best_result(make_server: Any) -> None:
    """The NTU cohort with a 0.05 s limit (1000 s asked is cut to it): FEASIBLE or UNKNOWN."""
    server: Server = make_server(ServiceSettings(solvers=1, time_limit=0.05, max_time_limit=0.05))
    scenario = load_scenario("ntu-ydpg-2020")
    asked = Settings(workers=1, seed=0, time_limit=1000.0)
    reply = server.client.post(
        "/match", {"scenario": to_data(scenario), "settings": to_data(asked)}
    )
    assert reply.status == 200, reply.body
    assert reply.body["settings"]["time_limit"] == 0.05
    result = from_data(reply.body["result"], Result)
    assert result.status in (Status.FEASIBLE, Status.UNKNOWN)
    # The deterministic limit reaches the same end, reproducibly.
    tight = Settings(workers=1, seed=0, deterministic_time_limit=0.001)
    reply = server.client.post(
        "/match", {"scenario": to_data(scenario), "settings": to_data(tight)}
    )
    assert from_data(reply.body["result"], Result).status in (Status.FEASIBLE, Status.UNKNOWN)


# --- load ---------------------------------------------------------------------------------


def test_200_requests_8_at_a_time_all_well_formed_and_equal_to_the_library(
    client: Client,
) -> None:
    """A bounded load test on loopback: /validate, /evaluate and /match mixed."""
    scenario = _scenario()
    doc = to_data(scenario)
    used = _served_settings(SETTINGS, 60.0)
    _, result = match_scenario(scenario, None, used)
    expected_match = _without_times(to_data(result))
    c, p = scenario.candidates[0], scenario.positions[0]
    stay = stay_for(
        c, p, date(2019, 12, 16), scenario.programme(p.programme) if p.programme else None
    )
    assert stay is not None
    expected_trace = to_data(explain_option(scenario, c, p, stay))
    evaluate = {"scenario": doc, "candidate": c.id, "position": p.id, "start": "2019-12-16"}

    def one(i: int) -> bool:
        if i % 3 == 0:
            reply = client.post("/match", {"scenario": doc, "settings": to_data(SETTINGS)})
            assert reply.status == 200, reply.body
            assert _without_times(reply.body["result"]) == expected_match
        elif i % 3 == 1:
            reply = client.post("/evaluate", evaluate)
            assert reply.status == 200, reply.body
            assert reply.body == expected_trace
        else:
            reply = client.post("/validate", doc)
            assert reply.status == 200 and reply.body["kind"] == "scenario"
        return True

    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(one, range(200)))
    assert len(done) == 200 and all(done)


# --- privacy --------------------------------------------------------------------------


def test_logs_carry_no_personal_fields(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    """Names, birth dates and nationalities sent (good or bad) never reach the logs."""
    data = to_data(_scenario())
    data["candidates"][0]["name"] = "Tan Ah Kow"
    data["candidates"][1]["name"] = "Lim Mei Ling"
    data["candidates"][1]["date_of_birth"] = "1999-02-30"  # invalid: quoted in the error
    data["candidates"][2]["nationalities"] = ["Sarawakian"]
    with caplog.at_level(logging.DEBUG):
        good = to_data(_scenario())
        good["candidates"][0]["name"] = "Tan Ah Kow"
        assert (
            client.post("/match", {"scenario": good, "settings": to_data(SETTINGS)}).status == 200
        )
        reply = client.post("/validate", data)
        assert reply.status == 422
        body = json.dumps(reply.body)
        # The client is told where, not the value back (a personal field) ...
        assert "candidates[1].date_of_birth" in body and "1999-02-30" not in body
    logged = caplog.text
    assert "POST /match 200" in logged and "POST /validate 422" in logged
    for personal in ("Tan Ah Kow", "Lim Mei Ling", "1999-02-30", "Sarawakian", "1997-05-21"):
        assert personal not in logged  # ... the logs are not
