"""The ``sgcq`` command line: validate files, show scenarios, match cohorts, run the demo.

Commands (``sgcq --help`` lists them)::

    sgcq --version
    sgcq list                         # the bundled scenarios
    sgcq show ntu-ydpg-2020           # a bundled scenario or a .toml/.json file
    sgcq validate scenario.toml       # any JSON/TOML document
    sgcq validate people.csv --kind candidates
    sgcq match scenario.toml -o result.json
    sgcq demo

Output goes to standard output; errors go to standard error as one message
(one line per bad value) and the exit code is 1 for bad data and 2 for bad
usage, never a traceback for a user's mistake. Diagnostics go through
:mod:`logging` (``-v`` shows them). See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sgcq import __version__
from sgcq.errors import SgcqError
from sgcq.models import Programme, Role, Scenario
from sgcq.scenarios import UnknownScenarioError, list_scenarios, load_scenario
from sgcq.serialization import (
    KINDS,
    dump,
    load,
    read_candidates_csv,
    read_positions_csv,
    read_preferences_csv,
)

__all__ = ["CSV_KINDS", "DEMO_SCENARIO", "describe_scenario", "main", "run_demo", "run_match"]

if TYPE_CHECKING:
    from sgcq.matching import Settings

logger = logging.getLogger(__name__)

#: The ``--kind`` values of ``sgcq validate`` for CSV files.
CSV_KINDS: tuple[str, ...] = ("candidates", "positions", "preferences")

#: The scenario ``sgcq demo`` runs.
DEMO_SCENARIO = "ntu-ydpg-2020"

_SHOWN_IDS = 8


class _UsageError(SgcqError):
    """A command was called in a way that cannot work (exit code 2)."""


def _ids(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_SHOWN_IDS])
    if len(ids) > _SHOWN_IDS:
        shown += f" and {len(ids) - _SHOWN_IDS} more"
    return shown


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {n}" for key, n in sorted(counter.items()))


def _describe_programme(p: Programme) -> list[str]:
    lines = [f"  {p.id}: {p.name} [{p.kind.value}, {p.direction.value}]"]
    if p.partners:
        partners = ", ".join(f"{x.organisation} ({x.role.value})" for x in p.partners)
        lines.append(f"    partners: {partners}")
    benefits = []
    if p.benefits.allowance:
        benefits.append("allowance")
    housing = p.benefits.housing
    if housing is not None:
        what = "housing and meals" if housing.includes_meals else "housing"
        benefits.append(f"{what} for up to {housing.max_months} months paid by {housing.payer}")
    if p.benefits.visa_support is not None:
        benefits.append(f"visa support by {p.benefits.visa_support}")
    if benefits:
        lines.append(f"    benefits: {'; '.join(benefits)}")
    if p.duration is not None:
        lines.append(f"    duration: {p.duration}")
    lines.extend(f"    target: {t.metric} {t.value} by {t.by.isoformat()}" for t in p.targets)
    lines.extend(
        f"    funding: {' = '.join(str(m) for m in f.amounts)} over {f.period}" for f in p.funding
    )
    return lines


def describe_scenario(scenario: Scenario) -> str:
    """Return a readable, multi-line description of ``scenario``.

    It lists the organisations by role, the programmes with their partners
    and benefits, the cohorts with intake, size, quotas, beds and budget,
    and counts of candidates, positions, seats and fields.

    Parameters
    ----------
    scenario
        Any scenario.

    Returns
    -------
    str
        The description, without a trailing newline.
    """
    s = scenario
    lines = [f"Scenario {s.id}: {s.name}" + (" (illustrative data)" if s.illustrative else "")]
    if s.as_of is not None:
        lines.append(f"As of: {s.as_of.isoformat()}")
    if s.description:
        lines.append(s.description)
    lines.append("")
    lines.append(f"Organisations ({len(s.organisations)}) by role:")
    for role in Role:
        ids = [o.id for o in s.organisations if o.has_role(role)]
        if ids:
            lines.append(f"  {role.value} ({len(ids)}): {_ids(ids)}")
    lines.append(f"Programmes ({len(s.programmes)}):")
    for programme in s.programmes:
        lines.extend(_describe_programme(programme))
    lines.append(f"Cohorts ({len(s.cohorts)}):")
    for c in s.cohorts:
        lines.append(f"  {c.id} (programme {c.programme}): intake {c.intake}")
        sizes = [
            f"{label} {value}"
            for label, value in (
                ("target", c.target_size),
                ("min", c.min_size),
                ("max", c.max_size),
            )
            if value is not None
        ]
        if sizes:
            lines.append(f"    size: {', '.join(sizes)}")
        if c.quotas:
            quotas = []
            for q in c.quotas:
                bounds = []
                if q.minimum is not None:
                    bounds.append(f">= {q.minimum}")
                if q.maximum is not None:
                    bounds.append(f"<= {q.maximum}")
                quotas.append(f"{q.dimension.value} {q.key} {' and '.join(bounds)}")
            lines.append(f"    quotas: {'; '.join(quotas)}")
        if c.beds:
            lines.append("    beds: " + ", ".join(f"{b.month} {b.beds}" for b in c.beds))
        if c.allowance_budget is not None:
            lines.append(f"    allowance budget: {c.allowance_budget}")
        members = len(s.candidates_of(c.id))
        lines.append(f"    candidates: {members}")
    universities = Counter(c.university for c in s.candidates)
    lines.append(f"Candidates: {len(s.candidates)} (by university: {_counts(universities)})")
    seats = sum(pos.seats for pos in s.positions)
    modes = Counter(pos.mode.value for pos in s.positions)
    lines.append(f"Positions: {len(s.positions)} with {seats} seats (by mode: {_counts(modes)})")
    fields: Counter[str] = Counter()
    for pos in s.positions:
        for f in pos.fields:
            fields[f] += pos.seats
    lines.append(f"Seats by field: {_counts(fields)}")
    if s.placements:
        lines.append(f"Placements: {len(s.placements)}")
    if s.citations:
        lines.append("Citations:")
        lines.extend(f"  {c}" for c in s.citations)
    if s.notes:
        lines.append(f"Notes: {s.notes}")
    return "\n".join(lines)


def _load_scenario(target: str) -> Scenario:
    if target in list_scenarios():
        logger.debug("loading bundled scenario %s", target)
        return load_scenario(target)
    path = Path(target)
    if path.suffix.lower() in (".toml", ".json") or path.exists():
        logger.debug("loading scenario file %s", path)
        result: Scenario = load(path, Scenario)
        return result
    raise UnknownScenarioError(target, list_scenarios())


def _validate_csv(path: Path, kind: str | None) -> str:
    if kind is None:
        raise _UsageError(
            f"{path}: say what the CSV file holds with --kind {{{','.join(CSV_KINDS)}}}"
        )
    if kind == "candidates":
        return f"{len(read_candidates_csv(path))} candidates"
    if kind == "positions":
        positions = read_positions_csv(path)
        return f"{len(positions)} positions with {sum(p.seats for p in positions)} seats"
    rankings = read_preferences_csv(path)
    return f"{len(rankings)} rankings with {sum(len(r) for r in rankings.values())} entries"


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.path)
    if path.suffix.lower() == ".csv":
        what = _validate_csv(path, args.kind)
        out.write(f"OK {path}: {what}\n")
        return 0
    if args.kind is not None and args.kind in CSV_KINDS:
        raise _UsageError(f"{path}: --kind {args.kind} is for .csv files")
    cls = KINDS[args.kind] if args.kind is not None else None
    obj: Any = load(path, cls)
    if isinstance(obj, Scenario):
        out.write(f"OK {path}\n{obj.summary()}\n")
    else:
        ident = getattr(obj, "id", None)
        kind = next(k for k, c in KINDS.items() if c is type(obj))
        out.write(f"OK {path}: {kind}" + (f" {ident}" if ident else "") + "\n")
    return 0


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    out.write(describe_scenario(_load_scenario(args.scenario)) + "\n")
    return 0


def _cmd_list(_args: argparse.Namespace, out: TextIO) -> int:
    names = list_scenarios()
    width = max((len(n) for n in names), default=0)
    for name in names:
        out.write(f"{name:<{width}}  {load_scenario(name).name}\n")
    return 0


def run_match(
    scenario: Scenario,
    out: TextIO,
    *,
    cohort: str | None = None,
    settings: Settings | None = None,
    output: Path | None = None,
    explanations: int = 5,
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
        If given, the result is also written there as a JSON or TOML document
        (by suffix), readable with :func:`sgcq.serialization.load`.
    explanations
        How many unplaced candidates to explain in full.

    Returns
    -------
    int
        0 when a solution was found, 1 when the problem is infeasible or no
        solution was found within the limits.
    """
    # Imported here: OR-Tools loads only for the commands that solve.
    from sgcq.matching import match_scenario
    from sgcq.matching.report import render_report

    settings = settings or _default_settings()
    problem, result = match_scenario(scenario, cohort, settings)
    out.write(render_report(result, problem, explanations=explanations) + "\n")
    if output is not None:
        dump(result, output)
        out.write(f"\nResult written to {output}\n")
    return 0 if result.status.has_solution else 1


