"""Programmes: who runs them, in which direction, with which benefits."""

from __future__ import annotations

from enum import Enum

import attrs

from sgcq.models import _validate as v
from sgcq.models.citations import Citation
from sgcq.models.cohorts import YearCap
from sgcq.models.dates import DateRange, DurationBounds
from sgcq.models.money import Money
from sgcq.models.parties import Role
from sgcq.models.targets import Indicator, Target

__all__ = [
    "Benefits",
    "Direction",
    "Funding",
    "HousingTerms",
    "Partner",
    "Programme",
    "ProgrammeKind",
    "Target",
]


class Direction(str, Enum):
    """Which way people travel.

    ``SG_TO_CQ``, ``CQ_TO_SG`` and ``BOTH`` are the bilateral programmes;
    ``FROM_SG`` (Singaporeans to hosts in any country) and ``TO_SG`` (people
    from any country to Singapore) cover programmes such as SUSS's overseas
    internships and co-founder matching (source: WiseNet Asia–SUSS MOU, 26 Oct
    2020).
    """

    SG_TO_CQ = "sg_to_cq"
    CQ_TO_SG = "cq_to_sg"
    BOTH = "both"
    FROM_SG = "from_sg"
    TO_SG = "to_sg"


class ProgrammeKind(str, Enum):
    """What a programme places people into."""

    INTERNSHIP = "internship"
    JOB = "job"
    TRAINING_COURSE = "training_course"
    HYBRID_COURSE = "hybrid_course"
    COFOUNDER_MATCHING = "cofounder_matching"
    #: A research collaboration (e.g. SSIJRI): no placements; its targets are
    #: outputs such as projects and patent applications (source: NTU press
    #: release, 8 Dec 2020).
    RESEARCH = "research"


@attrs.frozen
class Partner:
    """An organisation and the role it plays in one programme."""

    organisation: str = attrs.field(validator=v.identifier)
    role: Role = attrs.field(validator=v.instance_of(Role))


@attrs.frozen
class HousingTerms:
    """Housing (and possibly meals) paid for a limited number of months.

    Parameters
    ----------
    max_months
        Months covered from the start of a stay (6 in the NTU–YDPG agreement;
        source: NTU press release, 13 May 2020).
    payer
        Id of the paying organisation.
    includes_meals
        Whether meals are covered with the housing.
    bed_night
        What the payer pays for one covered night, in its own currency, if
        priced.
    meals_per_day
        What the payer pays for one covered day's meals, if priced (only
        with ``includes_meals``).
    """

    max_months: int = attrs.field(validator=[v.instance_of(int), v.positive])
    payer: str = attrs.field(validator=v.identifier)
    includes_meals: bool = attrs.field(default=True, validator=v.instance_of(bool))
    bed_night: Money | None = attrs.field(default=None, validator=v.optional(v.instance_of(Money)))
    meals_per_day: Money | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Money))
    )

    def __attrs_post_init__(self) -> None:
        for name in ("bed_night", "meals_per_day"):
            rate = getattr(self, name)
            if rate is not None:
                v.check(rate.amount >= 0, name, f"must not be negative, got {rate}")
        if self.meals_per_day is not None:
            v.check(
                self.includes_meals,
                "meals_per_day",
                "meals are priced but includes_meals is false",
            )


@attrs.frozen
class Benefits:
    """What a programme gives its participants.

    Parameters
    ----------
    allowance
        Whether participants receive an allowance (amounts are per position).
    housing
        Housing cover terms, if any.
    visa_support
        Id of the organisation that handles visas, if any.
    visa_fee
        The fee the visa sponsor pays for one participant's visa, if priced
        (needs ``visa_support``).
    """

    allowance: bool = attrs.field(default=False, validator=v.instance_of(bool))
    housing: HousingTerms | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(HousingTerms))
    )
    visa_support: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    visa_fee: Money | None = attrs.field(default=None, validator=v.optional(v.instance_of(Money)))

    def __attrs_post_init__(self) -> None:
        if self.visa_fee is not None:
            v.check(self.visa_support is not None, "visa_fee", "a visa fee needs a visa_support")
            v.check(
                self.visa_fee.amount >= 0, "visa_fee", f"must not be negative, got {self.visa_fee}"
            )


@attrs.frozen
class Funding:
    """Money committed to a programme over a period.

    Parameters
    ----------
    amounts
        The sum, possibly quoted in more than one currency (e.g. S$61m and
        RMB300m, which the source gives side by side). The quotes are kept as
        given and are not used as an exchange rate.
    period
        The half-open period the funding covers.
    citation
        Where the figure comes from.
    """

    amounts: tuple[Money, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(Money))
    period: DateRange = attrs.field(validator=v.instance_of(DateRange))
    citation: Citation | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Citation))
    )

    def __attrs_post_init__(self) -> None:
        v.check(bool(self.amounts), "amounts", "give at least one amount")
        currencies = [m.currency for m in self.amounts]
        v.check(len(set(currencies)) == len(currencies), "amounts", "one amount per currency")

    def in_currency(self, currency: str) -> Money | None:
        """Return the amount quoted in ``currency``, if the source gave one."""
        return next((m for m in self.amounts if m.currency == currency), None)


@attrs.frozen
class Programme:
    """A talent programme run by several partners.

    Parameters
    ----------
    id, name
        Identifier and display name.
    kind, direction
        What it places people into, and which way they travel.
    partners
        Organisations and their roles in this programme.
    benefits
        Allowance, housing cover, visa support.
    duration
        Allowed stay lengths, if the programme bounds them.
    rule_sets
        Ids of the rule sets that apply (see :mod:`sgcq.rules`).
    funding, targets
        Money committed and goals (targets with comparators, baselines and
        observations: :mod:`sgcq.models.targets`).
    indicators
        Figures the programme reports without a target (e.g. papers so far).
    citations
        The documents the programme's facts come from.
    year_caps
        Caps on the programme's placements in a calendar year across its
        cohorts (see :class:`~sgcq.models.YearCap`).
    """

    id: str = attrs.field(validator=v.identifier)
    name: str = attrs.field(validator=v.text)
    kind: ProgrammeKind = attrs.field(validator=v.instance_of(ProgrammeKind))
    direction: Direction = attrs.field(validator=v.instance_of(Direction))
    partners: tuple[Partner, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Partner)
    )
    benefits: Benefits = attrs.field(factory=Benefits, validator=v.instance_of(Benefits))
    duration: DurationBounds | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(DurationBounds))
    )
    rule_sets: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(str)
    )
    funding: tuple[Funding, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Funding)
    )
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Target)
    )
    citations: tuple[Citation, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Citation)
    )
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Indicator)
    )
    year_caps: tuple[YearCap, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(YearCap)
    )

    def __attrs_post_init__(self) -> None:
        capped: set[tuple[object, ...]] = set()
        for i, cap in enumerate(self.year_caps):
            ckey = (cap.dimension, cap.key, cap.year)
            v.check(
                ckey not in capped,
                f"year_caps[{i}]",
                f"a second {cap.dimension.value} cap on {cap.key!r}",
            )
            capped.add(ckey)
        seen: set[tuple[str, Role]] = set()
        for i, p in enumerate(self.partners):
            key = (p.organisation, p.role)
            v.check(
                key not in seen,
                f"partners[{i}]",
                f"{p.organisation} listed twice as {p.role.value}",
            )
            seen.add(key)

    def partners_with(self, role: Role) -> tuple[str, ...]:
        """Return the ids of the partners that play ``role``."""
        return tuple(p.organisation for p in self.partners if p.role is role)
