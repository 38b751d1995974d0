"""The ASGI application (Starlette): routes, limits and the solver pool."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any, TypeVar

import attrs

from sgcq.errors import (
    DocumentError,
    FieldError,
    MatchingError,
    MissingExtraError,
    ModelValidationError,
    ServiceRequestError,
    TransitionError,
    UnknownScenarioError,
)
from sgcq.matching import (
    Changes,
    Problem,
    Result,
    Settings,
    audit_record,
    match_scenario,
    offer_round,
    rematch,
)
from sgcq.matching import (
    Response as RoundResponse,
)
from sgcq.models import DateRange, Placement, Scenario
from sgcq.rules import (
    ProgressReport,
    Task,
    explain_option,
    progress,
    stay_for,
    tasks_for,
    tasks_to_ical,
)
from sgcq.scenarios import list_scenarios, load_scenario
from sgcq.serialization import KINDS, converter, from_data, json_schema, to_data
from sgcq.serialization._converter import key_path
from sgcq.serialization._kinds import kind_names
from sgcq.serialization._schema import file_format_names
from sgcq.service._openapi import openapi_document
from sgcq.service._settings import ServiceSettings

try:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route
except ImportError as exc:  # pragma: no cover - the service tests install the extra
    raise MissingExtraError(
        "the HTTP service", (exc.name or "starlette").split(".")[0], "server"
    ) from None

__all__ = ["create_app"]

logger = logging.getLogger("sgcq.service")

T = TypeVar("T")

#: A body this much past the limit is not read to its end: the connection is closed.
_DRAIN_FACTOR = 8


def _response(refusal: ServiceRequestError) -> JSONResponse:
    body = {"errors": [{"path": e.path, "message": e.message} for e in refusal.errors]}
    return JSONResponse(body, status_code=refusal.status, headers=refusal.headers)


def _refuse(status: int, path: str, message: str) -> ServiceRequestError:
    return ServiceRequestError(status, [FieldError(path, message)])


# --- reading bodies ----------------------------------------------------------------


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    too_large = f"the body is larger than this service's limit of {limit} bytes"
    if declared is not None and declared.isdigit() and int(declared) > limit:
        await _drain(request, limit * _DRAIN_FACTOR)
        raise _refuse(413, "", f"{too_large} ({declared} bytes)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            await _drain(request, limit * _DRAIN_FACTOR - size)
            raise _refuse(413, "", too_large)
        chunks.append(chunk)
    return b"".join(chunks)


async def _drain(request: Request, budget: int) -> None:
    # Reading (and dropping) the rest lets the client read the 413 instead of
    # a reset connection; past the budget the connection is closed instead.
    with contextlib.suppress(Exception):
        async for chunk in request.stream():
            budget -= len(chunk)
            if budget < 0:
                return


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise _refuse(422, "", "the body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _refuse(
            422, "", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def _envelope(data: Any, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _refuse(422, "", "the body must be a JSON object")
    problems = [FieldError(k, "unknown field") for k in sorted(set(data) - allowed)]
    problems += [FieldError(k, "required field is missing") for k in sorted(required - set(data))]
    if problems:
        raise ServiceRequestError(422, problems)
    return data


def _document(data: dict[str, Any], key: str, cls: type[T]) -> T:
    try:
        return from_data(data[key], cls, source="request")
    except DocumentError as exc:
        raise ServiceRequestError(422, [e.prefixed(key) for e in exc.errors]) from None


def _optional_document(data: dict[str, Any], key: str, cls: type[T]) -> T | None:
    return None if data.get(key) is None else _document(data, key, cls)


def _date(data: dict[str, Any], key: str) -> date | None:
    raw = data.get(key)
    if raw is None:
        return None
    if isinstance(raw, str) and len(raw) == 10:
        with contextlib.suppress(ValueError):
            return date.fromisoformat(raw)
    raise _refuse(422, key, f"expected a date YYYY-MM-DD, got {raw!r}")


def _moment(data: dict[str, Any], key: str) -> datetime | None:
    raw = data.get(key)
    if raw is None:
        return None
    at = None
    if isinstance(raw, str):
        with contextlib.suppress(ValueError):
            at = datetime.fromisoformat(raw)
    if at is None:
        raise _refuse(
            422, key, f"expected a date and time in ISO 8601 with a time zone, got {raw!r}"
        )
    if at.tzinfo is None or at.utcoffset() is None:
        raise _refuse(422, key, f"{raw!r} needs a time zone, e.g. {raw}+08:00")
    return at


def _flag(data: dict[str, Any], key: str) -> bool:
    raw = data.get(key, False)
    if not isinstance(raw, bool):
        raise _refuse(422, key, f"expected true or false, got {raw!r}")
    return raw


def _texts(data: dict[str, Any], key: str) -> dict[str, str]:
    raw = data.get(key)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _refuse(422, key, f"expected an object of candidate ids, got {type(raw).__name__}")
    bad = [
        FieldError(key_path(key, k), "expected a string")
        for k, x in raw.items()
        if not isinstance(x, str)
    ]
    if bad:
        raise ServiceRequestError(422, bad)
    return dict(raw)


def _placements(data: dict[str, Any], key: str) -> tuple[Placement, ...] | None:
    raw = data.get(key)
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise _refuse(422, key, f"expected a list of placement documents, got {type(raw).__name__}")
    out: list[Placement] = []
    problems: list[FieldError] = []
    for i, item in enumerate(raw):
        try:
            out.append(from_data(item, Placement, source="request"))
        except DocumentError as exc:
            problems += [e.prefixed(f"{key}[{i}]") for e in exc.errors]
    if problems:
        raise ServiceRequestError(422, problems)
    return tuple(out)


#: A model error's path into a mapping (``responses[c1]``), written as a JSON path.
_KEYED = re.compile(r"^(responses|notes)\[(.*?)\](.*)$")


def _json_path(path: str) -> str:
    m = _KEYED.match(path)
    return key_path(m[1], m[2]) + m[3] if m else path


def _text(data: dict[str, Any], key: str) -> str | None:
    raw = data.get(key)
    if raw is not None and not isinstance(raw, str):
        raise _refuse(422, key, f"expected a string, got {type(raw).__name__}")
    return raw


# --- the work, done in the solver threads ----------------------------------------------


def _solve_settings(given: Settings | None, limits: ServiceSettings) -> Settings:
    # The service decides the wall-clock limit and the workers; a solve that
    # reaches its limit answers with the best result it has.
    s = given if given is not None else Settings(workers=1, seed=0)
    limit = limits.time_limit if s.time_limit is None else min(s.time_limit, limits.max_time_limit)
    return attrs.evolve(
        s, time_limit=limit, workers=min(s.workers, limits.max_solver_workers), log=False
    )


def _validate(body: bytes, kind: str | None) -> dict[str, Any]:
    data = _parse_json(body)
    cls = None
    if kind is not None:
        if kind not in KINDS:
            raise _refuse(422, "kind", f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
        cls = KINDS[kind]
    try:
        obj = from_data(data, cls, source="request")
    except DocumentError as exc:
        raise ServiceRequestError(422, list(exc.errors)) from None
    out: dict[str, Any] = {"ok": True, "kind": data["kind"]}
    if isinstance(obj, Scenario):
        out["summary"] = obj.summary()
    return out


def _evaluate(body: bytes) -> dict[str, Any]:
    keys = {"scenario", "candidate", "position", "start", "end", "as_of"}
    data = _envelope(_parse_json(body), keys, {"scenario", "candidate", "position", "start"})
    scenario = _document(data, "scenario", Scenario)
    found = {}
    for key, ids in (
        ("candidate", {c.id for c in scenario.candidates}),
        ("position", {p.id for p in scenario.positions}),
    ):
        ident = _text(data, key)
        if ident not in ids:
            raise _refuse(422, key, f"no {key} {ident!r} in scenario {scenario.id!r}")
        found[key] = ident
    candidate = scenario.candidate(found["candidate"])
    position = scenario.position(found["position"])
    start = _date(data, "start")
    end = _date(data, "end")
    assert start is not None  # required above
    if end is not None:
        if end <= start:
            raise _refuse(422, "end", f"must be after start ({start}), got {end}")
        stay: DateRange | None = DateRange(start, end)
    else:
        programme = None
        if position.programme is not None:
            with contextlib.suppress(KeyError, LookupError):
                programme = scenario.programme(position.programme)
        stay = stay_for(candidate, position, start, programme)
    if stay is None:
        raise _refuse(422, "start", "no stay the candidate and the position accept starts then")
    trace = explain_option(scenario, candidate, position, stay, as_of=_date(data, "as_of"))
    return to_data(trace)


def _cohort(scenario: Scenario, cohort: str | None) -> str | None:
    ids = [c.id for c in scenario.cohorts]
    if cohort is None and len(ids) > 1:
        raise _refuse(422, "cohort", f"the scenario has {len(ids)} cohorts; name one of {ids}")
    if cohort is not None and cohort not in ids:
        raise _refuse(422, "cohort", f"no cohort {cohort!r} in the scenario; it has {ids}")
    return cohort


def _match(body: bytes, limits: ServiceSettings) -> dict[str, Any]:
    keys = {"scenario", "cohort", "settings", "include_problem"}
    data = _envelope(_parse_json(body), keys, {"scenario"})
    scenario = _document(data, "scenario", Scenario)
    cohort = _cohort(scenario, _text(data, "cohort"))
    settings = _solve_settings(_optional_document(data, "settings", Settings), limits)
    include = data.get("include_problem", False)
    if not isinstance(include, bool):
        raise _refuse(422, "include_problem", f"expected true or false, got {include!r}")
    try:
        problem, result = match_scenario(scenario, cohort, settings)
    except MatchingError as exc:
        raise _refuse(422, "scenario", str(exc)) from None
    out = {"result": to_data(result), "settings": to_data(settings)}
    if include:
        out["problem"] = to_data(problem)
    return out


def _rematch(body: bytes, limits: ServiceSettings) -> dict[str, Any]:
    keys = {"problem", "previous", "changes", "settings"}
    data = _envelope(_parse_json(body), keys, {"problem", "previous", "changes"})
    problem = _document(data, "problem", Problem)
    previous = _document(data, "previous", Result)
    changes = _document(data, "changes", Changes)
    settings = _solve_settings(_optional_document(data, "settings", Settings), limits)
    try:
        result = rematch(problem, previous, changes, settings=settings)
    except (MatchingError, ModelValidationError) as exc:
        raise _refuse(422, "changes", str(exc)) from None
    audit = audit_record(
        previous, result, at=datetime.now(timezone.utc), withdrawn=changes.withdrawn
    )
    return {"result": to_data(result), "audit": to_data(audit), "settings": to_data(settings)}


def _rounds(body: bytes, limits: ServiceSettings) -> dict[str, Any]:
    keys = {"scenario", "problem", "cohort", "placements", "responses", "notes", "at", "number"}
    keys |= {"pending", "settings"}
    data = _envelope(_parse_json(body), keys, {"at", "number"})
    given = [k for k in ("scenario", "problem") if data.get(k) is not None]
    if len(given) != 1:
        raise _refuse(422, "", "send either a scenario or a problem (exactly one)")
    at = _moment(data, "at")
    if at is None:
        raise _refuse(422, "at", "the round's date and time is needed (ISO 8601 with a time zone)")
    number = data["number"]
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise _refuse(422, "number", f"expected the round's number, 1 or more, got {number!r}")
    raw = _texts(data, "responses")
    responses: dict[str, RoundResponse] = {}
    for c, r in raw.items():
        try:
            responses[c] = RoundResponse(r)
        except ValueError:
            known = ", ".join(x.value for x in RoundResponse)
            raise _refuse(422, key_path("responses", c), f"{r!r} is not one of {known}") from None
    notes = _texts(data, "notes")
    pending = _flag(data, "pending")
    settings = _solve_settings(_optional_document(data, "settings", Settings), limits)
    placements = _placements(data, "placements")
    scenario: Scenario | None = None
    if given == ["scenario"]:
        scenario = _document(data, "scenario", Scenario)
        cohort = _cohort(scenario, _text(data, "cohort"))
        try:
            problem = Problem.from_scenario(scenario, cohort)
        except MatchingError as exc:
            raise _refuse(422, "scenario", str(exc)) from None
    else:
        if data.get("cohort") is not None:
            raise _refuse(422, "cohort", "name a cohort with a scenario; a problem has one")
        problem = _document(data, "problem", Problem)
    ids = {c.id for c in problem.candidates}
    # The cohort's placements: those sent, else the scenario's (as ``sgcq rounds`` takes them).
    mine: tuple[Placement, ...] = ()
    rest: tuple[Placement, ...] = ()
    if scenario is not None:
        mine = tuple(
            p
            for p in scenario.placements
            if p.candidate in ids and p.cohort in (None, problem.cohort)
        )
        rest = tuple(p for p in scenario.placements if p not in mine)
    if placements is not None:
        mine = placements
    try:
        rnd = offer_round(
            problem,
            mine,
            responses,
            at=at,
            number=number,
            settings=settings,
            unanswered=RoundResponse.PENDING if pending else RoundResponse.NO_RESPONSE,
            notes=notes,
        )
    except ModelValidationError as exc:
        raise ServiceRequestError(
            422, [FieldError(_json_path(e.path), e.message) for e in exc.errors]
        ) from None
    except TransitionError as exc:
        # e.g. a round dated before a placement's last step.
        raise _refuse(422, "at", str(exc)) from None
    except MatchingError as exc:
        raise _refuse(422, "responses", str(exc)) from None
    out: dict[str, Any] = {
        "record": to_data(rnd.record),
        "placements": [to_data(p) for p in rnd.placements],
        "settings": to_data(settings),
    }
    if scenario is not None:
        try:
            changed = attrs.evolve(scenario, placements=(*rest, *rnd.placements))
        except ModelValidationError as exc:
            raise ServiceRequestError(422, [e.prefixed("scenario") for e in exc.errors]) from None
        out["scenario"] = to_data(changed)
    return out


@attrs.frozen
class _Raw:
    """A body that is not JSON (an iCalendar file), with its media type."""

    body: bytes
    media_type: str


#: The media type of an iCalendar file.
_CALENDAR = "text/calendar"


def _task_row(task: Task) -> dict[str, Any]:
    # The CSV export's columns (empty ones as null) and the iCalendar uid.
    return {
        "candidate": task.candidate,
        "position": task.position,
        "kind": task.kind.value,
        "due": task.due.isoformat(),
        "title": task.title,
        "detail": task.detail,
        "parameter": task.parameter,
        "source": None if task.citation is None else str(task.citation),
        "uid": task.uid,
    }


def _tasks(body: bytes, accept: str) -> dict[str, Any] | _Raw:
    keys = {"scenario", "placements", "stamp", "name"}
    data = _envelope(_parse_json(body), keys, {"scenario"})
    scenario = _document(data, "scenario", Scenario)
    given = _placements(data, "placements")
    chosen = [p for p in scenario.placements if p.is_open] if given is None else list(given)
    cands = {c.id for c in scenario.candidates}
    poss = {p.id for p in scenario.positions}
    problems = []
    for i, p in enumerate(given or ()):
        for field, ident, known in (
            ("candidate", p.candidate, cands),
            ("position", p.position, poss),
        ):
            if ident not in known:
                message = f"no {field} {ident!r} in scenario {scenario.id!r}"
                problems.append(FieldError(f"placements[{i}].{field}", message))
    if problems:
        raise ServiceRequestError(422, problems)
    tasks = [t for p in chosen for t in tasks_for(p, scenario)]
    stamp = _moment(data, "stamp")
    name = _text(data, "name") or "sgcq tasks"
    if _CALENDAR in accept:
        try:
            ics = tasks_to_ical(
                tasks, stamp=stamp or datetime.now(timezone.utc).replace(microsecond=0), name=name
            )
        except MissingExtraError as exc:
            raise _refuse(
                406,
                "",
                f"{_CALENDAR} needs {exc.package}, which is not installed on this service; "
                f'install the "{exc.extra}" extra (pip install "sgcq[{exc.extra}]") or ask for '
                "application/json",
            ) from None
        return _Raw(ics, f"{_CALENDAR}; charset=utf-8")
    return {"placements": len(chosen), "tasks": [_task_row(t) for t in tasks]}


def _progress_data(report: ProgressReport) -> dict[str, Any]:
    # Each target keeps its fields as in a scenario document (Money as
    # {"amount", "currency"}, dates YYYY-MM-DD); the numbers the report
    # computes are decimal strings; the summary is what `sgcq progress` prints.
    data = converter.unstructure(report, ProgressReport)
    return {**_without_none(data), "summary": report.summary()}


def _without_none(value: Any) -> Any:
    # The report's own enums (its states) have no hook in the documents' converter.
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _without_none(x) for k, x in value.items() if x is not None}
    if isinstance(value, list):
        return [_without_none(x) for x in value]
    return value


def _progress(body: bytes) -> dict[str, Any]:
    data = _envelope(_parse_json(body), {"scenario", "as_of"}, {"scenario"})
    scenario = _document(data, "scenario", Scenario)
    as_of = _date(data, "as_of") or scenario.as_of
    if as_of is None:
        raise _refuse(422, "as_of", f"{scenario.id} has no as_of date: send one, YYYY-MM-DD")
    return _progress_data(progress(scenario, as_of))


@functools.cache
def _scenario_list() -> list[dict[str, Any]]:
    out = []
    for name in list_scenarios():
        s = load_scenario(name)
        out.append(
            {
                "name": name,
                "title": s.name,
                "cohorts": [c.id for c in s.cohorts],
                "candidates": len(s.candidates),
                "positions": len(s.positions),
            }
        )
    return out


# --- the pool ------------------------------------------------------------------------


class _Pool:
    """Worker threads for the work of the POST routes, with a bounded queue."""

    def __init__(self, solvers: int, queue: int) -> None:
        self.solvers = solvers
        self.capacity = solvers + queue
        self.pending = 0  # touched only on the event loop
        self.executor = ThreadPoolExecutor(max_workers=solvers, thread_name_prefix="sgcq-solve")

    async def run(self, work: Callable[[], T]) -> T:
        if self.pending >= self.capacity:
            raise ServiceRequestError(
                503,
                [
                    FieldError(
                        "",
                        f"the service is busy: {self.pending} requests are being worked on "
                        "or waiting; retry later",
                    )
                ],
                headers={"Retry-After": "1"},
            )
        self.pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self.executor, work)
        finally:
            self.pending -= 1


# --- the application ---------------------------------------------------------------------


def create_app(settings: ServiceSettings | None = None) -> Starlette:
    """Return the ASGI application of ``sgcq serve``.

    Parameters
    ----------
    settings
        The limits; :class:`ServiceSettings` defaults if ``None``.

    Returns
    -------
    starlette.applications.Starlette
        Serve it with any ASGI server (``uvicorn``); see ``docs/http.md``.
    """
    limits = settings if settings is not None else ServiceSettings()
    pool = _Pool(limits.solvers, limits.queue)

    def post(work: Callable[[Request, bytes], Callable[[], Any]]) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            started = time.perf_counter()
            size = 0
            try:
                body = await _body(request, limits.max_body_bytes)
                size = len(body)
                job = work(request, body)
                # Written to JSON in the worker too: a result can be 1 MB of text.
                text, media = await pool.run(lambda: _render_any(job()))
                response: Response = Response(text, media_type=media)
            except ServiceRequestError as refusal:
                response = _response(refusal)
            except Exception as exc:
                # Only the class: a message may quote a personal value.
                logger.error("%s %s failed: %s", request.method, request.url.path, type(exc))
                response = _response(_refuse(500, "", "internal error"))
            _log(request, response.status_code, size, started)
            return response

        return endpoint

    def get(work: Callable[[Request], Any]) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            started = time.perf_counter()
            try:
                # In a thread too: the first /scenarios reads every bundled file.
                response: Response = JSONResponse(await asyncio.to_thread(work, request))
            except ServiceRequestError as refusal:
                response = _response(refusal)
            _log(request, response.status_code, 0, started)
            return response

        return endpoint

    def schema(request: Request) -> Any:
        kind = request.path_params["kind"]
        if kind not in kind_names() and kind not in file_format_names():
            raise _refuse(404, "kind", f"no document kind {kind!r}")
        return json_schema(kind)

    def scenario(request: Request) -> Any:
        try:
            return to_data(load_scenario(request.path_params["name"]))
        except UnknownScenarioError as exc:
            raise _refuse(404, "name", str(exc)) from None

    def health(_request: Request) -> Any:
        return {
            "status": "ok",
            "pending": pool.pending,
            "capacity": pool.capacity,
            "solvers": pool.solvers,
        }

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        logger.info(
            "sgcq service ready: %d solvers, queue %d, bodies up to %d bytes",
            limits.solvers,
            limits.queue,
            limits.max_body_bytes,
        )
        try:
            yield
        finally:
            pool.executor.shutdown(wait=False, cancel_futures=True)

    routes = [
        Route(
            "/validate",
            post(lambda r, b: functools.partial(_validate, b, r.query_params.get("kind"))),
            methods=["POST"],
        ),
        Route("/evaluate", post(lambda _r, b: functools.partial(_evaluate, b)), methods=["POST"]),
        Route("/match", post(lambda _r, b: functools.partial(_match, b, limits)), methods=["POST"]),
        Route(
            "/rematch",
            post(lambda _r, b: functools.partial(_rematch, b, limits)),
            methods=["POST"],
        ),
        Route(
            "/rounds", post(lambda _r, b: functools.partial(_rounds, b, limits)), methods=["POST"]
        ),
        Route(
            "/tasks",
            post(lambda r, b: functools.partial(_tasks, b, r.headers.get("accept", ""))),
            methods=["POST"],
        ),
        Route("/progress", post(lambda _r, b: functools.partial(_progress, b)), methods=["POST"]),
        Route("/scenarios", get(lambda _r: {"scenarios": _scenario_list()}), methods=["GET"]),
        Route("/scenarios/{name}", get(scenario), methods=["GET"]),
        Route("/schema/{kind}", get(schema), methods=["GET"]),
        Route("/openapi.json", get(lambda _r: openapi_document()), methods=["GET"]),
        Route("/health", get(health), methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _render(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _render_any(payload: Any) -> tuple[bytes, str]:
    if isinstance(payload, _Raw):
        return payload.body, payload.media_type
    return _render(payload), "application/json"


def _log(request: Request, status: int, size: int, started: float) -> None:
    # Method, path, status, size and time: never a body, a query or a header.
    ms = (time.perf_counter() - started) * 1000
    logger.info("%s %s %d %d bytes %.0f ms", request.method, request.url.path, status, size, ms)
