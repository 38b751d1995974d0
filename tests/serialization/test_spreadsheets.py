"""Spreadsheets in: every error of every file at once, any source, a scenario that matches."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq.cli import main
from sgcq.errors import CsvError, MultiCsvError
from sgcq.scenarios import load_scenario
from sgcq.serialization import (
    iter_candidates_csv,
    read_candidates_csv,
    read_positions_csv,
    scenario_from_files,
)
from sgcq.serialization.tables import restore_cell

CAND_HEADER = (
    "id,university,nationalities,discipline,available_start,available_end,"
    "duration_min,duration_max,modes,enrolled_full_time_until,cohort,name"
)
POS_HEADER = (
    "id,host,title,fields,seats,mode,country,city,duration_min,duration_max,start_dates,programme"
)


def cand(i: int, name: str = "") -> str:
    return (
        f"c{i:02d},nus,SG,business-analytics,2019-12-01,2020-02-01,5 weeks,5 weeks,on_site,"
        f"2022-05-31,ytp-2019-dec,{name}"
    )


def pos(pid: str, seats: int = 2) -> str:
    return (
        f"{pid},ytp-host,Intern {pid},big-data,{seats},on_site,CN,Chongqing,5 weeks,5 weeks,"
        "2019-12-16,sg-cq-youth-talent"
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A coordinator's three good files for the NUS base scenario."""
    names = ['=HYPERLINK("http://x")', "+Tan", "@Lim", "-Ng", "Ong"]
    c = tmp_path / "c.csv"
    c.write_text("\n".join([CAND_HEADER, *(cand(i, names[i]) for i in range(5))]) + "\n")
    p = tmp_path / "p.csv"
    p.write_text("\n".join([POS_HEADER, pos("p1"), pos("p2"), pos("p3", 1)]) + "\n")
    cp = tmp_path / "cp.csv"
    cp.write_text(
        "candidate,position,rank\n"
        + "".join(f"c{i:02d},p{1 + i % 3},1\nc{i:02d},p{1 + (i + 1) % 3},2\n" for i in range(5))
    )
    return {"candidates": c, "positions": p, "preferences": cp}


def test_scenario_from_files_matches(files: dict[str, Path]) -> None:
    """The files make a valid scenario; every candidate has a ranking."""
    s = scenario_from_files(load_scenario("nus-ytp-2019"), **files)
    assert [c.id for c in s.candidates] == [f"c{i:02d}" for i in range(5)]
    assert all(len(c.preferences) == 2 for c in s.candidates)
    assert [p.id for p in s.positions] == ["p1", "p2", "p3"]


def test_five_bad_cells_in_three_files_in_one_run(files: dict[str, Path]) -> None:
    """Five bad cells spread over three files are all reported by one call, sorted by row."""
    c = files["candidates"].read_text().splitlines()
    c[2] = c[2].replace("2019-12-01", "2019-13-01")  # bad date, row 3
    c[4] = c[4].replace("5 weeks,5 weeks", "5 weeks,five weeks")  # bad duration, row 5
    files["candidates"].write_text("\n".join(c) + "\n")
    p = files["positions"].read_text().splitlines()
    p[1] = p[1].replace(",2,on_site", ",0,on_site")  # seats 0, row 2
    p[3] = p[3].replace("on_site", "onsite")  # bad mode, row 4
    files["positions"].write_text("\n".join(p) + "\n")
    cp = files["preferences"].read_text().splitlines()
    cp[3] = cp[3].replace("c01", "c1")  # unknown candidate, row 4
    files["preferences"].write_text("\n".join(cp) + "\n")
    with pytest.raises(MultiCsvError) as info:
        scenario_from_files(load_scenario("nus-ytp-2019"), **files)
    errors = info.value.errors
    where = [(Path(e.file).name, e.row, e.column) for e in errors]
    assert where == [
        ("c.csv", 3, "available_start"),
        ("c.csv", 5, "duration_max"),
        ("p.csv", 2, "seats"),
        ("p.csv", 4, "mode"),
        ("cp.csv", 4, "candidate"),
    ]
    text = str(info.value)
    assert text.startswith("5 problems in 3 files:")
    assert "did you mean 'on_site'?" in text
    assert "did you mean 'c01'?" in text or "did you mean 'c00'?" in text


