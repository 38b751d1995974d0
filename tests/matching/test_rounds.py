"""Offer rounds: responses, waitlists, re-offers and the audit record; Result.to_placements."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS, broken_constraints, placed_options

from sgcq.errors import MatchingError, ModelValidationError
from sgcq.matching import (
    MatchCandidate,
    MatchPosition,
    Option,
    Problem,
    Response,
    RoundRecord,
    Standing,
    offer_round,
    solve,
    withdrew,
)
from sgcq.models import DateRange, Mode, Placement, PlacementStatus
from sgcq.scenarios import load_scenario
from sgcq.serialization import dumps_json, loads_json
from sgcq.testing.strategies import problems

AT = datetime(2020, 6, 1, 9, 0, tzinfo=timezone.utc)
STAY = DateRange(date(2020, 9, 1), date(2021, 3, 1))


def _week(n: int) -> datetime:
    return AT + timedelta(days=7 * n)


def _tiny() -> Problem:
    """Two seats at one host, four candidates the host ranks c1 > c2 > c3 > c4."""
    cands = tuple(MatchCandidate(f"c{i}", "ntu") for i in range(1, 5))
    return Problem(
        candidates=cands,
        positions=(MatchPosition("p1", "h1", seats=2, ranks_candidates=True),),
        options=tuple(
            Option(c.id, "p1", STAY.start, STAY, Mode.ON_SITE, candidate_rank=1, position_rank=i)
            for i, c in enumerate(cands, 1)
        ),
    )


def test_to_placements_are_offered_and_round_trip_into_a_scenario() -> None:
    """Each assignment becomes an offered placement with its stay and cohort, kept by a scenario."""
    scenario = load_scenario("nus-ytp-2019")
    problem = Problem.from_scenario(scenario)
    result = solve(problem, TEST_SETTINGS)
    placements = result.to_placements(AT, cohort=problem.cohort)
    assert len(placements) == result.placed > 0
    for pl, a in zip(placements, result.assignments, strict=True):
        assert (pl.candidate, pl.position, pl.period, pl.mode) == (
            a.candidate,
            a.position,
            a.stay,
            a.mode,
        )
        assert pl.status is PlacementStatus.OFFERED and pl.history[0].at == AT
        assert pl.cohort == problem.cohort
    again = attrs.evolve(scenario, placements=placements)
    assert loads_json(dumps_json(again)).placements == placements


def test_a_placement_naming_an_unknown_cohort_is_refused() -> None:
    """The scenario checks a placement's cohort like its candidate and position."""
    scenario = load_scenario("nus-ytp-2019")
    pl = Placement(scenario.candidates[0].id, scenario.positions[0].id, STAY, Mode.ON_SITE)
    with pytest.raises(ModelValidationError, match=r"placements\[0\]\.cohort"):
        attrs.evolve(scenario, placements=(attrs.evolve(pl, cohort="nope"),))


def test_a_decline_goes_to_the_next_on_the_hosts_waitlist() -> None:
    """c1 declines: c3 (the host's next) is offered the seat, c4 stays waitlisted at place 1."""
    problem = _tiny()
    first = offer_round(problem, (), {}, at=AT, number=1, settings=TEST_SETTINGS)
    assert {o.candidate for o in first.record.offered} == {"c1", "c2"}
    assert [(w.candidate, w.place) for w in first.record.waitlist("p1")] == [("c3", 1), ("c4", 2)]
    second = offer_round(
        problem,
        first.placements,
        {"c1": Response.DECLINED, "c2": Response.ACCEPTED},
        at=_week(1),
        number=2,
        settings=TEST_SETTINGS,
    )
    rec = second.record
    assert [o.candidate for o in rec.offered] == ["c3"]
    assert [o.candidate for o in rec.declined] == ["c1"]
    assert [o.candidate for o in rec.released] == ["c1"]
    assert rec.standing("c2").state is Standing.PLACED
    assert rec.standing("c3").state is Standing.OFFERED
    assert [(w.candidate, w.place) for w in rec.waitlist("p1")] == [("c4", 1)]
    c1 = rec.standing("c1")
    assert c1.state is Standing.EXPLAINED
    assert any("declined" in r for r in c1.reasons)


