"""Smoke test of benchmarks/sweep.py (serial only; the Dask path is tested in test_sweep_dask)."""

from __future__ import annotations

import sys
from pathlib import Path

from planning_helpers import small_problem

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import sweep as bench


def test_the_grid_has_as_many_distinct_variations_as_asked() -> None:
    for n in (1, 7, 100, 1000):
        grid = bench.grid_of(n)
        assert len(grid) == len(set(grid)) == n


def test_the_serial_measure_reports_its_figures() -> None:
    row = bench.measure("small", small_problem(), 3, 2, 5.0, dask=False)
    assert row["variations"] == 3 and row["failed"] == 0
    assert row["serial_per_s"] > 0 and row["serial_peak_mb"] > 0
    assert "| small | 3 |" in bench._table([row])
