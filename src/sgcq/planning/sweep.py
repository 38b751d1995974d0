"""What-if sweeps: one base problem, many variations, each solved with its own seed.

A :class:`Sweep` is a base :class:`~sgcq.matching.Problem`, the variations to
try and a seed. :func:`run_sweep` solves every variation (serially, on any
:class:`concurrent.futures.Executor`, or on a Dask ``distributed.Client``)
and returns a :class:`SweepTable`: one :class:`SweepRow` per variation, in
the sweep's order, with the status, the number placed, the objective levels,
the gap, the budget used, what each other payer (housing payer, visa
sponsor) pays against its budget, the beds used per month, the solve time
and, for a variation that failed, its error. :func:`iter_sweep` yields the
rows as they complete.

Every variation is solved with a seed derived from the sweep's seed and the
variation itself (:meth:`Sweep.seed_of`), never from its place in the sweep
or from where it runs, so a sweep gives the same rows (all but the solve
times) serially, on a process pool or on a cluster. On Dask the base problem
is sent to the workers once (``Client.scatter``), not with every task, and a
task lost with a worker is submitted again: no row is lost and none appears
twice. On a local :class:`~concurrent.futures.ProcessPoolExecutor` the base
problem is pickled once into a temporary file that each process reads once
(a task carries only its path and digest); on another executor the pickled
bytes travel with each task (an executor has no way to send data ahead).

With :attr:`Sweep.warm_start` (the default) the base problem is solved once
before the tasks and its solution goes with the base problem to every
variation as its starting solution (decision 0018): the same start wherever a
variation runs, so the rows still do not depend on the order or the executor.
That first solve is never wasted: it is the row of the unchanged variation
when the sweep has one, and :attr:`SweepTable.base` either way.

Examples
--------
>>> from datetime import date
>>> from sgcq.matching import MatchCandidate, MatchPosition, Option, Problem, Settings
>>> from sgcq.models import DateRange, Mode
>>> stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
>>> base = Problem(
...     candidates=(MatchCandidate("c1", "ntu"), MatchCandidate("c2", "nus")),
...     positions=(MatchPosition("p1", "h1", seats=1),),
...     options=(
...         Option("c1", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...         Option("c2", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...     ),
... )
>>> from sgcq.planning import SeatsChange, Variation
>>> sweep = Sweep(base, [Variation(), Variation(seats=[SeatsChange(position="p1", add=1)])])
>>> table = run_sweep(sweep)
>>> [(row.label, row.status, row.placed) for row in table]
[('base', 'optimal', 1), ('seats of p1 +1', 'optimal', 2)]
>>> Sweep(base, [Variation(max_size=1), Variation(max_size=1, label="again")])
Traceback (most recent call last):
...
sgcq.models.errors.ModelValidationError: variations[1]: the same as variations[0] (max size 1)
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import hashlib
import importlib
import io
import json
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from sgcq.errors import DaskNotInstalledError, PlanningError
from sgcq.matching import (
    Assignment,
    BedUse,
    LevelValue,
    PayerTotal,
    Problem,
    Result,
    Settings,
    solve,
)
from sgcq.models import _validate as v
from sgcq.planning.variation import Variation
from sgcq.serialization import to_data

__all__ = [
    "DEFAULT_SETTINGS",
    "Progress",
    "Sweep",
    "SweepRow",
    "SweepTable",
    "dask_client",
    "iter_sweep",
    "run_sweep",
    "solve_variation",
]

#: The settings of a sweep that is given none: one worker and a deterministic
#: limit per variation, so that the rows repeat exactly wherever they run.
DEFAULT_SETTINGS = Settings(deterministic_time_limit=10.0, workers=1)

#: Called once per row as it arrives: ``(rows done, rows in all, the row)``.
Progress = Callable[[int, int, "SweepRow"], None]

#: How many times a Dask task lost with its worker is submitted again.
_RESUBMITS = 3


#: Fields added to :class:`Variation` after its seeds were first derived: left
#: out of a variation's key while empty, so that a variation without them keeps
#: the seed (and the row) it had before they existed.
_LATER_FIELDS = ("payer_budgets", "payer_budget_scales")


def _key_data(variation: Variation) -> str:
    """Return the variation without its label as canonical JSON (its identity in a sweep)."""
    data = to_data(attrs.evolve(variation, label=None))
    for name in _LATER_FIELDS:
        if not data.get(name):
            data.pop(name, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)


def _seed(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        v.fail(attribute.name, f"must be an integer in [0, 2**31), got {value!r}")


def _variations(value: Any) -> Any:
    if isinstance(value, Variation):
        return (value,)
    return v.to_tuple(value)


@attrs.frozen
class Sweep:
    """A base problem, the variations to solve and the seed they derive theirs from.

    Parameters
    ----------
    base
        The problem every variation changes.
    variations
        The variations, each at most once (labels aside); the base problem
        alone by default.
    seed
        The sweep's seed (see :meth:`seed_of`).
    settings
        The solver settings of every variation, whose seed is replaced by the
        variation's own; :data:`DEFAULT_SETTINGS` by default.
    warm_start
        Solve the base problem once first (with the seed of the unchanged
        variation, :meth:`seed_of` of ``Variation()``) and give its solution
        to every variation's solve as its starting solution (``solve(...,
        start=...)``, decision 0018); the unchanged variation's row, if the
        sweep has one, is that first solve, and :attr:`SweepTable.base` is
        that solve's row either way. The same start goes to every variation
        wherever it runs, so the rows do not depend on the order or the
        executor. True by default.
    """

    base: Problem = attrs.field(validator=v.instance_of(Problem))
    variations: tuple[Variation, ...] = attrs.field(
        default=(Variation(),), converter=_variations, validator=v.tuple_of(Variation)
    )
    seed: int = attrs.field(default=0, validator=_seed)
    settings: Settings = attrs.field(default=DEFAULT_SETTINGS, validator=v.instance_of(Settings))
    warm_start: bool = attrs.field(default=True, validator=v.instance_of(bool), kw_only=True)

    def __attrs_post_init__(self) -> None:
        v.check(bool(self.variations), "variations", "give at least one variation")
        seen: dict[str, int] = {}
        for i, x in enumerate(self.variations):
            key = _key_data(x)
            if key in seen:
                v.fail(
                    f"variations[{i}]",
                    f"the same as variations[{seen[key]}] ({x.describe()})",
                )
            seen[key] = i

    @classmethod
    def grid(
        cls,
        base: Problem,
        *axes: Iterable[Variation],
        seed: int = 0,
        settings: Settings | None = None,
        warm_start: bool = True,
    ) -> Sweep:
        """Return the sweep of every combination of one variation per axis (see :func:`grid`)."""
        from sgcq.planning.variation import grid

        return cls(base, grid(*axes), seed, settings or DEFAULT_SETTINGS, warm_start=warm_start)

    def seed_of(self, variation: Variation) -> int:
        """Return the solver seed of ``variation``: from the sweep's seed and the variation only.

        The seed does not depend on the variation's label, its place in the
        sweep or the executor.
        """
        digest = hashlib.sha256(f"{self.seed}\n{_key_data(variation)}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % 2**31

    def settings_of(self, variation: Variation) -> Settings:
        """Return the settings ``variation`` is solved with."""
        return attrs.evolve(self.settings, seed=self.seed_of(variation))

    def __len__(self) -> int:
        return len(self.variations)


@attrs.frozen
class SweepRow:
    """The outcome of one variation of a sweep.

    Parameters
    ----------
    index
        The variation's place in :attr:`Sweep.variations`; -1 for the solve
        of the base problem that a warm sweep makes first when it has no
        unchanged variation (:attr:`SweepTable.base`).
    label
        The variation's name (:attr:`Variation.name`).
    variation
        The variation.
    seed
        The solver seed it was solved with.
    status
        The result's status (``"optimal"``, ``"feasible"``, ``"infeasible"``,
        ``"unknown"``), or ``"error"`` when applying or solving raised.
    path
        The algorithm that ran, if any.
    placed
        Candidates placed (0 without a solution; ``None`` on error).
    levels
        The objective levels' values and bounds.
    gap
        The largest relative gap over the levels, if a solution was found.
    budget_used, budget
        The cost of the placements and the budget, in :attr:`currency`.
    currency
        The problem's currency, if any.
    payer_totals
        Per other payer (housing payer, visa sponsor): what the placements
        cost it and its budget (:attr:`Result.payer_totals
        <sgcq.matching.Result.payer_totals>`), sorted by payer.
    beds_used
        Beds held per month against the capacity.
    solve_time
        Seconds spent applying the variation and solving.
    error
        ``"ErrorType: message"`` when the status is ``"error"``.
    """

    index: int
    label: str
    variation: Variation
    seed: int
    status: str
    path: str | None = None
    placed: int | None = None
    levels: tuple[LevelValue, ...] = ()
    gap: float | None = None
    budget_used: Decimal | None = None
    budget: Decimal | None = None
    currency: str | None = None
    payer_totals: tuple[PayerTotal, ...] = ()
    beds_used: tuple[BedUse, ...] = ()
    solve_time: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the variation was solved (whatever the status) rather than failing."""
        return self.error is None

    def outcome(self) -> SweepRow:
        """Return the row without its solve time: what must repeat wherever it ran."""
        return attrs.evolve(self, solve_time=0.0)

    def level(self, objective: str) -> int | None:
        """Return the value of the objective level ``objective`` (e.g. ``"placed"``), if solved."""
        for lv in self.levels:
            if lv.objective == objective:
                return lv.value
        return None

    def payer_used(self, payer: str) -> Decimal | None:
        """Return what the placements cost ``payer`` (in its currency), if the row lists it."""
        for t in self.payer_totals:
            if t.payer == payer:
                return t.used.amount
        return None

    def beds_in(self, month: str) -> int | None:
        """Return the beds used in ``month`` (``"YYYY-MM"``), if the row lists it."""
        for b in self.beds_used:
            if str(b.month) == month:
                return b.used
        return None

    def record(self) -> dict[str, Any]:
        """Return the row as flat columns.

        Levels are ``level_<objective>`` and ``bound_<objective>``; each
        other payer has ``payer_used_<payer>``, ``payer_budget_<payer>``
        (empty without a budget) and ``payer_currency_<payer>``; beds are
        ``beds_<month>`` and ``capacity_<month>``.
        """
        out: dict[str, Any] = {
            "index": self.index,
            "label": self.label,
            "status": self.status,
            "path": self.path,
            "placed": self.placed,
        }
        for lv in self.levels:
            out[f"level_{lv.objective}"] = lv.value
            out[f"bound_{lv.objective}"] = lv.bound
        out["gap"] = self.gap
        out["budget_used"] = None if self.budget_used is None else f"{self.budget_used:f}"
        out["budget"] = None if self.budget is None else f"{self.budget:f}"
        out["currency"] = self.currency
        for t in self.payer_totals:
            out[f"payer_used_{t.payer}"] = f"{t.used.amount:f}"
            out[f"payer_budget_{t.payer}"] = None if t.budget is None else f"{t.budget.amount:f}"
            out[f"payer_currency_{t.payer}"] = t.used.currency
        for b in self.beds_used:
            out[f"beds_{b.month}"] = b.used
            out[f"capacity_{b.month}"] = b.capacity
        out["solve_time"] = round(self.solve_time, 6)
        out["seed"] = self.seed
        out["error"] = self.error
        return out


