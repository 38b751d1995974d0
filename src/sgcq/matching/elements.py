"""The parts a matching problem is made of: objectives, candidates, positions, options, constraints.

These are plain frozen values; :class:`~sgcq.matching.Problem` (in
:mod:`sgcq.matching.problem`) puts them together and checks them as a whole.
Every name here is also importable from :mod:`sgcq.matching.problem` and
:mod:`sgcq.matching`.

Examples
--------
>>> from sgcq.models import Quota, QuotaDimension, Share
>>> Constraints(max_size=40).side_constraints
('max_size',)
>>> Objective.COST.maximise
False
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from sgcq.models import (
    CURRENCY_MINOR_UNITS,
    Candidate,
    Cohort,
    DateRange,
    Mode,
    Money,
    MonthlyBeds,
    PayerBudget,
    Position,
    Quota,
    QuotaDimension,
    Scenario,
    YearMonth,
)
from sgcq.models import _validate as v
from sgcq.models.limits import MAX_AMOUNT_DECIMALS, MAX_RANK
from sgcq.rules import Reason, Verdict

__all__ = [
    "DEFAULT_OBJECTIVES",
    "MAX_COST_UNITS",
    "Constraints",
    "CostPart",
    "Evaluator",
    "Exclusion",
    "ForbiddenPair",
    "HostCap",
    "MatchCandidate",
    "MatchPosition",
    "Objective",
    "Option",
    "PayerCost",
    "Pin",
    "Stability",
    "cost_unit",
]

#: Decides whether a candidate may take a position for a stay (see :mod:`sgcq.rules`).
Evaluator = Callable[[Scenario, Candidate, Position, DateRange], Verdict]


class Objective(str, Enum):
    """One level of the lexicographic objective.

    * ``PLACED``: maximise the number of candidates placed.
    * ``PRIORITY_PLACED``: maximise the sum of the placed candidates' priorities.
    * ``CANDIDATE_WELFARE``: maximise the candidates' rank score, ``W + 1 - rank``
      per placement, where ``W`` is the worst candidate rank in the problem
      and an unranked option (a candidate who ranked nothing) counts as rank
      ``W``. With the number placed fixed this is the same as minimising the
      sum of ranks.
    * ``POSITION_WELFARE``: the same from the hosts' side; a host that does not
      rank is indifferent and scores every placement as rank ``W``.
    * ``COST``: minimise the allowance cost (in the problem's currency).
    * ``DISRUPTION``: minimise the number of earlier placements
      (:attr:`Problem.previous`) not kept with the same position and start.
    * ``BLOCKING_PAIRS``: minimise the number of blocking pairs (used by
      :attr:`Stability.MIN_BLOCKING`).
    * ``MODE_PREFERENCE``: maximise the placements made in a mode their
      position lists early: a placement scores the number of modes its
      position (:attr:`MatchPosition.modes`) lists after the chosen one, so 0
      for a position open in one mode. ``Problem.from_scenario`` puts it after
      the default levels when a position is open in more than one mode, so
      that of two equally good options the position's first mode is chosen
      (``docs/decisions/0025-first-mode-on-a-tie.md``).

    See ``docs/decisions/0010-objective-levels.md``.
    """

    PLACED = "placed"
    PRIORITY_PLACED = "priority_placed"
    CANDIDATE_WELFARE = "candidate_welfare"
    POSITION_WELFARE = "position_welfare"
    COST = "cost"
    DISRUPTION = "disruption"
    BLOCKING_PAIRS = "blocking_pairs"
    MODE_PREFERENCE = "mode_preference"

    @property
    def maximise(self) -> bool:
        """Whether the level is maximised (else minimised)."""
        return self in (
            Objective.PLACED,
            Objective.PRIORITY_PLACED,
            Objective.CANDIDATE_WELFARE,
            Objective.POSITION_WELFARE,
            Objective.MODE_PREFERENCE,
        )


#: The default lexicographic objective: most placed, then the best ranks.
DEFAULT_OBJECTIVES: tuple[Objective, ...] = (Objective.PLACED, Objective.CANDIDATE_WELFARE)


class Stability(str, Enum):
    """How blocking pairs are treated.

    * ``OFF``: ignored (they are still reported in the result).
    * ``STRICT``: none allowed (weak stability: ties never block); the result
      is INFEASIBLE when side constraints make that impossible.
    * ``MIN_BLOCKING``: their number is minimised as the first objective level.

    See ``docs/decisions/0011-stability.md``.
    """

    OFF = "off"
    STRICT = "strict"
    MIN_BLOCKING = "min_blocking"


def _rank(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RANK
    ):
        v.fail(attribute.name, f"must be an integer from 1 to {MAX_RANK:,} or None, got {value!r}")


@attrs.frozen
class MatchCandidate:
    """A candidate as the matcher sees them.

    Parameters
    ----------
    id
        The candidate's id.
    university
        The sending university (for university quotas), or ``None`` for a
        participant who comes from an employer or a government body only
        (no university quota counts them).
    priority
        Weight for :attr:`Objective.PRIORITY_PLACED`; at least 1.
    nationalities
        Country codes for nationality quotas. A nationality is personal data:
        :meth:`Problem.from_scenario` fills in only the nationalities that a
        quota of the problem counts (none without such a quota).
    """

    id: str = attrs.field(validator=v.identifier)
    university: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    priority: int = attrs.field(default=1, validator=[v.instance_of(int), v.positive])
    nationalities: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(str)
    )


def _distinct(_inst: Any, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    v.check(len(set(value)) == len(value), attribute.name, "a mode is listed twice")


@attrs.frozen
class MatchPosition:
    """A position as the matcher sees it.

    Parameters
    ----------
    id
        The position's id.
    host
        The host organisation (for host caps).
    seats
        How many candidates it takes.
    fields
        Field tags (for field quotas).
    ranks_candidates
        Whether the host ranks candidates; a host that does not is
        indifferent between all candidates (see ``Option.position_rank``).
    country
        The country code of the position's location (for host-country
        quotas), if known.
    direction
        Which way a placement in it travels (a :class:`~sgcq.models.Direction`
        value such as ``"sg_to_cq"``, for direction quotas), if known.
    modes
        The modes the position is open in, most wanted first (for
        :attr:`Objective.MODE_PREFERENCE`); empty when not known.
    """

    id: str = attrs.field(validator=v.identifier)
    host: str = attrs.field(validator=v.identifier)
    seats: int = attrs.field(validator=[v.instance_of(int), v.positive])
    fields: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(str)
    )
    ranks_candidates: bool = attrs.field(default=False, validator=v.instance_of(bool))
    country: str | None = attrs.field(default=None, validator=v.optional(v.text))
    direction: str | None = attrs.field(default=None, validator=v.optional(v.text))
    modes: tuple[Mode, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=[v.tuple_of(Mode), _distinct]
    )


@attrs.frozen
class CostPart:
    """A part of a payer's cost given in another currency than the payer's budget.

    Parameters
    ----------
    given
        The amount as the terms give it (a bed night in CNY).
    counted
        What it counts for in the budget's currency, at the scenario's dated
        rate on the stay's start.

    Examples
    --------
    >>> CostPart(Money("120", "CNY"), Money("23.76", "SGD")).counted.currency
    'SGD'
    """

    given: Money = attrs.field(validator=v.instance_of(Money))
    counted: Money = attrs.field(validator=v.instance_of(Money))

    def __attrs_post_init__(self) -> None:
        v.check(
            self.given.currency != self.counted.currency,
            "counted",
            f"is in {self.given.currency} as given: a part converts between two currencies",
        )


@attrs.frozen
class PayerCost:
    """What one payer (other than the hosts' allowances) pays for one option.

    Parameters
    ----------
    payer
        Id of the paying organisation (the housing payer, the visa sponsor).
    cost
        The amount, in the currency of the payer's budget (converted with
        the scenario's explicit dated rates).
    parts
        The parts of :attr:`cost` that were given in another currency, with
        what each counts for (:class:`CostPart`); a what-if with another
        exchange rate (``sgcq.planning.RateChange``) re-prices them. Empty
        when every part was in the cost's currency.

    Examples
    --------
    >>> PayerCost("liangjiang", Money("27000", "CNY")).cost.currency
    'CNY'
    """

    payer: str = attrs.field(validator=v.identifier)
    cost: Money = attrs.field(validator=v.instance_of(Money))
    parts: tuple[CostPart, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(CostPart)
    )

    def __attrs_post_init__(self) -> None:
        for i, part in enumerate(self.parts):
            v.check(
                part.counted.currency == self.cost.currency,
                f"parts[{i}].counted",
                f"is in {part.counted.currency}, but the cost is in {self.cost.currency}",
            )
        if self.cost.amount < 0:
            v.fail("cost", f"must not be negative, got {self.cost}")
        if _decimals(self.cost.amount) > MAX_AMOUNT_DECIMALS:
            v.fail(
                "cost",
                f"at most {MAX_AMOUNT_DECIMALS} decimal places (sgcq.models.limits), "
                f"got {self.cost.amount}",
            )


def _payer_costs(value: Any) -> Any:
    value = v.to_tuple(value)
    if isinstance(value, tuple) and all(isinstance(c, PayerCost) for c in value):
        return tuple(sorted(value, key=lambda c: c.payer))
    return value


@attrs.frozen
class Option:
    """One way to place a candidate: a position, a start date and the stay it implies.

    Parameters
    ----------
    candidate, position
        Ids of the two sides.
    start
        The first day of the stay.
    stay
        The half-open stay (see :func:`sgcq.rules.stay_for`).
    mode
        The position's mode.
    candidate_rank
        The candidate's rank of the position (1 best), or ``None`` when the
        candidate ranked nothing and every position of the programme is open.
    position_rank
        The host's rank of the candidate, or ``None`` when the host does not
        rank (indifferent).
    bed_months
        Calendar months in which the stay's covered period holds a bed.
    cost
        The allowance for the stay in the problem's currency (converted with
        explicit rates), or ``None`` for no allowance.
    allowance
        The allowance in the position's own currency, or ``None``.
    covered, uncovered
        The on-site days the housing cover pays for, and the on-site days
        after it ends (see :func:`sgcq.rules.split_cover`); ``None`` when
        there are none.
    payer_costs
        What other payers pay for the stay (housing, meals, visa fees), one
        entry per payer, sorted by payer; each counts against that payer's
        budget (:attr:`Constraints.payer_budgets`).
    """

    candidate: str = attrs.field(validator=v.identifier)
    position: str = attrs.field(validator=v.identifier)
    start: date = attrs.field(validator=v.instance_of(date))
    stay: DateRange = attrs.field(validator=v.instance_of(DateRange))
    mode: Mode = attrs.field(validator=v.instance_of(Mode))
    candidate_rank: int | None = attrs.field(default=None, validator=_rank)
    position_rank: int | None = attrs.field(default=None, validator=_rank)
    bed_months: tuple[YearMonth, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(YearMonth)
    )
    cost: Money | None = attrs.field(default=None, validator=v.optional(v.instance_of(Money)))
    allowance: Money | None = attrs.field(default=None, validator=v.optional(v.instance_of(Money)))
    covered: DateRange | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(DateRange))
    )
    uncovered: DateRange | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(DateRange))
    )
    payer_costs: tuple[PayerCost, ...] = attrs.field(
        default=(), converter=_payer_costs, validator=v.tuple_of(PayerCost)
    )

    def __attrs_post_init__(self) -> None:
        # Messages are formatted only on failure: problems hold many options.
        if self.payer_costs:
            payers = [c.payer for c in self.payer_costs]
            for k in range(1, len(payers)):
                if payers[k] == payers[k - 1]:
                    v.fail(f"payer_costs[{k}]", f"payer {payers[k]!r} listed twice")
        if self.stay.start != self.start:
            v.fail("stay", f"the stay {self.stay} must begin on the start {self.start}")
        if self.cost is not None:
            if self.cost.amount < 0:
                v.fail("cost", f"must not be negative, got {self.cost}")
            if _decimals(self.cost.amount) > MAX_AMOUNT_DECIMALS:
                v.fail(
                    "cost",
                    f"at most {MAX_AMOUNT_DECIMALS} decimal places (sgcq.models.limits), "
                    f"got {self.cost.amount}",
                )


def _decimals(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


#: The most cost units (see :func:`cost_unit`) the costs of one problem may add
#: up to: every budget sum the solver forms stays inside 64-bit integers.
MAX_COST_UNITS = 2**62


def cost_unit(costs: Iterable[Money], currency: str) -> Decimal:
    """Return the unit in which every cost is a whole number: the currency's minor unit or finer.

    The budget row counts costs in this unit, so that no cost is rounded:
    a cost of ``0.004`` SGD makes the unit ``0.001`` SGD, and a budget of
    100.00 then admits 100.000 but not 100.004.

    Parameters
    ----------
    costs
        The options' costs, all in ``currency``.
    currency
        The problem's currency.

    Returns
    -------
    Decimal
        A power of ten, at most the minor unit.

    Examples
    --------
    >>> cost_unit([Money("1.50", "SGD"), Money("0.004", "SGD")], "SGD")
    Decimal('0.001')
    >>> cost_unit([Money("15", "JPY")], "JPY")
    Decimal('1')
    """
    digits = CURRENCY_MINOR_UNITS[currency]
    # Costs repeat (one allowance per position and stay length): look at each
    # amount once, and normalise only those written with more digits.
    for amount in {c.amount for c in costs}:
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > digits:
            digits = max(digits, _decimals(amount))
    return Decimal(1).scaleb(-digits)


@attrs.frozen
class Exclusion:
    """A ranked pair (or one start of it) that is not an option, and why.

    Parameters
    ----------
    candidate, position
        The pair.
    start
        The start date concerned, or ``None`` when the reason applies to
        every start (no start allowed, or the pair is unacceptable).
    reasons
        The rule reasons, or the matcher's own (codes ``matching.*``).
    option
        The option a problem-level change closed (a measure added by
        :class:`~sgcq.matching.Changes`), kept so that lifting the measure
        can re-open it; ``None`` for an exclusion made when the problem was
        built (nothing to re-open without the scenario).
    """

    candidate: str = attrs.field(validator=v.identifier)
    position: str = attrs.field(validator=v.identifier)
    start: date | None = attrs.field(default=None, validator=v.optional(v.instance_of(date)))
    reasons: tuple[Reason, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Reason)
    )
    option: Option | None = attrs.field(default=None, validator=v.optional(v.instance_of(Option)))

    def __attrs_post_init__(self) -> None:
        v.check(bool(self.reasons), "reasons", "an exclusion needs at least one reason")


@attrs.frozen
class HostCap:
    """At most ``cap`` candidates placed with one host across its positions."""

    host: str = attrs.field(validator=v.identifier)
    cap: int = attrs.field(validator=[v.instance_of(int), v.non_negative])


@attrs.frozen
class Pin:
    """A candidate who must be placed in a position (from ``start``, if given).

    Also used for :attr:`Problem.previous`, the earlier placements that
    :attr:`Objective.DISRUPTION` counts changes against.
    """

    candidate: str = attrs.field(validator=v.identifier)
    position: str = attrs.field(validator=v.identifier)
    start: date | None = attrs.field(default=None, validator=v.optional(v.instance_of(date)))


@attrs.frozen
class ForbiddenPair:
    """A candidate who must not be placed in a position."""

    candidate: str = attrs.field(validator=v.identifier)
    position: str = attrs.field(validator=v.identifier)


def _sorted_beds(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and all(isinstance(b, MonthlyBeds) for b in value):
        return tuple(sorted(value, key=lambda b: b.month))
    return value


@attrs.frozen(repr=False)
class Constraints:
    """The side constraints, each optional and composable.

    Parameters
    ----------
    seats
        Each position takes at most its seats (on by default).
    host_caps
        Per-host limits across all of a host's positions.
    min_size, max_size
        Bounds on the number of candidates placed.
    quotas
        University and field quotas (see :class:`~sgcq.models.Quota`); a
        field quota counts placements in positions tagged with the field,
        and a share is of all candidates placed.
    beds
        Beds by calendar month; a placement holds a bed in each of its
        ``bed_months``. A month not listed has no limit.
    budget
        The most the placements' costs may add up to; every option's cost
        must be in this currency. This is the hosts' allowances' budget (the
        host-allowance payer's).
    payer_budgets
        One budget per other payer (housing payer, visa sponsor): the
        options' :attr:`Option.payer_costs` of that payer add up to at most
        it, and must be in its currency. A payer without a budget is totalled
        but not limited.
    pins
        Placements that must be made.
    forbidden
        Pairs that must not be placed.
    one_to_one
        Every position takes at most one candidate (co-founder matching).

    Examples
    --------
    >>> from sgcq.models import Quota, QuotaDimension, Share
    >>> c = Constraints(max_size=40,
    ...                 quotas=(Quota(QuotaDimension.UNIVERSITY, "nus", maximum=Share("0.5")),))
    >>> c.seats, c.max_size
    (True, 40)
    """

    seats: bool = attrs.field(default=True, validator=v.instance_of(bool))
    host_caps: tuple[HostCap, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(HostCap)
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
        default=(), converter=_sorted_beds, validator=v.tuple_of(MonthlyBeds)
    )
    budget: Money | None = attrs.field(default=None, validator=v.optional(v.instance_of(Money)))
    payer_budgets: tuple[PayerBudget, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(PayerBudget)
    )
    pins: tuple[Pin, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.tuple_of(Pin))
    forbidden: tuple[ForbiddenPair, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(ForbiddenPair)
    )
    one_to_one: bool = attrs.field(default=False, validator=v.instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.min_size is not None and self.max_size is not None:
            v.check(
                self.min_size <= self.max_size,
                "max_size",
                f"max_size {self.max_size} is below min_size {self.min_size}",
            )
        hosts = [h.host for h in self.host_caps]
        for i, h in enumerate(hosts):
            v.check(h not in hosts[:i], f"host_caps[{i}]", f"host {h!r} capped twice")
        months = [b.month for b in self.beds]
        for i in range(1, len(months)):
            v.check(months[i] != months[i - 1], f"beds[{i}].month", f"{months[i]} listed twice")
        seen: set[tuple[QuotaDimension, str, int | None]] = set()
        for i, q in enumerate(self.quotas):
            key = (q.dimension, q.key, q.year)
            v.check(key not in seen, f"quotas[{i}]", f"a second {q.dimension.value} quota {q.key}")
            seen.add(key)
        if self.budget is not None:
            v.check(self.budget.amount >= 0, "budget", "must not be negative")
        payers = [b.payer for b in self.payer_budgets]
        for i, p in enumerate(payers):
            v.check(p not in payers[:i], f"payer_budgets[{i}]", f"payer {p!r} has two budgets")
        pinned = [p.candidate for p in self.pins]
        for i, c in enumerate(pinned):
            v.check(c not in pinned[:i], f"pins[{i}]", f"candidate {c!r} pinned twice")

    @classmethod
    def from_cohort(cls, cohort: Cohort | None) -> Constraints:
        """Return the constraints a cohort states: size bounds, quotas, beds and budget.

        Parameters
        ----------
        cohort
            The cohort, or ``None`` for seats only.
        """
        if cohort is None:
            return cls()
        return cls(
            min_size=cohort.min_size,
            max_size=cohort.max_size,
            quotas=cohort.quotas,
            beds=cohort.beds,
            budget=cohort.allowance_budget,
            payer_budgets=cohort.payer_budgets,
        )

    def payer_budget(self, payer: str) -> Money | None:
        """Return the budget of ``payer``, or ``None`` when it has none."""
        for b in self.payer_budgets:
            if b.payer == payer:
                return b.budget
        return None

    @property
    def side_constraints(self) -> tuple[str, ...]:
        """Names of the constraints beyond seats that are switched on."""
        names = []
        if self.host_caps:
            names.append("host_caps")
        if self.min_size is not None:
            names.append("min_size")
        if self.max_size is not None:
            names.append("max_size")
        if self.quotas:
            names.append("quotas")
        if self.beds:
            names.append("beds")
        if self.budget is not None:
            names.append("budget")
        if self.payer_budgets:
            names.append("payer_budgets")
        if self.pins:
            names.append("pins")
        if self.forbidden:
            names.append("forbidden")
        if self.one_to_one:
            names.append("one_to_one")
        return tuple(names)

    def __repr__(self) -> str:
        parts = ["seats" if self.seats else "no seat limits"]
        if self.host_caps:
            parts.append(f"{len(self.host_caps)} host caps")
        if self.min_size is not None or self.max_size is not None:
            lo = "" if self.min_size is None else self.min_size
            hi = "" if self.max_size is None else self.max_size
            parts.append(f"size {lo}..{hi}")
        if self.quotas:
            parts.append(f"{len(self.quotas)} quotas")
        if self.beds:
            parts.append(f"beds in {len(self.beds)} months")
        if self.budget is not None:
            parts.append(f"budget {self.budget}")
        for b in self.payer_budgets:
            parts.append(f"{b.payer} budget {b.budget}")
        if self.pins:
            parts.append(f"{len(self.pins)} pins")
        if self.forbidden:
            parts.append(f"{len(self.forbidden)} forbidden pairs")
        if self.one_to_one:
            parts.append("one to one")
        return f"<Constraints: {', '.join(parts)}>"
