"""``sgcq sweep``: solve a scenario's cohort under a grid of variations; write the table.

``--vary NAME=START:STOP:COUNT`` (``COUNT`` evenly spaced values, both ends
included) or ``--vary NAME=A,B,C``; each ``--vary`` is one axis of the grid.
The names:

* ``beds``: every month's beds scaled by the factor;
* ``beds@YYYY-MM``: that month's beds set;
* ``budget``: the budget set (in the problem's currency); ``budget_scale``:
  scaled;
* ``budget@PAYER``: the budget of another payer (the housing payer, the visa
  sponsor) set, in the currency of its costs; ``budget_scale@PAYER``: scaled;
* ``max_size``, ``min_size``: the cohort's size bounds;
* ``seats@POSITION``, ``seats@field:TAG``: seats added to a position, or to
  every position of a field;
* ``rate@BASE/QUOTE``: the exchange rate;
* ``withdraw``: one host withdrawn per value.

Every variation starts from the base problem's solution, solved once first;
``--cold`` solves each one from scratch.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sgcq.cli._common import UsageError, load_scenario_target
from sgcq.models import Money, MonthlyBeds, YearMonth

if TYPE_CHECKING:
    from sgcq.matching import Problem, Settings
    from sgcq.planning import SweepRow, Variation

__all__ = ["add_common", "parse_axis", "parse_value", "register", "run_sweep_command", "within_of"]


def _numbers(name: str, spec: str) -> list[Decimal]:
    try:
        if ":" in spec:
            parts = spec.split(":")
            if len(parts) != 3:
                raise UsageError(f"--vary {name}: expected START:STOP:COUNT, got {spec!r}")
            start, stop = Decimal(parts[0]), Decimal(parts[1])
            count = int(parts[2])
            if count < 1:
                raise UsageError(f"--vary {name}: COUNT must be at least 1, got {count}")
            if count == 1:
                return [start]
            step = (stop - start) / (count - 1)
            return [_plain(start + step * k) for k in range(count)]
        return [_plain(Decimal(x)) for x in spec.split(",") if x.strip()]
    except (InvalidOperation, ValueError):
        raise UsageError(f"--vary {name}: {spec!r} is not a number, a list or a range") from None


def _plain(d: Decimal) -> Decimal:
    """Return ``d`` without an exponent: ``1e6`` is ``1000000``, ``0.80`` is ``0.8``."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return Decimal(f"{d.normalize():f}")


def _int(name: str, d: Decimal) -> int:
    if d != d.to_integral_value():
        raise UsageError(f"--vary {name}: {d} is not a whole number")
    return int(d)


def _one(name: str, value: Any, problem: Problem) -> Variation:
    """Return the variation that sets ``name`` to ``value`` (a Decimal, or a str for hosts)."""
    from sgcq.planning import RateChange, SeatsChange, Variation

    key, _, arg = name.partition("@")
    if key == "withdraw":
        return Variation(withdrawn_hosts={str(value)})
    d = value
    if key == "beds" and not arg:
        return Variation(beds_scale=d)
    if key == "beds":
        try:
            month = YearMonth.parse(arg)
        except Exception:
            raise UsageError(f"--vary {name}: {arg!r} is not a month (YYYY-MM)") from None
        return Variation(beds=[MonthlyBeds(month, _int(name, d))])
    if key in ("budget", "budget_scale") and arg:
        if arg not in problem.payers:
            known = ", ".join(problem.payers) or "none"
            raise UsageError(
                f"--vary {name}: the problem has no payer {arg!r} (its payers: {known})"
            )
        if key == "budget_scale":
            return Variation(payer_budget_scales={arg: d})
        currency = problem.payer_currency(arg)
        assert currency is not None  # a payer has costs or a budget
        return Variation(payer_budgets={arg: Money(d, currency)})
    if key == "budget":
        if problem.currency is None:
            raise UsageError(f"--vary {name}: the problem's options have no cost")
        return Variation(budget=Money(d, problem.currency))
    if key == "budget_scale":
        return Variation(budget_scale=d)
    if key == "max_size":
        return Variation(max_size=_int(name, d))
    if key == "min_size":
        return Variation(min_size=_int(name, d))
    if key == "seats" and arg:
        if arg.startswith("field:"):
            return Variation(seats=[SeatsChange(field=arg[6:], add=_int(name, d))])
        return Variation(seats=[SeatsChange(position=arg, add=_int(name, d))])
    if key == "rate" and "/" in arg:
        base, quote = arg.split("/", 1)
        return Variation(rates=[RateChange(base, quote, d)])
    raise UsageError(
        f"--vary {name}: unknown name; use beds, beds@YYYY-MM, budget, budget_scale, "
        "budget@PAYER, budget_scale@PAYER, max_size, min_size, seats@POSITION, "
        "seats@field:TAG, rate@BASE/QUOTE or withdraw"
    )


