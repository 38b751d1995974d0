"""Dated per-country measures that close a mode of work (on site, remote, hybrid).

The WiseNet Asia-SUSS MOU (2020-10-26) places interns "remote or on site
depending on COVID-19 developments and measures in each country". No source
sgcq holds gives any measure's dates, so sgcq ships no measure values: a
:class:`Measure` is scenario data (:attr:`~sgcq.models.Scenario.measures`),
each with its own reference, and the rule ``mode.measure``
(``docs/rules/placement-feasibility.md``) and
:class:`~sgcq.matching.Changes` both decide with :func:`measure_closes`
(decision 0021).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from sgcq.models import _validate as v
from sgcq.models.citations import Citation
from sgcq.models.dates import DateRange
from sgcq.models.modes import Mode
from sgcq.models.parties import country_code

__all__ = ["Measure", "closing_measures", "measure_closes"]


def _modes(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.frozenset_of(Mode)(_inst, attribute, value)
    v.check(bool(value), attribute.name, "a measure closes at least one mode")


@attrs.frozen
class Measure:
    """A dated measure of one country that closes one or more modes of work.

    Parameters
    ----------
    id
        Unique within a scenario, e.g. ``"my-on-site-closed-2021"``.
    country
        The country that took the measure (ISO 3166-1 alpha-2, as
        :class:`~sgcq.models.Location` spells it).
    closes
        The modes it closes, at least one: ``on_site`` (on-site work or entry
        closed: on-site stays, and the on-site segments of hybrid stays, in
        the country), ``remote`` (remote work for hosts in the country) or
        ``hybrid`` (hybrid stays of positions in the country).
    start
        The first day it is in force.
    description
        A short description for people (reports name the measure by it).
    reference
        Where the measure is published; a measure no source gives must say
        so in its description and reference (e.g. invented for a scenario).
    end
        The first day it is no longer in force (half-open ``[start, end)``,
        decision 0001); ``None`` while it has no announced end.

    Examples
    --------
    >>> from datetime import date
    >>> m = Measure("my-closed", "MY", frozenset({Mode.ON_SITE}), date(2021, 4, 1),
    ...     "on-site work closed (invented)", Citation("invented", date(2021, 1, 4)))
    >>> m.in_force_on(date(2021, 3, 31)), m.in_force_on(date(2030, 1, 1))
    (False, True)
    >>> m.period_text
    'from 2021-04-01'
    """

    id: str = attrs.field(validator=v.identifier)
    country: str = attrs.field(validator=country_code)
    closes: frozenset[Mode] = attrs.field(converter=v.to_frozenset, validator=_modes)
    start: date = attrs.field(validator=v.instance_of(date))
    description: str = attrs.field(validator=v.text)
    reference: Citation = attrs.field(validator=v.instance_of(Citation))
    end: date | None = attrs.field(default=None, validator=v.optional(v.instance_of(date)))

    def __attrs_post_init__(self) -> None:
        if self.end is not None:
            v.check(
                self.end > self.start,
                "end",
                f"must be after start {self.start.isoformat()} (a measure is in force over "
                f"[start, end)), got {self.end.isoformat()}",
            )

    @property
    def period(self) -> DateRange | None:
        """The days it is in force as a :class:`DateRange`, or ``None`` while it has no end."""
        return DateRange(self.start, self.end) if self.end is not None else None

    @property
    def period_text(self) -> str:
        """``"from 2021-04-01"`` or ``"from 2021-04-01 until 2021-06-01"`` (exclusive end)."""
        until = f" until {self.end.isoformat()}" if self.end is not None else ""
        return f"from {self.start.isoformat()}{until}"

    @property
    def closes_text(self) -> str:
        """The modes it closes, in :class:`Mode` order, comma-separated."""
        return ", ".join(m.value for m in Mode if m in self.closes)

    def in_force_on(self, day: date) -> bool:
        """Return whether the measure is in force on ``day``."""
        return self.start <= day and (self.end is None or day < self.end)


def measure_closes(measure: Measure, country: str | None, mode: Mode, on: date) -> bool:
    """Return whether ``measure`` closes work in ``mode`` in ``country`` on the day ``on``.

    The one predicate both the rule ``mode.measure`` and
    :meth:`sgcq.matching.Changes.apply` decide with: true exactly when the
    measure is the country's, closes the mode and is in force on ``on``.
    ``country`` may be ``None`` (unknown): no measure closes it.

    Examples
    --------
    >>> from datetime import date
    >>> m = Measure("my-closed", "MY", {Mode.ON_SITE}, date(2021, 4, 1),
    ...     "on-site work closed (invented)", Citation("invented", date(2021, 1, 4)))
    >>> measure_closes(m, "MY", Mode.ON_SITE, date(2021, 4, 1))
    True
    >>> measure_closes(m, "MY", Mode.REMOTE, date(2021, 4, 1))
    False
    >>> measure_closes(m, "MY", Mode.ON_SITE, date(2021, 3, 31))
    False
    """
    return measure.country == country and mode in measure.closes and measure.in_force_on(on)


def closing_measures(
    measures: Iterable[Measure], country: str | None, mode: Mode, on: date
) -> tuple[Measure, ...]:
    """Return the measures that close ``mode`` in ``country`` on ``on``, in the order given."""
    return tuple(m for m in measures if measure_closes(m, country, mode, on))
