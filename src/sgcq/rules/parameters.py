"""Rule parameters as data: value histories with effective dates and references.

Every number, date and list a rule uses (the 180-day S2 limit, the YES age of
18, the effective date of a route) is a :class:`Parameter` read from a TOML
file, never a constant in code. A parameter is a history of
:class:`ParameterValue` records, each in force from its ``start`` until the
next one starts, each with the :class:`~sgcq.models.Citation` it rests on. A
value of ``None`` means the parameter was repealed on that date. The file
format is described in ``docs/rules/writing-rules.md`` and
``docs/decisions/0007-parameter-files.md``.

Examples
--------
>>> from datetime import date
>>> params = default_parameters()
>>> params.value("visa.cn.s2.max_stay_days", date(2020, 1, 1))
180
>>> params.parameter("visa.cn.s2.in_force").lookup(date(2019, 12, 1)) is None
True
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, Union

import attrs

from sgcq.errors import ParameterError
from sgcq.models import Citation, Confidence
from sgcq.serialization._toml import TomlReadError, parse_toml, read_toml

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover - exercised on Python 3.10 only
    from importlib.abc import Traversable

__all__ = [
    "Parameter",
    "ParameterError",
    "ParameterKind",
    "ParameterSet",
    "ParameterValue",
    "StaleParameter",
    "Value",
    "default_parameters",
    "load_parameters",
    "parse_parameters",
]

T = TypeVar("T")

#: Entries kept by :meth:`ParameterSet.memo` before it starts again.
_MEMO_LIMIT = 65536

#: The types a parameter value may have; ``None`` means repealed.
Value = Union[Decimal, int, str, bool, date, tuple[str, ...], None]


class ParameterKind(str, Enum):
    """The type of a parameter's values, declared once per parameter."""

    INT = "int"
    DECIMAL = "decimal"
    STR = "str"
    BOOL = "bool"
    DATE = "date"
    LIST = "list"


@attrs.frozen
class ParameterValue:
    """One value of a parameter, in force from ``start`` until the next value.

    Parameters
    ----------
    start
        The first day the value applies.
    value
        The value; ``None`` means the parameter is repealed from ``start``.
    reference
        The source the value rests on.
    """

    start: date
    value: Value
    reference: Citation


def _sorted_values(values: Iterable[ParameterValue]) -> tuple[ParameterValue, ...]:
    return tuple(sorted(values, key=lambda v: v.start))


def _as_dict(parameters: Mapping[str, Parameter]) -> dict[str, Parameter]:
    return dict(parameters)


