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
    "DaskNotInstalledError",
    "DocumentError",
    "FieldError",
    "MatchingError",
    "MissingExtraError",
    "ModelInvalidError",
    "ModelValidationError",
    "MultiCsvError",
    "ParameterError",
    "PlanningError",
    "RateNotFoundError",
    "RuleCaseMismatchError",
    "RuleConflictError",
    "SchemaVersionError",
    "ServiceRequestError",
    "SgcqError",
    "StartError",
    "TomlReadError",
    "TransitionError",
    "UnknownRuleError",
    "UnknownScenarioError",
    "UnsafeCaseError",
    "UnsupportedPathError",
    "UsageError",
    "VariationError",
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


class MultiCsvError(CsvError):
    """Several bad cells or rows, in one or more files, reported at once.

    It is a :class:`CsvError` whose ``file``, ``row``, ``column`` and
    ``message`` are those of the first problem; :attr:`errors` holds all of
    them, sorted by file (in the order read) and row.

    Parameters
    ----------
    errors
        Every problem found (at least one).
    more
        How many further problems were found and not kept.
    stopped
        Per file, the row after which reading stopped because the rest of
        the file could not be read (the rest of that file was not checked).
    shown
        How many problems ``str()`` lists.
    cut
        Per file, the row after which reading stopped because the file had
        reached its error limit (``fail_fast=True``), or ``None`` for a file
        that was not read at all because an earlier one had: the rest was
        not checked, so the number of problems is a lower bound and the
        message says "at least".

    Examples
    --------
    >>> e = MultiCsvError([CsvError("p.csv", 2, "seats", "must be positive, got 0"),
    ...                CsvError("p.csv", 4, "allowance_currency", "unknown currency 'RMB'")])
    >>> print(e)
    2 problems in p.csv:
      p.csv, row 2, column 'seats': must be positive, got 0
      p.csv, row 4, column 'allowance_currency': unknown currency 'RMB'
    >>> e.row, len(e.errors)
    (2, 2)
    """

    def __init__(
        self,
        errors: Iterable[CsvError],
        more: int = 0,
        stopped: dict[str, int] | None = None,
        shown: int = 20,
        cut: dict[str, int | None] | None = None,
    ) -> None:
        self.errors: tuple[CsvError, ...] = tuple(errors)
        if not self.errors:
            raise ValueError("MultiCsvError needs at least one error")
        self.more = more
        self.stopped = dict(stopped or {})
        self.shown = shown
        self.cut = dict(cut or {})
        first = self.errors[0]
        super().__init__(first.file, first.row, first.column, first.message)
        files = list(dict.fromkeys(e.file for e in self.errors))
        total = len(self.errors) + more
        where = files[0] if len(files) == 1 else f"{len(files)} files"
        least = "at least " if self.cut else ""
        self._head = f"{least}{total} problem{'s' if total != 1 else ''} in {where}"
        self._notes: list[str] = []
        for file, row in self.stopped.items():
            self._notes.append(f"{file}: reading stopped after row {row} (the rest cannot be read)")
        for file, at in self.cut.items():
            if at is None:
                self._notes.append(
                    f"{file}: not read (reading stopped at the error limit of an earlier file)"
                )
            else:
                self._notes.append(
                    f"{file}: reading stopped after row {at} at the error limit; "
                    "the rest of the file was not read"
                )
        lines = [f"{self._head}:"]
        lines += [f"  {e}" for e in self.errors[:shown]]
        hidden = total - min(shown, len(self.errors))
        if hidden:
            lines.append(f"  ... and {least}{hidden} more")
        lines += [f"  {note}" for note in self._notes]
        self.args = ("\n".join(lines),)

    def summary(self) -> str:
        """Return the message without the problems themselves: the count and how reading ended.

        For a caller that has already shown each problem as it was found
        (the ``on_error`` callback of the CSV readers).

        Returns
        -------
        str
            ``"3 problems in c.csv"`` (``"at least ..."`` when reading was cut
            short), then one line per file whose reading stopped early.

        Examples
        --------
        >>> e = MultiCsvError([CsvError("c.csv", 10, "id", "required value is empty")],
        ...                   cut={"c.csv": 10})
        >>> print(e.summary())
        at least 1 problem in c.csv
          c.csv: reading stopped after row 10 at the error limit; the rest of the file was not read
        """
        return "\n".join([self._head, *(f"  {note}" for note in self._notes)])

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (list(self.errors), self.more, self.stopped, self.shown, self.cut))


