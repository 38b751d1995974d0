"""Tests of the CSV readers in sgcq.serialization.csv."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sgcq.errors import CsvError, ModelValidationError
from sgcq.models import (
    Duration,
    DurationUnit,
    Mode,
    Money,
    Phase,
    Ranking,
    StartDates,
    StartWindow,
)
from sgcq.serialization import (
    CANDIDATE_COLUMNS,
    POSITION_COLUMNS,
    attach_preferences,
    read_candidates_csv,
    read_positions_csv,
    read_preferences_csv,
)

CANDIDATE = {
    "id": "c1",
    "university": "ntu",
    "nationalities": "SG",
    "discipline": "computer-science",
    "available_start": "2020-07-01",
    "available_end": "2021-01-01",
    "duration_min": "3 months",
    "duration_max": "6 months",
    "modes": "on_site;remote",
    "enrolled_full_time_until": "2021-05-31",
}

POSITION = {
    "id": "p1",
    "host": "h1",
    "title": "Data intern",
    "fields": "big-data;ai",
    "seats": "2",
    "mode": "on_site",
    "country": "CN",
    "city": "Chongqing",
    "duration_min": "3 months",
    "duration_max": "6 months",
    "start_window_start": "2020-07-01",
    "start_window_end": "2021-01-01",
}


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def candidates_file(tmp_path: Path, *rows: dict[str, str]) -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r))
    return write(tmp_path / "candidates.csv", header, list(rows))


def positions_file(tmp_path: Path, *rows: dict[str, str]) -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r))
    return write(tmp_path / "positions.csv", header, list(rows))


def raises_csv(call, path: Path, row: int | None, column: str | None, fragment: str) -> CsvError:
    with pytest.raises(CsvError) as info:
        call(path)
    err = info.value
    assert err.file == str(path)
    assert err.row == row
    assert err.column == column
    assert fragment in err.message
    text = str(err)
    assert str(path) in text
    if row is not None:
        assert f"row {row}" in text
    if column is not None:
        assert repr(column) in text
    return err


# --- candidates ---------------------------------------------------------------


def test_candidates_all_columns_load(tmp_path: Path) -> None:
    """A file using every candidate column loads into equal candidates, one per row."""
    full = {
        **CANDIDATE,
        "graduated_on": "",
        "study_level": "masters",
        "date_of_birth": "1999-02-03",
        "name": "Tan Ah Kow",
        "skills": "python; sql",
        "languages": "en;zh",
        "schemes_used": "",
        "priority": "2",
        "cohort": "k1",
        "affiliation": "",
        "documents": "passport:2016-03-01:2026-02-28",
    }
    second = {**full, "id": "c2", "enrolled_full_time_until": "", "graduated_on": "2020-06-30"}
    path = candidates_file(tmp_path, full, second)
    c1, c2 = read_candidates_csv(path)
    assert set(CANDIDATE_COLUMNS[0]) | set(CANDIDATE_COLUMNS[1]) == set(full) | {"graduated_on"}
    assert c1.id == "c1" and c2.id == "c2"
    assert c1.modes == {Mode.ON_SITE, Mode.REMOTE}
    assert c1.skills == {"python", "sql"}
    assert c1.duration.maximum == Duration(6, DurationUnit.MONTHS)
    assert c1.available.end == date(2021, 1, 1)
    assert c1.study.level == "masters"
    assert c1.priority == 2 and c1.cohort == "k1" and c1.name == "Tan Ah Kow"
    assert c2.study.graduated_on == date(2020, 6, 30)
    assert c2.study.enrolled_full_time_until is None
    assert [(d.kind, d.expires_on) for d in c1.documents] == [("passport", date(2026, 2, 28))]


def test_candidates_minimal_columns_use_defaults(tmp_path: Path) -> None:
    """Only the required columns plus a study date are needed; the rest default."""
    (c,) = read_candidates_csv(candidates_file(tmp_path, CANDIDATE))
    assert c.priority == 1 and c.cohort is None and not c.skills and not c.preferences


def test_a_row_may_give_an_affiliation_instead_of_a_university(tmp_path: Path) -> None:
    """Files without a university column load (older files keep theirs); affiliation is read."""
    row = {k: val for k, val in CANDIDATE.items() if k != "university"}
    (c,) = read_candidates_csv(candidates_file(tmp_path, {**row, "affiliation": "ydpg"}))
    assert c.university is None and c.affiliation == "ydpg" and c.sending_party == "ydpg"


def test_no_row_is_dropped(tmp_path: Path) -> None:
    """Every data row becomes a candidate, in file order; only wholly blank lines are skipped."""
    rows = [{**CANDIDATE, "id": f"c{i}"} for i in range(25)]
    path = candidates_file(tmp_path, *rows)
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert [c.id for c in read_candidates_csv(path)] == [f"c{i}" for i in range(25)]


def test_byte_order_mark_and_duration_spellings(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark is accepted, and durations may be singular or any case."""
    path = candidates_file(tmp_path, {**CANDIDATE, "duration_min": "1 Week"})
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    (c,) = read_candidates_csv(path)
    assert c.duration.minimum == Duration(1, DurationUnit.WEEKS)


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"university": ""}, "university", "give the sending university, the affiliation"),
        ({"available_start": "2020/07/01"}, "available_start", "YYYY-MM-DD"),
        ({"available_end": "2020-06-01"}, "available_end", "must be after start"),
        ({"duration_min": "three months"}, "duration_min", "not a duration"),
        ({"duration_min": "0 months"}, "duration_min", "must be positive"),
        ({"duration_max": "2 months"}, "duration_max", "shorter than the minimum"),
        ({"modes": "on_site;onsite"}, "modes", "'onsite' is not one of"),
        ({"modes": "on_site;"}, "modes", "empty item"),
        ({"nationalities": "Singapore"}, "nationalities", "ISO 3166-1"),
        ({"enrolled_full_time_until": ""}, "enrolled_full_time_until", "graduated_on"),
        ({"id": "bad id"}, "id", "not a valid identifier"),
        ({"priority": "high"}, "priority", "not a whole number"),
        ({"priority": "0"}, "priority", "must be positive"),
        ({"skills": "Python"}, "skills", "lower case"),
    ],
)
def test_candidate_cell_errors_name_row_and_column(
    tmp_path: Path, change: dict[str, str], column: str, fragment: str
) -> None:
    """A bad cell on the third line is reported with file, row 3 and its column."""
    good = {**CANDIDATE, "priority": "1", "skills": ""}
    bad = {**good, "id": "c2", **change}
    path = candidates_file(tmp_path, good, bad)
    raises_csv(read_candidates_csv, path, 3, column, fragment)


