"""Smoke tests for the benchmark generator and runner in ``benchmarks/``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from generate import KINDS, make_instance  # noqa: E402
from run import run_case  # noqa: E402
from sgcq.serialization import dumps_json, loads_json  # noqa: E402


@pytest.mark.parametrize("kind", KINDS)
def test_generator_is_deterministic_and_valid(kind: str) -> None:
    """The same arguments give the same (valid, round-tripping) scenario."""
    a, b = make_instance(60, kind=kind, seed=3), make_instance(60, kind=kind, seed=3)
    assert a == b
    assert a != make_instance(60, kind=kind, seed=4)
    assert loads_json(dumps_json(a)) == a
    ranks = [len(c.preferences) for c in a.candidates]
    assert min(ranks) >= 10 and max(ranks) <= 12


def test_side_instances_have_every_side_constraint() -> None:
    """Side instances carry three start dates, quotas, beds and a budget."""
    s = make_instance(100, kind="side")
    cohort = s.cohorts[0]
    assert cohort.quotas and cohort.beds and cohort.allowance_budget is not None
    assert all(len(p.start_options(s.candidates[0].available)) == 3 for p in s.positions)


def test_hard_instances_bind_minimums_the_greedy_by_score_misses() -> None:
    """The hard family: its plain greedy misses the minimums, filling them first does not."""
    from generate import COHORT
    from run import _all_eligible
    from sgcq.matching import Problem
    from sgcq.matching._index import Index
    from sgcq.matching._limits import violations
    from sgcq.matching._objective import level_groups
    from sgcq.matching._repair import greedy, greedy_with_minimums
    from sgcq.matching.stages.lagrangian import Lagrangian

    scenario = make_instance(600, kind="hard")
    universities = [c.university for c in scenario.candidates]
    assert universities.count("ntu") > universities.count("nus") > universities.count("suss")
    assert len({c.duration for c in scenario.candidates}) == 3  # three stay lengths
    ix = Index(Problem.from_scenario(scenario, COHORT, evaluate=_all_eligible))
    order = Lagrangian(ix, level_groups(ix)[0]).order_by_score()
    missed = violations(ix, greedy(ix, order))
    assert any("suss" in v for v in missed) and any("green-tech" in v for v in missed)
    assert violations(ix, greedy_with_minimums(ix, order)) == []


def test_bad_arguments_are_refused() -> None:
    """An unknown kind or too few candidates is an error naming the argument."""
    with pytest.raises(ValueError, match="kind"):
        make_instance(10, kind="huge")
    with pytest.raises(ValueError, match="n must be"):
        make_instance(1)


@pytest.mark.parametrize("kind", KINDS)
def test_runner_measures_a_small_case(kind: str) -> None:
    """The runner solves a small case and reports status, times and the reference."""
    row = run_case(kind, 30, 0, 10.0, 1, False)
    assert row["auto_status"] == "optimal"
    assert row["options"] > 0 and row["build_s"] >= 0 and row["peak_mb"] > 0
    assert 0 < row["auto_peak_mb"] <= row["peak_mb"]
    if kind not in ("side", "hard"):
        assert row["cp_status"] in ("optimal", "feasible")
        assert row["reference"] == {"pure": "flow", "stable": "deferred_acceptance"}[kind]
        assert row["auto_path"] == row["reference"]


@pytest.mark.parametrize("kind", ["side", "hard"])
def test_runner_forces_the_mip_stage_when_asked(kind: str) -> None:
    """``--mip``: the MIP stage's status, time and check are in the row, and it agrees with AUTO."""
    row = run_case(kind, 30, 0, 10.0, 1, False, cp=False, mip=True)
    assert row["mip_status"] == "optimal" and row["mip_check"] == "ok"
    assert row["mip_s"] > 0 and row["mip_gap"] == 0
    assert row["mip_objective"] == row["objective"]  # both proven: the same optimum
    assert "MIP stage (SCIP)" in row["mip_message"]


def test_compare_runs_two_commits_side_by_side(tmp_path: Path) -> None:
    """compare.py exports two commits, alternates them and reports the same objectives."""
    head = ["git", "-C", str(BENCH.parent), "rev-parse", "HEAD"]
    if subprocess.run(head, capture_output=True).returncode:
        pytest.skip("not a git checkout")
    out = tmp_path / "rows.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "compare.py"),
            "--old",
            "HEAD",
            "--new",
            "HEAD",
            "--sizes",
            "20",
            "--kinds",
            "pure",
            "--repeat",
            "1",
            "--time-limit",
            "5",
            "--workers",
            "1",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    table = done.stdout.splitlines()
    assert table[0].startswith("| kind | candidates |")
    assert table[2].startswith("| pure | 20 |") and table[2].endswith("| same |")
    rows = json.loads(out.read_text())
    assert [r["side"] for r in rows] == ["old", "new"]
    assert rows[0]["objective"] == rows[1]["objective"]


