"""The result of a solve: status, objective levels, placements and explanations.

A :class:`Result` has the same type whichever algorithm produced it
(:attr:`Result.path` says which). It is immutable, picklable and
serializable; ``str(result)`` is a readable summary.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from sgcq.matching.elements import PayerCost
from sgcq.matching.settings import SolvePath
from sgcq.models import (
    DateRange,
    Mode,
    Money,
    Placement,
    PlacementStatus,
    StatusChange,
    YearMonth,
    _html,
)
from sgcq.models import _validate as v
from sgcq.rules import Reason

__all__ = [
    "Assignment",
    "BedUse",
    "Blocker",
    "BlockerKind",
    "BlockingPair",
    "Conflict",
    "ConflictKind",
    "Explanation",
    "LevelValue",
    "PayerTotal",
    "RankCount",
    "Result",
    "Status",
    "UnplacedReason",
]


class Status(str, Enum):
    """The outcome of a solve; every CP-SAT status maps to one of these.

    * ``OPTIMAL``: every objective level is proven optimal.
    * ``FEASIBLE``: a solution satisfying every constraint was found, but at
      least one level is not proven optimal (see :attr:`Result.gap`).
    * ``INFEASIBLE``: proven that no assignment satisfies the constraints
      (:attr:`Result.message` says which were active).
    * ``UNKNOWN``: the limits were reached before any solution or proof.

    CP-SAT's ``MODEL_INVALID`` is not a status: it raises
    :class:`~sgcq.matching.ModelInvalidError` with the solver's text.
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"

    @property
    def has_solution(self) -> bool:
        """Whether a feasible assignment comes with the status."""
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@attrs.frozen
class Assignment:
    """One placement chosen by the solver.

    Parameters
    ----------
    candidate, position
        The pair.
    start, end
        The half-open stay ``[start, end)``.
    mode
        The position's mode.
    candidate_rank, position_rank
        The ranks each side gave the other (``None``: unranked / indifferent).
    allowance
        The allowance for the stay in its own currency, if any.
    cost
        The allowance in the problem's currency, if any.
    covered, uncovered
        The on-site days the housing cover pays for, and those it does not.
    payer_costs
        What each other payer (housing payer, visa sponsor) pays for the
        stay, in that payer's budget currency.
    """

    candidate: str
    position: str
    start: date
    end: date
    mode: Mode
    candidate_rank: int | None = None
    position_rank: int | None = None
    allowance: Money | None = None
    cost: Money | None = None
    covered: DateRange | None = None
    uncovered: DateRange | None = None
    payer_costs: tuple[PayerCost, ...] = ()

    @property
    def stay(self) -> DateRange:
        """The stay as a range."""
        return DateRange(self.start, self.end)


class BlockerKind(str, Enum):
    """Which constraint keeps an eligible option of an unplaced candidate empty.

    See ``docs/decisions/0013-explanations.md`` for what each one claims and
    how it is checked.
    """

    SEATS_FULL = "seats_full"
    HOST_CAP = "host_cap"
    BEDS_FULL = "beds_full"
    QUOTA_MAX = "quota_max"
    QUOTA_MIN = "quota_min"
    BUDGET = "budget"
    MAX_SIZE = "max_size"
    FORBIDDEN = "forbidden"
    STABILITY = "stability"
    NOT_CHOSEN = "not_chosen"


@attrs.frozen
class Blocker:
    """One constraint that adding an option to the solution would break.

    Parameters
    ----------
    kind
        The constraint family.
    message
        A sentence for people, with the numbers.
    subject
        The host, university or field concerned, if any.
    month
        The month whose beds are full, for ``BEDS_FULL``.
    candidates
        For ``SEATS_FULL``: the candidates holding the seats, best for the
        host first.
    preferred
        For ``SEATS_FULL``: those of ``candidates`` the host ranks strictly
        above the unplaced candidate.
    """

    kind: BlockerKind
    message: str
    subject: str | None = None
    month: YearMonth | None = None
    candidates: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()


