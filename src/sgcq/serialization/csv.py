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

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from sgcq.errors import CsvError, FieldError, ModelValidationError, MultiCsvError
from sgcq.models import (
    Allowance,
    Candidate,
    DateRange,
    Document,
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
from sgcq.serialization._rows import (
    CSV_LIST_SEPARATOR,
    DEFAULT_MAX_ERRORS,
    Collector,
    CsvRow,
    ErrorCallback,
    Source,
    _RowProblemsError,
    did_you_mean,
    iso_date,
    open_table,
    shown,
)

__all__ = [
    "CANDIDATE_COLUMNS",
    "CSV_LIST_SEPARATOR",
    "DEFAULT_MAX_ERRORS",
    "DOCUMENT_PART_SEPARATOR",
    "POSITION_COLUMNS",
    "ErrorCallback",
    "MultiCsvError",
    "Source",
    "attach_preferences",
    "documents_cell",
    "iter_candidates_csv",
    "iter_positions_csv",
    "parse_documents_cell",
    "read_candidates_csv",
    "read_positions_csv",
    "read_preferences_csv",
]

T = TypeVar("T")
C = TypeVar("C", Candidate, Position)

#: Columns of a candidates file: (required, optional).
CANDIDATE_COLUMNS: tuple[tuple[str, ...], tuple[str, ...]] = (
    (
        "id",
        "nationalities",
        "discipline",
        "available_start",
        "available_end",
        "duration_min",
        "duration_max",
        "modes",
    ),
    (
        "university",
        "affiliation",
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
        "documents",
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

_Check = Callable[[CsvRow, str], object]

# Every cell of a row is checked on its own first, so that one row's bad
# cells are all reported; the model is built only from a row whose cells parse.
_CANDIDATE_CHECKS: tuple[tuple[str, _Check], ...] = (
    ("id", CsvRow.required),
    ("university", CsvRow.optional),
    ("affiliation", CsvRow.optional),
    ("nationalities", CsvRow.items),
    ("discipline", CsvRow.required),
    ("available_start", CsvRow.day),
    ("available_end", CsvRow.day),
    ("duration_min", CsvRow.duration_parts),
    ("duration_max", CsvRow.duration_parts),
    ("modes", lambda row, col: row.enums(col, Mode)),
    ("enrolled_full_time_until", CsvRow.opt_day),
    ("graduated_on", CsvRow.opt_day),
    ("date_of_birth", CsvRow.opt_day),
    ("skills", CsvRow.items),
    ("languages", CsvRow.items),
    ("schemes_used", CsvRow.items),
    ("priority", CsvRow.opt_integer),
    ("documents", lambda row, col: _documents(row, col)),
)

_POSITION_CHECKS: tuple[tuple[str, _Check], ...] = (
    ("id", CsvRow.required),
    ("host", CsvRow.required),
    ("title", CsvRow.required),
    ("fields", CsvRow.items),
    ("seats", CsvRow.integer),
    ("mode", lambda row, col: row.enum(col, Mode)),
    ("country", CsvRow.required),
    ("zones", CsvRow.items),
    ("duration_min", CsvRow.duration_parts),
    ("duration_max", CsvRow.duration_parts),
    ("start_dates", CsvRow.days),
    ("start_window_start", CsvRow.opt_day),
    ("start_window_end", CsvRow.opt_day),
    ("start_first_of_month", CsvRow.boolean),
    ("hours_per_week", CsvRow.opt_decimal),
    ("hybrid_on_site_share", CsvRow.opt_decimal),
    (
        "hybrid_on_site_phase",
        lambda row, col: row.enum(col, Phase) if row.raw(col) else None,
    ),
    ("allowance_monthly", CsvRow.opt_decimal),
    ("housing_cover", CsvRow.boolean),
    ("required_skills", CsvRow.items),
    ("languages", CsvRow.items),
)


# --- the documents column ------------------------------------------------------------------

#: Separates a document's kind, issue date and expiry date in the ``documents`` column.
DOCUMENT_PART_SEPARATOR = ":"


def documents_cell(documents: Iterable[Document]) -> str:
    """Write documents in the compact form of the candidates file's ``documents`` column.

    Each document is ``kind:issued:expires``, and documents are separated by
    ``;``. An unknown date is left empty, and empty trailing parts are left
    out: ``passport:2016-03-01:2026-02-28``, ``company_invitation_letter:2020-06-01``
    (no expiry), ``work_permit_notification::2021-02-28`` (no issue date),
    ``other_application_materials`` (no dates). A kind that has a ``:`` of
    its own is always written with both date parts (``cn:letter::``), so that
    the last two ``:`` still separate the dates.

    Parameters
    ----------
    documents
        The documents, written in the order given.

    Returns
    -------
    str
        The cell; empty for no documents. :func:`parse_documents_cell` reads it back.

    Examples
    --------
    >>> from datetime import date
    >>> documents_cell([Document("passport", date(2016, 3, 1), date(2026, 2, 28)),
    ...                 Document("company_invitation_letter", date(2020, 6, 1))])
    'passport:2016-03-01:2026-02-28;company_invitation_letter:2020-06-01'
    """
    cells = []
    for d in documents:
        parts = [
            d.kind,
            "" if d.issued_on is None else d.issued_on.isoformat(),
            "" if d.expires_on is None else d.expires_on.isoformat(),
        ]
        while parts[-1] == "" and DOCUMENT_PART_SEPARATOR not in d.kind:
            parts.pop()
        cells.append(DOCUMENT_PART_SEPARATOR.join(parts))
    return CSV_LIST_SEPARATOR.join(cells)


def _document(item: str) -> Document:
    """Read one ``kind[:issued[:expires]]``; raise ValueError saying what is wrong."""
    # The dates are the last two parts: a kind may hold a ':' of its own.
    parts = [p.strip() for p in item.rsplit(DOCUMENT_PART_SEPARATOR, 2)]
    kind, *dates = parts
    if not kind:
        raise ValueError("has no kind before the first ':'")
    days: list[date | None] = []
    for what, text in zip(("issue date", "expiry date"), dates, strict=False):
        if not text:
            days.append(None)
            continue
        try:
            days.append(iso_date(text))
        except ValueError:
            # The dates are personal (Document marks them): never echoed.
            raise ValueError(
                f"the {what} is not a date in the form YYYY-MM-DD (write kind:issued:expires)"
            ) from None
    days += [None] * (2 - len(days))
    try:
        return Document(kind, days[0], days[1])
    except ModelValidationError as exc:
        raise ValueError("; ".join(f"{e.path} {e.message}" for e in exc.errors)) from None


def parse_documents_cell(text: str) -> tuple[Document, ...]:
    """Read the ``documents`` column's compact form (see :func:`documents_cell`).

    Parameters
    ----------
    text
        ``kind:issued:expires`` items separated by ``;``; the dates are
        ``YYYY-MM-DD`` and either may be empty (``passport::2026-02-28``),
        and empty trailing parts may be left out (``passport``). The last
        two ``:`` of an item separate the dates, so a kind holding a ``:``
        needs both date parts (``cn:letter::``).

    Returns
    -------
    tuple of Document
        In the order written; empty for an empty cell.

    Raises
    ------
    ValueError
        Naming the item (1 for the first, with its kind) and what is wrong
        with it: an empty item, no kind, a bad kind, a bad date, or an
        expiry before the issue date. The dates are personal data and are
        never shown.

    Examples
    --------
    >>> [d.kind for d in parse_documents_cell("passport:2016-03-01:2026-02-28;visa_letter")]
    ['passport', 'visa_letter']
    """
    if not text.strip():
        return ()
    out = []
    for n, item in enumerate(text.split(CSV_LIST_SEPARATOR), 1):
        if not item.strip():
            raise ValueError(f"document {n} is empty (documents are separated by ';')")
        try:
            out.append(_document(item))
        except ValueError as exc:
            # Named by its kind only: the item's dates are personal.
            kind = item.rsplit(DOCUMENT_PART_SEPARATOR, 2)[0].strip()
            named = f" ({shown(kind)})" if kind else ""
            raise ValueError(f"document {n}{named}: {exc}") from None
    return tuple(out)


def _documents(row: CsvRow, column: str) -> tuple[Document, ...]:
    try:
        return parse_documents_cell(row.raw(column))
    except ValueError as exc:
        raise row.error(column, str(exc)) from None


def _duration(row: CsvRow, column: str) -> Duration:
    value, unit = row.duration_parts(column)
    return row.build(lambda: Duration(value, DurationUnit(unit)), {"value": column, "unit": column})


def _items_read(
    source: Source,
    columns: tuple[tuple[str, ...], tuple[str, ...]],
    make: Callable[[CsvRow], T],
    collector: Collector,
    name: str | None,
    ids: set[str] | None = None,
) -> Iterator[tuple[int, T]]:
    """Yield ``(line, item)`` for each good row; record bad rows and duplicate ids.

    ``ids``, if given, receives the id of every row, good or bad (so that
    other files referring to a bad row are not reported again).
    """
    _, _, rows = open_table(source, *columns, collector, name=name)
    first: dict[str, int] = {}
    for row in rows:
        key = row.raw("id")
        if ids is not None and key:
            ids.add(key)
        if key and key in first:
            collector.add(row.error("id", f"{shown(key)} is already used on row {first[key]}"))
            continue
        if key:
            first[key] = row.line
        item = collector.run(row, make)
        if item is not None:
            yield row.line, item


def _candidate_from_row(row: CsvRow) -> Candidate:
    row.check(_CANDIDATE_CHECKS)
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
    lo, hi = _duration(row, "duration_min"), _duration(row, "duration_max")
    duration = row.build(
        lambda: DurationBounds(lo, hi), {"minimum": "duration_min", "maximum": "duration_max"}
    )
    priority = row.opt_integer("priority")
    return row.build(
        lambda: Candidate(
            id=row.required("id"),
            university=row.optional("university"),
            affiliation=row.optional("affiliation"),
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
            documents=_documents(row, "documents"),
        ),
        {
            "study": "enrolled_full_time_until",
            "available": "available_start",
            "duration": "duration_min",
        },
    )


def read_candidates_csv(
    source: Source,
    *,
    max_errors: int = DEFAULT_MAX_ERRORS,
    name: str | None = None,
    on_error: ErrorCallback | None = None,
    fail_fast: bool = False,
) -> tuple[Candidate, ...]:
    r"""Read candidates from a CSV or XLSX file, a file object or a DataFrame, one per row.

    Parameters
    ----------
    source
        A UTF-8 CSV file (a byte-order mark is allowed) whose header names
        the columns of :data:`CANDIDATE_COLUMNS`, in any order; or an
        ``.xlsx`` workbook (its first sheet; ``pip install "sgcq[xlsx]"``);
        or an open file; or a pandas DataFrame with those columns (its rows
        are numbered as in a CSV file: the first data row is row 2). Lists
        are separated by ``;``, dates are ``YYYY-MM-DD``, durations
        ``"3 months"``.
    max_errors
        How many problems of the file to keep (at least 1). Reading goes on
        past them, and the further problems are counted (``MultiCsvError.more``).
    name
        The name errors give the source (by default the path, the file
        object's ``name``, or ``<stream>``).
    on_error
        Called with each problem (a :class:`~sgcq.errors.CsvError` naming
        the file, row and column) the moment its row is read, kept or only
        counted: a bad row 10 of a million-row file is seen at once, not
        when the whole file has been read. An exception it raises stops the
        reading and propagates. The problems are raised at the end as usual.
    fail_fast
        Stop reading once ``max_errors`` problems are found, instead of
        reading on to count the rest: the error then says after which row
        reading stopped and that the rest of the file was not read, and its
        count is a lower bound ("at least").

    Returns
    -------
    tuple of Candidate
        One per data row, in file order.

    Raises
    ------
    CsvError
        Naming the file, row and column: an unknown or missing column, an
        empty required cell, a bad value, a duplicate id, or a value the
        model refuses. With several problems, a :class:`~sgcq.errors.MultiCsvError`
        holding the first ``max_errors`` (sorted by row) and the count of the rest.

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
    collector = Collector(max_errors, on_error=on_error, fail_fast=fail_fast)
    items = tuple(
        c for _, c in _items_read(source, CANDIDATE_COLUMNS, _candidate_from_row, collector, name)
    )
    collector.raise_if_any()
    return items


def iter_candidates_csv(source: Source, *, name: str | None = None) -> Iterator[Candidate]:
    """Yield candidates one row at a time; raise the first problem as soon as its row is read.

    For files too large to hold at once: memory stays flat, and a bad row
    near the top is reported without reading the rest.

    Parameters
    ----------
    source, name
        As for :func:`read_candidates_csv`.

    Yields
    ------
    Candidate
        One per data row, in file order.

    Raises
    ------
    CsvError
        The first problem, naming file, row and column.
    """
    yield from _iter_items(source, CANDIDATE_COLUMNS, _candidate_from_row, name)


def _iter_items(
    source: Source,
    columns: tuple[tuple[str, ...], tuple[str, ...]],
    make: Callable[[CsvRow], T],
    name: str | None,
) -> Iterator[T]:
    collector = Collector(1)
    for _, item in _items_read(source, columns, make, collector, name):
        if collector.errors:
            raise collector.errors[0]
        yield item
    if collector.errors:
        raise collector.errors[0]


def _starts_from_row(row: CsvRow) -> StartDates | StartWindow:
    listed = row.raw("start_dates")
    w_start, w_end = row.raw("start_window_start"), row.raw("start_window_end")
    if listed and (w_start or w_end):
        raise row.error(
            "start_dates", "give start_dates or start_window_start/start_window_end, not both"
        )
    if listed:
        days = row.days("start_dates")
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


def _position_from_row(row: CsvRow) -> Position:
    row.check(_POSITION_CHECKS)
    location = row.build(
        lambda: Location(
            row.required("country"), row.optional("city"), frozenset(row.items("zones"))
        ),
        {"country": "country", "city": "city", "zones": "zones"},
    )
    starts = _starts_from_row(row)
    lo, hi = _duration(row, "duration_min"), _duration(row, "duration_max")
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


def read_positions_csv(
    source: Source,
    *,
    max_errors: int = DEFAULT_MAX_ERRORS,
    name: str | None = None,
    on_error: ErrorCallback | None = None,
    fail_fast: bool = False,
) -> tuple[Position, ...]:
    """Read positions from a CSV or XLSX file, a file object or a DataFrame, one per row.

    Parameters
    ----------
    source
        As for :func:`read_candidates_csv`, with the columns of
        :data:`POSITION_COLUMNS`. A row gives its starts either as
        ``start_dates`` (``;``-separated) or as ``start_window_start`` and
        ``start_window_end`` (half-open, with optional ``start_first_of_month``);
        an allowance as ``allowance_monthly``, ``allowance_currency`` and
        ``allowance_payer`` together.
    max_errors, name, on_error, fail_fast
        As for :func:`read_candidates_csv`.

    Returns
    -------
    tuple of Position
        One per data row, in file order.

    Raises
    ------
    CsvError
        Naming the file, row and column (a :class:`~sgcq.errors.MultiCsvError`
        with every problem when there are several).
    """
    collector = Collector(max_errors, on_error=on_error, fail_fast=fail_fast)
    items = tuple(
        p for _, p in _items_read(source, POSITION_COLUMNS, _position_from_row, collector, name)
    )
    collector.raise_if_any()
    return items


def iter_positions_csv(source: Source, *, name: str | None = None) -> Iterator[Position]:
    """Yield positions one row at a time; raise the first problem as soon as its row is read.

    Parameters
    ----------
    source, name
        As for :func:`read_positions_csv`.

    Yields
    ------
    Position
        One per data row, in file order.
    """
    yield from _iter_items(source, POSITION_COLUMNS, _position_from_row, name)


def read_preferences_csv(
    source: Source,
    *,
    chooser: str | None = None,
    known_choosers: Iterable[str] | None = None,
    known_chosen: Iterable[str] | None = None,
    max_errors: int = DEFAULT_MAX_ERRORS,
    name: str | None = None,
    on_error: ErrorCallback | None = None,
    fail_fast: bool = False,
) -> dict[str, Ranking]:
    r"""Read rankings from a long-format CSV file: one (chooser, chosen, rank) per row.

    The first column names who ranks: ``candidate,position,rank`` holds
    candidates' rankings of positions, ``position,candidate,rank`` positions'
    rankings of candidates. Instead of ``rank`` (1 best, equal ranks tie) a
    file may give ``score`` (higher is better), which is turned into dense
    ranks per chooser by :meth:`~sgcq.models.Ranking.from_scores`.

    Parameters
    ----------
    source
        A CSV or XLSX file, a file object or a DataFrame (as for
        :func:`read_candidates_csv`).
    chooser
        ``"candidate"`` or ``"position"``: the first column must be this one.
        ``None`` accepts either.
    known_choosers, known_chosen
        If given, ids in the first or second column that are not in these
        collections are errors naming the row (with the closest known id).
    max_errors, name, on_error, fail_fast
        As for :func:`read_candidates_csv`.

    Returns
    -------
    dict
        Chooser id -> :class:`~sgcq.models.Ranking`, in order of first appearance.

    Raises
    ------
    CsvError
        Naming the file, row and column of each problem (a
        :class:`~sgcq.errors.MultiCsvError` when there are several): a bad
        header, an empty cell, a rank below 1, a bad score, an unknown id,
        or a pair listed twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "prefs.csv"
    >>> _ = f.write_text("candidate,position,rank\nc1,p1,1\nc1,p2,2\nc1,p3,2\n")
    >>> read_preferences_csv(f)["c1"].tiers()
    (('p1',), ('p2', 'p3'))
    """
    if chooser is not None and chooser not in _CHOOSERS:
        raise ValueError(f"chooser must be 'candidate' or 'position', got {chooser!r}")
    collector = Collector(max_errors, on_error=on_error, fail_fast=fail_fast)
    values = _preference_values(source, chooser, known_choosers, known_chosen, collector, name)
    collector.raise_if_any()
    out: dict[str, Ranking] = {}
    for key, ranked in values.items():
        if all(isinstance(r, int) for r in ranked.values()):
            out[key] = Ranking({i: int(r) for i, r in ranked.items()})
        else:
            out[key] = Ranking.from_scores(ranked)
    return out


def _preference_values(
    source: Source,
    chooser: str | None,
    known_choosers: Iterable[str] | None,
    known_chosen: Iterable[str] | None,
    collector: Collector,
    name: str | None,
) -> dict[str, dict[str, int | Decimal]]:
    file, header, rows = open_table(
        source, (), ("candidate", "position", "rank", "score"), collector, name=name
    )
    values: dict[str, dict[str, int | Decimal]] = {}
    if not header:
        return values
    if len(header) != 3 or set(header[:2]) != set(_CHOOSERS) or header[2] not in ("rank", "score"):
        column = next((h for h in header if h not in _CHOOSERS), header[0] if header else None)
        collector.add(
            CsvError(
                file,
                1,
                column,
                "the header must be 'candidate,position,rank', 'position,candidate,rank' "
                f"or the same with 'score'; got {','.join(header)!r}",
            )
        )
        return values
    first, second, value_column = header
    if chooser is not None and first != chooser:
        collector.add(
            CsvError(
                file, 1, first, f"expected rankings made by {chooser}s (first column {chooser!r})"
            )
        )
        return values
    choosers = None if known_choosers is None else frozenset(known_choosers)
    chosen_ids = None if known_chosen is None else frozenset(known_chosen)
    where: dict[tuple[str, str], int] = {}

    def one(row: CsvRow) -> tuple[str, str, int | Decimal]:
        row.check(
            (
                (first, CsvRow.required),
                (second, CsvRow.required),
                (value_column, CsvRow.integer if value_column == "rank" else CsvRow.decimal),
            )
        )
        who, what = row.raw(first), row.raw(second)
        problems: list[CsvError] = []
        if choosers is not None and who not in choosers:
            problems.append(
                row.error(first, f"unknown {first} {shown(who)}{did_you_mean(who, choosers)}")
            )
        if chosen_ids is not None and what not in chosen_ids:
            problems.append(
                row.error(second, f"unknown {second} {shown(what)}{did_you_mean(what, chosen_ids)}")
            )
        if (who, what) in where:
            problems.append(
                row.error(
                    second,
                    f"{shown(who)} ranks {shown(what)} again (first on row {where[who, what]})",
                )
            )
        value: int | Decimal
        if value_column == "rank":
            value = row.integer("rank")
            if value < 1:
                problems.append(
                    row.error("rank", f"rank must be 1 or more (1 is best), got {value}")
                )
        else:
            value = row.decimal("score")
        if problems:
            raise _RowProblemsError(problems)
        where[who, what] = row.line
        return who, what, value

    for row in rows:
        got = collector.run(row, one)
        if got is not None:
            who, what, value = got
            values.setdefault(who, {})[what] = value
    return values


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
