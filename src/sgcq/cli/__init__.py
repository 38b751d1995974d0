"""The ``sgcq`` command line: validate files, show scenarios, match cohorts, run the demo.

Commands (``sgcq --help`` lists them)::

    sgcq --version                    # --version --verbose: every dependency's too
    sgcq list                         # the bundled scenarios
    sgcq show ntu-ydpg-2020           # a bundled scenario or a .toml/.json file
    sgcq validate scenario.toml       # any JSON/TOML document
    sgcq validate people.csv --kind candidates
    sgcq match scenario.toml -o result.json
    sgcq sweep ntu-ydpg-2020 --vary beds=0.8:1.2:5 --vary budget=1e6:2e6:5 -o sweep.csv
    sgcq plan ntu-ydpg-2020 --target 100 --resource beds
    sgcq demo
    sgcq schema scenario              # the JSON Schema of a document kind
    sgcq serve --port 8000            # over HTTP (the server extra)

Output goes to standard output; errors go to standard error as one message
(one line per bad value) and the exit code is 1 for bad data and 2 for bad
usage, never a traceback for a user's mistake. Diagnostics go through
:mod:`logging` (``-v`` shows them). See ``docs/cli.md``.

Each command lives in a module of its own with a ``register(sub)`` function;
:data:`COMMANDS` lists them in the order ``--help`` shows them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TextIO

from sgcq import __version__
from sgcq.cli import _match, _plan, _schema, _serve, _show, _sweep, _validate
from sgcq.cli._common import UsageError, logger
from sgcq.cli._match import DEMO_SCENARIO, run_demo, run_match
from sgcq.cli._show import describe_scenario
from sgcq.cli._validate import CSV_KINDS
from sgcq.cli._version import Parser
from sgcq.errors import SgcqError

__all__ = [
    "COMMANDS",
    "CSV_KINDS",
    "DEMO_SCENARIO",
    "describe_scenario",
    "main",
    "run_demo",
    "run_match",
]

#: The modules that add the subcommands, in the order ``sgcq --help`` lists them.
COMMANDS: tuple[ModuleType, ...] = (_validate, _show, _match, _sweep, _plan, _schema, _serve)


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="sgcq",
        description="Plan and place candidates in Singapore–Chongqing talent programmes.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"sgcq {__version__}",
        help="show the version and exit; with -v, every dependency's version too",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log diagnostics to standard error"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMANDS:
        module.register(sub)
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
    except UsageError as exc:
        _error(str(exc))
        return 2
    except SgcqError as exc:
        _error(str(exc))
        return 1


def _error(message: str) -> None:
    logger.debug("command failed", exc_info=True)
    sys.stderr.write(f"sgcq: error: {message}\n")
