"""Strategies for positions, their start rules and allowances (:mod:`sgcq.models.positions`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from sgcq.models import Allowance, Mode, Position, StartDates, StartRule, StartWindow
from sgcq.testing.strategies._candidates import FIELD_TAGS, LANGUAGE_TAGS, SKILL_TAGS
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE, date_ranges, duration_bounds
from sgcq.testing.strategies._draws import in_order, maybe, subset
from sgcq.testing.strategies._knobs import (
    cached,
    check_currencies,
    check_dates,
    check_size,
    require,
)
from sgcq.testing.strategies._modes import hybrid_splits
from sgcq.testing.strategies._money import CURRENCIES, money
from sgcq.testing.strategies._parties import locations
from sgcq.testing.strategies._preferences import rankings
from sgcq.testing.strategies._text import identifiers, names

__all__ = ["allowances", "positions", "start_dates", "start_rules", "start_windows"]


@cached
def allowances(
    *,
    payer_ids: Sequence[str] = ("h0",),
    currencies: Sequence[str] = CURRENCIES,
    max_amount: Decimal | int | str = 10_000,
) -> st.SearchStrategy[Allowance]:
    """Monthly allowances (never negative) paid by one of ``payer_ids``.

    Parameters
    ----------
    payer_ids
        Organisations that may pay.
    currencies
        Currencies of the amount.
    max_amount
        Largest monthly amount.
    """
    require(bool(payer_ids), "give at least one payer id")
    return st.builds(
        Allowance,
        money(currencies=currencies, min_amount=0, max_amount=max_amount),
        st.sampled_from(tuple(payer_ids)),
    )


@cached
def start_dates(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, max_size: int = 3
) -> st.SearchStrategy[StartDates]:
    """Start-date rules with 1 to ``max_size`` distinct dates.

    Parameters
    ----------
    min_date, max_date
        Bounds of the dates.
    max_size
        Most dates listed.
    """
    check_dates(min_date, max_date)
    check_size("size", 1, max_size)
    return st.builds(
        StartDates,
        st.lists(st.dates(min_date, max_date), min_size=1, max_size=max_size, unique=True),
    )


@cached
def start_windows(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[StartWindow]:
    """Start windows within the bounds, starting every day or on the first of each month.

    Parameters
    ----------
    min_date, max_date
        Bounds of the window.
    """
    return st.builds(
        StartWindow,
        date_ranges(min_date=min_date, max_date=max_date),
        st.booleans(),
    )


@cached
def start_rules(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[StartRule]:
    """Either kind of start rule (:class:`StartDates` or :class:`StartWindow`).

    Parameters
    ----------
    min_date, max_date
        Bounds of the dates.
    """
    return st.one_of(
        start_dates(min_date=min_date, max_date=max_date),
        start_windows(min_date=min_date, max_date=max_date),
    )


@cached
@st.composite
def _positions(
    draw: st.DrawFn,
    id: str | None,
    host_ids: tuple[str, ...],
    candidate_ids: tuple[str, ...],
    programme_ids: tuple[str, ...],
    payer_ids: tuple[str, ...],
    modes: tuple[Mode, ...],
    currencies: tuple[str, ...],
    max_seats: int,
    min_date: date,
    max_date: date,
    max_ties: int,
) -> Position:
    mode = draw(st.sampled_from(modes))
    prefs = draw(maybe(rankings(candidate_ids, max_ties=max_ties))) if candidate_ids else None
    return Position(
        id=draw(identifiers("p")) if id is None else id,
        host=draw(st.sampled_from(host_ids)),
        title=draw(names()),
        fields=draw(st.frozensets(st.sampled_from(FIELD_TAGS), max_size=3)),
        seats=draw(st.integers(1, max_seats)),
        mode=mode,
        location=draw(locations()),
        starts=draw(start_rules(min_date=min_date, max_date=max_date)),
        duration=draw(duration_bounds(max_value=6)),
        hours_per_week=draw(st.decimals(1, 84, places=1)),
        hybrid=draw(hybrid_splits()) if mode is Mode.HYBRID else None,
        allowance=draw(maybe(allowances(payer_ids=payer_ids, currencies=currencies))),
        housing_cover=draw(st.booleans()) if mode is not Mode.REMOTE else False,
        candidate_preferences=prefs,
        required_skills=draw(subset(SKILL_TAGS)),
        languages=draw(subset(LANGUAGE_TAGS)),
        programme=draw(maybe(st.sampled_from(programme_ids))) if programme_ids else None,
    )


@cached
def positions(
    *,
    id: str | None = None,
    host_ids: Sequence[str] = ("h0",),
    candidate_ids: Sequence[str] = (),
    programme_ids: Sequence[str] = (),
    payer_ids: Sequence[str] | None = None,
    modes: Collection[Mode] = tuple(Mode),
    currencies: Sequence[str] = CURRENCIES,
    max_seats: int = 5,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    max_ties: int = 3,
) -> st.SearchStrategy[Position]:
    """Positions whose references point only at the given ids.

    A hybrid position always has a split and no other has one; a remote
    position never has housing cover.

    Parameters
    ----------
    id
        A fixed id; ``None`` draws ``"p0"``..``"p9"``.
    host_ids
        Host companies that may offer it.
    candidate_ids
        Candidates the host may rank; none means the host does not rank.
    programme_ids
        Programmes it may belong to; it may also belong to none.
    payer_ids
        Who may pay the allowance; ``None`` means the hosts.
    modes
        Modes to draw from.
    currencies
        Currencies of the allowance.
    max_seats
        Most seats.
    min_date, max_date
        Bounds of the start rule's dates.
    max_ties
        The most candidates that share a rank.

    Examples
    --------
    >>> from hypothesis import given
    >>> from sgcq.models import Mode
    >>> @given(positions(modes={Mode.HYBRID}))
    ... def test_hybrid_has_split(p):
    ...     assert p.hybrid is not None
    >>> test_hybrid_has_split()
    """
    require(bool(host_ids), "give at least one host id")
    require(bool(modes), "give at least one mode")
    require(max_seats >= 1, f"max_seats must be at least 1, got {max_seats}")
    check_dates(min_date, max_date, room=1)
    payers = tuple(host_ids if payer_ids is None else payer_ids)
    require(bool(payers), "give at least one payer id")
    return _positions(
        id,
        tuple(host_ids),
        tuple(dict.fromkeys(candidate_ids)),
        tuple(programme_ids),
        payers,
        in_order(Mode, modes),
        check_currencies(currencies),
        max_seats,
        min_date,
        max_date,
        max_ties,
    )
