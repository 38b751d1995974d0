"""Re-matching after changes: keep earlier placements, report what moved.

After withdrawals, seat changes, new bed counts or dated measures that close
a mode (``Changes.measures_added``, ``Changes.measures_lifted``), :func:`rematch` solves the
changed problem with :attr:`~sgcq.matching.Objective.DISRUPTION` as the first
objective level (the fewest earlier placements lost), followed by the
problem's own levels; :func:`audit_record` then lists who was kept, moved,
newly placed and newly unplaced.

Examples
--------
>>> from datetime import date, datetime, timezone
>>> from sgcq.matching import MatchCandidate, MatchPosition, Option, Problem, Settings, solve
>>> from sgcq.models import DateRange, Mode
>>> stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
>>> problem = Problem(
...     candidates=(MatchCandidate("c1", "ntu"), MatchCandidate("c2", "nus")),
...     positions=(MatchPosition("p1", "h1", seats=1), MatchPosition("p2", "h1", seats=1)),
...     options=(
...         Option("c1", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...         Option("c2", "p2", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...     ),
... )
>>> before = solve(problem)
>>> after = rematch(problem, before, Changes(withdrawn=("c2",)))
>>> record = audit_record(before, after, at=datetime(2020, 8, 1, tzinfo=timezone.utc))
>>> record.kept, record.withdrawn
(('c1',), ('c2',))
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from sgcq.matching.problem import (
    Exclusion,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    Pin,
    Problem,
)
from sgcq.matching.result import Result
from sgcq.matching.settings import Settings
from sgcq.matching.solve import solve
from sgcq.models import Measure, MonthlyBeds, closing_measures
from sgcq.models import _validate as v
from sgcq.rules import Reason
from sgcq.rules.defaults.placement_feasibility import closed_reason

__all__ = ["AuditRecord", "Changes", "Move", "SeatChange", "audit_record", "rematch"]


@attrs.frozen
class SeatChange:
    """A position's new number of seats (at least 1; remove a position to close it)."""

    position: str = attrs.field(validator=v.identifier)
    seats: int = attrs.field(validator=[v.instance_of(int), v.positive])


