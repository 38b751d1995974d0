r"""CSV import: candidates, positions and preferences from spreadsheet exports.

Every problem is a :class:`~sgcq.errors.CsvError` naming the file, the line
(the header is line 1) and the column; no row and no column is ever dropped.
See ``docs/csv.md`` for the formats.

Examples
--------
>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "prefs.csv"
>>> _ = f.write_text("candidate,position,rank\nc1,p1,1\nc1,p2,2\n")
>>> read_preferences_csv(f)["c1"].tiers()
(('p1',), ('p2',))
"""

from __future__ import annotations

# This module is sgcq.serialization.csv; with absolute imports, ``csv`` is the
# standard library's module.
import csv
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import attrs

from sgcq.errors import CsvError, FieldError, ModelValidationError
from sgcq.models import (
    Allowance,
    Candidate,
    DateRange,
    Duration,
    DurationBounds,
    DurationUnit,
    HybridSplit,
    Location,
    Mode,
    Money,
    Phase,
    Position,
    Ranking,
    StartDates,
    StartWindow,
    StudyStatus,
)

__all__ = [
    "CANDIDATE_COLUMNS",
    "CSV_LIST_SEPARATOR",
    "POSITION_COLUMNS",
    "attach_preferences",
    "read_candidates_csv",
    "read_positions_csv",
    "read_preferences_csv",
]

T = TypeVar("T")

#: Separator of the items of a multi-valued cell, e.g. ``"big-data;ai"``.
CSV_LIST_SEPARATOR = ";"

_DURATION_CELL = re.compile(r"^\s*(\d+)\s*(day|days|week|weeks|month|months)\s*$", re.IGNORECASE)
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})

#: Columns of a candidates file: (required, optional).
CANDIDATE_COLUMNS: tuple[tuple[str, ...], tuple[str, ...]] = (
    (
        "id",
        "university",
        "nationalities",
        "discipline",
        "available_start",
        "available_end",
        "duration_min",
        "duration_max",
        "modes",
    ),
    (
        "enrolled_full_time_until",
        "graduated_on",
        "study_level",
        "date_of_birth",
        "name",
        "skills",
        "languages",
        "schemes_used",
        "priority",
        "cohort",
    ),
)

#: Columns of a positions file: (required, optional).
POSITION_COLUMNS: tuple[tuple[str, ...], tuple[str, ...]] = (
    (
        "id",
        "host",
        "title",
        "fields",
        "seats",
        "mode",
        "country",
        "duration_min",
        "duration_max",
    ),
    (
        "city",
        "zones",
        "start_dates",
        "start_window_start",
        "start_window_end",
        "start_first_of_month",
        "hours_per_week",
        "hybrid_on_site_share",
        "hybrid_on_site_phase",
        "allowance_monthly",
        "allowance_currency",
        "allowance_payer",
        "housing_cover",
        "required_skills",
        "languages",
        "programme",
    ),
)

_CHOOSERS = ("candidate", "position")

E = TypeVar("E", bound=Enum)
C = TypeVar("C", Candidate, Position)


def _iso_date(value: str) -> date:
    if len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


def _finite_decimal(value: str) -> Decimal:
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(value)
    return result


