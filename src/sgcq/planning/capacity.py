"""Capacity planning: the least beds, budget or seats that place a target, and marginal values.

:func:`least_capacity` searches over solves for the least amount of one
resource (the beds of one month, every month's beds scaled together, the
allowance budget or another payer's budget, or the seats of a position or a
field) with which a target number of candidates is placed. Each probe
solves the problem with the number placed as its only objective. A probe
that places the target proves the amount enough; one whose bound on the
number placed is below the target proves it short. Placing more never gets
harder with more of a resource, so a bisection between a proven-short and a
proven-enough amount finds the least one; the answer says whether the
amount just below it was proven short.

:func:`marginal_values` says what one more placement is worth in each
resource: which month's beds, which quota, how much of the allowance budget
or of another payer's budget. The first estimate of each comes from the
Lagrangian relaxation's multipliers (a multiplier of ``m`` placements per
bed claims that ``1/m`` beds more place one more candidate; a zero
multiplier claims that one unit more is worth nothing); each claim is then
checked by a re-solve, and the least amount that does place one more is
found by :func:`least_capacity`.

:func:`frontier` runs a sweep over one resource: placed against budget,
placed against beds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_CEILING, Decimal
from enum import Enum
from typing import Any

import attrs

from sgcq.errors import PlanningError
from sgcq.matching import Objective, Problem, Settings, Status, solve
from sgcq.matching.stages.lagrangian import RowPrice, row_prices
from sgcq.models import Count, Money, MonthlyBeds, QuotaDimension, YearMonth, minor_unit
from sgcq.planning.sweep import DEFAULT_SETTINGS, Sweep, SweepTable, run_sweep
from sgcq.planning.variation import QuotaBounds, SeatsChange, Variation

__all__ = [
    "CapacityAnswer",
    "FrontierPoint",
    "MarginalValue",
    "Probe",
    "Resource",
    "frontier",
    "least_capacity",
    "marginal_values",
    "placed_problem",
]


class Resource(str, Enum):
    """What a capacity search varies.

    * ``BEDS``: the beds of one month (``month``), or every limited month's
      beds scaled by one factor (no month).
    * ``BUDGET``: the allowance budget, or the budget of one other payer
      (``payer``: the housing payer, the visa sponsor).
    * ``SEATS``: seats added to one position, or to every position of a field.
    """

    BEDS = "beds"
    BUDGET = "budget"
    SEATS = "seats"


@attrs.frozen
class Probe:
    """One solve of a capacity search.

    ``amount`` is the resource's amount (beds, a scale factor, money or
    seats added); ``verdict`` is ``"enough"`` (the target is placed),
    ``"short"`` (proven not placeable) or ``"unknown"`` (neither within the
    limits).
    """

    amount: Decimal
    variation: Variation
    status: str
    placed: int
    bound: int | None
    verdict: str


@attrs.frozen
class CapacityAnswer:
    """The least amount of a resource that places a target.

    Parameters
    ----------
    resource
        What was varied, in words (``"beds in 2020-12"``).
    target
        The number to place.
    amount
        The least amount found that places the target, or ``None`` when even
        the largest amount tried does not.
    variation
        The variation that sets that amount (applied after ``within``).
    proven
        Whether the answer is exact: the amount one step below was proven
        short (or the amount is the least possible), or, for ``None``, the
        largest amount was proven short.
    placed
        The number placed at ``amount``.
    probes
        Every solve, in the order run.
    """

    resource: str
    target: int
    amount: Decimal | None
    variation: Variation | None
    proven: bool
    placed: int | None
    probes: tuple[Probe, ...]

    def describe(self) -> str:
        """Return one sentence with the answer."""
        if self.amount is None:
            how = "proven impossible" if self.proven else "not found"
            return f"placing {self.target} by changing {self.resource}: {how}"
        exact = "" if self.proven else " (not proven least)"
        return (
            f"placing {self.target} needs {self.resource} = {_fmt(self.amount)}{exact}; "
            f"{len(self.probes)} solves"
        )


def _fmt(d: Decimal) -> str:
    return f"{d.normalize():f}"


def placed_problem(problem: Problem, within: Variation | None = None) -> Problem:
    """Return ``problem`` with ``within`` applied and the number placed as its only objective."""
    if within is not None:
        problem = within.apply(problem)
    return attrs.evolve(problem, objectives=(Objective.PLACED,))


def _eligible(problem: Problem) -> int:
    return len({o.candidate for o in problem.options})


def _most_paid(problem: Problem, payer: str | None) -> Decimal:
    """Return the most the placements can cost: each candidate's dearest option, added up.

    The allowances with ``payer`` ``None``, else what ``payer`` pays.
    """
    most: dict[str, Decimal] = {}
    for o in problem.options:
        if payer is None:
            cost = None if o.cost is None else o.cost.amount
        else:
            cost = next((pc.cost.amount for pc in o.payer_costs if pc.payer == payer), None)
        if cost is not None:
            most[o.candidate] = max(most.get(o.candidate, Decimal(0)), cost)
    return sum(most.values(), Decimal(0))


class _Axis:
    """One resource as integer steps ``k``: the variation and the amount at each."""

    def __init__(
        self,
        problem: Problem,
        resource: Resource,
        *,
        month: YearMonth | None,
        position: str | None,
        field: str | None,
        step: Decimal | None,
        payer: str | None = None,
    ) -> None:
        self.problem = problem
        self.resource = resource
        cons = problem.constraints
        n = len(problem.candidates)
        self.month = month
        self.payer = payer
        if payer is not None and resource is not Resource.BUDGET:
            raise PlanningError(f"payer: goes with the budget, not with {resource.value}")
        if resource is Resource.BEDS and month is not None:
            self.name = f"beds in {month}"
            self.step = Decimal(1) if step is None else step
            demand = len({o.candidate for o in problem.options if month in o.bed_months})
            self.top = math.ceil(demand / self.step)
        elif resource is Resource.BEDS:
            if not cons.beds:
                raise PlanningError("beds: the problem limits no month's beds")
            self.name = "every month's beds, scaled"
            self.step = Decimal("0.01") if step is None else step
            factor = Decimal(1)
            for b in cons.beds:
                demand = len({o.candidate for o in problem.options if b.month in o.bed_months})
                if b.beds > 0:
                    factor = max(factor, Decimal(demand) / b.beds)
            self.top = int((factor / self.step).to_integral_value(ROUND_CEILING))
        elif resource is Resource.BUDGET and payer is not None:
            if payer not in problem.payers:
                known = ", ".join(problem.payers) or "none"
                raise PlanningError(
                    f"payer: the problem has no payer {payer!r} (its payers: {known})"
                )
            currency = problem.payer_currency(payer)
            assert currency is not None  # a payer has costs or a budget
            self.currency = currency
            self.name = f"the budget of {payer}"
            self.step = Decimal(1) if step is None else step
            self.top = int(
                (_most_paid(problem, payer) / self.step).to_integral_value(ROUND_CEILING)
            )
        elif resource is Resource.BUDGET:
            currency = problem.currency
            if currency is None:
                raise PlanningError("budget: the problem's options have no cost")
            self.currency = currency
            self.name = "the budget"
            self.step = Decimal(1) if step is None else step
            self.top = int((_most_paid(problem, None) / self.step).to_integral_value(ROUND_CEILING))
        else:
            if (position is None) == (field is None):
                raise PlanningError("seats: give a position or a field (exactly one)")
            self.position = position
            self.field = field
            self.name = f"seats added to {position or f'field {field}'}"
            self.step = Decimal(1) if step is None else step
            self.top = n
        if self.step <= 0:
            raise PlanningError(f"step: must be > 0, got {self.step}")

    def amount(self, k: int) -> Decimal:
        return self.step * k

    def variation(self, k: int) -> Variation:
        return self.variation_at(self.amount(k))

    def variation_at(self, a: Decimal) -> Variation:
        if self.resource is Resource.BEDS and self.month is not None:
            return Variation(beds=[MonthlyBeds(self.month, int(a))])
        if self.resource is Resource.BEDS:
            return Variation(beds_scale=a)
        if self.resource is Resource.BUDGET and self.payer is not None:
            return Variation(payer_budgets={self.payer: Money(a, self.currency)})
        if self.resource is Resource.BUDGET:
            return Variation(budget=Money(a, self.currency))
        return Variation(seats=[SeatsChange(position=self.position, field=self.field, add=int(a))])


def _probe(problem: Problem, axis: _Axis, k: int, target: int, settings: Settings) -> Probe:
    x = axis.variation(k)
    result = solve(x.apply(problem), settings)
    bound = result.levels[0].bound if result.levels else None
    if result.status is Status.INFEASIBLE:
        verdict, bound = "short", 0
    elif result.status.has_solution and result.placed >= target:
        verdict = "enough"
    elif bound is not None and bound < target:
        verdict = "short"
    else:
        verdict = "unknown"
    return Probe(axis.amount(k), x, result.status.value, result.placed, bound, verdict)


def _search(
    problem: Problem, axis: _Axis, target: int, settings: Settings, lo: int = 0
) -> CapacityAnswer:
    """Bisect ``k`` in ``[lo, axis.top]`` for the least amount that places ``target``."""
    probes: list[Probe] = []
    by_k: dict[int, Probe] = {}

    def at(k: int) -> Probe:
        if k not in by_k:
            by_k[k] = _probe(problem, axis, k, target, settings)
            probes.append(by_k[k])
        return by_k[k]

    top = at(axis.top)
    if top.verdict != "enough":
        return CapacityAnswer(
            axis.name, target, None, None, top.verdict == "short", None, tuple(probes)
        )
    short, enough = lo - 1, axis.top
    while enough - short > 1:
        mid = (short + enough) // 2
        if at(mid).verdict == "enough":
            enough = mid
        else:
            short = mid
    proven = short < lo or by_k[short].verdict == "short"
    best = by_k[enough]
    return CapacityAnswer(
        axis.name, target, best.amount, best.variation, proven, best.placed, tuple(probes)
    )


def least_capacity(
    problem: Problem,
    target: int | None = None,
    resource: Resource | str = Resource.BEDS,
    *,
    month: YearMonth | str | None = None,
    position: str | None = None,
    field: str | None = None,
    payer: str | None = None,
    step: Decimal | int | str | None = None,
    within: Variation | None = None,
    settings: Settings | None = None,
) -> CapacityAnswer:
    """Return the least amount of ``resource`` with which ``target`` candidates are placed.

    Parameters
    ----------
    problem
        The problem.
    target
        How many to place; by default everyone eligible (every candidate
        with at least one option).
    resource
        See :class:`Resource`.
    month
        For beds: the month whose beds are searched (the others stay); every
        limited month scaled together when ``None``.
    position, field
        For seats: the position, or the field whose every position gets the
        seats added.
    payer
        For the budget: the payer (other than the hosts' allowances) whose
        budget is searched, in the currency of its costs; the allowance
        budget when ``None``.
    step
        The search's unit: 1 bed, 0.01 of a scale factor, 1 unit of the
        budget's currency and 1 seat by default.
    within
        A variation applied first (e.g. a larger maximum cohort size).
    settings
        Solver settings of every probe (:data:`DEFAULT_SETTINGS` by default).

    Returns
    -------
    CapacityAnswer
        The least amount, whether it is proven and every probe.

    Raises
    ------
    PlanningError
        If the resource cannot vary in the problem (no beds, no costs, no
        position or field given, an unknown payer).
    """
    base = placed_problem(problem, within)
    res = Resource(resource)
    when = YearMonth.parse(month) if isinstance(month, str) else month
    dec = None if step is None else Decimal(step)
    axis = _Axis(base, res, month=when, position=position, field=field, step=dec, payer=payer)
    goal = _eligible(base) if target is None else target
    if goal < 0:
        raise PlanningError(f"target: must be >= 0, got {goal}")
    return _search(base, axis, goal, settings or DEFAULT_SETTINGS)


# --- marginal values -----------------------------------------------------------


@attrs.frozen
class MarginalValue:
    """What one more placement is worth in one resource, claimed and checked.

    Parameters
    ----------
    resource
        The resource, in words (``"beds in 2020-12"``, ``"the budget"``,
        ``"the budget of ydpg"``, ``"field big-data quota maximum"``,
        ``"maximum cohort size"``).
    kind
        ``"beds"``, ``"budget"``, ``"payer_budget"``, ``"quota_max"``,
        ``"quota_min"``, ``"min_size"`` or ``"max_size"``.
    multiplier
        The Lagrangian multiplier: placements per unit of the resource, to
        first order; ``None`` for a limit the relaxation keeps in its network
        (the maximum size).
    claim
        The change in the resource claimed to place ``claimed_gain`` more:
        ``1 / multiplier`` units rounded up for a positive multiplier, one unit
        otherwise (a minimum is lowered by it, anything else raised).
    claimed_gain
        1 for a positive multiplier, 0 for a zero one; ``None`` without one.
    variation
        The variation that makes the change (checked by a re-solve).
    placed_before, placed_after
        Placed at the base and after the change (both by re-solves).
    confirmed
        Whether the re-solve bore the claim out (``placed_after`` is at least
        ``placed_before + 1`` for a gain of 1, equal to ``placed_before`` for
        0); ``None`` without a claim.
    least
        The least change that places one more, found by re-solves, or
        ``None`` if none within the search's range does.
    least_proven
        Whether ``least`` is proven least (one unit less was proven short).
    least_variation
        The variation that makes the least change, if one was found.
    payer
        The payer of a ``"payer_budget"`` value, else ``None``.
    """

    resource: str
    kind: str
    multiplier: float | None
    claim: Decimal
    claimed_gain: int | None
    variation: Variation
    placed_before: int
    placed_after: int
    confirmed: bool | None
    least: Decimal | None = None
    least_proven: bool = False
    least_variation: Variation | None = None
    payer: str | None = None

    def describe(self) -> str:
        """Return one line: the claim, its check and the least change found."""
        if self.multiplier is None:
            head = f"{self.resource}: not priced"
        else:
            head = f"{self.resource}: multiplier {self.multiplier:.4g}/unit"
            if self.claimed_gain:
                head += f", claims {_fmt(self.claim)} more place one more"
            else:
                head += ", claims one unit more is worth nothing"
        check = f"re-solve: {self.placed_before} -> {self.placed_after}"
        if self.confirmed is not None:
            check += " (confirmed)" if self.confirmed else " (not confirmed)"
        least = ""
        if self.least is not None:
            least = f"; one more placed with {_fmt(self.least)}" + (
                "" if self.least_proven else " (not proven least)"
            )
        return f"{head}; {check}{least}"


class _Relax:
    """One resource a marginal value is about: its variation for a change of ``k`` units."""

    def __init__(
        self, problem: Problem, price: RowPrice | None, kind: str, budget_step: Decimal
    ) -> None:
        self.problem = problem
        self.price = price
        self.kind = kind
        cons = problem.constraints
        self.unit = Decimal(1)
        self.minor = Decimal(1)
        if kind == "beds":
            assert price is not None and price.month is not None
            self.month = YearMonth.parse(price.month)
            self.name = f"beds in {price.month}"
            self.limit = price.limit
        elif kind == "budget":
            assert cons.budget is not None
            self.name = "the budget"
            self.amount = cons.budget
            self.minor = _row_unit(price, cons.budget.currency)
            self.unit = budget_step
            self.limit = price.limit if price is not None else 0
        elif kind == "payer_budget":
            assert price is not None and price.payer is not None
            budget = cons.payer_budget(price.payer)
            assert budget is not None  # the row is the payer's budget
            self.payer = price.payer
            self.name = f"the budget of {price.payer}"
            self.amount = budget
            self.minor = _row_unit(price, budget.currency)
            self.unit = budget_step
            self.limit = price.limit
        elif kind in ("quota_max", "quota_min"):
            assert price is not None and price.quota is not None
            dim, key = price.quota
            self.quota = next(
                q for q in cons.quotas if q.dimension is QuotaDimension(dim) and q.key == key
            )
            side = "maximum" if kind == "quota_max" else "minimum"
            self.name = f"{dim} {key} quota {side}"
            self.limit = price.limit
        elif kind == "min_size":
            self.name = "minimum cohort size"
            self.limit = price.limit if price is not None else 0
        else:
            assert cons.max_size is not None
            self.name = "maximum cohort size"
            self.limit = cons.max_size

    def claim(self) -> tuple[Decimal, int | None]:
        """Return the change claimed and the gain claimed for it, from the multiplier."""
        if self.price is None:
            return self.unit, None
        m = self.price.price
        if m <= 1e-12:
            return self.unit, 0
        # The multiplier is per unit of the row: minor units (or finer) for a budget.
        # 1/m to nine significant digits: the multipliers are floats, and
        # 1/3.3333333333333333e-06 is 300000.00000000006, not one more step.
        per = Decimal(f"{1 / m:.9g}") * self.minor
        steps = (per / self.unit).to_integral_value(ROUND_CEILING)
        return max(steps, Decimal(1)) * self.unit, 1

    def variation(self, change: Decimal) -> Variation:
        if self.kind == "beds":
            return Variation(beds=[MonthlyBeds(self.month, self.limit + int(change))])
        if self.kind == "budget":
            return Variation(budget=Money(self.amount.amount + change, self.amount.currency))
        if self.kind == "payer_budget":
            budget = Money(self.amount.amount + change, self.amount.currency)
            return Variation(payer_budgets={self.payer: budget})
        if self.kind == "quota_max":
            q = self.quota
            return Variation(
                quotas=[QuotaBounds(q.dimension, q.key, q.minimum, Count(self.limit + int(change)))]
            )
        if self.kind == "quota_min":
            q = self.quota
            lo = Count(max(0, self.limit - int(change)))
            return Variation(quotas=[QuotaBounds(q.dimension, q.key, lo, q.maximum)])
        if self.kind == "min_size":
            return Variation(min_size=max(0, self.limit - int(change)))
        return Variation(max_size=self.limit + int(change))

    def top(self) -> int:
        """Return the most units worth trying (beyond them the limit binds no more)."""
        n = len(self.problem.candidates)
        if self.kind in ("budget", "payer_budget"):
            total = _most_paid(self.problem, self.payer if self.kind == "payer_budget" else None)
            return max(1, int((total / self.unit).to_integral_value(ROUND_CEILING)))
        if self.kind in ("quota_min", "min_size"):
            return max(1, self.limit)
        return n


def _row_unit(price: RowPrice | None, currency: str) -> Decimal:
    """Return the money one unit of a budget row is (the minor unit without a price)."""
    if price is not None and price.unit is not None:
        return price.unit
    return minor_unit(currency)


class _RelaxAxis(_Axis):
    """A :class:`_Relax` as a search axis: ``k`` units of change."""

    def __init__(self, relax: _Relax) -> None:
        self.relax = relax
        self.name = relax.name
        self.step = relax.unit
        self.top = relax.top()

    def variation_at(self, a: Decimal) -> Variation:
        return self.relax.variation(a)


def marginal_values(
    problem: Problem,
    *,
    within: Variation | None = None,
    budget_step: Decimal | int | str = 1,
    search: bool = True,
    settings: Settings | None = None,
    executor: Any = None,
) -> tuple[MarginalValue, ...]:
    """Return what one more placement is worth in each limit: beds, budgets, quotas, sizes.

    Parameters
    ----------
    problem
        The problem (its objective is replaced by the number placed).
    within
        A variation applied first.
    budget_step
        The unit of every budget, the allowance budget's and each other
        payer's, each in its own currency (one unit of it by default).
    search
        Whether to search for the least change that places one more (else
        only the claims are checked).
    settings
        Solver settings of every re-solve (:data:`DEFAULT_SETTINGS` by default).
    executor
        Where the checking re-solves run (see :func:`run_sweep`); the
        searches run in this process.

    Returns
    -------
    tuple of MarginalValue
        One per limit the relaxation prices (beds of each limited month, the
        allowance budget, each other payer's budget, count quotas, the
        minimum size), then the maximum size when the problem has one; each
        claim checked by a re-solve. The re-solves are one warm sweep whose
        first solve, of the problem itself, gives ``placed_before``
        (:attr:`SweepTable.base`).
    """
    settings = settings or DEFAULT_SETTINGS
    base = placed_problem(problem, within)
    step = Decimal(budget_step)
    relaxes: list[_Relax] = []
    for price in row_prices(base):
        if price.kind == "beds":
            relaxes.append(_Relax(base, price, "beds", step))
        elif price.kind == "budget":
            relaxes.append(_Relax(base, price, "budget", step))
        elif price.kind == "payer_budgets":
            relaxes.append(_Relax(base, price, "payer_budget", step))
        elif price.kind == "quotas" and not price.share:
            kind = "quota_max" if price.side == "max" else "quota_min"
            relaxes.append(_Relax(base, price, kind, step))
        elif price.kind == "min_size":
            relaxes.append(_Relax(base, price, "min_size", step))
    if base.constraints.max_size is not None:
        relaxes.append(_Relax(base, None, "max_size", step))
    if not relaxes:
        return ()
    claims = [relax.claim() for relax in relaxes]
    checks = [relax.variation(change) for relax, (change, _) in zip(relaxes, claims, strict=True)]
    # The re-solves that check the claims are one warm sweep (on ``executor`` if
    # given): its first solve, of the base problem itself, is the one to compare
    # with and the start of the others.
    table = run_sweep(Sweep(base, checks, 0, settings, warm_start=True), executor)
    assert table.base is not None  # a warm sweep solves its base problem first
    before = table.base.placed or 0
    out = []
    for relax, (change, gain), x, row in zip(relaxes, claims, checks, table.rows, strict=True):
        after = row.placed or 0
        confirmed = None
        if gain is not None:
            confirmed = after >= before + 1 if gain else after == before
        least: Decimal | None = None
        least_proven = False
        least_variation = None
        if search and (gain or after > before):
            found = _search(base, _RelaxAxis(relax), before + 1, settings, lo=1)
            least, least_proven = found.amount, found.proven
            least_variation = found.variation
        out.append(
            MarginalValue(
                relax.name,
                relax.kind,
                None if relax.price is None else relax.price.price,
                change,
                gain,
                x,
                before,
                after,
                confirmed,
                least,
                least_proven,
                least_variation,
                relax.payer if relax.kind == "payer_budget" else None,
            )
        )
    return tuple(out)


# --- frontiers ----------------------------------------------------------------


@attrs.frozen
class FrontierPoint:
    """One point of a frontier: an amount of the resource and what the solve placed."""

    amount: Decimal
    placed: int | None
    status: str


def frontier(
    problem: Problem,
    resource: Resource | str,
    amounts: Iterable[Any],
    *,
    month: YearMonth | str | None = None,
    position: str | None = None,
    field: str | None = None,
    payer: str | None = None,
    within: Variation | None = None,
    seed: int = 0,
    settings: Settings | None = None,
    executor: Any = None,
) -> tuple[tuple[FrontierPoint, ...], SweepTable]:
    """Return placed against the amounts of one resource (a sweep), and the sweep's table.

    ``amounts`` are beds (of ``month``), scale factors (every month's beds),
    money (the budget, or ``payer``'s budget, in its currency) or seats
    added; see :func:`least_capacity` for the other parameters.
    ``executor`` is passed to :func:`run_sweep`.
    """
    base = placed_problem(problem, within)
    res = Resource(resource)
    when = YearMonth.parse(month) if isinstance(month, str) else month
    axis = _Axis(
        base, res, month=when, position=position, field=field, step=Decimal(1), payer=payer
    )
    variations = []
    values = [Decimal(repr(a)) if isinstance(a, float) else Decimal(a) for a in amounts]
    for a in values:
        variations.append(axis.variation_at(a))
    table = run_sweep(Sweep(base, variations, seed, settings or DEFAULT_SETTINGS), executor)
    points = tuple(
        FrontierPoint(a, row.placed, row.status) for a, row in zip(values, table, strict=True)
    )
    return points, table
