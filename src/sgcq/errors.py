"""Every error sgcq raises on purpose, in one place.

All derive from :class:`SgcqError`, except :class:`RuleCaseMismatchError`: it is
the pytest plugin's "this rule case failed" signal, a plain
:class:`AssertionError` like any failed test. The model-level errors are
defined in :mod:`sgcq.models.errors` (the bottom layer) and re-exported here;
the errors of reading files, evaluating rules, loading scenarios, matching and
checking are defined here.

This module imports nothing of sgcq but :mod:`sgcq.models.errors`, so every
layer may import it. The modules that raise these errors re-export the ones
they raise (``sgcq.rules.UnknownRuleError`` and ``sgcq.errors.UnknownRuleError``
are the same class).
"""

from __future__ import annotations

from collections.abc import Iterable

from sgcq.models.errors import (
    CurrencyMismatchError,
    FieldError,
    ModelValidationError,
    RateNotFoundError,
    SgcqError,
    TransitionError,
)

__all__ = [
    "CaseError",
    "CheckError",
    "CsvError",
    "CurrencyMismatchError",
    "DocumentError",
    "FieldError",
    "MatchingError",
    "ModelInvalidError",
    "ModelValidationError",
    "ParameterError",
    "RateNotFoundError",
    "RuleCaseMismatchError",
    "RuleConflictError",
    "SchemaVersionError",
    "SgcqError",
    "TomlReadError",
    "TransitionError",
    "UnknownRuleError",
    "UnknownScenarioError",
    "UnsupportedPathError",
    "UsageError",
]


# --- reading files ------------------------------------------------------------------


class DocumentError(ModelValidationError):
    """A JSON or TOML document (or a file) could not be read into a model.

    Parameters
    ----------
    errors
        Every problem found, each with the path to the bad value.
    source
        The file name, or ``"<string>"``.

    Examples
    --------
    >>> err = DocumentError([FieldError("positions[3].seats", "must be positive, got -1")],
    ...                     source="scenario.toml")
    >>> print(err)
    scenario.toml: positions[3].seats: must be positive, got -1
    """

    def __init__(self, errors: list[FieldError], source: str = "<string>") -> None:
        self.source = source
        super().__init__(errors)

    def _render(self) -> str:
        return f"{self.source}: {super()._render()}"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (list(self.errors), self.source))


class SchemaVersionError(DocumentError):
    """A document has no ``schema_version``, or one this version of sgcq cannot read."""


class CsvError(SgcqError, ValueError):
    """A CSV file has a bad cell, row or header.

    Parameters
    ----------
    file
        The file name.
    row
        The 1-based line number in the file (the header is line 1), or ``None``
        for problems with the file as a whole.
    column
        The column's header name, or ``None``.
    message
        What is wrong.
    """

    def __init__(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.file, self.row, self.column, self.message))


# --- rules --------------------------------------------------------------------------


class ParameterError(SgcqError, LookupError):
    """A parameter is unknown, not yet in force, repealed, or badly written.

    Parameters
    ----------
    message
        What is wrong, naming the parameter (and the file, if any).
    """


class RuleConflictError(SgcqError, ValueError):
    """Two applicable exceptions of the same priority disagree.

    Parameters
    ----------
    message
        Names the rule, the priority and both exceptions with their outcomes.
    """


class UnknownRuleError(SgcqError, KeyError):
    """No rule or rule set has the id asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown rule"


class CaseError(SgcqError, ValueError):
    """A case file or a case cannot be read or run; the message names the file and case."""


# --- scenarios ----------------------------------------------------------------------


class UnknownScenarioError(SgcqError, KeyError):
    """No bundled scenario has the name asked for.

    Parameters
    ----------
    name
        The name asked for.
    known
        The names of the bundled scenarios.
    """

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name = name
        self.known = known
        super().__init__(name)

    def __str__(self) -> str:
        return f"no bundled scenario {self.name!r}; known: {', '.join(self.known) or 'none'}"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.name, self.known))


# --- matching -----------------------------------------------------------------------


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


# --- the command line ---------------------------------------------------------------


class UsageError(SgcqError):
    """A command of ``sgcq`` was called in a way that cannot work (exit code 2)."""


# --- testing ------------------------------------------------------------------------


class CheckError(SgcqError, AssertionError):
    """A check found a violation; the message names it and its numbers.

    Parameters
    ----------
    violations
        One line per violation.
    """

    def __init__(self, violations: Iterable[str]) -> None:
        self.violations: tuple[str, ...] = tuple(violations)
        if len(self.violations) == 1:
            text = self.violations[0]
        else:
            text = f"{len(self.violations)} violations:\n" + "\n".join(
                f"  - {v}" for v in self.violations
            )
        super().__init__(text)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.violations,))


class RuleCaseMismatchError(AssertionError):
    """A rule case's verdict differed from what it expects; the message says how."""


class TomlReadError(SgcqError):
    """A TOML file or text could not be read.

    Parameters
    ----------
    source
        The file (or other source) named in the message.
    message
        What is wrong, without the source.
    line, column
        Where, when known (1-based).
    """

    def __init__(
        self, source: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.source = source
        self.message = message
        self.line = line
        self.column = column
        super().__init__(source, message, line, column)

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"