@attrs.frozen
class Changes:
    """What changed since the previous result.

    Parameters
    ----------
    withdrawn
        Candidates who left; their options, pins and exclusions go.
    removed_positions
        Positions closed; their options go.
    seats
        New seat counts.
    beds
        New bed counts for the months given (other months keep theirs).
    added_candidates, added_positions, added_options
        New entities and the options that connect them.
    measures_added
        Dated measures now in force: every option (held or added) that one
        closes, by :func:`~sgcq.models.measure_closes` on its position's
        country, its mode and its start, leaves the options and becomes an
        :class:`Exclusion` holding it, with a ``mode.measure.closed`` reason
        naming the measure (so the unplaced explanation and the report say
        which measure closed it). A problem knows an option only by its
        mode, its position's country (``MatchPosition.country``; none: no
        measure closes it) and its start, so a hybrid option is checked as
        a whole and its on-site segments are not: that, like any change to
        what the rules decide, needs a rebuild from the scenario with
        :attr:`~sgcq.models.Scenario.measures` changed.
    measures_lifted
        Ids of measures lifted: an option an earlier ``measures_added`` closed
        re-opens, unless another measure still closes it. Lifting re-opens
        only options the problem still holds (in its exclusions); options the
        rules excluded when the problem was built (``mode.measure.closed``
        from the scenario's measures) hold no option and need a rebuild from
        the scenario. Naming a measure that closed no held option is an error.
    """

    withdrawn: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(str)
    )
    removed_positions: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(str)
    )
    seats: tuple[SeatChange, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(SeatChange)
    )
    beds: tuple[MonthlyBeds, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(MonthlyBeds)
    )
    added_candidates: tuple[MatchCandidate, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(MatchCandidate)
    )
    added_positions: tuple[MatchPosition, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(MatchPosition)
    )
    added_options: tuple[Option, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Option)
    )
    measures_added: tuple[Measure, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Measure)
    )
    measures_lifted: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(str)
    )

    def __attrs_post_init__(self) -> None:
        v.unique_ids("measures_added", self.measures_added)
        added = {m.id for m in self.measures_added}
        for i, mid in enumerate(self.measures_lifted):
            v.check(
                mid not in added,
                f"measures_lifted[{i}]",
                f"measure {mid!r} is both added and lifted",
            )

    def apply(self, problem: Problem, previous: Result) -> Problem:
        """Return ``problem`` changed, with ``previous``'s placements as :attr:`Problem.previous`.

        Measures are lifted first (re-opening the held options they
        closed), then the added measures close options, then the problem is
        checked as a whole.

        Raises
        ------
        ModelValidationError
            If a change names an unknown candidate or position, a lifted
            measure closed no option the problem holds, or the result is not
            valid (e.g. a new option names an unknown id, or a pin's only
            options were closed by a measure).
        """
        cand_ids = {c.id for c in problem.candidates}
        pos_ids = {p.id for p in problem.positions}
        for i, c in enumerate(self.withdrawn):
            v.check(c in cand_ids, f"withdrawn[{i}]", f"unknown candidate {c!r}")
        for i, p in enumerate(self.removed_positions):
            v.check(p in pos_ids, f"removed_positions[{i}]", f"unknown position {p!r}")
        for i, s in enumerate(self.seats):
            v.check(s.position in pos_ids, f"seats[{i}].position", f"unknown {s.position!r}")
        gone_c = set(self.withdrawn)
        gone_p = set(self.removed_positions)
        seats = {s.position: s.seats for s in self.seats}
        positions = (
            tuple(
                attrs.evolve(p, seats=seats.get(p.id, p.seats))
                for p in problem.positions
                if p.id not in gone_p
            )
            + self.added_positions
        )
        candidates = tuple(c for c in problem.candidates if c.id not in gone_c)
        candidates += self.added_candidates
        options = (
            tuple(
                o for o in problem.options if o.candidate not in gone_c and o.position not in gone_p
            )
            + self.added_options
        )
        exclusions = tuple(
            x for x in problem.exclusions if x.candidate not in gone_c and x.position not in gone_p
        )
        if self.measures_lifted:
            exclusions, reopened = self._lift(exclusions, problem)
            options += reopened
        if self.measures_added:
            options, closed = self._close(options, positions)
            exclusions += closed
        cons = problem.constraints
        beds = {b.month: b for b in cons.beds}
        beds.update({b.month: b for b in self.beds})
        cons = attrs.evolve(
            cons,
            beds=tuple(beds.values()),
            pins=tuple(
                p for p in cons.pins if p.candidate not in gone_c and p.position not in gone_p
            ),
            forbidden=tuple(
                f for f in cons.forbidden if f.candidate not in gone_c and f.position not in gone_p
            ),
        )
        earlier = tuple(
            Pin(a.candidate, a.position, a.start)
            for a in previous.assignments
            if a.candidate not in gone_c
        )
        return attrs.evolve(
            problem,
            candidates=candidates,
            positions=positions,
            options=options,
            exclusions=exclusions,
            constraints=cons,
            previous=earlier,
        )

    def _lift(
        self, exclusions: tuple[Exclusion, ...], problem: Problem
    ) -> tuple[tuple[Exclusion, ...], tuple[Option, ...]]:
        """Return the exclusions left and the held options re-opened by the lifted measures."""
        lifted = set(self.measures_lifted)
        used: set[str] = set()
        kept: list[Exclusion] = []
        reopened: list[Option] = []
        for x in exclusions:
            hit = {m for m in map(_measure_of, x.reasons) if m is not None} & lifted
            if x.option is None or not hit:
                kept.append(x)
                continue
            used |= hit
            rest = tuple(r for r in x.reasons if _measure_of(r) not in lifted)
            if any(_measure_of(r) is not None for r in rest):
                kept.append(attrs.evolve(x, reasons=rest))
            else:
                reopened.append(x.option)
        for i, mid in enumerate(self.measures_lifted):
            v.check(
                mid in used,
                f"measures_lifted[{i}]",
                f"measure {mid!r} closed no option the problem holds; options the rules "
                "excluded when the problem was built re-open only by rebuilding it from the "
                "scenario with Scenario.measures changed",
            )
        return tuple(kept), tuple(reopened)

    def _close(
        self, options: tuple[Option, ...], positions: tuple[MatchPosition, ...]
    ) -> tuple[tuple[Option, ...], tuple[Exclusion, ...]]:
        """Return the options no added measure closes, and an exclusion holding each closed one."""
        country = {p.id: p.country for p in positions}
        kept: list[Option] = []
        closed: list[Exclusion] = []
        for o in options:
            where = country.get(o.position)
            found = closing_measures(self.measures_added, where, o.mode, o.start)
            if not found or where is None:
                kept.append(o)
                continue
            reasons = tuple(closed_reason(m, where, o.mode, o.start, o.mode) for m in found)
            closed.append(Exclusion(o.candidate, o.position, o.start, reasons, option=o))
        return tuple(kept), tuple(closed)


