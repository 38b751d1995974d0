"""Rows of a table from a CSV file, an XLSX sheet, a file object or a DataFrame (private).

Rows are streamed: one row is read, checked and handed on at a time, so a
bad row is found as soon as it is read and memory does not grow with the
file. Errors are collected up to a cap per file (:class:`Collector`).
"""

from __future__ import annotations

import csv
import difflib
import importlib
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, Any, TypeVar

from sgcq.errors import CsvError, MissingExtraError, ModelValidationError, MultiCsvError

__all__ = [
    "DEFAULT_MAX_ERRORS",
    "Collector",
    "CsvRow",
    "ErrorCallback",
    "Source",
    "did_you_mean",
    "open_table",
    "shown",
]

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

#: Errors kept per file before reading stops.
DEFAULT_MAX_ERRORS = 100

#: What a reader accepts: a path (``.csv`` or ``.xlsx``), an open text or
#: binary file, or a pandas DataFrame (anything with ``columns`` and
#: ``itertuples``).
Source = str | os.PathLike[str] | IO[str] | IO[bytes] | Any

CSV_LIST_SEPARATOR = ";"

_DURATION_CELL = re.compile(r"^\s*(\d+)\s*(day|days|week|weeks|month|months)\s*$", re.IGNORECASE)
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


def shown(value: str, limit: int = 60) -> str:
    """Return ``repr(value)``, cut to about ``limit`` characters (messages stay bounded)."""
    if len(value) <= limit:
        return repr(value)
    return repr(value[:limit]) + f"... ({len(value)} characters)"


