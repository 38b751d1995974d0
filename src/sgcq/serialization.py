"""Reading and writing sgcq models as JSON and TOML, losslessly.

This is the one module that knows about file formats. Every document carries a
``schema_version`` and a ``kind`` at its top level next to the model's fields::

    schema_version = 1
    kind = "scenario"
    id = "ntu-ydpg-2020"
    ...

Money amounts are written as decimal strings (``"1500.00"``), dates in ISO 8601
(``"2020-08-31"``), months as ``"2020-09"``, enums by value and sets as sorted
lists, so that writing and reading back gives an equal object. Fields that are
``None`` are left out (TOML has no null), and read back as their default,
``None``. Unknown fields are refused, never dropped; a bad document raises one
:class:`~sgcq.errors.DocumentError` listing every bad value with its path.

Examples
--------
>>> from datetime import date
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
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any, Optional, TypeVar, get_args

import cattrs
import tomli_w
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.strategies import configure_tagged_union

from sgcq.errors import DocumentError, FieldError, ModelValidationError, SchemaVersionError
from sgcq.models import (
    Allowance,
    Candidate,
    Cohort,
    DateRange,
    ExchangeRate,
    Money,
    Organisation,
    Placement,
    Position,
    Programme,
    QuotaLimit,
    Ranking,
    RateTable,
    Scenario,
    StartRule,
    YearMonth,
)
from sgcq.models.errors import join_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib
    from exceptiongroup import BaseExceptionGroup

__all__ = [
    "KINDS",
    "SCHEMA_VERSION",
    "configure_converter",
    "converter",
    "dump",
    "dumps_json",
    "dumps_toml",
    "from_data",
    "load",
    "loads_json",
    "loads_toml",
    "make_converter",
    "register_kind",
    "structure_fields",
    "to_data",
]

#: The document schema this version of sgcq writes and reads.
SCHEMA_VERSION = 1

T = TypeVar("T")

#: Document kinds by name. :func:`register_kind` adds more (the rules and
#: matching layers register their own result types).
KINDS: dict[str, type] = {
    "scenario": Scenario,
    "organisation": Organisation,
    "programme": Programme,
    "cohort": Cohort,
    "candidate": Candidate,
    "position": Position,
    "placement": Placement,
    "money": Money,
    "allowance": Allowance,
    "date_range": DateRange,
    "exchange_rate": ExchangeRate,
    "rate_table": RateTable,
}


def register_kind(name: str, cls: type) -> None:
    """Make ``cls`` readable and writable as a document of kind ``name``.

    Raises
    ------
    ValueError
        If ``name`` is taken by another class.
    """
    if KINDS.get(name, cls) is not cls:
        raise ValueError(f"document kind {name!r} is already used by {KINDS[name].__name__}")
    KINDS[name] = cls


def _kind_of(cls: type) -> str:
    for name, k in KINDS.items():
        if k is cls:
            return name
    raise TypeError(f"{cls.__name__} is not a document kind; register it with register_kind")


# --- strict scalar hooks ---------------------------------------------------


def _type_error(expected: str, value: Any) -> ValueError:
    return ValueError(f"expected {expected}, got {type(value).__name__} {value!r}")


def _structure_int(value: Any, _t: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error("an integer", value)
    return value


def _structure_str(value: Any, t: type) -> Any:
    if t is not str and issubclass(t, Enum):
        return _enum_hook_factory(t)(value, t)
    if not isinstance(value, str):
        raise _type_error("a string", value)
    return value


def _structure_bool(value: Any, _t: type) -> bool:
    if not isinstance(value, bool):
        raise _type_error("true or false", value)
    return value


def _structure_decimal(value: Any, _t: type) -> Decimal:
    if isinstance(value, (bool, float)):
        raise _type_error('a decimal written as a string (e.g. "1500.00") or an integer', value)
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, str):
        raise _type_error("a decimal string", value)
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return result


def _structure_date(value: Any, _t: type) -> date:
    if isinstance(value, datetime):
        raise _type_error("a date (YYYY-MM-DD)", value)
    if isinstance(value, date):
        return value  # TOML native date
    if not isinstance(value, str):
        raise _type_error("a date string YYYY-MM-DD", value)
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a valid date in the form YYYY-MM-DD") from None


def _structure_datetime(value: Any, _t: type) -> datetime:
    if isinstance(value, datetime):
        return value  # TOML native datetime
    if not isinstance(value, str):
        raise _type_error("an ISO 8601 timestamp", value)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 timestamp") from None


def _structure_year_month(value: Any, _t: type) -> YearMonth:
    if not isinstance(value, str):
        raise _type_error("a month string YYYY-MM", value)
    return YearMonth.parse(value)


def _structure_ranking(value: Any, _t: type) -> Ranking:
    if not isinstance(value, Mapping):
        raise _type_error("a table of id = rank", value)
    for key, rank in value.items():
        if isinstance(rank, bool) or not isinstance(rank, int):
            raise ValueError(f"rank of {key!r} must be an integer, got {rank!r}")
    return Ranking(dict(value))


def _enum_hook_factory(cls: type[Enum]) -> Callable[[Any, type], Enum]:
    values = ", ".join(repr(m.value) for m in cls)

    def _structure(value: Any, _t: type) -> Enum:
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"{value!r} is not one of {values}") from None

    return _structure


def _frozenset_unstructure_factory(conv: cattrs.Converter) -> Callable[[type], Any]:
    def factory(t: type) -> Callable[[frozenset[Any]], list[Any]]:
        args = get_args(t)
        item_t = args[0] if args else Any

        def _unstructure(value: frozenset[Any]) -> list[Any]:
            items = [conv.unstructure(x, item_t) for x in value]
            return sorted(items, key=lambda x: (str(type(x)), x))

        return _unstructure

    return factory


def _strip_none(value: Any) -> Any:
    # TOML has no null; leaving None out keeps both formats identical, and
    # every optional field defaults to None, so nothing is lost.
    if isinstance(value, dict):
        return {k: _strip_none(x) for k, x in value.items() if x is not None}
    if isinstance(value, list):
        return [_strip_none(x) for x in value]
    return value


def _tag(cls: type) -> str:
    name = cls.__name__
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def configure_converter(conv: cattrs.Converter) -> None:
    """Install sgcq's hooks on a cattrs converter.

    Parameters
    ----------
    conv
        A converter made with ``forbid_extra_keys=True`` and ``detailed_validation=True``.
    """
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    # The str hook also receives str-based enums such as Role (dispatch is by
    # subclass), and hands them on to the enum hook.
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_structure_hook(YearMonth, _structure_year_month)
    conv.register_unstructure_hook(YearMonth, str)
    conv.register_structure_hook(Ranking, _structure_ranking)
    conv.register_unstructure_hook(Ranking, Ranking.as_dict)
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, Enum), _enum_hook_factory
    )
    conv.register_unstructure_hook_factory(
        lambda t: t is frozenset or getattr(t, "__origin__", None) is frozenset,
        _frozenset_unstructure_factory(conv),
    )
    for union in (StartRule, QuotaLimit):
        _tagged_union(conv, union)
    _optional_union(conv, QuotaLimit)


def _tagged_union(conv: cattrs.Converter, union: Any) -> None:
    configure_tagged_union(union, conv, tag_generator=_tag, tag_name="type")
    inner = conv.get_structure_hook(union)
    tags = sorted(_tag(c) for c in get_args(union))

    def _structure(value: Any, t: type) -> Any:
        # Check the tag ourselves so that a missing or unknown one gets a
        # message, not a bare KeyError from inside cattrs.
        if not isinstance(value, Mapping):
            raise _type_error("a table with a 'type' key", value)
        tag = value.get("type")
        if tag not in tags:
            what = "missing" if tag is None else f"unknown type {tag!r}"
            raise ValueError(f"{what}; 'type' must be one of {', '.join(map(repr, tags))}")
        return inner(dict(value), t)

    conv.register_structure_hook_func(lambda t: t == union, _structure)


def _optional_union(conv: cattrs.Converter, union: Any) -> None:
    # configure_tagged_union registers the bare union; an optional field's type
    # is ``union | None``, which needs its own hooks to keep the tag.
    optional = Optional[union]

    def _structure(value: Any, _t: type) -> Any:
        return None if value is None else conv.structure(value, union)

    def _unstructure(value: Any) -> Any:
        return None if value is None else conv.unstructure(value, union)

    conv.register_structure_hook_func(lambda t: t == optional, _structure)
    conv.register_unstructure_hook_func(lambda t: t == optional, _unstructure)


def make_converter() -> cattrs.Converter:
    """Return a new converter configured for sgcq documents.

    Use it to add hooks for your own types without touching the shared
    :data:`converter`.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(conv)
    return conv