def _default_settings() -> Settings:
    # One worker and a deterministic limit: the same input gives the same report.
    from sgcq.matching import Settings

    return Settings(deterministic_time_limit=60.0, workers=1, seed=0)


def run_demo(out: TextIO) -> int:
    """Run the demonstration on the NTU–YDPG 2020 scenario.

    Loads the bundled scenario, validates it, evaluates the visa and
    placement rules for every ranked option, matches the cohort under seats,
    field quotas, beds by month and the allowance budget, and writes a
    readable summary: placed and unplaced, the rank distribution, beds by
    month against capacity, the budget used and some explanations.

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
    out.write(describe_scenario(scenario) + "\n\n")
    out.write(
        f"Validation: OK: {DEMO_SCENARIO} loaded with every field and cross-reference "
        f"checked ({len(scenario.organisations)} organisations, "
        f"{len(scenario.candidates)} candidates, {len(scenario.positions)} positions).\n\n"
    )
    return run_match(scenario, out, explanations=3)


def _cmd_demo(_args: argparse.Namespace, out: TextIO) -> int:
    return run_demo(out)


def _cmd_match(args: argparse.Namespace, out: TextIO) -> int:
    from sgcq.matching import Settings

    settings = Settings(
        time_limit=args.time_limit,
        deterministic_time_limit=None if args.time_limit else 60.0,
        workers=args.workers,
        seed=args.seed,
        log=args.verbose,
    )
    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() not in (".json", ".toml"):
        raise _UsageError(f"{output}: the result file must end in .json or .toml")
    return run_match(
        _load_scenario(args.scenario),
        out,
        cohort=args.cohort,
        settings=settings,
        output=output,
        explanations=args.explanations,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sgcq",
        description="Plan and place candidates in Singapore–Chongqing talent programmes.",
    )
    parser.add_argument("--version", action="version", version=f"sgcq {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log diagnostics to standard error"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser("validate", help="check a JSON, TOML or CSV file")
    p.add_argument("path", metavar="PATH")
    p.add_argument(
        "--kind",
        choices=sorted(KINDS) + list(CSV_KINDS),
        help="what the file holds (required for .csv: candidates, positions or preferences)",
    )
    p.set_defaults(handler=_cmd_validate)
    p = sub.add_parser("show", help="describe a bundled scenario or a scenario file")
    p.add_argument("scenario", metavar="SCENARIO", help="a bundled name or a .toml/.json path")
    p.set_defaults(handler=_cmd_show)
    p = sub.add_parser("list", help="list the bundled scenarios")
    p.set_defaults(handler=_cmd_list)
    p = sub.add_parser(
        "match", help="evaluate the rules and match a scenario's cohort; write the result"
    )
    p.add_argument("scenario", metavar="SCENARIO", help="a .toml/.json scenario or a bundled name")
    p.add_argument("-o", "--output", metavar="FILE", help="write the result as .json or .toml")
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
        "--explanations", type=int, default=5, help="unplaced candidates to explain in full"
    )
    p.set_defaults(handler=_cmd_match)
    p = sub.add_parser("demo", help=f"match the bundled {DEMO_SCENARIO} scenario and report")
    p.set_defaults(handler=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``sgcq`` command line.

    Parameters
    ----------
    argv
        The arguments without the program name; ``None`` uses ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 1 if a file or scenario is bad or missing, 2 for bad usage.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits for --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    try:
        return handler(args, sys.stdout)
    except _UsageError as exc:
        _error(str(exc))
        return 2
    except SgcqError as exc:
        _error(str(exc))
        return 1


def _error(message: str) -> None:
    logger.debug("command failed", exc_info=True)
    sys.stderr.write(f"sgcq: error: {message}\n")