def test_time_limit_benchmark_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/time_limit.py prints one row per size, kind and limit."""
    from time_limit import main as time_limit_main

    assert time_limit_main(["--sizes", "30", "--kinds", "side,pure", "--limits", "0.01"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| side")]
    assert len(rows) == 1 and "| 30 |" in rows[0]


def test_highs_reference_solves_the_same_model() -> None:
    """HiGHS on the hand-written 0/1 model proves a small hard case to AUTO's levels.

    The MIP optimum and CP-SAT's (AUTO at 40 candidates, proven) are the same
    levels, and the independent checker accepts HiGHS's solution, so the
    reference column solves the same model.
    """
    pytest.importorskip("highspy")
    from generate import COHORT
    from highs_ref import solve_highs
    from run import _all_eligible
    from sgcq.matching import Problem, Settings, solve

    problem = Problem.from_scenario(
        make_instance(40, kind="hard", seed=1), COHORT, evaluate=_all_eligible
    )
    auto = solve(problem, Settings(deterministic_time_limit=20, workers=1, seed=0))
    assert auto.status.value == "optimal"
    ref = solve_highs(problem, 30.0, threads=1)
    assert ref["highs_status"] == "Optimal"
    assert ref["highs_check"] == "ok"
    assert ref["highs_objective"] == "/".join(str(lv.value) for lv in auto.levels)
    lp = solve_highs(problem, 30.0, threads=1, relax=True)
    assert lp["lp_bound"] >= ref["highs_bound"] - 1e-6


def test_the_lp_order_proves_the_hard_family_without_cp_sat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hard family at 600: the LP's order (or its rounding) meets the bound at the LP's duals.

    Without the LP relaxation the same solve needs CP-SAT (decision 0027).
    """
    from generate import COHORT
    from run import _all_eligible
    from sgcq.matching import Problem, Settings, SolvePath, Status, solve
    from sgcq.matching.stages import lagrangian
    from sgcq.testing.checks import check_result

    problem = Problem.from_scenario(make_instance(600, kind="hard"), COHORT, evaluate=_all_eligible)
    settings = Settings(workers=1, seed=0, deterministic_time_limit=3.0)
    result = solve(problem, settings)
    assert result.status is Status.OPTIMAL and result.path is SolvePath.LAGRANGIAN
    # Which of the two closes it depends on the vertex GLOP ends at (OR-Tools
    # 9.10's GLOP needs the rounding on this instance, newer ones do not).
    assert (
        "LP relaxation's order proven optimal" in result.message
        or "LP relaxation's solution rounded by SCIP proven optimal" in result.message
    )
    assert all(lv.value == lv.bound for lv in result.levels)
    check_result(problem, result)
    monkeypatch.setattr(lagrangian, "LP_OPTIONS", 0)
    without = solve(problem, settings)
    assert without.path is SolvePath.CP_SAT and "LP relaxation" not in without.message


