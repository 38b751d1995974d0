"""``sgcq rounds`` and ``sgcq tasks``: run an offer round from files; export dated tasks."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import attrs

from sgcq.cli._common import UsageError, default_settings, load_scenario_target
from sgcq.errors import CsvError
from sgcq.models import Placement, Scenario
from sgcq.serialization import dump

if TYPE_CHECKING:
    from sgcq.matching import OfferRound, Response, Settings

__all__ = ["read_response_notes", "read_responses", "register", "run_round", "write_tasks"]


def _when(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{text!r} is not an ISO 8601 date and time") from None
    if at.tzinfo is None:
        raise UsageError(f"{text!r} needs a time zone, e.g. {text}+08:00")
    return at


def read_responses(path: Path) -> dict[str, Response]:
    """Read ``candidate,response[,note]`` rows.

    A response is ``accepted``, ``declined`` (this offer only: the candidate
    stays on the other positions' waitlists), ``withdrawn`` (the candidate
    leaves the programme), ``no_response`` or ``pending``.

    Parameters
    ----------
    path
        The CSV file, with a header naming the columns; ``note`` (why, e.g.
        the reason for a withdrawal) is optional.

    Returns
    -------
    dict
        ``{candidate: Response}``.

    Raises
    ------
    CsvError
        Naming the file, row and column of a missing or unknown column, an
        unknown response or a candidate answered twice.
    """
    return {c: r for c, (r, _note) in _read_response_rows(path).items()}


def read_response_notes(path: Path) -> dict[str, str]:
    """Read the ``note`` column of a responses file (:func:`read_responses`).

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    dict
        ``{candidate: note}`` for the rows whose note is not empty.

    Raises
    ------
    CsvError
        As :func:`read_responses`.
    """
    return {c: note for c, (_r, note) in _read_response_rows(path).items() if note}


def _read_response_rows(path: Path) -> dict[str, tuple[Response, str]]:
    from sgcq.matching import Response

    name = str(path)
    out: dict[str, tuple[Response, str]] = {}
    with path.open(newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f)
        for col in ("candidate", "response"):
            if rows.fieldnames is None or col not in rows.fieldnames:
                raise CsvError(name, 1, col, "missing column")
        assert rows.fieldnames is not None
        for col in rows.fieldnames:
            if col not in ("candidate", "response", "note"):
                raise CsvError(name, 1, col, "unknown column; known: candidate, response, note")
        for n, row in enumerate(rows, 2):
            c = (row["candidate"] or "").strip()
            r = (row["response"] or "").strip().lower()
            note = (row.get("note") or "").strip()
            if not c:
                raise CsvError(name, n, "candidate", "empty")
            if c in out:
                raise CsvError(name, n, "candidate", f"{c} is answered twice")
            try:
                out[c] = (Response(r), note)
            except ValueError:
                known = ", ".join(x.value for x in Response)
                raise CsvError(name, n, "response", f"{r!r} is not one of {known}") from None
    return out


def run_round(
    scenario: Scenario,
    responses: Mapping[str, Response],
    out: TextIO,
    *,
    at: datetime,
    number: int,
    cohort: str | None = None,
    settings: Settings | None = None,
    pending: bool = False,
    notes: Mapping[str, str] | None = None,
) -> tuple[Scenario, OfferRound]:
    """Run one offer round on ``scenario``'s placements and print its summary.

    Parameters
    ----------
    scenario
        The scenario; its placements of the cohort are the offers so far.
    responses
        The answers to the open offers.
    out
        Where the summary goes.
    at, number
        The round's time and number.
    cohort
        The cohort (optional when the scenario has at most one).
    settings
        Solver settings; by default one worker, seed 0 and a deterministic limit.
    pending
        Whether an open offer with no response stays open (else it lapses).
    notes
        Why, per answered candidate (e.g. the reason for a withdrawal).

    Returns
    -------
    tuple of Scenario and OfferRound
        The scenario with the cohort's placements replaced, and the round.
    """
    from sgcq.matching import Problem, Response, offer_round

    problem = Problem.from_scenario(scenario, cohort)
    ids = {c.id for c in problem.candidates}
    mine = tuple(
        p for p in scenario.placements if p.candidate in ids and p.cohort in (None, problem.cohort)
    )
    rest = tuple(p for p in scenario.placements if p not in mine)
    rnd = offer_round(
        problem,
        mine,
        responses,
        at=at,
        number=number,
        settings=settings or default_settings(),
        unanswered=Response.PENDING if pending else Response.NO_RESPONSE,
        notes=notes,
    )
    out.write(rnd.record.summary() + "\n")
    for s in rnd.record.standings:
        if s.position is None:
            out.write(f"  {s.candidate}: {s.state.value}: {s.reasons[0]}\n")
    return attrs.evolve(scenario, placements=(*rest, *rnd.placements)), rnd


def write_tasks(
    scenario: Scenario, out: TextIO, *, output: Path | None = None, stamp: datetime | None = None
) -> int:
    """Write the dated tasks of the scenario's open placements.

    Parameters
    ----------
    scenario
        The scenario; its placements that are neither declined nor withdrawn count.
    out
        Where the CSV goes when ``output`` is ``None``, and the count otherwise.
    output
        A ``.csv`` or ``.ics`` file.
    stamp
        The iCalendar ``DTSTAMP``; now by default.

    Returns
    -------
    int
        0, the exit code.
    """
    from sgcq.rules import tasks_for, tasks_to_csv, tasks_to_ical

    chosen: list[Placement] = [p for p in scenario.placements if p.is_open]
    tasks = [t for p in chosen for t in tasks_for(p, scenario)]
    if output is None:
        out.write(tasks_to_csv(tasks))
        return 0
    suffix = output.suffix.lower()
    if suffix == ".csv":
        output.write_text(tasks_to_csv(tasks), encoding="utf-8")
    elif suffix in (".ics", ".ical"):
        when = stamp or datetime.now(timezone.utc)
        output.write_bytes(tasks_to_ical(tasks, stamp=when))
    else:
        raise UsageError(f"{output}: write tasks to a .csv or .ics file")
    out.write(f"wrote {len(tasks)} tasks of {len(chosen)} placements to {output}\n")
    return 0


def _cmd_rounds(args: argparse.Namespace, out: TextIO) -> int:
    from sgcq.matching import Settings

    scenario = load_scenario_target(args.scenario)
    responses = read_responses(Path(args.responses)) if args.responses else {}
    notes = read_response_notes(Path(args.responses)) if args.responses else {}
    settings = Settings(deterministic_time_limit=60.0, workers=args.workers, seed=args.seed)
    changed, rnd = run_round(
        scenario,
        responses,
        out,
        at=_when(args.at),
        number=args.round,
        cohort=args.cohort,
        settings=settings,
        pending=args.pending,
        notes=notes,
    )
    if args.output:
        dump(changed, Path(args.output))
    if args.record:
        dump(rnd.record, Path(args.record))
    return 0


def _cmd_tasks(args: argparse.Namespace, out: TextIO) -> int:
    scenario = load_scenario_target(args.scenario)
    stamp = _when(args.stamp) if args.stamp else None
    return write_tasks(
        scenario, out, output=Path(args.output) if args.output else None, stamp=stamp
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``rounds`` and ``tasks`` to the command line's subcommands.

    Parameters
    ----------
    sub
        The subcommands of the ``sgcq`` parser.
    """
    p = sub.add_parser(
        "rounds",
        help="run an offer round: apply responses, make the next offers, write the audit record",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="a .toml/.json scenario or a bundled name")
    p.add_argument("--round", type=int, required=True, help="the round's number (1 first)")
    p.add_argument("--at", required=True, help="when, ISO 8601 with a time zone")
    p.add_argument(
        "--responses",
        metavar="FILE",
        help="candidate,response[,note] CSV: accepted, declined (this offer only), "
        "withdrawn (leaves the programme), no_response, pending",
    )
    p.add_argument(
        "--pending",
        action="store_true",
        help="keep open offers with no response open (default: they lapse at the deadline)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the scenario with its placements")
    p.add_argument("--record", metavar="FILE", help="write the round's audit record (.json/.toml)")
    p.add_argument("--cohort", help="the cohort (needed if there are several)")
    p.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    p.add_argument("--seed", type=int, default=0, help="CP-SAT random seed (default 0)")
    p.set_defaults(handler=_cmd_rounds)
    p = sub.add_parser("tasks", help="export the dated tasks of a scenario's placements")
    p.add_argument("scenario", metavar="SCENARIO", help="a .toml/.json scenario or a bundled name")
    p.add_argument("-o", "--output", metavar="FILE", help=".csv or .ics (default: CSV to stdout)")
    p.add_argument("--stamp", help="the iCalendar DTSTAMP, ISO 8601 with a time zone (default now)")
    p.set_defaults(handler=_cmd_tasks)