#: The shared converter used by the functions of this module.
converter: cattrs.Converter = make_converter()


# --- errors --------------------------------------------------------------


def _collect(exc: BaseException, path: str, out: list[FieldError]) -> None:
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, others = exc.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                sub = join_path(path, note.name)
            elif isinstance(note, IterableValidationNote):
                sub = f"{path}[{note.index}]"
            else:  # pragma: no cover - cattrs adds only these two notes
                sub = path
            _collect(inner, sub, out)
        for inner in others:
            _collect(inner, path, out)
    elif isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            _collect(inner, path, out)
    elif isinstance(exc, ModelValidationError):
        out.extend(e.prefixed(path) for e in exc.errors)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            out.append(FieldError(join_path(path, key), f"unknown field for {exc.cl.__name__}"))
    elif isinstance(exc, KeyError):
        out.append(FieldError(path, "required field is missing"))
    elif isinstance(exc, (ValueError, TypeError, AttributeError)):
        out.append(FieldError(path, _plain(exc)))
    else:
        out.append(FieldError(path, f"{type(exc).__name__}: {exc}"))


def _plain(exc: BaseException) -> str:
    text = str(exc)
    if "not a mapping" in text or "argument after ** must be a mapping" in text:
        return "expected a table (mapping) here"
    if isinstance(exc, TypeError) and "object is not iterable" in text:
        return "expected a list here"
    if isinstance(exc, (TypeError, AttributeError)) and text:
        return f"wrong type of value ({text})"
    return text or type(exc).__name__


