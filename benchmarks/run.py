"""Benchmark runner for the matcher: build time, solve time, status, gap, memory.

Each case runs in a fresh child process so that its peak memory is its own.
For every size and kind it generates a scenario (``benchmarks/generate.py``),
builds the problem, solves it, and solves it again with the reference
algorithm the issue compares against:

* ``pure``: CP-SAT (forced) against OR-Tools min-cost flow;
* ``stable``: CP-SAT with strict stability (forced) against deferred acceptance;
* ``side``: CP-SAT with quotas, beds by month, three start months and a budget,
  against the flow solution with the greedy repair (the hint CP-SAT starts from).

Examples
--------
``python benchmarks/run.py --sizes 100,1000 --kinds pure,side`` prints a
Markdown table; ``--json out.json`` also writes the rows.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for generate.py

from generate import COHORT, KINDS, make_instance
from sgcq.matching import Problem, Settings, SolvePath, Stability, solve
from sgcq.models import Candidate, DateRange, Position, Scenario
from sgcq.rules import Outcome, Verdict

COLUMNS = (
    ("kind", "kind"),
    ("n", "candidates"),
    ("positions", "positions"),
    ("options", "options"),
    ("generate_s", "generate s"),
    ("build_s", "build s"),
    ("solve_s", "solve s"),
    ("path", "path"),
    ("status", "status"),
    ("objective", "objective"),
    ("gap", "gap"),
    ("reference", "reference"),
    ("reference_s", "reference s"),
    ("reference_objective", "ref. objective"),
    ("ratio", "ratio"),
    ("peak_mb", "peak MB"),
)


def _all_eligible(_s: Scenario, _c: Candidate, _p: Position, stay: DateRange) -> Verdict:
    return Verdict("benchmark.all_eligible", Outcome.ELIGIBLE, stay.start)


def run_case(
    kind: str, n: int, seed: int, time_limit: float, workers: int, rules: bool
) -> dict[str, Any]:
    """Generate, build and solve one case; return its measurements."""
    row: dict[str, Any] = {"kind": kind, "n": n}
    t0 = time.perf_counter()
    scenario = make_instance(n, kind=kind, seed=seed)
    row["generate_s"] = time.perf_counter() - t0
    row["positions"] = len(scenario.positions)

    stability = Stability.STRICT if kind == "stable" else Stability.OFF
    t0 = time.perf_counter()
    problem = Problem.from_scenario(
        scenario, COHORT, evaluate=None if rules else _all_eligible, stability=stability
    )
    row["build_s"] = time.perf_counter() - t0
    row["options"] = len(problem.options)

    settings = Settings(time_limit=time_limit, workers=workers, seed=seed, path=SolvePath.CP_SAT)
    result = solve(problem, settings)
    row.update(
        solve_s=result.wall_time,
        path=result.path.value,
        status=result.status.value,
        objective="/".join(str(lv.value) for lv in result.levels),
        gap=result.gap,
    )
    reference = {
        "pure": SolvePath.FLOW,
        "stable": SolvePath.DEFERRED_ACCEPTANCE,
        "side": SolvePath.AUTO,
    }[kind]
    if kind == "side":
        row["reference"] = "flow + repair (hint)"
        row["reference_s"] = None
        row["reference_objective"] = None
    else:
        ref = solve(problem, Settings(workers=workers, seed=seed, path=reference))
        row["reference"] = ref.path.value
        row["reference_s"] = ref.wall_time
        row["reference_objective"] = "/".join(str(lv.value) for lv in ref.levels)
        row["ratio"] = result.wall_time / max(ref.wall_time, 1e-6)
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def _child(args: tuple[Any, ...], queue: Any) -> None:
    try:
        queue.put(run_case(*args))
    except Exception as exc:  # reported in the table, never hidden
        queue.put({"kind": args[0], "n": args[1], "status": f"error: {exc!r}"})


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}" if value < 0.01 else f"{value:.2f}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks given on the command line and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated candidate counts")
    parser.add_argument("--kinds", default="pure,stable,side", help=f"some of {','.join(KINDS)}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--rules", action="store_true", help="evaluate the default rules for every option"
    )
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        parser.error(f"unknown kinds {bad}; choose from {KINDS}")
    sizes = [int(s) for s in args.sizes.split(",") if s]

    print("| " + " | ".join(title for _, title in COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    rows = []
    ctx = mp.get_context("spawn")
    for n in sizes:
        for kind in kinds:
            queue = ctx.Queue()
            case = (kind, n, args.seed, args.time_limit, args.workers, args.rules)
            proc = ctx.Process(target=_child, args=(case, queue))
            proc.start()
            row = queue.get()
            proc.join()
            rows.append(row)
            print("| " + " | ".join(_fmt(row.get(key)) for key, _ in COLUMNS) + " |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