@attrs.frozen
class UnplacedReason:
    """Why one position (and start) did not take an unplaced candidate.

    Either ``blockers`` (the option was eligible and the named constraints
    are what placing the candidate there would break) or ``rule_reasons``
    (the pair or start was excluded before solving) is non-empty.
    """

    position: str
    start: date | None = None
    blockers: tuple[Blocker, ...] = ()
    rule_reasons: tuple[Reason, ...] = ()

    @property
    def eligible(self) -> bool:
        """Whether the option existed (and was blocked by constraints)."""
        return not self.rule_reasons

    def describe(self) -> str:
        """Return one line: the position, the start and the reasons."""
        where = self.position + (f" from {self.start}" if self.start else "")
        if self.blockers:
            return f"{where}: " + "; ".join(b.message for b in self.blockers)
        return f"{where}: " + "; ".join(f"{r.message} [{r.code}]" for r in self.rule_reasons)


@attrs.frozen(repr=False)
class Explanation:
    """Why a candidate is not placed.

    Parameters
    ----------
    candidate
        The candidate's id.
    ineligible
        True when the candidate has no option at all (every ranked position
        was excluded, each with its rule reasons; or nothing was ranked and
        no position fits).
    reasons
        One entry per eligible option (with the constraints that block it)
        and per exclusion (with its rule reasons), eligible options first.
    """

    candidate: str
    ineligible: bool
    reasons: tuple[UnplacedReason, ...] = ()

    def describe(self) -> str:
        """Return a short multi-line text."""
        head = f"{self.candidate}: " + (
            "ineligible for every ranked position" if self.ineligible else "not placed"
        )
        return "\n".join([head, *(f"  - {r.describe()}" for r in self.reasons)])

    @property
    def first_reason(self) -> str:
        """The first reason as one line (the best eligible option's blockers, if any)."""
        return self.reasons[0].describe() if self.reasons else "no position fits"

    def __repr__(self) -> str:
        eligible = sum(r.eligible for r in self.reasons)
        state = "ineligible" if self.ineligible else "not placed"
        return (
            f"<Explanation {self.candidate} {state}: "
            f"{_html.plural(eligible, 'option')} blocked, "
            f"{_html.plural(len(self.reasons) - eligible, 'exclusion')}; "
            f"first: {_html.short(self.first_reason, 100)}>"
        )

    def _repr_html_(self) -> str:
        """Return the notebook view: one row per option or exclusion with its reasons."""
        rows = []
        for r in self.reasons:
            if r.blockers:
                for b in r.blockers:
                    rows.append((r.position, r.start, "blocked", b.kind.value, b.message))
            else:
                for rr in r.rule_reasons:
                    rows.append((r.position, r.start, "excluded", rr.code, rr.message))
        state = "ineligible for every ranked position" if self.ineligible else "not placed"
        return _html.view(
            "explanation",
            f"{self.candidate}: {state}",
            _html.html_table(("position", "start", "", "code", "message"), rows, limit=40),
        )


@attrs.frozen
class BlockingPair:
    """A candidate and a position that would both rather be matched to each other.

    The definition is weak stability, the same as
    :func:`sgcq.testing.checks.blocking_pairs` (see
    ``docs/decisions/0011-stability.md``).
    """

    candidate: str
    position: str
    reason: str


class ConflictKind(str, Enum):
    """The constraint family a cause of infeasibility belongs to."""

    QUOTA_MIN = "quota_min"
    QUOTA_MAX = "quota_max"
    MIN_SIZE = "min_size"
    MAX_SIZE = "max_size"
    SEATS = "seats"
    HOST_CAP = "host_cap"
    BEDS = "beds"
    BUDGET = "budget"
    PINS = "pins"
    FORBIDDEN = "forbidden"
    STABILITY = "stability"


