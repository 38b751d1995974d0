"""``sgcq sweep`` and ``sgcq plan`` with a payer's budget, and ``sgcq sweep --cold``."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from sgcq.cli import main
from sgcq.matching import Problem, Settings, solve
from sgcq.models import Money, PayerBudget
from sgcq.planning import Variation, placed_problem
from sgcq.planning import sweep as sweep_module
from sgcq.scenarios import load_scenario
from sgcq.serialization import dump

#: The visa sponsor of the NUS programme (illustrative fee and budget, for tests only).
SPONSOR = "cq-exit-entry"


@pytest.fixture(scope="module")
def visas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The NUS cohort with a CNY 400 visa fee for its sponsor and a CNY 4,000 budget for it."""
    s = load_scenario("nus-ytp-2019")
    programme = s.programmes[0]
    benefits = attrs.evolve(programme.benefits, visa_fee=Money(Decimal(400), "CNY"))
    cohort = attrs.evolve(
        s.cohorts[0], payer_budgets=(PayerBudget(SPONSOR, Money(Decimal(4000), "CNY")),)
    )
    scenario = attrs.evolve(
        s, programmes=(attrs.evolve(programme, benefits=benefits),), cohorts=(cohort,)
    )
    path = tmp_path_factory.mktemp("visas") / "visas.json"
    dump(scenario, path)
    return path


def _problem(path: Path) -> Problem:
    from sgcq.serialization import load

    return Problem.from_scenario(load(path))


def test_the_visas_scenario_prices_the_sponsor(visas: Path) -> None:
    problem = _problem(visas)
    assert problem.payers == (SPONSOR,)
    assert all(pc.cost == Money(400, "CNY") for o in problem.options for pc in o.payer_costs)


def test_sweep_varies_a_payer_budget_and_writes_its_columns(visas, tmp_path, capsys) -> None:
    out = tmp_path / "sweep.csv"
    code = main(
        [
            *("sweep", str(visas), "--vary", f"budget@{SPONSOR}=0,2000,8000"),
            *("--limit", "5", "-o", str(out)),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    rows = list(csv.DictReader(out.open()))
    assert [r["label"] for r in rows] == [
        f"{SPONSOR} budget CNY {a}" for a in ("0", "2000", "8000")
    ]
    assert [r[f"payer_budget_{SPONSOR}"] for r in rows] == ["0", "2000", "8000"]
    assert {r[f"payer_currency_{SPONSOR}"] for r in rows} == {"CNY"}
    for r in rows:
        used = Decimal(r[f"payer_used_{SPONSOR}"])
        assert used <= Decimal(r[f"payer_budget_{SPONSOR}"])
        assert used == 400 * int(r["placed"])  # every NUS intern needs a visa
    free = solve(Problem.from_scenario(load_scenario("nus-ytp-2019")), Settings(workers=1))
    assert [int(r["placed"]) for r in rows] == [0, 5, free.placed]  # 8,000 is room for 20
    assert f"{SPONSOR} pays CNY 2000.00" in captured.out
    # The grid has no unchanged variation: the warm start's solve is reported, once.
    assert captured.out.count("(the base problem, solved first for the warm starts: ") == 1
    assert "optimal, placed 10)" in captured.out


def test_sweep_scales_a_payer_budget(visas, capsys) -> None:
    code = main(["sweep", str(visas), "--vary", f"budget_scale@{SPONSOR}=0.5:1:2", "--limit", "5"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"{SPONSOR} budget x0.5" in out and f"{SPONSOR} budget x1 " in out
    assert "placed 5" in out and "placed 10" in out


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("budget@nobody=1", "--vary budget@nobody: the problem has no payer 'nobody'"),
        ("budget_scale@nobody=1", "--vary budget_scale@nobody: the problem has no payer"),
    ],
)
def test_sweep_of_an_unknown_payer_is_a_usage_error(visas, spec, message, capsys) -> None:
    assert main(["sweep", str(visas), "--vary", spec]) == 2
    assert message in capsys.readouterr().err


def test_plan_finds_the_least_payer_budget(visas, capsys) -> None:
    code = main(
        [
            *("plan", str(visas), "--target", "7", "--resource", "budget", "--payer", SPONSOR),
            *("--step", "100", "--limit", "5"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    found = re.search(rf"placing 7 needs the budget of {SPONSOR} = (\d+); \d+ solves", out)
    assert found, out
    amount = Decimal(found.group(1))
    assert amount == 2800  # seven visas at CNY 400

    def placed(a: Decimal) -> int:
        p = placed_problem(_problem(visas), Variation(payer_budgets={SPONSOR: Money(a, "CNY")}))
        return solve(p, Settings(workers=1, deterministic_time_limit=5.0)).placed

    assert placed(amount) == 7 and placed(amount - 100) == 6


def test_plan_marginal_values_include_the_payer_budget(visas, capsys) -> None:
    code = main(
        [
            *("plan", str(visas), "--target", "10", "--resource", "budget", "--payer", SPONSOR),
            *("--step", "400", "--limit", "5", "--marginal"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    (line,) = [x for x in out.splitlines() if x.strip().startswith(f"the budget of {SPONSOR}:")]
    assert "claims 400 more place one more; re-solve: 10 -> 11 (confirmed)" in line


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--resource", "beds", "--payer", SPONSOR], "--payer goes with --resource budget"),
        (["--resource", "budget", "--payer", "nobody"], "payer: the problem has no payer 'nobody'"),
    ],
)
def test_plan_payer_errors_exit_2(visas, argv, message, capsys) -> None:
    assert main(["plan", str(visas), "--target", "3", "--limit", "5", *argv]) == 2
    assert message in capsys.readouterr().err


# --- --cold ------------------------------------------------------------------------


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Count the sweep's solves; each entry says whether it had a starting solution."""
    starts: list[bool] = []
    real = sweep_module.solve

    def counted(problem, settings, start=None):
        starts.append(start is not None)
        return real(problem, settings, start=start)

    monkeypatch.setattr(sweep_module, "solve", counted)
    return starts


def _sweep_rows(tmp_path: Path, name: str, *extra: str) -> list[dict[str, str]]:
    out = tmp_path / f"{name}.csv"
    argv = ["sweep", "nus-ytp-2019", "--vary", "max_size=4:12:3", "--limit", "5", "-o", str(out)]
    assert main([*argv, *extra]) == 0
    return list(csv.DictReader(out.open()))


def test_cold_solves_each_variation_alone_with_the_same_rows(tmp_path, monkeypatch, capsys):
    starts = _counting(monkeypatch)
    warm = _sweep_rows(tmp_path, "warm")
    assert starts == [False, True, True, True]  # the base problem first, then three from it
    assert "solved first for the warm starts" in capsys.readouterr().out
    starts.clear()
    cold = _sweep_rows(tmp_path, "cold", "--cold")
    assert starts == [False, False, False]  # no base solve, no start
    assert "solved first" not in capsys.readouterr().out

    def outcome(row: dict[str, str]) -> dict[str, str]:
        return {k: x for k, x in row.items() if k not in ("solve_time", "path")}

    assert [outcome(r) for r in cold] == [outcome(r) for r in warm]
    assert [int(r["placed"]) for r in cold] == [4, 8, 12]


def test_the_help_names_cold(capsys) -> None:
    assert main(["sweep", "--help"]) == 0
    assert "--cold" in capsys.readouterr().out