def test_no_response_lapses_and_pending_offers_stay_open() -> None:
    """A lapsed offer is released like a decline; a pending one is kept and not re-counted."""
    problem = _tiny()
    first = offer_round(problem, (), {}, at=AT, number=1, settings=TEST_SETTINGS)
    second = offer_round(
        problem,
        first.placements,
        {"c2": Response.PENDING},
        at=_week(1),
        number=2,
        settings=TEST_SETTINGS,
    )
    rec = second.record
    assert [o.candidate for o in rec.lapsed] == ["c1"]
    assert [o.candidate for o in rec.kept] == ["c2"]
    assert [o.candidate for o in rec.offered] == ["c3"]
    lapsed = [p for p in second.placements if p.candidate == "c1"]
    assert [p.status for p in lapsed] == [PlacementStatus.DECLINED]
    assert "no response" in lapsed[0].history[-1].note


def test_bad_responses_are_refused_with_the_candidate_named() -> None:
    """A response for a candidate with no open offer names the candidate."""
    problem = _tiny()
    first = offer_round(problem, (), {}, at=AT, number=1, settings=TEST_SETTINGS)
    with pytest.raises(ModelValidationError, match=r"responses\[c4\]"):
        offer_round(problem, first.placements, {"c4": Response.ACCEPTED}, at=_week(1), number=2)


def test_an_impossible_round_raises() -> None:
    """Accepted placements that the constraints cannot all hold raise MatchingError."""
    problem = _tiny()
    first = offer_round(problem, (), {}, at=AT, number=1, settings=TEST_SETTINGS)
    accepted = [p.advance(PlacementStatus.ACCEPTED, _week(1)) for p in first.placements]
    closed = attrs.evolve(problem, positions=(MatchPosition("p1", "h1", seats=1),))
    with pytest.raises(MatchingError, match="offer round 2"):
        offer_round(closed, accepted, {}, at=_week(1), number=2, settings=TEST_SETTINGS)


def _two_hosts() -> Problem:
    """p1 and p2, one seat each; both hosts rank c1 first; c2 wants only p1, c3 only p2."""
    pairs = [("c1", "p1", 1, 1), ("c1", "p2", 2, 1), ("c2", "p1", 1, 2), ("c3", "p2", 1, 2)]
    return Problem(
        candidates=tuple(MatchCandidate(c, "ntu") for c in ("c1", "c2", "c3")),
        positions=tuple(
            MatchPosition(p, f"h{p}", seats=1, ranks_candidates=True) for p in ("p1", "p2")
        ),
        options=tuple(
            Option(c, p, STAY.start, STAY, Mode.ON_SITE, candidate_rank=cr, position_rank=pr)
            for c, p, cr, pr in pairs
        ),
    )


def _first_two_hosts() -> tuple[Problem, tuple[Placement, ...]]:
    problem = _two_hosts()
    first = offer_round(problem, (), {}, at=AT, number=1, settings=TEST_SETTINGS)
    assert {(o.candidate, o.position) for o in first.record.offered} == {
        ("c1", "p1"),
        ("c3", "p2"),
    }
    return problem, first.placements


def test_a_decliner_stays_in_the_pool_for_their_other_positions() -> None:
    """c1 declines p1: only that pair closes; c1 is waitlisted on p2 and offered it when freed."""
    problem, placements = _first_two_hosts()
    second = offer_round(
        problem,
        placements,
        {"c1": Response.DECLINED, "c3": Response.ACCEPTED},
        at=_week(1),
        number=2,
        settings=TEST_SETTINGS,
    )
    assert second.record.standing("c1").state is Standing.WAITLISTED
    assert [(w.candidate, w.place) for w in second.record.waitlist("p2")] == [("c1", 1)]
    assert not second.record.withdrawn
    third = offer_round(
        problem,
        second.placements,
        {"c2": Response.ACCEPTED},
        at=_week(2),
        number=3,
        settings=TEST_SETTINGS,
        notes={"c2": "signed"},
    )
    assert third.record.accepted[0].note == "round 3: accepted: signed"
    # c3 leaves: the seat at p2 goes to c1, who only declined p1.
    fourth = offer_round(
        problem,
        third.placements,
        {"c3": Response.WITHDRAWN},
        at=_week(3),
        number=4,
        settings=TEST_SETTINGS,
    )
    assert [(o.candidate, o.position) for o in fourth.record.offered] == [("c1", "p2")]


