"""Benchmark of what-if sweeps: serial against a Dask LocalCluster of N one-thread workers.

Two cases (issue 13):

* ``ntu``: ``--ntu`` variations (1,000 by default) of the bundled NTU–YDPG 2020
  cohort, every month's beds and the budget scaled on a grid;
* ``side``: ``--side-variations`` variations (100) of a generated
  side-constrained instance with ``--side-n`` candidates (10,000;
  ``benchmarks/generate.py``, every option eligible).

For each it reports the serial and the Dask throughput (variations per
second), their ratio, the per-task overhead on Dask (the workers' busy time
per task beyond the solve itself: ``wall * workers / tasks - mean solve
time``; a warm sweep's one solve of the base problem before its tasks is
left out of it, not out of the throughput), the peak memory of the serial
process and of the largest worker, and whether both gave the same rows (they
must). ``--pool`` also runs each case on a process pool; ``--cold`` turns the
warm start from the base problem's solution off.

Examples
--------
``python benchmarks/sweep.py`` runs the full benchmark (long: run it on a
quiet machine); ``python benchmarks/sweep.py --ntu 4 --side-n 200
--side-variations 4`` is a smoke run; ``--json rows.json`` also writes the
rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for generate.py and run.py

from sgcq.matching import Problem, Settings, solve
from sgcq.planning import Sweep, Variation, run_sweep
from sgcq.scenarios import load_scenario


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def grid_of(n: int) -> list[Variation]:
    """Return ``n`` distinct variations: beds and budget scaled on a near-square grid."""
    side = 1
    while side * side < n:
        side += 1
    out = []
    for k in range(n):
        beds = Decimal(70 + (60 * (k // side)) // side) / 100
        budget = Decimal(50 + (100 * (k % side)) // side) / 100
        out.append(Variation(beds_scale=beds, budget_scale=budget))
    unique = list(dict.fromkeys(out))
    k = 0
    while len(unique) < n:  # rounding made twins: fill in with size bounds
        extra = Variation(max_size=10_000 + k)
        unique.append(unique[k % len(unique)] | extra)
        k += 1
    return unique[:n]


def ntu_problem() -> Problem:
    """Return the bundled NTU–YDPG 2020 cohort's problem."""
    return Problem.from_scenario(load_scenario("ntu-ydpg-2020"))


def side_problem(n: int, seed: int = 0) -> Problem:
    """Return the generated side-constrained instance with ``n`` candidates."""
    from generate import COHORT, make_instance
    from run import _all_eligible

    return Problem.from_scenario(
        make_instance(n, kind="side", seed=seed), COHORT, evaluate=_all_eligible
    )


def _worker_peak_mb() -> float:
    """Return the worker's own peak resident memory in MB (run in each worker).

    ``VmHWM`` on Linux: a spawned worker's ``ru_maxrss`` also counts its
    parent's resident memory at the fork before ``exec``, so with a 10k
    problem loaded in the client it reported the client's peak. Self-contained,
    since Dask sends this function to the workers by value.
    """
    from pathlib import Path as _Path

    try:
        for line in _Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm() -> bool:
    import sgcq.matching  # noqa: F401 - loads OR-Tools once per worker, before timing

    return True


def _warm_up(_: int) -> bool:
    return _warm()