# --- rules --------------------------------------------------------------------------


class ParameterError(SgcqError, LookupError):
    """A parameter is unknown, not yet in force, repealed, or badly written.

    Raised with one message: what is wrong, naming the parameter (and the
    file, if any).
    """


class RuleConflictError(SgcqError, ValueError):
    """Two applicable exceptions of the same priority disagree.

    Raised with one message naming the rule, the priority and both exceptions
    with their outcomes.
    """


class UnknownRuleError(SgcqError, KeyError):
    """No rule or rule set has the id asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown rule"


class CaseError(SgcqError, ValueError):
    """A case file or a case cannot be read or run; the message names the file and case."""


class UnsafeCaseError(CaseError):
    """A case file names a file outside its allowed folders or a module not allowed.

    Raised when the file is read, before anything is imported or opened; the
    message names the file, the key and how to allow it.
    """


class MissingExtraError(SgcqError, ImportError):
    """An optional part of sgcq needs a package that is not installed.

    Parameters
    ----------
    feature
        What needs it (``"sgcq.testing.strategies"``).
    package
        The missing package (``"hypothesis"``).
    extra
        The extra that installs it (``"testing"``).
    """

    def __init__(self, feature: str, package: str, extra: str) -> None:
        self.feature, self.package, self.extra = feature, package, extra
        super().__init__(
            f"{feature} needs {package}, which is not installed; "
            f'install it with: pip install "sgcq[{extra}]"',
            name=package,
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.feature, self.package, self.extra))


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


class StartError(MatchingError, ValueError):
    """A starting solution given to :func:`sgcq.matching.solve` does not fit its problem.

    Parameters
    ----------
    path
        Where in the start, e.g. ``start[3].candidate``.
    message
        What is wrong, in plain words.

    Examples
    --------
    >>> print(StartError("start[0].candidate", "unknown candidate 'c9'"))
    start[0].candidate: unknown candidate 'c9'
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.message))


# --- planning -----------------------------------------------------------------------


class PlanningError(SgcqError):
    """A sweep or a capacity search cannot run as asked; the message says why."""


class VariationError(PlanningError, ValueError):
    """A variation does not fit the problem it is applied to; the message names the field.

    Parameters
    ----------
    path
        The variation's field, e.g. ``seats[0].position``.
    message
        What is wrong, in plain words.

    Examples
    --------
    >>> print(VariationError("withdrawn_hosts", "unknown host 'h9'"))
    withdrawn_hosts: unknown host 'h9'
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.message))


class DaskNotInstalledError(PlanningError, MissingExtraError):
    """Dask's ``distributed`` is needed and not installed; the message names the extra.

    Parameters
    ----------
    what
        What needs it.
    """

    def __init__(self, what: str = "running a sweep on Dask") -> None:
        self.what = what
        MissingExtraError.__init__(self, what, "distributed", "dask")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.what,))


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


# --- the command line ---------------------------------------------------------------


class UsageError(SgcqError):
    """A command was called in a way that cannot work (``sgcq`` exits with code 2).

    Examples
    --------
    >>> str(UsageError("result.csv: the result file must end in .json or .toml"))
    'result.csv: the result file must end in .json or .toml'
    """


# --- the HTTP service -----------------------------------------------------------------


class ServiceRequestError(SgcqError):
    """The HTTP service refuses a request; it answers with ``status`` and the errors.

    Parameters
    ----------
    status
        The HTTP status: 413, 422, 503, ...
    errors
        What is wrong, each with the path to the bad value in the body.
    headers
        Extra response headers (``Retry-After`` for 503).
    """

    def __init__(
        self, status: int, errors: list[FieldError], headers: dict[str, str] | None = None
    ) -> None:
        self.status = status
        self.errors = list(errors)
        self.headers = dict(headers or {})
        super().__init__(status, self.errors, self.headers)

    def __str__(self) -> str:
        return f"{self.status}: " + "; ".join(str(e) for e in self.errors)
