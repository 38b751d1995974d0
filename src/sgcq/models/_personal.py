"""Marking personal fields so that reprs and logs can redact them (private)."""

from __future__ import annotations

from typing import Any

__all__ = ["PERSONAL", "redacted_repr"]

#: Key in an attrs field's metadata marking personal data.
PERSONAL = "sgcq.personal"


def redacted_repr(_value: Any) -> str:
    """Repr used for personal fields: never shows the value."""
    return "<redacted>"
