"""Tests of ``sgcq progress``."""

from __future__ import annotations

import pytest

from sgcq.cli import ExitCode, main


def test_progress_prints_each_target(capsys: pytest.CaptureFixture[str]) -> None:
    """The command prints every target with its observed value and state, exit 0."""
    assert main(["progress", "ssijri-2020", "--as-of", "2023-12-31"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "new_research_projects: at least 40 by 2025-12-31: on track; observed 25" in out
    assert "new_patent_applications: at least 100 by 2025-12-31: behind; observed 48" in out


def test_progress_defaults_to_the_scenario_date(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --as-of the scenario's own as_of is the report's date."""
    assert main(["progress", "nus-ytp-2019"]) == ExitCode.OK
    assert "as of 2019-12-13" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [["progress", "nus-ytp-2019", "--as-of", "30/04/2020"], ["progress", "no-such"]]
)
def test_progress_bad_input_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A bad date or an unknown scenario is bad input (exit 2) with a message."""
    assert main(argv) == ExitCode.BAD_INPUT
    assert capsys.readouterr().err
