"""Sweeps: the same rows serially, on threads and on a process pool; errors stay in their row."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import attrs
import pytest
from planning_helpers import TEST_SETTINGS, small_problem

from sgcq.errors import PlanningError
from sgcq.matching import solve
from sgcq.planning import (
    SeatsChange,
    Sweep,
    Variation,
    beds_scales,
    budget_scales,
    iter_sweep,
    run_sweep,
)

BASE = small_problem(3)
#: Six variations and one that cannot apply (an unknown host).
SWEEP = Sweep(
    BASE,
    [
        *Sweep.grid(BASE, beds_scales(["0.6", 1, "1.5"]), budget_scales([1, 2])).variations,
        Variation(withdrawn_hosts={"h9"}, label="broken"),
        Variation(seats=[SeatsChange(field="ai", add=2)], max_size=12),
    ],
    seed=7,
    settings=TEST_SETTINGS,
)


@pytest.fixture(scope="module")
def serial():
    return run_sweep(SWEEP)


def _check_rows(sweep, table, start) -> None:
    assert [r.index for r in table] == list(range(len(sweep)))
    for row, x in zip(table, sweep.variations, strict=True):
        assert row.variation == x and row.seed == sweep.seed_of(x)
        if row.ok:
            result = solve(x.apply(BASE), sweep.settings_of(x), start=start)
            assert (row.status, row.placed, row.levels) == (
                result.status.value,
                result.placed,
                result.levels,
            )
            assert row.beds_used == result.beds_used
            assert row.budget_used == result.budget_used.amount


def test_each_row_is_the_solve_of_its_variation_from_the_base_solution(serial) -> None:
    """Each row is the solve of its variation started from the base problem's solution."""
    base = solve(BASE, SWEEP.settings_of(Variation()))
    assert base.status.has_solution
    _check_rows(SWEEP, serial, base)
    placed = [r.placed for r in serial if r.ok]
    assert len(set(placed)) > 1, "the variations should change the outcome"


def test_without_warm_start_each_row_is_the_cold_solve_of_its_variation() -> None:
    """With ``warm_start=False`` each row is the solve of its variation alone."""
    sweep = attrs.evolve(SWEEP, variations=SWEEP.variations[:3], warm_start=False)
    _check_rows(sweep, run_sweep(sweep), None)


def test_the_unchanged_variation_is_the_base_solve() -> None:
    """With the unchanged variation in the sweep, its row is the base problem's cold solve."""
    sweep = Sweep(BASE, [Variation(max_size=12), Variation(label="as is")], settings=TEST_SETTINGS)
    table = run_sweep(sweep)
    result = solve(BASE, sweep.settings_of(Variation()))
    row = table[1]
    assert row.label == "as is"
    assert (row.status, row.placed, row.levels, row.beds_used) == (
        result.status.value,
        result.placed,
        result.levels,
        result.beds_used,
    )


def test_a_variation_that_raises_is_reported_in_its_row_and_the_sweep_goes_on(serial) -> None:
    (bad,) = serial.failed
    assert bad.label == "broken" and bad.status == "error"
    assert bad.error == "VariationError: withdrawn_hosts: unknown host 'h9'"
    assert bad.placed is None
    assert serial[bad.index + 1].ok  # the row after it was solved


def test_a_thread_pool_gives_the_same_rows(serial) -> None:
    with ThreadPoolExecutor(2) as pool:
        assert run_sweep(SWEEP, pool).outcomes() == serial.outcomes()


def test_a_process_pool_gives_the_same_rows(serial) -> None:
    ctx = multiprocessing.get_context("spawn")
    seen = []
    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        table = run_sweep(SWEEP, pool, progress=lambda d, n, r: seen.append((d, n, r.index)))
    assert table.outcomes() == serial.outcomes()
    assert [d for d, _, _ in seen] == list(range(1, len(SWEEP) + 1))
    assert {n for _, n, _ in seen} == {len(SWEEP)}
    assert sorted(i for _, _, i in seen) == list(range(len(SWEEP)))