def test_unknown_column_is_an_error(tmp_path: Path) -> None:
    """An unknown column is refused, naming it, never ignored."""
    path = candidates_file(tmp_path, {**CANDIDATE, "favourite_colour": "blue"})
    raises_csv(read_candidates_csv, path, 1, "favourite_colour", "unknown column")


def test_missing_required_column_is_an_error(tmp_path: Path) -> None:
    """A missing required column is named on the header row."""
    row = {k: v for k, v in CANDIDATE.items() if k != "modes"}
    raises_csv(read_candidates_csv, candidates_file(tmp_path, row), 1, "modes", "missing")


def test_duplicate_header_column(tmp_path: Path) -> None:
    """A column named twice in the header is an error."""
    path = tmp_path / "dup.csv"
    header = ",".join(CANDIDATE) + ",modes"
    path.write_text(header + "\n", encoding="utf-8")
    raises_csv(read_candidates_csv, path, 1, "modes", "twice")


def test_duplicate_id_names_both_rows(tmp_path: Path) -> None:
    """A repeated id is reported on its second row with the first row's number."""
    path = candidates_file(tmp_path, CANDIDATE, {**CANDIDATE, "id": "c2"}, CANDIDATE)
    raises_csv(read_candidates_csv, path, 4, "id", "already used on row 2")


def test_too_many_and_too_few_cells(tmp_path: Path) -> None:
    """Rows whose cell count differs from the header are errors, not padded or cut."""
    path = candidates_file(tmp_path, CANDIDATE)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(f"{lines[0]}\n{lines[1]},extra\n", encoding="utf-8")
    raises_csv(read_candidates_csv, path, 2, f"#{len(CANDIDATE) + 1}", "cells")
    path.write_text(f"{lines[0]}\n{lines[1].rsplit(',', 1)[0]}\n", encoding="utf-8")
    raises_csv(read_candidates_csv, path, 2, "enrolled_full_time_until", "cells")


def test_row_numbers_count_lines_of_quoted_cells(tmp_path: Path) -> None:
    """A quoted cell spanning lines moves later rows' numbers to their real line."""
    first = {**CANDIDATE, "name": "Line one\nLine two"}
    bad = {**CANDIDATE, "id": "c2", "name": "", "available_start": "nope"}
    path = candidates_file(tmp_path, first, bad)
    raises_csv(read_candidates_csv, path, 4, "available_start", "YYYY-MM-DD")


