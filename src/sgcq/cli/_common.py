"""What the commands share: the usage error, loading a scenario, streaming CSV errors."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sgcq.errors import CsvError, MultiCsvError, SgcqError, UsageError
from sgcq.models import Scenario
from sgcq.scenarios import UnknownScenarioError, list_scenarios, load_scenario
from sgcq.serialization import load
from sgcq.serialization.csv import DEFAULT_MAX_ERRORS

if TYPE_CHECKING:
    from sgcq.matching import Settings

__all__ = [
    "CsvErrorPrinter",
    "UsageError",
    "add_csv_options",
    "default_settings",
    "load_scenario_target",
    "streamed_csv_errors",
]

logger = logging.getLogger("sgcq.cli")


def load_scenario_target(target: str) -> Scenario:
    """Return the bundled scenario named ``target`` or the scenario in the file ``target``.

    Parameters
    ----------
    target
        A bundled scenario's name or a ``.toml``/``.json`` path.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    UnknownScenarioError
        If ``target`` is neither a bundled name nor a file.
    """
    if target in list_scenarios():
        logger.debug("loading bundled scenario %s", target)
        return load_scenario(target)
    path = Path(target)
    if path.suffix.lower() in (".toml", ".json") or path.exists():
        logger.debug("loading scenario file %s", path)
        result: Scenario = load(path, Scenario)
        return result
    raise UnknownScenarioError(target, list_scenarios())


def default_settings() -> Settings:
    """Return the settings of a command that was given none: one worker, seed 0, 60 s.

    Returns
    -------
    Settings
        One worker and a deterministic limit, so the same input gives the same report.
    """
    from sgcq.matching import Settings

    return Settings(deterministic_time_limit=60.0, workers=1, seed=0)


def add_csv_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--max-errors N`` and ``--fail-fast`` to a command that reads CSV or XLSX files.

    Parameters
    ----------
    parser
        The command's parser.
    """
    parser.add_argument(
        "--max-errors",
        type=_positive,
        default=DEFAULT_MAX_ERRORS,
        metavar="N",
        help=f"problems shown per CSV file; the rest are counted (default {DEFAULT_MAX_ERRORS})",
    )
    parser.add_argument(
        "--fail-fast",
        action="store_true",
        help="stop reading a CSV file at --max-errors problems instead of counting the rest",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class CsvErrorPrinter:
    """The CSV readers' ``on_error`` of the command line: one line per problem, at once.

    Each problem is written to ``stream`` as it is found, so that a bad row
    near the top of a large file shows within a second. After ``limit``
    problems of a file, the rest are counted, not written (the summary
    gives their number).

    Parameters
    ----------
    stream
        Where to write (standard error); flushed after each line.
    limit
        How many problems of a file to write.
    """

    def __init__(self, stream: TextIO, limit: int = DEFAULT_MAX_ERRORS) -> None:
        self.stream = stream
        self.limit = limit
        #: How many problems were written.
        self.written = 0
        self._per_file: dict[str, int] = {}

    def __call__(self, error: CsvError) -> None:
        """Write ``error`` as one line (its message never holds a personal cell's value)."""
        seen = self._per_file.get(error.file, 0)
        self._per_file[error.file] = seen + 1
        if seen < self.limit:
            self.stream.write(f"sgcq: {error}\n")
            self.stream.flush()
            self.written += 1
        elif seen == self.limit:
            self.stream.write(f"sgcq: {error.file}: further problems are counted, not shown\n")
            self.stream.flush()


class _ReportedCsvError(SgcqError):
    """CSV problems already written one by one: the message is their summary only.

    Parameters
    ----------
    error
        The reader's error (a :class:`~sgcq.errors.CsvError` or
        :class:`~sgcq.errors.MultiCsvError`); kept as :attr:`error`.
    """

    def __init__(self, error: CsvError) -> None:
        self.error = error
        if isinstance(error, MultiCsvError):
            summary = error.summary()
        else:
            summary = f"1 problem in {error.file}"
        head, *notes = summary.split("\n")
        super().__init__("\n".join([f"{head} (each is shown above)", *notes]))


@contextmanager
def streamed_csv_errors(args: argparse.Namespace, stream: TextIO) -> Iterator[dict[str, Any]]:
    """Give the keyword arguments that stream a CSV reader's problems to ``stream``.

    Yields ``{"max_errors": ..., "fail_fast": ..., "on_error": printer}``
    from the ``--max-errors`` and ``--fail-fast`` options. A
    :class:`~sgcq.errors.CsvError` raised inside, after its problems were
    written, becomes an error whose message is only the
    summary (so the problems are not written twice); one whose problems
    were not written (found after the files were read) is left as it is.

    Parameters
    ----------
    args
        The parsed options (``max_errors`` and ``fail_fast``).
    stream
        Where the problems go (standard error).
    """
    limit: int = getattr(args, "max_errors", DEFAULT_MAX_ERRORS)
    printer = CsvErrorPrinter(stream, limit)
    try:
        yield {
            "max_errors": limit,
            "fail_fast": bool(getattr(args, "fail_fast", False)),
            "on_error": printer,
        }
    except CsvError as exc:
        if not printer.written:
            raise
        raise _ReportedCsvError(exc) from None
