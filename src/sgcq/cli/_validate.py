"""``sgcq validate``: check a JSON, TOML or CSV file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from sgcq.cli._common import UsageError, add_csv_options, streamed_csv_errors
from sgcq.models import Scenario
from sgcq.serialization import (
    KINDS,
    load,
    read_candidates_csv,
    read_positions_csv,
    read_preferences_csv,
)

__all__ = ["CSV_KINDS", "register"]

#: The ``--kind`` values of ``sgcq validate`` for CSV files.
CSV_KINDS: tuple[str, ...] = ("candidates", "positions", "preferences")


def _validate_csv(path: Path, kind: str | None, args: argparse.Namespace) -> str:
    if kind is None:
        raise UsageError(
            f"{path}: say what the CSV file holds with --kind {{{','.join(CSV_KINDS)}}}"
        )
    # Each problem goes to standard error as its row is read (a bad row near
    # the top of a large file shows at once); the summary comes at the end.
    with streamed_csv_errors(args, sys.stderr) as reading:
        if kind == "candidates":
            return f"{len(read_candidates_csv(path, **reading))} candidates"
        if kind == "positions":
            positions = read_positions_csv(path, **reading)
            return f"{len(positions)} positions with {sum(p.seats for p in positions)} seats"
        rankings = read_preferences_csv(path, **reading)
    return f"{len(rankings)} rankings with {sum(len(r) for r in rankings.values())} entries"


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.path)
    if path.suffix.lower() == ".csv":
        what = _validate_csv(path, args.kind, args)
        out.write(f"OK {path}: {what}\n")
        return 0
    if args.kind is not None and args.kind in CSV_KINDS:
        raise UsageError(f"{path}: --kind {args.kind} is for .csv files")
    cls = KINDS[args.kind] if args.kind is not None else None
    obj: Any = load(path, cls)
    if isinstance(obj, Scenario):
        out.write(f"OK {path}\n{obj.summary()}\n")
    else:
        ident = getattr(obj, "id", None)
        kind = next(k for k, c in KINDS.items() if c is type(obj))
        out.write(f"OK {path}: {kind}" + (f" {ident}" if ident else "") + "\n")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``validate`` to the command line's subcommands.

    Parameters
    ----------
    sub
        The subcommands of the ``sgcq`` parser.
    """
    p = sub.add_parser("validate", help="check a JSON, TOML or CSV file")
    p.add_argument("path", metavar="PATH")
    p.add_argument(
        "--kind",
        choices=sorted(KINDS) + list(CSV_KINDS),
        help="what the file holds (required for .csv: candidates, positions or preferences)",
    )
    add_csv_options(p)
    p.set_defaults(handler=_cmd_validate)
