"""The document kinds: one static table from kind name to class.

Every sgcq class that is written as a document is named here, by the module
that defines it and its qualified name, as strings. The serialization layer
sits below :mod:`sgcq.rules` and :mod:`sgcq.matching`, so it must not import
them: a class of a higher layer is imported (with :mod:`importlib`) only when
a document of its kind is read by name, and the kind of an object being
written is found from its class's ``__module__`` and ``__qualname__``, which
needs no import at all. Nothing registers itself by being imported, so every
kind reads in a fresh interpreter, whatever was imported before.

Users' own classes join with :func:`register_kind`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

__all__ = ["KINDS", "DocumentKinds", "kind_class", "kind_names", "kind_of", "register_kind"]

#: Every document kind of sgcq: name -> (defining module, qualified name).
#: Kept in one place on purpose (see docs/decisions/0005-serialization.md);
#: ``tests/serialization/test_kinds.py`` checks each entry against the code.
TABLE: Mapping[str, tuple[str, str]] = {
    # sgcq.models
    "scenario": ("sgcq.models.scenario", "Scenario"),
    "organisation": ("sgcq.models.parties", "Organisation"),
    "programme": ("sgcq.models.programmes", "Programme"),
    "cohort": ("sgcq.models.cohorts", "Cohort"),
    "candidate": ("sgcq.models.candidates", "Candidate"),
    "position": ("sgcq.models.positions", "Position"),
    "course": ("sgcq.models.courses", "Course"),
    "placement": ("sgcq.models.placements", "Placement"),
    "money": ("sgcq.models.money", "Money"),
    "allowance": ("sgcq.models.positions", "Allowance"),
    "date_range": ("sgcq.models.dates", "DateRange"),
    "exchange_rate": ("sgcq.models.money", "ExchangeRate"),
    "rate_table": ("sgcq.models.money", "RateTable"),
    # sgcq.rules
    "verdict": ("sgcq.rules.verdicts", "Verdict"),
    "rule_trace": ("sgcq.rules.engine", "Trace"),
    # sgcq.matching
    "match_problem": ("sgcq.matching.problem", "Problem"),
    "match_result": ("sgcq.matching.result", "Result"),
    "match_settings": ("sgcq.matching.settings", "Settings"),
    "match_changes": ("sgcq.matching.rematch", "Changes"),
    "match_audit": ("sgcq.matching.rematch", "AuditRecord"),
    "offer_round": ("sgcq.matching.rounds", "RoundRecord"),
    # sgcq.planning
    "planning_variation": ("sgcq.planning.variation", "Variation"),
}

#: The table turned round: (module, qualified name) -> kind name.
_BY_CLASS: dict[tuple[str, str], str] = {where: name for name, where in TABLE.items()}

#: Classes resolved from the table so far (each is imported at most once).
_RESOLVED: dict[str, type] = {}

#: Users' classes added with :func:`register_kind`, in the order added.
_REGISTERED: dict[str, type] = {}


def _where(cls: type) -> tuple[str, str]:
    return (cls.__module__, cls.__qualname__)


def _resolve(name: str) -> type:
    cls = _RESOLVED.get(name)
    if cls is None:
        module, qualname = TABLE[name]
        obj: object = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        if not isinstance(obj, type):  # pragma: no cover - the table is tested
            raise TypeError(f"document kind {name!r} names {module}.{qualname}, not a class")
        cls = _RESOLVED[name] = obj
    return cls


def register_kind(name: str, cls: type) -> None:
    """Make ``cls`` readable and writable as a document of kind ``name``.

    sgcq's own kinds are in a static table and need no registration; this is
    for users' classes (attrs classes that the shared converter can handle).
    Registering a class again under the same name does nothing.

    Parameters
    ----------
    name
        The document's ``kind``.
    cls
        The class of its objects.

    Raises
    ------
    ValueError
        If ``name`` is taken by another class.

    Examples
    --------
    >>> import attrs
    >>> from sgcq.serialization import dumps_json, loads_json
    >>> @attrs.frozen
    ... class Note:
    ...     text: str
    >>> register_kind("note", Note)
    >>> loads_json(dumps_json(Note("hello"))) == Note("hello")
    True
    """
    if name in TABLE:
        module, qualname = TABLE[name]
        if _where(cls) != (module, qualname):
            raise ValueError(f"document kind {name!r} is already used by {qualname}")
        return
    if _REGISTERED.get(name, cls) is not cls:
        raise ValueError(
            f"document kind {name!r} is already used by {_REGISTERED[name].__qualname__}"
        )
    _REGISTERED[name] = cls


def kind_names() -> tuple[str, ...]:
    """Return every known kind name: the table's, then the registered ones."""
    return (*TABLE, *_REGISTERED)


def kind_class(name: str) -> type | None:
    """Return the class of documents of kind ``name``, or ``None`` if unknown.

    A class of the static table is imported the first time it is asked for.
    """
    if name in TABLE:
        return _resolve(name)
    return _REGISTERED.get(name)


def kind_of(cls: type) -> str:
    """Return the kind name of ``cls``'s documents, importing nothing.

    Raises
    ------
    TypeError
        If ``cls`` is not a document kind.
    """
    name = _BY_CLASS.get(_where(cls))
    if name is not None:
        return name
    for name, registered in _REGISTERED.items():
        if registered is cls:
            return name
    raise TypeError(f"{cls.__name__} is not a document kind; register it with register_kind")


class DocumentKinds(Mapping[str, type]):
    """A read-only view of the document kinds: name -> class.

    Looking a name up imports its class if needed; ``in``, ``len()`` and
    iterating over the names import nothing.
    """

    def __getitem__(self, name: str) -> type:
        cls = kind_class(name)
        if cls is None:
            raise KeyError(name)
        return cls

    def __contains__(self, name: object) -> bool:
        return name in TABLE or name in _REGISTERED

    def __iter__(self) -> Iterator[str]:
        return iter(kind_names())

    def __len__(self) -> int:
        return len(TABLE) + len(_REGISTERED)

    def __repr__(self) -> str:
        return f"<document kinds: {', '.join(kind_names())}>"


#: Document kinds by name (a read-only mapping; see :func:`register_kind`).
KINDS: Mapping[str, type] = DocumentKinds()
