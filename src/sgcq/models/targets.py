"""Targets with comparators, baselines and dated observations.

A target is a goal with a comparator ("at least 40 new research projects by
2025", "about 100 students the next summer", "up to 500 interns a year"),
an optional baseline (where the count stood when the target was set) and
the observations made since. Counts are integers; money-valued targets and
observations hold :class:`~sgcq.models.money.Money`, with the other
currency quotes a source gives beside it (S$1.7m = RMB8.6m; source: NTU
press release, 8 Dec 2020) kept as given and never used as a rate.

How a target stands on a date is computed in the rules layer
(:func:`sgcq.rules.progress.progress`); this module is data only.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Any

import attrs

from sgcq.models import _validate as v
from sgcq.models.citations import Citation
from sgcq.models.money import Money

__all__ = [
    "Comparator",
    "Indicator",
    "Observation",
    "Quantity",
    "Target",
    "parse_requirement",
]

#: A count (``int``) or an amount of money: the value of a target or observation.
Quantity = int | Money


class Comparator(str, Enum):
    """How an observed value is compared with a target's value.

    ``AT_LEAST`` (also "N+" and "over N"), ``AT_MOST`` ("up to N"),
    ``ABOUT`` (within a stated tolerance either side) and ``EXACTLY``.
    """

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    ABOUT = "about"
    EXACTLY = "exactly"

    @property
    def words(self) -> str:
        """The comparator as words, e.g. ``"at least"``."""
        return self.value.replace("_", " ")


def _quantity(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, Money)):
        v.fail(attribute.name, f"expected a count or Money, got {type(value).__name__}")
    if isinstance(value, int):
        v.non_negative(_inst, attribute, value)
    elif value.amount < 0:
        v.fail(attribute.name, "must not be negative")


def _quotes(attribute: str, value: Quantity, quotes: tuple[Money, ...]) -> None:
    if not quotes:
        return
    v.check(isinstance(value, Money), attribute, "other currency quotes need a Money value")
    if isinstance(value, Money):
        currencies = [value.currency, *(q.currency for q in quotes)]
        v.check(
            len(set(currencies)) == len(currencies),
            attribute,
            "one quote per currency, none in the value's own currency",
        )


def _amount_in(value: Quantity, quotes: tuple[Money, ...], currency: str) -> Money | None:
    for m in (value, *quotes):
        if isinstance(m, Money) and m.currency == currency:
            return m
    return None


@attrs.frozen
class Observation:
    """A value of a target's metric seen on a date.

    Parameters
    ----------
    on
        The date the value holds on (e.g. a report's date).
    value
        The count, or an amount of money.
    also_quoted
        The same amount in other currencies, as the source gives them (only
        for a Money value; one per currency; never used as an exchange rate).
    lower_bound
        True when the source gives the value as a floor ("90+", "over 70"):
        the true value is at least ``value``.
    citation
        Where the value comes from; ``None`` with a ``note`` for invented data.
    note
        Free text, e.g. ``"invented (illustrative)"``.

    Examples
    --------
    >>> from datetime import date
    >>> str(Observation(date(2020, 12, 8), 70, lower_bound=True))
    '70+ on 2020-12-08'
    """

    on: date = attrs.field(validator=v.instance_of(date))
    value: Quantity = attrs.field(validator=_quantity)
    also_quoted: tuple[Money, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Money)
    )
    lower_bound: bool = attrs.field(default=False, validator=v.instance_of(bool))
    citation: Citation | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Citation))
    )
    note: str = attrs.field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        _quotes("also_quoted", self.value, self.also_quoted)

    def amount_in(self, currency: str) -> Money | None:
        """Return the value in ``currency`` if the value or a quote is in it."""
        return _amount_in(self.value, self.also_quoted, currency)

    @property
    def value_text(self) -> str:
        """The value with its quotes and ``+`` for a floor, e.g. ``"SGD 1.7m = CNY 8.6m"``."""
        text = " = ".join(str(m) for m in (self.value, *self.also_quoted))
        return text + ("+" if self.lower_bound else "")

    def __str__(self) -> str:
        return f"{self.value_text} on {self.on.isoformat()}"


def _tolerance(inst: Target, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _quantity(inst, attribute, value)


_REQUIREMENT = re.compile(
    r"^\s*(?:(?P<words>at\s+least|at\s+most|up\s+to|over|about|around|exactly)\s+)?"
    r"(?P<value>\d[\d,]*)\s*(?P<plus>\+)?"
    r"(?:\s*(?:\(\s*)?(?:±|\+/-|\+-)\s*(?P<tol>\d[\d,]*)\s*\)?)?\s*$",
    re.IGNORECASE,
)

_WORDS = {
    "at least": Comparator.AT_LEAST,
    "over": Comparator.AT_LEAST,
    "at most": Comparator.AT_MOST,
    "up to": Comparator.AT_MOST,
    "about": Comparator.ABOUT,
    "around": Comparator.ABOUT,
    "exactly": Comparator.EXACTLY,
}


def parse_requirement(text: str) -> tuple[Comparator, int, int | None]:
    """Read a count requirement such as ``"at least 40"`` or ``"90+"``.

    Parameters
    ----------
    text
        ``"at least N"``, ``"over N"``, ``"N+"`` (all read as at least N),
        ``"at most N"``, ``"up to N"``, ``"exactly N"``, a bare ``"N"`` (exactly
        N), or ``"about N ± T"`` (also ``"about N (+/- T)"``), which must state
        its tolerance ``T``.

    Returns
    -------
    tuple
        The comparator, the value, and the tolerance (``None`` unless about).

    Raises
    ------
    ModelValidationError
        If the text is not one of these forms, or "about" has no tolerance.

    Examples
    --------
    >>> parse_requirement("90+")
    (<Comparator.AT_LEAST: 'at_least'>, 90, None)
    >>> parse_requirement("about 100 ± 10")
    (<Comparator.ABOUT: 'about'>, 100, 10)
    """
    m = _REQUIREMENT.match(text)
    if m is None:
        v.fail(
            "requirement",
            f"cannot read {text!r}; write e.g. 'at least 40', '90+', 'about 100 ± 10'",
        )
    assert m is not None
    words = " ".join((m["words"] or "").lower().split())
    value = int(m["value"].replace(",", ""))
    tol = int(m["tol"].replace(",", "")) if m["tol"] else None
    if m["plus"]:
        v.check(
            not words or words == "at least", "requirement", f"{text!r} mixes 'N+' with {words!r}"
        )
        comparator = Comparator.AT_LEAST
    else:
        comparator = _WORDS.get(words, Comparator.EXACTLY)
    if comparator is Comparator.ABOUT:
        v.check(
            tol is not None,
            "requirement",
            f"{text!r}: 'about' needs a tolerance, e.g. 'about {value} ± 10'",
        )
    else:
        v.check(tol is None, "requirement", f"{text!r}: only 'about' takes a tolerance")
    return comparator, value, tol


@attrs.frozen
class Target:
    """A goal to reach by a date, e.g. at least 100 new patent applications by 2025.

    Documents written before comparators existed (``metric``, ``value``,
    ``by`` and a citation) still load: their comparator is ``at_least``, the
    reading of "a number to reach".

    Parameters
    ----------
    metric
        What is counted, e.g. ``"new_patent_applications"``.
    value
        The number to reach, or an amount of money.
    by
        The deadline (inclusive).
    citation
        Where the target comes from.
    comparator
        How observations are compared with ``value``; ``at_least`` by default.
    tolerance
        For ``about`` only (and required there): how far either side of
        ``value`` still counts, in the value's unit.
    also_quoted
        The target amount in other currencies as the source gives them.
    baseline
        Where the metric stood when the target was set; the start of the
        linear projection.
    observations
        Values seen since, in date order (one per date).
    note
        Free text, e.g. which numbers are invented.

    Examples
    --------
    >>> from datetime import date
    >>> t = Target.from_text("new_research_projects", "at least 40", date(2025, 12, 31))
    >>> str(t)
    'new_research_projects: at least 40 by 2025-12-31'
    """

    metric: str = attrs.field(validator=v.text)
    value: Quantity = attrs.field(validator=_quantity)
    by: date = attrs.field(validator=v.instance_of(date))
    citation: Citation | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Citation))
    )
    comparator: Comparator = attrs.field(
        default=Comparator.AT_LEAST, validator=v.instance_of(Comparator)
    )
    tolerance: Quantity | None = attrs.field(default=None, validator=_tolerance)
    also_quoted: tuple[Money, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Money)
    )
    baseline: Observation | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Observation))
    )
    observations: tuple[Observation, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Observation)
    )
    note: str = attrs.field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        _quotes("also_quoted", self.value, self.also_quoted)
        about = self.comparator is Comparator.ABOUT
        v.check(
            (self.tolerance is not None) == about,
            "tolerance",
            "'about' needs a tolerance" if about else "only 'about' takes a tolerance",
        )
        if self.tolerance is not None:
            v.check(
                type(self.tolerance) is type(self.value)
                and (
                    not isinstance(self.value, Money)
                    or self.value.currency == self.tolerance.currency  # type: ignore[union-attr]
                ),
                "tolerance",
                "must be in the value's unit (a count, or Money of the same currency)",
            )
        for i, o in enumerate(self.observations):
            path = f"observations[{i}]"
            v.check(
                isinstance(o.value, Money) == isinstance(self.value, Money),
                f"{path}.value",
                "must be Money when the target is (and a count when it is a count)",
            )
            if i and o.on <= self.observations[i - 1].on:
                v.fail(f"{path}.on", "observations must be in date order, one per date")
        if self.baseline is not None:
            v.check(
                isinstance(self.baseline.value, Money) == isinstance(self.value, Money),
                "baseline.value",
                "must be Money when the target is (and a count when it is a count)",
            )
            if self.observations:
                v.check(
                    self.baseline.on < self.observations[0].on,
                    "baseline.on",
                    "must be before the first observation",
                )

    @classmethod
    def from_text(
        cls, metric: str, requirement: str, by: date, citation: Citation | None = None, **kw: Any
    ) -> Target:
        """Build a count target from words such as ``"at least 40"`` or ``"90+"``.

        Parameters
        ----------
        metric, by, citation
            As for the class.
        requirement
            Read by :func:`parse_requirement`.
        **kw
            Other fields (``baseline``, ``observations``, ``note``).

        Returns
        -------
        Target
            The target.
        """
        comparator, value, tol = parse_requirement(requirement)
        return cls(metric, value, by, citation, comparator=comparator, tolerance=tol, **kw)

    def amount_in(self, currency: str) -> Money | None:
        """Return the target value in ``currency`` if the value or a quote is in it."""
        return _amount_in(self.value, self.also_quoted, currency)

    @property
    def requirement(self) -> str:
        """The comparator and value as words, e.g. ``"about 100 ± 10"``."""
        value = " = ".join(str(m) for m in (self.value, *self.also_quoted))
        tol = f" ± {self.tolerance}" if self.tolerance is not None else ""
        return f"{self.comparator.words} {value}{tol}"

    def __str__(self) -> str:
        return f"{self.metric}: {self.requirement} by {self.by.isoformat()}"


@attrs.frozen
class Indicator:
    """A figure a programme reports without a target, e.g. 90+ papers so far.

    Parameters
    ----------
    metric
        What is counted or valued, e.g. ``"licensed_patents_value"``.
    observations
        Its values, in date order (one per date).
    """

    metric: str = attrs.field(validator=v.text)
    observations: tuple[Observation, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(Observation)
    )

    def __attrs_post_init__(self) -> None:
        v.check(bool(self.observations), "observations", "give at least one observation")
        for i in range(1, len(self.observations)):
            if self.observations[i].on <= self.observations[i - 1].on:
                v.fail(f"observations[{i}].on", "observations must be in date order, one per date")

    def latest(self, as_of: date) -> Observation | None:
        """Return the last observation on or before ``as_of``."""
        seen = [o for o in self.observations if o.on <= as_of]
        return seen[-1] if seen else None