@attrs.frozen
class Conflict:
    """One cause of infeasibility: a constraint (or family) that cannot be met.

    Parameters
    ----------
    kind
        The constraint family.
    constraint
        The constraint, written as people read it, e.g.
        ``"quota field big-data >= 10"``.
    message
        Why it cannot be met, with the numbers, e.g. ``"at most 6
        candidates can count towards it"``.

    Examples
    --------
    >>> Conflict(ConflictKind.QUOTA_MIN, "quota field big-data >= 10",
    ...          "at most 6 candidates can count towards it").describe()
    'quota field big-data >= 10: at most 6 candidates can count towards it'
    """

    kind: ConflictKind
    constraint: str
    message: str

    def describe(self) -> str:
        """Return ``"<constraint>: <message>"``."""
        return f"{self.constraint}: {self.message}"


@attrs.frozen
class LevelValue:
    """The value of one objective level.

    Parameters
    ----------
    objective
        The level's objective (its ``value``, e.g. ``"placed"``).
    value
        The value reached (costs in minor units of the problem's currency).
    bound
        The best value still possible (equal to ``value`` when proven).
    proven
        Whether the level is proven optimal given the levels before it.
    """

    objective: str
    value: int
    bound: int
    proven: bool

    @property
    def gap(self) -> float:
        """The relative gap ``|bound - value| / max(1, |bound|)``."""
        return abs(self.bound - self.value) / max(1, abs(self.bound))


@attrs.frozen
class RankCount:
    """How many placements have a given candidate rank (``None``: unranked)."""

    rank: int | None = None
    count: int = 0


@attrs.frozen
class BedUse:
    """Beds held in one month, against the capacity (``None``: no limit)."""

    month: YearMonth
    used: int
    capacity: int | None = None


@attrs.frozen
class PayerTotal:
    """What one payer (other than the hosts' allowances) pays for the placements.

    Parameters
    ----------
    payer
        Id of the paying organisation.
    used
        The total of the placements' costs to that payer.
    budget
        The payer's budget, or ``None`` when it has none.
    """

    payer: str
    used: Money
    budget: Money | None = None

    @property
    def remaining(self) -> Money | None:
        """What is left of the budget, or ``None`` without one."""
        return None if self.budget is None else self.budget - self.used


