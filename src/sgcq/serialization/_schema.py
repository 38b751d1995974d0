"""JSON Schema (draft 2020-12) for every document kind, generated from the classes.

The schema of a kind is built from its class's attrs fields, walking the
field types the way :data:`~sgcq.serialization.converter` does, and writes
each of the converter's hooks as the JSON it reads:

- decimals (:class:`~decimal.Decimal`) as decimal strings (``"1500.00"``) or
  integers, never JSON floats;
- dates as ``"YYYY-MM-DD"``, months (:class:`~sgcq.models.YearMonth`) as
  ``"YYYY-MM"``, timestamps as ISO 8601 strings;
- enums by value; sets and tuples as arrays; rankings as ``{id: rank}``;
- the tagged unions (a position's ``starts``, a quota's limits) as ``oneOf``
  with a ``type`` key;
- every object with ``additionalProperties: false``, because the loader
  refuses unknown fields.

A schema describes the shape of a document. The models' own checks (an
identifier's characters, a range that ends after it starts, ids that refer
to each other) stay with the loader, which rejects such a document with the
path to each bad value. Whatever the loader accepts, the schema accepts
(``tests/serialization/test_schema_property.py`` checks both directions).

The schemas are generated when first asked for and cached: they follow the
code they describe, so they cannot drift from it, and users' own kinds
(:func:`~sgcq.serialization.register_kind`) get one too.
"""

from __future__ import annotations

import copy
import functools
import inspect
import re
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Union

import attrs

from sgcq.models import Mode, QuotaLimit, Ranking, StartRule, YearMonth
from sgcq.models import _validate as mv
from sgcq.models.candidates import countries, tags
from sgcq.models.money import CURRENCY_MINOR_UNITS
from sgcq.models.money import _currency as currency_code
from sgcq.models.parties import country_code
from sgcq.serialization._kinds import kind_class, kind_names
from sgcq.serialization.documents import SCHEMA_VERSION, _nested

__all__ = [
    "DECIMAL_PATTERN",
    "JSON_SCHEMA_DIALECT",
    "file_format_names",
    "json_schema",
    "schema_id",
]

#: The JSON Schema dialect every sgcq schema declares.
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The tagged unions of the converter (``configure_converter``), by tag key.
_TAGGED_UNIONS: tuple[Any, ...] = (StartRule, QuotaLimit)

#: A decimal number as the converter reads it from a string.
DECIMAL_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"

#: Scalars with a hook of their own in ``configure_converter``, as JSON.
_SCALARS: dict[type, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    Decimal: {
        "description": 'A decimal number, written as a string ("1500.00") or an integer.',
        "anyOf": [{"type": "string", "pattern": DECIMAL_PATTERN}, {"type": "integer"}],
    },
    date: {
        "description": "A date, YYYY-MM-DD.",
        "type": "string",
        "format": "date",
        "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    },
    datetime: {
        "description": "An ISO 8601 timestamp with its UTC offset.",
        "type": "string",
        "format": "date-time",
    },
    YearMonth: {
        "description": "A month, YYYY-MM.",
        "type": "string",
        "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$",
    },
    Ranking: {
        "description": "Ranks over ids: {id: rank}, 1 best, equal ranks are ties.",
        "type": "object",
        "additionalProperties": {"type": "integer"},
    },
}


_COUNTRY = {"pattern": "^[A-Z]{2}$"}

#: The models' field validators that a schema can say, as (for the value,
#: for each item of a set). The models keep every other check (and these too:
#: the schema only says them early, for clients).
_VALIDATORS: dict[Any, tuple[dict[str, Any], dict[str, Any]]] = {
    mv.identifier: ({"pattern": mv._ID.pattern}, {}),
    mv.text: ({"pattern": "\\S"}, {}),
    mv.positive: ({"minimum": 1}, {}),
    mv.non_negative: ({"minimum": 0}, {}),
    currency_code: ({"enum": sorted(CURRENCY_MINOR_UNITS)}, {}),
    country_code: (_COUNTRY, {}),
    countries: ({}, _COUNTRY),
    tags: ({}, {"pattern": "^[a-z0-9][a-z0-9_.+-]*$"}),
}


def _validators(validator: Any) -> list[Any]:
    """Flatten a field's validator: attrs' ``and_``, the models' ``optional`` and ``quiet``."""
    if validator is None:
        return []
    inner = getattr(validator, "_validators", None)  # attrs.validators.and_
    if inner is not None:
        return [x for each in inner for x in _validators(each)]
    # The models' optional() and quiet() (a personal field's validators, which
    # do not echo the value) keep the validators they wrap in their closure.
    wrapper = getattr(validator, "__qualname__", "")
    if wrapper in ("optional.<locals>._v", "quiet.<locals>._v") and validator.__closure__:
        cells = dict(zip(validator.__code__.co_freevars, validator.__closure__, strict=True))
        if "validators" in cells:
            return [x for each in cells["validators"].cell_contents for x in _validators(each)]
    return [validator]


def _constrain(prop: dict[str, Any], validator: Any) -> dict[str, Any]:
    """Add what the field's validators say to its schema, where the value's form allows it."""
    target = prop
    if "anyOf" in prop and prop["anyOf"][-1] == {"type": "null"} and len(prop["anyOf"]) == 2:
        target = prop["anyOf"][0]
    for each in _validators(validator):
        value, item = _VALIDATORS.get(each, ({}, {}))
        numeric = {"minimum"} & value.keys()
        if value and target.get("type") == ("integer" if numeric else "string"):
            target.update(value)
        items = target.get("items")
        if item and isinstance(items, dict) and items.get("type") == "string":
            items.update(item)
    return prop


def _tag(cls: type) -> str:
    # The same tags as the converter's (``_converter._tag``): StartDates -> start_dates.
    name = cls.__name__
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


_FIELD_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*(?:, *[A-Za-z_][A-Za-z0-9_]*)*)(?: *:.*)?$")


