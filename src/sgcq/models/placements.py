"""Placements and their status lifecycle."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import attrs

from sgcq.models import _validate as v
from sgcq.models.dates import DateRange
from sgcq.models.errors import TransitionError
from sgcq.models.modes import Mode

__all__ = [
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Placement",
    "PlacementLink",
    "PlacementStatus",
    "StatusChange",
]


class PlacementStatus(str, Enum):
    """Where a placement is in its lifecycle.

    ``proposed -> offered -> accepted -> visa_applied -> visa_granted ->
    arrived -> completed``; ``withdrawn`` or ``declined`` from any open state.
    A placement that needs no visa (remote, or a national of the host
    country) may go from ``accepted`` straight to ``arrived``.
    """

    PROPOSED = "proposed"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    VISA_APPLIED = "visa_applied"
    VISA_GRANTED = "visa_granted"
    ARRIVED = "arrived"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"


P = PlacementStatus

#: States from which a placement can still move.
OPEN_STATUSES: frozenset[PlacementStatus] = frozenset(
    {P.PROPOSED, P.OFFERED, P.ACCEPTED, P.VISA_APPLIED, P.VISA_GRANTED, P.ARRIVED}
)

_FORWARD: dict[PlacementStatus, frozenset[PlacementStatus]] = {
    P.PROPOSED: frozenset({P.OFFERED}),
    P.OFFERED: frozenset({P.ACCEPTED}),
    P.ACCEPTED: frozenset({P.VISA_APPLIED, P.ARRIVED}),
    P.VISA_APPLIED: frozenset({P.VISA_GRANTED}),
    P.VISA_GRANTED: frozenset({P.ARRIVED}),
    P.ARRIVED: frozenset({P.COMPLETED}),
    P.COMPLETED: frozenset(),
    P.WITHDRAWN: frozenset(),
    P.DECLINED: frozenset(),
}

#: Every allowed transition: the forward steps, plus withdrawn/declined from any open state.
TRANSITIONS: dict[PlacementStatus, frozenset[PlacementStatus]] = {
    s: nxt | (frozenset({P.WITHDRAWN, P.DECLINED}) if s in OPEN_STATUSES else frozenset())
    for s, nxt in _FORWARD.items()
}


def _aware(_inst: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    v.instance_of(datetime)(_inst, attribute, value)
    if value.tzinfo is None or value.utcoffset() is None:
        v.fail(attribute.name, "timestamps must carry a time zone (e.g. +08:00)")


@attrs.frozen
class StatusChange:
    """One step in a placement's history.

    Parameters
    ----------
    status
        The status entered.
    at
        When, with a time zone.
    note
        Why, or by whom.
    """

    status: PlacementStatus = attrs.field(validator=v.instance_of(PlacementStatus))
    at: datetime = attrs.field(validator=_aware)
    note: str = attrs.field(default="", validator=v.instance_of(str))


@attrs.frozen
class PlacementLink:
    """The earlier placement a placement follows (an internship converted into a job).

    Parameters
    ----------
    position
        The earlier placement's position.
    period
        The earlier placement's stay.
    """

    position: str = attrs.field(validator=v.identifier)
    period: DateRange = attrs.field(validator=v.instance_of(DateRange))


@attrs.frozen
class Placement:
    """A candidate in a position for a period, with its lifecycle.

    Parameters
    ----------
    candidate, position
        Ids.
    period
        The half-open stay ``[start, end)``.
    mode
        On site, remote or hybrid.
    status
        The current status; must equal the last entry of ``history`` if any.
    history
        Status changes in time order.
    follows
        The same candidate's earlier placement this one continues, if any
        (see :meth:`convert`); it must end on or before this one starts.
    cohort
        The cohort the placement belongs to, if known (a scenario checks it
        names one of its cohorts).

    Examples
    --------
    >>> from datetime import date, datetime, timezone
    >>> p = Placement("c1", "p1", DateRange(date(2020, 9, 1), date(2021, 3, 1)), Mode.ON_SITE)
    >>> p = p.advance(PlacementStatus.OFFERED, datetime(2020, 7, 1, tzinfo=timezone.utc))
    >>> p.status.value
    'offered'
    """

    candidate: str = attrs.field(validator=v.identifier)
    position: str = attrs.field(validator=v.identifier)
    period: DateRange = attrs.field(validator=v.instance_of(DateRange))
    mode: Mode = attrs.field(validator=v.instance_of(Mode))
    status: PlacementStatus = attrs.field(
        default=PlacementStatus.PROPOSED, validator=v.instance_of(PlacementStatus)
    )
    history: tuple[StatusChange, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(StatusChange)
    )
    follows: PlacementLink | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(PlacementLink))
    )
    cohort: str | None = attrs.field(default=None, validator=v.optional(v.identifier))

    def __attrs_post_init__(self) -> None:
        if self.follows is not None:
            v.check(
                self.follows.period.end <= self.period.start,
                "follows.period",
                f"the earlier placement {self.follows.period} does not end by this one's "
                f"start {self.period.start.isoformat()}",
            )
        prev: StatusChange | None = None
        for i, change in enumerate(self.history):
            if prev is None:
                ok = change.status is P.PROPOSED or change.status in TRANSITIONS[P.PROPOSED]
                v.check(ok, f"history[{i}].status", f"cannot start at {change.status.value}")
            else:
                v.check(
                    change.status in TRANSITIONS[prev.status],
                    f"history[{i}].status",
                    f"{prev.status.value} -> {change.status.value} is not an allowed transition",
                )
                v.check(change.at >= prev.at, f"history[{i}].at", "is earlier than the step before")
            prev = change
        if prev is not None:
            v.check(
                self.status is prev.status,
                "status",
                f"is {self.status.value} but the history ends at {prev.status.value}",
            )

    @property
    def is_open(self) -> bool:
        """Whether the placement can still change status."""
        return self.status in OPEN_STATUSES

    def can_move_to(self, status: PlacementStatus) -> bool:
        """Return whether ``status`` may follow the current status."""
        return status in TRANSITIONS[self.status]

    def advance(self, status: PlacementStatus, at: datetime, note: str = "") -> Placement:
        """Return a copy moved to ``status`` at ``at``, with the step recorded.

        Raises
        ------
        TransitionError
            If the lifecycle does not allow the step or ``at`` is earlier than
            the last recorded step.
        """
        if not self.can_move_to(status):
            allowed = ", ".join(sorted(s.value for s in TRANSITIONS[self.status])) or "nothing"
            raise TransitionError(
                f"placement {self.candidate}->{self.position}: cannot go from "
                f"{self.status.value} to {status.value} (allowed: {allowed})"
            )
        if self.history and at < self.history[-1].at:
            raise TransitionError(
                f"placement {self.candidate}->{self.position}: {at.isoformat()} is before "
                f"the last step at {self.history[-1].at.isoformat()}"
            )
        change = StatusChange(status, at, note)
        return attrs.evolve(self, status=status, history=(*self.history, change))

    def convert(
        self,
        position: str,
        period: DateRange,
        mode: Mode,
        at: datetime,
        note: str = "converted",
    ) -> tuple[Placement, Placement]:
        """Return this placement completed and the new placement that follows it.

        An internship converted into a job: the internship must have arrived
        (it is completed at ``at``) or be completed already; the new placement
        starts ``PROPOSED`` at ``at``, no earlier than the internship ends, and
        :attr:`follows` links it to this one.

        Raises
        ------
        TransitionError
            If this placement is neither arrived nor completed, or the new
            period starts before this one ends.

        Examples
        --------
        >>> from datetime import date, datetime, timezone
        >>> t = datetime(2021, 2, 20, tzinfo=timezone.utc)
        >>> intern = Placement("c1", "intern", DateRange(date(2020, 9, 1), date(2021, 3, 1)),
        ...     Mode.ON_SITE)
        >>> for s in ("offered", "accepted", "arrived"):
        ...     intern = intern.advance(PlacementStatus(s), t)
        >>> done, job = intern.convert("job", DateRange(date(2021, 3, 1), date(2022, 3, 1)),
        ...     Mode.ON_SITE, t)
        >>> done.status.value, job.status.value, job.follows.position
        ('completed', 'proposed', 'intern')
        """
        who = f"placement {self.candidate}->{self.position}"
        if self.status is P.ARRIVED:
            done = self.advance(P.COMPLETED, at, note)
        elif self.status is P.COMPLETED:
            done = self
        else:
            raise TransitionError(
                f"{who}: only an arrived or completed placement converts, not {self.status.value}"
            )
        if period.start < self.period.end:
            raise TransitionError(
                f"{who}: the new placement starts {period.start.isoformat()}, before this one "
                f"ends on {self.period.end.isoformat()}"
            )
        new = Placement(
            self.candidate,
            position,
            period,
            mode,
            P.PROPOSED,
            (StatusChange(P.PROPOSED, at, note),),
            PlacementLink(self.position, self.period),
        )
        return done, new
