"""Strategies for identifiers and display names, the text every model is built from.

Ids are short and numbered (``"c0"``, ``"p7"``) so that a failing example
shrinks to something small and readable.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

from sgcq.testing.strategies._knobs import cached, require

__all__ = ["identifiers", "names"]


@cached
def identifiers(prefix: str = "x", max_index: int = 9) -> st.SearchStrategy[str]:
    """Short valid identifiers ``prefix + number``, e.g. ``"x0"``, ``"x7"``.

    Parameters
    ----------
    prefix
        Letters the id starts with.
    max_index
        The largest number appended.
    """
    require(
        re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:/@+-]*", prefix) is not None,
        f"prefix must start an identifier (ASCII letter or digit first): {prefix!r}",
    )
    require(max_index >= 0, f"max_index must not be negative, got {max_index}")
    return st.builds(lambda n: f"{prefix}{n}", st.integers(0, max_index))


@cached
def names(max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-blank display names of any Unicode text (no surrogates).

    Parameters
    ----------
    max_size
        Longest name drawn.
    """
    require(max_size >= 1, f"max_size must be at least 1, got {max_size}")
    return st.text(st.characters(codec="utf-8"), min_size=1, max_size=max_size).filter(
        lambda s: bool(s.strip())
    )
