"""``sgcq rounds`` and ``sgcq tasks`` from files, through main()."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from sgcq.cli import main
from sgcq.matching import RoundRecord, Standing
from sgcq.models import PlacementStatus, Scenario
from sgcq.serialization import load


def _round(tmp_path: Path, n: int, source: str, responses: str | None = None) -> Scenario:
    args = ["rounds", source, "--round", str(n), "--at", f"2020-06-0{n}T09:00+08:00"]
    args += ["-o", str(tmp_path / f"s{n}.json"), "--record", str(tmp_path / f"r{n}.json")]
    if responses is not None:
        path = tmp_path / f"a{n}.csv"
        path.write_text(responses, encoding="utf-8")
        args += ["--responses", str(path)]
    assert main(args) == 0
    scenario: Scenario = load(tmp_path / f"s{n}.json", Scenario)
    return scenario


def test_two_rounds_from_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Round 1 offers; round 2 reads a decline and an acceptance from CSV, lapses the rest,
    writes the scenario with its placements and a record that reads back."""
    first = _round(tmp_path, 1, "nus-ytp-2019")
    offers = sorted(p.candidate for p in first.placements)
    assert offers and all(p.status is PlacementStatus.OFFERED for p in first.placements)
    assert "round 1" in capsys.readouterr().out
    answers = f"candidate,response\n{offers[0]},declined\n{offers[1]},accepted\n"
    second = _round(tmp_path, 2, str(tmp_path / "s1.json"), answers)
    record = load(tmp_path / "r2.json", RoundRecord)
    assert [o.candidate for o in record.declined] == [offers[0]]
    assert [o.candidate for o in record.accepted] == [offers[1]]
    assert len(record.lapsed) == len(offers) - 2
    assert record.standing(offers[1]).state is Standing.PLACED
    statuses = {(p.candidate, p.status) for p in second.placements}
    assert (offers[0], PlacementStatus.DECLINED) in statuses


def test_tasks_export_csv_and_ics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """sgcq tasks writes the open placements' tasks to CSV (stdout or a file) and to .ics."""
    _round(tmp_path, 1, "nus-ytp-2019")
    capsys.readouterr()
    source = str(tmp_path / "s1.json")
    assert main(["tasks", source]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("candidate,position,kind,due") and len(lines) > 1
    ics = tmp_path / "t.ics"
    assert main(["tasks", source, "-o", str(ics), "--stamp", "2020-06-01T09:00+08:00"]) == 0
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert len(events) == len(lines) - 1


def test_bad_responses_exit_2_naming_the_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown response is bad data: exit code 2 and the file, row and column named."""
    _round(tmp_path, 1, "nus-ytp-2019")
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate,response\nnus-c01,maybe\n", encoding="utf-8")
    args = ["rounds", str(tmp_path / "s1.json"), "--round", "2", "--at", "2020-06-02T09:00+08:00"]
    assert main([*args, "--responses", str(bad)]) == 2
    assert "row 2, column 'response'" in capsys.readouterr().err
    assert main(["rounds", "nus-ytp-2019", "--round", "1", "--at", "2020-06-02T09:00"]) == 2


def test_a_withdrawal_with_a_note_from_the_responses_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A withdrawn row with a note takes the candidate out: the record says withdrawn with
    the note, the summary lists them, and a declined one stays in the pool."""
    first = _round(tmp_path, 1, "nus-ytp-2019")
    offers = sorted(p.candidate for p in first.placements)
    capsys.readouterr()
    answers = (
        "candidate,response,note\n"
        f"{offers[0]},withdrawn,took a job in Singapore\n"
        f"{offers[1]},declined,\n"
    )
    _round(tmp_path, 2, str(tmp_path / "s1.json"), answers)
    record = load(tmp_path / "r2.json", RoundRecord)
    gone = record.standing(offers[0])
    assert gone.state is Standing.WITHDRAWN
    assert gone.reasons == ("round 2: withdrew from the programme: took a job in Singapore",)
    assert record.standing(offers[1]).state is not Standing.WITHDRAWN
    out = capsys.readouterr().out
    assert f"{offers[0]}: withdrawn: round 2: withdrew from the programme" in out


def test_an_unknown_column_of_the_responses_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt column is an error naming it, not ignored."""
    _round(tmp_path, 1, "nus-ytp-2019")
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate,response,notes\nnus-c01,declined,x\n", encoding="utf-8")
    args = ["rounds", str(tmp_path / "s1.json"), "--round", "2", "--at", "2020-06-02T09:00+08:00"]
    assert main([*args, "--responses", str(bad)]) == 2
    assert "row 1, column 'notes'" in capsys.readouterr().err
