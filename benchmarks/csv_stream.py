"""How fast a bad row near the top of a large candidates CSV is reported, and the memory of a load.

    python benchmarks/csv_stream.py --rows 1000000

Writes a candidates CSV of ``--rows`` rows with a bad date on row 10 and a
good one of the same size, then measures, each in a fresh process (so that
each peak resident set size is its own):

1. ``read_candidates_csv(bad, on_error=...)``: the seconds until ``on_error``
   is handed the row-10 problem, and the seconds until the whole file is
   read and the error raised;
2. ``read_candidates_csv(bad, max_errors=1, fail_fast=True)``: the seconds
   until it raises;
3. ``iter_candidates_csv(bad)``: the seconds until it raises at row 10;
4. ``read_candidates_csv(good)``: the seconds of the full load.

Each line gives the peak RSS of its process (``ru_maxrss``; the interpreter
with sgcq's readers imported takes about 26 MiB of it).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    "id,university,nationalities,discipline,available_start,available_end,"
    "duration_min,duration_max,modes,enrolled_full_time_until\n"
)


def row(i: int, start: str = "2020-07-01") -> str:
    return f"c{i},ntu,SG,computer-science,{start},2021-01-01,3 months,6 months,on_site,2021-05-31\n"


def write(path: Path, rows: int, bad: int | None) -> None:
    with path.open("w") as f:
        f.write(HEADER)
        for i in range(rows):
            f.write(row(i, "2020-13-01" if bad is not None and i + 2 == bad else "2020-07-01"))


def _peak_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _measure(phase: str, path: str) -> str:
    from sgcq.errors import CsvError
    from sgcq.serialization import iter_candidates_csv, read_candidates_csv

    t = time.perf_counter()
    if phase == "on_error":
        first: list[tuple[int | None, float]] = []

        def seen(error: CsvError) -> None:
            if not first:
                first.append((error.row, time.perf_counter() - t))

        with contextlib.suppress(CsvError):
            read_candidates_csv(path, on_error=seen)
        total = time.perf_counter() - t
        at, after = first[0]
        return (
            f"read(on_error): row {at} handed to on_error after {after:.3f} s; "
            f"whole file read and raised after {total:.1f} s; peak RSS {_peak_mib():.0f} MiB"
        )
    if phase == "fail_fast":
        try:
            read_candidates_csv(path, max_errors=1, fail_fast=True)
        except CsvError as exc:
            took = time.perf_counter() - t
            return (
                f"read(max_errors=1, fail_fast=True): row {exc.row} raised after {took:.3f} s; "
                f"peak RSS {_peak_mib():.0f} MiB"
            )
        return "read(fail_fast=True): no error raised"
    if phase == "iter":
        try:
            for _ in iter_candidates_csv(path):
                pass
        except CsvError as exc:
            took = time.perf_counter() - t
            return f"iter: row {exc.row} raised after {took:.3f} s; peak RSS {_peak_mib():.0f} MiB"
        return "iter: no error raised"
    got = read_candidates_csv(path)
    took = time.perf_counter() - t
    return f"read of {len(got)} good rows: {took:.1f} s; peak RSS {_peak_mib():.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument(
        "--phases",
        default="fail_fast,iter,on_error,full",
        help="which measurements to run, comma-separated",
    )
    args = parser.parse_args()
    d = Path(tempfile.mkdtemp())
    bad, good = d / "bad.csv", d / "good.csv"
    t = time.perf_counter()
    write(bad, args.rows, 10)
    write(good, args.rows, None)
    size = bad.stat().st_size / 2**20
    print(f"{args.rows} rows, {size:.0f} MiB per file, written in {time.perf_counter() - t:.1f} s")
    ctx = multiprocessing.get_context("spawn")
    for phase in args.phases.split(","):
        with ctx.Pool(1) as pool:
            print(pool.apply(_measure, (phase, str(good if phase == "full" else bad))), flush=True)


if __name__ == "__main__":
    main()