def _gap(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        v.check(value >= 0, attribute.name, f"must not be negative, got {value}")


@attrs.frozen(repr=False)
class Result:
    """The outcome of :func:`~sgcq.matching.solve`.

    Parameters
    ----------
    status
        See :class:`Status`.
    path
        The algorithm that ran (never ``AUTO``).
    levels
        The value of each objective level solved, in order.
    gap
        The largest relative gap over the levels, or ``None`` without a solution.
    wall_time
        Seconds spent solving (building the model included).
    assignments
        The placements, sorted by candidate.
    unplaced
        An explanation for every candidate not placed, sorted by candidate.
    blocking_pairs
        Blocking pairs of the solution (weak stability), whatever the
        stability setting.
    rank_distribution
        Placements per candidate rank.
    beds_used
        Beds held per month (for every month a placement holds a bed in or
        the constraints limit).
    budget_used
        Total cost of the placements, if any option has a cost.
    budget
        The budget, if constrained (the hosts' allowances' budget).
    payer_totals
        Per other payer (housing payer, visa sponsor), the placements' total
        cost and the payer's budget, sorted by payer.
    message
        A plain sentence about the outcome (why INFEASIBLE, which path ran).
    conflicts
        For an ``INFEASIBLE`` result, the constraints found to cause it,
        each naming its family and numbers (empty when no single cause was
        isolated).
    interrupted
        Whether Ctrl-C (``KeyboardInterrupt``) stopped the solve early; the
        result is then the best found so far (``FEASIBLE`` or ``UNKNOWN``).
    """

    status: Status
    path: SolvePath
    levels: tuple[LevelValue, ...] = ()
    gap: float | None = attrs.field(default=None, validator=_gap)
    wall_time: float = 0.0
    assignments: tuple[Assignment, ...] = ()
    unplaced: tuple[Explanation, ...] = ()
    blocking_pairs: tuple[BlockingPair, ...] = ()
    rank_distribution: tuple[RankCount, ...] = ()
    beds_used: tuple[BedUse, ...] = ()
    budget_used: Money | None = None
    budget: Money | None = None
    message: str = ""
    conflicts: tuple[Conflict, ...] = ()
    interrupted: bool = False
    payer_totals: tuple[PayerTotal, ...] = ()

    @property
    def objective(self) -> int | None:
        """The value of the first objective level, if solved."""
        return self.levels[0].value if self.levels else None

    @property
    def bound(self) -> int | None:
        """The bound of the first objective level, if solved."""
        return self.levels[0].bound if self.levels else None

    @property
    def placed(self) -> int:
        """The number of candidates placed."""
        return len(self.assignments)

    def assignment_of(self, candidate: str) -> Assignment | None:
        """Return the placement of ``candidate``, or ``None``."""
        for a in self.assignments:
            if a.candidate == candidate:
                return a
        return None

    def as_mapping(self) -> dict[str, str]:
        """Return ``{candidate: position}`` for the placed candidates."""
        return {a.candidate: a.position for a in self.assignments}

    def to_placements(
        self, at: datetime, *, cohort: str | None = None, note: str = "offered"
    ) -> tuple[Placement, ...]:
        """Return the assignments as :class:`~sgcq.models.Placement` records, offered at ``at``.

        Parameters
        ----------
        at
            When the offers are made (with a time zone); recorded as the one
            step of each placement's history.
        cohort
            The cohort the placements belong to (usually the problem's
            :attr:`~sgcq.matching.Problem.cohort`).
        note
            The note of the history step.

        Returns
        -------
        tuple of Placement
            One per assignment, in candidate order: the position, the stay,
            the mode, status ``offered``. They may be put in a scenario's
            ``placements`` (``attrs.evolve(scenario, placements=...)``).

        Raises
        ------
        ModelValidationError
            If ``at`` has no time zone.

        Examples
        --------
        >>> from datetime import datetime, timezone
        >>> from sgcq.matching import MatchCandidate, MatchPosition, Option, Problem, solve
        >>> from sgcq.models import DateRange, Mode
        >>> stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
        >>> problem = Problem(
        ...     candidates=(MatchCandidate("c1", "ntu"),),
        ...     positions=(MatchPosition("p1", "h1", seats=1),),
        ...     options=(Option("c1", "p1", stay.start, stay, Mode.ON_SITE),),
        ... )
        >>> [p] = solve(problem).to_placements(datetime(2020, 7, 1, tzinfo=timezone.utc))
        >>> p.candidate, p.position, p.status.value, str(p.period)
        ('c1', 'p1', 'offered', '[2020-09-01, 2021-03-01)')
        """
        step = StatusChange(PlacementStatus.OFFERED, at, note)
        return tuple(
            Placement(
                a.candidate,
                a.position,
                a.stay,
                a.mode,
                PlacementStatus.OFFERED,
                (step,),
                cohort=cohort,
            )
            for a in self.assignments
        )

    def summary(self) -> str:
        """Return a readable multi-line summary."""
        lines = [f"Result: {self.status.value} by {self.path.value} in {self.wall_time:.2f} s"]
        if self.message:
            lines.append(f"  {self.message}")
        for lv in self.levels:
            state = "proven" if lv.proven else f"bound {lv.bound}, gap {lv.gap:.2%}"
            lines.append(f"  {lv.objective}: {lv.value} ({state})")
        if self.status.has_solution:
            lines.append(
                f"  placed {self.placed}, unplaced {len(self.unplaced)}, "
                f"blocking pairs {len(self.blocking_pairs)}"
            )
            if self.rank_distribution:
                dist = ", ".join(
                    f"{'unranked' if r.rank is None else f'#{r.rank}'}: {r.count}"
                    for r in self.rank_distribution
                )
                lines.append(f"  ranks: {dist}")
            if self.budget_used is not None:
                limit = f" of {self.budget}" if self.budget is not None else ""
                lines.append(f"  budget used: {self.budget_used}{limit}")
            for t in self.payer_totals:
                limit = f" of {t.budget}" if t.budget is not None else ""
                lines.append(f"  {t.payer} pays: {t.used}{limit}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _budget_text(self) -> str:
        if self.budget_used is None:
            return ""
        if self.budget is None:
            return f"budget {self.budget_used}"
        limit = str(self.budget).removeprefix(f"{self.budget.currency} ")
        return f"budget {self.budget_used} of {limit}"

    def __repr__(self) -> str:
        head = f"<Result {self.status.value} by {self.path.value}"
        if not self.status.has_solution:
            why = f": {_html.short(self.message, 100)}" if self.message else ""
            return f"{head}, {self.wall_time:.2f} s{why}>"
        total = self.placed + len(self.unplaced)
        parts = [f"placed {self.placed}/{total}"]
        for lv in self.levels:
            if lv.objective != "placed":
                gap = "" if lv.proven else f" (gap {lv.gap:.1%})"
                parts.append(f"{lv.objective} {lv.value}{gap}")
        parts.append(f"unplaced {len(self.unplaced)}")
        if self.blocking_pairs:
            parts.append(f"blocking pairs {len(self.blocking_pairs)}")
        if self.budget_used is not None:
            parts.append(self._budget_text())
        return f"{head}: {', '.join(parts)}>"

    def _repr_html_(self) -> str:
        """Return the notebook view: the summary, ranks, beds, budget and the unplaced."""
        title = f"Result: {self.status.value} by {self.path.value} in {self.wall_time:.2f} s"
        parts = [_html.note(_html.short(self.message, 400))] if self.message else []
        if self.levels:
            parts.append(
                _html.html_table(
                    ("objective", "value", "bound", "proven", "gap"),
                    (
                        (
                            lv.objective,
                            lv.value,
                            lv.bound,
                            "yes" if lv.proven else "no",
                            f"{lv.gap:.2%}",
                        )
                        for lv in self.levels
                    ),
                    caption="Objective levels",
                )
            )
        if self.status.has_solution:
            parts.append(
                _html.html_table(
                    ("", "count"),
                    (
                        ("placed", self.placed),
                        ("unplaced", len(self.unplaced)),
                        ("blocking pairs", len(self.blocking_pairs)),
                    ),
                )
            )
        if self.rank_distribution:
            parts.append(
                _html.html_table(
                    ("candidate rank", "placed"),
                    (
                        ("unranked" if r.rank is None else r.rank, r.count)
                        for r in self.rank_distribution
                    ),
                    caption="Ranks",
                )
            )
        if self.beds_used:
            parts.append(
                _html.html_table(
                    ("month", "used", "capacity", "free"),
                    (
                        (
                            b.month,
                            b.used,
                            "no limit" if b.capacity is None else b.capacity,
                            None if b.capacity is None else b.capacity - b.used,
                        )
                        for b in self.beds_used
                    ),
                    caption="Beds",
                )
            )
        if self.budget_used is not None:
            rows: list[tuple[str, object]] = [("used", self.budget_used)]
            if self.budget is not None:
                rows.append(("budget", self.budget))
                rows.append(("remaining", self.budget - self.budget_used))
            parts.append(_html.html_table(("budget", "amount"), rows, caption="Budget"))
        if self.payer_totals:
            parts.append(
                _html.html_table(
                    ("payer", "used", "budget", "remaining"),
                    ((t.payer, t.used, t.budget, t.remaining) for t in self.payer_totals),
                    caption="Costs by payer",
                )
            )
        if self.unplaced:
            parts.append(
                _html.html_table(
                    ("candidate", "state", "first reason"),
                    (
                        (
                            e.candidate,
                            "ineligible" if e.ineligible else "not placed",
                            _html.short(e.first_reason, 160),
                        )
                        for e in self.unplaced
                    ),
                    caption="Unplaced",
                    limit=25,
                    more="sgcq.frames.unplaced(result) lists them all",
                )
            )
        return _html.view("result", title, *parts)