#: Columns holding personal data of a candidate: their cells are never echoed
#: in messages (the message names the column and the rule, not the value).
PERSONAL_COLUMNS = frozenset({"date_of_birth", "name", "nationalities"})


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest of ``known``, or ``""``."""
    if len(value) > 100:
        return ""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _RowProblemsError(Exception):
    """Several problems of one row (internal)."""

    def __init__(self, errors: list[CsvError]) -> None:
        super().__init__(errors)
        self.errors = errors


def iso_date(value: str) -> date:
    """Parse ``YYYY-MM-DD`` strictly."""
    if len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


def finite_decimal(value: str) -> Decimal:
    """Parse a finite decimal number."""
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(value)
    return result


class CsvRow:
    """One data row with typed accessors that raise :class:`CsvError` naming the cell."""

    __slots__ = ("cells", "file", "line")

    def __init__(self, file: str, line: int, cells: dict[str, str]) -> None:
        self.file = file
        self.line = line
        self.cells = cells

    def error(self, column: str | None, message: str) -> CsvError:
        return CsvError(self.file, self.line, column, message)

    def check(self, checks: Iterable[tuple[str, Callable[[CsvRow, str], object]]]) -> None:
        """Run every cell check; raise all their errors together (one row, several cells)."""
        errors: list[CsvError] = []
        for column, check in checks:
            try:
                check(self, column)
            except CsvError as exc:
                errors.append(exc)
        if errors:
            raise _RowProblemsError(errors)

    def raw(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def required(self, column: str) -> str:
        value = self.raw(column)
        if not value:
            raise self.error(column, "required value is empty")
        return value

    def optional(self, column: str) -> str | None:
        return self.raw(column) or None

    def shown(self, column: str, value: str, limit: int = 60) -> str:
        """Return ``value`` for a message, or ``"the value"`` in a personal column."""
        if column in PERSONAL_COLUMNS:
            return "the value"
        return shown(value, limit)

    def items(self, column: str) -> tuple[str, ...]:
        value = self.raw(column)
        if not value:
            return ()
        parts = tuple(p.strip() for p in value.split(CSV_LIST_SEPARATOR))
        if not all(parts):
            raise self.error(
                column,
                f"empty item in the list {self.shown(column, value)} (items are separated by ';')",
            )
        return parts

    def parsed(self, column: str, value: str, parse: Callable[[str], T], what: str) -> T:
        try:
            return parse(value)
        except (ValueError, ArithmeticError):
            raise self.error(column, f"{self.shown(column, value)} is not {what}") from None

    def day(self, column: str) -> date:
        return self.parsed(column, self.required(column), iso_date, "a date in the form YYYY-MM-DD")

    def opt_day(self, column: str) -> date | None:
        value = self.optional(column)
        return None if value is None else self.day(column)

    def days(self, column: str) -> tuple[date, ...]:
        return tuple(
            self.parsed(column, item, iso_date, "a date in the form YYYY-MM-DD")
            for item in self.items(column)
        )

    def integer(self, column: str) -> int:
        value = self.required(column)
        if len(value) > 18:
            raise self.error(
                column, f"{self.shown(column, value, 20)} is too long for a whole number"
            )
        return self.parsed(column, value, int, "a whole number")

    def opt_integer(self, column: str) -> int | None:
        value = self.optional(column)
        return None if value is None else self.integer(column)

    def decimal(self, column: str) -> Decimal:
        return self.parsed(column, self.required(column), finite_decimal, "a finite decimal number")

    def opt_decimal(self, column: str) -> Decimal | None:
        value = self.optional(column)
        return None if value is None else self.decimal(column)

    def boolean(self, column: str, default: bool = False) -> bool:
        value = self.raw(column).lower()
        if not value:
            return default
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise self.error(column, f"{self.shown(column, self.raw(column))} is not true or false")

    def duration_parts(self, column: str) -> tuple[int, str]:
        value = self.required(column)
        m = _DURATION_CELL.match(value)
        if m is None:
            raise self.error(
                column,
                f"{self.shown(column, value)} is not a duration like "
                "'3 months', '5 weeks' or '90 days'",
            )
        unit = m.group(2).lower()
        return int(m.group(1)), unit if unit.endswith("s") else unit + "s"

    def enum(self, column: str, cls: type[E]) -> E:
        return self._member(column, self.required(column), cls)

    def enums(self, column: str, cls: type[E]) -> tuple[E, ...]:
        return tuple(self._member(column, value, cls) for value in self.items(column))

    def _member(self, column: str, value: str, cls: type[E]) -> E:
        try:
            return cls(value)
        except ValueError:
            values = [str(m.value) for m in cls]
            allowed = ", ".join(repr(v) for v in values)
            raise self.error(
                column,
                f"{self.shown(column, value)} is not one of {allowed}"
                + ("" if column in PERSONAL_COLUMNS else did_you_mean(value, values)),
            ) from None

    def build(self, make: Callable[[], T], columns: Mapping[str, str]) -> T:
        """Call ``make``; map each of a ModelValidationError's fields back to its column."""
        try:
            return make()
        except ModelValidationError as exc:
            errors = []
            for err in exc.errors:
                field = re.split(r"[.\[]", err.path, maxsplit=1)[0]
                column = columns.get(field, field if field in self.cells else None)
                if column is None:
                    column = next(iter(columns.values()), None)
                errors.append(self.error(column, err.message))
            raise _RowProblemsError(errors) from None


#: What the readers' ``on_error`` takes: called with each problem the moment it is found.
ErrorCallback = Callable[[CsvError], None]