def _measure_of(reason: Reason) -> str | None:
    """Return the id of the measure a ``mode.measure.closed`` reason names, else ``None``."""
    if reason.code != "mode.measure.closed":
        return None
    return next((f.value for f in reason.facts if f.name == "measure"), None)


def rematch(
    problem: Problem,
    previous: Result,
    changes: Changes,
    *,
    settings: Settings | None = None,
    objectives: Sequence[Objective] | None = None,
) -> Result:
    """Solve ``problem`` after ``changes``, keeping as many earlier placements as possible.

    Parameters
    ----------
    problem
        The problem ``previous`` solved.
    previous
        The earlier result.
    changes
        What changed.
    settings
        Solver settings.
    objectives
        The levels to use; by default DISRUPTION first, then the problem's
        other levels.

    Returns
    -------
    Result
        The new result; compare it with :func:`audit_record`.
    """
    changed = changes.apply(problem, previous)
    if objectives is None:
        rest = [o for o in problem.objectives if o is not Objective.DISRUPTION]
        levels = (Objective.DISRUPTION, *rest)
    else:
        levels = tuple(objectives)
    return solve(attrs.evolve(changed, objectives=levels), settings)


@attrs.frozen
class Move:
    """A candidate kept placed but in another position or from another start."""

    candidate: str
    before: str
    after: str


@attrs.frozen
class AuditRecord:
    """The difference between two results, for the record.

    Parameters
    ----------
    at
        When the re-match was made (supplied by the caller, never read from a clock).
    kept
        Candidates in the same position from the same start.
    moved
        Candidates placed both times, elsewhere or from another start.
    newly_placed
        Candidates placed now and not before.
    newly_unplaced
        Candidates placed before and not now (withdrawals excluded).
    withdrawn
        Candidates placed before who are no longer in the problem.
    """

    at: datetime
    kept: tuple[str, ...] = ()
    moved: tuple[Move, ...] = ()
    newly_placed: tuple[str, ...] = ()
    newly_unplaced: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()

    def summary(self) -> str:
        """Return one line with the counts."""
        return (
            f"{self.at.isoformat()}: kept {len(self.kept)}, moved {len(self.moved)}, "
            f"newly placed {len(self.newly_placed)}, newly unplaced "
            f"{len(self.newly_unplaced)}, withdrawn {len(self.withdrawn)}"
        )

    def __repr__(self) -> str:
        # attrs keeps a __repr__ the class defines; the generated one lists every id.
        return f"<AuditRecord {self.summary()}>"


def audit_record(
    before: Result,
    after: Result,
    *,
    at: datetime,
    withdrawn: Sequence[str] = (),
) -> AuditRecord:
    """Compare two results.

    Parameters
    ----------
    before, after
        The earlier and the new result.
    at
        The timestamp to record.
    withdrawn
        Candidates known to have withdrawn; by default every candidate
        placed before who is neither placed nor explained now.
    """
    old = {a.candidate: a for a in before.assignments}
    new = {a.candidate: a for a in after.assignments}
    present = set(new) | {e.candidate for e in after.unplaced}
    gone = set(withdrawn) | {c for c in old if c not in present}
    kept, moved, unplaced = [], [], []
    for c, a in sorted(old.items()):
        if c in gone:
            continue
        b = new.get(c)
        if b is None:
            unplaced.append(c)
        elif (b.position, b.start) == (a.position, a.start):
            kept.append(c)
        else:
            moved.append(Move(c, f"{a.position} from {a.start}", f"{b.position} from {b.start}"))
    return AuditRecord(
        at=at,
        kept=tuple(kept),
        moved=tuple(moved),
        newly_placed=tuple(sorted(c for c in new if c not in old)),
        newly_unplaced=tuple(unplaced),
        withdrawn=tuple(sorted(c for c in gone if c in old)),
    )
