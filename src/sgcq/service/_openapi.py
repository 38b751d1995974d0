"""The OpenAPI 3.1 document of the service, built from the documents' JSON Schemas.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so each kind's schema
(:func:`sgcq.serialization.json_schema`) goes in as it is, with its
``$defs`` moved to ``components/schemas`` (shared by every kind) and its
references rewritten to point there.
"""

from __future__ import annotations

import functools
from typing import Any

from sgcq._versions import __version__
from sgcq.serialization import JSON_SCHEMA_DIALECT, json_schema

__all__ = ["openapi_document"]

_REF = "#/components/schemas/"

#: The kinds the endpoints read or write.
_KINDS = (
    "scenario",
    "match_settings",
    "match_problem",
    "match_result",
    "match_changes",
    "match_audit",
    "rule_trace",
    "placement",
    "offer_round",
)


def _document(kind: str) -> str:
    return f"{kind}.document"


def _rewrite(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _rewrite(v) for k, v in value.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = _REF + ref.removeprefix("#/$defs/")
        return out
    if isinstance(value, list):
        return [_rewrite(v) for v in value]
    return value


def _add_kind(components: dict[str, Any], kind: str) -> None:
    schema = json_schema(kind)
    for name, definition in schema.pop("$defs", {}).items():
        definition = _rewrite(definition)
        if components.setdefault(name, definition) != definition:  # pragma: no cover
            raise ValueError(f"two different classes are named {name} in the schemas")
    # An $id would make the references inside resolve against it, not this document.
    schema.pop("$id", None)
    schema.pop("$schema", None)
    components[_document(kind)] = _rewrite(schema)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


def _envelope(
    title: str, properties: dict[str, Any], required: list[str], description: str
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


_STRING = {"type": "string"}
_DATE = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_MOMENT = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601 with a time zone, e.g. 2020-06-01T09:00+08:00.",
}
_PLACEMENTS = {"type": "array", "items": {"$ref": _REF + "placement.document"}}
_RESPONSES = ("accepted", "declined", "withdrawn", "no_response", "pending")
_STATES = ("met", "on_track", "behind", "missed", "no_projection", "no_observation", "not_started")
_NULLABLE_STRING = {"type": ["string", "null"]}
_DECIMAL = {"type": "string", "description": "A decimal number written as a string."}
_PROJECTION = {
    "type": "object",
    "description": "The straight line from the baseline (or the first observation) to the "
    "latest observation, read at the deadline.",
    "properties": {
        "value": _DECIMAL,
        "on": _DATE,
        "start": _DATE,
        "start_value": _DECIMAL,
        "end": _DATE,
        "end_value": _DECIMAL,
        "method": _STRING,
    },
    "required": ["value", "on", "start", "start_value", "end", "end_value", "method"],
    "additionalProperties": False,
}
_TARGET_PROGRESS = {
    "type": "object",
    "properties": {
        "programme": _STRING,
        "target": {**_ref("Target"), "description": "The target, as in a scenario."},
        "as_of": _DATE,
        "state": {"enum": list(_STATES)},
        "observed": {**_ref("Observation"), "description": "The observation the state rests on."},
        "observed_value": {**_DECIMAL, "description": "In the target's unit (converted money)."},
        "projection": _PROJECTION,
        "reason": _STRING,
    },
    "required": ["programme", "target", "as_of", "state", "reason"],
    "additionalProperties": False,
}

_ENVELOPES: dict[str, dict[str, Any]] = {
    "ValidateResponse": _envelope(
        "ValidateResponse",
        {
            "ok": {"const": True},
            "kind": {"type": "string"},
            "summary": {"type": "string"},
        },
        ["ok", "kind"],
        "The document is valid; a scenario also gets its summary.",
    ),
    "EvaluateRequest": _envelope(
        "EvaluateRequest",
        {
            "scenario": _ref(_document("scenario")),
            "candidate": {"type": "string", "description": "A candidate's id in the scenario."},
            "position": {"type": "string", "description": "A position's id in the scenario."},
            "start": {**_DATE, "description": "The first day of the stay."},
            "end": {
                **_DATE,
                "description": "The day after the stay; by default the stay the rules give.",
            },
            "as_of": {**_DATE, "description": "The date the rules are read as of."},
        },
        ["scenario", "candidate", "position", "start"],
        "One option to evaluate: a candidate, a position and a stay.",
    ),
    "MatchRequest": _envelope(
        "MatchRequest",
        {
            "scenario": _ref(_document("scenario")),
            "cohort": {"type": "string", "description": "Required when there are several."},
            "settings": _ref(_document("match_settings")),
            "include_problem": {
                "type": "boolean",
                "description": "Also answer with the problem (needed for /rematch).",
            },
        },
        ["scenario"],
        "A scenario to match, with solver settings.",
    ),
    "MatchResponse": _envelope(
        "MatchResponse",
        {
            "result": _ref(_document("match_result")),
            "settings": _ref(_document("match_settings")),
            "problem": _ref(_document("match_problem")),
        },
        ["result", "settings"],
        "The result and the settings it was solved with (the time limit applied).",
    ),
    "RematchRequest": _envelope(
        "RematchRequest",
        {
            "problem": _ref(_document("match_problem")),
            "previous": _ref(_document("match_result")),
            "changes": _ref(_document("match_changes")),
            "settings": _ref(_document("match_settings")),
        },
        ["problem", "previous", "changes"],
        "An earlier problem and result, and what changed since.",
    ),
    "RematchResponse": _envelope(
        "RematchResponse",
        {
            "result": _ref(_document("match_result")),
            "audit": _ref(_document("match_audit")),
            "settings": _ref(_document("match_settings")),
        },
        ["result", "audit", "settings"],
        "The new result and what changed from the previous one.",
    ),
    "RoundsRequest": _envelope(
        "RoundsRequest",
        {
            "scenario": _ref(_document("scenario")),
            "problem": _ref(_document("match_problem")),
            "cohort": {"type": "string", "description": "With a scenario of several cohorts."},
            "placements": {
                **_PLACEMENTS,
                "description": "The cohort's placements so far; by default the scenario's "
                "placements of the cohort (none with a problem: the first round).",
            },
            "responses": {
                "type": "object",
                "description": "Candidate id -> answer to their open offer. declined closes "
                "this offer only; withdrawn takes the candidate out of the programme.",
                "additionalProperties": {"enum": list(_RESPONSES)},
            },
            "notes": {
                "type": "object",
                "description": "Candidate id -> why (e.g. the reason for a withdrawal).",
                "additionalProperties": _STRING,
            },
            "at": {**_MOMENT, "description": "When the round is made (with a time zone)."},
            "number": {"type": "integer", "minimum": 1},
            "pending": {
                "type": "boolean",
                "description": "Keep open offers with no response open (default: they lapse).",
            },
            "settings": _ref(_document("match_settings")),
        },
        ["at", "number"],
        "One offer round: a scenario or a problem (exactly one), the placements so far, "
        "the responses, the round's time and number.",
    ),
    "RoundsResponse": _envelope(
        "RoundsResponse",
        {
            "record": _ref(_document("offer_round")),
            "placements": {**_PLACEMENTS, "description": "The cohort's placements after it."},
            "scenario": {
                **_ref(_document("scenario")),
                "description": "With a scenario: it with the cohort's placements replaced.",
            },
            "settings": _ref(_document("match_settings")),
        },
        ["record", "placements", "settings"],
        "The round's audit record and the placements after it (as sgcq rounds writes them).",
    ),
    "TasksRequest": _envelope(
        "TasksRequest",
        {
            "scenario": _ref(_document("scenario")),
            "placements": {
                **_PLACEMENTS,
                "description": "The placements; by default the scenario's open placements.",
            },
            "stamp": {**_MOMENT, "description": "The iCalendar DTSTAMP; now by default."},
            "name": {"type": "string", "description": "The calendar's name."},
        },
        ["scenario"],
        "Placements whose dated tasks to list.",
    ),
    "TasksResponse": _envelope(
        "TasksResponse",
        {
            "placements": {"type": "integer", "description": "How many placements."},
            "tasks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "candidate": _STRING,
                        "position": _STRING,
                        "kind": _STRING,
                        "due": _DATE,
                        "title": _STRING,
                        "detail": _STRING,
                        "parameter": _NULLABLE_STRING,
                        "source": _NULLABLE_STRING,
                        "uid": _STRING,
                    },
                    "required": [
                        "candidate",
                        "position",
                        "kind",
                        "due",
                        "title",
                        "detail",
                        "parameter",
                        "source",
                        "uid",
                    ],
                    "additionalProperties": False,
                },
            },
        },
        ["placements", "tasks"],
        "The tasks by placement, each by due date: the columns of the CSV export.",
    ),
    "ProgressRequest": _envelope(
        "ProgressRequest",
        {
            "scenario": _ref(_document("scenario")),
            "as_of": {
                **_DATE,
                "description": "The report's date; the scenario's as_of by default.",
            },
        },
        ["scenario"],
        "A scenario whose targets to report on.",
    ),
    "ProgressResponse": _envelope(
        "ProgressResponse",
        {
            "scenario": _STRING,
            "as_of": _DATE,
            "targets": {"type": "array", "items": _TARGET_PROGRESS},
            "indicators": {
                "type": "array",
                "items": {
                    "type": "object",
                    "description": "A reported figure without a target, and its latest value.",
                    "properties": {
                        "programme": _STRING,
                        "indicator": _ref("Indicator"),
                        "latest": _ref("Observation"),
                    },
                    "required": ["programme", "indicator"],
                    "additionalProperties": False,
                },
            },
            "summary": {"type": "string", "description": "The text sgcq progress prints."},
        },
        ["scenario", "as_of", "targets", "indicators", "summary"],
        "Each target's state, observed value and projection.",
    ),
    "ScenarioList": _envelope(
        "ScenarioList",
        {
            "scenarios": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "title": {"type": "string"},
                        "cohorts": {"type": "array", "items": {"type": "string"}},
                        "candidates": {"type": "integer"},
                        "positions": {"type": "integer"},
                    },
                    "required": ["name", "title", "cohorts", "candidates", "positions"],
                    "additionalProperties": False,
                },
            }
        },
        ["scenarios"],
        "The bundled scenarios.",
    ),
    "Errors": _envelope(
        "Errors",
        {
            "errors": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "path": {
                            "type": "string",
                            "description": "Where in the body, e.g. scenario.candidates[3].id; "
                            "empty for the body as a whole.",
                        },
                        "message": {"type": "string"},
                    },
                    "required": ["path", "message"],
                    "additionalProperties": False,
                },
            }
        },
        ["errors"],
        "Every problem found, each with the path to the bad value.",
    ),
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(description: str) -> dict[str, Any]:
    return _json(_ref("Errors"), description)