# --- data level ------------------------------------------------------------


def to_data(obj: Any) -> dict[str, Any]:
    """Return ``obj`` as a plain document dict with ``schema_version`` and ``kind``.

    Parameters
    ----------
    obj
        An instance of a registered document kind (see :data:`KINDS`).

    Returns
    -------
    dict
        JSON- and TOML-ready data.
    """
    kind = _kind_of(type(obj))
    body = _strip_none(converter.unstructure(obj, type(obj)))
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **body}


def from_data(data: Mapping[str, Any], cls: type[T] | None = None, *, source: str = "<data>") -> T:
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
    """
    if not isinstance(data, Mapping):
        raise DocumentError([FieldError("", "a document must be a table (mapping)")], source)
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
    if kind not in KINDS:
        raise DocumentError(
            [FieldError("kind", f"unknown kind {kind!r}; known: {', '.join(sorted(KINDS))}")],
            source,
        )
    target = KINDS[kind]
    if cls is not None and target is not cls:
        raise DocumentError(
            [FieldError("kind", f"expected a {_kind_of(cls)!r} document, got {kind!r}")], source
        )
    try:
        result: T = converter.structure(body, target)
    except Exception as exc:
        errors: list[FieldError] = []
        _collect(exc, "", errors)
        raise DocumentError(errors, source) from None
    return result


# --- text level --------------------------------------------------------------


def dumps_json(obj: Any, *, indent: int | None = 2) -> str:
    """Return ``obj`` as a JSON document."""
    return json.dumps(to_data(obj), indent=indent, ensure_ascii=False)


def loads_json(text: str, cls: type[T] | None = None, *, source: str = "<string>") -> T:
    """Read a JSON document; see :func:`from_data` for ``cls`` and the errors raised."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            [FieldError("", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")],
            source,
        ) from None
    return from_data(data, cls, source=source)


def dumps_toml(obj: Any) -> str:
    """Return ``obj`` as a TOML document."""
    return tomli_w.dumps(to_data(obj))


def loads_toml(text: str, cls: type[T] | None = None, *, source: str = "<string>") -> T:
    """Read a TOML document; see :func:`from_data` for ``cls`` and the errors raised."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DocumentError([FieldError("", f"not valid TOML: {exc}")], source) from None
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


def load(path: str | Path, cls: type[T] | None = None) -> T:
    """Read a JSON or TOML document from ``path`` (format by suffix).

    Raises
    ------
    DocumentError
        Naming the file and every bad value's path.
    """
    p = Path(path)
    fmt = _format_of(p)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocumentError(
            [FieldError("", f"cannot read the file: {exc.strerror}")], str(p)
        ) from None
    if fmt == "json":
        return loads_json(text, cls, source=str(p))
    return loads_toml(text, cls, source=str(p))


def structure_fields(data: Mapping[str, Any], cls: type[T], *, source: str) -> T:
    """Structure a bare field dict (no envelope) into ``cls`` with sgcq's error paths.

    Used by the CSV readers and by other layers' file formats.
    """
    try:
        result: T = converter.structure(dict(data), cls)
    except Exception as exc:
        errors: list[FieldError] = []
        _collect(exc, "", errors)
        raise DocumentError(errors, source) from None
    return result
