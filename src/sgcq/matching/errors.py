"""The errors the matching layer raises on purpose (all are :class:`~sgcq.errors.SgcqError`).

They are defined in :mod:`sgcq.errors` and re-exported here (the same classes).
"""

from __future__ import annotations

from sgcq.errors import MatchingError, ModelInvalidError, StartError, UnsupportedPathError

__all__ = ["MatchingError", "ModelInvalidError", "StartError", "UnsupportedPathError"]