def _field_docs(cls: type) -> dict[str, str]:
    """Return the numpydoc ``Parameters``/``Attributes`` entries of ``cls``'s docstring."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    out: dict[str, str] = {}
    lines = doc.splitlines()
    in_section = False
    names: list[str] = []
    text: list[str] = []

    def flush() -> None:
        if names and text:
            for name in names:
                out.setdefault(name, " ".join(text))

    for i, line in enumerate(lines):
        underline = i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}
        if underline:
            flush()
            names, text = [], []
            in_section = line.strip() in ("Parameters", "Attributes")
            continue
        if not in_section or set(line.strip()) == {"-"}:
            continue
        m = _FIELD_LINE.match(line)
        if m and not line.startswith(" "):
            flush()
            names, text = [n.strip() for n in m.group(1).split(",")], []
        elif line.startswith(" ") and names:
            text.append(line.strip())
    flush()
    return out


def _summary(cls: type) -> str:
    doc = inspect.cleandoc(cls.__doc__ or "")
    return doc.split("\n\n", 1)[0].replace("\n", " ").strip()


class _Builder:
    """Builds one kind's schema, collecting the classes it uses in ``$defs``."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self._names: dict[tuple[type, str | None], str] = {}

    def _def_name(self, cls: type, tag: str | None) -> str:
        key = (cls, tag)
        name = self._names.get(key)
        if name is None:
            base = cls.__name__ if tag is None else f"{cls.__name__}Tagged"
            name, n = base, 2
            while name in self.defs:  # another class of the same name
                name, n = f"{base}{n}", n + 1
            self._names[key] = name
            self.defs[name] = {}  # reserved before the walk, for recursive types
            self.defs[name] = self.object(cls, tag)
        return name

    def ref(self, cls: type, tag: str | None = None) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self._def_name(cls, tag)}"}

    def object(self, cls: type, tag: str | None = None) -> dict[str, Any]:
        """Return the schema of an attrs class's fields."""
        hints = typing.get_type_hints(cls)
        docs = _field_docs(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if tag is not None:
            properties["type"] = {"const": tag}
            required.append("type")
        for a in attrs.fields(cls):
            if not a.init or a.metadata.get("document", True) is False:
                continue  # never written, and refused when a document names it
            prop = _constrain(self.of(hints.get(a.name, a.type)), a.validator)
            if a.name in docs:
                # The field's own words first, then what the value's form is.
                described = " ".join(x for x in (docs[a.name], prop.get("description")) if x)
                prop = {**prop, "description": described}
            properties[a.name] = prop
            if a.default is attrs.NOTHING:
                required.append(a.name)
        out: dict[str, Any] = {"title": cls.__name__}
        summary = _summary(cls)
        if summary:
            out["description"] = summary
        out.update(type="object", properties=properties, additionalProperties=False)
        if required:
            out["required"] = required
        return out

    def of(self, t: Any) -> dict[str, Any]:
        """Return the schema of a value of type ``t`` as the converter reads it."""
        if t is Any or t is object:
            return {}
        if t is type(None) or t is None:
            return {"type": "null"}
        origin = typing.get_origin(t)
        args = typing.get_args(t)
        if origin is Union or origin is types.UnionType:
            members = tuple(a for a in args if a is not type(None))
            inner: dict[str, Any]
            if len(members) == 1:
                inner = self.of(members[0])
            elif any(members == typing.get_args(u) for u in _TAGGED_UNIONS):
                inner = {"oneOf": [self.ref(c, _tag(c)) for c in members]}
            else:
                inner = {"anyOf": [self.of(m) for m in members]}
            if len(members) < len(args):
                # Documents leave None out; the loader also reads an explicit null.
                return {"anyOf": [inner, {"type": "null"}]}
            return inner
        if origin is typing.Literal:
            return {"enum": list(args)}
        if origin in (frozenset, set, list, tuple) or t in (frozenset, set, list, tuple):
            if origin is tuple and args and args[-1] is not Ellipsis:
                return {
                    "type": "array",
                    "prefixItems": [self.of(a) for a in args],
                    "minItems": len(args),
                    "maxItems": len(args),
                    "items": False,
                }
            item = self.of(args[0]) if args else {}
            return {"type": "array", "items": item}
        if origin in (dict, Mapping) or t in (dict, Mapping):
            value = self.of(args[1]) if len(args) == 2 else {}
            out: dict[str, Any] = {"type": "object", "additionalProperties": value}
            if args and isinstance(args[0], type) and issubclass(args[0], Enum):
                out["propertyNames"] = {"enum": [m.value for m in args[0]]}
            return out
        if isinstance(t, type):
            if issubclass(t, Enum):
                return {"title": t.__name__, "enum": [m.value for m in t]}
            for scalar in (bool, *(s for s in _SCALARS if s is not bool)):
                # bool first: it is an int subclass; the exact class decides.
                if t is scalar:
                    return copy.deepcopy(_SCALARS[scalar])
            if attrs.has(t):
                return self.ref(t)
        raise TypeError(f"no JSON Schema for the type {t!r}")


_DATE = _SCALARS[date]
_DECIMAL = _SCALARS[Decimal]
_STRINGS = {"type": "array", "items": {"type": "string"}}
_CITATION = {
    "type": "object",
    "properties": {
        "source": {"type": "string"},
        "date": _DATE,
        "detail": {"type": "string"},
        "confidence": {"enum": ["high", "medium", "low"]},
    },
    "required": ["source", "date"],
    "additionalProperties": False,
}


def _parameter_value(kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
        "then": {"properties": {"values": {"items": {"properties": {"value": value}}}}},
    }


#: The file formats of the rule data, read by hand in the rules layer
#: (``sgcq.rules.parameters``, ``sgcq.rules.cases``) rather than through the
#: converter; TOML files, whose dates are TOML dates (written as
#: ``YYYY-MM-DD`` strings when the document is seen as JSON).
_FILE_FORMATS: dict[str, dict[str, Any]] = {
    "parameters": {
        "description": "Rule parameters: dated values, each with the reference it rests on.",
        "properties": {
            "parameters": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "description": {"type": "string"},
                        "unit": {"type": "string"},
                        "type": {"enum": ["int", "decimal", "str", "bool", "date", "list"]},
                        "values": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "properties": {
                                    "start": _DATE,
                                    "value": {},
                                    "repealed": {"type": "boolean"},
                                    "reference": _CITATION,
                                },
                                "required": ["start", "reference"],
                                "additionalProperties": False,
                            },
                        },
                    },
                    "required": ["type", "values"],
                    "additionalProperties": False,
                    "allOf": [
                        _parameter_value("int", {"type": "integer"}),
                        _parameter_value("decimal", _DECIMAL),
                        _parameter_value("str", {"type": "string"}),
                        _parameter_value("bool", {"type": "boolean"}),
                        _parameter_value("date", _DATE),
                        _parameter_value("list", _STRINGS),
                    ],
                },
            },
        },
        "required": [],
    },
    "rule_cases": {
        "description": "Rule cases: an input, a date, and the verdict and reasons expected.",
        "properties": {
            "rulebook": {"type": "string"},
            "parameters": _STRINGS,
            "cases": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "minLength": 1},
                        "description": {"type": "string"},
                        "scenario": {"type": "string", "minLength": 1},
                        "scenario_file": {"type": "string", "minLength": 1},
                        "candidate": {"type": "string", "minLength": 1},
                        "position": {"type": "string", "minLength": 1},
                        "mode": {"enum": [m.value for m in Mode]},
                        "start": _DATE,
                        "end": _DATE,
                        "months": {"type": "integer", "minimum": 1},
                        "days": {"type": "integer", "minimum": 1},
                        "as_of": _DATE,
                        "rule": {"type": "string", "minLength": 1},
                        "documents": _STRINGS,
                        "expect": {
                            "enum": ["eligible", "ineligible", "undetermined", "not_applicable"]
                        },
                        "codes": _STRINGS,
                        "absent_codes": _STRINGS,
                        "missing": _STRINGS,
                        "facts": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                    "required": ["id", "candidate", "position", "start", "rule", "expect"],
                    "oneOf": [{"required": ["scenario"]}, {"required": ["scenario_file"]}],
                    "additionalProperties": False,
                },
            },
        },
        "required": [],
    },
}