def test_several_cells_of_one_row(tmp_path: Path) -> None:
    """Two bad cells of the same row are both reported."""
    f = tmp_path / "c.csv"
    f.write_text(
        CAND_HEADER + "\n" + cand(1).replace("2020-02-01", "x").replace("on_site", "y") + "\n"
    )
    with pytest.raises(MultiCsvError) as info:
        read_candidates_csv(f)
    assert [(e.row, e.column) for e in info.value.errors] == [
        (2, "available_end"),
        (2, "modes"),
    ]


def test_unknown_column_suggests_the_known_one(tmp_path: Path) -> None:
    """A misspelt column names the column it was probably meant to be."""
    f = tmp_path / "c.csv"
    f.write_text(CAND_HEADER.replace("available_end", "availabel_end") + "\n" + cand(1) + "\n")
    with pytest.raises(CsvError, match="did you mean 'available_end'"):
        read_candidates_csv(f)


def test_errors_are_capped_with_the_rest_counted(tmp_path: Path) -> None:
    """With more bad rows than the cap, the first are kept and the rest counted exactly."""
    f = tmp_path / "c.csv"
    bad = cand(1).replace("2019-12-01", "nope")
    f.write_text(CAND_HEADER + "\n" + "\n".join(bad.replace("c01", f"c{i}") for i in range(50)))
    with pytest.raises(MultiCsvError) as info:
        read_candidates_csv(f, max_errors=10)
    assert len(info.value.errors) == 10
    assert info.value.more == 40
    assert info.value.stopped == {}
    assert "50 problems in" in str(info.value)


