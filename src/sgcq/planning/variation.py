"""What-if changes to a matching problem: typed, frozen, composable, serializable.

A :class:`Variation` says how one problem differs from a base problem: beds
by month (scaled or set), the budget (set or scaled), the budgets of other
payers (the housing payer, the visa sponsor; set or scaled), the seats of a
position or of every position tagged with a field, quota bounds, the
cohort's size bounds, the allowed start months, hosts withdrawn and exchange
rates. Every field is optional; :meth:`Variation.apply` returns the changed
problem and raises :class:`~sgcq.errors.VariationError` naming the field
when a change does not fit the problem (an unknown host or payer, a month
the problem has no options in, a budget in another currency, ...). Two
variations compose with ``|`` (the right-hand one wins field by field, and
per month, payer, position, quota or currency pair), and :func:`grid`
composes every combination of several axes.

Variations are documents of kind ``planning_variation``:
``sgcq.serialization.dumps_json(variation)`` writes one and ``loads_json``
reads it back.

Examples
--------
>>> from decimal import Decimal
>>> v = Variation(beds_scale=Decimal("1.1")) | Variation(max_size=100)
>>> v.describe()
'beds x1.1, max size 100'
>>> [x.describe() for x in grid(beds_scales(["0.9", "1.1"]), [Variation(max_size=80)])]
['beds x0.9, max size 80', 'beds x1.1, max size 80']
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import attrs

from sgcq.errors import ModelValidationError, VariationError
from sgcq.matching import Constraints, CostPart, MatchPosition, PayerCost, Problem
from sgcq.models import (
    Count,
    Money,
    MonthlyBeds,
    PayerBudget,
    Quota,
    QuotaDimension,
    QuotaLimit,
    Rounding,
    Share,
    YearMonth,
)
from sgcq.models import _validate as v

__all__ = [
    "PayerBudgetScale",
    "QuotaBounds",
    "RateChange",
    "SeatsChange",
    "Variation",
    "VariationError",
    "beds_scales",
    "budget_scales",
    "grid",
    "payer_scales",
]


def _to_decimal(value: Any) -> Any:
    # A float given in code (``beds_scale=1.2``) is read by its shortest repr:
    # 1.2 is meant, not 1.1999999999999999555910790149937.
    if isinstance(value, float):
        return Decimal(repr(value))
    return v.to_decimal(value)


def _opt_decimal(value: Any) -> Any:
    return None if value is None else _to_decimal(value)


def _non_negative_decimal(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        v.fail(attribute.name, f"must be a finite number >= 0, got {value!r}")


def _positive_decimal(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        v.fail(attribute.name, f"must be a finite number > 0, got {value!r}")


def _opt_int(non_negative: bool = True) -> Any:
    checks = [v.instance_of(int)]
    if non_negative:
        checks.append(v.non_negative)
    return v.optional(checks)


def _bool_int(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool):
        v.fail(attribute.name, f"expected an integer, got {value!r}")


def _fmt(d: Decimal) -> str:
    return f"{d.normalize():f}"


@attrs.frozen
class SeatsChange:
    """New seats for one position, or for every position tagged with a field.

    Give exactly one of ``position`` and ``field``, and exactly one of
    ``seats`` (the new number, for each position concerned) and ``add`` (added
    to each position's seats; may be negative). A position left with no seat
    is withdrawn with its options.

    Examples
    --------
    >>> SeatsChange(field="big-data", add=2).describe()
    'seats of field big-data +2'
    >>> SeatsChange(position="p1")
    Traceback (most recent call last):
    ...
    sgcq.models.errors.ModelValidationError: seats: give seats or add (exactly one)
    """

    position: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    field: str | None = attrs.field(default=None, validator=v.optional(v.text))
    seats: int | None = attrs.field(default=None, validator=[_bool_int, _opt_int()])
    add: int | None = attrs.field(default=None, validator=[_bool_int, _opt_int(False)])

    def __attrs_post_init__(self) -> None:
        v.check(
            (self.position is None) != (self.field is None),
            "position",
            "give position or field (exactly one)",
        )
        v.check(
            (self.seats is None) != (self.add is None), "seats", "give seats or add (exactly one)"
        )

    @property
    def target(self) -> tuple[str, str]:
        """``("position", id)`` or ``("field", tag)``: what the change is about."""
        if self.position is not None:
            return ("position", self.position)
        assert self.field is not None
        return ("field", self.field)

    def describe(self) -> str:
        """Return a short phrase such as ``seats of p1 = 3``."""
        what = self.position if self.position is not None else f"field {self.field}"
        if self.seats is not None:
            return f"seats of {what} = {self.seats}"
        assert self.add is not None
        return f"seats of {what} {self.add:+d}"


def _dimension(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, QuotaDimension):
        try:
            return QuotaDimension(value)
        except ValueError:
            v.fail("dimension", f"must be 'university' or 'field', got {value!r}")
    return value


@attrs.frozen
class QuotaBounds:
    """New bounds for one quota (added when the problem has none of its kind and key).

    ``minimum`` and ``maximum`` replace the quota's bounds; with both
    ``None`` the quota is removed.

    Examples
    --------
    >>> from sgcq.models import Count
    >>> QuotaBounds(QuotaDimension.FIELD, "arts", maximum=Count(8)).describe()
    'field arts quota [-, 8]'
    """

    dimension: QuotaDimension = attrs.field(
        converter=_dimension, validator=v.instance_of(QuotaDimension)
    )
    key: str = attrs.field(validator=v.text)
    minimum: QuotaLimit | None = attrs.field(
        default=None, validator=v.optional(v.instance_of((Count, Share)))
    )
    maximum: QuotaLimit | None = attrs.field(
        default=None, validator=v.optional(v.instance_of((Count, Share)))
    )

    def __attrs_post_init__(self) -> None:
        if self.minimum is not None or self.maximum is not None:
            try:
                self.quota()
            except ModelValidationError as e:
                raise e from None

    def quota(self) -> Quota | None:
        """Return the quota these bounds make, or ``None`` (the quota is removed)."""
        if self.minimum is None and self.maximum is None:
            return None
        return Quota(self.dimension, self.key, minimum=self.minimum, maximum=self.maximum)

    def describe(self) -> str:
        """Return a short phrase such as ``field arts quota [2, 8]``."""
        if self.minimum is None and self.maximum is None:
            return f"no {self.dimension.value} {self.key} quota"
        lo = "-" if self.minimum is None else str(self.minimum)
        hi = "-" if self.maximum is None else str(self.maximum)
        return f"{self.dimension.value} {self.key} quota [{lo}, {hi}]"


@attrs.frozen
class RateChange:
    """A new exchange rate, ``1 base = rate quote``, for every option's costs.

    The cost of every option whose allowance is in ``base`` (in ``quote``) is
    recomputed in the problem's currency ``quote`` (``base``) with this rate
    (divided by it), rounded half-even to the minor unit, whatever the
    stay's dates. So is every part of a payer's cost that was converted
    between the two (:attr:`sgcq.matching.PayerCost.parts`: a bed night
    in CNY against a budget in SGD), and the payer's total with it.

    Examples
    --------
    >>> RateChange("SGD", "CNY", "5.1").describe()
    'SGD/CNY 5.1'
    """

    base: str = attrs.field(validator=v.instance_of(str))
    quote: str = attrs.field(validator=v.instance_of(str))
    rate: Decimal = attrs.field(converter=_to_decimal, validator=_positive_decimal)

    def __attrs_post_init__(self) -> None:
        for name in ("base", "quote"):
            code = getattr(self, name)
            v.check(
                len(code) == 3 and code.isalpha() and code.isupper(),
                name,
                f"expected an ISO 4217 code such as 'SGD', got {code!r}",
            )
        v.check(self.base != self.quote, "quote", f"must differ from base {self.base}")

    def describe(self) -> str:
        """Return a short phrase such as ``SGD/CNY 5.1``."""
        return f"{self.base}/{self.quote} {_fmt(self.rate)}"


@attrs.frozen
class PayerBudgetScale:
    """A factor for the budget of one payer other than the hosts' allowances.

    The payer's budget (as the problem has it, or as
    :attr:`Variation.payer_budgets` sets it) is multiplied by ``scale`` and
    rounded down to the minor unit of its currency.

    Examples
    --------
    >>> PayerBudgetScale("ydpg", "0.8").describe()
    'ydpg budget x0.8'
    >>> PayerBudgetScale("ydpg", -1)
    Traceback (most recent call last):
    ...
    sgcq.models.errors.ModelValidationError: scale: must be a finite number >= 0, got Decimal('-1')
    """

    payer: str = attrs.field(validator=v.identifier)
    scale: Decimal = attrs.field(converter=_to_decimal, validator=_non_negative_decimal)

    def describe(self) -> str:
        """Return a short phrase such as ``ydpg budget x0.8``."""
        return f"{self.payer} budget x{_fmt(self.scale)}"


def _by_payer(field: str, kind: type[Any], make: Callable[[str, Any], Any], value: Any) -> Any:
    """Convert a mapping ``{payer: value}`` or items of ``kind`` to a tuple sorted by payer."""
    if isinstance(value, Mapping):
        items = []
        for payer, x in value.items():
            try:
                items.append(make(payer, x))
            except ModelValidationError as e:
                raise e.prefixed(f"{field}[{payer}]") from None
        value = items
    value = v.to_tuple(value)
    if isinstance(value, tuple) and all(isinstance(x, kind) for x in value):
        return tuple(sorted(value, key=lambda x: x.payer))
    return value


def _payer_budget(payer: str, budget: Any) -> PayerBudget:
    if not isinstance(budget, Money):
        v.fail("budget", f"expected Money, got {type(budget).__name__} {budget!r}")
    return PayerBudget(payer, budget)


def _payer_budgets(value: Any) -> Any:
    return _by_payer("payer_budgets", PayerBudget, _payer_budget, value)


def _payer_budget_scales(value: Any) -> Any:
    return _by_payer("payer_budget_scales", PayerBudgetScale, PayerBudgetScale, value)


def _sorted_beds(value: Any) -> Any:
    value = v.to_tuple(value)
    if isinstance(value, tuple) and all(isinstance(b, MonthlyBeds) for b in value):
        return tuple(sorted(value, key=lambda b: b.month))
    return value


def _start_months(value: Any) -> Any:
    return None if value is None else v.to_frozenset(value)


def _check_unique(attribute: str, keys: list[Any]) -> None:
    for i, k in enumerate(keys):
        v.check(k not in keys[:i], f"{attribute}[{i}]", f"{k} changed twice")


@attrs.frozen
class Variation:
    """One what-if change to a problem; every field is optional.

    Parameters
    ----------
    label
        A name for the variation in tables (by default :meth:`describe`).
    beds_scale
        Multiply the beds of every month the problem limits (rounded down).
    beds
        Set the beds of these months (applied after ``beds_scale``); a month
        the problem does not limit becomes limited.
    budget
        Set the budget (in the problem's currency).
    budget_scale
        Multiply the budget (after ``budget``), rounded down to the minor unit.
    payer_budgets
        Set the budgets of payers other than the hosts' allowances (the
        housing payer, the visa sponsor), each in the currency of that
        payer's costs: ``{payer: Money}`` or :class:`~sgcq.models.PayerBudget`
        items, at most one per payer. A payer with costs but no budget gets
        one.
    payer_budget_scales
        Multiply payers' budgets (after ``payer_budgets``), rounded down to
        the minor unit: ``{payer: factor}`` or :class:`PayerBudgetScale`
        items, at most one per payer.
    seats
        Seat changes, at most one per position and per field.
    quotas
        New quota bounds, at most one per dimension and key.
    min_size, max_size
        New bounds on the number of candidates placed.
    start_months
        Keep only the options that start in these months.
    withdrawn_hosts
        Hosts that take part no more: their positions and options go, and so
        do their host caps and forbidden pairs.
    rates
        New exchange rates for the options' costs (allowances and the parts
        of payers' costs given in another currency), at most one per pair.

    Examples
    --------
    >>> from sgcq.models import MonthlyBeds, YearMonth
    >>> Variation(beds=[MonthlyBeds(YearMonth(2020, 12), 80)], withdrawn_hosts={"h3"}).describe()
    'beds 2020-12 = 80, withdrawn h3'
    >>> district = Variation(payer_budgets={"ydpg": Money(500_000, "CNY")})
    >>> (district | Variation(payer_budget_scales={"ydpg": 0.9})).describe()
    'ydpg budget CNY 500000, ydpg budget x0.9'
    >>> Variation(max_size=-1)
    Traceback (most recent call last):
    ...
    sgcq.models.errors.ModelValidationError: max_size: must not be negative, got -1
    """

    label: str | None = attrs.field(default=None, validator=v.optional(v.instance_of(str)))
    beds_scale: Decimal | None = attrs.field(
        default=None, converter=_opt_decimal, validator=_non_negative_decimal
    )
    beds: tuple[MonthlyBeds, ...] = attrs.field(
        default=(), converter=_sorted_beds, validator=v.tuple_of(MonthlyBeds)
    )
    budget: Money | None = attrs.field(default=None, validator=v.optional(v.instance_of(Money)))
    budget_scale: Decimal | None = attrs.field(
        default=None, converter=_opt_decimal, validator=_non_negative_decimal
    )
    payer_budgets: tuple[PayerBudget, ...] = attrs.field(
        default=(),
        converter=_payer_budgets,
        validator=v.tuple_of(PayerBudget),
    )
    payer_budget_scales: tuple[PayerBudgetScale, ...] = attrs.field(
        default=(),
        converter=_payer_budget_scales,
        validator=v.tuple_of(PayerBudgetScale),
    )
    seats: tuple[SeatsChange, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(SeatsChange)
    )
    quotas: tuple[QuotaBounds, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(QuotaBounds)
    )
    min_size: int | None = attrs.field(default=None, validator=[_bool_int, _opt_int()])
    max_size: int | None = attrs.field(default=None, validator=[_bool_int, _opt_int()])
    start_months: frozenset[YearMonth] | None = attrs.field(
        default=None, converter=_start_months, validator=v.optional(v.frozenset_of(YearMonth))
    )
    withdrawn_hosts: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(str)
    )
    rates: tuple[RateChange, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(RateChange)
    )

    def __attrs_post_init__(self) -> None:
        _check_unique("beds", [f"the beds of {b.month}" for b in self.beds])
        _check_unique("payer_budgets", [f"the budget of {b.payer}" for b in self.payer_budgets])
        _check_unique(
            "payer_budget_scales", [f"the budget of {b.payer}" for b in self.payer_budget_scales]
        )
        _check_unique("seats", [" ".join(s.target) for s in self.seats])
        _check_unique("quotas", [f"the {q.dimension.value} quota {q.key}" for q in self.quotas])
        _check_unique(
            "rates", ["the rate " + "/".join(sorted((r.base, r.quote))) for r in self.rates]
        )
        if self.min_size is not None and self.max_size is not None:
            v.check(
                self.min_size <= self.max_size,
                "max_size",
                f"max_size {self.max_size} is below min_size {self.min_size}",
            )
        if self.budget is not None:
            v.check(self.budget.amount >= 0, "budget", "must not be negative")
        if self.start_months is not None:
            v.check(bool(self.start_months), "start_months", "give at least one month")

    # --- composing ------------------------------------------------------------

    def __or__(self, other: Variation) -> Variation:
        """Return both changes: ``other`` wins field by field and per key."""
        if not isinstance(other, Variation):
            return NotImplemented

        def merged(mine: Sequence[Any], theirs: Sequence[Any], key: Any) -> tuple[Any, ...]:
            out = {key(x): x for x in mine}
            out.update({key(x): x for x in theirs})
            return tuple(out.values())

        def pick(name: str) -> Any:
            theirs = getattr(other, name)
            return theirs if theirs is not None else getattr(self, name)

        label = None
        if self.label is not None or other.label is not None:
            label = " | ".join(x.label or x.describe() for x in (self, other))
        return Variation(
            label=label,
            beds_scale=pick("beds_scale"),
            beds=merged(self.beds, other.beds, lambda b: b.month),
            budget=pick("budget"),
            budget_scale=pick("budget_scale"),
            payer_budgets=merged(self.payer_budgets, other.payer_budgets, lambda b: b.payer),
            payer_budget_scales=merged(
                self.payer_budget_scales, other.payer_budget_scales, lambda b: b.payer
            ),
            seats=merged(self.seats, other.seats, lambda s: s.target),
            quotas=merged(self.quotas, other.quotas, lambda q: (q.dimension, q.key)),
            min_size=pick("min_size"),
            max_size=pick("max_size"),
            start_months=pick("start_months"),
            withdrawn_hosts=self.withdrawn_hosts | other.withdrawn_hosts,
            rates=merged(self.rates, other.rates, lambda r: frozenset((r.base, r.quote))),
        )

    # --- reading --------------------------------------------------------------

    @property
    def is_base(self) -> bool:
        """Whether the variation changes nothing."""
        return attrs.evolve(self, label=None) == Variation()

    def describe(self) -> str:
        """Return the changes as a short phrase (``"base"`` for none)."""
        parts: list[str] = []
        if self.beds_scale is not None:
            parts.append(f"beds x{_fmt(self.beds_scale)}")
        parts += [f"beds {b.month} = {b.beds}" for b in self.beds]
        if self.budget is not None:
            parts.append(f"budget {self.budget.currency} {_fmt(self.budget.amount)}")
        if self.budget_scale is not None:
            parts.append(f"budget x{_fmt(self.budget_scale)}")
        parts += [
            f"{b.payer} budget {b.budget.currency} {_fmt(b.budget.amount)}"
            for b in self.payer_budgets
        ]
        parts += [s.describe() for s in self.payer_budget_scales]
        parts += [s.describe() for s in self.seats]
        parts += [q.describe() for q in self.quotas]
        if self.min_size is not None:
            parts.append(f"min size {self.min_size}")
        if self.max_size is not None:
            parts.append(f"max size {self.max_size}")
        if self.start_months is not None:
            parts.append("starts " + " ".join(str(m) for m in sorted(self.start_months)))
        if self.withdrawn_hosts:
            parts.append("withdrawn " + " ".join(sorted(self.withdrawn_hosts)))
        parts += [r.describe() for r in self.rates]
        return ", ".join(parts) or "base"

    @property
    def name(self) -> str:
        """The label, or :meth:`describe` without one."""
        return self.label if self.label is not None else self.describe()

    # --- applying -------------------------------------------------------------

    def apply(self, problem: Problem) -> Problem:
        """Return ``problem`` with the changes made; the problem itself is not changed.

        Raises
        ------
        VariationError
            Naming the field of the first change that does not fit the
            problem, or saying which check the changed problem fails.
        """
        if self.is_base:
            return problem
        positions = list(problem.positions)
        options = list(problem.options)
        cons = problem.constraints
        gone_positions: set[str] = set()
        # Hosts withdrawn.
        hosts = {p.host for p in positions}
        for h in sorted(self.withdrawn_hosts):
            if h not in hosts:
                raise VariationError("withdrawn_hosts", f"unknown host {h!r}")
        if self.withdrawn_hosts:
            gone_positions |= {p.id for p in positions if p.host in self.withdrawn_hosts}
        # Seats.
        new_seats: dict[str, int] = {}
        for i, s in enumerate(self.seats):
            if s.position is not None:
                hit = [p for p in positions if p.id == s.position]
                if not hit:
                    raise VariationError(f"seats[{i}].position", f"unknown position {s.position!r}")
            else:
                hit = [p for p in positions if s.field in p.fields]
                if not hit:
                    raise VariationError(
                        f"seats[{i}].field", f"no position is tagged with field {s.field!r}"
                    )
            for p in hit:
                base = new_seats.get(p.id, p.seats)
                new_seats[p.id] = s.seats if s.seats is not None else base + (s.add or 0)
        changed: list[MatchPosition] = []
        for p in positions:
            n = new_seats.get(p.id, p.seats)
            if n <= 0:
                gone_positions.add(p.id)
            elif p.id not in gone_positions:
                changed.append(p if n == p.seats else attrs.evolve(p, seats=n))
        positions = changed
        if gone_positions:
            options = [o for o in options if o.position not in gone_positions]
            for i, pin in enumerate(cons.pins):
                if pin.position in gone_positions:
                    raise VariationError(
                        "withdrawn_hosts" if self.withdrawn_hosts else "seats",
                        f"the pin of {pin.candidate} (constraints.pins[{i}]) names "
                        f"{pin.position}, which the variation withdraws",
                    )
        # Start months.
        if self.start_months is not None:
            have = {YearMonth(o.start.year, o.start.month) for o in options}
            missing = sorted(self.start_months - have)
            if missing:
                raise VariationError(
                    "start_months", f"no option starts in {', '.join(str(m) for m in missing)}"
                )
            options = [
                o for o in options if YearMonth(o.start.year, o.start.month) in self.start_months
            ]
        # Exchange rates.
        if self.rates:
            options = self._rated(problem, options)
        cons = self._constraints(problem, cons, gone_positions, {p.host for p in positions})
        exclusions = problem.exclusions
        if gone_positions:
            exclusions = tuple(x for x in exclusions if x.position not in gone_positions)
        previous = tuple(p for p in problem.previous if p.position not in gone_positions)
        try:
            return attrs.evolve(
                problem,
                positions=tuple(positions),
                options=tuple(options),
                exclusions=exclusions,
                constraints=cons,
                previous=previous,
            )
        except ModelValidationError as e:
            raise VariationError("", f"the varied problem is not valid: {e}") from None

    def _rated(self, problem: Problem, options: list[Any]) -> list[Any]:
        currency = problem.currency
        # The currencies costs are counted in: the problem's (allowances) and
        # each payer's (housing, meals, visas).
        counted = {currency} | {pc.cost.currency for o in options for pc in o.payer_costs}
        counted.discard(None)
        for i, r in enumerate(self.rates):
            if not counted & {r.base, r.quote}:
                names = ", ".join(sorted(c for c in counted if c is not None)) or "no currency"
                raise VariationError(
                    f"rates[{i}]",
                    f"the problem's costs are counted in {names}, not {r.base} or {r.quote}",
                )
        out = []
        for o in options:
            a = o.allowance
            if a is not None and currency is not None and a.currency != currency:
                amount = self._at_rate(a, currency)
                if amount is not None:
                    o = attrs.evolve(o, cost=amount)
            if any(pc.parts for pc in o.payer_costs):
                o = attrs.evolve(o, payer_costs=tuple(self._repriced(pc) for pc in o.payer_costs))
            out.append(o)
        return out

    def _at_rate(self, given: Money, currency: str) -> Money | None:
        """Return ``given`` in ``currency`` at this variation's rate for the pair, or ``None``."""
        for r in self.rates:
            if given.currency == r.base and currency == r.quote:
                return Money(given.amount * r.rate, currency).rounded()
            if given.currency == r.quote and currency == r.base:
                return Money(given.amount / r.rate, currency).rounded()
        return None

    def _repriced(self, pc: PayerCost) -> PayerCost:
        """Return ``pc`` with its parts at this variation's rates (parts of other pairs kept)."""
        total = pc.cost
        parts = []
        for part in pc.parts:
            now = self._at_rate(part.given, pc.cost.currency)
            if now is not None:
                total = total - part.counted + now
                part = CostPart(part.given, now)
            parts.append(part)
        return PayerCost(pc.payer, total, tuple(parts))

    def _constraints(
        self, problem: Problem, cons: Constraints, gone: set[str], hosts: set[str]
    ) -> Constraints:
        changes: dict[str, Any] = {}
        # Beds.
        beds = {b.month: b.beds for b in cons.beds}
        if self.beds_scale is not None:
            if not beds:
                raise VariationError("beds_scale", "the problem limits no month's beds")
            beds = {
                m: int((n * self.beds_scale).to_integral_value(ROUND_FLOOR))
                for m, n in beds.items()
            }
        for b in self.beds:
            beds[b.month] = b.beds
        if self.beds_scale is not None or self.beds:
            changes["beds"] = tuple(MonthlyBeds(m, n) for m, n in sorted(beds.items()))
        # Budget.
        budget = cons.budget
        if self.budget is not None:
            if problem.currency is not None and self.budget.currency != problem.currency:
                raise VariationError(
                    "budget",
                    f"the budget is in {self.budget.currency} but the problem's costs "
                    f"are in {problem.currency}",
                )
            budget = self.budget
        if self.budget_scale is not None:
            if budget is None:
                raise VariationError("budget_scale", "the problem has no budget")
            budget = Money(budget.amount * self.budget_scale, budget.currency).rounded(
                Rounding.FLOOR
            )
        if budget is not cons.budget:
            changes["budget"] = budget
        if self.payer_budgets or self.payer_budget_scales:
            changes["payer_budgets"] = _payer_budgets_of(self, problem, cons)
        # Quotas.
        if self.quotas:
            have = {(q.dimension, q.key): q for q in cons.quotas}
            for i, qb in enumerate(self.quotas):
                key = (qb.dimension, qb.key)
                new = qb.quota()
                if new is None:
                    if key not in have:
                        raise VariationError(
                            f"quotas[{i}]",
                            f"the problem has no {qb.dimension.value} quota {qb.key!r} to remove",
                        )
                    del have[key]
                else:
                    have[key] = new
            changes["quotas"] = tuple(have.values())
        if self.min_size is not None:
            changes["min_size"] = self.min_size
        if self.max_size is not None:
            changes["max_size"] = self.max_size
        lo = changes.get("min_size", cons.min_size)
        hi = changes.get("max_size", cons.max_size)
        if lo is not None and hi is not None and lo > hi:
            field = "max_size" if self.max_size is not None else "min_size"
            raise VariationError(field, f"the cohort's size bounds become [{lo}, {hi}]")
        if gone:
            changes["host_caps"] = tuple(h for h in cons.host_caps if h.host in hosts)
            changes["forbidden"] = tuple(f for f in cons.forbidden if f.position not in gone)
        return attrs.evolve(cons, **changes) if changes else cons


