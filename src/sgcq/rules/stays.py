"""Which stay an option means: the longest one that fits every bound.

A match option is a candidate, a position and a start date. Its stay runs from
the start to the earliest of: the end of the longest duration the position,
the candidate and the programme each allow, and the end of the candidate's
availability. An open-ended job (``Position.open_ended``) sets no longest
duration. If that is shorter than the longest of their minimum durations,
no stay fits and the option does not exist. See
``docs/decisions/0006-option-stays.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sgcq.models import Candidate, DateRange, DurationBounds, Position, Programme, add_months

__all__ = ["shorter_stays", "stay_for"]


def _bounds(
    candidate: Candidate, position: Position, programme: Programme | None
) -> list[DurationBounds]:
    bounds: list[DurationBounds] = [position.duration, candidate.duration]
    if programme is not None and programme.duration is not None:
        bounds.append(programme.duration)
    return bounds


def _capping(bounds: list[DurationBounds], position: Position) -> list[DurationBounds]:
    # An open-ended job's maximum does not end the stay (its first bound).
    return bounds[1:] if position.open_ended else bounds


def stay_for(
    candidate: Candidate,
    position: Position,
    start: date,
    programme: Programme | None = None,
) -> DateRange | None:
    """Return the stay of ``candidate`` in ``position`` from ``start``, or ``None``.

    Parameters
    ----------
    candidate, position
        The two sides of the option.
    start
        The first day of the stay.
    programme
        The programme whose duration bounds also apply, if any.

    Returns
    -------
    DateRange or None
        ``[start, end)`` with the latest ``end`` every maximum and the
        candidate's availability allow, or ``None`` when that end is before
        some minimum (or ``start`` is outside the availability).
    """
    if start not in candidate.available:
        return None
    bounds = _bounds(candidate, position, programme)
    end = min(
        [b.maximum.end_from(start) for b in _capping(bounds, position)] + [candidate.available.end]
    )
    earliest = max(b.minimum.end_from(start) for b in bounds)
    if end < earliest or end <= start:
        return None
    return DateRange(start, end)


def shorter_stays(
    candidate: Candidate,
    position: Position,
    start: date,
    programme: Programme | None = None,
) -> Iterator[DateRange]:
    """Yield the stays shorter than :func:`stay_for`'s by whole months, longest first.

    A rule may refuse the longest stay for its length alone (the Chongqing S2
    route allows 180 days; six months are 181 to 184). The matcher then tries
    these, which still fit every bound, and keeps the first the rules accept
    (``docs/decisions/0006-option-stays.md``).

    Parameters
    ----------
    candidate, position, start, programme
        As for :func:`stay_for`.

    Yields
    ------
    DateRange
        ``[start, start + k months)`` for ``k`` from the longest whole number
        of months shorter than the longest stay down to the shortest that
        meets every minimum.
    """
    longest = stay_for(candidate, position, start, programme)
    if longest is None:
        return
    bounds = _bounds(candidate, position, programme)
    earliest = max(b.minimum.end_from(start) for b in bounds)
    months = 0
    while add_months(start, months + 1) < longest.end:
        months += 1
    while months >= 1:
        end = add_months(start, months)
        if end < earliest:
            return
        yield DateRange(start, end)
        months -= 1
