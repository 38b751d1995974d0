"""Tests of the sgcq command line, called through main()."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sgcq import __version__
from sgcq.cli import describe_scenario, main, run_demo
from sgcq.models import Money
from sgcq.scenarios import list_scenarios, load_scenario
from sgcq.serialization import dump

CANDIDATES_CSV = (
    "id,university,nationalities,discipline,available_start,available_end,"
    "duration_min,duration_max,modes,enrolled_full_time_until\n"
    "c1,ntu,SG,computer-science,2020-07-01,2021-01-01,3 months,6 months,on_site,2021-05-31\n"
)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package version and exits 0."""
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"sgcq {__version__}"


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    """list prints one line per bundled scenario with its name."""
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(list_scenarios())


def test_show_bundled_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    """show prints organisations by role, programmes, cohorts with beds and budget, counts."""
    assert main(["show", "ntu-ydpg-2020"]) == 0
    out = capsys.readouterr().out
    for needle in (
        "Scenario ntu-ydpg-2020",
        "host_company (25)",
        "sending_university (1): ntu",
        "housing and meals for up to 6 months paid by ydpg",
        "beds: 2020-07",
        "allowance budget: CNY 1,500,000.00",
        "Candidates: 120",
        "Positions: 60 with",
        "Seats by field:",
        "big-data",
    ):
        assert needle in out


def test_show_scenario_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """show also accepts a path to a scenario file."""
    path = dump(load_scenario("nus-ytp-2019"), tmp_path / "s.json")
    assert main(["show", str(path)]) == 0
    assert "Candidates: 19" in capsys.readouterr().out


def test_show_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown name is a one-line error listing the known names, exit 1."""
    assert main(["show", "ntu-2099"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert "ntu-2099" in line and "ntu-ydpg-2020" in line


def test_validate_good_scenario_and_other_kinds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate prints OK with a summary for a scenario and the kind for other documents."""
    scenario_file = dump(load_scenario("yes-2020"), tmp_path / "yes.toml")
    assert main(["validate", str(scenario_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"OK {scenario_file}") and "Scenario yes-2020" in out
    money_file = dump(Money("10", "SGD"), tmp_path / "m.json")
    assert main(["validate", str(money_file), "--kind", "money"]) == 0
    assert capsys.readouterr().out.strip() == f"OK {money_file}: money"


def test_validate_bad_document_lists_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad document prints the file and every bad value's path on stderr, exit 1."""
    path = tmp_path / "bad.toml"
    path.write_text('schema_version = 1\nkind = "money"\namount = "x"\ncurrency = "SGD"\n')
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(path) in captured.err and "amount" in captured.err
    assert "Traceback" not in captured.err


def test_validate_missing_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file gives a one-line error naming the path."""
    assert main(["validate", "no/such/file.toml"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "no/such/file.toml" in line and "cannot read" in line


def test_validate_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """CSV files are validated by suffix with --kind; errors name file, row and column."""
    good = tmp_path / "c.csv"
    good.write_text(CANDIDATES_CSV, encoding="utf-8")
    assert main(["validate", str(good), "--kind", "candidates"]) == 0
    assert capsys.readouterr().out.strip() == f"OK {good}: 1 candidates"
    bad = tmp_path / "bad.csv"
    bad.write_text(CANDIDATES_CSV.replace("on_site,2021", "office,2021"), encoding="utf-8")
    assert main(["validate", str(bad), "--kind", "candidates"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert str(bad) in line and "row 2" in line and "'modes'" in line


def test_validate_csv_needs_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CSV file without --kind, or a CSV kind for a TOML file, is a usage error (exit 2)."""
    path = tmp_path / "c.csv"
    path.write_text(CANDIDATES_CSV, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "--kind" in capsys.readouterr().err
    assert main(["validate", "x.toml", "--kind", "positions"]) == 2
    assert "for .csv files" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """No command or an unknown one exits 2 with argparse's usage message."""
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_demo(capsys: pytest.CaptureFixture[str]) -> None:
    """demo shows the NTU–YDPG scenario and its validation."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Scenario ntu-ydpg-2020" in out and "Validation: OK" in out


def test_run_demo_writes_to_the_given_stream() -> None:
    """run_demo writes to its stream and returns 0."""
    buffer = io.StringIO()
    assert run_demo(buffer) == 0
    assert buffer.getvalue().startswith("Scenario ntu-ydpg-2020")


@pytest.mark.parametrize("name", list_scenarios())
def test_describe_every_scenario(name: str) -> None:
    """Every bundled scenario can be described."""
    text = describe_scenario(load_scenario(name))
    assert text.startswith(f"Scenario {name}") and "Positions:" in text


def test_verbose_logs_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """-v turns on diagnostics, which never go to standard output."""
    assert main(["-v", "show", "nus-ytp-2019"]) == 0
    assert "loading" not in capsys.readouterr().out
