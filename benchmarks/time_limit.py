"""How far a solve overshoots a short wall-clock limit: the slack in docs/limits.md.

For every size and kind it generates a scenario (``benchmarks/generate.py``),
builds the problem with every option eligible and solves it with
``Settings(time_limit=L)`` for each limit ``L``; it prints the solve's wall
time, the overshoot (wall time minus the limit), the part spent building
the index alone, the status and whether CP-SAT ran.

Examples
--------
``python benchmarks/time_limit.py --sizes 300,1000 --limits 0.01,1`` prints a
Markdown table (the lead runs ``--sizes 1000,10000`` on a quiet machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for generate.py

from generate import COHORT, KINDS, make_instance
from sgcq.matching import Problem, Settings, solve
from sgcq.matching._index import Index
from sgcq.models import Candidate, DateRange, Position, Scenario
from sgcq.rules import Outcome, Verdict


def _all_eligible(_s: Scenario, _c: Candidate, _p: Position, stay: DateRange) -> Verdict:
    return Verdict("benchmark.all_eligible", Outcome.ELIGIBLE, stay.start)


def main(argv: list[str] | None = None) -> int:
    """Run the cases given on the command line and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000", help="comma-separated candidate counts")
    parser.add_argument("--kinds", default="side", help=f"some of {','.join(KINDS)}")
    parser.add_argument("--limits", default="0.01,1", help="comma-separated limits in seconds")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    print(
        "| kind | candidates | options | limit s | solve s | over s | index s | status | CP-SAT |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n in (int(s) for s in args.sizes.split(",") if s):
        for kind in (k for k in args.kinds.split(",") if k):
            scenario = make_instance(n, kind=kind, seed=0)
            problem = Problem.from_scenario(scenario, COHORT, evaluate=_all_eligible)
            t0 = time.perf_counter()
            Index(problem)
            index_s = time.perf_counter() - t0
            for limit in (float(x) for x in args.limits.split(",") if x):
                settings = Settings(time_limit=limit, workers=args.workers, seed=0)
                t0 = time.perf_counter()
                result = solve(problem, settings)
                wall = time.perf_counter() - t0
                cp = "skipped" if "before CP-SAT could start" in result.message else "ran"
                if result.path.value != "cp_sat":
                    cp = "-"
                print(
                    f"| {kind} | {n} | {len(problem.options)} | {limit:g} | {wall:.2f} | "
                    f"{wall - limit:.2f} | {index_s:.2f} | {result.status.value} | {cp} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