def test_a_withdrawal_takes_the_candidate_out_of_the_programme() -> None:
    """c1 withdraws with a reason: the placement is withdrawn, c1 is on no waitlist, stands
    withdrawn with the reason in every later round, and is never offered p2 even when it frees."""
    problem, placements = _first_two_hosts()
    why = "took a job in Singapore"
    second = offer_round(
        problem,
        placements,
        {"c1": Response.WITHDRAWN, "c3": Response.ACCEPTED},
        at=_week(1),
        number=2,
        settings=TEST_SETTINGS,
        notes={"c1": why},
    )
    rec = second.record
    assert [o.candidate for o in rec.withdrawn] == ["c1"]
    assert "c1" in {o.candidate for o in rec.released}
    assert [o.candidate for o in rec.offered] == ["c2"]
    gone = rec.standing("c1")
    assert gone.state is Standing.WITHDRAWN and gone.position is None
    assert gone.reasons == (f"round 2: withdrew from the programme: {why}",)
    assert "c1" not in {w.candidate for w in rec.waitlists}
    mine = [p for p in second.placements if p.candidate == "c1"]
    assert [p.status for p in mine] == [PlacementStatus.WITHDRAWN] and withdrew(mine[0])
    assert rec.counts()[Standing.WITHDRAWN] == 1
    assert "withdrawn 1" in rec.summary()
    # c3 leaves an accepted placement: p2 frees, and c1 (p2's first choice) is not offered it.
    third = offer_round(
        problem,
        second.placements,
        {"c2": Response.ACCEPTED, "c3": Response.WITHDRAWN},
        at=_week(2),
        number=3,
        settings=TEST_SETTINGS,
    )
    rec = third.record
    assert not rec.offered
    assert [o.candidate for o in rec.withdrawn] == ["c3"]
    assert rec.standing("c1").reasons == gone.reasons
    assert rec.standing("c3").state is Standing.WITHDRAWN
    assert rec.standing("c2").state is Standing.PLACED
    assert loads_json(dumps_json(rec), RoundRecord) == rec


def test_bad_withdrawals_and_notes_are_refused_naming_them() -> None:
    """A withdrawal with nothing open, a note without a response, and an open placement of a
    candidate who withdrew are refused with the path named."""
    problem, placements = _first_two_hosts()
    with pytest.raises(ModelValidationError, match=r"responses\[c2\]"):
        offer_round(problem, placements, {"c2": Response.WITHDRAWN}, at=_week(1), number=2)
    with pytest.raises(ModelValidationError, match=r"notes\[c2\]"):
        offer_round(problem, placements, {}, at=_week(1), number=2, notes={"c2": "why"})
    second = offer_round(
        problem, placements, {"c1": Response.WITHDRAWN}, at=_week(1), number=2,
        settings=TEST_SETTINGS,
    )  # fmt: skip
    again = Placement("c1", "p2", STAY, Mode.ON_SITE).advance(PlacementStatus.OFFERED, _week(2))
    with pytest.raises(ModelValidationError, match="withdrew from the programme"):
        offer_round(problem, (*second.placements, again), {}, at=_week(2), number=3)


@functools.lru_cache(maxsize=1)
def _ntu_rounds() -> tuple[Problem, tuple[RoundRecord, ...], tuple[Placement, ...]]:
    """The NTU cohort: first offers, three rounds with declines in each, then all accept."""
    problem = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    records = []
    placements: tuple[Placement, ...] = ()
    for n in range(1, 6):
        open_ = sorted(p.candidate for p in placements if p.status is PlacementStatus.OFFERED)
        if n == 5:
            responses = dict.fromkeys(open_, Response.ACCEPTED)
        else:
            # Every fourth declines, every seventh does not answer, the rest accept.
            responses = {
                c: Response.DECLINED
                if i % 4 == 0
                else Response.NO_RESPONSE
                if i % 7 == 3
                else Response.ACCEPTED
                for i, c in enumerate(open_)
            }
        rnd = offer_round(
            problem, placements, responses, at=_week(n), number=n, settings=TEST_SETTINGS
        )
        records.append(rnd.record)
        placements = rnd.placements
    return rnd.problem, tuple(records), placements


