"""``sgcq sweep`` and ``sgcq plan``, called through main()."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from planning_helpers import small_problem

from sgcq.cli import main
from sgcq.cli._common import UsageError
from sgcq.cli._sweep import parse_axis, parse_value
from sgcq.models import Money, MonthlyBeds, YearMonth
from sgcq.planning import RateChange, SeatsChange, Variation

BASE = small_problem()


def test_sweep_writes_one_row_per_variation_and_a_progress_line(tmp_path, capsys) -> None:
    out = tmp_path / "sweep.csv"
    code = main(
        [
            "sweep",
            "nus-ytp-2019",
            "--vary",
            "max_size=4:12:3",
            "--vary",
            "seats@field:ai=0,1",
            "--limit",
            "5",
            "-o",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    rows = list(csv.DictReader(out.open()))
    assert [r["label"] for r in rows] == [
        f"seats of field ai +{a}, max size {m}" for m in (4, 8, 12) for a in (0, 1)
    ]
    assert [int(r["placed"]) for r in rows[::2]] == [4, 8, 12]
    assert all(r["status"] == "optimal" for r in rows)
    lines = [x for x in captured.err.splitlines() if x.startswith("sweep: ")]
    assert lines[-1].startswith("sweep: 6/6 | ") and len(lines) == 6
    assert "6 rows written to" in captured.out


def test_sweep_reports_a_failing_variation_and_exits_1(capsys) -> None:
    code = main(["sweep", "nus-ytp-2019", "--vary", "withdraw=nobody,ytp-host", "--limit", "5"])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "withdrawn nobody    error      VariationError: withdrawn_hosts: unknown host 'nobody'"
        in out
    )
    assert "withdrawn ytp-host" in out and "placed 0" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--vary", "beds"], "--vary: expected NAME=VALUES"),
        (["--vary", "colour=1,2"], "--vary colour: unknown name"),
        (["--vary", "max_size=1:2"], "--vary max_size: expected START:STOP:COUNT"),
        (["--vary", "max_size=1.5"], "--vary max_size: 1.5 is not a whole number"),
        (["--vary", "budget=x"], "--vary budget: 'x' is not a number"),
        (["--scheduler", "tcp://x:1", "--processes", "2"], "give --scheduler or --processes"),
        (["-o", "table.json"], "the sweep table is written as .csv"),
    ],
)
def test_sweep_usage_errors_exit_2(argv, message, capsys) -> None:
    assert main(["sweep", "nus-ytp-2019", *argv]) == 2
    assert message in capsys.readouterr().err


def test_the_vary_names_make_the_variations() -> None:
    assert parse_axis("beds=0.8:1.2:3", BASE) == tuple(
        Variation(beds_scale=Decimal(x)) for x in ("0.8", "1", "1.2")
    )
    assert parse_axis("budget=1e4", BASE) == (Variation(budget=Money(10000, "SGD")),)
    assert parse_value("beds@2020-12=4", BASE) == Variation(
        beds=[MonthlyBeds(YearMonth(2020, 12), 4)]
    )
    assert parse_value("seats@p1=2", BASE) == Variation(seats=[SeatsChange(position="p1", add=2)])
    assert parse_value("rate@SGD/CNY=5.1", BASE) == Variation(
        rates=[RateChange("SGD", "CNY", "5.1")]
    )
    assert parse_value("budget_scale=2", BASE) == Variation(budget_scale=2)
    assert parse_value("min_size=3", BASE) == Variation(min_size=3)
    with pytest.raises(UsageError, match="--set: expected one value"):
        parse_value("max_size=1,2", BASE)


def test_plan_finds_the_least_seats_and_prints_its_probes(capsys) -> None:
    code = main(
        [
            "plan",
            "nus-ytp-2019",
            "--target",
            "12",
            "--resource",
            "seats",
            "--field",
            "ai",
            "--set",
            "max_size=19",
            "--limit",
            "5",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("With max size 19:\nplacing 12 needs seats added to field ai = ")
    assert "-> enough" in out


def test_plan_exits_1_when_the_target_cannot_be_placed(capsys) -> None:
    code = main(
        [
            "plan",
            "nus-ytp-2019",
            "--target",
            "50",
            "--resource",
            "seats",
            "--field",
            "ai",
            "--limit",
            "5",
        ]
    )
    assert code == 1
    assert "proven impossible" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--resource", "seats"], "--resource seats needs --position or --field"),
        (["--field", "ai"], "--position and --field go with --resource seats"),
        (["--resource", "budget", "--month", "2020-12"], "--month goes with --resource beds"),
    ],
)
def test_plan_usage_errors_exit_2(argv, message, capsys) -> None:
    assert main(["plan", "nus-ytp-2019", *argv]) == 2
    assert message in capsys.readouterr().err


def test_plan_of_a_resource_the_cohort_lacks_is_an_error(capsys) -> None:
    assert main(["plan", "nus-ytp-2019", "--target", "3"]) == 2  # bad input
    assert "beds: the problem limits no month's beds" in capsys.readouterr().err


def test_without_dask_the_error_names_the_extra(monkeypatch, capsys) -> None:
    import importlib

    from sgcq.errors import DaskNotInstalledError
    from sgcq.planning import dask_client

    real = importlib.import_module

    def no_distributed(name, *args):
        if name == "distributed":
            raise ImportError("No module named 'distributed'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_distributed)
    with pytest.raises(DaskNotInstalledError, match=r'pip install "sgcq\[dask\]"'):
        dask_client("tcp://127.0.0.1:1")
    assert main(["sweep", "nus-ytp-2019", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert (
        'needs distributed, which is not installed; install it with: pip install "sgcq[dask]"'
        in (capsys.readouterr().err)
    )
