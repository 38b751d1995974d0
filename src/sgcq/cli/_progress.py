"""``sgcq progress``: each target's state and projection on a date."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TextIO

from sgcq.cli._common import load_scenario_target
from sgcq.errors import UsageError
from sgcq.rules import progress

__all__ = ["register"]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _cmd_progress(args: argparse.Namespace, out: TextIO) -> int:
    scenario = load_scenario_target(args.scenario)
    as_of = args.as_of if args.as_of is not None else scenario.as_of
    if as_of is None:
        raise UsageError(f"{scenario.id} has no as_of date: say which with --as-of YYYY-MM-DD")
    out.write(progress(scenario, as_of).summary() + "\n")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``progress`` to the command line's subcommands.

    Parameters
    ----------
    sub
        The subcommands of the ``sgcq`` parser.
    """
    p = sub.add_parser(
        "progress",
        help="print each target's state and projection on a date",
        description=(
            "Print each target of a scenario with its latest observed value, its state (met, "
            "on track, behind, missed, no projection, no observation, not started) and a "
            "projection, linear from the baseline to the latest observation."
        ),
    )
    p.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario's name or a file")
    p.add_argument(
        "--as-of",
        type=_date,
        default=None,
        metavar="DATE",
        help="the report's date, YYYY-MM-DD (default: the scenario's as_of)",
    )
    p.set_defaults(handler=_cmd_progress)
