"""The errors the matching layer raises on purpose (all are :class:`~sgcq.errors.SgcqError`)."""

from __future__ import annotations

from sgcq.models.errors import SgcqError

__all__ = ["MatchingError", "ModelInvalidError", "UnsupportedPathError"]


class MatchingError(SgcqError):
    """A problem cannot be built or solved as asked; the message says why."""


class ModelInvalidError(MatchingError):
    """CP-SAT found the model it was given invalid.

    Parameters
    ----------
    validation
        CP-SAT's own validation text.
    """

    def __init__(self, validation: str) -> None:
        self.validation = validation
        super().__init__(f"CP-SAT rejected the model as invalid: {validation}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.validation,))


class UnsupportedPathError(MatchingError):
    """A solve path was forced on a problem it cannot solve exactly; the message says why."""