class Collector:
    """Collects a file's errors, up to ``max_errors``; raises them all at the end.

    Errors past the cap are counted, not kept, so that reading goes on in
    bounded memory and the message can say exactly how many more there are.
    Every error, kept or counted, is handed to ``on_error`` as soon as it is
    found. With ``fail_fast``, reading a file stops once it has reached the
    cap (the open rows iterator ends, see :func:`open_table`), and the files
    after it are not read.

    Parameters
    ----------
    max_errors
        How many errors to keep per file; further ones are only counted.
    on_error
        Called with each error as it is found (an exception it raises stops
        the reading and propagates).
    fail_fast
        Stop reading at the cap instead of reading on to count the rest.
    """

    def __init__(
        self,
        max_errors: int = DEFAULT_MAX_ERRORS,
        *,
        on_error: ErrorCallback | None = None,
        fail_fast: bool = False,
    ) -> None:
        if isinstance(max_errors, bool) or not isinstance(max_errors, int) or max_errors < 1:
            raise ValueError(f"max_errors must be a whole number of at least 1, got {max_errors!r}")
        if on_error is not None and not callable(on_error):
            raise TypeError(f"on_error must be callable, got {type(on_error).__name__}")
        self.max_errors = max_errors
        self.on_error = on_error
        self.fail_fast = fail_fast
        self.errors: list[CsvError] = []
        self.stopped: dict[str, int] = {}
        #: Files whose reading stopped at the cap (fail fast): the row after
        #: which it stopped, or None for a file not read at all.
        self.cut: dict[str, int | None] = {}
        self.more = 0
        self._per_file: dict[str, int] = {}

    def add(self, error: CsvError) -> None:
        if isinstance(error, MultiCsvError):
            for e in error.errors:
                self.add(e)
            self.stopped.update(error.stopped)
            self.cut.update(error.cut)
            self.more += error.more
            return
        if self.full(error.file):
            self.more += 1
        else:
            self.errors.append(error)
            self._per_file[error.file] = self._per_file.get(error.file, 0) + 1
        if self.on_error is not None:
            self.on_error(error)

    def full(self, file: str) -> bool:
        """Whether ``file`` has reached the cap."""
        return self._per_file.get(file, 0) >= self.max_errors

    def done(self, file: str) -> bool:
        """Whether reading ``file`` should stop now (fail fast, and the cap is reached)."""
        return self.fail_fast and self.full(file)

    def skip(self, file: str) -> bool:
        """Whether ``file`` is not to be read at all (fail fast, and an earlier file was cut).

        Records the file as not read.
        """
        if self.fail_fast and self.cut:
            self.cut.setdefault(file, None)
            return True
        return False

    def run(self, row: CsvRow, make: Callable[[CsvRow], T]) -> T | None:
        """Return ``make(row)``, or record its errors and return ``None``."""
        try:
            return make(row)
        except CsvError as exc:
            self.add(exc)
        except _RowProblemsError as exc:
            for e in exc.errors:
                self.add(e)
        return None

    def raise_if_any(self) -> None:
        """Raise the errors (one CsvError or a MultiCsvError), sorted by file and row."""
        if not self.errors:
            return
        order = list(dict.fromkeys(e.file for e in self.errors))
        errors = sorted(
            self.errors, key=lambda e: (order.index(e.file), e.row if e.row is not None else 0)
        )
        if len(errors) == 1 and not self.stopped and not self.more and not self.cut:
            raise errors[0]
        raise MultiCsvError(errors, more=self.more, stopped=self.stopped, cut=self.cut)


