r"""Tables out: CSV and XLSX files whose text cells cannot run as formulas.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula, and a tab or carriage return at the start can hide
one; a name or a reason read from a user's data can start that way (CSV
injection, OWASP). Every text cell written here that starts with one of
those characters gets a leading apostrophe (``'``), which the spreadsheet
shows as text and does not display; the value can be read back with
:func:`restore_cell`. Numbers written as numbers (amounts, ranks) are left
alone.

Files are written deterministically: the same rows give the same bytes (the
XLSX file's timestamps are fixed, see :func:`write_table`).

Examples
--------
>>> neutralise_cell("=HYPERLINK(\"http://x\")")
'\'=HYPERLINK("http://x")'
>>> neutralise_cell("-3"), neutralise_cell("ntu-c001")
("'-3", 'ntu-c001')
>>> restore_cell(neutralise_cell("@SUM(A1)"))
'@SUM(A1)'
"""

from __future__ import annotations

import csv
import importlib
import io
import os
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sgcq.errors import CsvError, MissingExtraError

__all__ = [
    "FORMULA_TRIGGERS",
    "TableCell",
    "neutralise_cell",
    "restore_cell",
    "write_table",
]

#: The first characters that make a spreadsheet treat a cell as a formula.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: A cell's value: text (neutralised on the way out), a number, or empty.
TableCell = str | int | float | None

# The timestamp written into XLSX files, so that runs give the same bytes.
_FIXED = datetime(2000, 1, 1)


def neutralise_cell(text: str) -> str:
    """Return ``text`` with a leading ``'`` if it starts with a formula trigger.

    Parameters
    ----------
    text
        A cell's text.

    Returns
    -------
    str
        ``text`` unchanged, or ``"'" + text`` when it starts with one of
        :data:`FORMULA_TRIGGERS` (or already with ``'``, so that the mark
        stays reversible).
    """
    if text.startswith((*FORMULA_TRIGGERS, "'")):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """Return the text :func:`neutralise_cell` was given (undo its mark)."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_TRIGGERS, "'")):
        return text[1:]
    return text


def _cell(value: TableCell) -> TableCell:
    if isinstance(value, str):
        return neutralise_cell(value)
    return value


def write_table(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[TableCell]],
    *,
    sheet: str = "Sheet1",
) -> Path:
    r"""Write a table as CSV or XLSX (by the file's suffix), text cells neutralised.

    Parameters
    ----------
    path
        A ``.csv`` or ``.xlsx`` file.
    header
        The column names.
    rows
        The rows, each as long as ``header``.
    sheet
        The XLSX sheet's name.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    CsvError
        For another suffix, or a file that cannot be written.
    MissingExtraError
        For ``.xlsx`` without openpyxl (``pip install "sgcq[xlsx]"``).

    Notes
    -----
    CSV is UTF-8 with ``\r\n`` line ends (RFC 4180; a cell holding a line
    break is quoted) and minimal quoting. An XLSX file's
    document properties and zip entries carry a fixed timestamp, so equal
    rows give equal bytes.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".csv":
            with p.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow([neutralise_cell(h) for h in header])
                for row in rows:
                    writer.writerow(["" if c is None else _cell(c) for c in row])
            return p
        if suffix == ".xlsx":
            _write_xlsx(p, header, rows, sheet)
            return p
    except OSError as exc:
        raise CsvError(str(p), None, None, f"cannot write the file: {exc.strerror}") from None
    raise CsvError(str(p), None, None, "a table file must end in .csv or .xlsx")


def _openpyxl(feature: str) -> Any:
    try:
        return importlib.import_module("openpyxl")
    except ImportError:
        raise MissingExtraError(feature, "openpyxl", "xlsx") from None


def _write_xlsx(
    p: Path, header: Sequence[str], rows: Iterable[Sequence[TableCell]], sheet: str
) -> None:
    openpyxl = _openpyxl("writing .xlsx files")
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.append([neutralise_cell(h) for h in header])
    for row in rows:
        ws.append([_cell(c) for c in row])
    book.properties.creator = "sgcq"
    book.properties.created = _FIXED
    buffer = io.BytesIO()
    book.save(buffer)
    # openpyxl stamps the save time into docProps/core.xml and the zip
    # entries; both are rewritten with a fixed time.
    _fixed_zip(buffer.getvalue(), p)


def _fixed_zip(data: bytes, p: Path) -> None:
    stamp = _FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _restamp(content.decode("utf-8"), stamp).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)


def _restamp(xml: str, stamp: str) -> str:
    for tag in ("dcterms:created", "dcterms:modified"):
        start = xml.find(f"<{tag}")
        if start < 0:
            continue
        body = xml.find(">", start) + 1
        end = xml.find(f"</{tag}>", body)
        if body > 0 and end > 0:
            xml = xml[:body] + stamp + xml[end:]
    return xml