@attrs.frozen
class Parameter:
    """A named, typed value history.

    Parameters
    ----------
    name
        Dotted name, e.g. ``"visa.cn.s2.max_stay_days"``.
    description
        What the value means.
    unit
        Unit of the value (``"days"``, ``"months"``, ``"years"``, ``""``).
    kind
        The value type.
    values
        The history, sorted by ``start`` (the constructor sorts it); two values
        may not start on the same day.
    """

    name: str
    description: str
    unit: str
    kind: ParameterKind
    values: tuple[ParameterValue, ...] = attrs.field(converter=_sorted_values)
    _starts: tuple[date, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not self.values:
            raise ParameterError(f"parameter {self.name!r} has no values")
        starts = tuple(v.start for v in self.values)
        if len(set(starts)) != len(starts):
            raise ParameterError(f"parameter {self.name!r} has two values starting on one day")
        object.__setattr__(self, "_starts", starts)

    def lookup(self, as_of: date) -> ParameterValue | None:
        """Return the value record in force on ``as_of``, or ``None`` before the first.

        A repealed parameter returns its repealing record (whose ``value`` is ``None``).
        """
        i = bisect.bisect_right(self._starts, as_of)
        return self.values[i - 1] if i else None

    def at(self, as_of: date) -> Value:
        """Return the value in force on ``as_of``.

        Raises
        ------
        ParameterError
            If the parameter is not yet in force on ``as_of`` or was repealed.
        """
        record = self.lookup(as_of)
        if record is None:
            raise ParameterError(
                f"parameter {self.name!r} is not yet in force on {as_of.isoformat()} "
                f"(first value from {self.values[0].start.isoformat()})"
            )
        if record.value is None:
            raise ParameterError(
                f"parameter {self.name!r} was repealed on {record.start.isoformat()}"
            )
        return record.value

    @property
    def first(self) -> ParameterValue:
        """The earliest value record."""
        return self.values[0]

    @property
    def latest(self) -> ParameterValue:
        """The most recent value record."""
        return self.values[-1]

    def effective_dates(self) -> tuple[date, ...]:
        """Return the days on which the value changes, in order."""
        return self._starts


@attrs.frozen
class StaleParameter:
    """A parameter whose latest value is older than the age asked about.

    Parameters
    ----------
    name
        The parameter.
    latest
        The start of its latest value.
    age_days
        Days from ``latest`` to the report date.
    reference
        The latest value's source, to re-check.
    """

    name: str
    latest: date
    age_days: int
    reference: Citation


@attrs.frozen(repr=False)
class ParameterSet:
    """Parameters by name, with cached lookups as of a date.

    Parameters
    ----------
    parameters
        The parameters by name.

    Examples
    --------
    >>> from datetime import date
    >>> p = default_parameters()
    >>> p.value("visa.cn.yes.min_age", date(2020, 6, 1))
    18
    """

    parameters: Mapping[str, Parameter] = attrs.field(converter=_as_dict)
    _cache: dict[tuple[str, date], ParameterValue | None] = attrs.field(
        init=False, factory=dict, repr=False, eq=False
    )
    _memo: dict[Hashable, Any] = attrs.field(init=False, factory=dict, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        for key, p in self.parameters.items():
            if key != p.name:
                raise ParameterError(f"parameter stored as {key!r} is named {p.name!r}")

    def __getstate__(self) -> dict[str, Any]:
        return {"parameters": dict(self.parameters)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "parameters", state["parameters"])
        object.__setattr__(self, "_cache", {})
        object.__setattr__(self, "_memo", {})

    def __repr__(self) -> str:
        values = sum(len(p.values) for p in self.parameters.values())
        return f"<ParameterSet: {len(self.parameters)} parameters, {values} dated values>"

    def __contains__(self, name: object) -> bool:
        return name in self.parameters

    def __len__(self) -> int:
        return len(self.parameters)

    def names(self) -> tuple[str, ...]:
        """Return the parameter names, sorted."""
        return tuple(sorted(self.parameters))

    def parameter(self, name: str) -> Parameter:
        """Return the parameter ``name``.

        Raises
        ------
        ParameterError
            If there is no such parameter.
        """
        try:
            return self.parameters[name]
        except KeyError:
            raise ParameterError(f"no parameter named {name!r}") from None

    def lookup(self, name: str, as_of: date) -> ParameterValue | None:
        """Return the record of ``name`` in force on ``as_of`` (cached), or ``None``."""
        key = (name, as_of)
        try:
            return self._cache[key]
        except KeyError:
            record = self.parameter(name).lookup(as_of)
            self._cache[key] = record
            return record

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return ``make()``, computed once per ``key`` for this set.

        Rules use it to cache what they derive from parameter values (a verdict
        naming a route's documents, say), so that evaluating the same option
        shape again does not rebuild it. ``key`` must include everything the
        result depends on besides the parameters (the date, usually).
        """
        try:
            found: T = self._memo[key]
            return found
        except KeyError:
            if len(self._memo) >= _MEMO_LIMIT:
                # Bounded: a long run over many stays must not grow it forever.
                self._memo.clear()
            value = make()
            self._memo[key] = value
            return value

    def value(self, name: str, as_of: date) -> Value:
        """Return the value of ``name`` on ``as_of``; see :meth:`Parameter.at`."""
        record = self.lookup(name, as_of)
        if record is None or record.value is None:
            return self.parameter(name).at(as_of)
        return record.value

    def override(self, other: ParameterSet) -> ParameterSet:
        """Return a set with ``other``'s parameters replacing those of the same name.

        A parameter in ``other`` replaces the whole history of the same name;
        to add a value, copy the history and append to it.
        """
        merged = dict(self.parameters)
        merged.update(other.parameters)
        return ParameterSet(merged)

    def stale(self, as_of: date, max_age_days: int) -> list[StaleParameter]:
        """List the parameters whose latest value started more than ``max_age_days`` ago.

        Parameters
        ----------
        as_of
            The report date.
        max_age_days
            The age beyond which a value should be re-checked against its source.

        Returns
        -------
        list of StaleParameter
            Sorted by name.
        """
        out: list[StaleParameter] = []
        for name in self.names():
            latest = self.parameters[name].latest
            age = (as_of - latest.start).days
            if age > max_age_days:
                out.append(StaleParameter(name, latest.start, age, latest.reference))
        return out


# --- reading files -------------------------------------------------------------


def _fail(source: str, path: str, message: str) -> ParameterError:
    return ParameterError(f"{source}: {path}: {message}")


def _as_date(value: Any, source: str, path: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(source, path, f"expected a date like 2019-12-13, got {value!r}")


def _convert(kind: ParameterKind, raw: Any, source: str, path: str) -> Value:
    ok = True
    out: Value = None
    if kind is ParameterKind.INT:
        ok = isinstance(raw, int) and not isinstance(raw, bool)
        out = raw if ok else None
    elif kind is ParameterKind.DECIMAL:
        # Floats are refused: 0.1 written in TOML is not one tenth.
        if isinstance(raw, (str, int)) and not isinstance(raw, bool):
            try:
                out = Decimal(raw)
                ok = out.is_finite()
            except InvalidOperation:
                ok = False
        else:
            ok = False
    elif kind is ParameterKind.STR:
        ok = isinstance(raw, str)
        out = raw if ok else None
    elif kind is ParameterKind.BOOL:
        ok = isinstance(raw, bool)
        out = raw if ok else None
    elif kind is ParameterKind.DATE:
        return _as_date(raw, source, path)
    else:
        ok = isinstance(raw, list) and all(isinstance(x, str) for x in raw)
        out = tuple(raw) if ok else None
    if not ok:
        raise _fail(source, path, f"expected a {kind.value} value, got {raw!r}")
    return out


def _citation(raw: Any, source: str, path: str) -> Citation:
    if not isinstance(raw, dict):
        raise _fail(source, path, "every value needs a reference table (source, date)")
    unknown = set(raw) - {"source", "date", "detail", "confidence"}
    if unknown:
        raise _fail(source, path, f"unknown reference keys {sorted(unknown)}")
    try:
        return Citation(
            source=str(raw.get("source", "")),
            date=_as_date(raw.get("date"), source, f"{path}.date"),
            detail=raw.get("detail", ""),
            confidence=Confidence(raw.get("confidence", "high")),
        )
    except ParameterError:
        raise
    except (ValueError, TypeError) as e:
        raise _fail(source, path, str(e)) from None


_PARAM_KEYS = frozenset({"description", "unit", "type", "values"})
_VALUE_KEYS = frozenset({"start", "value", "repealed", "reference"})


def _parameter(name: str, raw: Any, source: str) -> Parameter:
    path = f"parameters.{name!r}"
    if not isinstance(raw, dict):
        raise _fail(source, path, "expected a table")
    unknown = set(raw) - _PARAM_KEYS
    if unknown:
        raise _fail(source, path, f"unknown keys {sorted(unknown)}")
    try:
        kind = ParameterKind(raw.get("type"))
    except ValueError:
        kinds = ", ".join(k.value for k in ParameterKind)
        raise _fail(source, f"{path}.type", f"expected one of {kinds}") from None
    values_raw = raw.get("values")
    if not isinstance(values_raw, list) or not values_raw:
        raise _fail(source, f"{path}.values", "give at least one value")
    values: list[ParameterValue] = []
    for i, item in enumerate(values_raw):
        vpath = f"{path}.values[{i}]"
        if not isinstance(item, dict):
            raise _fail(source, vpath, "expected a table")
        unknown = set(item) - _VALUE_KEYS
        if unknown:
            raise _fail(source, vpath, f"unknown keys {sorted(unknown)}")
        start = _as_date(item.get("start"), source, f"{vpath}.start")
        repealed = item.get("repealed", False)
        if repealed is True:
            if "value" in item:
                raise _fail(source, vpath, "a repealed value has no 'value'")
            value: Value = None
        elif "value" not in item:
            raise _fail(source, vpath, "give 'value', or 'repealed = true'")
        else:
            value = _convert(kind, item["value"], source, f"{vpath}.value")
        reference = _citation(item.get("reference"), source, f"{vpath}.reference")
        values.append(ParameterValue(start, value, reference))
    try:
        return Parameter(
            name=name,
            description=str(raw.get("description", "")),
            unit=str(raw.get("unit", "")),
            kind=kind,
            values=tuple(values),
        )
    except ParameterError as e:
        raise _fail(source, path, str(e)) from None


def parse_parameters(text: str, *, source: str = "<string>") -> ParameterSet:
    """Read a parameter file's text.

    Parameters
    ----------
    text
        TOML with ``schema_version = 1``, ``kind = "parameters"`` and a
        ``[parameters."name"]`` table per parameter.
    source
        Named in error messages.

    Raises
    ------
    ParameterError
        Naming the file and the parameter, value and key that are wrong.
    """
    try:
        doc = parse_toml(text, source=source)
    except TomlReadError as e:
        raise ParameterError(str(e)) from None
    return _parameter_set(doc, source)


def _parameter_set(doc: Mapping[str, Any], source: str) -> ParameterSet:
    if doc.get("schema_version") != 1 or doc.get("kind") != "parameters":
        raise ParameterError(f"{source}: expected schema_version = 1 and kind = 'parameters'")
    unknown = set(doc) - {"schema_version", "kind", "parameters"}
    if unknown:
        raise ParameterError(f"{source}: unknown top-level keys {sorted(unknown)}")
    table = doc.get("parameters", {})
    if not isinstance(table, dict):
        raise ParameterError(f"{source}: parameters: expected a table")
    return ParameterSet({name: _parameter(name, raw, source) for name, raw in table.items()})


def load_parameters(path: str | Path) -> ParameterSet:
    """Read a parameter file (TOML); see :func:`parse_parameters`.

    Raises
    ------
    ParameterError
        Naming the file if it cannot be read, is not UTF-8 or is not valid
        TOML, and as :func:`parse_parameters` does for its contents.
    """
    p = Path(path)
    try:
        doc = read_toml(p)
    except TomlReadError as e:
        raise ParameterError(str(e)) from None
    return _parameter_set(doc, str(p))


def _bundled_file(entry: Traversable) -> ParameterSet:
    source = f"sgcq/data/rules/parameters/{entry.name}"
    try:
        doc = read_toml(entry, source=source)
    except TomlReadError as e:
        raise ParameterError(str(e)) from None
    return _parameter_set(doc, source)


def _merge(sets: Iterable[tuple[str, ParameterSet]]) -> ParameterSet:
    merged: dict[str, Parameter] = {}
    origin: dict[str, str] = {}
    for source, ps in sets:
        for name, p in ps.parameters.items():
            if name in merged:
                raise ParameterError(f"{source}: parameter {name!r} is also in {origin[name]}")
            merged[name] = p
            origin[name] = source
    return ParameterSet(merged)


_DEFAULT: list[ParameterSet] = []


def default_parameters() -> ParameterSet:
    """Return the parameters bundled with sgcq (read once, then cached).

    They live in ``sgcq/data/rules/parameters/*.toml``; a name may appear in
    only one file.
    """
    if not _DEFAULT:
        folder = resources.files("sgcq").joinpath("data").joinpath("rules").joinpath("parameters")
        files = sorted(
            (e for e in folder.iterdir() if e.name.endswith(".toml")), key=lambda e: e.name
        )
        _DEFAULT.append(
            _merge((f"sgcq/data/rules/parameters/{e.name}", _bundled_file(e)) for e in files)
        )
    return _DEFAULT[0]
