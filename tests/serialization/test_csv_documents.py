"""The candidates file's ``documents`` column: its compact form, round trips and errors."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgcq.errors import CsvError, MultiCsvError
from sgcq.models import Document
from sgcq.serialization import documents_cell, parse_documents_cell, read_candidates_csv
from sgcq.testing.strategies import DOCUMENT_KINDS, documents

HEADER = (
    "id,university,nationalities,discipline,available_start,available_end,duration_min,"
    "duration_max,modes,enrolled_full_time_until,documents\n"
)


def _row(cid: str, cell: str) -> str:
    quoted = '"' + cell.replace('"', '""') + '"'
    return f"{cid},ntu,SG,ai,2020-07-01,2021-01-01,3 months,6 months,on_site,2021-05-31,{quoted}\n"


def _problems(exc: CsvError) -> list[CsvError]:
    return list(exc.errors) if isinstance(exc, MultiCsvError) else [exc]


@given(st.lists(documents(kinds=[*DOCUMENT_KINDS, "cn:invitation", "a.b-c"]), max_size=5))
def test_documents_round_trip_through_the_cell(docs: list[Document]) -> None:
    """Any documents, kinds with a ':' of their own included, read back from their cell."""
    cell = documents_cell(docs)
    assert parse_documents_cell(cell) == tuple(docs)


@given(st.lists(documents(), max_size=4))
def test_documents_round_trip_through_a_candidates_file(docs: list[Document]) -> None:
    """The column written by documents_cell is read back by read_candidates_csv."""
    (candidate,) = read_candidates_csv(io.StringIO(HEADER + _row("c1", documents_cell(docs))))
    assert candidate.documents == tuple(docs)


def test_the_compact_forms() -> None:
    """Trailing empty parts may be left out; either date may be empty; spaces are ignored."""
    got = parse_documents_cell(
        "passport:2016-03-01:2026-02-28; company_invitation_letter:2020-06-01;"
        "work_permit_notification::2021-02-28;other_application_materials"
    )
    assert got == (
        Document("passport", date(2016, 3, 1), date(2026, 2, 28)),
        Document("company_invitation_letter", date(2020, 6, 1)),
        Document("work_permit_notification", None, date(2021, 2, 28)),
        Document("other_application_materials"),
    )
    assert documents_cell(got) == (
        "passport:2016-03-01:2026-02-28;company_invitation_letter:2020-06-01;"
        "work_permit_notification::2021-02-28;other_application_materials"
    )
    assert documents_cell([Document("cn:invitation")]) == "cn:invitation::"
    assert parse_documents_cell("") == ()


def test_an_empty_column_means_no_documents_known() -> None:
    """An empty cell gives no documents (the routes then list what they need)."""
    (candidate,) = read_candidates_csv(io.StringIO(HEADER + _row("c1", "")))
    assert candidate.documents == ()


def test_bad_documents_are_reported_by_row_and_column_naming_the_item() -> None:
    """Each bad cell is an error of its row in column 'documents', naming the item and why;
    the good rows are still read (every problem reported at once)."""
    text = HEADER + "".join(
        [
            _row("c1", "passport:2016-03-01:2026-02-28"),
            _row("c2", "passport:2016-03-01;passport:2026-02-28:2016-03-01"),
            _row("c3", "passport:1/3/2016"),
            _row("c4", "passport;;visa"),
            _row("c5", ":2016-03-01"),
            _row("c6", "pass port"),
        ]
    )
    with pytest.raises(CsvError) as info:
        read_candidates_csv(io.StringIO(text), name="candidates.csv")
    found = {(e.row, e.column): e.message for e in _problems(info.value)}
    assert set(found) == {(n, "documents") for n in range(3, 8)}
    assert found[(3, "documents")].startswith("document 2 ('passport'):")
    assert "before the issue date" in found[(3, "documents")]
    assert "issue date is not a date in the form YYYY-MM-DD" in found[(4, "documents")]
    # A document's dates are personal: no message shows them, good or bad.
    assert not [m for m in found.values() if "2016" in m or "2026" in m or "1/3" in m]
    assert found[(5, "documents")].startswith("document 2 is empty")
    assert "no kind" in found[(6, "documents")]
    assert "not a valid identifier" in found[(7, "documents")]
