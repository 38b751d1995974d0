"""How fast a bad row near the top of a large candidates CSV is reported, and the memory of a load.

    python benchmarks/csv_stream.py --rows 1000000

Writes a candidates CSV of ``--rows`` rows with a bad date on row 10, then
measures (1) the seconds until ``iter_candidates_csv`` raises at row 10,
(2) the same for ``read_candidates_csv(max_errors=1)``, and (3) the seconds
and the peak traced memory of reading a good file of the same size in full.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

from sgcq.errors import CsvError
from sgcq.serialization import iter_candidates_csv, read_candidates_csv

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    d = Path(tempfile.mkdtemp())
    bad, good = d / "bad.csv", d / "good.csv"
    write(bad, args.rows, 10)
    write(good, args.rows, None)
    t = time.perf_counter()
    try:
        for _ in iter_candidates_csv(bad):
            pass
    except CsvError as exc:
        print(f"iter: row {exc.row} reported after {time.perf_counter() - t:.3f} s")
    t = time.perf_counter()
    try:
        read_candidates_csv(bad, max_errors=1)
    except CsvError as exc:
        print(f"read(max_errors=1): row {exc.row} after {time.perf_counter() - t:.3f} s")
    tracemalloc.start()
    t = time.perf_counter()
    n = sum(1 for _ in iter_candidates_csv(good))
    _, peak = tracemalloc.get_traced_memory()
    print(f"iter over {n} good rows: {time.perf_counter() - t:.1f} s, peak {peak / 2**20:.1f} MiB")
    tracemalloc.reset_peak()
    t = time.perf_counter()
    got = read_candidates_csv(good)
    _, peak = tracemalloc.get_traced_memory()
    print(f"read of {len(got)} rows: {time.perf_counter() - t:.1f} s, peak {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
