"""Documents: sgcq models as JSON and TOML, losslessly.

Every document carries a ``schema_version`` and a ``kind`` at its top level
next to the model's fields::

    schema_version = 1
    kind = "scenario"
    id = "ntu-ydpg-2020"
    ...

Money amounts are written as decimal strings (``"1500.00"``), dates in ISO 8601
(``"2020-08-31"``), months as ``"2020-09"``, enums by value and sets as sorted
lists, so that writing and reading back gives an equal object. Fields that are
``None`` are left out (TOML has no null), and read back as their default,
``None``. A model with a field named like an envelope key (``Programme.kind``)
keeps its fields in a table named after its kind (``[programme]``). Unknown
fields are refused, never dropped; a bad document raises one
:class:`~sgcq.errors.DocumentError` listing every bad value with its path.
Nothing is changed silently on the way in: a key given twice in a JSON table,
a string where a list is expected, a set with a repeated item, a string with
a lone surrogate (which no UTF-8 file can hold) and nesting deeper than
:data:`~sgcq.models.limits.MAX_NESTING` are all errors with their paths.

Examples
--------
>>> from sgcq.models import Money
>>> text = dumps_json(Money("1500", "SGD"))
>>> print(text)
{
  "schema_version": 1,
  "kind": "money",
  "amount": "1500",
  "currency": "SGD"
}
>>> loads_json(text, Money) == Money("1500", "SGD")
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar, overload

import attrs
import tomli_w

from sgcq.errors import DocumentError, FieldError, SchemaVersionError
from sgcq.models.limits import MAX_NESTING
from sgcq.serialization._converter import collect_errors, converter, key_path
from sgcq.serialization._kinds import kind_class, kind_names, kind_of
from sgcq.serialization._toml import (
    TomlReadError,
    long_number_at,
    parse_toml,
    read_text,
    read_toml,
)

__all__ = [
    "SCHEMA_VERSION",
    "dump",
    "dumps_json",
    "dumps_toml",
    "from_data",
    "load",
    "loads_json",
    "loads_toml",
    "structure_fields",
    "to_data",
]

#: The document schema this version of sgcq writes and reads.
SCHEMA_VERSION = 1

T = TypeVar("T")

#: The keys of the document envelope.
_ENVELOPE_KEYS = frozenset({"schema_version", "kind"})


def _nested(cls: type) -> bool:
    # A model with a field named like an envelope key (Programme.kind) would
    # overwrite the envelope if written flat, so its fields go in a table named
    # after its kind: kind = "programme" and [programme] kind = "internship".
    return attrs.has(cls) and any(a.name in _ENVELOPE_KEYS for a in attrs.fields(cls))


def _strip_none(value: Any) -> Any:
    # TOML has no null; leaving None out keeps both formats identical, and
    # every optional field defaults to None, so nothing is lost.
    if isinstance(value, dict):
        return {k: _strip_none(x) for k, x in value.items() if x is not None}
    if isinstance(value, list):
        return [_strip_none(x) for x in value]
    return value


# --- the raw tree ----------------------------------------------------------


class _JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys given more than once (json keeps the last)."""

    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = _JsonObject()
    repeated: list[str] = []
    for key, value in pairs:
        if key in obj and key not in repeated:
            repeated.append(key)
        obj[key] = value
    if repeated:
        obj.duplicates = tuple(repeated)
    return obj


