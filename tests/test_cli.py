"""Tests of the sgcq command line, called through main()."""

from __future__ import annotations

import io
import re
from pathlib import Path

import attrs
import pytest

from sgcq import __version__
from sgcq.cli import describe_scenario, main, run_demo
from sgcq.models import Money
from sgcq.scenarios import list_scenarios, load_scenario, scenario_path
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
    """An unknown name is a one-line error listing the known names, exit 2."""
    assert main(["show", "ntu-2099"]) == 2
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
    """A bad document prints the file and every bad value's path on stderr, exit 2."""
    path = tmp_path / "bad.toml"
    path.write_text('schema_version = 1\nkind = "money"\namount = "x"\ncurrency = "SGD"\n')
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(path) in captured.err and "amount" in captured.err
    assert "Traceback" not in captured.err


def test_validate_missing_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file gives a one-line error naming the path, exit 2."""
    assert main(["validate", "no/such/file.toml"]) == 2
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
    assert main(["validate", str(bad), "--kind", "candidates"]) == 2
    # The problem as its row is read, then the summary.
    line, summary = capsys.readouterr().err.splitlines()
    assert str(bad) in line and "row 2" in line and "'modes'" in line
    assert summary == f"sgcq: error: 1 problem in {bad} (each is shown above)"


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


@pytest.fixture(scope="module")
def demo_output() -> str:
    """The demo's report, computed once (it solves the NTU cohort)."""
    buffer = io.StringIO()
    assert run_demo(buffer) == 0
    return buffer.getvalue()


def test_demo_matches_and_reports(demo_output: str) -> None:
    """demo validates the NTU–YDPG scenario, matches it and reports every section."""
    out = demo_output
    assert out.startswith("Scenario ntu-ydpg-2020")
    assert "Validation: OK" in out
    for section in (
        "Matching report for cohort ntu-ydpg-2020-h2: optimal",
        "placed 90 of 120 candidates",
        "ranks: #1: ",
        "budget used: CNY ",
        "beds: peak ",
        "Placements (the first 20 of 90), by host and position",
        "Unplaced (30):",
    ):
        assert section in out, section
    assert len(out.splitlines()) <= 50


def test_demo_is_reproducible(demo_output: str) -> None:
    """With the default settings (one worker, seed 0, deterministic limit) runs repeat."""
    again = io.StringIO()
    assert run_demo(again) == 0

    def untimed(text: str) -> str:
        return re.sub(r"in \d+\.\d+ s", "in <time> s", text)

    assert untimed(again.getvalue()) == untimed(demo_output)


def test_demo_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`sgcq demo` exits 0 and prints the report."""
    assert main(["demo"]) == 0
    assert "Matching report" in capsys.readouterr().out


def test_match_writes_a_result_that_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sgcq match FILE -o result.json` reports and writes a loadable result."""
    from sgcq.matching import Result
    from sgcq.serialization import load

    scenario = tmp_path / "nus.toml"
    scenario.write_text(scenario_path("nus-ytp-2019").read_text())
    out_file = tmp_path / "result.json"
    assert main(["match", str(scenario), "-o", str(out_file)]) == 0
    assert "placed 19 of 19 candidates" in capsys.readouterr().out
    result = load(out_file, Result)
    assert result.placed == 19


def test_match_refuses_an_unknown_result_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The result file must be .json or .toml; anything else is a usage error."""
    assert main(["match", "nus-ytp-2019", "-o", str(tmp_path / "r.txt")]) == 2
    assert "must end in .json, .toml, .csv or .xlsx" in capsys.readouterr().err


def test_match_reports_infeasible_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An infeasible cohort exits 1 and says why."""
    s = load_scenario("nus-ytp-2019")
    cohort = attrs.evolve(s.cohorts[0], min_size=50, max_size=None)
    path = dump(attrs.evolve(s, cohorts=(cohort,)), tmp_path / "bad.toml")
    assert main(["match", str(path)]) == 1
    assert "infeasible" in capsys.readouterr().out.lower()


@pytest.mark.parametrize("name", list_scenarios())
def test_describe_every_scenario(name: str) -> None:
    """Every bundled scenario can be described."""
    text = describe_scenario(load_scenario(name))
    assert text.startswith(f"Scenario {name}") and "Positions:" in text


def test_verbose_logs_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """-v turns on diagnostics, which never go to standard output."""
    assert main(["-v", "show", "nus-ytp-2019"]) == 0
    assert "loading" not in capsys.readouterr().out


def test_show_lists_a_scenarios_measures() -> None:
    """`sgcq show` lists each dated measure with its country, modes, dates and description."""
    text = describe_scenario(load_scenario("suss-overseas-2021"))
    assert "Measures:\n  cn-on-site-closed-2021-04: CN closes on_site from 2021-04-01: " in text
    assert "Measures:" not in describe_scenario(load_scenario("ntu-ydpg-2020"))


def test_match_a_course_cohort_reports_its_certificates(capsys: pytest.CaptureFixture[str]) -> None:
    """`sgcq match` on a cohort placed in course sessions says who earns the certificate."""
    assert main(["match", "ntu-west-base-2021", "--cohort", "exec-2021"]) == 0
    out = capsys.readouterr().out
    assert "Certificates, with the sessions placed:" in out
    assert re.search(r"ntu-west-executive-2021 \(.*\): 12 of 12 participants earn it", out)
    assert main(["match", "ntu-ydpg-2020"]) == 0
    assert "Certificates" not in capsys.readouterr().out
