"""Every error sgcq raises on purpose, in one place.

All derive from :class:`SgcqError`. The model-level errors are defined in
:mod:`sgcq.models.errors` (the bottom layer) and re-exported here with the
errors of reading files, evaluating rules and matching.
"""

from __future__ import annotations

from sgcq.models.errors import (
    CurrencyMismatchError,
    FieldError,
    ModelValidationError,
    RateNotFoundError,
    SgcqError,
    TransitionError,
)

__all__ = [
    "CsvError",
    "CurrencyMismatchError",
    "DocumentError",
    "FieldError",
    "ModelValidationError",
    "RateNotFoundError",
    "SchemaVersionError",
    "SgcqError",
    "TransitionError",
]


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
