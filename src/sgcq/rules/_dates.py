"""Cached date arithmetic for rules evaluated many times (private).

``relativedelta`` month arithmetic costs microseconds a call; an evaluation
of every option of a scenario asks the same few (start, length) questions
thousands of times, so the answers are memoized. The results are exactly
those of :func:`sgcq.models.add_months` and :meth:`DurationBounds.admits`.
"""

from __future__ import annotations

import functools
from datetime import date

from sgcq.models import DateRange, Duration, DurationBounds, add_months

__all__ = ["admits", "end_from", "plus_months"]


@functools.lru_cache(maxsize=65536)
def plus_months(start: date, months: int) -> date:
    """Return :func:`~sgcq.models.add_months` ``(start, months)``, memoized."""
    return add_months(start, months)


@functools.lru_cache(maxsize=65536)
def end_from(duration: Duration, start: date) -> date:
    """Return ``duration.end_from(start)``, memoized."""
    return duration.end_from(start)


def admits(bounds: DurationBounds, stay: DateRange) -> bool:
    """Return ``bounds.admits(stay)`` using the memoized ends."""
    return end_from(bounds.minimum, stay.start) <= stay.end <= end_from(bounds.maximum, stay.start)
