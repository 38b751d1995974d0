"""Offer rounds: offers, responses, waitlists and a frozen audit record for each round.

A coordinator offers the match's placements, waits for the answers, then
makes the next offers. :func:`offer_round` is one such step. It takes the
problem, the cohort's placements so far (:class:`~sgcq.models.Placement`
records, e.g. from :meth:`~sgcq.matching.Result.to_placements` or a
scenario's ``placements``) and the responses to the open offers:

* an **accepted** offer is pinned: every later round places the candidate in
  the same position from the same start;
* a **declined** offer, and one with **no response** by the deadline, is
  released: the pair is forbidden in every later round (a declined offer is
  never made again) and the seat is free for the waitlist;
* a **pending** offer (not yet due) stays open; the round keeps it unless
  the constraints no longer allow it;
* a **withdrawn** answer takes the candidate out of the programme: the
  placement is recorded as withdrawn (with the reason given in ``notes``),
  every pair of the candidate is forbidden in this and every later round
  (the candidate leaves the pool, not only this position) and their
  standing says ``withdrawn`` with the reason. An accepted placement may be
  withdrawn too. A decline, by contrast, closes only the one pair: the
  candidate stays on the other positions' waitlists.

The next offers are made by re-matching with
:attr:`~sgcq.matching.Objective.DISRUPTION` first (the fewest accepted or
pending offers lost), then the most placed, then the hosts' ranks, then
the candidates' ranks: the seats freed go to the waitlists ordered by host
rank, then candidate welfare, as far as the seats, beds, quotas and budget
allow. Every round returns a :class:`RoundRecord`: the offers made,
accepted, declined, lapsed and released, each position's waitlist and, for
every candidate, whether they are placed, offered, waitlisted, explained or
withdrawn, with the reasons for everyone not offered. Records are documents of kind
``offer_round`` (:func:`sgcq.serialization.dumps_json`).

Examples
--------
>>> from datetime import date, datetime, timezone
>>> from sgcq.matching import MatchCandidate, MatchPosition, Option, Problem, Settings
>>> from sgcq.models import DateRange, Mode
>>> stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
>>> problem = Problem(
...     candidates=(MatchCandidate("c1", "ntu"), MatchCandidate("c2", "ntu")),
...     positions=(MatchPosition("p1", "h1", seats=1),),
...     options=(
...         Option("c1", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1, position_rank=1),
...         Option("c2", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1, position_rank=2),
...     ),
... )
>>> at = datetime(2020, 7, 1, tzinfo=timezone.utc)
>>> first = offer_round(problem, (), {}, at=at, number=1, settings=Settings(workers=1, seed=0))
>>> [(o.candidate, o.position) for o in first.record.offered]
[('c1', 'p1')]
>>> second = offer_round(problem, first.placements, {"c1": Response.DECLINED},
...                      at=datetime(2020, 7, 8, tzinfo=timezone.utc), number=2)
>>> [(o.candidate, o.position) for o in second.record.offered], second.record.standing("c1").state
([('c2', 'p1')], <Standing.EXPLAINED: 'explained'>)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum

import attrs

from sgcq.errors import MatchingError
from sgcq.matching.problem import ForbiddenPair, Objective, Option, Pin, Problem
from sgcq.matching.result import Result, Status
from sgcq.matching.settings import Settings
from sgcq.matching.solve import solve
from sgcq.models import Placement, PlacementStatus, StatusChange, _html
from sgcq.models import _validate as v

__all__ = [
    "ROUND_OBJECTIVES",
    "WITHDREW",
    "CandidateStanding",
    "OfferLine",
    "OfferRound",
    "Response",
    "RoundRecord",
    "Standing",
    "WaitlistEntry",
    "offer_round",
    "withdrew",
]

#: The levels of a round's re-match: keep accepted and open offers, place the
#: most, then the hosts' ranks, then the candidates' ranks.
ROUND_OBJECTIVES: tuple[Objective, ...] = (
    Objective.DISRUPTION,
    Objective.PLACED,
    Objective.POSITION_WELFARE,
    Objective.CANDIDATE_WELFARE,
)

P = PlacementStatus


def _round_levels(
    problem: Problem, objectives: Sequence[Objective] | None
) -> tuple[Objective, ...]:
    """Return the levels given, or the defaults (and the problem's mode preference)."""
    if objectives is not None:
        return tuple(objectives)
    if Objective.MODE_PREFERENCE in problem.objectives:
        return (*ROUND_OBJECTIVES, Objective.MODE_PREFERENCE)
    return ROUND_OBJECTIVES


#: Statuses of a placement the candidate holds (accepted or further on).
_HELD = frozenset({P.ACCEPTED, P.VISA_APPLIED, P.VISA_GRANTED, P.ARRIVED, P.COMPLETED})
#: Statuses that close a pair for good: it is never offered again.
_CLOSED = frozenset({P.DECLINED, P.WITHDRAWN})

#: The words that mark, in a withdrawn placement's last step, a candidate who
#: left the programme (as opposed to an offer the round itself withdrew). The
#: placements are the state carried from round to round, so the mark lives in
#: them: ``"round 2: withdrew from the programme: took a job in Singapore"``.
WITHDREW = "withdrew from the programme"


def withdrew(placement: Placement) -> bool:
    """Return whether ``placement`` records its candidate leaving the programme.

    Parameters
    ----------
    placement
        Any placement.

    Returns
    -------
    bool
        True when its status is ``withdrawn`` and its last step's note says
        :data:`WITHDREW` (as :func:`offer_round` writes it for a
        :attr:`Response.WITHDRAWN` answer).

    Examples
    --------
    >>> from datetime import date, datetime, timezone
    >>> from sgcq.models import DateRange, Mode
    >>> at = datetime(2020, 7, 1, tzinfo=timezone.utc)
    >>> pl = Placement("c1", "p1", DateRange(date(2020, 9, 1), date(2021, 3, 1)), Mode.ON_SITE)
    >>> pl = pl.advance(PlacementStatus.OFFERED, at)
    >>> withdrew(pl.advance(PlacementStatus.WITHDRAWN, at, f"round 2: {WITHDREW}: a job"))
    True
    >>> withdrew(pl.advance(PlacementStatus.DECLINED, at, "round 2: declined"))
    False
    """
    if placement.status is not P.WITHDRAWN or not placement.history:
        return False
    return WITHDREW in placement.history[-1].note


class Response(str, Enum):
    """A candidate's answer to an open offer, as known at the round's date.

    * ``ACCEPTED``: pinned in every later round.
    * ``DECLINED``: released; the pair is never offered again.
    * ``NO_RESPONSE``: no answer by the deadline; released like a decline
      (the placement is recorded as declined, with a note saying why).
    * ``PENDING``: not yet due; the offer stays open.
    * ``WITHDRAWN``: the candidate leaves the programme. The placement (an
      open offer, or one already accepted) is recorded as withdrawn and the
      candidate is offered nothing in this or any later round; their
      standing is :attr:`Standing.WITHDRAWN`. A ``DECLINED`` candidate, by
      contrast, stays in the pool for their other positions.
    """

    ACCEPTED = "accepted"
    DECLINED = "declined"
    NO_RESPONSE = "no_response"
    PENDING = "pending"
    WITHDRAWN = "withdrawn"


class Standing(str, Enum):
    """Where a candidate stands after a round; every candidate has exactly one.

    * ``PLACED``: holds an accepted placement.
    * ``OFFERED``: holds an open offer (made this round or still pending).
    * ``WAITLISTED``: on the waitlist of at least one position.
    * ``EXPLAINED``: no position is left to offer (every option excluded by
      the rules or declined); the reasons say why.
    * ``WITHDRAWN``: left the programme (a :attr:`Response.WITHDRAWN`
      answer, in this round or an earlier one); the reasons give the note.
    """

    PLACED = "placed"
    OFFERED = "offered"
    WAITLISTED = "waitlisted"
    EXPLAINED = "explained"
    WITHDRAWN = "withdrawn"


def _aware(_inst: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    v.instance_of(datetime)(_inst, attribute, value)
    if value.tzinfo is None or value.utcoffset() is None:
        v.fail(attribute.name, "timestamps must carry a time zone (e.g. +08:00)")


@attrs.frozen
class OfferLine:
    """One offer: a candidate, a position and the stay.

    Parameters
    ----------
    candidate, position
        The pair.
    start, end
        The half-open stay ``[start, end)``.
    note
        The note of the step that put the offer in this list (e.g. ``"round
        2: no response by the deadline"``).
    """

    candidate: str = attrs.field(validator=v.identifier)
    position: str = attrs.field(validator=v.identifier)
    start: date = attrs.field(validator=v.instance_of(date))
    end: date = attrs.field(validator=v.instance_of(date))
    note: str = attrs.field(default="", validator=v.instance_of(str))

    @classmethod
    def of(cls, placement: Placement, note: str = "") -> OfferLine:
        """Return the line of ``placement``."""
        p = placement.period
        return cls(placement.candidate, placement.position, p.start, p.end, note)


@attrs.frozen
class WaitlistEntry:
    """A candidate's place on a position's waitlist.

    Parameters
    ----------
    position, candidate
        The position and the waitlisted candidate.
    place
        1 for the next in line. The order is the host's rank of the
        candidate (unranked last), then the candidate's rank of the
        position (unranked last), then the candidate id.
    position_rank, candidate_rank
        The ranks the order was made from.
    """

    position: str = attrs.field(validator=v.identifier)
    candidate: str = attrs.field(validator=v.identifier)
    place: int = attrs.field(validator=[v.instance_of(int), v.positive])
    position_rank: int | None = None
    candidate_rank: int | None = None


@attrs.frozen
class CandidateStanding:
    """One candidate's standing after a round.

    Parameters
    ----------
    candidate
        The candidate's id.
    state
        See :class:`Standing`.
    position
        The position held or offered, for ``PLACED`` and ``OFFERED``.
    reasons
        For ``WAITLISTED`` and ``EXPLAINED``: why no offer was made, one
        line per option, exclusion or closed offer; for ``WITHDRAWN``: the
        withdrawal with its note (never empty).
    """

    candidate: str = attrs.field(validator=v.identifier)
    state: Standing = attrs.field(validator=v.instance_of(Standing))
    position: str | None = None
    reasons: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(str)
    )

    def __attrs_post_init__(self) -> None:
        held = self.state in (Standing.PLACED, Standing.OFFERED)
        v.check(held == (self.position is not None), "position", "given exactly when held")
        v.check(held or bool(self.reasons), "reasons", "a candidate not offered needs a reason")


@attrs.frozen(repr=False)
class RoundRecord:
    """The audit record of one offer round (document kind ``offer_round``).

    Parameters
    ----------
    number
        The round's number, 1 for the first offers.
    at
        When the round was made (supplied by the caller, never read from a clock).
    cohort
        The cohort, if the problem names one.
    status
        The re-match's status.
    offered
        The offers made in this round.
    kept
        The pending offers kept open.
    accepted, declined, lapsed, withdrawn
        The offers answered in this round (``lapsed``: no response by the
        deadline; ``withdrawn``: the candidate left the programme, and the
        line may be an accepted placement).
    released
        The seats freed in this round: the declined, lapsed and withdrawn
        placements, and any pending offer the constraints no longer allowed
        (withdrawn by the round).
    waitlists
        Every position's waitlist after the round, by position then place.
    standings
        Every candidate of the problem, by id: placed, offered, waitlisted,
        explained or withdrawn.
    """

    number: int = attrs.field(validator=[v.instance_of(int), v.positive])
    at: datetime = attrs.field(validator=_aware)
    cohort: str | None = None
    status: Status = Status.OPTIMAL
    offered: tuple[OfferLine, ...] = ()
    kept: tuple[OfferLine, ...] = ()
    accepted: tuple[OfferLine, ...] = ()
    declined: tuple[OfferLine, ...] = ()
    lapsed: tuple[OfferLine, ...] = ()
    withdrawn: tuple[OfferLine, ...] = ()
    released: tuple[OfferLine, ...] = ()
    waitlists: tuple[WaitlistEntry, ...] = ()
    standings: tuple[CandidateStanding, ...] = ()

    def standing(self, candidate: str) -> CandidateStanding:
        """Return ``candidate``'s standing (``KeyError`` naming it if absent)."""
        for s in self.standings:
            if s.candidate == candidate:
                return s
        raise KeyError(f"no candidate {candidate!r} in round {self.number}")

    def waitlist(self, position: str) -> tuple[WaitlistEntry, ...]:
        """Return ``position``'s waitlist, next in line first."""
        return tuple(w for w in self.waitlists if w.position == position)

    def counts(self) -> dict[Standing, int]:
        """Return the number of candidates in each standing."""
        out = dict.fromkeys(Standing, 0)
        for s in self.standings:
            out[s.state] += 1
        return out

    def summary(self) -> str:
        """Return one line with the counts."""
        c = self.counts()
        return (
            f"round {self.number} at {self.at.isoformat()}: offered {len(self.offered)}, "
            f"kept {len(self.kept)}, accepted {len(self.accepted)}, declined "
            f"{len(self.declined)}, lapsed {len(self.lapsed)}, withdrawn "
            f"{len(self.withdrawn)}, released {len(self.released)}; "
            f"placed {c[Standing.PLACED]}, offered {c[Standing.OFFERED]}, waitlisted "
            f"{c[Standing.WAITLISTED]}, explained {c[Standing.EXPLAINED]}, withdrawn "
            f"{c[Standing.WITHDRAWN]}"
        )

    def __repr__(self) -> str:
        return f"<RoundRecord {self.summary()}>"

    def _repr_html_(self) -> str:
        """Return the notebook view: the counts and the standings."""
        return _html.view(
            "offer round",
            f"Offer round {self.number}" + (f" of {self.cohort}" if self.cohort else ""),
            _html.note(_html.short(self.summary(), 400)),
            _html.html_table(
                ("candidate", "standing", "position", "first reason"),
                (
                    (s.candidate, s.state.value, s.position, s.reasons[0] if s.reasons else "")
                    for s in self.standings
                ),
                caption="Standings",
                limit=40,
            ),
        )


@attrs.frozen(repr=False)
class OfferRound:
    """What :func:`offer_round` returns.

    Parameters
    ----------
    record
        The audit record.
    placements
        The cohort's placements after the round: those given, answered
        (accepted or declined, with the step recorded), and the new offers.
    problem
        The problem the round solved (with its pins, forbidden pairs and
        earlier placements).
    result
        Its result.
    """

    record: RoundRecord
    placements: tuple[Placement, ...]
    problem: Problem
    result: Result

    def __repr__(self) -> str:
        return f"<OfferRound {self.record.summary()}>"


def _check_inputs(
    problem: Problem,
    placements: Sequence[Placement],
    responses: Mapping[str, Response],
    notes: Mapping[str, str],
) -> dict[str, Placement]:
    cands = {c.id for c in problem.candidates}
    poss = {p.id for p in problem.positions}
    open_: dict[str, Placement] = {}
    for i, pl in enumerate(placements):
        v.check(isinstance(pl, Placement), f"placements[{i}]", "must be a Placement")
        v.check(pl.candidate in cands, f"placements[{i}].candidate", f"unknown {pl.candidate!r}")
        v.check(pl.position in poss, f"placements[{i}].position", f"unknown {pl.position!r}")
        v.check(
            pl.status is not P.PROPOSED,
            f"placements[{i}].status",
            "a proposed placement is not an offer; offer it first",
        )
        if pl.status in _CLOSED:
            continue
        v.check(
            pl.candidate not in open_,
            f"placements[{i}]",
            f"{pl.candidate} holds a second open offer or placement",
        )
        open_[pl.candidate] = pl
    for c, r in sorted(responses.items()):
        v.check(isinstance(r, Response), f"responses[{c}]", f"must be a Response, got {r!r}")
        held = open_.get(c)
        if r is Response.WITHDRAWN:
            # Leaving the programme is possible from an accepted placement too.
            v.check(
                held is not None and (held.status is P.OFFERED or held.status in _HELD),
                f"responses[{c}]",
                f"{c} holds no open offer or accepted placement to withdraw from",
            )
            continue
        v.check(
            held is not None and held.status is P.OFFERED,
            f"responses[{c}]",
            f"{c} holds no open offer to answer",
        )
    for pl in placements:
        v.check(
            not withdrew(pl) or pl.candidate not in open_,
            "placements",
            f"{pl.candidate} withdrew from the programme but holds an open placement",
        )
    for c, note in sorted(notes.items()):
        v.check(isinstance(note, str), f"notes[{c}]", f"must be text, got {note!r}")
        v.check(c in responses, f"notes[{c}]", f"{c} has a note but no response")
    return open_


def _pin(pl: Placement) -> Pin:
    return Pin(pl.candidate, pl.position, pl.period.start)


def offer_round(
    problem: Problem,
    placements: Sequence[Placement],
    responses: Mapping[str, Response],
    *,
    at: datetime,
    number: int,
    settings: Settings | None = None,
    unanswered: Response = Response.NO_RESPONSE,
    objectives: Sequence[Objective] | None = None,
    notes: Mapping[str, str] | None = None,
) -> OfferRound:
    """Apply the responses to the open offers and make the next offers.

    Parameters
    ----------
    problem
        The cohort's problem (e.g. :meth:`Problem.from_scenario`); its own
        pins and forbidden pairs are kept.
    placements
        The cohort's placements so far (empty for the first round). Open
        offers have status ``offered``; accepted ones (and those further on)
        are pinned; declined and withdrawn ones close their pair for good,
        and one that records a withdrawal from the programme
        (:func:`withdrew`) keeps its candidate out of every pair.
    responses
        ``{candidate: Response}`` for the open offers answered (and, with
        ``WITHDRAWN``, for accepted placements left).
    at
        When the round is made (with a time zone): the date of every step
        recorded.
    number
        The round's number, recorded in the notes and the record.
    settings
        Solver settings (use 1 worker and a fixed seed for runs that repeat).
    unanswered
        What an open offer that ``responses`` does not mention means: by
        default the deadline has passed (``NO_RESPONSE``); ``PENDING`` keeps
        such offers open.
    objectives
        The re-match's levels; by default :data:`ROUND_OBJECTIVES`, then
        :attr:`Objective.MODE_PREFERENCE` when the problem's levels have it.
    notes
        ``{candidate: text}``: why, for candidates in ``responses`` (e.g. the
        reason for a withdrawal); added to the step recorded and, for a
        withdrawal, to the candidate's standing.

    Returns
    -------
    OfferRound
        The record, the placements after the round, the problem solved and
        its result.

    Raises
    ------
    ModelValidationError
        If a placement or response names an unknown candidate or position, a
        candidate holds two open placements, a response answers no open
        offer (or a withdrawal no open placement), a note has no response,
        or an accepted placement is no longer an option of the problem.
    MatchingError
        If the re-match finds no solution (the accepted placements and the
        problem's constraints cannot all be met).
    """
    why = dict(notes or {})
    _check_inputs(problem, placements, responses, why)
    kept_pl: dict[str, Placement] = {}
    out: list[Placement] = []
    answered: dict[Response, list[OfferLine]] = {r: [] for r in Response}
    closed_pairs = {(pl.candidate, pl.position) for pl in placements if pl.status in _CLOSED}
    # Who left the programme: in an earlier round (their placements say so) or now.
    gone: dict[str, str] = {pl.candidate: pl.history[-1].note for pl in placements if withdrew(pl)}
    held: dict[str, Placement] = {}
    words = {
        Response.ACCEPTED: f"round {number}: accepted",
        Response.DECLINED: f"round {number}: declined",
        Response.NO_RESPONSE: f"round {number}: no response by the deadline",
        Response.WITHDRAWN: f"round {number}: {WITHDREW}",
    }

    def note_of(r: Response, candidate: str) -> str:
        extra = why.get(candidate, "").strip()
        return f"{words[r]}: {extra}" if extra else words[r]

    for pl in placements:
        if pl.status in _CLOSED:
            out.append(pl)
            continue
        given = responses.get(pl.candidate)
        if pl.status in _HELD and given is not Response.WITHDRAWN:
            held[pl.candidate] = pl
            out.append(pl)
            continue
        r = unanswered if given is None else given
        if r is Response.PENDING:
            kept_pl[pl.candidate] = pl
            continue
        note = note_of(r, pl.candidate)
        if r is Response.WITHDRAWN:
            answered[r].append(OfferLine.of(pl, note))
            out.append(pl.advance(P.WITHDRAWN, at, note))
            gone[pl.candidate] = note
            continue
        answered[r].append(OfferLine.of(pl, note))
        if r is Response.ACCEPTED:
            done = pl.advance(P.ACCEPTED, at, note)
            held[pl.candidate] = done
        else:
            done = pl.advance(P.DECLINED, at, note)
            closed_pairs.add((pl.candidate, pl.position))
        out.append(done)
    # A candidate who left is out of every pair, not only the one they held.
    closed_pairs |= {(o.candidate, o.position) for o in problem.options if o.candidate in gone}

    cons = problem.constraints
    forbidden = {(f.candidate, f.position) for f in cons.forbidden}
    extra = sorted(closed_pairs - forbidden)
    round_problem = attrs.evolve(
        problem,
        constraints=attrs.evolve(
            cons,
            pins=(*cons.pins, *(_pin(held[c]) for c in sorted(held))),
            forbidden=(*cons.forbidden, *(ForbiddenPair(c, p) for c, p in extra)),
        ),
        previous=tuple(_pin(pl) for _, pl in sorted({**held, **kept_pl}.items())),
        objectives=_round_levels(problem, objectives),
    )
    result = solve(round_problem, settings)
    if not result.status.has_solution:
        raise MatchingError(
            f"offer round {number}: the re-match found no solution ({result.status.value}): "
            f"{result.message}"
        )
    chosen = {a.candidate: a for a in result.assignments}
    for c, pl in held.items():
        a = chosen.get(c)
        if a is None or (a.position, a.start) != (pl.position, pl.period.start):
            raise MatchingError(  # pragma: no cover - pins make this impossible
                f"offer round {number}: the re-match moved the accepted placement of {c}"
            )

    released = [
        *answered[Response.DECLINED],
        *answered[Response.NO_RESPONSE],
        *answered[Response.WITHDRAWN],
    ]
    kept: list[OfferLine] = []
    offered_now: dict[str, Placement] = {}
    for c, pl in sorted(kept_pl.items()):
        a = chosen.get(c)
        if a is not None and (a.position, a.start) == (pl.position, pl.period.start):
            kept.append(OfferLine.of(pl, "pending"))
            offered_now[c] = pl
            out.append(pl)
        else:
            note = f"round {number}: offer withdrawn, the constraints no longer allow it"
            out.append(pl.advance(P.WITHDRAWN, at, note))
            released.append(OfferLine.of(pl, note))
    step = StatusChange(P.OFFERED, at, f"round {number}: offered")
    new_lines: list[OfferLine] = []
    for c, a in sorted(chosen.items()):
        if c in held or c in offered_now:
            continue
        pl = Placement(c, a.position, a.stay, a.mode, P.OFFERED, (step,), cohort=problem.cohort)
        offered_now[c] = pl
        out.append(pl)
        new_lines.append(OfferLine.of(pl, step.note))

    waitlists, standings = _standings(round_problem, result, held, offered_now, out, gone)
    record = RoundRecord(
        number=number,
        at=at,
        cohort=problem.cohort,
        status=result.status,
        offered=tuple(new_lines),
        kept=tuple(kept),
        accepted=tuple(answered[Response.ACCEPTED]),
        declined=tuple(answered[Response.DECLINED]),
        lapsed=tuple(answered[Response.NO_RESPONSE]),
        withdrawn=tuple(answered[Response.WITHDRAWN]),
        released=tuple(sorted(released, key=lambda o: (o.candidate, o.position, o.start))),
        waitlists=waitlists,
        standings=standings,
    )
    return OfferRound(record, tuple(out), round_problem, result)


def _rank(r: int | None) -> tuple[int, int]:
    return (1, 0) if r is None else (0, r)


def _standings(
    problem: Problem,
    result: Result,
    held: Mapping[str, Placement],
    offered: Mapping[str, Placement],
    placements: Sequence[Placement],
    gone: Mapping[str, str],
) -> tuple[tuple[WaitlistEntry, ...], tuple[CandidateStanding, ...]]:
    forbidden = {(f.candidate, f.position) for f in problem.constraints.forbidden}
    # The best ranks of each remaining (candidate, position) pair over its starts.
    best: dict[tuple[str, str], Option] = {}
    for o in problem.options:
        if o.candidate in held or o.candidate in offered:
            continue
        if (o.candidate, o.position) in forbidden:
            continue
        key = (o.candidate, o.position)
        old = best.get(key)
        if old is None or (_rank(o.position_rank), _rank(o.candidate_rank)) < (
            _rank(old.position_rank),
            _rank(old.candidate_rank),
        ):
            best[key] = o
    by_position: dict[str, list[Option]] = {}
    for (_c, p), o in best.items():
        by_position.setdefault(p, []).append(o)
    waitlists: list[WaitlistEntry] = []
    listed: set[str] = set()
    for p in sorted(by_position):
        line = sorted(
            by_position[p],
            key=lambda o: (_rank(o.position_rank), _rank(o.candidate_rank), o.candidate),
        )
        for place, o in enumerate(line, 1):
            entry = WaitlistEntry(p, o.candidate, place, o.position_rank, o.candidate_rank)
            waitlists.append(entry)
            listed.add(o.candidate)
    explanations = {e.candidate: e for e in result.unplaced}
    closed: dict[str, list[str]] = {}
    for pl in placements:
        if pl.status in _CLOSED:
            note = pl.history[-1].note if pl.history else pl.status.value
            closed.setdefault(pl.candidate, []).append(f"{pl.position}: {pl.status.value} ({note})")
    standings: list[CandidateStanding] = []
    for c in sorted(m.id for m in problem.candidates):
        if c in gone:
            standings.append(CandidateStanding(c, Standing.WITHDRAWN, None, (gone[c],)))
            continue
        if c in held:
            standings.append(CandidateStanding(c, Standing.PLACED, held[c].position))
            continue
        if c in offered:
            standings.append(CandidateStanding(c, Standing.OFFERED, offered[c].position))
            continue
        e = explanations.get(c)
        lines = [r.describe() for r in e.reasons] if e is not None else []
        lines += closed.get(c, [])
        state = Standing.WAITLISTED if c in listed else Standing.EXPLAINED
        if not lines:
            lines = ["no position of the problem is open to the candidate"]
        standings.append(CandidateStanding(c, state, None, tuple(lines)))
    return tuple(waitlists), tuple(standings)