def file_format_names() -> tuple[str, ...]:
    """Return the rule-data file formats that have a schema but are not document kinds."""
    return tuple(_FILE_FORMATS)


def schema_id(kind: str) -> str:
    """Return the ``$id`` of the schema of documents of kind ``kind``.

    Examples
    --------
    >>> schema_id("money")
    'urn:sgcq:schema:1:money'
    """
    return f"urn:sgcq:schema:{SCHEMA_VERSION}:{kind}"


@functools.cache
def _cached(kind: str) -> dict[str, Any]:
    envelope: dict[str, Any] = {
        "schema_version": {
            "description": "The version of the document schema.",
            "const": SCHEMA_VERSION,
        },
        "kind": {"description": "What the document holds.", "const": kind},
    }
    required = ["schema_version", "kind"]
    if kind in _FILE_FORMATS:
        fmt = _FILE_FORMATS[kind]
        return {
            "$schema": JSON_SCHEMA_DIALECT,
            "$id": schema_id(kind),
            "title": f"sgcq {kind} file",
            "description": fmt["description"],
            "type": "object",
            "properties": {**envelope, **fmt["properties"]},
            "required": [*required, *fmt["required"]],
            "additionalProperties": False,
        }
    cls = kind_class(kind)
    if cls is None:
        raise KeyError(kind)
    b = _Builder()
    if _nested(cls):
        # Programme has a field named ``kind``: its fields sit in a table named after the kind.
        body = {
            "type": "object",
            "properties": {**envelope, kind: b.ref(cls)},
            "required": [*required, kind],
            "additionalProperties": False,
        }
    else:
        fields = b.object(cls)
        body = {
            "type": "object",
            "properties": {**envelope, **fields["properties"]},
            "required": [*required, *fields.get("required", [])],
            "additionalProperties": False,
        }
    out: dict[str, Any] = {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_id(kind),
        "title": f"sgcq {kind} document",
    }
    summary = _summary(cls)
    if summary:
        out["description"] = summary
    out.update(body)
    if b.defs:
        out["$defs"] = dict(sorted(b.defs.items()))
    return out


def json_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of documents of kind ``kind``.

    Parameters
    ----------
    kind
        A document kind (see :data:`~sgcq.serialization.KINDS`), such as
        ``"scenario"`` or ``"match_result"``; users' kinds added with
        :func:`~sgcq.serialization.register_kind` have one too, and so have
        the rule data's files, ``"parameters"`` and ``"rule_cases"``.

    Returns
    -------
    dict
        A new JSON-ready schema (a copy: change it freely). Its classes are
        in ``$defs``, named after them.

    Raises
    ------
    KeyError
        If ``kind`` is not a document kind; the message lists the known ones.
    TypeError
        If a registered class has a field of a type the converter has no
        document form for.

    Examples
    --------
    >>> schema = json_schema("money")
    >>> schema["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    >>> schema["required"]
    ['schema_version', 'kind', 'amount', 'currency']
    >>> schema["properties"]["amount"]["anyOf"][1]
    {'type': 'integer'}
    >>> schema["additionalProperties"]
    False
    """
    if kind not in kind_names() and kind not in _FILE_FORMATS:
        known = ", ".join(sorted((*kind_names(), *_FILE_FORMATS)))
        raise KeyError(f"unknown document kind {kind!r}; known: {known}")
    return copy.deepcopy(_cached(kind))