def _columns(records: Sequence[dict[str, Any]]) -> list[str]:
    head = ["index", "label", "status", "path", "placed"]
    levels: list[str] = []
    beds: set[str] = set()
    payers: set[str] = set()
    for r in records:
        for k in r:
            if k.startswith(("level_", "bound_")) and k not in levels:
                levels.append(k)
            elif k.startswith(("beds_", "capacity_")):
                beds.add(k)
            elif k.startswith("payer_used_"):
                payers.add(k[len("payer_used_") :])
    months = sorted({k.split("_", 1)[1] for k in beds})
    bed_cols = [c for m in months for c in (f"beds_{m}", f"capacity_{m}") if c in beds]
    payer_cols = [
        f"payer_{what}_{p}" for p in sorted(payers) for what in ("used", "budget", "currency")
    ]
    tail = [
        "gap",
        "budget_used",
        "budget",
        "currency",
        *payer_cols,
        *bed_cols,
        "solve_time",
        "seed",
        "error",
    ]
    return head + levels + tail


@attrs.frozen
class SweepTable:
    """The rows of a sweep, in the order of its variations.

    Iterate over it for the :class:`SweepRow` records; :meth:`to_frame`
    gives a pandas ``DataFrame`` and :meth:`to_csv` a CSV file, both with
    the columns of :meth:`SweepRow.record`.

    Parameters
    ----------
    rows
        One row per variation, in the sweep's order.
    base
        The row of the unchanged base problem's solve, if the sweep made
        one: the unchanged variation's row when the sweep has one (also in
        ``rows``), else the solve a warm sweep makes first for its starting
        solution (index -1, not in ``rows``, nor in the CSV or the
        ``DataFrame``); ``None`` for a cold sweep without the unchanged
        variation.
    """

    rows: tuple[SweepRow, ...] = attrs.field(converter=v.to_tuple)
    base: SweepRow | None = attrs.field(default=None, kw_only=True)

    def __iter__(self) -> Iterator[SweepRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> SweepRow:
        return self.rows[index]

    @property
    def failed(self) -> tuple[SweepRow, ...]:
        """The rows whose variation raised."""
        return tuple(r for r in self.rows if not r.ok)

    def outcomes(self) -> tuple[SweepRow, ...]:
        """Return the rows without solve times (equal wherever the sweep ran)."""
        return tuple(r.outcome() for r in self.rows)

    def records(self) -> list[dict[str, Any]]:
        """Return one dictionary per row, every row with the same columns."""
        records = [r.record() for r in self.rows]
        cols = _columns(records)
        return [{c: r.get(c) for c in cols} for r in records]

    def to_frame(self) -> Any:
        """Return the table as a pandas ``DataFrame`` (one row per variation).

        Raises
        ------
        PlanningError
            If pandas is not installed (``pip install pandas``).
        """
        try:
            pd: Any = importlib.import_module("pandas")
        except ImportError:
            raise PlanningError('a DataFrame needs pandas: pip install "sgcq[dask]"') from None
        records = self.records()
        return pd.DataFrame.from_records(records, columns=_columns(records) if records else None)

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """Write the table as CSV to ``path`` (if given) and return the text."""
        records = self.records()
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=_columns(records), lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow({k: "" if x is None else x for k, x in r.items()})
        text = buf.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


# --- one task -------------------------------------------------------------------


@attrs.frozen
class _Base:
    """What every task of a sweep shares: the base problem and the starting solution."""

    problem: Problem
    start: tuple[Assignment, ...] | None = None


@attrs.frozen
class _Pickled:
    """The shared part pickled once; each process unpickles it once (by digest)."""

    digest: str
    data: bytes


@attrs.frozen
class _Stored:
    """The shared part pickled once into a file; each process reads it once (by digest).

    A local process pool's tasks carry only the digest and the file's path.
    """

    digest: str
    path: str


_BASES: dict[str, _Base] = {}


def _base_of(base: Problem | _Base | _Pickled | _Stored) -> _Base:
    if isinstance(base, Problem):
        return _Base(base)
    if isinstance(base, _Base):
        return base
    shared = _BASES.get(base.digest)
    if shared is None:
        data = base.data if isinstance(base, _Pickled) else Path(base.path).read_bytes()
        if hashlib.sha256(data).hexdigest() != base.digest:
            raise PlanningError(f"the sweep's shared base problem changed under {base!r}")
        _BASES.clear()  # one sweep's base at a time
        shared = _BASES[base.digest] = pickle.loads(data)
    return shared


def solve_variation(
    base: Problem | _Base | _Pickled | _Stored,
    index: int,
    variation: Variation,
    settings: Settings,
) -> SweepRow:
    """Apply ``variation`` to ``base``, solve it and return its row; never raises for it.

    The task every executor runs (``base`` is the problem, or the sweep's
    shared part: the problem and the starting solution, possibly pickled
    once). An exception raised while applying the variation or solving is
    reported in the row (status ``"error"``).
    """
    return _solve_row(base, index, variation, settings)[0]


def _solve_row(
    base: Problem | _Base | _Pickled | _Stored,
    index: int,
    variation: Variation,
    settings: Settings,
) -> tuple[SweepRow, Result | None]:
    started = time.perf_counter()
    label = variation.name
    try:
        shared = _base_of(base)
        problem = variation.apply(shared.problem)
        result = solve(problem, settings, start=shared.start)
    except Exception as e:
        row = SweepRow(
            index,
            label,
            variation,
            settings.seed,
            "error",
            solve_time=time.perf_counter() - started,
            error=f"{type(e).__name__}: {e}",
        )
        return row, None
    return SweepRow(
        index,
        label,
        variation,
        settings.seed,
        result.status.value,
        path=result.path.value,
        placed=result.placed,
        levels=result.levels,
        gap=result.gap,
        budget_used=None if result.budget_used is None else result.budget_used.amount,
        budget=None if result.budget is None else result.budget.amount,
        currency=problem.currency,
        payer_totals=result.payer_totals,
        beds_used=result.beds_used,
        solve_time=time.perf_counter() - started,
    ), result


def _lost(index: int, variation: Variation, seed: int, error: BaseException) -> SweepRow:
    return SweepRow(
        index,
        variation.name,
        variation,
        seed,
        "error",
        error=f"{type(error).__name__}: {error}",
    )


# --- executors ------------------------------------------------------------------


def _is_dask_client(executor: object) -> bool:
    module = type(executor).__module__ or ""
    return module.split(".")[0] == "distributed" and hasattr(executor, "scatter")


_UNCHANGED = Variation()


def _prepare(sweep: Sweep) -> tuple[_Base, SweepRow | None]:
    """Return the shared part of ``sweep`` and the base problem's row, if solved here.

    With :attr:`Sweep.warm_start` the base problem is solved once, here,
    and its solution is the start of every other variation; that solve is
    the unchanged variation's row when the sweep has one, else a row of
    index -1 (:attr:`SweepTable.base`).
    """
    if not sweep.warm_start:
        return _Base(sweep.base), None
    unchanged = _key_data(_UNCHANGED)
    at = next((i for i, x in enumerate(sweep.variations) if _key_data(x) == unchanged), None)
    index = -1 if at is None else at
    variation = _UNCHANGED if at is None else sweep.variations[at]
    row, result = _solve_row(sweep.base, index, variation, sweep.settings_of(variation))
    start = None
    if result is not None and result.status.has_solution:
        start = result.assignments
    return _Base(sweep.base, start), row


# Each executor's generator yields the base row first (index -1 when it is not
# one of the sweep's rows); iter_sweep leaves that one out, run_sweep keeps it.


def _serial(sweep: Sweep) -> Iterator[SweepRow]:
    shared, first = _prepare(sweep)
    if first is not None:
        yield first
    for i, x in enumerate(sweep.variations):
        if first is None or i != first.index:
            yield solve_variation(shared, i, x, sweep.settings_of(x))


def _pooled(sweep: Sweep, executor: Executor) -> Iterator[SweepRow]:
    shared, first = _prepare(sweep)
    if first is not None:
        yield first
    with contextlib.ExitStack() as stack:
        base: _Base | _Pickled | _Stored = shared
        if not isinstance(executor, ThreadPoolExecutor):
            data = pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)
            digest = hashlib.sha256(data).hexdigest()
            if isinstance(executor, ProcessPoolExecutor):
                # A local pool: the bytes go to a file once and each process
                # reads them once; a task carries only the file's name.
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="sgcq-sweep-"))
                path = Path(folder) / f"{digest}.pickle"
                path.write_bytes(data)
                base = _Stored(digest, str(path))
            else:  # an executor elsewhere: the bytes travel with each task
                base = _Pickled(digest, data)
        futures = {
            executor.submit(solve_variation, base, i, x, sweep.settings_of(x)): i
            for i, x in enumerate(sweep.variations)
            if first is None or i != first.index
        }
        try:
            for f in cf.as_completed(futures):
                i = futures[f]
                x = sweep.variations[i]
                try:
                    yield f.result()
                except Exception as e:  # the pool broke: the row says so
                    yield _lost(i, x, sweep.seed_of(x), e)
        finally:
            for f in futures:
                f.cancel()


