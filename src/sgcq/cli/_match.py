"""``sgcq match`` and ``sgcq demo``: evaluate the rules, match a cohort, report."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sgcq.cli._common import (
    UsageError,
    add_csv_options,
    default_settings,
    load_scenario_target,
    streamed_csv_errors,
)
from sgcq.models import Scenario
from sgcq.scenarios import load_scenario
from sgcq.serialization import dump

if TYPE_CHECKING:
    from sgcq.matching import Problem, Result, Settings
    from sgcq.models import CertificateAward

__all__ = ["DEMO_SCENARIO", "register", "run_demo", "run_match"]

#: The scenario ``sgcq demo`` runs.
DEMO_SCENARIO = "ntu-ydpg-2020"


def run_match(
    scenario: Scenario,
    out: TextIO,
    *,
    cohort: str | None = None,
    settings: Settings | None = None,
    output: Path | None = None,
    unplaced_output: Path | None = None,
    explanations: int | None = 10,
    reasons: int | None = 3,
    rows: int | None = 20,
    verbose: bool = False,
    detail: str = "full",
    target: str | None = None,
) -> int:
    """Evaluate the rules for a scenario's cohort, match it and write a report.

    Parameters
    ----------
    scenario
        The scenario.
    out
        Where to write the report.
    cohort
        The cohort to match (optional when the scenario has at most one).
    settings
        Solver settings; by default one worker, seed 0 and a 60-second
        deterministic time limit, so that runs repeat exactly.
    output
        If given, the result is also written there: ``.json`` or ``.toml``
        (the whole result, readable with :func:`sgcq.serialization.load`),
        ``.csv`` or ``.xlsx`` (the placements, ``docs/csv.md``).
    unplaced_output
        If given, the unplaced candidates with their reasons, as ``.csv``
        or ``.xlsx``.
    explanations, reasons, rows
        How many unplaced candidates, positions per candidate and placements
        the report shows (``None``: all).
    verbose
        Add the solver's detail to the report.
    detail
        The explanations kept in a ``.json``/``.toml`` result: ``"full"``,
        ``"grouped"`` or ``"none"`` (:func:`sgcq.matching.export.with_explanations`).
    target
        How the user named the scenario, for the pointer to ``-o``.

    Returns
    -------
    int
        0 when a solution was found, 1 when the problem is infeasible or no
        solution was found within the limits.

    Raises
    ------
    KeyboardInterrupt
        After writing the report and files of the best result so far, when
        Ctrl-C stopped the solve.
    """
    # Imported here: OR-Tools loads only for the commands that solve.
    from sgcq.matching import match_scenario
    from sgcq.matching.export import with_explanations, write_placements, write_unplaced
    from sgcq.matching.report import render_report

    settings = settings or default_settings()
    problem, result = match_scenario(scenario, cohort, settings)
    placements_file = unplaced_file = None
    written: list[str] = []
    if output is not None:
        if output.suffix.lower() in (".csv", ".xlsx"):
            write_placements(result, problem, output)
            placements_file = str(output)
        else:
            dump(with_explanations(result, detail), output)
        written.append(f"Result written to {output}")
    if unplaced_output is not None:
        write_unplaced(result, unplaced_output)
        unplaced_file = str(unplaced_output)
        written.append(f"Unplaced candidates written to {unplaced_output}")
    report = render_report(
        result,
        problem,
        certificates=_certificates(scenario, problem, result),
        explanations=explanations,
        reasons=reasons,
        rows=rows,
        placements_file=placements_file,
        unplaced_file=unplaced_file,
        verbose=verbose,
        style="auto" if out.isatty() else "plain",
        command=f"sgcq match {target}" if target else "sgcq match SCENARIO",
    )
    out.write(report + "\n")
    for line in written:
        out.write(line + "\n")
    if result.interrupted:
        # The report of the best result so far is written; the command itself
        # was interrupted, which main() reports with exit code 130.
        raise KeyboardInterrupt
    return 0 if result.status.has_solution else 1


def _certificates(
    scenario: Scenario, problem: Problem, result: Result
) -> tuple[CertificateAward, ...]:
    """Return what the placed course participants earn (empty without courses or a solution)."""
    if not scenario.courses or not result.status.has_solution:
        return ()
    # The offer time is not part of an award; any aware time will do.
    placed = result.to_placements(datetime.now(timezone.utc), cohort=problem.cohort)
    return scenario.certificates(placed)


def run_demo(out: TextIO) -> int:
    """Run the demonstration on the NTU–YDPG 2020 scenario, in at most 50 lines.

    Loads the bundled scenario, validates it, evaluates the visa and
    placement rules for every ranked option, matches the cohort under seats,
    field quotas, beds by month and the allowance budget, and writes the
    report: the header, the first 20 placements by host and position, the
    limits that hold every unplaced candidate back, and the reasons of the
    first unplaced candidates, each position once.

    Parameters
    ----------
    out
        Where to write the report.

    Returns
    -------
    int
        The exit code, 0 on success.
    """
    scenario = load_scenario(DEMO_SCENARIO)
    illustrative = " (illustrative data)" if scenario.illustrative else ""
    out.write(
        f"Scenario {scenario.id}: {scenario.name}{illustrative}\n"
        f"Validation: OK ({len(scenario.organisations)} organisations, "
        f"{len(scenario.candidates)} candidates, {len(scenario.positions)} positions); "
        f"sgcq show {DEMO_SCENARIO} describes it\n\n"
    )
    return run_match(scenario, out, explanations=3, reasons=2, target=DEMO_SCENARIO)


def _cmd_demo(_args: argparse.Namespace, out: TextIO) -> int:
    return run_demo(out)


_RESULT_SUFFIXES = (".json", ".toml", ".csv", ".xlsx")


def _cmd_match(args: argparse.Namespace, out: TextIO) -> int:
    from sgcq.matching import Settings
    from sgcq.serialization import scenario_from_files

    settings = Settings(
        time_limit=args.time_limit,
        deterministic_time_limit=None if args.time_limit else 60.0,
        workers=args.workers,
        seed=args.seed,
        log=args.verbose,
        progress=_printer(args) if args.progress else None,
    )
    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() not in _RESULT_SUFFIXES:
        raise UsageError(f"{output}: the result file must end in .json, .toml, .csv or .xlsx")
    unplaced = Path(args.unplaced) if args.unplaced else None
    if unplaced is not None and unplaced.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError(f"{unplaced}: the unplaced file must end in .csv or .xlsx")
    scenario = load_scenario_target(args.scenario)
    files: dict[str, Any] = {
        "candidates": args.candidates,
        "positions": args.positions,
        "preferences": args.preferences,
        "host_preferences": args.host_preferences,
    }
    if any(files.values()):
        given: dict[str, Any] = {k: Path(v) for k, v in files.items() if v is not None}
        with streamed_csv_errors(args, sys.stderr) as reading:
            scenario = scenario_from_files(scenario, **given, **reading)
    return run_match(
        scenario,
        out,
        cohort=args.cohort,
        settings=settings,
        output=output,
        unplaced_output=unplaced,
        explanations=args.explanations,
        rows=args.rows,
        verbose=args.verbose,
        detail=args.explanation_detail,
        target=args.scenario,
    )


def _printer(args: argparse.Namespace) -> Any:
    from sgcq.matching.progress import ProgressPrinter

    return ProgressPrinter(sys.stderr)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``match`` and ``demo`` to the command line's subcommands.

    Parameters
    ----------
    sub
        The subcommands of the ``sgcq`` parser.
    """
    p = sub.add_parser(
        "match", help="evaluate the rules and match a scenario's cohort; write the result"
    )
    p.add_argument("scenario", metavar="SCENARIO", help="a .toml/.json scenario or a bundled name")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the result: .json/.toml (the whole result) or .csv/.xlsx (the placements)",
    )
    p.add_argument(
        "--unplaced", metavar="FILE", help="write the unplaced candidates and reasons (.csv/.xlsx)"
    )
    p.add_argument("--candidates", metavar="FILE", help="the candidates (.csv/.xlsx, docs/csv.md)")
    p.add_argument("--positions", metavar="FILE", help="the positions (.csv/.xlsx)")
    p.add_argument(
        "--preferences", metavar="FILE", help="candidates' rankings (candidate,position,rank)"
    )
    p.add_argument(
        "--host-preferences", metavar="FILE", help="hosts' rankings (position,candidate,rank)"
    )
    add_csv_options(p)
    p.add_argument(
        "--explanation-detail",
        choices=("full", "grouped", "none"),
        default="full",
        help="explanations kept in a .json/.toml result (default full)",
    )
    p.add_argument(
        "--rows", type=int, default=20, help="placements listed in the report (default 20)"
    )
    p.add_argument(
        "--progress", action="store_true", help="print progress of the solve to standard error"
    )
    p.add_argument("--cohort", help="the cohort to match (needed if there are several)")
    p.add_argument(
        "--time-limit",
        type=float,
        metavar="SECONDS",
        help="wall-clock limit (default: a deterministic limit, so runs repeat exactly)",
    )
    p.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    p.add_argument("--seed", type=int, default=0, help="CP-SAT random seed (default 0)")
    p.add_argument(
        "--explanations", type=int, default=10, help="unplaced candidates to explain (default 10)"
    )
    p.set_defaults(handler=_cmd_match)
    p = sub.add_parser("demo", help=f"match the bundled {DEMO_SCENARIO} scenario and report")
    p.set_defaults(handler=_cmd_demo)