_REFUSALS = {
    "413": _errors("The body is larger than the service's limit."),
    "422": _errors("The body is not valid JSON or not a valid document; the paths say where."),
    "503": _errors("Every solver is busy and the queue is full; retry after Retry-After seconds."),
}


def _post(summary: str, request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
            "responses": {"200": _json(response, "Done."), **_REFUSALS},
        }
    }


@functools.cache
def _cached() -> dict[str, Any]:
    components: dict[str, Any] = {}
    for kind in _KINDS:
        _add_kind(components, kind)
    components.update(_ENVELOPES)
    any_document = {"oneOf": [_ref(_document(k)) for k in _KINDS]}
    kind_param = {
        "name": "kind",
        "in": "query",
        "required": False,
        "description": "Refuse a document of any other kind.",
        "schema": {"type": "string"},
    }
    validate = _post(
        "Check a document; nothing is solved.",
        {"description": "Any sgcq document (these kinds and every other).", **any_document},
        _ref("ValidateResponse"),
    )
    validate["post"]["parameters"] = [kind_param]
    tasks = _post(
        "The dated tasks of placements, as JSON or (Accept: text/calendar) an iCalendar file.",
        _ref("TasksRequest"),
        _ref("TasksResponse"),
    )
    done = tasks["post"]["responses"]["200"]
    done["content"]["text/calendar"] = {"schema": {"type": "string"}}
    tasks["post"]["responses"]["406"] = _errors(
        "text/calendar was asked for and the service lacks the 'ical' extra (icalendar)."
    )
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": JSON_SCHEMA_DIALECT,
        "info": {
            "title": "sgcq",
            "version": __version__,
            "description": "Rules and matching for Singapore–Chongqing talent programmes, "
            "over HTTP. Bodies are sgcq documents (schema_version and kind at the top).",
        },
        "paths": {
            "/validate": validate,
            "/evaluate": _post(
                "Evaluate one option with the rules, with the reasons and citations.",
                _ref("EvaluateRequest"),
                _ref(_document("rule_trace")),
            ),
            "/match": _post(
                "Match a scenario's cohort.", _ref("MatchRequest"), _ref("MatchResponse")
            ),
            "/rematch": _post(
                "Match again after changes, keeping earlier placements where possible.",
                _ref("RematchRequest"),
                _ref("RematchResponse"),
            ),
            "/rounds": _post(
                "Run an offer round: apply the responses, make the next offers.",
                _ref("RoundsRequest"),
                _ref("RoundsResponse"),
            ),
            "/tasks": tasks,
            "/progress": _post(
                "Each target's state and linear projection on a date.",
                _ref("ProgressRequest"),
                _ref("ProgressResponse"),
            ),
            "/scenarios": {
                "get": {
                    "summary": "List the bundled scenarios.",
                    "responses": {"200": _json(_ref("ScenarioList"), "The scenarios.")},
                }
            },
            "/scenarios/{name}": {
                "get": {
                    "summary": "One bundled scenario, as a document.",
                    "parameters": [
                        {"name": "name", "in": "path", "required": True, "schema": _STRING}
                    ],
                    "responses": {
                        "200": _json(_ref(_document("scenario")), "The scenario."),
                        "404": _errors("No bundled scenario has this name."),
                    },
                }
            },
            "/schema/{kind}": {
                "get": {
                    "summary": "The JSON Schema of a document kind.",
                    "parameters": [
                        {"name": "kind", "in": "path", "required": True, "schema": _STRING}
                    ],
                    "responses": {
                        "200": _json({"type": "object"}, "A JSON Schema (2020-12)."),
                        "404": _errors("No document kind has this name."),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document.",
                    "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1.")},
                }
            },
        },
        "components": {"schemas": dict(sorted(components.items()))},
    }


def openapi_document() -> dict[str, Any]:
    """Return the service's OpenAPI 3.1 document.

    Returns
    -------
    dict
        A new JSON-ready document; the request and response bodies refer to
        the documents' JSON Schemas under ``components/schemas``
        (``scenario.document``, ``match_result.document``, ...).

    Examples
    --------
    >>> doc = openapi_document()
    >>> doc["openapi"], sorted(doc["paths"])[:3]
    ('3.1.0', ['/evaluate', '/match', '/openapi.json'])
    >>> doc["components"]["schemas"]["Money"]["required"]
    ['amount', 'currency']
    """
    import copy

    return copy.deepcopy(_cached())