def _check_header(
    file: str, header: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> list[CsvError]:
    errors: list[CsvError] = []
    seen: set[str] = set()
    known = (*required, *optional)
    for i, name in enumerate(header):
        if not name:
            errors.append(CsvError(file, 1, f"#{i + 1}", "the header has an empty column name"))
        elif name in seen:
            errors.append(CsvError(file, 1, name, "the column appears twice in the header"))
        seen.add(name)
    for name in header:
        if name and name not in known:
            errors.append(
                CsvError(
                    file,
                    1,
                    name,
                    f"unknown column {shown(name)}{did_you_mean(name, known)} (known columns: "
                    f"{', '.join(known)})",
                )
            )
    missing = [c for c in required if c not in seen]
    if missing:
        errors.append(
            CsvError(
                file, 1, missing[0], f"missing required column(s) {', '.join(map(repr, missing))}"
            )
        )
    return errors


def _text(value: Any) -> str:
    """Return a spreadsheet or DataFrame cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN: pandas' empty cell
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return (
        ""
        if text in ("NaT", "nan", "<NA>") and type(value).__module__.startswith("pandas")
        else text
    )


def _name(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return str(Path(source))
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


def _csv_lines(handle: IO[str], file: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle, strict=True)
    line = 0
    try:
        for cells in reader:
            start = line + 1
            line = reader.line_num
            yield start, cells
    except csv.Error as exc:
        raise CsvError(file, reader.line_num, None, f"malformed CSV: {exc}") from None
    except UnicodeDecodeError as exc:
        # Decoding runs ahead of the rows by a buffer: the row is not known.
        raise CsvError(file, None, None, f"not UTF-8 text: {exc.reason}") from None


def _xlsx_lines(path: Path, file: str) -> Iterator[tuple[int, list[str]]]:
    try:
        openpyxl = importlib.import_module("openpyxl")
    except ImportError:
        raise MissingExtraError("reading .xlsx files", "openpyxl", "xlsx") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise CsvError(file, None, None, f"not a readable .xlsx workbook: {exc}") from None
    try:
        sheet = book.worksheets[0]
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            yield n, cells
    finally:
        book.close()


def _frame_lines(frame: Any) -> Iterator[tuple[int, list[str]]]:
    yield 1, [str(c) for c in frame.columns]
    for n, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        yield n, [_text(v) for v in values]


def _is_frame(source: Any) -> bool:
    return hasattr(source, "columns") and hasattr(source, "itertuples")


def _lines(source: Source, file: str) -> Iterator[tuple[int, list[str]]]:
    if _is_frame(source):
        yield from _frame_lines(source)
        return
    if hasattr(source, "read"):
        handle: Any = source
        if isinstance(source.read(0), bytes):
            handle = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
        yield from _csv_lines(handle, file)
        return
    p = Path(source)
    if p.suffix.lower() == ".xlsx":
        yield from _xlsx_lines(p, file)
        return
    try:
        with p.open(encoding="utf-8-sig", newline="") as handle:
            yield from _csv_lines(handle, file)
    except OSError as exc:
        raise CsvError(file, None, None, f"cannot read the file: {exc.strerror}") from None


def open_table(
    source: Source,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    collector: Collector,
    *,
    name: str | None = None,
) -> tuple[str, list[str], Iterator[CsvRow]]:
    """Return the file's name, its header and an iterator over its data rows.

    Header problems are recorded in ``collector`` and leave no rows. Rows
    with the wrong number of cells are recorded and skipped; wholly empty
    lines are skipped. Reading goes on past the error cap (further errors
    are counted) unless the collector fails fast; it stops where the file
    cannot be read on. A file after one that was cut short (fail fast) is
    not opened.
    """
    file = name or _name(source)
    if collector.skip(file):
        return file, [], iter(())
    lines = _lines(source, file)
    try:
        first = next(lines, None)
    except CsvError as exc:
        collector.add(exc)
        return file, [], iter(())
    if first is None:
        collector.add(CsvError(file, 1, None, "the file is empty; expected a header row"))
        return file, [], iter(())
    header = [h.strip() for h in first[1]]
    problems = _check_header(file, header, required, optional)
    if problems:
        for e in problems:
            collector.add(e)
        return file, header, iter(())
    # A sheet leaves trailing empty cells out; a CSV row must be whole.
    pad = not hasattr(source, "read") and (
        _is_frame(source) or Path(source).suffix.lower() == ".xlsx"
    )
    return file, header, _data_rows(file, header, lines, collector, pad)


def _data_rows(
    file: str,
    header: list[str],
    lines: Iterator[tuple[int, list[str]]],
    collector: Collector,
    pad: bool,
) -> Iterator[CsvRow]:
    width = len(header)
    last = 1
    try:
        while True:
            if collector.done(file):
                # Fail fast: the cap is reached. The rest is not read; one more
                # line is looked at only to say whether there was a rest.
                if next(lines, None) is not None:
                    collector.cut[file] = last
                return
            got = next(lines, None)
            if got is None:
                return
            line, cells = got
            last = line
            if not cells:
                continue
            if pad and len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            if len(cells) != width:
                column = f"#{width + 1}" if len(cells) > width else header[len(cells)]
                collector.add(
                    CsvError(
                        file,
                        line,
                        column,
                        f"the row has {len(cells)} cells but the header names {width} columns",
                    )
                )
            else:
                yield CsvRow(file, line, dict(zip(header, cells, strict=True)))
    except CsvError as exc:
        if collector.done(file):
            # The line after the cap cannot be read: there is a rest, unread.
            collector.cut[file] = last
            return
        # The file cannot be read on (bad encoding, broken quoting, ...).
        collector.add(exc)
        collector.stopped[file] = last