def measure(
    name: str,
    problem: Problem,
    n: int,
    workers: int,
    limit: float,
    dask: bool = True,
    *,
    warm: bool = True,
    pool: bool = False,
) -> dict[str, Any]:
    """Run one case serially and (with ``dask``) on a LocalCluster; return its figures.

    With ``warm`` every variation starts from the base problem's solution
    (``Sweep.warm_start``); with ``pool`` the case also runs on a process
    pool of ``workers`` processes.
    """
    settings = Settings(deterministic_time_limit=limit, workers=1)
    sweep = Sweep(problem, grid_of(n), seed=0, settings=settings, warm_start=warm)
    row: dict[str, Any] = {
        "case": name + ("" if warm else " (cold)"),
        "variations": n,
        "options": len(problem.options),
    }
    # The one solve of the base problem a warm sweep makes before its tasks
    # (counted in every wall time, left out of the per-task overhead).
    t0 = time.perf_counter()
    if warm:
        solve(problem, sweep.settings_of(Variation()))
    first = time.perf_counter() - t0
    row["base_solve_s"] = first
    t0 = time.perf_counter()
    serial = run_sweep(sweep)
    wall = time.perf_counter() - t0
    row["serial_s"] = wall
    row["serial_per_s"] = n / wall
    row["serial_solve_mean_s"] = sum(r.solve_time for r in serial) / n
    row["serial_peak_mb"] = _peak_mb()
    row["failed"] = len(serial.failed)
    row["statuses"] = {
        s: sum(1 for r in serial if r.status == s) for s in sorted({r.status for r in serial})
    }
    if pool:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx) as executor:
            list(executor.map(_warm_up, range(workers)))
            t0 = time.perf_counter()
            pooled = run_sweep(sweep, executor)
            wall = time.perf_counter() - t0
        solve_mean = sum(r.solve_time for r in pooled) / n
        row["pool_per_s"] = n / wall
        row["pool_ratio"] = row["pool_per_s"] / row["serial_per_s"]
        row["pool_overhead_ms"] = 1000 * max(0.0, (wall - first) * workers / n - solve_mean)
        row["pool_identical"] = pooled.outcomes() == serial.outcomes()
    if not dask:
        return row
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(_warm)
        t0 = time.perf_counter()
        table = run_sweep(sweep, client)
        wall = time.perf_counter() - t0
        peaks = client.run(_worker_peak_mb)
    solve_mean = sum(r.solve_time for r in table) / n
    row["dask_s"] = wall
    row["dask_per_s"] = n / wall
    row["ratio"] = row["dask_per_s"] / row["serial_per_s"]
    row["overhead_ms"] = 1000 * max(0.0, (wall - first) * workers / n - solve_mean)
    row["worker_peak_mb"] = max(peaks.values())
    row["identical"] = table.outcomes() == serial.outcomes()
    return row


def _pool_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| case | variations | serial /s | pool /s | ratio | overhead/task | same rows |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        if "pool_per_s" in r:
            lines.append(
                f"| {r['case']} | {r['variations']} | {r['serial_per_s']:.2f} | "
                f"{r['pool_per_s']:.2f} | {r['pool_ratio']:.2f}x | "
                f"{r['pool_overhead_ms']:.0f} ms | "
                f"{'yes' if r['pool_identical'] else 'NO'} |"
            )
    return "\n".join(lines) if len(lines) > 2 else ""


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| case | variations | options | serial /s | Dask /s | ratio | overhead/task | "
        "serial peak | worker peak | same rows |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )
    lines = [head]
    for r in rows:
        if "dask_s" not in r:
            lines.append(
                f"| {r['case']} | {r['variations']} | {r['options']} | "
                f"{r['serial_per_s']:.2f} | - | - | - | {r['serial_peak_mb']:.0f} MB | - | - |"
            )
            continue
        lines.append(
            f"| {r['case']} | {r['variations']} | {r['options']} | {r['serial_per_s']:.2f} | "
            f"{r['dask_per_s']:.2f} | {r['ratio']:.2f}x | {r['overhead_ms']:.0f} ms | "
            f"{r['serial_peak_mb']:.0f} MB | {r['worker_peak_mb']:.0f} MB | "
            f"{'yes' if r['identical'] else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ntu", type=int, default=1000, help="variations of the NTU cohort")
    parser.add_argument("--side-n", type=int, default=10_000, help="candidates of the side case")
    parser.add_argument("--side-variations", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (one thread each)")
    parser.add_argument("--limit", type=float, default=10.0, help="deterministic limit per solve")
    parser.add_argument("--no-dask", action="store_true", help="serial only")
    parser.add_argument(
        "--cold", action="store_true", help="no warm start from the base problem's solution"
    )
    parser.add_argument("--pool", action="store_true", help="also on a process pool")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = parser.parse_args(argv)
    rows = []
    if args.ntu:
        rows.append(
            measure(
                "ntu",
                ntu_problem(),
                args.ntu,
                args.workers,
                args.limit,
                not args.no_dask,
                warm=not args.cold,
                pool=args.pool,
            )
        )
    if args.side_variations:
        problem = side_problem(args.side_n)
        rows.append(
            measure(
                f"side {args.side_n}",
                problem,
                args.side_variations,
                args.workers,
                args.limit,
                not args.no_dask,
                warm=not args.cold,
                pool=args.pool,
            )
        )
    print(_table(rows))
    pooled = _pool_table(rows)
    if pooled:
        print()
        print(pooled)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    same = all(r.get("identical", True) and r.get("pool_identical", True) for r in rows)
    return 0 if same and not any(r["failed"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
