"""Run two commits' matchers side by side on the same benchmark cases and report ratios.

Each commit's ``src/`` is exported with ``git archive`` into a temporary
folder; every case of ``benchmarks/run.py`` (this checkout's runner and
generator, so both commits see the same instances) then runs once per commit,
alternating old and new, ``--repeat`` times, each in a fresh process with
``PYTHONPATH`` set to that commit's sources. Alternating keeps a busy
machine's noise on both sides. The table gives the median AUTO and forced
CP-SAT times, the peak memory, their new/old ratios, and whether the
objectives agree.

Examples
--------
``python benchmarks/compare.py --old 4fa2b42 --new HEAD --sizes 10000 --kinds pure,stable,side``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def export(rev: str, into: Path) -> Path:
    """Write ``rev``'s ``src/`` under ``into`` and return the folder to put on the path."""
    archive = into / f"{rev.replace('/', '_')}.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), rev, "src"],
        check=True,
    )
    target = into / rev.replace("/", "_")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / "src"


def run_once(src: Path, kind: str, n: int, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """Run one case of ``run.py`` with ``src`` first on the path; return its row."""
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [
        sys.executable,
        str(HERE / "run.py"),
        "--sizes",
        str(n),
        "--kinds",
        kind,
        "--seed",
        str(args.seed),
        "--time-limit",
        str(args.time_limit),
        "--workers",
        str(args.workers),
        "--json",
        str(out),
    ]
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    rows: list[dict[str, Any]] = json.loads(out.read_text())
    return rows[0]


def _median(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
    return statistics.median(values) if values else None


def _ratio(new: float | None, old: float | None) -> str:
    if new is None or old is None or old == 0:
        return "–"
    return f"{new / old:.2f}"


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    """Compare two commits on the cases given and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="the earlier commit")
    parser.add_argument("--new", default="HEAD", help="the later commit (default HEAD)")
    parser.add_argument("--sizes", default="1000", help="comma-separated candidate counts")
    parser.add_argument("--kinds", default="pure,stable,side")
    parser.add_argument("--repeat", type=int, default=2, help="runs per commit and case")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write every row to this file")
    args = parser.parse_args(argv)
    cases = [
        (kind, int(n)) for n in args.sizes.split(",") if n for kind in args.kinds.split(",") if kind
    ]
    every: list[dict[str, Any]] = []
    print(
        "| kind | candidates | options | AUTO s old | AUTO s new | ratio | CP-SAT s old "
        "| CP-SAT s new | ratio | peak MB old | peak MB new | ratio | objectives |"
    )
    print("|" + "---|" * 13)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        srcs = {"old": export(args.old, folder), "new": export(args.new, folder)}
        for kind, n in cases:
            got: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
            for k in range(args.repeat):
                for side in ("old", "new"):
                    row = run_once(srcs[side], kind, n, args, folder / f"{side}.json")
                    if "status" in row:  # the runner's own error row
                        raise SystemExit(f"{side} {kind} {n}: {row['status']}")
                    row.update(side=side, repeat=k, rev=getattr(args, side))
                    got[side].append(row)
                    every.append(row)
            objectives = {r["objective"] for r in got["old"] + got["new"]}
            auto = [_median(got[s], "auto_s") for s in ("old", "new")]
            cp = [_median(got[s], "cp_s") for s in ("old", "new")]
            mem = [_median(got[s], "peak_mb") for s in ("old", "new")]
            same = "same" if len(objectives) == 1 else "DIFFER: " + ", ".join(sorted(objectives))
            print(
                f"| {kind} | {n} | {got['new'][0]['options']} | {_fmt(auto[0])} | "
                f"{_fmt(auto[1])} | {_ratio(auto[1], auto[0])} | {_fmt(cp[0])} | "
                f"{_fmt(cp[1])} | {_ratio(cp[1], cp[0])} | {_fmt(mem[0])} | {_fmt(mem[1])} | "
                f"{_ratio(mem[1], mem[0])} | {same} |",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(every, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
