"""Small drawing helpers shared by the strategy modules.

Each one is chosen for how it shrinks: optional values shrink to absent,
enum members to the first declared, subsets to the empty set.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from enum import Enum
from typing import TypeVar

from hypothesis import strategies as st

__all__ = ["free_text", "in_order", "maybe", "subset"]

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


def maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    """Draw ``None`` or a value of ``strategy``."""
    # None first, so that optional values shrink to absent.
    return st.none() | strategy


def in_order(enum: type[E], members: Collection[E]) -> tuple[E, ...]:
    """Return the ``members`` of ``enum`` in declaration order."""
    # Declaration order, so that values shrink to the first, most ordinary
    # member (ON_SITE before HYBRID, OFFERED before DECLINED).
    return tuple(m for m in enum if m in members)


def subset(items: Sequence[T]) -> st.SearchStrategy[frozenset[T]]:
    """Draw subsets of ``items`` (the empty set if there are none)."""
    if not items:
        return st.just(frozenset())
    return st.frozensets(st.sampled_from(items), max_size=len(items))


def free_text(max_size: int = 12) -> st.SearchStrategy[str]:
    """Draw any Unicode text of at most ``max_size`` characters, blank included."""
    return st.text(st.characters(codec="utf-8"), max_size=max_size)
