"""Validators shared by the model classes (private).

They raise :class:`~sgcq.models.errors.ModelValidationError` naming the field, so
that a bad value found while loading a file can be reported with its full path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from sgcq.models.errors import FieldError, ModelValidationError
from sgcq.models.limits import MAX_COUNT, MAX_DATE, MIN_DATE

__all__ = [
    "check",
    "fail",
    "finite_decimal",
    "frozenset_of",
    "identifier",
    "in_date_range",
    "instance_of",
    "non_negative",
    "optional",
    "positive",
    "text",
    "to_decimal",
    "to_frozenset",
    "to_tuple",
    "tuple_of",
    "unique_ids",
]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert any iterable to a tuple (attrs converter); a str is refused later."""
    return tuple(value) if not isinstance(value, (str, bytes)) else value  # type: ignore[return-value]


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Convert any iterable to a frozenset (attrs converter); a str is refused later."""
    return frozenset(value) if not isinstance(value, (str, bytes)) else value  # type: ignore[return-value]


def to_decimal(value: Any) -> Any:
    """Convert an int or str to Decimal (attrs converter); other types are left to the validator.

    A float is deliberately not converted: ``0.1`` is not one tenth.
    """
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def fail(path: str, message: str) -> None:
    """Raise a :class:`ModelValidationError` for one path."""
    raise ModelValidationError([FieldError(path, message)])


def check(condition: bool, path: str, message: str) -> None:
    """Raise unless ``condition`` holds."""
    if not condition:
        fail(path, message)


def _type_name(t: type | tuple[type, ...]) -> str:
    if isinstance(t, tuple):
        return " or ".join(x.__name__ for x in t)
    return t.__name__


def _is_instance(value: object, types: type | tuple[type, ...]) -> bool:
    # bool is an int in Python, but a seat count of True is a mistake.
    tup = types if isinstance(types, tuple) else (types,)
    if isinstance(value, bool) and bool not in tup:
        return False
    # A datetime is a date in Python, but a date field given a timestamp is a mistake.
    if isinstance(value, datetime) and date in tup and datetime not in tup:
        return False
    return isinstance(value, tup)


def in_date_range(path: str, value: date) -> None:
    """Check that a date (or timestamp) lies in ``[MIN_DATE, MAX_DATE)`` (sgcq.models.limits)."""
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DATE <= day < MAX_DATE:
        fail(
            path,
            f"must be on or after {MIN_DATE.isoformat()} and before {MAX_DATE.isoformat()}"
            " (sgcq.models.limits)",
        )


def instance_of(types: type | tuple[type, ...]) -> Validator:
    """Check the value's type, naming the field on failure.

    A date (or timestamp) must also lie in ``[MIN_DATE, MAX_DATE)``
    (:mod:`sgcq.models.limits`), so that every date sgcq computes from it
    exists.
    """

    def _v(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not _is_instance(value, types):
            fail(
                attribute.name,
                f"expected {_type_name(types)}, got {type(value).__name__} {value!r}",
            )
        if isinstance(value, date):
            in_date_range(attribute.name, value)

    return _v


def optional(validator: Validator | list[Validator]) -> Validator:
    """Let ``None`` through, check anything else with ``validator`` (or each of a list)."""
    validators = validator if isinstance(validator, list) else [validator]

    def _v(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            for each in validators:
                each(inst, attribute, value)

    return _v


def _check_items(
    attribute: attrs.Attribute[Any], value: Iterable[Any], types: type | tuple[type, ...]
) -> None:
    for i, item in enumerate(value):
        if not _is_instance(item, types):
            fail(
                f"{attribute.name}[{i}]",
                f"expected {_type_name(types)}, got {type(item).__name__} {item!r}",
            )
        if isinstance(item, date):
            in_date_range(f"{attribute.name}[{i}]", item)


def tuple_of(types: type | tuple[type, ...]) -> Validator:
    """Check that the value is a tuple whose items have the given type."""

    def _v(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            fail(attribute.name, f"expected a tuple, got {type(value).__name__}")
        _check_items(attribute, value, types)

    return _v


def frozenset_of(types: type | tuple[type, ...]) -> Validator:
    """Check that the value is a frozenset whose items have the given type."""

    def _v(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, frozenset):
            fail(attribute.name, f"expected a frozenset, got {type(value).__name__}")
        _check_items(attribute, sorted(value, key=repr), types)

    return _v


def identifier(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check an identifier: a non-empty string of letters, digits and ``._:/@+-``."""
    if not isinstance(value, str):
        fail(attribute.name, f"expected an identifier string, got {type(value).__name__}")
    if not _ID.match(value):
        fail(
            attribute.name,
            f"{value!r} is not a valid identifier (letters, digits and ._:/@+- only, "
            "starting with a letter or digit)",
        )


def text(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a non-blank string."""
    if not isinstance(value, str):
        fail(attribute.name, f"expected a string, got {type(value).__name__}")
    if not value.strip():
        fail(attribute.name, "must not be blank")


def _bounded_count(attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, int) and value > MAX_COUNT:
        fail(attribute.name, f"must be at most {MAX_COUNT:,} (sgcq.models.limits), got {value}")


def positive(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check ``value > 0`` (after the type check); an integer is a count, at most ``MAX_COUNT``."""
    if value is not None and value <= 0:
        fail(attribute.name, f"must be positive, got {value}")
    _bounded_count(attribute, value)


def non_negative(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check ``value >= 0`` (after the type check); an integer is a count, at most ``MAX_COUNT``."""
    if value is not None and value < 0:
        fail(attribute.name, f"must not be negative, got {value}")
    _bounded_count(attribute, value)


def finite_decimal(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check that a Decimal is finite (no NaN or infinity)."""
    if isinstance(value, Decimal) and not value.is_finite():
        fail(attribute.name, f"must be a finite number, got {value}")


def unique_ids(field: str, items: Iterable[Any], key: str = "id") -> None:
    """Check that the items' ``key`` attributes are unique, naming the duplicate."""
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        k = getattr(item, key)
        if k in seen:
            fail(f"{field}[{i}].{key}", f"duplicate {key} {k!r} (first at {field}[{seen[k]}])")
        seen[k] = i
