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

import importlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from enum import Enum
from typing import Any

import attrs

from sgcq.matching.errors import MatchingError
from sgcq.models import (
    Candidate,
    Cohort,
    DateRange,
    Mode,
    Money,
    MonthlyBeds,
    Position,
    Programme,
    Quota,
    QuotaDimension,
    Scenario,
    YearMonth,
)
from sgcq.models import _validate as v
from sgcq.models.errors import FieldError, ModelValidationError, RateNotFoundError
from sgcq.rules import (
    CoverSplit,
    Fact,
    Reason,
    Verdict,
    allowance_cost,
    shorter_stays,
    split_cover,
    stay_for,
)

__all__ = [
    "DEFAULT_OBJECTIVES",
    "Constraints",
    "Evaluator",
    "Exclusion",
    "ForbiddenPair",
    "HostCap",
    "MatchCandidate",
    "MatchPosition",
    "Objective",
    "Option",
    "Pin",
    "Problem",
    "Stability",
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

    See ``docs/decisions/0010-objective-levels.md``.
    """

    PLACED = "placed"
    PRIORITY_PLACED = "priority_placed"
    CANDIDATE_WELFARE = "candidate_welfare"
    POSITION_WELFARE = "position_welfare"
    COST = "cost"
    DISRUPTION = "disruption"
    BLOCKING_PAIRS = "blocking_pairs"

    @property
    def maximise(self) -> bool:
        """Whether the level is maximised (else minimised)."""
        return self in (
            Objective.PLACED,
            Objective.PRIORITY_PLACED,
            Objective.CANDIDATE_WELFARE,
            Objective.POSITION_WELFARE,
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
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        v.fail(attribute.name, f"must be an integer >= 1 or None, got {value!r}")


@attrs.frozen
class MatchCandidate:
    """A candidate as the matcher sees them.

    Parameters
    ----------
    id
        The candidate's id.
    university
        The sending university (for university quotas).
    priority
        Weight for :attr:`Objective.PRIORITY_PLACED`; at least 1.
    """

    id: str = attrs.field(validator=v.identifier)
    university: str = attrs.field(validator=v.identifier)
    priority: int = attrs.field(default=1, validator=[v.instance_of(int), v.positive])


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
    """

    id: str = attrs.field(validator=v.identifier)
    host: str = attrs.field(validator=v.identifier)
    seats: int = attrs.field(validator=[v.instance_of(int), v.positive])
    fields: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(str)
    )
    ranks_candidates: bool = attrs.field(default=False, validator=v.instance_of(bool))


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

    def __attrs_post_init__(self) -> None:
        # Messages are formatted only on failure: problems hold many options.
        if self.stay.start != self.start:
            v.fail("stay", f"the stay {self.stay} must begin on the start {self.start}")
        if self.cost is not None and self.cost.amount < 0:
            v.fail("cost", f"must not be negative, got {self.cost}")


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
    """

    candidate: str = attrs.field(validator=v.identifier)
    position: str = attrs.field(validator=v.identifier)
    start: date | None = attrs.field(default=None, validator=v.optional(v.instance_of(date)))
    reasons: tuple[Reason, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Reason)
    )

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


@attrs.frozen
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
        must be in this currency.
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
        seen: set[tuple[QuotaDimension, str]] = set()
        for i, q in enumerate(self.quotas):
            key = (q.dimension, q.key)
            v.check(key not in seen, f"quotas[{i}]", f"a second {q.dimension.value} quota {q.key}")
            seen.add(key)
        if self.budget is not None:
            v.check(self.budget.amount >= 0, "budget", "must not be negative")
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
        )

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
        if self.pins:
            names.append("pins")
        if self.forbidden:
            names.append("forbidden")
        if self.one_to_one:
            names.append("one_to_one")
        return tuple(names)


def _objectives(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(Objective(o) if isinstance(o, str) else o for o in value)
    return value


def _check_objectives(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(Objective)(_inst, attribute, value)
    v.check(bool(value), attribute.name, "give at least one objective")
    v.check(len(set(value)) == len(value), attribute.name, "an objective is listed twice")


@attrs.frozen
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
        ``(candidate, position, start)`` is unique.
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
        seen: set[tuple[str, str, date]] = set()
        for i, o in enumerate(self.options):
            if o.candidate not in cands:
                errors.append(FieldError(f"options[{i}].candidate", f"unknown {o.candidate!r}"))
            if o.position not in poss:
                errors.append(FieldError(f"options[{i}].position", f"unknown {o.position!r}"))
            key = (o.candidate, o.position, o.start)
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
        pairs = {(c, p) for c, p, _ in seen}
        for i, pin in enumerate(self.constraints.pins):
            if pin.start is None:
                ok = (pin.candidate, pin.position) in pairs
            else:
                ok = (pin.candidate, pin.position, pin.start) in seen
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
            The lexicographic objective; :data:`DEFAULT_OBJECTIVES` by default.
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
        chosen = _choose_cohort(scenario, cohort)
        programme = scenario.programme(chosen.programme) if chosen is not None else None
        if chosen is not None:
            candidates = scenario.candidates_of(chosen.id)
        else:
            candidates = scenario.candidates
        if programme is not None:
            positions = scenario.positions_of(programme.id)
        else:
            positions = scenario.positions
        cons = constraints if constraints is not None else Constraints.from_cohort(chosen)
        levels = tuple(objectives) if objectives is not None else DEFAULT_OBJECTIVES
        currency = _currency(cons, positions, levels)
        rule = evaluate if evaluate is not None else _default_evaluator(as_of, programme)
        builder = _Builder(scenario, chosen, programme, positions, currency, rule)
        for c in candidates:
            builder.add_candidate(c)
        return cls(
            candidates=tuple(MatchCandidate(c.id, c.university, c.priority) for c in candidates),
            positions=tuple(
                MatchPosition(
                    p.id,
                    p.host,
                    p.seats,
                    p.fields,
                    p.candidate_preferences is not None,
                )
                for p in positions
            ),
            options=builder.options,
            exclusions=builder.exclusions,
            constraints=cons,
            objectives=tuple(objectives) if objectives is not None else DEFAULT_OBJECTIVES,
            stability=stability,
            cohort=chosen.id if chosen is not None else None,
            currency=currency,
        )


# --- building -------------------------------------------------------------------


def _choose_cohort(scenario: Scenario, cohort: str | None) -> Cohort | None:
    if cohort is not None:
        try:
            return scenario.cohort(cohort)
        except KeyError:
            known = ", ".join(c.id for c in scenario.cohorts) or "none"
            raise MatchingError(
                f"scenario {scenario.id} has no cohort {cohort!r} (cohorts: {known})"
            ) from None
    if len(scenario.cohorts) > 1:
        known = ", ".join(c.id for c in scenario.cohorts)
        raise MatchingError(
            f"scenario {scenario.id} has {len(scenario.cohorts)} cohorts; name one of: {known}"
        )
    return scenario.cohorts[0] if scenario.cohorts else None


def _currency(
    cons: Constraints, positions: Iterable[Position], objectives: Sequence[Objective]
) -> str | None:
    """Return the currency of option costs, or ``None`` when no cost is needed."""
    if cons.budget is not None:
        return cons.budget.currency
    found = sorted({p.allowance.monthly.currency for p in positions if p.allowance is not None})
    if len(found) == 1:
        return found[0]
    if found and Objective.COST in objectives:
        # The COST objective needs one currency: the first, converted explicitly.
        return found[0]
    # Mixed currencies and nothing that adds them up: options carry their
    # allowance in its own currency and no cost, so no rate is needed.
    return None


def _default_evaluator(as_of: date | None, programme: Programme | None) -> Evaluator:
    def evaluate(
        scn: Scenario, candidate: Candidate, position: Position, stay: DateRange
    ) -> Verdict:
        # Imported at call time: the rule book is optional for synthetic use.
        rules = importlib.import_module("sgcq.rules")
        fn = getattr(rules, "evaluate_option", None)
        if fn is None:
            raise MatchingError(
                "sgcq.rules has no evaluate_option; pass evaluate= to Problem.from_scenario"
            )
        verdict: Verdict = fn(scn, candidate, position, stay, as_of=as_of, programme=programme)
        return verdict

    return evaluate


def _reason(code: str, message: str, **facts: object) -> Reason:
    return Reason(code, message, None, tuple(Fact(k, str(x)) for k, x in sorted(facts.items())))


class _Builder:
    """Collects options and exclusions, one candidate at a time (linear in the output)."""

    def __init__(
        self,
        scenario: Scenario,
        cohort: Cohort | None,
        programme: Programme | None,
        positions: tuple[Position, ...],
        currency: str | None,
        evaluate: Evaluator,
    ) -> None:
        self.scenario = scenario
        self.cohort = cohort
        self.programme = programme
        self.positions = positions
        self.by_id = {p.id: p for p in positions}
        self.currency = currency
        self.evaluate = evaluate
        self.terms = programme.benefits.housing if programme is not None else None
        self.options: list[Option] = []
        self.exclusions: list[Exclusion] = []
        # Many options share a stay, an allowance or a cover split: the rules
        # are pure functions of these keys, so each is computed once.
        self._stays: dict[tuple[object, ...], DateRange | None] = {}
        self._covers: dict[tuple[object, ...], tuple[CoverSplit, tuple[YearMonth, ...]]] = {}
        self._allowances: dict[tuple[object, ...], Money] = {}

    def add_candidate(self, c: Candidate) -> None:
        window: DateRange | None = c.available
        if self.cohort is not None:
            window = c.available.intersection(self.cohort.intake)
        if len(c.preferences) == 0:
            for p in self.positions:
                self._add_pair(c, p, None, window)
            return
        for pid, rank in c.preferences.ranks:
            pos = self.by_id.get(pid)
            if pos is None:
                where = self.programme.id if self.programme is not None else "the scenario"
                self.exclusions.append(
                    Exclusion(
                        c.id,
                        pid,
                        None,
                        (
                            _reason(
                                "matching.other_programme",
                                f"{pid} is not a position of {where}",
                                position=pid,
                            ),
                        ),
                    )
                )
                continue
            self._add_pair(c, pos, rank, window)

    def _add_pair(
        self, c: Candidate, p: Position, rank: int | None, window: DateRange | None
    ) -> None:
        host_rank: int | None = None
        if p.candidate_preferences is not None:
            host_rank = p.candidate_preferences.rank_of(c.id)
            if host_rank is None:
                self._exclude(
                    c,
                    p,
                    None,
                    _reason(
                        "matching.host_does_not_rank",
                        f"the host of {p.id} ranks candidates and did not rank {c.id}",
                        host=p.host,
                    ),
                )
                return
        starts = p.start_options(window) if window is not None else ()
        if not starts:
            self._exclude(
                c,
                p,
                None,
                _reason(
                    "matching.no_start",
                    f"no allowed start of {p.id} lies in {c.id}'s availability"
                    + (" and the cohort's intake" if self.cohort is not None else ""),
                    available=c.available,
                    intake=self.cohort.intake if self.cohort is not None else None,
                ),
            )
            return
        for start in starts:
            key = (c.available, c.duration, p.duration, start)
            if key in self._stays:
                stay = self._stays[key]
            else:
                stay = self._stays[key] = stay_for(c, p, start, self.programme)
            if stay is None:
                self._exclude(
                    c,
                    p,
                    start,
                    _reason(
                        "matching.no_stay",
                        f"no stay from {start} fits every duration bound and the availability",
                        candidate_duration=c.duration,
                        position_duration=p.duration,
                        available=c.available,
                    ),
                )
                continue
            verdict = self.evaluate(self.scenario, c, p, stay)
            if not verdict.eligible:
                # A rule may refuse the stay for its length alone (S2: 180 days);
                # keep the longest shorter stay the rules accept (decision 0006).
                for shorter in shorter_stays(c, p, start, self.programme):
                    retry = self.evaluate(self.scenario, c, p, shorter)
                    if retry.eligible:
                        stay, verdict = shorter, retry
                        break
            if not verdict.eligible:
                reasons = verdict.reasons
                if not reasons:
                    reasons = (
                        _reason(
                            f"matching.{verdict.outcome.value}",
                            f"rule {verdict.rule} is {verdict.outcome.value}"
                            + (
                                f"; missing {', '.join(verdict.missing)}" if verdict.missing else ""
                            ),
                            rule=verdict.rule,
                        ),
                    )
                self._exclude(c, p, start, *reasons)
                continue
            cover_key = (p.mode, p.hybrid, p.housing_cover, stay)
            cover = self._covers.get(cover_key)
            if cover is None:
                split = split_cover(p, stay, self.terms)
                cover = self._covers[cover_key] = (split, split.bed_months())
            housing, months = cover
            allowance = None
            if p.allowance is not None:
                money_key = (p.allowance.monthly, stay)
                allowance = self._allowances.get(money_key)
                if allowance is None:
                    allowance = allowance_cost(p.allowance.monthly, stay)
                    self._allowances[money_key] = allowance
            cost = (
                self._convert(allowance, c, p, stay)
                if allowance is not None and self.currency is not None
                else None
            )
            self.options.append(
                Option(
                    c.id,
                    p.id,
                    start,
                    stay,
                    p.mode,
                    rank,
                    host_rank,
                    months,
                    cost,
                    allowance,
                    housing.covered,
                    housing.uncovered,
                )
            )

    def _convert(self, allowance: Money, c: Candidate, p: Position, stay: DateRange) -> Money:
        if self.currency is None or allowance.currency == self.currency:
            return allowance
        try:
            return self.scenario.rates.convert(allowance, self.currency, on=stay.start)
        except RateNotFoundError as e:
            raise MatchingError(
                f"cannot convert the allowance of {c.id} in {p.id} into {self.currency}: {e}"
            ) from e

    def _exclude(self, c: Candidate, p: Position, start: date | None, *reasons: Reason) -> None:
        self.exclusions.append(Exclusion(c.id, p.id, start, reasons))
