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