def parse_axis(spec: str, problem: Problem) -> tuple[Variation, ...]:
    """Return the variations of one ``--vary NAME=VALUES`` axis.

    Raises
    ------
    UsageError
        If the name is unknown or a value is not a number (of the right kind).
    """
    name, sep, values = spec.partition("=")
    if not sep or not name or not values:
        raise UsageError(f"--vary: expected NAME=VALUES, got {spec!r}")
    name = name.strip()
    if name == "withdraw":
        return tuple(_one(name, h.strip(), problem) for h in values.split(",") if h.strip())
    return tuple(_one(name, d, problem) for d in _numbers(name, values))


def parse_value(spec: str, problem: Problem) -> Variation:
    """Return the variation of one ``--set NAME=VALUE`` (a single value).

    Raises
    ------
    UsageError
        If it does not give exactly one value.
    """
    axis = parse_axis(spec, problem)
    if len(axis) != 1:
        raise UsageError(f"--set: expected one value, got {spec!r}")
    return axis[0]


def within_of(specs: list[str] | None, problem: Problem) -> Variation:
    """Return the ``--set`` changes composed into one variation."""
    from sgcq.planning import Variation

    out = Variation()
    for spec in specs or ():
        out = out | parse_value(spec, problem)
    return out


class _Line:
    """The progress line on standard error."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.errors = 0

    def __call__(self, done: int, total: int, row: SweepRow) -> None:
        if not row.ok:
            self.errors += 1
        what = row.status if row.ok else "error"
        placed = f", placed {row.placed}" if row.placed is not None else ""
        errors = f" ({self.errors} failed)" if self.errors else ""
        text = f"sweep: {done}/{total}{errors} | {row.label}: {what}{placed}"
        if self.stream.isatty():  # one line, rewritten
            end = "\n" if done == total else ""
            self.stream.write(f"\r{text}\x1b[K{end}")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def run_sweep_command(
    problem: Problem,
    axes: list[tuple[Variation, ...]],
    out: TextIO,
    *,
    within: Variation | None = None,
    seed: int = 0,
    settings: Settings | None = None,
    executor: Any = None,
    output: Path | None = None,
    progress: TextIO | None = None,
    warm_start: bool = True,
) -> int:
    """Run the sweep of ``axes`` over ``problem``; write a summary, and the CSV to ``output``.

    With ``warm_start`` (the default) every variation starts from the base
    problem's solution (:attr:`~sgcq.planning.Sweep.warm_start`); when the
    grid does not hold the unchanged problem, the summary's first line is
    that solve's outcome (it is not a row of the table).

    Returns
    -------
    int
        0 when every variation was solved, 1 when one or more failed (their
        rows say why).
    """
    from sgcq.planning import DEFAULT_SETTINGS, Sweep, Variation, grid, run_sweep

    base = within.apply(problem) if within is not None else problem
    variations = grid(*axes) if axes else (Variation(),)
    sweep = Sweep(base, variations, seed, settings or DEFAULT_SETTINGS, warm_start=warm_start)
    line = _Line(progress) if progress is not None else None
    table = run_sweep(sweep, executor, progress=line)
    first = table.base
    if first is not None and first.index < 0:
        what = f"{first.status}, placed {first.placed}" if first.ok else f"error: {first.error}"
        out.write(f"(the base problem, solved first for the warm starts: {what})\n")
    width = max(len(r.label) for r in table)
    for r in table:
        if r.ok:
            budget = f"  budget used {r.budget_used}" if r.budget_used is not None else ""
            paid = "".join(
                f"  {t.payer} pays {t.used.currency} {t.used.amount:f}" for t in r.payer_totals
            )
            out.write(f"{r.label:<{width}}  {r.status:<10} placed {r.placed}{budget}{paid}\n")
        else:
            out.write(f"{r.label:<{width}}  error      {r.error}\n")
    if output is not None:
        table.to_csv(output)
        out.write(f"\n{len(table)} rows written to {output}\n")
    return 1 if table.failed else 0


def _executor(args: argparse.Namespace) -> Any:
    if args.scheduler and args.processes:
        raise UsageError("give --scheduler or --processes, not both")
    if args.scheduler:
        from sgcq.planning import dask_client

        return dask_client(args.scheduler)
    if args.processes:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(args.processes)
    return None


def _settings(args: argparse.Namespace) -> Settings:
    from sgcq.matching import Settings

    return Settings(deterministic_time_limit=args.limit, workers=1)


def _cmd_sweep(args: argparse.Namespace, out: TextIO) -> int:
    from sgcq.matching import Problem

    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() != ".csv":
        raise UsageError(f"{output}: the sweep table is written as .csv")
    problem = Problem.from_scenario(load_scenario_target(args.scenario), args.cohort)
    axes = [parse_axis(spec, problem) for spec in args.vary or ()]
    within = within_of(args.set, problem)
    executor = _executor(args)
    try:
        return run_sweep_command(
            problem,
            axes,
            out,
            within=within,
            seed=args.seed,
            settings=_settings(args),
            executor=executor,
            output=output,
            progress=sys.stderr,
            warm_start=not args.cold,
        )
    finally:
        if executor is not None:
            close = getattr(executor, "close", None) or executor.shutdown
            close()


def add_common(p: argparse.ArgumentParser) -> None:
    """Add the options ``sweep`` and ``plan`` share."""
    p.add_argument("scenario", metavar="SCENARIO", help="a .toml/.json scenario or a bundled name")
    p.add_argument("--cohort", help="the cohort (needed if there are several)")
    p.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="a change made before anything else (same names as --vary); repeatable",
    )
    p.add_argument(
        "--limit",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="deterministic time limit per solve (default 10)",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sweep`` to the command line's subcommands.

    Parameters
    ----------
    sub
        The subcommands of the ``sgcq`` parser.
    """
    p = sub.add_parser(
        "sweep",
        help="solve a cohort under a grid of what-if variations; write a CSV table",
        description=__doc__.split("\n\n", 1)[1].replace("``", "") if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common(p)
    p.add_argument(
        "--vary",
        action="append",
        metavar="NAME=VALUES",
        help="one axis of the grid: NAME=START:STOP:COUNT or NAME=A,B,C; repeatable",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the table as .csv")
    p.add_argument("--seed", type=int, default=0, help="the sweep's seed (default 0)")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help='run on the Dask scheduler at ADDRESS (pip install "sgcq[dask]")',
    )
    p.add_argument("--processes", type=int, metavar="N", help="run on N local processes")
    p.add_argument(
        "--cold",
        action="store_true",
        help="solve every variation from scratch (no warm start from the base problem's solution)",
    )
    p.set_defaults(handler=_cmd_sweep)