class _CsvRow:
    """One data row with typed accessors that raise CsvError naming the cell."""

    def __init__(self, file: str, line: int, cells: dict[str, str]) -> None:
        self.file = file
        self.line = line
        self.cells = cells

    def error(self, column: str | None, message: str) -> CsvError:
        return CsvError(self.file, self.line, column, message)

    def raw(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def required(self, column: str) -> str:
        value = self.raw(column)
        if not value:
            raise self.error(column, "required value is empty")
        return value

    def optional(self, column: str) -> str | None:
        return self.raw(column) or None

    def items(self, column: str) -> tuple[str, ...]:
        value = self.raw(column)
        if not value:
            return ()
        parts = tuple(p.strip() for p in value.split(CSV_LIST_SEPARATOR))
        if not all(parts):
            raise self.error(
                column, f"empty item in the list {value!r} (items are separated by ';')"
            )
        return parts

    def _parsed(self, column: str, value: str, parse: Callable[[str], T], what: str) -> T:
        try:
            return parse(value)
        except (ValueError, ArithmeticError):
            raise self.error(column, f"{value!r} is not {what}") from None

    def day(self, column: str) -> date:
        return self._parsed(
            column, self.required(column), _iso_date, "a date in the form YYYY-MM-DD"
        )

    def opt_day(self, column: str) -> date | None:
        value = self.optional(column)
        return None if value is None else self.day(column)

    def integer(self, column: str) -> int:
        return self._parsed(column, self.required(column), int, "a whole number")

    def opt_integer(self, column: str) -> int | None:
        value = self.optional(column)
        return None if value is None else self.integer(column)

    def decimal(self, column: str) -> Decimal:
        return self._parsed(
            column, self.required(column), _finite_decimal, "a finite decimal number"
        )

    def opt_decimal(self, column: str) -> Decimal | None:
        value = self.optional(column)
        return None if value is None else self.decimal(column)

    def boolean(self, column: str, default: bool) -> bool:
        value = self.raw(column).lower()
        if not value:
            return default
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise self.error(column, f"{self.raw(column)!r} is not true or false")

    def duration(self, column: str) -> Duration:
        value = self.required(column)
        m = _DURATION_CELL.match(value)
        if m is None:
            raise self.error(
                column, f"{value!r} is not a duration like '3 months', '5 weeks' or '90 days'"
            )
        unit = m.group(2).lower()
        return self.build(
            lambda: Duration(
                int(m.group(1)), DurationUnit(unit if unit.endswith("s") else unit + "s")
            ),
            {"value": column, "unit": column},
        )

    def enum(self, column: str, cls: type[E]) -> E:
        value = self.required(column)
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in cls)
            raise self.error(column, f"{value!r} is not one of {allowed}") from None

    def enums(self, column: str, cls: type[E]) -> tuple[E, ...]:
        out = []
        for value in self.items(column):
            try:
                out.append(cls(value))
            except ValueError:
                allowed = ", ".join(repr(m.value) for m in cls)
                raise self.error(column, f"{value!r} is not one of {allowed}") from None
        return tuple(out)

    def build(self, make: Callable[[], T], columns: Mapping[str, str]) -> T:
        """Call ``make`` and map a ModelValidationError's field back to its column."""
        try:
            return make()
        except ModelValidationError as exc:
            first = exc.errors[0]
            field = re.split(r"[.\[]", first.path, maxsplit=1)[0]
            column = columns.get(field, field if field in self.cells else None)
            if column is None:
                column = next(iter(columns.values()), None)
            more = f" (and {len(exc.errors) - 1} more)" if len(exc.errors) > 1 else ""
            raise self.error(column, first.message + more) from None


def _csv_rows(
    path: str | Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
) -> tuple[list[str], list[_CsvRow]]:
    # Reads the whole file, checks the header against the known columns and
    # returns the header and one _CsvRow per data line. Only wholly empty
    # lines (no cells at all) are skipped; they hold no data.
    p = Path(path)
    file = str(p)
    try:
        with p.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            try:
                header_row = next(reader, None)
                if header_row is None:
                    raise CsvError(file, 1, None, "the file is empty; expected a header row")
                header = [h.strip() for h in header_row]
                _check_header(file, header, required, optional)
                rows: list[_CsvRow] = []
                line = reader.line_num
                for cells in reader:
                    start = line + 1
                    line = reader.line_num
                    if not cells:
                        continue
                    if len(cells) > len(header):
                        raise CsvError(
                            file,
                            start,
                            f"#{len(header) + 1}",
                            f"the row has {len(cells)} cells but the header names "
                            f"{len(header)} columns",
                        )
                    if len(cells) < len(header):
                        raise CsvError(
                            file,
                            start,
                            header[len(cells)],
                            f"the row has {len(cells)} cells but the header names "
                            f"{len(header)} columns",
                        )
                    rows.append(_CsvRow(file, start, dict(zip(header, cells, strict=True))))
            except csv.Error as exc:
                raise CsvError(file, reader.line_num, None, f"malformed CSV: {exc}") from None
    except UnicodeDecodeError as exc:
        raise CsvError(file, None, None, f"not UTF-8 text: {exc.reason}") from None
    except OSError as exc:
        raise CsvError(file, None, None, f"cannot read the file: {exc.strerror}") from None
    return header, rows


