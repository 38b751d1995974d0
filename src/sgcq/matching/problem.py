"""The matching problem: sparse options, exclusions with reasons, constraints, objectives.

A :class:`Problem` is immutable, picklable and serializable. Build it from a
scenario with :meth:`Problem.from_scenario` (which evaluates the rules for
every ranked pair and keeps the reasons of every pair it leaves out) or
directly from :class:`MatchCandidate`, :class:`MatchPosition` and
:class:`Option` values for synthetic problems.

Options are sparse: one per candidate, position and allowed start date whose
stay fits and whose rule verdict is eligible. A pair the candidate did not rank
is neither an option nor an exclusion (listing every unranked pair would make
the problem quadratic); every *ranked* pair that is not an option is an
:class:`Exclusion` with its reasons.

Examples
--------
>>> from datetime import date
>>> from sgcq.models import DateRange, Mode
>>> stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
>>> p = Problem(
...     candidates=(MatchCandidate("c1", "ntu"), MatchCandidate("c2", "nus")),
...     positions=(MatchPosition("p1", "h1", seats=1),),
...     options=(
...         Option("c1", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...         Option("c2", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...     ),
... )
>>> len(p.options), p.objectives
(2, (<Objective.PLACED: 'placed'>, <Objective.CANDIDATE_WELFARE: 'candidate_welfare'>))
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from sgcq.matching._from_scenario import scenario_parts
from sgcq.matching.elements import (
    DEFAULT_OBJECTIVES,
    MAX_COST_UNITS,
    Constraints,
    CostPart,
    Evaluator,
    Exclusion,
    ForbiddenPair,
    HostCap,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    PayerCost,
    Pin,
    Stability,
    cost_unit,
)
from sgcq.models import Mode, Money, Scenario, _html
from sgcq.models import _validate as v
from sgcq.models.errors import FieldError, ModelValidationError

__all__ = [
    "DEFAULT_OBJECTIVES",
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
    "Problem",
    "Stability",
]


def _objectives(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(Objective(o) if isinstance(o, str) else o for o in value)
    return value


def _check_objectives(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(Objective)(_inst, attribute, value)
    v.check(bool(value), attribute.name, "give at least one objective")
    v.check(len(set(value)) == len(value), attribute.name, "an objective is listed twice")


@attrs.frozen(repr=False)
class Problem:
    """An immutable matching problem.

    Parameters
    ----------
    candidates
        Everyone to place; ids unique.
    positions
        Everything to place into; ids unique.
    options
        The sparse options; each names a known candidate and position, and
        ``(candidate, position, start, mode)`` is unique (a position open in
        several modes has one option per mode).
    exclusions
        The ranked pairs that are not options, with their reasons.
    constraints
        The side constraints.
    objectives
        The lexicographic objective, most important first.
    stability
        How blocking pairs are treated.
    previous
        Earlier placements, for :attr:`Objective.DISRUPTION` and re-matching.
    cohort
        The cohort id the problem was built for, if any.
    currency
        The currency of every option's cost, if any option has one.

    Notes
    -----
    A problem is checked as a whole on construction, in time linear in its
    size; every problem found is reported with its path.
    """

    candidates: tuple[MatchCandidate, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(MatchCandidate)
    )
    positions: tuple[MatchPosition, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(MatchPosition)
    )
    options: tuple[Option, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(Option))
    exclusions: tuple[Exclusion, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Exclusion)
    )
    constraints: Constraints = attrs.field(
        factory=Constraints, validator=v.instance_of(Constraints)
    )
    objectives: tuple[Objective, ...] = attrs.field(
        default=DEFAULT_OBJECTIVES, converter=_objectives, validator=_check_objectives
    )
    stability: Stability = attrs.field(default=Stability.OFF, validator=v.instance_of(Stability))
    previous: tuple[Pin, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Pin)
    )
    cohort: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    currency: str | None = attrs.field(default=None, validator=v.optional(v.instance_of(str)))

    def __attrs_post_init__(self) -> None:
        errors: list[FieldError] = []
        for name in ("candidates", "positions"):
            try:
                v.unique_ids(name, getattr(self, name))
            except ModelValidationError as e:
                errors.extend(e.errors)
        cands = {c.id for c in self.candidates}
        poss = {p.id for p in self.positions}
        budget = self.constraints.budget
        currency = self.currency
        if budget is not None:
            if currency is None:
                object.__setattr__(self, "currency", budget.currency)
                currency = budget.currency
            elif currency != budget.currency:
                errors.append(
                    FieldError(
                        "constraints.budget",
                        f"budget is in {budget.currency} but the problem's currency is {currency}",
                    )
                )
        seen: set[tuple[str, str, date, Mode]] = set()
        for i, o in enumerate(self.options):
            if o.candidate not in cands:
                errors.append(FieldError(f"options[{i}].candidate", f"unknown {o.candidate!r}"))
            if o.position not in poss:
                errors.append(FieldError(f"options[{i}].position", f"unknown {o.position!r}"))
            # A position open in several modes has one option per mode (decision 0019).
            key = (o.candidate, o.position, o.start, o.mode)
            if key in seen:
                errors.append(FieldError(f"options[{i}]", f"a second option {key}"))
            seen.add(key)
            if o.cost is not None:
                if currency is None:
                    object.__setattr__(self, "currency", o.cost.currency)
                    currency = o.cost.currency
                elif o.cost.currency != currency:
                    errors.append(
                        FieldError(
                            f"options[{i}].cost",
                            f"cost in {o.cost.currency}, but the problem's currency is {currency}",
                        )
                    )
            if len(errors) > 50:
                break
        if currency is not None and not errors:
            costs = [o.cost for o in self.options if o.cost is not None]
            unit = cost_unit(costs, currency)
            total = sum((c.amount for c in costs), Decimal(0)).scaleb(-unit.adjusted())
            if total > MAX_COST_UNITS:
                errors.append(
                    FieldError(
                        "options",
                        f"the costs add up to {total:.3E} units of {unit} {currency}, more than "
                        f"the 2**62 the budget row can add exactly; round them to fewer "
                        "decimal places or split the problem",
                    )
                )
        if not errors:
            errors += self._check_payers()
        pairs = {(c, p) for c, p, _, _ in seen}
        starts = {(c, p, s) for c, p, s, _ in seen}
        for i, pin in enumerate(self.constraints.pins):
            if pin.start is None:
                ok = (pin.candidate, pin.position) in pairs
            else:
                ok = (pin.candidate, pin.position, pin.start) in starts
            if not ok:
                errors.append(
                    FieldError(
                        f"constraints.pins[{i}]",
                        f"no option places {pin.candidate} in {pin.position}"
                        + (f" from {pin.start}" if pin.start else ""),
                    )
                )
        for i, f in enumerate(self.constraints.forbidden):
            if f.candidate not in cands:
                errors.append(FieldError(f"constraints.forbidden[{i}].candidate", "unknown id"))
            if f.position not in poss:
                errors.append(FieldError(f"constraints.forbidden[{i}].position", "unknown id"))
        for i, x in enumerate(self.exclusions):
            if x.candidate not in cands:
                errors.append(FieldError(f"exclusions[{i}].candidate", f"unknown {x.candidate!r}"))
            if len(errors) > 50:
                break
        if errors:
            raise ModelValidationError(errors)

    # --- look-ups -----------------------------------------------------------

    def options_of(self, candidate: str) -> tuple[Option, ...]:
        """Return the options of ``candidate``, in problem order."""
        return tuple(o for o in self.options if o.candidate == candidate)

    def exclusions_of(self, candidate: str) -> tuple[Exclusion, ...]:
        """Return the exclusions of ``candidate``, in problem order."""
        return tuple(x for x in self.exclusions if x.candidate == candidate)

    def summary(self) -> str:
        """Return a one-paragraph description of the problem's size and settings."""
        seats = sum(p.seats for p in self.positions)
        side = ", ".join(self.constraints.side_constraints) or "none"
        return (
            f"Problem{f' for cohort {self.cohort}' if self.cohort else ''}: "
            f"{len(self.candidates)} candidates, {len(self.positions)} positions "
            f"({seats} seats), {len(self.options)} options, {len(self.exclusions)} exclusions\n"
            f"  side constraints: {side}\n"
            f"  objectives: {' > '.join(o.value for o in self.objectives)}; "
            f"stability: {self.stability.value}"
        )

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        seats = sum(p.seats for p in self.positions)
        side = ", ".join(self.constraints.side_constraints) or "none"
        return (
            f"<Problem{f' for cohort {self.cohort}' if self.cohort else ''}: "
            f"{_html.plural(len(self.candidates), 'candidate')}, "
            f"{_html.plural(len(self.positions), 'position')} ({_html.plural(seats, 'seat')}), "
            f"{_html.plural(len(self.options), 'option')}, "
            f"{_html.plural(len(self.exclusions), 'exclusion')}; side constraints: {side}; "
            f"objectives {' > '.join(o.value for o in self.objectives)}; "
            f"stability {self.stability.value}>"
        )

    def _check_payers(self) -> list[FieldError]:
        """Check that each payer's costs share its budget's currency and fit 64 bits."""
        currencies = {b.payer: b.budget.currency for b in self.constraints.payer_budgets}
        amounts: dict[str, list[Money]] = {}
        errors: list[FieldError] = []
        for i, o in enumerate(self.options):
            for k, pc in enumerate(o.payer_costs):
                cur = currencies.setdefault(pc.payer, pc.cost.currency)
                if pc.cost.currency != cur:
                    errors.append(
                        FieldError(
                            f"options[{i}].payer_costs[{k}]",
                            f"{pc.payer} cost in {pc.cost.currency}, but that payer's costs "
                            f"are in {cur}",
                        )
                    )
                    if len(errors) > 50:
                        return errors
                amounts.setdefault(pc.payer, []).append(pc.cost)
        for payer, costs in sorted(amounts.items()):
            unit = cost_unit(costs, currencies[payer])
            total = sum((c.amount for c in costs), Decimal(0)).scaleb(-unit.adjusted())
            if total > MAX_COST_UNITS:
                errors.append(
                    FieldError(
                        "options",
                        f"{payer}'s costs add up to {total:.3E} units of {unit}, more than "
                        "the 2**62 a budget row can add exactly",
                    )
                )
        return errors

    @property
    def payers(self) -> tuple[str, ...]:
        """The payers (other than the hosts' allowances) with a cost or a budget, sorted."""
        found = {b.payer for b in self.constraints.payer_budgets}
        for o in self.options:
            for pc in o.payer_costs:
                found.add(pc.payer)
        return tuple(sorted(found))

    def payer_currency(self, payer: str) -> str | None:
        """Return the currency ``payer``'s costs are added up in, or ``None`` if unknown."""
        budget = self.constraints.payer_budget(payer)
        if budget is not None:
            return budget.currency
        for o in self.options:
            for pc in o.payer_costs:
                if pc.payer == payer:
                    return pc.cost.currency
        return None

    def _repr_html_(self) -> str:
        """Return the notebook view: sizes, objectives, side constraints and the exclusions."""
        cons = self.constraints
        with_options = len({o.candidate for o in self.options})
        counts = [
            ("candidates", len(self.candidates)),
            ("candidates with an option", with_options),
            ("positions", len(self.positions)),
            ("seats", sum(p.seats for p in self.positions)),
            ("options", len(self.options)),
            ("exclusions", len(self.exclusions)),
            ("earlier placements", len(self.previous)),
        ]
        limits: list[tuple[str, str, object]] = []
        if cons.min_size is not None or cons.max_size is not None:
            limits.append(
                (
                    "size",
                    "",
                    f"{cons.min_size or ''}..{'' if cons.max_size is None else cons.max_size}",
                )
            )
        limits += [("host cap", h.host, h.cap) for h in cons.host_caps]
        limits += [
            (f"{q.dimension.value} quota", q.key, f"{q.minimum or ''}..{q.maximum or ''}")
            for q in cons.quotas
        ]
        limits += [("beds", str(b.month), b.beds) for b in cons.beds]
        if cons.budget is not None:
            limits.append(("budget", "", cons.budget))
        limits += [("budget", b.payer, b.budget) for b in cons.payer_budgets]
        limits += [("pin", f"{p.candidate} in {p.position}", p.start) for p in cons.pins]
        limits += [("forbidden", f"{f.candidate} in {f.position}", "") for f in cons.forbidden]
        if cons.one_to_one:
            limits.append(("one to one", "", ""))
        codes: dict[str, int] = {}
        for x in self.exclusions:
            for r in x.reasons:
                codes[r.code] = codes.get(r.code, 0) + 1
        by_count: list[tuple[str, int]] = sorted(codes.items(), key=_by_count)
        return _html.view(
            "problem",
            f"Problem{f' for cohort {self.cohort}' if self.cohort else ''}",
            _html.note(
                f"objectives: {' > '.join(o.value for o in self.objectives)}; "
                f"stability: {self.stability.value}"
                + (f"; currency {self.currency}" if self.currency else "")
            ),
            _html.html_table(("", "count"), counts),
            _html.html_table(
                ("constraint", "subject", "limit"), limits, caption="Side constraints", limit=30
            )
            if limits
            else "",
            _html.html_table(
                ("reason code", "exclusions"),
                by_count,
                caption="Why ranked pairs are excluded",
                limit=15,
                more="sgcq.frames.exclusions(problem) lists them all",
            )
            if codes
            else "",
        )

    # --- building from a scenario ----------------------------------------
    @classmethod
    def from_scenario(
        cls,
        scenario: Scenario,
        cohort: str | None = None,
        *,
        as_of: date | None = None,
        evaluate: Evaluator | None = None,
        constraints: Constraints | None = None,
        objectives: Sequence[Objective] | None = None,
        stability: Stability = Stability.OFF,
    ) -> Problem:
        """Build the problem of one cohort of a scenario.

        Parameters
        ----------
        scenario
            The scenario.
        cohort
            The cohort's id; may be left out when the scenario has at most
            one cohort (with none, every candidate and position takes part and
            there are no cohort constraints).
        as_of
            The date the rules are evaluated at (the scenario's ``as_of`` if
            ``None``); used by the default evaluator only.
        evaluate
            Decides each option's eligibility; by default
            ``sgcq.rules.evaluate_option``.
        constraints
            The side constraints; by default those the cohort states
            (:meth:`Constraints.from_cohort`).
        objectives
            The lexicographic objective; by default :data:`DEFAULT_OBJECTIVES`,
            then :attr:`Objective.MODE_PREFERENCE` when a position is open in
            more than one mode.
        stability
            How blocking pairs are treated.

        Returns
        -------
        Problem
            Options for every ranked pair (candidate, position, allowed start
            within the candidate's availability and the cohort's intake)
            whose stay fits and whose verdict is eligible; an exclusion with
            reasons for every other ranked pair. A candidate who ranks
            nothing may take any position of the cohort's programme, with
            ``candidate_rank`` ``None``. Costs are the pro-rated allowances,
            converted into the budget's currency with the scenario's rates on
            each stay's start date; without a budget they are kept when all
            allowances share one currency (or the COST objective needs them),
            and left out when currencies are mixed, so no rate is needed.

        Raises
        ------
        MatchingError
            If the cohort is unknown or must be named, or a rate is missing.
        """
        parts = scenario_parts(
            scenario,
            cohort,
            as_of=as_of,
            evaluate=evaluate,
            constraints=constraints,
            objectives=objectives,
        )
        return cls(**parts, stability=stability)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])
