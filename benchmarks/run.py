"""Benchmark runner for the matcher: build time, solve time, status, gap, memory.

Each case runs in a fresh child process so that its peak memory is its own.
For every size and kind it generates a scenario (``benchmarks/generate.py``),
builds the problem (every option eligible, or the default rules with
``--rules``) and solves it with ``SolvePath.AUTO``, which is what users get:

* ``pure`` (seats only): AUTO runs OR-Tools min-cost flow; the runner also
  forces CP-SAT and reports its time and gap against the flow's;
* ``stable`` (strict stability, no side constraints): AUTO runs deferred
  acceptance; CP-SAT forced is compared with it;
* ``side`` (quotas, beds by month, three start months, a budget): AUTO runs
  the Lagrangian relaxation and a greedy solution, and CP-SAT only when they
  do not meet; the runner also forces CP-SAT (bounded and hinted by them);
* ``hard`` (binding minimum shares and counts the greedy by score misses,
  several starts and stay lengths, binding beds and budget): as ``side``.

``--mip`` also forces the MIP stage (SCIP, decision 0026) on the ``side`` and
``hard`` kinds, with the whole time limit; ``--reference highs`` solves the
same 0/1 model with HiGHS.

"gap (1st level)" is the relative gap of the first objective level (the
number placed), "AUTO gap (all)" the largest gap over every level; the time
columns include building the CP-SAT model and the explanations of every
unplaced candidate.

Examples
--------
``python benchmarks/run.py --sizes 100,1000 --kinds pure,side`` prints a
Markdown table; ``--json out.json`` also writes the rows.
``--sizes 40000 --kinds hard --no-cp --relative-gap 0.005`` lets AUTO stop
at the gap of issue 17's 40k target.
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
from sgcq.errors import CheckError
from sgcq.matching import Problem, Result, Settings, SolvePath, Stability, solve
from sgcq.models import Candidate, DateRange, Position, Scenario
from sgcq.rules import Outcome, Verdict
from sgcq.testing.checks.matching import check_result

COLUMNS = (
    ("kind", "kind"),
    ("n", "candidates"),
    ("positions", "positions"),
    ("options", "options"),
    ("build_s", "build s"),
    ("auto_path", "AUTO path"),
    ("auto_s", "AUTO s"),
    ("auto_status", "AUTO status"),
    ("auto_gap", "AUTO gap (1st level)"),
    ("auto_gap_all", "AUTO gap (all)"),
    ("objective", "objective"),
    ("cp_s", "CP-SAT s"),
    ("cp_status", "CP-SAT status"),
    ("cp_gap", "CP-SAT gap (1st level)"),
    ("mip_s", "MIP s"),
    ("mip_status", "MIP status"),
    ("mip_gap", "MIP gap (1st level)"),
    ("mip_check", "MIP check"),
    ("reference", "reference"),
    ("reference_s", "reference s"),
    ("ratio", "CP-SAT / reference"),
    ("auto_check", "AUTO check"),
    ("highs_status", "HiGHS status"),
    ("highs_s", "HiGHS s"),
    ("highs_objective", "HiGHS objective"),
    ("highs_check", "HiGHS check"),
    ("auto_over_highs", "AUTO / HiGHS s"),
    ("auto_peak_mb", "peak MB after AUTO"),
    ("peak_mb", "peak MB"),
)


def _all_eligible(_s: Scenario, _c: Candidate, _p: Position, stay: DateRange) -> Verdict:
    return Verdict("benchmark.all_eligible", Outcome.ELIGIBLE, stay.start)


def run_case(
    kind: str,
    n: int,
    seed: int,
    time_limit: float,
    workers: int,
    rules: bool,
    reference: str | None = None,
    cp: bool = True,
    mip: bool = False,
    relative_gap: float | None = None,
) -> dict[str, Any]:
    """Generate, build and solve one case; return its measurements.

    ``relative_gap`` is AUTO's ``Settings.relative_gap`` (forced CP-SAT and
    the MIP stage prove, as without it).
    """
    row: dict[str, Any] = {"kind": kind, "n": n}
    scenario = make_instance(n, kind=kind, seed=seed)
    row["positions"] = len(scenario.positions)

    stability = Stability.STRICT if kind == "stable" else Stability.OFF
    t0 = time.perf_counter()
    problem = Problem.from_scenario(
        scenario, COHORT, evaluate=None if rules else _all_eligible, stability=stability
    )
    row["build_s"] = time.perf_counter() - t0
    row["options"] = len(problem.options)

    def first_gap(result: Result) -> float | None:
        return result.levels[0].gap if result.levels else None

    # What a user gets: the fastest exact path (flow, deferred acceptance) or
    # CP-SAT hinted by them when side constraints are present.
    auto = solve(
        problem,
        Settings(time_limit=time_limit, workers=workers, seed=seed, relative_gap=relative_gap),
    )
    row.update(
        auto_path=auto.path.value,
        auto_s=auto.wall_time,
        auto_status=auto.status.value,
        auto_gap=first_gap(auto),
        auto_gap_all=auto.gap,
        objective="/".join(str(lv.value) for lv in auto.levels),
        bound="/".join(str(lv.bound) for lv in auto.levels),
        # What each stage did (fixing rounds, the local search), for the JSON rows;
        # the Markdown table leaves it out.
        auto_message=auto.message,
        # The peak so far is the build's and AUTO's; "peak MB" also covers
        # forced CP-SAT, run next in this process (larger when CP-SAT's is).
        auto_peak_mb=_peak_mb(),
    )
    try:
        check_result(problem, auto)
        row["auto_check"] = "ok"
    except CheckError as exc:  # reported in the table, never hidden
        row["auto_check"] = f"failed: {str(exc)[:80]}"
    if reference == "highs":
        from highs_ref import solve_highs

        row.update(solve_highs(problem, time_limit, threads=workers))
        if auto.status.value == "optimal" and row["highs_status"] == "Optimal":
            row["auto_over_highs"] = auto.wall_time / max(row["highs_s"], 1e-6)
    if mip and kind in ("side", "hard"):
        # The MIP stage (SCIP) forced, with the whole limit (AUTO gives it half,
        # and only below MIP_OPTIONS options).
        forced = solve(
            problem,
            Settings(time_limit=time_limit, workers=workers, seed=seed, path=SolvePath.MIP),
        )
        row.update(
            mip_s=forced.wall_time,
            mip_status=forced.status.value,
            mip_gap=first_gap(forced),
            mip_objective="/".join(str(lv.value) for lv in forced.levels),
            mip_message=forced.message,
        )
        try:
            check_result(problem, forced)
            row["mip_check"] = "ok"
        except CheckError as exc:  # reported in the table, never hidden
            row["mip_check"] = f"failed: {str(exc)[:80]}"
    if not cp:
        return row | {"peak_mb": max(_peak_mb(), row["auto_peak_mb"])}
    # CP-SAT forced on the same problem, against the exact reference algorithm.
    cp = solve(
        problem,
        Settings(time_limit=time_limit, workers=workers, seed=seed, path=SolvePath.CP_SAT),
    )
    row.update(cp_s=cp.wall_time, cp_status=cp.status.value, cp_gap=first_gap(cp))
    if kind in ("side", "hard"):
        return row | {"peak_mb": max(_peak_mb(), row["auto_peak_mb"])}
    reference = SolvePath.FLOW if kind == "pure" else SolvePath.DEFERRED_ACCEPTANCE
    ref = auto if auto.path is reference else solve(problem, Settings(path=reference))
    row.update(
        reference=ref.path.value,
        reference_s=ref.wall_time,
        ratio=cp.wall_time / max(ref.wall_time, 1e-6),
    )
    row["peak_mb"] = max(_peak_mb(), row["auto_peak_mb"])
    return row


def _peak_mb() -> float:
    # The peak resident memory of this child process: VmHWM on Linux, since a
    # spawned child's ru_maxrss also counts the runner's memory at the fork.
    # VmHWM is not monotone between reads (the kernel folds the current
    # resident size into its high-water mark lazily), so callers keep the
    # largest reading.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    parser.add_argument(
        "--reference",
        choices=("highs",),
        help="also solve the same 0/1 model with HiGHS (benchmarks/highs_ref.py)",
    )
    parser.add_argument("--no-cp", action="store_true", help="do not force CP-SAT")
    parser.add_argument(
        "--mip", action="store_true", help="also force the MIP stage (side and hard kinds)"
    )
    parser.add_argument(
        "--relative-gap",
        type=float,
        help="AUTO stops once every level is within this relative gap of its bound",
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
            case = (
                kind,
                n,
                args.seed,
                args.time_limit,
                args.workers,
                args.rules,
                args.reference,
                not args.no_cp,
                args.mip,
                args.relative_gap,
            )
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