def _check_header(
    file: str, header: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    seen: set[str] = set()
    for i, name in enumerate(header):
        if not name:
            raise CsvError(file, 1, f"#{i + 1}", "the header has an empty column name")
        if name in seen:
            raise CsvError(file, 1, name, "the column appears twice in the header")
        seen.add(name)
    unknown = [h for h in header if h not in required and h not in optional]
    if unknown:
        raise CsvError(
            file,
            1,
            unknown[0],
            f"unknown column(s) {', '.join(map(repr, unknown))}; known columns: "
            f"{', '.join(required + optional)}",
        )
    missing = [c for c in required if c not in seen]
    if missing:
        raise CsvError(
            file, 1, missing[0], f"missing required column(s) {', '.join(map(repr, missing))}"
        )


def _unique_ids(rows: list[tuple[_CsvRow, T]], column: str = "id") -> None:
    first: dict[str, int] = {}
    for row, _ in rows:
        key = row.raw(column)
        if key in first:
            raise row.error(column, f"{key!r} is already used on row {first[key]}")
        first[key] = row.line


def _candidate_from_row(row: _CsvRow) -> Candidate:
    study = row.build(
        lambda: StudyStatus(
            enrolled_full_time_until=row.opt_day("enrolled_full_time_until"),
            graduated_on=row.opt_day("graduated_on"),
            level=row.optional("study_level") or "undergraduate",
        ),
        {
            "enrolled_full_time_until": "enrolled_full_time_until",
            "graduated_on": "graduated_on",
            "level": "study_level",
        },
    )
    start, end = row.day("available_start"), row.day("available_end")
    available = row.build(
        lambda: DateRange(start, end),
        {"start": "available_start", "end": "available_end"},
    )
    lo, hi = row.duration("duration_min"), row.duration("duration_max")
    duration = row.build(
        lambda: DurationBounds(lo, hi), {"minimum": "duration_min", "maximum": "duration_max"}
    )
    priority = row.opt_integer("priority")
    return row.build(
        lambda: Candidate(
            id=row.required("id"),
            university=row.required("university"),
            nationalities=frozenset(row.items("nationalities")),
            study=study,
            discipline=row.required("discipline"),
            available=available,
            duration=duration,
            modes=frozenset(row.enums("modes", Mode)),
            date_of_birth=row.opt_day("date_of_birth"),
            name=row.optional("name"),
            skills=frozenset(row.items("skills")),
            languages=frozenset(row.items("languages")),
            schemes_used=frozenset(row.items("schemes_used")),
            priority=1 if priority is None else priority,
            cohort=row.optional("cohort"),
        ),
        {
            "study": "enrolled_full_time_until",
            "available": "available_start",
            "duration": "duration_min",
        },
    )


def read_candidates_csv(path: str | Path) -> tuple[Candidate, ...]:
    r"""Read candidates from a CSV file, one candidate per row.

    Parameters
    ----------
    path
        A UTF-8 CSV file (a byte-order mark is allowed) whose header names
        the columns of :data:`CANDIDATE_COLUMNS`, in any order. Lists are
        separated by ``;``, dates are ``YYYY-MM-DD``, durations ``"3 months"``.

    Returns
    -------
    tuple of Candidate
        One per data row, in file order.

    Raises
    ------
    CsvError
        For the first problem found, naming the file, line and column: an
        unknown or missing column, an empty required cell, a bad value, a
        duplicate id, or a value the model refuses.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "c.csv").write_text(
    ...     "id,university,nationalities,discipline,available_start,available_end,"
    ...     "duration_min,duration_max,modes,enrolled_full_time_until\n"
    ...     "c1,ntu,SG,computer-science,2020-07-01,2021-01-01,3 months,6 months,"
    ...     "on_site;remote,2021-05-31\n")
    >>> [c.id for c in read_candidates_csv(d / "c.csv")]
    ['c1']
    """
    _, rows = _csv_rows(path, *CANDIDATE_COLUMNS)
    built = [(row, _candidate_from_row(row)) for row in rows]
    _unique_ids(built)
    return tuple(c for _, c in built)


def _starts_from_row(row: _CsvRow) -> StartDates | StartWindow:
    listed = row.raw("start_dates")
    w_start, w_end = row.raw("start_window_start"), row.raw("start_window_end")
    if listed and (w_start or w_end):
        raise row.error(
            "start_dates", "give start_dates or start_window_start/start_window_end, not both"
        )
    if listed:
        days = [
            row._parsed("start_dates", item, _iso_date, "a date in the form YYYY-MM-DD")
            for item in row.items("start_dates")
        ]
        return row.build(lambda: StartDates(tuple(days)), {"dates": "start_dates"})
    if not (w_start or w_end):
        raise row.error(
            "start_dates", "give start_dates, or start_window_start and start_window_end"
        )
    start, end = row.day("start_window_start"), row.day("start_window_end")
    window = row.build(
        lambda: DateRange(start, end),
        {"start": "start_window_start", "end": "start_window_end"},
    )
    first = row.boolean("start_first_of_month", default=True)
    return StartWindow(window, first_of_month=first)


def _position_from_row(row: _CsvRow) -> Position:
    location = row.build(
        lambda: Location(
            row.required("country"), row.optional("city"), frozenset(row.items("zones"))
        ),
        {"country": "country", "city": "city", "zones": "zones"},
    )
    starts = _starts_from_row(row)
    lo, hi = row.duration("duration_min"), row.duration("duration_max")
    duration = row.build(
        lambda: DurationBounds(lo, hi), {"minimum": "duration_min", "maximum": "duration_max"}
    )
    hybrid: HybridSplit | None = None
    share = row.opt_decimal("hybrid_on_site_share")
    if share is not None:
        phase = (
            row.enum("hybrid_on_site_phase", Phase)
            if row.raw("hybrid_on_site_phase")
            else Phase.FIRST
        )
        hybrid = row.build(
            lambda: HybridSplit(share, phase),
            {"on_site_share": "hybrid_on_site_share", "on_site_phase": "hybrid_on_site_phase"},
        )
    elif row.raw("hybrid_on_site_phase"):
        raise row.error("hybrid_on_site_phase", "give hybrid_on_site_share with the phase")
    allowance: Allowance | None = None
    money_cells = ("allowance_monthly", "allowance_currency", "allowance_payer")
    given = [c for c in money_cells if row.raw(c)]
    if given and len(given) < len(money_cells):
        absent = next(c for c in money_cells if c not in given)
        raise row.error(
            absent, "an allowance needs allowance_monthly, allowance_currency and allowance_payer"
        )
    if given:
        amount = row.decimal("allowance_monthly")
        monthly = row.build(
            lambda: Money(amount, row.required("allowance_currency")),
            {"amount": "allowance_monthly", "currency": "allowance_currency"},
        )
        allowance = row.build(
            lambda: Allowance(monthly, row.required("allowance_payer")),
            {"monthly": "allowance_monthly", "payer": "allowance_payer"},
        )
    hours = row.opt_decimal("hours_per_week")
    seats = row.integer("seats")
    return row.build(
        lambda: Position(
            id=row.required("id"),
            host=row.required("host"),
            title=row.required("title"),
            fields=frozenset(row.items("fields")),
            seats=seats,
            mode=row.enum("mode", Mode),
            location=location,
            starts=starts,
            duration=duration,
            hours_per_week=Decimal(40) if hours is None else hours,
            hybrid=hybrid,
            allowance=allowance,
            housing_cover=row.boolean("housing_cover", default=False),
            required_skills=frozenset(row.items("required_skills")),
            languages=frozenset(row.items("languages")),
            programme=row.optional("programme"),
        ),
        {
            "location": "country",
            "starts": "start_dates",
            "duration": "duration_min",
            "hybrid": "hybrid_on_site_share" if hybrid is not None else "mode",
            "allowance": "allowance_monthly",
        },
    )


def read_positions_csv(path: str | Path) -> tuple[Position, ...]:
    """Read positions from a CSV file, one position per row.

    Parameters
    ----------
    path
        A UTF-8 CSV file whose header names the columns of
        :data:`POSITION_COLUMNS`. A row gives its starts either as
        ``start_dates`` (``;``-separated) or as ``start_window_start`` and
        ``start_window_end`` (half-open, with optional ``start_first_of_month``);
        an allowance as ``allowance_monthly``, ``allowance_currency`` and
        ``allowance_payer`` together.

    Returns
    -------
    tuple of Position
        One per data row, in file order.

    Raises
    ------
    CsvError
        For the first problem found, naming the file, line and column.
    """
    _, rows = _csv_rows(path, *POSITION_COLUMNS)
    built = [(row, _position_from_row(row)) for row in rows]
    _unique_ids(built)
    return tuple(p for _, p in built)


def read_preferences_csv(
    path: str | Path,
    *,
    chooser: str | None = None,
    known_choosers: Iterable[str] | None = None,
    known_chosen: Iterable[str] | None = None,
) -> dict[str, Ranking]:
    r"""Read rankings from a long-format CSV file: one (chooser, chosen, rank) per row.

    The first column names who ranks: ``candidate,position,rank`` holds
    candidates' rankings of positions, ``position,candidate,rank`` positions'
    rankings of candidates. Instead of ``rank`` (1 best, equal ranks tie) a
    file may give ``score`` (higher is better), which is turned into dense
    ranks per chooser by :meth:`~sgcq.models.Ranking.from_scores`.

    Parameters
    ----------
    path
        The CSV file.
    chooser
        ``"candidate"`` or ``"position"``: the first column must be this one.
        ``None`` accepts either.
    known_choosers, known_chosen
        If given, ids in the first or second column that are not in these
        collections are errors naming the row.

    Returns
    -------
    dict
        Chooser id -> :class:`~sgcq.models.Ranking`, in order of first appearance.

    Raises
    ------
    CsvError
        Naming the file, line and column of the first problem: a bad header,
        an empty cell, a rank below 1, a bad score, or a pair listed twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "prefs.csv"
    >>> _ = f.write_text("candidate,position,rank\nc1,p1,1\nc1,p2,2\nc1,p3,2\n")
    >>> read_preferences_csv(f)["c1"].tiers()
    (('p1',), ('p2', 'p3'))
    """
    p = Path(path)
    file = str(p)
    if chooser is not None and chooser not in _CHOOSERS:
        raise ValueError(f"chooser must be 'candidate' or 'position', got {chooser!r}")
    header, rows = _csv_rows(p, (), ("candidate", "position", "rank", "score"))
    if len(header) != 3 or set(header[:2]) != set(_CHOOSERS) or header[2] not in ("rank", "score"):
        column = next((h for h in header if h not in _CHOOSERS), header[0] if header else None)
        raise CsvError(
            file,
            1,
            column,
            "the header must be 'candidate,position,rank', 'position,candidate,rank' "
            f"or the same with 'score'; got {','.join(header)!r}",
        )
    first, second, value_column = header
    if chooser is not None and first != chooser:
        raise CsvError(
            file, 1, first, f"expected rankings made by {chooser}s (first column {chooser!r})"
        )
    choosers = None if known_choosers is None else frozenset(known_choosers)
    chosen_ids = None if known_chosen is None else frozenset(known_chosen)
    values: dict[str, dict[str, int | Decimal]] = {}
    where: dict[tuple[str, str], int] = {}
    for row in rows:
        who, what = row.required(first), row.required(second)
        if choosers is not None and who not in choosers:
            raise row.error(first, f"unknown {first} {who!r}")
        if chosen_ids is not None and what not in chosen_ids:
            raise row.error(second, f"unknown {second} {what!r}")
        if (who, what) in where:
            raise row.error(
                second, f"{who!r} ranks {what!r} again (first on row {where[who, what]})"
            )
        where[who, what] = row.line
        if value_column == "rank":
            rank = row.integer("rank")
            if rank < 1:
                raise row.error("rank", f"rank must be 1 or more (1 is best), got {rank}")
            values.setdefault(who, {})[what] = rank
        else:
            score = row.decimal("score")
            values.setdefault(who, {})[what] = score
    if value_column == "rank":
        return {k: Ranking({i: int(r) for i, r in v.items()}) for k, v in values.items()}
    return {k: Ranking.from_scores(v) for k, v in values.items()}


def attach_preferences(
    items: Iterable[C], rankings: Mapping[str, Ranking], *, replace: bool = True
) -> tuple[C, ...]:
    """Put rankings read by :func:`read_preferences_csv` onto candidates or positions.

    A candidate's ranking goes to ``Candidate.preferences`` (its ranking of
    positions); a position's to ``Position.candidate_preferences``.

    Parameters
    ----------
    items
        Candidates or positions (all of one kind).
    rankings
        Chooser id -> ranking.
    replace
        If false, an item that already has a ranking keeps it and a ranking
        for it is an error.

    Returns
    -------
    tuple
        The items in their order, with rankings attached; items without a
        ranking in ``rankings`` are returned unchanged.

    Raises
    ------
    ModelValidationError
        If a ranking names an id that is not among ``items``, or (with
        ``replace=False``) would overwrite an existing ranking.
    """
    out: list[Any] = list(items)
    index = {item.id: i for i, item in enumerate(out)}
    errors = [
        FieldError(f"rankings[{key}]", f"no {_item_kind(out)} with this id")
        for key in rankings
        if key not in index
    ]
    for key, ranking in rankings.items():
        if key not in index:
            continue
        item: Any = out[index[key]]
        if isinstance(item, Candidate):
            if not replace and len(item.preferences):
                errors.append(FieldError(f"rankings[{key}]", "the candidate already has a ranking"))
                continue
            out[index[key]] = attrs.evolve(item, preferences=ranking)
        else:
            if not replace and item.candidate_preferences is not None:
                errors.append(FieldError(f"rankings[{key}]", "the position already has a ranking"))
                continue
            out[index[key]] = attrs.evolve(item, candidate_preferences=ranking)
    if errors:
        raise ModelValidationError(errors)
    return tuple(out)


def _item_kind(items: list[Any]) -> str:
    return "position" if items and isinstance(items[0], Position) else "candidate"