def _surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _tree_problems(data: Any, prefix: str = "") -> list[FieldError]:
    """Return what the converter cannot be trusted with: repeated keys, bad text, deep nesting.

    Walks the tree without recursion, so that a hostile depth cannot
    overflow the stack.
    """
    problems: list[FieldError] = []
    stack: list[tuple[Any, str, int]] = [(data, prefix, 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if _surrogate(value):
                problems.append(FieldError(path, "text with a lone surrogate (not valid Unicode)"))
            continue
        if not isinstance(value, (Mapping, list, tuple)):
            continue
        if depth >= MAX_NESTING:
            problems.append(
                FieldError(path, f"lists and tables nested more than {MAX_NESTING} deep")
            )
            continue
        if isinstance(value, Mapping):
            for key in getattr(value, "duplicates", ()):
                problems.append(
                    FieldError(key_path(path, key), "key given more than once in one table")
                )
            children = []
            for key, item in value.items():
                sub = key_path(path, key) if isinstance(key, str) else f"{path}[{key!r}]"
                if isinstance(key, str) and _surrogate(key):
                    problems.append(
                        FieldError(sub, "key with a lone surrogate (not valid Unicode)")
                    )
                children.append((item, sub, depth + 1))
        else:
            children = [(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
        stack.extend(reversed(children))
    return problems


# --- data level ------------------------------------------------------------


def to_data(obj: Any) -> dict[str, Any]:
    """Return ``obj`` as a plain document dict with ``schema_version`` and ``kind``.

    Parameters
    ----------
    obj
        An instance of a document kind (see :data:`~sgcq.serialization.KINDS`).

    Returns
    -------
    dict
        JSON- and TOML-ready data.

    Raises
    ------
    TypeError
        If ``obj``'s class is not a document kind.
    """
    kind = kind_of(type(obj))
    body = _strip_none(converter.unstructure(obj, type(obj)))
    if _nested(type(obj)):
        return {"schema_version": SCHEMA_VERSION, "kind": kind, kind: body}
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **body}


@overload
def from_data(data: Mapping[str, Any], cls: type[T], *, source: str = "<data>") -> T: ...
@overload
def from_data(data: Mapping[str, Any], cls: None = None, *, source: str = "<data>") -> object: ...
def from_data(
    data: Mapping[str, Any], cls: type[Any] | None = None, *, source: str = "<data>"
) -> Any:
    """Build a model from a document dict made by :func:`to_data` or read from a file.

    Parameters
    ----------
    data
        The document: ``schema_version``, ``kind`` and the model's fields.
    cls
        The expected class; ``None`` takes it from the document's ``kind``.
    source
        Named in error messages (usually the file name).

    Returns
    -------
    object
        An instance of ``cls``.

    Raises
    ------
    SchemaVersionError
        If ``schema_version`` is missing or not one this version reads.
    DocumentError
        If ``kind`` does not match, or any field is bad; lists every problem.
        Also for a key repeated in a JSON table, text that is not valid
        Unicode and nesting deeper than :data:`~sgcq.models.limits.MAX_NESTING`.
    """
    if not isinstance(data, Mapping):
        raise DocumentError([FieldError("", "a document must be a table (mapping)")], source)
    problems = _tree_problems(data)
    if problems:
        raise DocumentError(problems, source)
    body = dict(data)
    version = body.pop("schema_version", None)
    if version is None:
        raise SchemaVersionError(
            [
                FieldError(
                    "schema_version", f"missing; this sgcq writes schema_version = {SCHEMA_VERSION}"
                )
            ],
            source,
        )
    if version != SCHEMA_VERSION:
        raise SchemaVersionError(
            [
                FieldError(
                    "schema_version",
                    f"unknown schema version {version!r}; this sgcq reads {SCHEMA_VERSION}",
                )
            ],
            source,
        )
    kind = body.pop("kind", None)
    if kind is None:
        raise DocumentError([FieldError("kind", "missing; say what the document holds")], source)
    target = kind_class(kind) if isinstance(kind, str) else None
    if target is None:
        known = ", ".join(sorted(kind_names()))
        raise DocumentError(
            [FieldError("kind", f"unknown kind {kind!r}; known: {known}")],
            source,
        )
    if cls is not None and target is not cls:
        raise DocumentError(
            [FieldError("kind", f"expected a {kind_of(cls)!r} document, got {kind!r}")], source
        )
    prefix = ""
    if _nested(target):
        inner = body.pop(kind, None)
        if not isinstance(inner, Mapping):
            problems = [FieldError(kind, f"expected a table holding the {kind}'s fields")]
            problems += [
                FieldError(key_path("", k), "unknown field next to kind") for k in sorted(body)
            ]
            raise DocumentError(problems, source)
        if body:
            raise DocumentError(
                [FieldError(key_path("", k), "unknown field next to kind") for k in sorted(body)],
                source,
            )
        body, prefix = dict(inner), kind
    try:
        result: Any = converter.structure(body, target)
    except Exception as exc:
        raise DocumentError(collect_errors(exc, prefix), source) from None
    return result


# --- text level --------------------------------------------------------------


def dumps_json(obj: Any, *, indent: int | None = 2) -> str:
    """Return ``obj`` as a JSON document."""
    return json.dumps(to_data(obj), indent=indent, ensure_ascii=False)


@overload
def loads_json(text: str, cls: type[T], *, source: str = "<string>") -> T: ...
@overload
def loads_json(text: str, cls: None = None, *, source: str = "<string>") -> object: ...
def loads_json(text: str, cls: type[Any] | None = None, *, source: str = "<string>") -> Any:
    """Read a JSON document; see :func:`from_data` for ``cls`` and the errors raised."""
    try:
        data = json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            [FieldError("", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")],
            source,
        ) from None
    except RecursionError:
        raise DocumentError(
            [FieldError("", "not valid JSON: arrays or objects nested too deeply")], source
        ) from None
    except ValueError:
        # int() refuses literals over sys.get_int_max_str_digits() digits.
        line, column = long_number_at(text)
        where = f" at line {line}, column {column}" if line is not None else ""
        raise DocumentError(
            [FieldError("", f"not valid JSON{where}: a number has too many digits")], source
        ) from None
    return from_data(data, cls, source=source)


def dumps_toml(obj: Any) -> str:
    """Return ``obj`` as a TOML document."""
    return tomli_w.dumps(to_data(obj))


@overload
def loads_toml(text: str, cls: type[T], *, source: str = "<string>") -> T: ...
@overload
def loads_toml(text: str, cls: None = None, *, source: str = "<string>") -> object: ...
def loads_toml(text: str, cls: type[Any] | None = None, *, source: str = "<string>") -> Any:
    """Read a TOML document; see :func:`from_data` for ``cls`` and the errors raised."""
    try:
        data = parse_toml(text, source=source)
    except TomlReadError as exc:
        raise _unreadable(exc) from None
    return from_data(data, cls, source=source)


# --- files -------------------------------------------------------------------


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise DocumentError(
            [
                FieldError(
                    "", f"cannot tell the format from {suffix or 'no suffix'!r}; use .json or .toml"
                )
            ],
            str(path),
        )
    return suffix[1:]


def dump(obj: Any, path: str | Path) -> Path:
    """Write ``obj`` to ``path`` as JSON or TOML, chosen by the file's suffix.

    Returns
    -------
    Path
        The path written.
    """
    p = Path(path)
    text = dumps_json(obj) + "\n" if _format_of(p) == "json" else dumps_toml(obj)
    p.write_text(text, encoding="utf-8")
    return p


@overload
def load(path: str | Path, cls: type[T]) -> T: ...
@overload
def load(path: str | Path, cls: None = None) -> object: ...
def load(path: str | Path, cls: type[Any] | None = None) -> Any:
    """Read a JSON or TOML document from ``path`` (format by suffix).

    With ``cls``, the result is typed (and checked) as an instance of ``cls``;
    without it, the class comes from the document's ``kind`` and the result
    is typed ``object``: narrow it with ``isinstance``, or pass ``cls``.

    Raises
    ------
    DocumentError
        Naming the file and every bad value's path; or naming the file if it
        cannot be read, is not UTF-8 or is not valid JSON or TOML.
    """
    p = Path(path)
    fmt = _format_of(p)
    try:
        if fmt == "json":
            return loads_json(read_text(p), cls, source=str(p))
        data = read_toml(p)
    except TomlReadError as exc:
        raise _unreadable(exc) from None
    return from_data(data, cls, source=str(p))


def _unreadable(exc: TomlReadError) -> DocumentError:
    return DocumentError([FieldError("", exc.message)], exc.source)


def structure_fields(data: Mapping[str, Any], cls: type[T], *, source: str) -> T:
    """Structure a bare field dict (no envelope) into ``cls`` with sgcq's error paths.

    Used by the CSV readers and by other layers' file formats.
    """
    try:
        result: T = converter.structure(dict(data), cls)
    except Exception as exc:
        raise DocumentError(collect_errors(exc), source) from None
    return result
