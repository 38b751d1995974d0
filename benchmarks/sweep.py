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
time``), the peak memory of the serial process and of the largest worker, and
whether both gave the same rows (they must).

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

from sgcq.matching import Problem, Settings
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
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm() -> bool:
    import sgcq.matching  # noqa: F401 - loads OR-Tools once per worker, before timing

    return True


def measure(
    name: str, problem: Problem, n: int, workers: int, limit: float, dask: bool = True
) -> dict[str, Any]:
    """Run one case serially and (with ``dask``) on a LocalCluster; return its figures."""
    settings = Settings(deterministic_time_limit=limit, workers=1)
    sweep = Sweep(problem, grid_of(n), seed=0, settings=settings)
    row: dict[str, Any] = {"case": name, "variations": n, "options": len(problem.options)}
    t0 = time.perf_counter()
    serial = run_sweep(sweep)
    wall = time.perf_counter() - t0
    row["serial_s"] = wall
    row["serial_per_s"] = n / wall
    row["serial_peak_mb"] = _peak_mb()
    row["failed"] = len(serial.failed)
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
    row["overhead_ms"] = 1000 * max(0.0, wall * workers / n - solve_mean)
    row["worker_peak_mb"] = max(peaks.values())
    row["identical"] = table.outcomes() == serial.outcomes()
    return row


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
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = parser.parse_args(argv)
    rows = []
    if args.ntu:
        rows.append(
            measure("ntu", ntu_problem(), args.ntu, args.workers, args.limit, not args.no_dask)
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
            )
        )
    print(_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0 if all(r.get("identical", True) and not r["failed"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
