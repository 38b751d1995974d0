"""The ``sgcq`` command line: validate files, list and show scenarios, run the demo.

Commands (``sgcq --help`` lists them)::

    sgcq --version
    sgcq list                         # the bundled scenarios
    sgcq show ntu-ydpg-2020           # a bundled scenario or a .toml/.json file
    sgcq validate scenario.toml       # any JSON/TOML document
    sgcq validate people.csv --kind candidates
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
from typing import Any, TextIO

from sgcq import __version__
from sgcq.errors import SgcqError
from sgcq.models import Programme, Role, Scenario
from sgcq.scenarios import UnknownScenarioError, list_scenarios, load_scenario
from sgcq.serialization import (
    KINDS,
    load,
    read_candidates_csv,
    read_positions_csv,
    read_preferences_csv,
)

__all__ = ["CSV_KINDS", "describe_scenario", "main", "run_demo"]

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


def run_demo(out: TextIO) -> int:
    """Run the demonstration: load the NTU–YDPG 2020 scenario, show it and its validation.

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
        f"{len(scenario.candidates)} candidates, {len(scenario.positions)} positions).\n"
    )
    return 0


def _cmd_demo(_args: argparse.Namespace, out: TextIO) -> int:
    return run_demo(out)


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
    p = sub.add_parser("demo", help=f"load and show the {DEMO_SCENARIO} scenario")
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
