"""Strategies for placements and their lifecycle history (:mod:`sgcq.models.placements`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, timedelta

from hypothesis import strategies as st

from sgcq.models import TRANSITIONS, Mode, Placement, PlacementStatus, StatusChange
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE, TIMEZONES, date_ranges, timestamps
from sgcq.testing.strategies._draws import free_text, in_order
from sgcq.testing.strategies._knobs import cached, check_dates, require

__all__ = ["placements", "status_changes"]


@cached
def status_changes(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[StatusChange]:
    """Single status changes at an aware timestamp.

    Parameters
    ----------
    min_date, max_date
        Bounds of the timestamp's day.
    """
    return st.builds(
        StatusChange,
        st.sampled_from(list(PlacementStatus)),
        timestamps(min_date=min_date, max_date=max_date),
        free_text(),
    )


@cached
@st.composite
def _placements(
    draw: st.DrawFn,
    candidate_ids: tuple[str, ...],
    position_ids: tuple[str, ...],
    modes: tuple[Mode, ...],
    min_date: date,
    max_date: date,
    max_steps: int,
) -> Placement:
    period = draw(date_ranges(min_date=min_date, max_date=max_date))
    steps = draw(st.integers(0, max_steps))
    history: list[StatusChange] = []
    at = draw(timestamps(min_date=min_date, max_date=max_date))
    status = PlacementStatus.PROPOSED
    for i in range(steps):
        if i == 0 and draw(st.booleans()):
            nxt = PlacementStatus.PROPOSED
        else:
            allowed = in_order(PlacementStatus, TRANSITIONS[status])
            if not allowed:
                break
            nxt = draw(st.sampled_from(allowed))
        # Equal timestamps are allowed (non-decreasing); zones vary per step.
        at = (at + timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))).astimezone(
            draw(st.sampled_from(TIMEZONES))
        )
        history.append(StatusChange(nxt, at, draw(free_text(8))))
        status = nxt
    return Placement(
        candidate=draw(st.sampled_from(candidate_ids)),
        position=draw(st.sampled_from(position_ids)),
        period=period,
        mode=draw(st.sampled_from(modes)),
        status=status,
        history=tuple(history),
    )


@cached
def placements(
    *,
    candidate_ids: Sequence[str] = ("c0",),
    position_ids: Sequence[str] = ("p0",),
    modes: Collection[Mode] = tuple(Mode),
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    max_steps: int = 7,
) -> st.SearchStrategy[Placement]:
    """Placements with a valid lifecycle history: a random walk over the allowed transitions.

    The history starts at ``proposed`` (or one step later), every step is in
    :data:`~sgcq.models.TRANSITIONS`, timestamps are time-zone aware and never
    decrease, and ``status`` is the last step (``proposed`` with no history).

    Parameters
    ----------
    candidate_ids, position_ids
        Ids the placement may name.
    modes
        Modes to draw from.
    min_date, max_date
        Bounds of the period and of the first step's day; later steps follow
        within 30 days each, so they may fall after ``max_date``.
    max_steps
        Most steps in the history.

    Examples
    --------
    >>> from hypothesis import given
    >>> from sgcq.models import TRANSITIONS
    >>> @given(placements(max_steps=3))
    ... def test_walk(p):
    ...     steps = [h.status for h in p.history]
    ...     assert all(b in TRANSITIONS[a] for a, b in zip(steps, steps[1:]))
    >>> test_walk()
    """
    require(bool(candidate_ids), "give at least one candidate id")
    require(bool(position_ids), "give at least one position id")
    require(bool(modes), "give at least one mode")
    require(max_steps >= 0, f"max_steps must not be negative, got {max_steps}")
    check_dates(min_date, max_date, room=1)
    return _placements(
        tuple(candidate_ids),
        tuple(position_ids),
        in_order(Mode, modes),
        min_date,
        max_date,
        max_steps,
    )