def test_empty_and_missing_files(tmp_path: Path) -> None:
    """An empty file and a missing file are errors naming the file."""
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    raises_csv(read_candidates_csv, empty, 1, None, "empty")
    raises_csv(read_candidates_csv, tmp_path / "absent.csv", None, None, "cannot read")


def test_not_utf8(tmp_path: Path) -> None:
    """A file that is not UTF-8 is an error naming the file."""
    path = tmp_path / "latin1.csv"
    path.write_bytes(",".join(CANDIDATE).encode() + b"\n\xff\xfe\n")
    raises_csv(read_candidates_csv, path, None, None, "UTF-8")


# --- positions ------------------------------------------------------------------


def test_positions_load_with_window_dates_allowance_and_hybrid(tmp_path: Path) -> None:
    """Window starts, listed starts, allowances and hybrid splits are read."""
    listed = {
        **POSITION,
        "id": "p2",
        "start_window_start": "",
        "start_window_end": "",
        "start_dates": "2020-09-01;2020-07-01",
        "allowance_monthly": "3500.50",
        "allowance_currency": "CNY",
        "allowance_payer": "h1",
        "housing_cover": "yes",
        "hours_per_week": "37.5",
        "languages": "en;zh",
        "required_skills": "python",
        "programme": "prog",
        "zones": "cn-cq-pilot-ftz",
        "start_first_of_month": "",
        "mode": "hybrid",
        "hybrid_on_site_share": "0.5",
        "hybrid_on_site_phase": "last",
    }
    header = [*POSITION, *(k for k in listed if k not in POSITION)]
    path = write(tmp_path / "positions.csv", header, [POSITION, listed])
    assert set(header) <= set(POSITION_COLUMNS[0]) | set(POSITION_COLUMNS[1])
    p1, p2 = read_positions_csv(path)
    assert isinstance(p1.starts, StartWindow) and p1.starts.first_of_month
    assert p1.fields == {"big-data", "ai"} and p1.seats == 2 and p1.allowance is None
    assert p1.hours_per_week == Decimal(40)
    assert isinstance(p2.starts, StartDates)
    assert p2.starts.dates == (date(2020, 7, 1), date(2020, 9, 1))
    assert p2.allowance is not None and p2.allowance.monthly == Money("3500.50", "CNY")
    assert p2.housing_cover and p2.hours_per_week == Decimal("37.5")
    assert p2.hybrid is not None and p2.hybrid.on_site_phase is Phase.LAST
    assert p2.location.zones == {"cn-cq-pilot-ftz"}


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"seats": "0"}, "seats", "must be positive"),
        ({"seats": "two"}, "seats", "whole number"),
        ({"mode": "office"}, "mode", "not one of"),
        ({"country": "China"}, "country", "ISO 3166-1"),
        ({"mode": "hybrid"}, "mode", "needs its split"),
        ({"mode": "remote", "housing_cover": "true"}, "housing_cover", "no housing cover"),
        ({"housing_cover": "maybe"}, "housing_cover", "true or false"),
        ({"start_dates": "2020-07-01"}, "start_dates", "not both"),
        ({"start_window_start": "", "start_window_end": ""}, "start_dates", "give start_dates"),
        ({"start_window_end": "2020-06-01"}, "start_window_end", "must be after start"),
        ({"allowance_monthly": "3000"}, "allowance_currency", "needs allowance_monthly"),
        (
            {"allowance_monthly": "3000", "allowance_currency": "RMB", "allowance_payer": "h1"},
            "allowance_currency",
            "unknown currency",
        ),
        (
            {"allowance_monthly": "-1", "allowance_currency": "CNY", "allowance_payer": "h1"},
            "allowance_monthly",
            "must not be negative",
        ),
        ({"hours_per_week": "100"}, "hours_per_week", "(0, 84]"),
        ({"hybrid_on_site_phase": "first"}, "hybrid_on_site_phase", "hybrid_on_site_share"),
        (
            {"mode": "hybrid", "hybrid_on_site_share": "1.5"},
            "hybrid_on_site_share",
            "strictly between 0 and 1",
        ),
        ({"title": "  "}, "title", "required value is empty"),
    ],
)
def test_position_cell_errors_name_row_and_column(
    tmp_path: Path, change: dict[str, str], column: str, fragment: str
) -> None:
    """A bad position cell is reported with file, row and the column it came from."""
    blanks = {
        k: ""
        for k in (
            "start_dates",
            "housing_cover",
            "allowance_monthly",
            "allowance_currency",
            "allowance_payer",
            "hours_per_week",
            "hybrid_on_site_share",
            "hybrid_on_site_phase",
        )
    }
    good = {**POSITION, **blanks}
    path = positions_file(tmp_path, good, {**good, "id": "p2", **change})
    raises_csv(read_positions_csv, path, 3, column, fragment)


