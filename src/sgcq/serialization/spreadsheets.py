r"""From a coordinator's spreadsheets to a validated scenario that can be matched.

:func:`scenario_from_files` takes a base scenario (organisations,
programmes, cohorts, rates) and the cohort's own files: candidates,
positions and preferences, each a CSV or XLSX file, a file object or a
DataFrame. Every file is read before anything is raised, so one run reports
every bad cell of every file (:class:`~sgcq.errors.MultiCsvError`), and the
scenario's cross-references (a university or host that is not an
organisation of the base) are reported against the file and row they come
from.

Examples
--------
>>> import io
>>> from sgcq.models import Scenario
>>> base = Scenario(id="s", name="S")
>>> prefs = io.StringIO("candidate,position,rank\nc1,p1,1\n")
>>> scenario_from_files(base, preferences=prefs)
Traceback (most recent call last):
...
sgcq.errors.MultiCsvError: 2 problems in <stream>:
  <stream>, row 2, column 'candidate': unknown candidate 'c1'
  <stream>, row 2, column 'position': unknown position 'p1'
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import attrs

from sgcq.errors import CsvError, DocumentError, ModelValidationError, MultiCsvError
from sgcq.models import Candidate, Position, Ranking, Scenario
from sgcq.serialization._rows import (
    DEFAULT_MAX_ERRORS,
    Collector,
    ErrorCallback,
    Source,
    _name,
)
from sgcq.serialization.csv import (
    CANDIDATE_COLUMNS,
    POSITION_COLUMNS,
    _candidate_from_row,
    _items_read,
    _position_from_row,
    _preference_values,
)
from sgcq.serialization.documents import load

__all__ = ["scenario_from_files"]

T = TypeVar("T")

_PATH = re.compile(r"^(candidates|positions)\[(\d+)\]\.?(.*)$")


def _read(
    source: Source,
    columns: tuple[tuple[str, ...], tuple[str, ...]],
    make: Callable[[Any], T],
    collector: Collector,
    ids: set[str],
) -> tuple[list[T], list[int], str]:
    items: list[T] = []
    lines: list[int] = []
    for line, item in _items_read(source, columns, make, collector, None, ids):
        items.append(item)
        lines.append(line)
    return items, lines, _name(source)


def _rankings(values: dict[str, dict[str, Any]]) -> dict[str, Ranking]:
    out: dict[str, Ranking] = {}
    for key, ranked in values.items():
        if all(isinstance(r, int) for r in ranked.values()):
            out[key] = Ranking({i: int(r) for i, r in ranked.items()})
        else:
            out[key] = Ranking.from_scores(ranked)
    return out


def scenario_from_files(
    base: Scenario | str | os.PathLike[str],
    *,
    candidates: Source | None = None,
    positions: Source | None = None,
    preferences: Source | None = None,
    host_preferences: Source | None = None,
    max_errors: int = DEFAULT_MAX_ERRORS,
    on_error: ErrorCallback | None = None,
    fail_fast: bool = False,
) -> Scenario:
    """Return ``base`` with its candidates, positions and rankings taken from files.

    Parameters
    ----------
    base
        A scenario, or the path of a scenario document (``.toml``/``.json``).
        Its organisations, programmes, cohorts and rates are kept.
    candidates
        The candidates (``docs/csv.md``); they replace the base's.
    positions
        The positions; they replace the base's.
    preferences
        The candidates' rankings of positions (``candidate,position,rank``);
        every candidate and position named must exist.
    host_preferences
        The hosts' rankings of candidates (``position,candidate,rank``).
    max_errors
        How many problems to keep per file; further ones are counted.
    on_error
        Called with each problem of a file the moment its row is read (as
        for :func:`~sgcq.serialization.read_candidates_csv`); the problems
        the scenario finds once every file is read (an unknown university,
        host or cohort) are raised without it.
    fail_fast
        Stop reading a file once it has ``max_errors`` problems, and read no
        file after it: the error says which files were cut short or not
        read, and its count is a lower bound. The files are read in the
        order candidates, positions, preferences, host preferences.

    Returns
    -------
    Scenario
        The validated scenario, ready for :func:`sgcq.matching.match_scenario`.

    Raises
    ------
    CsvError
        Every problem of every file at once (a :class:`~sgcq.errors.MultiCsvError`
        when there are several), each naming its file, row and column; a
        reference the scenario cannot resolve (an unknown university, host or
        cohort) is reported against the row it comes from.
    DocumentError
        If ``base`` is a file that cannot be read as a scenario.
    """
    scenario: Scenario = base if isinstance(base, Scenario) else load(Path(base), Scenario)
    collector = Collector(max_errors, on_error=on_error, fail_fast=fail_fast)
    cand_ids = {c.id for c in scenario.candidates}
    pos_ids = {p.id for p in scenario.positions}
    cands: list[Candidate] = list(scenario.candidates)
    cand_lines: list[int] | None = None
    cand_file = ""
    if candidates is not None:
        cand_ids = set()
        cands, cand_lines, cand_file = _read(
            candidates, CANDIDATE_COLUMNS, _candidate_from_row, collector, cand_ids
        )
    poss: list[Position] = list(scenario.positions)
    pos_lines: list[int] | None = None
    pos_file = ""
    if positions is not None:
        pos_ids = set()
        poss, pos_lines, pos_file = _read(
            positions, POSITION_COLUMNS, _position_from_row, collector, pos_ids
        )
    # Ids of bad rows count as known: a ranking of them is not a second error.
    if preferences is not None:
        values = _preference_values(preferences, "candidate", cand_ids, pos_ids, collector, None)
        by_id = _rankings(values)
        cands = [attrs.evolve(c, preferences=by_id[c.id]) if c.id in by_id else c for c in cands]
    if host_preferences is not None:
        values = _preference_values(
            host_preferences, "position", pos_ids, cand_ids, collector, None
        )
        by_pos = _rankings(values)
        poss = [
            attrs.evolve(p, candidate_preferences=by_pos[p.id]) if p.id in by_pos else p
            for p in poss
        ]
    collector.raise_if_any()
    try:
        return attrs.evolve(scenario, candidates=tuple(cands), positions=tuple(poss))
    except ModelValidationError as exc:
        located: list[CsvError] = []
        rest = []
        for err in exc.errors:
            m = _PATH.match(err.path)
            lines = (
                (cand_lines, cand_file)
                if m and m.group(1) == "candidates"
                else (
                    pos_lines,
                    pos_file,
                )
            )
            if m and lines[0] is not None and int(m.group(2)) < len(lines[0]):
                field = m.group(3).split(".")[0].split("[")[0] or None
                located.append(
                    CsvError(lines[1] or m.group(1), lines[0][int(m.group(2))], field, err.message)
                )
            else:
                rest.append(err)
        if rest:
            raise DocumentError(rest, source="scenario") from None
        if len(located) == 1:
            raise located[0] from None
        raise MultiCsvError(located) from None