def _distributed() -> Any:
    """Return the ``distributed`` module, or raise the error that names the extra."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise DaskNotInstalledError() from None


def _dask(sweep: Sweep, client: Any) -> Iterator[SweepRow]:
    dist = _distributed()
    shared, first = _prepare(sweep)
    if first is not None:
        yield first
    token = hashlib.sha256(pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    token = f"{token[:12]}-{time.time_ns()}"
    # Sent to every worker once; each task names it, so nothing is sent per task.
    base = client.scatter(shared, broadcast=True, hash=False)
    tries = {i: 0 for i in range(len(sweep.variations)) if first is None or i != first.index}

    def submit(i: int) -> Any:
        x = sweep.variations[i]
        return client.submit(
            solve_variation,
            base,
            i,
            x,
            sweep.settings_of(x),
            key=f"sgcq-sweep-{token}-{i}-{tries[i]}",
            pure=False,
        )

    futures = {submit(i): i for i in tries}
    done: set[int] = set()
    pending = dist.as_completed(list(futures))
    try:
        for f in pending:
            i = futures.pop(f)
            if i in done:  # pragma: no cover - each index is submitted once at a time
                continue
            if f.status == "finished":
                row = f.result()
            else:
                # The task itself never raises: this is the cluster (a worker
                # lost with the task or with the base problem). Send it again.
                try:
                    error = f.exception()
                except BaseException as e:  # a cancelled future has no exception to give
                    error = e
                if tries[i] < _RESUBMITS:
                    tries[i] += 1
                    if base.status != "finished":
                        base = client.scatter(shared, broadcast=True, hash=False)
                    g = submit(i)
                    futures[g] = i
                    pending.add(g)
                    continue
                x = sweep.variations[i]
                row = _lost(i, x, sweep.seed_of(x), error)
            done.add(i)
            yield row
    finally:
        for f in futures:
            f.cancel()
        base.release()


def dask_client(address: str | None = None, **kwargs: Any) -> Any:
    """Return a Dask ``distributed.Client`` connected to ``address``.

    With ``address`` ``None``, Dask starts a local cluster.

    Raises
    ------
    DaskNotInstalledError
        If ``distributed`` is not installed (``pip install "sgcq[dask]"``).
    PlanningError
        If the scheduler cannot be reached.
    """
    dist = _distributed()
    try:
        return dist.Client(address, **kwargs)
    except OSError as e:
        raise PlanningError(f"cannot reach the Dask scheduler at {address}: {e}") from None


def iter_sweep(sweep: Sweep, executor: Any = None) -> Iterator[SweepRow]:
    """Yield the rows of ``sweep`` as they complete (in the sweep's order when serial).

    Parameters
    ----------
    sweep
        The sweep.
    executor
        ``None`` to solve in this process one after another, any
        :class:`concurrent.futures.Executor`, or a Dask
        ``distributed.Client``.

    Raises
    ------
    PlanningError
        If ``executor`` is none of these.
    """
    return (row for row in _rows(sweep, executor) if row.index >= 0)


def _rows(sweep: Sweep, executor: Any) -> Iterator[SweepRow]:
    """Yield the rows of ``sweep`` and, first, a warm sweep's solve of the base problem."""
    if executor is None:
        return _serial(sweep)
    if _is_dask_client(executor):
        return _dask(sweep, executor)
    if isinstance(executor, Executor):
        return _pooled(sweep, executor)
    raise PlanningError(
        f"executor: expected None, a concurrent.futures.Executor or a Dask Client, "
        f"got {type(executor).__name__}"
    )


def run_sweep(sweep: Sweep, executor: Any = None, progress: Progress | None = None) -> SweepTable:
    """Solve every variation of ``sweep``; return the table of rows in the sweep's order.

    Parameters
    ----------
    sweep
        The sweep.
    executor
        ``None`` (serial, the default), any
        :class:`concurrent.futures.Executor`, or a Dask ``distributed.Client``
        (the ``dask`` extra), on which the base problem is scattered once.
    progress
        Called with ``(done, total, row)`` as each row arrives.

    Returns
    -------
    SweepTable
        One row per variation: a variation that raised has status
        ``"error"`` and its error, and the sweep goes on. Its
        :attr:`~SweepTable.base` is the base problem's row, if solved.
    """
    rows: dict[int, SweepRow] = {}
    total = len(sweep.variations)
    base: SweepRow | None = None
    for row in _rows(sweep, executor):
        if row.index < 0:  # a warm sweep's base solve, not one of its rows
            base = row
            continue
        if row.index in rows:  # pragma: no cover - guarded in every executor
            continue
        rows[row.index] = row
        if progress is not None:
            progress(len(rows), total, row)
    missing = [i for i in range(total) if i not in rows]
    if missing:  # pragma: no cover - every executor yields every row
        raise PlanningError(f"the sweep lost rows {missing}")
    if base is None:
        unchanged = _key_data(_UNCHANGED)
        at = next((i for i, x in enumerate(sweep.variations) if _key_data(x) == unchanged), None)
        base = None if at is None else rows[at]
    return SweepTable(tuple(rows[i] for i in range(total)), base=base)