# --- preferences ------------------------------------------------------------------


def prefs_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prefs.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_candidate_rankings_with_ties(tmp_path: Path) -> None:
    """Candidate -> position ranks are read per candidate, ties kept."""
    path = prefs_file(tmp_path, "candidate,position,rank\nc1,p1,1\nc1,p2,2\nc1,p3,2\nc2,p3,1\n")
    rankings = read_preferences_csv(path, chooser="candidate")
    assert list(rankings) == ["c1", "c2"]
    assert rankings["c1"] == Ranking({"p1": 1, "p2": 2, "p3": 2})
    assert rankings["c1"].has_ties


def test_position_rankings_from_scores(tmp_path: Path) -> None:
    """A position -> candidate table with scores becomes dense ranks, equal scores tied."""
    path = prefs_file(tmp_path, "position,candidate,score\np1,c1,0.9\np1,c2,0.5\np1,c3,0.9\n")
    rankings = read_preferences_csv(path)
    assert rankings["p1"] == Ranking({"c1": 1, "c3": 1, "c2": 2})


@pytest.mark.parametrize(
    ("text", "row", "column", "fragment"),
    [
        ("candidate,position,rank\nc1,p1,0\n", 2, "rank", "1 or more"),
        ("candidate,position,rank\nc1,p1,first\n", 2, "rank", "whole number"),
        ("candidate,position,score\nc1,p1,high\n", 2, "score", "decimal"),
        ("candidate,position,rank\nc1,p1,1\nc1,p1,2\n", 3, "position", "again"),
        ("candidate,position,rank\n,p1,1\n", 2, "candidate", "empty"),
        ("candidate,position\nc1,p1\n", 1, "candidate", "header must be"),
        ("candidate,position,rank,score\n", 1, "rank", "header must be"),
        ("student,position,rank\n", 1, "student", "unknown column"),
        ("position,candidate,rank\np1,c1,1\n", 1, "position", "made by candidates"),
    ],
)
def test_preference_errors(tmp_path: Path, text: str, row: int, column: str, fragment: str) -> None:
    """Every preference error names the file, row and column."""
    path = prefs_file(tmp_path, text)
    raises_csv(lambda p: read_preferences_csv(p, chooser="candidate"), path, row, column, fragment)


def test_known_ids_are_checked_at_read_time(tmp_path: Path) -> None:
    """Ids outside the known sets are reported with their row and column."""
    path = prefs_file(tmp_path, "candidate,position,rank\nc1,p1,1\nc1,p9,2\n")
    raises_csv(
        lambda p: read_preferences_csv(p, known_choosers={"c1"}, known_chosen={"p1"}),
        path,
        3,
        "position",
        "unknown position 'p9'",
    )


def test_attach_preferences_to_candidates_and_positions(tmp_path: Path) -> None:
    """Rankings go onto the matching candidates and positions; others are unchanged."""
    cands = read_candidates_csv(candidates_file(tmp_path, CANDIDATE, {**CANDIDATE, "id": "c2"}))
    poss = read_positions_csv(positions_file(tmp_path, POSITION))
    with_prefs = attach_preferences(cands, {"c2": Ranking({"p1": 1})})
    assert with_prefs[0] == cands[0]
    assert with_prefs[1].preferences == Ranking({"p1": 1})
    (pos,) = attach_preferences(poss, {"p1": Ranking({"c1": 1, "c2": 1})})
    assert pos.candidate_preferences == Ranking({"c1": 1, "c2": 1})


def test_attach_preferences_refuses_unknown_ids_and_overwrites(tmp_path: Path) -> None:
    """A ranking for an unknown id, or one replacing an existing ranking, is an error."""
    cands = read_candidates_csv(candidates_file(tmp_path, CANDIDATE))
    with pytest.raises(ModelValidationError, match=r"rankings\[c9\]: no candidate"):
        attach_preferences(cands, {"c9": Ranking({"p1": 1})})
    ranked = attach_preferences(cands, {"c1": Ranking({"p1": 1})})
    with pytest.raises(ModelValidationError, match="already has a ranking"):
        attach_preferences(ranked, {"c1": Ranking({"p2": 1})}, replace=False)
