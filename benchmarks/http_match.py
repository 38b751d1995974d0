"""Latency and throughput of the HTTP service's ``POST /match``.

Starts ``sgcq serve`` in a child process on 127.0.0.1 and a free port (so
the client's threads do not share its interpreter), waits for ``/health``,
then sends ``--requests`` ``/match`` requests for a bundled scenario,
``--concurrency`` at a time, each over its own connection, and prints the
latency percentiles and the throughput as a Markdown table. Every response
must be 200 with the same number placed; the run fails otherwise.

Examples
--------
``python benchmarks/http_match.py --requests 40 --concurrency 4 --solvers 2``
(the NTU cohort, 120 candidates; ``--json out.json`` also writes the row).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sgcq.matching import Settings
from sgcq.scenarios import load_scenario
from sgcq.serialization import to_data

SERVE = "import sys; from sgcq.cli import main; sys.exit(main(sys.argv[1:]))"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _call(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def _wait(port: int, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"sgcq serve exited with {proc.returncode}")
        try:
            if _call(port, "GET", "/health")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("sgcq serve did not answer /health in time")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Serve, send the requests, and return the measured row."""
    scenario = load_scenario(args.scenario)
    settings = Settings(workers=1, seed=0, time_limit=args.time_limit)
    body = json.dumps({"scenario": to_data(scenario), "settings": to_data(settings)}).encode()
    port = _free_port()
    cmd = [sys.executable, "-c", SERVE, "serve", "--port", str(port)]
    cmd += ["--solvers", str(args.solvers), "--queue", str(args.requests)]
    cmd += ["--max-time-limit", str(args.time_limit)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(port, proc)

        def one(_i: int) -> tuple[float, int, Any]:
            started = time.perf_counter()
            status, reply = _call(port, "POST", "/match", body)
            return time.perf_counter() - started, status, reply

        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            replies = list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    bad = [status for _, status, _ in replies if status != 200]
    if bad:
        raise SystemExit(f"{len(bad)} responses were not 200: {sorted(set(bad))}")
    placed = {len(reply["result"]["assignments"]) for _, _, reply in replies}
    statuses = sorted({reply["result"]["status"] for _, _, reply in replies})
    latencies = [t for t, _, _ in replies]
    return {
        "scenario": args.scenario,
        "candidates": len(scenario.candidates),
        "body_bytes": len(body),
        "requests": args.requests,
        "concurrency": args.concurrency,
        "solvers": args.solvers,
        "p50_s": round(statistics.median(latencies), 3),
        "p90_s": round(_percentile(latencies, 0.9), 3),
        "max_s": round(max(latencies), 3),
        "throughput_per_s": round(args.requests / wall, 2),
        "placed": sorted(placed),
        "statuses": statuses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="ntu-ydpg-2020")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--solvers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--json", type=Path, help="also write the row here")
    args = parser.parse_args(argv)
    if min(args.requests, args.concurrency, args.solvers) < 1:
        parser.error("--requests, --concurrency and --solvers must be at least 1")
    row = run(args)
    columns = ["scenario", "candidates", "requests", "concurrency", "solvers"]
    columns += ["p50_s", "p90_s", "max_s", "throughput_per_s", "placed", "statuses"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    if args.json is not None:
        args.json.write_text(json.dumps(row, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