class _Recording(ProcessPoolExecutor):
    """A process pool that records the pickled size of every task's arguments."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sizes: list[int] = []

    def submit(self, fn, /, *args, **kwargs):
        self.sizes.append(len(pickle.dumps((args, kwargs))))
        return super().submit(fn, *args, **kwargs)


def test_a_process_pool_task_does_not_carry_the_base_problem(serial) -> None:
    """On a local process pool the base problem goes once to a file, not with every task."""
    big = len(pickle.dumps(BASE))
    with _Recording(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        table = run_sweep(SWEEP, pool)
    assert table.outcomes() == serial.outcomes()
    assert len(pool.sizes) == len(SWEEP)  # the unchanged variation is absent: all are tasks
    assert max(pool.sizes) < big / 2, (max(pool.sizes), big)


def test_rows_stream_in_order_when_serial() -> None:
    small = Sweep(BASE, beds_scales([1, 2]), settings=TEST_SETTINGS)
    rows = iter_sweep(small)
    assert next(rows).index == 0
    assert next(rows).index == 1


def test_the_seed_does_not_depend_on_the_order() -> None:
    reversed_sweep = Sweep(BASE, SWEEP.variations[::-1], seed=7, settings=TEST_SETTINGS)
    table = run_sweep(reversed_sweep)
    by_variation = {r.variation: r.outcome() for r in run_sweep(SWEEP)}
    for row in table:
        import attrs

        assert attrs.evolve(row.outcome(), index=0) == attrs.evolve(
            by_variation[row.variation], index=0
        )


def test_the_table_as_records_csv_and_frame(serial, tmp_path) -> None:
    records = serial.records()
    assert len({tuple(r) for r in records}) == 1  # every row has the same columns
    cols = list(records[0])
    for name in ("status", "placed", "level_placed", "gap", "budget_used", "beds_2020-09"):
        assert name in cols
    assert cols.index("beds_2020-08") < cols.index("beds_2020-11")
    text = serial.to_csv(tmp_path / "sweep.csv")
    assert (tmp_path / "sweep.csv").read_text() == text
    assert text.count("\n") == len(SWEEP) + 1
    pd = pytest.importorskip("pandas")
    frame = serial.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["placed"].iloc[:2]) == [serial[0].placed, serial[1].placed]


def test_an_unknown_executor_is_refused() -> None:
    with pytest.raises(PlanningError, match="executor: expected None"):
        run_sweep(SWEEP, executor="local")


def _count_solves(monkeypatch) -> list[bool]:
    """Record each solve of the sweep module: whether it had a starting solution."""
    from sgcq.planning import sweep as sweep_module

    starts: list[bool] = []
    real = sweep_module.solve

    def counted(problem, settings, start=None):
        starts.append(start is not None)
        return real(problem, settings, start=start)

    monkeypatch.setattr(sweep_module, "solve", counted)
    return starts


def test_a_warm_sweep_reports_its_base_solve_instead_of_wasting_it(monkeypatch) -> None:
    """Without the unchanged variation, the first solve is the table's base row (index -1)."""
    sweep = Sweep(BASE, beds_scales(["0.6", 2]), seed=7, settings=TEST_SETTINGS)
    starts = _count_solves(monkeypatch)
    seen: list[int] = []
    table = run_sweep(sweep, progress=lambda d, n, r: seen.append(r.index))
    assert starts == [False, True, True]  # the base problem once, then two from it
    assert seen == [0, 1]  # progress is about the sweep's rows
    base = table.base
    assert base is not None and base.index == -1 and base.variation == Variation()
    result = solve(BASE, sweep.settings_of(Variation()))
    assert (base.status, base.placed, base.levels, base.seed) == (
        result.status.value,
        result.placed,
        result.levels,
        sweep.seed_of(Variation()),
    )
    assert [r.index for r in table] == [0, 1]
    assert len(table.records()) == 2 and table.to_csv().count("\n") == 3  # header, two rows
    assert [r.index for r in iter_sweep(sweep)] == [0, 1]  # not among the rows streamed


def test_the_base_row_is_the_unchanged_variations_row_when_the_sweep_has_one(monkeypatch):
    sweep = Sweep(BASE, [Variation(max_size=4), Variation()], settings=TEST_SETTINGS)
    starts = _count_solves(monkeypatch)
    table = run_sweep(sweep)
    assert starts == [False, True]  # no extra solve
    assert table.base is table[1]


def test_a_cold_sweep_solves_only_its_rows(monkeypatch) -> None:
    sweep = Sweep(BASE, beds_scales(["0.6", 2]), settings=TEST_SETTINGS, warm_start=False)
    starts = _count_solves(monkeypatch)
    table = run_sweep(sweep)
    assert starts == [False, False]
    assert table.base is None
    with_base = attrs.evolve(sweep, variations=(Variation(), *sweep.variations))
    assert run_sweep(with_base).base.index == 0


def test_a_process_pool_reports_the_same_base_row(serial) -> None:
    sweep = Sweep(BASE, beds_scales(["0.6", 2]), seed=7, settings=TEST_SETTINGS)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        pooled = run_sweep(sweep, pool)
    assert pooled.base.outcome() == run_sweep(sweep).base.outcome()


def test_the_seeds_of_variations_without_payer_changes_are_those_of_before() -> None:
    """Adding the payer fields to Variation left every earlier variation's seed as it was."""
    sweep = Sweep(BASE, seed=7, settings=TEST_SETTINGS)
    assert sweep.seed_of(Variation()) == 871577919
    assert sweep.seed_of(Variation(max_size=3)) == 1450524061
    assert sweep.seed_of(Variation(beds_scale="0.9", budget_scale=2)) == 485978116
    district = Variation(payer_budget_scales={"district": 2})
    assert sweep.seed_of(district) not in {sweep.seed_of(Variation()), 1450524061, 485978116}