def test_the_lp_starts_from_the_last_flows_and_ends_at_the_whole_lp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The LP starts from the last flows' options; its last duals bound as the whole LP's do."""
    import numpy as np

    from generate import COHORT
    from run import _all_eligible
    from sgcq.matching import Problem, Settings
    from sgcq.matching._index import Index
    from sgcq.matching._objective import level_groups
    from sgcq.matching.stages import Carry, _lp
    from sgcq.matching.stages._lp import solve_lp
    from sgcq.matching.stages.lagrangian import LP_ROUNDS, Lagrangian, LagrangianStage

    problem = Problem.from_scenario(make_instance(600, kind="hard"), COHORT, evaluate=_all_eligible)
    ix = Index(problem)
    relax = Lagrangian(ix, level_groups(ix)[0])
    found = relax.run(None, 60, None)
    assert found.bound is not None and relax.best is not None
    assert len(relax.recent) == min(found.flows, relax.recent.maxlen or 0) > 1
    last = np.zeros(len(ix.options), dtype=np.bool_)
    for x in relax.recent:
        last |= x
    assert relax.best.x.sum() < last.sum() < len(ix.options) // 4
    started: list[set[int]] = []
    real = _lp.ColumnLp.__init__

    def spy(self: _lp.ColumnLp, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        started.append(set(self._options))

    monkeypatch.setattr(_lp.ColumnLp, "__init__", spy)
    stage = LagrangianStage(lambda: [])
    solved = stage._relaxed(ix, relax, Settings(workers=1, seed=0), Carry(started=0.0))
    assert solved is not None
    lp, point = solved
    expected = set(np.flatnonzero((last | relax.best.x) & relax.allowed).tolist())
    assert started[0] == expected
    assert point is not None and 1 <= stage.lp_rounds <= LP_ROUNDS
    assert stage.lp_flows == stage.lp_rounds
    whole = solve_lp(ix, relax.s, relax.rows, relax.allowed)
    assert whole is not None
    full = relax.evaluate(whole.multipliers)
    assert full is not None
    assert point.value // point.d == full.value // full.d
    assert abs(lp.objective - whole.objective) < 1e-6 * abs(whole.objective)


def test_the_rounding_proves_what_a_poor_lp_order_misses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hard family at 600: with the LP's order reversed the greedy falls short,
    and the LP's solution rounded by SCIP (its few fractional options) meets the bound."""
    import numpy as np

    from generate import COHORT
    from run import _all_eligible
    from sgcq.matching import Problem, Settings, SolvePath, Status, solve
    from sgcq.matching.stages import _lp
    from sgcq.testing.checks import check_result

    def backwards(self: _lp.LpSolution, score: Any) -> list[int]:
        n = len(self.x)
        return np.lexsort((np.arange(n), score, np.round(self.x, 6))).tolist()  # type: ignore[no-any-return]

    problem = Problem.from_scenario(make_instance(600, kind="hard"), COHORT, evaluate=_all_eligible)
    settings = Settings(workers=1, seed=0, deterministic_time_limit=3.0)
    monkeypatch.setattr(_lp.LpSolution, "order", backwards)
    result = solve(problem, settings)
    assert result.status is Status.OPTIMAL and result.path is SolvePath.LAGRANGIAN
    assert "LP relaxation's solution rounded by SCIP proven optimal" in result.message
    assert all(lv.value == lv.bound for lv in result.levels)
    check_result(problem, result)
    monkeypatch.setattr(_lp, "ROUND_FREE", 0)  # no rounding: the greedy alone falls short
    without = solve(problem, settings)
    assert "rounded by SCIP" not in without.message
    assert without.path is SolvePath.CP_SAT


def test_the_lagrangian_stage_stops_at_the_asked_relative_gap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hard family at 600 without the LP: the stage's greedy is 6 welfare units short.

    With ``relative_gap`` above that on every level the stage's answer is final
    (``FEASIBLE``, path ``lagrangian``, bounds that still hold); below it,
    CP-SAT runs as without a gap.
    """
    from generate import COHORT
    from run import _all_eligible
    from sgcq.matching import Problem, Settings, SolvePath, Status, solve
    from sgcq.matching.stages import lagrangian
    from sgcq.testing.checks import check_result

    problem = Problem.from_scenario(make_instance(600, kind="hard"), COHORT, evaluate=_all_eligible)
    settings = Settings(workers=1, seed=0, deterministic_time_limit=3.0)
    optimum = solve(problem, settings)
    assert optimum.status is Status.OPTIMAL
    monkeypatch.setattr(lagrangian, "LP_OPTIONS", 0)
    plain = solve(problem, settings)
    assert plain.path is SolvePath.CP_SAT
    gaps = [abs(lv.bound - lv.value) / max(1, abs(lv.value)) for lv in plain.levels]
    assert 0 < max(gaps) < 0.01
    stopped = solve(problem, attrs.evolve(settings, relative_gap=0.01))
    assert stopped.status is Status.FEASIBLE and stopped.path is SolvePath.LAGRANGIAN
    assert "within the asked relative gap of 0.01 of the Lagrangian bound" in stopped.message
    check_result(problem, stopped)
    for lv, best in zip(stopped.levels, optimum.levels, strict=True):
        assert lv.bound >= best.value >= lv.value  # the bound holds, the gap is not a proof
        assert abs(lv.bound - lv.value) <= 0.01 * max(1, abs(lv.value))
    assert not all(lv.proven for lv in stopped.levels)
    finer = solve(problem, attrs.evolve(settings, relative_gap=max(gaps) / 2))
    assert finer.path is SolvePath.CP_SAT and "within the asked" not in finer.message


def test_runner_passes_the_relative_gap_to_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--relative-gap`` reaches AUTO's settings only; the row's gap stays within it."""
    import run

    asked: list[float | None] = []
    real = run.solve

    def spy(problem: Any, settings: Any) -> Any:
        asked.append(settings.relative_gap)
        return real(problem, settings)

    monkeypatch.setattr(run, "solve", spy)
    row = run_case("hard", 60, 0, 10.0, 1, False, mip=True, relative_gap=0.5)
    assert asked[0] == 0.5 and all(g is None for g in asked[1:]) and len(asked) >= 3
    assert row["auto_status"] in ("optimal", "feasible") and row["auto_check"] == "ok"
    assert row["auto_gap_all"] <= 0.5
    assert run.main(["--sizes", "20", "--kinds", "hard", "--no-cp", "--relative-gap", "0.5"]) == 0
