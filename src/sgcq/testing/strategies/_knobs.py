"""Knob checks and the strategy cache shared by the strategy modules.

A knob that cannot be satisfied raises :class:`hypothesis.errors.InvalidArgument`
when the strategy is built (not when it is drawn from), naming the knob and
its value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date
from typing import ParamSpec, TypeVar

from hypothesis.errors import InvalidArgument

from sgcq.models import CURRENCY_MINOR_UNITS

__all__ = ["cached", "check_currencies", "check_dates", "check_size", "require"]

P = ParamSpec("P")
R = TypeVar("R")


def cached(factory: Callable[P, R]) -> Callable[P, R]:
    """Return ``factory`` memoised on its (hashable) arguments."""
    # Building a strategy is cheap but Hypothesis validates each new strategy
    # object on first draw, which dominated the cost of nested strategies such
    # as scenarios(). Strategies are immutable, so one object per set of
    # (hashable) knobs is reused; unhashable knobs (lists) skip the cache.
    memo: Callable[..., R] = functools.lru_cache(maxsize=4096, typed=True)(factory)

    @functools.wraps(factory)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            hash((args, tuple(kwargs.items())))
        except TypeError:
            return factory(*args, **kwargs)
        return memo(*args, **kwargs)

    return wrapper


def require(condition: bool, message: str) -> None:
    """Raise :class:`~hypothesis.errors.InvalidArgument` with ``message`` unless ``condition``."""
    if not condition:
        raise InvalidArgument(message)


def check_dates(min_date: date, max_date: date, *, room: int = 0) -> None:
    """Require ``max_date`` to be at least ``room`` days after ``min_date``."""
    require(
        (max_date - min_date).days >= room,
        f"max_date {max_date} must be at least {room} day(s) after min_date {min_date}",
    )


def check_currencies(currencies: Sequence[str], *, at_least: int = 1) -> tuple[str, ...]:
    """Return ``currencies`` as a tuple: at least ``at_least`` known, distinct codes."""
    result = tuple(currencies)
    require(len(result) >= at_least, f"give at least {at_least} currency(ies), got {result}")
    unknown = [c for c in result if c not in CURRENCY_MINOR_UNITS]
    require(not unknown, f"unknown currencies {unknown}")
    require(len(set(result)) == len(result), f"currencies repeat: {result}")
    return result


def check_size(name: str, low: int, high: int | None) -> None:
    """Require ``0 <= low <= high`` for the size knobs ``min_<name>``, ``max_<name>``."""
    require(low >= 0, f"min_{name} must not be negative, got {low}")
    require(high is None or high >= low, f"max_{name} {high} is below min_{name} {low}")
