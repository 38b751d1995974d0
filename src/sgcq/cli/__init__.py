"""The ``sgcq`` command line: validate files, show scenarios, match cohorts, run the demo.

Commands (``sgcq --help`` lists them)::

    sgcq --version                    # --version --verbose: every dependency's too
    sgcq list                         # the bundled scenarios
    sgcq show ntu-ydpg-2020           # a bundled scenario or a .toml/.json file
    sgcq validate scenario.toml       # any JSON/TOML document
    sgcq validate people.csv --kind candidates
    sgcq match scenario.toml -o result.json
    sgcq rounds ntu-ydpg-2020 --round 1 --at 2020-06-01T09:00+08:00 -o s1.toml --record r1.json
    sgcq rounds s1.toml --round 2 --at 2020-06-08T09:00+08:00 --responses answers.csv -o s2.toml
    sgcq tasks s2.toml -o tasks.ics   # dated obligations (.csv, or .ics with the ical extra)
    sgcq sweep ntu-ydpg-2020 --vary beds=0.8:1.2:5 --vary budget=1e6:2e6:5 -o sweep.csv
    sgcq plan ntu-ydpg-2020 --target 100 --resource beds
    sgcq progress ssijri-2020 --as-of 2023-12-31   # targets' states and projections
    sgcq demo
    sgcq schema scenario              # the JSON Schema of a document kind
    sgcq serve --port 8000            # over HTTP (the server extra)

Output goes to standard output; errors go to standard error as one message
(one line per bad value), never a traceback for a user's mistake. The exit
code says what happened (:class:`ExitCode`): 0 success, 1 no solution, 2 bad
data or bad usage, 70 an internal error (a bug: the message asks for a
report, the traceback is shown with ``-v``), 130 interrupted by Ctrl-C.
Diagnostics go through :mod:`logging` (``-v`` shows them). See ``docs/cli.md``.

Each command lives in a module of its own with a ``register(sub)`` function;
:data:`COMMANDS` lists them in the order ``--help`` shows them.
"""

from __future__ import annotations

import argparse
import enum
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import TextIO

from sgcq import __version__
from sgcq.cli import _match, _plan, _progress, _rounds, _schema, _serve, _show, _sweep, _validate
from sgcq.cli._common import logger
from sgcq.cli._match import DEMO_SCENARIO, run_demo, run_match
from sgcq.cli._show import describe_scenario
from sgcq.cli._validate import CSV_KINDS
from sgcq.cli._version import Parser
from sgcq.errors import SgcqError

__all__ = [
    "COMMANDS",
    "CSV_KINDS",
    "DEMO_SCENARIO",
    "ExitCode",
    "describe_scenario",
    "main",
    "run_demo",
    "run_match",
]


class ExitCode(enum.IntEnum):
    """The exit codes of the ``sgcq`` command.

    ``BAD_INPUT`` covers both bad data (a file or scenario that is missing
    or invalid) and bad usage (argparse's own exit code 2): in both cases
    the input cannot be used as given, and the message says which.
    ``INTERNAL`` is ``EX_SOFTWARE`` of BSD's ``sysexits.h``; ``INTERRUPTED``
    is the shell's 128 + SIGINT.
    """

    OK = 0
    NO_SOLUTION = 1
    BAD_INPUT = 2
    INTERNAL = 70
    INTERRUPTED = 130


#: The modules that add the subcommands, in the order ``sgcq --help`` lists them.
COMMANDS: tuple[ModuleType, ...] = (
    _validate,
    _show,
    _match,
    _rounds,
    _sweep,
    _plan,
    _progress,
    _schema,
    _serve,
)


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
        An :class:`ExitCode`: 0 on success, 1 when ``match`` finds no
        solution, 2 if a file or scenario is bad or missing or the command
        is misused, 70 for an internal error, 130 when interrupted.

    Notes
    -----
    Ctrl-C (SIGINT) stops the command at once, wherever it is (also inside
    the CP-SAT solver, which would otherwise catch the signal and carry on
    with the best solution it has), writes ``sgcq: interrupted`` and exits
    130. Called from the main thread of a POSIX process, ``main`` does this
    by waiting for the signal in a thread of its own; elsewhere it turns a
    :class:`KeyboardInterrupt` into the same exit.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits for --help, --version and usage errors
        if isinstance(exc.code, int):
            return exc.code
        return ExitCode.OK if exc.code is None else ExitCode.BAD_INPUT
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    try:
        with _exit_on_sigint():
            return handler(args, sys.stdout)
    except SgcqError as exc:  # UsageError included: both are input that cannot be used
        _error(str(exc))
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        _interrupted()
        return ExitCode.INTERRUPTED
    except Exception as exc:
        logger.debug("internal error", exc_info=True)
        sys.stderr.write(
            f"sgcq: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in sgcq, not in your data. Please report it with the command you\n"
            "ran and the output of the same command with -v (it shows the traceback).\n"
        )
        return ExitCode.INTERNAL


def _error(message: str) -> None:
    logger.debug("command failed", exc_info=True)
    sys.stderr.write(f"sgcq: error: {message}\n")


def _interrupted() -> None:
    sys.stderr.write("sgcq: interrupted\n")
    sys.stderr.flush()


def _hold_log_handlers() -> list[threading.RLock]:
    # Every handler reachable from a logger, each lock taken once and not
    # given back by the CLI (the process exits); a second's wait at most, for
    # a handler that is writing. Returns the locks taken (for the tests).
    known = list(logging.Logger.manager.loggerDict.values())  # one call: a snapshot
    loggers = [logging.getLogger()] + [item for item in known if isinstance(item, logging.Logger)]
    held: list[threading.RLock] = []
    for each in loggers:
        for handler in each.handlers:
            lock = handler.lock
            if lock is not None and not any(lock is h for h in held) and lock.acquire(timeout=1.0):
                held.append(lock)
    return held


@contextmanager
def _exit_on_sigint() -> Iterator[None]:
    # OR-Tools' CP-SAT replaces the SIGINT handler while it solves, returns a
    # normal FEASIBLE result on Ctrl-C and then leaves the default handler
    # behind, so neither a Python handler nor KeyboardInterrupt is reliable.
    # Instead SIGINT is blocked in this thread (and so in every thread and
    # forked child started from here) and one thread waits for it.
    if (
        not hasattr(signal, "pthread_sigmask")
        or threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield  # Windows, a worker thread, or an application with its own handler
        return
    done = threading.Event()

    def _wait() -> None:
        signal.sigwait({signal.SIGINT})
        if done.is_set():
            return
        # Writing gives up Python's lock, and the main thread may take it and
        # hold it in a solver for a second: silence logging and hold the
        # handlers' locks first, so the message is the last line written.
        logging.disable(logging.CRITICAL)
        _hold_log_handlers()
        try:
            sys.stdout.flush()
        finally:
            _interrupted()
            os._exit(ExitCode.INTERRUPTED)

    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    waiter = threading.Thread(target=_wait, name="sgcq-sigint", daemon=True)
    waiter.start()
    try:
        yield
    finally:
        done.set()
        signal.pthread_kill(waiter.ident, signal.SIGINT)  # type: ignore[arg-type]
        waiter.join()
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
        # CP-SAT leaves SIGINT at SIG_DFL; give Python its handler back.
        signal.signal(signal.SIGINT, signal.default_int_handler)
