"""The one cattrs converter behind every sgcq file format.

:func:`make_converter` returns a converter with sgcq's hooks installed by
:func:`configure_converter`: strict scalars (no ``"2"`` for an integer, no
float for a decimal), strict collections (a list, set or tuple must be given
as a list: a string or a table is never split into its characters or keys,
and a set's items must be distinct), ISO 8601 dates, months as ``"YYYY-MM"``,
enums by value, sets as sorted lists and tagged unions with a ``type`` key.
:func:`collect_errors` turns cattrs' grouped exceptions into field errors
(:class:`~sgcq.errors.FieldError`) with the path to each bad value. The format
modules share :data:`converter`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Hashable, Mapping, MutableSequence, MutableSet, Sequence
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Optional, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from sgcq.errors import FieldError, ModelValidationError
from sgcq.models import Money, Quantity, QuotaLimit, Ranking, StartRule, YearMonth
from sgcq.models._personal import is_personal, withheld
from sgcq.models.errors import join_path

if sys.version_info < (3, 11):  # pragma: no cover - exercised on Python 3.10 only
    from exceptiongroup import BaseExceptionGroup

__all__ = ["collect_errors", "configure_converter", "converter", "key_path", "make_converter"]


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
    try:
        return Ranking(dict(value))
    except ModelValidationError as exc:
        # A document writes the ranks as the table itself, not under "ranks":
        # report ``preferences[p1]``, not ``preferences.ranks[p1]``.
        raise ModelValidationError(
            [FieldError(e.path.removeprefix("ranks"), e.message) for e in exc.errors]
        ) from None


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


# --- strict collections ------------------------------------------------------

_SETS = (frozenset, set, AbstractSet, MutableSet)
_LISTS = (list, tuple, Sequence, MutableSequence)


def _is_collection(t: Any) -> bool:
    origin = get_origin(t) or t
    return isinstance(origin, type) and origin in _SETS + _LISTS


def _collection_hook_factory(conv: cattrs.Converter) -> Callable[[Any], Any]:
    # cattrs' own hooks iterate whatever they are given, so "en" became
    # {'e', 'n'} and a table became the list of its keys; these accept only a
    # list (JSON and TOML arrays; a tuple or a set from Python code) and refuse
    # duplicate items of a set, each with its index.
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        origin = get_origin(t) or t
        args = get_args(t)
        is_set = origin in _SETS
        fixed: tuple[Any, ...] | None = None
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            fixed = args
        item_t: Any = args[0] if args else Any
        build: Callable[[list[Any]], Any]
        if is_set:
            build = set if origin in (set, MutableSet) else frozenset
        elif origin in (tuple, Sequence):
            build = tuple
        else:
            build = list

        def _structure(value: Any, _t: Any) -> Any:
            # A Python set is fine for a set field (from_data called from code).
            if not isinstance(value, (list, tuple)) and not (
                is_set and isinstance(value, (set, frozenset))
            ):
                raise _type_error("a list", value)
            if fixed is not None and len(value) != len(fixed):
                raise ValueError(f"expected a list of {len(fixed)} items, got {len(value)}")
            items: list[Any] = []
            errors: list[Exception] = []
            seen: dict[Any, int] = {}
            for i, raw in enumerate(value):
                each = fixed[i] if fixed is not None else item_t
                try:
                    item = raw if each is Any else conv.structure(raw, each)
                    if is_set:
                        key = item if isinstance(item, Hashable) else repr(item)
                        if key in seen:
                            raise ValueError(f"duplicate item (the same as item {seen[key]})")
                        seen[key] = i
                    items.append(item)
                except Exception as exc:
                    note = IterableValidationNote(f"Structuring {t} @ index {i}", i, each)
                    exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {t!r}", errors, t)
            return build(items)

        return _structure

    return factory


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
    conv.register_structure_hook_factory(_is_collection, _collection_hook_factory(conv))
    for union in (StartRule, QuotaLimit):
        _tagged_union(conv, union)
    _optional_union(conv, QuotaLimit)
    _quantity(conv)
    _omit_undocumented(conv)


def _quantity(conv: cattrs.Converter) -> None:
    # A target's or observation's value is a count (an integer) or Money (a
    # table with amount and currency): the value's form decides, no tag needed.
    optional = Optional[Quantity]

    def _structure(value: Any, _t: type) -> Any:
        if isinstance(value, Mapping):
            return conv.structure(value, Money)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _type_error(
                "a count (an integer) or money (a table of amount and currency)", value
            )
        return value

    def _structure_optional(value: Any, _t: type) -> Any:
        return None if value is None else _structure(value, _t)

    def _unstructure(value: Any) -> Any:
        return conv.unstructure(value, Money) if isinstance(value, Money) else value

    conv.register_structure_hook_func(lambda t: t == Quantity, _structure)
    conv.register_structure_hook_func(lambda t: t == optional, _structure_optional)
    conv.register_unstructure_hook_func(lambda t: t == Quantity, _unstructure)
    conv.register_unstructure_hook_func(
        lambda t: t == optional, lambda x: None if x is None else _unstructure(x)
    )


def _undocumented(cls: Any) -> list[str]:
    if not attrs.has(cls):
        return []
    return [a.name for a in attrs.fields(cls) if a.metadata.get("document", True) is False]


def _omit_undocumented(conv: cattrs.Converter) -> None:
    # A field with metadata {"document": False} (a callback, such as
    # Settings.progress) is never written, and a document that names it is
    # refused as an unknown key.
    def unstructure(cls: Any) -> Any:
        omit: dict[str, Any] = {name: override(omit=True) for name in _undocumented(cls)}
        return make_dict_unstructure_fn(cls, conv, **omit)

    def structure(cls: Any) -> Any:
        omit: dict[str, Any] = {name: override(omit=True) for name in _undocumented(cls)}
        return make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True, **omit
        )

    conv.register_unstructure_hook_factory(lambda t: bool(_undocumented(t)), unstructure)
    conv.register_structure_hook_factory(lambda t: bool(_undocumented(t)), structure)


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


#: The shared converter, used by every format module.
converter: cattrs.Converter = make_converter()


# --- errors --------------------------------------------------------------


def _collect(exc: BaseException, path: str, out: list[FieldError]) -> None:
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, others = exc.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                sub = join_path(path, note.name)
                if isinstance(exc, ClassValidationError) and is_personal(exc.cl, note.name):
                    # Never echo a personal value, even a malformed one.
                    found: list[FieldError] = []
                    _collect(inner, sub, found)
                    what = _PERSONAL_EXPECTED.get(note.name, "a valid value")
                    out.extend(FieldError(e.path, withheld(what)) for e in found)
                    continue
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
            out.append(FieldError(key_path(path, key), f"unknown field for {exc.cl.__name__}"))
    elif isinstance(exc, KeyError):
        out.append(FieldError(path, "required field is missing"))
    elif isinstance(exc, (ValueError, TypeError, AttributeError)):
        out.append(FieldError(path, _plain(exc)))
    else:
        out.append(FieldError(path, f"{type(exc).__name__}: {exc}"))


#: What a valid value of each personal field is, for messages that withhold the value.
_PERSONAL_EXPECTED = {
    "date_of_birth": "a date of birth (YYYY-MM-DD)",
    "issued_on": "an issue date (YYYY-MM-DD)",
    "expires_on": "an expiry date (YYYY-MM-DD)",
    "name": "a name (a string that is not blank)",
    "nationalities": "a list of ISO 3166-1 alpha-2 codes like 'SG'",
}


def _plain(exc: BaseException) -> str:
    text = str(exc)
    if "not a mapping" in text or "argument after ** must be a mapping" in text:
        return "expected a table (mapping) here"
    if isinstance(exc, TypeError) and "object is not iterable" in text:
        return "expected a list here"
    if isinstance(exc, (TypeError, AttributeError)) and text:
        return f"wrong type of value ({text})"
    return text or type(exc).__name__


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:/@+-]*$")


def key_path(path: str, key: str) -> str:
    """Return the path to ``key`` of the table at ``path``; an odd key is quoted.

    An empty key, or one with dots, brackets or spaces, is written
    ``path['key']`` so that the path still points at it.

    Examples
    --------
    >>> key_path("preferences", "p1"), key_path("", ""), key_path("a", "b.c")
    ('preferences.p1', "['']", "a['b.c']")
    """
    if _PLAIN_KEY.match(key):
        return join_path(path, key)
    return f"{path}[{key!r}]"


def collect_errors(exc: BaseException, prefix: str = "") -> list[FieldError]:
    """Return the field errors in an exception raised by :data:`converter`.

    Parameters
    ----------
    exc
        What ``converter.structure`` raised (a cattrs validation group, a
        model's :class:`~sgcq.errors.ModelValidationError`, or a plain error).
    prefix
        The path the structured data sits at (``""`` for a whole document).

    Returns
    -------
    list of FieldError
        Every bad value with its path, in the order cattrs found them.
    """
    errors: list[FieldError] = []
    _collect(exc, prefix, errors)
    return errors