def test_three_rounds_on_the_ntu_cohort_end_placed_waitlisted_or_explained() -> None:
    """Done when: declines in each of three rounds; at the end everyone is placed,
    waitlisted or explained, with a reason for each one not placed, and the trail reads back."""
    problem, records, placements = _ntu_rounds()
    for rec in records[1:4]:
        assert rec.declined, rec.summary()
        assert rec.offered, rec.summary()
    last = records[-1]
    assert not last.offered and not last.declined
    counts = last.counts()
    assert counts[Standing.OFFERED] == 0
    assert sum(counts.values()) == len(problem.candidates) == 120
    assert counts[Standing.PLACED] > 0 and counts[Standing.EXPLAINED] > 0
    for s in last.standings:
        if s.state is not Standing.PLACED:
            assert s.reasons
    # The audit trail reads back from JSON, each record whole.
    for rec in records:
        assert loads_json(dumps_json(rec), RoundRecord) == rec
    # The placements are the cohort's: they load into the scenario.
    scenario = attrs.evolve(load_scenario("ntu-ydpg-2020"), placements=placements)
    assert len(scenario.placements) == len(placements)


def test_ntu_rounds_are_deterministic() -> None:
    """With one worker and a fixed seed, running the rounds again gives the same records."""
    _problem, records, _ = _ntu_rounds()
    _ntu_rounds.cache_clear()
    assert _ntu_rounds()[1] == records


def _safe(problem: Problem) -> Problem:
    """Drop what a decline could make impossible: pins, minimums of size and quotas."""
    cons = problem.constraints
    return attrs.evolve(
        problem,
        constraints=attrs.evolve(
            cons,
            min_size=None,
            pins=(),
            quotas=tuple(attrs.evolve(q, minimum=None) for q in cons.quotas if q.maximum),
        ),
    )


def _run(
    problem: Problem, answers: Sequence[Sequence[Response]]
) -> list[tuple[RoundRecord, tuple[Placement, ...], Problem, list[Option]]]:
    out = []
    placements: tuple[Placement, ...] = ()
    for n, line in enumerate(answers, 1):
        open_ = sorted(p.candidate for p in placements if p.status is PlacementStatus.OFFERED)
        responses = {c: line[i % len(line)] for i, c in enumerate(open_)}
        rnd = offer_round(
            problem, placements, responses, at=_week(n), number=n, settings=TEST_SETTINGS
        )
        placements = rnd.placements
        out.append((rnd.record, placements, rnd.problem, placed_options(rnd.problem, rnd.result)))
    return out


_ANSWERS = st.lists(
    st.lists(st.sampled_from(list(Response)), min_size=1, max_size=5), min_size=1, max_size=4
)


@settings(max_examples=20, deadline=None)
@given(
    problem=problems(max_candidates=8, max_positions=4, side_constraints=True, starts=2),
    answers=_ANSWERS,
)
def test_round_invariants(problem: Problem, answers: list[list[Response]]) -> None:
    """Over any responses: an accepted candidate is never un-placed; every candidate is in
    exactly one standing; a declined offer is never made again to the same position; each
    round's placements meet every constraint (the independent checker); a withdrawn
    candidate is never offered again and stands withdrawn in every later round."""
    problem = _safe(problem)
    accepted: dict[str, tuple[str, date]] = {}
    declined: set[tuple[str, str]] = set()
    withdrawn: set[str] = set()
    for rec, placements, round_problem, placed in _run(problem, [[], *answers]):
        ids = [s.candidate for s in rec.standings]
        assert sorted(ids) == sorted(c.id for c in problem.candidates)
        assert len(set(ids)) == len(ids)
        withdrawn |= {o.candidate for o in rec.withdrawn}
        for o in rec.offered:
            assert o.candidate not in withdrawn
        for c in withdrawn:
            accepted.pop(c, None)
            assert rec.standing(c).state is Standing.WITHDRAWN
            assert all(w.candidate != c for w in rec.waitlists)
        for c, (pos, start) in accepted.items():
            s = rec.standing(c)
            assert (s.state, s.position) == (Standing.PLACED, pos)
            assert any(
                p.candidate == c
                and p.position == pos
                and p.period.start == start
                and p.status is PlacementStatus.ACCEPTED
                for p in placements
            )
        for o in rec.offered:
            assert (o.candidate, o.position) not in declined
        for o in (*rec.declined, *rec.lapsed):
            declined.add((o.candidate, o.position))
        for o in rec.accepted:
            accepted[o.candidate] = (o.position, o.start)
        assert not broken_constraints(round_problem, placed)
        waitlisted = {w.candidate for w in rec.waitlists}
        for s in rec.standings:
            assert (s.state is Standing.WAITLISTED) == (s.candidate in waitlisted)