def _payer_budgets_of(
    variation: Variation, problem: Problem, cons: Constraints
) -> tuple[PayerBudget, ...]:
    """Return the payers' budgets ``variation`` makes (see :meth:`Variation.apply`)."""
    known = problem.payers
    budgets = {b.payer: b.budget for b in cons.payer_budgets}
    for i, b in enumerate(variation.payer_budgets):
        if b.payer not in known:
            raise VariationError(f"payer_budgets[{i}].payer", _unknown_payer(b.payer, known))
        currency, what = _payer_currency(problem, b.payer)
        if b.budget.currency != currency:
            raise VariationError(
                f"payer_budgets[{i}].budget",
                f"the budget of {b.payer} is in {b.budget.currency} but {b.payer}'s "
                f"{what} in {currency}",
            )
        budgets[b.payer] = b.budget
    for i, s in enumerate(variation.payer_budget_scales):
        if s.payer not in known:
            raise VariationError(f"payer_budget_scales[{i}].payer", _unknown_payer(s.payer, known))
        budget = budgets.get(s.payer)
        if budget is None:
            raise VariationError(
                f"payer_budget_scales[{i}]", f"the payer {s.payer!r} has no budget to scale"
            )
        budgets[s.payer] = Money(budget.amount * s.scale, budget.currency).rounded(Rounding.FLOOR)
    return tuple(PayerBudget(p, m) for p, m in budgets.items())