def test_errors_after_the_cap_are_counted(tmp_path: Path) -> None:
    """Reading goes on past the cap: a later bad row of another kind is counted too."""
    f = tmp_path / "c.csv"
    bad = cand(1).replace("2019-12-01", "nope")
    rows = [bad.replace("c01", f"c{i}") for i in range(3)]
    rows += [cand(1).replace("c01", f"g{i}") for i in range(5)]
    rows += ["c99,too,few"]
    f.write_text(CAND_HEADER + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(MultiCsvError) as info:
        read_candidates_csv(f, max_errors=2)
    assert [e.row for e in info.value.errors] == [2, 3]
    assert info.value.more == 2
    assert "and 2 more" in str(info.value)


def test_iter_reports_a_bad_row_without_reading_the_rest(tmp_path: Path) -> None:
    """The streaming reader raises at the bad row; the rows after it are never parsed."""
    lines = [CAND_HEADER, *(cand(i) for i in range(8)), cand(9).replace("SG", "S G")]
    # Row 11 onwards is not even CSV: a reader that went on would fail differently.
    lines += ['"unterminated'] * 3
    f = tmp_path / "big.csv"
    f.write_text("\n".join(lines) + "\n")
    got = []
    with pytest.raises(CsvError) as info:
        for c in iter_candidates_csv(f):
            got.append(c.id)
    assert info.value.row == 10 and len(got) == 8


def test_file_objects_text_and_binary(files: dict[str, Path]) -> None:
    """Open text and binary files read like paths; errors name the file object."""
    text = files["positions"].read_text()
    assert len(read_positions_csv(io.StringIO(text))) == 3
    assert len(read_positions_csv(io.BytesIO(text.encode("utf-8-sig")))) == 3
    with pytest.raises(CsvError, match="<stream>, row 2"):
        read_positions_csv(io.StringIO(text.replace(",2,on_site", ",0,on_site", 1)))


def test_dataframe_goes_through_the_same_validation(files: dict[str, Path]) -> None:
    """A DataFrame is validated like a file, with its rows numbered as in a CSV."""
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(files["positions"])
    assert [p.id for p in read_positions_csv(frame)] == ["p1", "p2", "p3"]
    frame.loc[1, "seats"] = 0
    with pytest.raises(CsvError) as info:
        read_positions_csv(frame, name="positions frame")
    assert (info.value.file, info.value.row, info.value.column) == ("positions frame", 3, "seats")


def test_xlsx_in(files: dict[str, Path], tmp_path: Path) -> None:
    """An .xlsx sheet reads like the CSV it was made from (numbers and dates as cells)."""
    openpyxl = pytest.importorskip("openpyxl")
    import csv
    from datetime import date

    book = openpyxl.Workbook()
    ws = book.active
    for i, row in enumerate(csv.reader(files["positions"].open())):
        cells: list[object] = list(row)
        if i:
            cells[4] = int(row[4])
            cells[10] = date.fromisoformat(row[10])
        ws.append(cells)
    path = tmp_path / "p.xlsx"
    book.save(path)
    assert read_positions_csv(path) == read_positions_csv(files["positions"])


def test_match_from_the_coordinators_files(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sgcq match BASE --candidates ... -o placements.csv --unplaced unplaced.csv` writes both."""
    out, unplaced = tmp_path / "placements.csv", tmp_path / "unplaced.csv"
    args = ["match", "nus-ytp-2019"]
    for key, path in files.items():
        args += [f"--{key}", str(path)]
    assert main([*args, "-o", str(out), "--unplaced", str(unplaced)]) == 0
    report = capsys.readouterr().out
    assert "placed 5 of 5 candidates" in report
    import csv

    rows = list(csv.DictReader(out.open()))
    assert sorted(r["candidate"] for r in rows) == [f"c{i:02d}" for i in range(5)]
    assert unplaced.read_text().startswith("candidate,state,position,starts,kind,reason")
    first = out.read_bytes()
    assert main([*args, "-o", str(out), "--unplaced", str(unplaced)]) == 0
    assert out.read_bytes() == first  # byte-identical under the deterministic limit


def test_formula_looking_values_round_trip_neutralised(tmp_path: Path) -> None:
    """Ids and reasons that look like formulas are written with a leading apostrophe."""
    from sgcq.serialization.tables import write_table

    values = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx", "'quoted", "plain"]
    path = write_table(tmp_path / "t.csv", ["value", "n"], [[v, -3] for v in values])
    import csv

    rows = list(csv.reader(path.open(newline="")))[1:]
    assert [r[0][0] for r in rows[:6]] == ["'"] * 6
    assert [restore_cell(r[0]) for r in rows] == values
    assert rows[-1][0] == "plain" and rows[0][1] == "-3"  # numbers are not text


def test_xlsx_out_is_neutralised_and_byte_identical(tmp_path: Path) -> None:
    """An .xlsx table has the same protection and the same bytes on every write."""
    openpyxl = pytest.importorskip("openpyxl")
    from sgcq.serialization.tables import write_table

    a = write_table(tmp_path / "a.xlsx", ["v"], [["=cmd()"], ["ok"]])
    b = write_table(tmp_path / "b.xlsx", ["v"], [["=cmd()"], ["ok"]])
    assert a.read_bytes() == b.read_bytes()
    ws = openpyxl.load_workbook(a).active
    assert ws["A2"].value == "'=cmd()" and ws["A2"].data_type == "s"


def test_match_progress_prints_a_line_per_stage(capsys: pytest.CaptureFixture[str]) -> None:
    """`sgcq match --progress` prints progress lines to standard error, one per stage event.

    On the NTU cohort the relaxation does not close the gap and the MIP stage
    proves the optimum, so CP-SAT does not run.
    """
    assert main(["match", "ntu-ydpg-2020", "--progress"]) == 0
    err = capsys.readouterr().err.splitlines()
    stages = {line.split("] ")[1].split(":")[0] for line in err if "] " in line}
    assert {"start", "lagrangian", "mip", "done"} <= stages


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_neutralised_cells_never_start_a_formula_and_restore(text: str) -> None:
    """Any text: the written cell starts with no formula trigger, and restore gives it back."""
    from sgcq.serialization.tables import FORMULA_TRIGGERS, neutralise_cell

    cell = neutralise_cell(text)
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert restore_cell(cell) == text


@settings(max_examples=25, deadline=None)
@given(cells=st.lists(st.text(), min_size=1, max_size=5))
def test_csv_tables_round_trip_through_the_standard_reader(cells: list[str]) -> None:
    """A written CSV row reads back (csv module) to the neutralised cells, line breaks included."""
    import csv
    import tempfile

    from sgcq.serialization.tables import neutralise_cell, write_table

    path = Path(tempfile.mkdtemp()) / "t.csv"
    write_table(path, [f"c{i}" for i in range(len(cells))], [cells])
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[1] == [neutralise_cell(c) for c in cells]


def test_personal_cell_values_are_not_echoed(tmp_path: Path) -> None:
    """A malformed birth date is refused naming its column, not its value."""
    f = tmp_path / "c.csv"
    f.write_text(CAND_HEADER + ",date_of_birth\n" + cand(1) + ",2006-02-30x\n")
    with pytest.raises(CsvError) as info:
        read_candidates_csv(f)
    assert info.value.column == "date_of_birth"
    assert "2006-02-30x" not in str(info.value)
    assert "is not a date" in str(info.value)
