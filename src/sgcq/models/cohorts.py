"""Cohorts: one intake of a programme, with its size, quotas, beds and budget."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any, Union

import attrs

from sgcq.models import _html
from sgcq.models import _validate as v
from sgcq.models.dates import DateRange, YearMonth
from sgcq.models.money import Money

__all__ = [
    "Cohort",
    "Count",
    "MonthlyBeds",
    "PayerBudget",
    "Quota",
    "QuotaDimension",
    "QuotaLimit",
    "Share",
    "YearCap",
]


@attrs.frozen
class Count:
    """An absolute number of placed candidates."""

    value: int = attrs.field(validator=[v.instance_of(int), v.non_negative])

    def resolve(self, placed: int) -> Decimal:
        """Return the limit for a cohort of ``placed`` candidates."""
        return Decimal(self.value)

    def __str__(self) -> str:
        return str(self.value)


def _fraction(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not (Decimal(0) <= value <= Decimal(1)):
        v.fail(attribute.name, f"must be a Decimal between 0 and 1, got {value!r}")


@attrs.frozen
class Share:
    """A share of the candidates placed in the cohort, between 0 and 1."""

    value: Decimal = attrs.field(converter=v.to_decimal, validator=_fraction)

    def resolve(self, placed: int) -> Decimal:
        """Return the limit for a cohort of ``placed`` candidates (not rounded)."""
        return self.value * placed

    def __str__(self) -> str:
        # normalize() drops the trailing zeros that Decimal keeps: 0.40 -> "40%", not "40.0%".
        return f"{(self.value * 100).normalize():f}%"


#: A quota bound: an absolute count or a share of those placed.
QuotaLimit = Union[Count, Share]


class QuotaDimension(str, Enum):
    """What a quota counts candidates by.

    ``UNIVERSITY`` (the candidate's university), ``FIELD`` (a field tag of
    the position), ``DIRECTION`` (which way the placement travels, a
    :class:`~sgcq.models.Direction` value such as ``"sg_to_cq"``),
    ``NATIONALITY`` (a country code among the candidate's nationalities),
    ``HOST_COUNTRY`` (the country code of the position's location), ``HOST``
    (the host organisation's id) and ``POSITION`` (the position's id).
    """

    UNIVERSITY = "university"
    FIELD = "field"
    DIRECTION = "direction"
    NATIONALITY = "nationality"
    HOST_COUNTRY = "host_country"
    HOST = "host"
    POSITION = "position"


@attrs.frozen
class Quota:
    """Bounds on how many placed candidates share a university, field or other attribute.

    Parameters
    ----------
    dimension
        What is counted (see :class:`QuotaDimension`): the candidate's
        university or nationality, the position's field tags, host, host
        country or id, or the placement's direction.
    key
        The university id, field tag, country code, host or position id, or
        direction value.
    minimum, maximum
        Bounds; at least one. A share is of all candidates placed in the cohort.
    year
        Count only the placements whose stay starts in this calendar year
        (the part of a cap across cohorts left to one cohort, see
        :class:`YearCap`); ``None`` counts every placement.

    Examples
    --------
    >>> q = Quota(QuotaDimension.UNIVERSITY, "nus", maximum=Share(Decimal("0.4")))
    >>> q.maximum.resolve(50)
    Decimal('20.0')
    """

    dimension: QuotaDimension = attrs.field(validator=v.instance_of(QuotaDimension))
    key: str = attrs.field(validator=v.text)
    minimum: QuotaLimit | None = attrs.field(
        default=None, validator=v.optional(v.instance_of((Count, Share)))
    )
    maximum: QuotaLimit | None = attrs.field(
        default=None, validator=v.optional(v.instance_of((Count, Share)))
    )
    year: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.positive])
    )

    def __attrs_post_init__(self) -> None:
        v.check(
            self.minimum is not None or self.maximum is not None,
            "maximum",
            "a quota needs a minimum, a maximum or both",
        )
        lo, hi = self.minimum, self.maximum
        if type(lo) is type(hi) and lo is not None and hi is not None:
            v.check(lo.value <= hi.value, "maximum", f"maximum {hi} is below minimum {lo}")


def _month_in_range(_inst: Any, attribute: attrs.Attribute[Any], value: YearMonth) -> None:
    v.in_date_range(attribute.name, value.first_day())


@attrs.frozen
class MonthlyBeds:
    """Beds available under the housing cover in one calendar month."""

    month: YearMonth = attrs.field(validator=[v.instance_of(YearMonth), _month_in_range])
    beds: int = attrs.field(validator=[v.instance_of(int), v.non_negative])


def _sorted_beds(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and all(isinstance(b, MonthlyBeds) for b in value):
        return tuple(sorted(value, key=lambda b: b.month))
    return value


@attrs.frozen
class PayerBudget:
    """The most one payer spends on one cohort's placements.

    Parameters
    ----------
    payer
        Id of the paying organisation (a programme's housing payer or visa
        sponsor; see :class:`~sgcq.models.HousingTerms` and
        :class:`~sgcq.models.Benefits`).
    budget
        The limit, in the currency the payer's costs are added up in (costs
        in other currencies are converted with the scenario's dated rates).

    Examples
    --------
    >>> PayerBudget("liangjiang", Money(Decimal(900_000), "CNY")).budget
    Money(amount=Decimal('900000'), currency='CNY')
    """

    payer: str = attrs.field(validator=v.identifier)
    budget: Money = attrs.field(validator=v.instance_of(Money))

    def __attrs_post_init__(self) -> None:
        v.check(self.budget.amount >= 0, "budget", "must not be negative")


@attrs.frozen
class YearCap:
    """A cap on a programme's placements that spans every cohort of a calendar year.

    Placements of the programme whose stays start in a calendar year and
    that fall in the cap's dimension and key count against it, whichever
    cohort they belong to: the scenario's existing placements of other
    cohorts reduce what is left for the cohort being matched (e.g. YES: up
    to 500 interns a year in each direction).

    Parameters
    ----------
    dimension, key
        What is counted, as for a :class:`Quota`.
    maximum
        The most placements in one calendar year.
    year
        The calendar year the cap applies to, or ``None`` for every year.

    Examples
    --------
    >>> YearCap(QuotaDimension.DIRECTION, "sg_to_cq", 500).applies_to(2020)
    True
    """

    dimension: QuotaDimension = attrs.field(validator=v.instance_of(QuotaDimension))
    key: str = attrs.field(validator=v.text)
    maximum: int = attrs.field(validator=[v.instance_of(int), v.non_negative])
    year: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.positive])
    )

    def applies_to(self, year: int) -> bool:
        """Return whether the cap counts the placements starting in ``year``."""
        return self.year is None or self.year == year


@attrs.frozen(repr=False)
class Cohort:
    """One intake of a programme.

    Parameters
    ----------
    id
        Unique within a scenario.
    programme
        Id of the programme.
    intake
        The half-open window in which placements of this cohort start.
    target_size
        The size aimed at (e.g. about 100 a summer; source: Chongqing release,
        13 Dec 2019), if any.
    min_size, max_size
        Hard bounds on the number placed, if any.
    quotas
        Per-university and per-field bounds.
    beds
        Beds by calendar month under the housing cover; a month not listed
        has no limit.
    allowance_budget
        The most that may be spent on allowances in this cohort (the hosts'
        allowances, the host-allowance payer's budget).
    payer_budgets
        The most each other payer (housing payer, visa sponsor) spends on
        this cohort, one per payer.

    Examples
    --------
    >>> from datetime import date
    >>> c = Cohort("c2020", "ntu-ydpg", DateRange(date(2020, 7, 1), date(2021, 1, 1)),
    ...            beds=(MonthlyBeds(YearMonth(2020, 9), 40),))
    >>> c.beds_in(YearMonth(2020, 9)), c.beds_in(YearMonth(2020, 10))
    (40, None)
    """

    id: str = attrs.field(validator=v.identifier)
    programme: str = attrs.field(validator=v.identifier)
    intake: DateRange = attrs.field(validator=v.instance_of(DateRange))
    target_size: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.positive])
    )
    min_size: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.non_negative])
    )
    max_size: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.non_negative])
    )
    quotas: tuple[Quota, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Quota)
    )
    beds: tuple[MonthlyBeds, ...] = attrs.field(
        default=(),
        converter=_sorted_beds,
        validator=v.tuple_of(MonthlyBeds),
    )
    allowance_budget: Money | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Money))
    )
    payer_budgets: tuple[PayerBudget, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(PayerBudget)
    )

    def __attrs_post_init__(self) -> None:
        payers = [b.payer for b in self.payer_budgets]
        for i, p in enumerate(payers):
            v.check(p not in payers[:i], f"payer_budgets[{i}]", f"payer {p!r} has two budgets")
        if self.min_size is not None and self.max_size is not None:
            v.check(
                self.min_size <= self.max_size,
                "max_size",
                f"max_size {self.max_size} is below min_size {self.min_size}",
            )
        months = [b.month for b in self.beds]
        for i in range(1, len(months)):
            v.check(months[i] != months[i - 1], f"beds[{i}].month", f"{months[i]} listed twice")
        seen: set[tuple[QuotaDimension, str, int | None]] = set()
        for i, q in enumerate(self.quotas):
            key = (q.dimension, q.key, q.year)
            v.check(
                key not in seen, f"quotas[{i}]", f"a second {q.dimension.value} quota for {q.key!r}"
            )
            seen.add(key)
        if self.allowance_budget is not None:
            v.check(self.allowance_budget.amount >= 0, "allowance_budget", "must not be negative")

    def beds_in(self, month: YearMonth) -> int | None:
        """Return the beds of ``month``, or ``None`` if the month has no limit."""
        for b in self.beds:
            if b.month == month:
                return b.beds
        return None

    def _size_text(self) -> str:
        """Return the size bounds and target as text, e.g. ``"80..100, target 100"``."""
        lo, hi = self.min_size, self.max_size
        bounds = (
            ""
            if lo is None and hi is None
            else f"{'' if lo is None else lo}..{'' if hi is None else hi}"
        )
        aim = "" if self.target_size is None else f"target {self.target_size}"
        return ", ".join(x for x in (bounds, aim) if x)

    def __repr__(self) -> str:
        parts = [f"intake {self.intake}"]
        if self._size_text():
            parts.append(f"size {self._size_text()}")
        parts.append(_html.plural(len(self.quotas), "quota"))
        parts.append(f"beds in {_html.plural(len(self.beds), 'month')}")
        if self.allowance_budget is not None:
            parts.append(f"budget {self.allowance_budget}")
        for b in self.payer_budgets:
            parts.append(f"{b.payer} budget {b.budget}")
        return f"<Cohort {self.id} of {self.programme}: {', '.join(parts)}>"

    def _repr_html_(self) -> str:
        """Return the notebook view: the bounds, the quotas and the beds by month."""
        facts = [("programme", self.programme), ("intake", self.intake)]
        if self._size_text():
            facts.append(("size", self._size_text()))
        if self.allowance_budget is not None:
            facts.append(("allowance budget", self.allowance_budget))
        for b in self.payer_budgets:
            facts.append((f"{b.payer} budget", b.budget))
        return _html.view(
            "cohort",
            f"Cohort {self.id}",
            _html.html_table(("", "value"), facts),
            _html.html_table(
                ("dimension", "key", "minimum", "maximum"),
                ((q.dimension.value, q.key, q.minimum, q.maximum) for q in self.quotas),
                caption="Quotas",
            )
            if self.quotas
            else "",
            _html.html_table(
                ("month", "beds"), ((b.month, b.beds) for b in self.beds), caption="Beds"
            )
            if self.beds
            else "",
        )
