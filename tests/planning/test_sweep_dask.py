"""Sweeps on a real 2-worker Dask LocalCluster, started and closed by this module.

Skipped when ``distributed`` is missing, except where ``SGCQ_REQUIRE_DASK`` is
set (``.ci/run`` sets it), so CI fails rather than skipping them.
"""

from __future__ import annotations

import os

import pytest
from planning_helpers import TEST_SETTINGS, payer_problem, small_problem

from sgcq.planning import Sweep, Variation, beds_scales, budget_scales, payer_scales, run_sweep

if os.environ.get("SGCQ_REQUIRE_DASK"):
    import distributed
else:
    distributed = pytest.importorskip("distributed")

BASE = small_problem(3)
SWEEP = Sweep(
    BASE,
    [
        *Sweep.grid(BASE, beds_scales(["0.6", 1, "1.5"]), budget_scales([1, 2])).variations,
        Variation(withdrawn_hosts={"h9"}, label="broken"),
    ],
    seed=7,
    settings=TEST_SETTINGS,
)


def _cluster() -> distributed.LocalCluster:
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_port=0,
        silence_logs=40,
    )


@pytest.fixture(scope="module")
def client():
    with _cluster() as cluster, distributed.Client(cluster) as client:
        yield client


def test_a_dask_cluster_gives_the_same_rows_as_serial(client) -> None:
    serial = run_sweep(SWEEP)
    deps: list[list[int]] = []

    def progress(done: int, total: int, row) -> None:
        if done == 1:
            deps.append(client.run_on_scheduler(_dependencies))

    table = run_sweep(SWEEP, client, progress=progress)
    # The base problem was scattered once: every task depends on that one key.
    assert deps and len(deps[0]) >= len(SWEEP) - 1
    assert set(deps[0]) == {1}
    assert table.outcomes() == serial.outcomes()
    assert table[len(SWEEP) - 1].error == "VariationError: withdrawn_hosts: unknown host 'h9'"
    # The warm start's solve of the base problem is reported, as serially.
    assert table.base.index == -1 and table.base.outcome() == serial.base.outcome()


def test_a_dask_cluster_gives_the_serial_payer_totals(client) -> None:
    district = payer_problem()
    sweep = Sweep(district, payer_scales("district", ["0.5", 2]), seed=5, settings=TEST_SETTINGS)
    serial = run_sweep(sweep)
    table = run_sweep(sweep, client)
    assert table.outcomes() == serial.outcomes()
    assert all(len(r.payer_totals) == 2 for r in table)


@pytest.mark.parametrize("warm", [True, False])
def test_with_the_unchanged_variation_and_either_start_dask_gives_the_serial_rows(
    client, warm: bool
) -> None:
    """The unchanged variation (solved before the tasks when warm) and the rest match serial."""
    sweep = Sweep(
        BASE,
        [Variation(max_size=12), Variation(label="as is"), *beds_scales(["0.6"])],
        seed=3,
        settings=TEST_SETTINGS,
        warm_start=warm,
    )
    serial = run_sweep(sweep)
    table = run_sweep(sweep, client)
    assert table.outcomes() == serial.outcomes()
    assert [r.label for r in table] == [r.label for r in serial]


def _dependencies(dask_scheduler=None) -> list[int]:
    """Return how many keys each sweep task the scheduler holds depends on."""
    return [
        len(ts.dependencies)
        for key, ts in dask_scheduler.tasks.items()
        if str(key).startswith("sgcq-sweep-")
    ]


def test_a_worker_that_dies_mid_sweep_loses_no_row_and_duplicates_none(client) -> None:
    many = Sweep(
        BASE,
        [Variation(beds_scale=f"{1 + k / 100}", max_size=6 + k % 5) for k in range(24)],
        seed=1,
        settings=TEST_SETTINGS,
    )
    serial = run_sweep(many)
    seen: list[int] = []
    killed: list[str] = []

    def die() -> None:
        import threading

        threading.Timer(0.05, os._exit, (1,)).start()

    def progress(done: int, total: int, row) -> None:
        seen.append(row.index)
        if done == 2 and not killed:
            workers = sorted(client.scheduler_info()["workers"])
            killed.append(workers[0])
            # The worker's process exits outright once this call has returned
            # (its nanny starts a new one, at a new address).
            client.run(die, workers=[workers[0]])

    table = run_sweep(many, client, progress=progress)
    after = set(client.scheduler_info()["workers"])
    assert killed and killed[0] not in after
    assert sorted(seen) == list(range(len(many)))  # each row once
    assert table.outcomes() == serial.outcomes()
