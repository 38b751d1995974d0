"""Tests of Placement, StatusChange and the placement lifecycle."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgcq.models import (
    OPEN_STATUSES,
    TRANSITIONS,
    DateRange,
    Mode,
    ModelValidationError,
    Placement,
    PlacementStatus,
    StatusChange,
    TransitionError,
)
from sgcq.testing import strategies as sst

Checker = Callable[..., ModelValidationError]

P = PlacementStatus
SGT = timezone(timedelta(hours=8))
T0 = datetime(2020, 7, 1, 9, 0, tzinfo=SGT)
PERIOD = DateRange(date(2020, 9, 1), date(2021, 3, 1))
ALLOWED = sorted((a, b) for a, nxt in TRANSITIONS.items() for b in nxt)
DISALLOWED = sorted(
    (a, b) for a in PlacementStatus for b in PlacementStatus if b not in TRANSITIONS[a]
)


def placement_at(status: PlacementStatus) -> Placement:
    """A placement brought to ``status`` along the forward path, one hour per step."""
    path = {
        P.PROPOSED: [],
        P.OFFERED: [P.OFFERED],
        P.ACCEPTED: [P.OFFERED, P.ACCEPTED],
        P.VISA_APPLIED: [P.OFFERED, P.ACCEPTED, P.VISA_APPLIED],
        P.VISA_GRANTED: [P.OFFERED, P.ACCEPTED, P.VISA_APPLIED, P.VISA_GRANTED],
        P.ARRIVED: [P.OFFERED, P.ACCEPTED, P.ARRIVED],
        P.COMPLETED: [P.OFFERED, P.ACCEPTED, P.ARRIVED, P.COMPLETED],
        P.WITHDRAWN: [P.WITHDRAWN],
        P.DECLINED: [P.OFFERED, P.DECLINED],
    }[status]
    p = Placement("c0", "p0", PERIOD, Mode.ON_SITE)
    for i, s in enumerate(path):
        p = p.advance(s, T0 + timedelta(hours=i))
    return p


@pytest.mark.parametrize(("start", "end"), ALLOWED)
def test_every_allowed_transition_works(start: PlacementStatus, end: PlacementStatus) -> None:
    """advance() accepts each step of TRANSITIONS and records it."""
    p = placement_at(start).advance(end, T0 + timedelta(days=10), note="ok")
    assert p.status is end
    assert p.history[-1] == StatusChange(end, T0 + timedelta(days=10), "ok")


@pytest.mark.parametrize(("start", "end"), DISALLOWED)
def test_every_disallowed_transition_raises(start: PlacementStatus, end: PlacementStatus) -> None:
    """advance() refuses any step outside TRANSITIONS with a TransitionError naming both."""
    p = placement_at(start)
    with pytest.raises(TransitionError, match=f"from {start.value} to {end.value}"):
        p.advance(end, T0 + timedelta(days=10))


def test_closed_statuses_have_no_way_out() -> None:
    """Completed, withdrawn and declined are final; every open state may withdraw or decline."""
    for s in PlacementStatus:
        assert (s in OPEN_STATUSES) == bool(TRANSITIONS[s])
        assert (P.WITHDRAWN in TRANSITIONS[s]) == (s in OPEN_STATUSES)
    assert not placement_at(P.COMPLETED).is_open and placement_at(P.ARRIVED).is_open


def test_no_visa_path_goes_from_accepted_to_arrived() -> None:
    """A remote or national placement may skip the visa steps."""
    assert placement_at(P.ACCEPTED).can_move_to(P.ARRIVED)


def test_advance_refuses_a_timestamp_before_the_last_step() -> None:
    """Time never runs backwards in a history; equal timestamps are fine."""
    p = placement_at(P.OFFERED)
    with pytest.raises(TransitionError, match="before the last step"):
        p.advance(P.ACCEPTED, T0 - timedelta(seconds=1))
    assert p.advance(P.ACCEPTED, T0).status is P.ACCEPTED


def test_advance_refuses_a_naive_timestamp() -> None:
    """A timestamp without a time zone is refused at 'at'."""
    with pytest.raises(ModelValidationError) as info:
        placement_at(P.PROPOSED).advance(P.OFFERED, datetime(2020, 7, 1, 9))
    assert info.value.paths == ("at",)


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("status", "offered"),
        ("at", datetime(2020, 7, 1)),
        ("at", date(2020, 7, 1)),
        ("at", "2020-07-01T09:00:00+08:00"),
        ("note", None),
    ],
)
def test_status_change_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """Each bad field of a StatusChange is refused with its path; timestamps need a zone."""
    kwargs: dict[str, Any] = {"status": P.OFFERED, "at": T0, field: bad}
    assert_invalid(lambda: StatusChange(**kwargs), field)


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("candidate", ""),
        ("position", "p 0"),
        ("period", None),
        ("mode", "remote"),
        ("status", "proposed"),
        ("history", "offered"),
    ],
)
def test_placement_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """Each bad field of a Placement is refused with its path."""
    kwargs: dict[str, Any] = {
        "candidate": "c0",
        "position": "p0",
        "period": PERIOD,
        "mode": Mode.REMOTE,
        field: bad,
    }
    assert_invalid(lambda: Placement(**kwargs), field)


@pytest.mark.parametrize(
    ("history", "status", "path"),
    [
        ([StatusChange(P.ACCEPTED, T0)], P.ACCEPTED, "history[0].status"),
        (
            [StatusChange(P.OFFERED, T0), StatusChange(P.ARRIVED, T0)],
            P.ARRIVED,
            "history[1].status",
        ),
        (
            [StatusChange(P.OFFERED, T0), StatusChange(P.ACCEPTED, T0 - timedelta(minutes=1))],
            P.ACCEPTED,
            "history[1].at",
        ),
        ([StatusChange(P.OFFERED, T0)], P.PROPOSED, "status"),
        ([1], P.PROPOSED, "history[0]"),
    ],
)
def test_inconsistent_history_is_refused(
    history: list[Any], status: PlacementStatus, path: str, assert_invalid: Checker
) -> None:
    """Histories must start at proposed (or one step on), follow TRANSITIONS, not go back in
    time, and end at the current status."""
    assert_invalid(
        lambda: Placement("c0", "p0", PERIOD, Mode.ON_SITE, status, tuple(history)), path
    )


def test_history_ordering_compares_instants_across_zones() -> None:
    """09:00+08:00 and 01:30Z are 30 minutes apart, in order, although 01:30 < 09:00."""
    later = datetime(2020, 7, 1, 1, 30, tzinfo=timezone.utc)
    history = (StatusChange(P.OFFERED, T0), StatusChange(P.ACCEPTED, later))
    assert Placement("c0", "p0", PERIOD, Mode.ON_SITE, P.ACCEPTED, history).is_open


@given(
    walk=st.lists(st.integers(0, 8), max_size=12),
    gaps=st.lists(st.integers(0, 10_000), min_size=12, max_size=12),
    zones=st.lists(st.sampled_from(sst.TIMEZONES), min_size=12, max_size=12),
)
def test_any_random_walk_over_transitions_gives_a_valid_placement(
    walk: list[int], gaps: list[int], zones: list[timezone]
) -> None:
    """Advancing along any path of TRANSITIONS with non-decreasing aware times stays valid,
    and rebuilding the placement from its history gives an equal object."""
    p = Placement("c0", "p0", PERIOD, Mode.HYBRID)
    at = T0
    for i, choice in enumerate(walk):
        options = sorted(TRANSITIONS[p.status])
        if not options:
            break
        at = (at + timedelta(minutes=gaps[i])).astimezone(zones[i])
        p = p.advance(options[choice % len(options)], at)
    assert p.status is (p.history[-1].status if p.history else P.PROPOSED)
    rebuilt = Placement(p.candidate, p.position, p.period, p.mode, p.status, p.history)
    assert rebuilt == p
    assert all(a.at <= b.at for a, b in itertools.pairwise(p.history))


@given(p=sst.placements())
def test_generated_placements_follow_the_lifecycle(p: Placement) -> None:
    """The placements strategy yields valid walks with aware, non-decreasing timestamps."""
    steps = [h.status for h in p.history]
    assert all(b in TRANSITIONS[a] for a, b in itertools.pairwise(steps))
    assert all(h.at.utcoffset() is not None for h in p.history)
    assert all(a.at <= b.at for a, b in itertools.pairwise(p.history))