def _unknown_payer(payer: str, known: Sequence[str]) -> str:
    have = f"the problem's payers are {', '.join(known)}" if known else "the problem has no payer"
    return f"unknown payer {payer!r} ({have}: a payer has costs or a budget)"


def _payer_currency(problem: Problem, payer: str) -> tuple[str, str]:
    """Return the currency of ``payer``'s costs (else of its budget), and which it is."""
    for o in problem.options:
        for pc in o.payer_costs:
            if pc.payer == payer:
                return pc.cost.currency, "costs are"
    budget = problem.constraints.payer_budget(payer)
    assert budget is not None  # a known payer has costs or a budget
    return budget.currency, "budget is"


def _axis(values: Iterable[Any]) -> list[Decimal]:
    return [_to_decimal(x) for x in values]


def beds_scales(values: Iterable[Any]) -> tuple[Variation, ...]:
    """Return one variation per factor, each scaling every month's beds.

    Examples
    --------
    >>> [v.describe() for v in beds_scales([0.8, 1])]
    ['beds x0.8', 'beds x1']
    """
    return tuple(Variation(beds_scale=f) for f in _axis(values))


def budget_scales(values: Iterable[Any]) -> tuple[Variation, ...]:
    """Return one variation per factor, each scaling the budget.

    Examples
    --------
    >>> [v.describe() for v in budget_scales(["0.5", "2"])]
    ['budget x0.5', 'budget x2']
    """
    return tuple(Variation(budget_scale=f) for f in _axis(values))


def payer_scales(payer: str, values: Iterable[Any]) -> tuple[Variation, ...]:
    """Return one variation per factor, each scaling the budget of ``payer``.

    Examples
    --------
    >>> [v.describe() for v in payer_scales("ydpg", ["0.8", 1])]
    ['ydpg budget x0.8', 'ydpg budget x1']
    """
    return tuple(Variation(payer_budget_scales={payer: f}) for f in _axis(values))


def grid(*axes: Iterable[Variation]) -> tuple[Variation, ...]:
    """Return every combination of one variation per axis, composed with ``|``.

    The first axis varies slowest. With no axis, the grid is the base alone.

    Examples
    --------
    >>> len(grid(beds_scales([0.8, 1, 1.2]), budget_scales([1, 2])))
    6
    """
    out = []
    for combo in itertools.product(*(tuple(a) for a in axes)):
        acc = Variation()
        for x in combo:
            acc = acc | x
        out.append(acc)
    return tuple(out)
