"""The exception hierarchy of sgcq.

Every error the library raises on purpose derives from :class:`SgcqError`, so an
application can catch one class. The hierarchy lives here, in ``sgcq.models``,
because the models are the bottom layer and may import nothing else of ours;
:mod:`sgcq.errors` re-exports it together with the errors of the upper layers.
"""

from __future__ import annotations

__all__ = [
    "CurrencyMismatchError",
    "FieldError",
    "ModelValidationError",
    "RateNotFoundError",
    "SgcqError",
    "TransitionError",
    "join_path",
]


class SgcqError(Exception):
    """Root of every error raised by sgcq on purpose."""


class ModelValidationError(SgcqError, ValueError):
    """One or more values of a model are invalid.

    Parameters
    ----------
    errors
        The individual problems, each naming the path to the bad value.

    Notes
    -----
    ``str(error)`` lists every problem on its own line as ``path: message``.
    """

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__(self._render())

    def _render(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        lines = [f"{len(self.errors)} invalid values:"]
        lines.extend(f"  - {e}" for e in self.errors)
        return "\n".join(lines)

    def prefixed(self, prefix: str) -> ModelValidationError:
        """Return the same error with ``prefix`` put before every path.

        Parameters
        ----------
        prefix
            A path such as ``candidates[3]``.

        Returns
        -------
        ModelValidationError
            A new error; this one is unchanged.
        """
        return ModelValidationError([e.prefixed(prefix) for e in self.errors])

    @property
    def paths(self) -> tuple[str, ...]:
        """The paths of the bad values, in the order found."""
        return tuple(e.path for e in self.errors)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (list(self.errors),))


class FieldError(SgcqError, ValueError):
    """A single invalid value, with the path that leads to it.

    Parameters
    ----------
    path
        Dotted path to the value, e.g. ``candidates[12].available.start``.
    message
        What is wrong, in plain words.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)

    def prefixed(self, prefix: str) -> FieldError:
        """Return the same error with ``prefix`` put before its path."""
        return FieldError(join_path(prefix, self.path), self.message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.message))


class CurrencyMismatchError(SgcqError, ValueError):
    """Arithmetic or comparison was attempted between two currencies."""


class RateNotFoundError(SgcqError, LookupError):
    """No exchange rate in the table applies to a conversion on that date."""


class TransitionError(SgcqError, ValueError):
    """A placement status change that the lifecycle does not allow."""


def join_path(prefix: str, path: str) -> str:
    """Join two path parts, ``a`` + ``b`` -> ``a.b`` and ``a`` + ``[1]`` -> ``a[1]``.

    Parameters
    ----------
    prefix, path
        The parts; either may be empty.

    Returns
    -------
    str
        The joined path.

    Examples
    --------
    >>> join_path("candidates[2]", "available.start")
    'candidates[2].available.start'
    >>> join_path("candidates", "[2]")
    'candidates[2]'
    """
    if not prefix:
        return path
    if not path:
        return prefix
    if path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"
