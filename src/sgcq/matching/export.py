"""Results out: placements and unplaced candidates as CSV or XLSX, and trimmed explanations.

The columns are documented in ``docs/csv.md`` ("Results"). Every text cell
is neutralised against CSV injection (:func:`sgcq.serialization.tables.neutralise_cell`).
Nothing in these files depends on the clock: two runs under a deterministic
limit write the same bytes.

Examples
--------
>>> import tempfile, pathlib
>>> from datetime import date
>>> from sgcq.matching import MatchCandidate, MatchPosition, Option, Problem, solve
>>> from sgcq.models import DateRange, Mode
>>> stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
>>> problem = Problem(
...     candidates=(MatchCandidate("c1", "ntu"), MatchCandidate("c2", "nus")),
...     positions=(MatchPosition("p1", "h1", seats=1),),
...     options=(
...         Option("c1", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...         Option("c2", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
...     ),
... )
>>> result = solve(problem)
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> print(write_placements(result, problem, d / "placements.csv").read_text(), end="")
candidate,host,position,start,end,mode,candidate_rank,position_rank,allowance,allowance_currency,cost,cost_currency
c1,h1,p1,2020-09-01,2021-03-01,on_site,1,,,,,
>>> print(write_unplaced(result, d / "unplaced.csv").read_text(), end="")
candidate,state,position,starts,kind,reason
c2,not_placed,p1,2020-09-01,seats_full,p1's 1 seat taken by c1 (the host does not rank candidates)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Literal

import attrs

from sgcq.matching.problem import Problem
from sgcq.matching.report import mode_closures, placement_rows
from sgcq.matching.result import Blocker, Explanation, Result, UnplacedReason
from sgcq.models import CURRENCY_MINOR_UNITS, Money
from sgcq.rules import Reason
from sgcq.serialization.tables import TableCell, write_table

__all__ = [
    "PLACEMENTS_HEADER",
    "UNPLACED_HEADER",
    "ExplanationDetail",
    "placements_header",
    "placements_table",
    "unplaced_table",
    "with_explanations",
    "write_placements",
    "write_unplaced",
]

#: How much of the explanations a saved result keeps.
ExplanationDetail = Literal["full", "grouped", "none"]

#: The columns of a placements file.
PLACEMENTS_HEADER: tuple[str, ...] = (
    "candidate",
    "host",
    "position",
    "start",
    "end",
    "mode",
    "candidate_rank",
    "position_rank",
    "allowance",
    "allowance_currency",
    "cost",
    "cost_currency",
)

#: The columns of an unplaced file.
UNPLACED_HEADER: tuple[str, ...] = ("candidate", "state", "position", "starts", "kind", "reason")


def _amount(money: Money | None) -> tuple[str | None, str | None]:
    if money is None:
        return None, None
    digits = CURRENCY_MINOR_UNITS[money.currency]
    q = money.amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    return f"{q:.{digits}f}", money.currency


def placements_header(problem: Problem) -> tuple[str, ...]:
    """Return the columns of a placements file of ``problem``.

    :data:`PLACEMENTS_HEADER`, then two columns per other payer (housing
    payer, visa sponsor) of the problem, ``cost_<payer>`` and
    ``cost_<payer>_currency``, in payer order; none when it has no payer.
    Last, when a dated measure closed a mode of some option of the problem
    (a ``mode.measure.closed`` exclusion), ``mode_closed_by``: for a
    placement in another mode than the closed one, what was closed and by
    which measure (``on_site closed by <description>, from <date>``).

    Parameters
    ----------
    problem
        The problem whose payers name the extra columns.
    """
    extra = [col for payer in problem.payers for col in (f"cost_{payer}", f"cost_{payer}_currency")]
    if mode_closures(problem):
        extra.append("mode_closed_by")
    return (*PLACEMENTS_HEADER, *extra)


def placements_table(result: Result, problem: Problem) -> Iterator[list[TableCell]]:
    """Yield one row per placement (columns :func:`placements_header`), by host and position.

    Amounts are plain decimals in the currency's minor unit (``4000.00``),
    with their currency in the next column; empty when there is none.
    """
    payers = problem.payers
    closures = mode_closures(problem)
    for a, host in placement_rows(result, problem):
        allowance, allowance_cur = _amount(a.allowance)
        cost, cost_cur = _amount(a.cost)
        paid: list[TableCell] = []
        if payers:
            by_payer = {pc.payer: pc.cost for pc in a.payer_costs}
            for payer in payers:
                paid.extend(_amount(by_payer.get(payer)))
        yield [
            a.candidate,
            host,
            a.position,
            a.start.isoformat(),
            a.end.isoformat(),
            a.mode.value,
            a.candidate_rank,
            a.position_rank,
            allowance,
            allowance_cur,
            cost,
            cost_cur,
            *paid,
            *(
                [_closed_by(a.mode.value, closures.get((a.candidate, a.position, a.start), ()))]
                if closures
                else []
            ),
        ]


def _closed_by(mode: str, closed: tuple[tuple[str, str, str], ...]) -> str | None:
    notes = [f"{m} closed by {what}, from {start}" for m, what, start in closed if m != mode]
    return "; ".join(notes) or None


def _reason_texts(r: UnplacedReason) -> list[tuple[str, str]]:
    if r.blockers:
        return [(b.kind.value, b.message) for b in r.blockers]
    return [(f"rule:{x.code}", x.message) for x in r.rule_reasons]


def unplaced_table(result: Result) -> Iterator[list[TableCell]]:
    """Yield one row per unplaced candidate, position and distinct reason (:data:`UNPLACED_HEADER`).

    A reason that holds at several start dates of a position is one row, its
    dates ``;``-separated in ``starts``. A candidate with no position to
    explain has one row with the position empty.
    """
    for e in result.unplaced:
        state = "ineligible" if e.ineligible else "not_placed"
        grouped: dict[tuple[str, str, str], list[date]] = {}
        for r in e.reasons:
            for kind, text in _reason_texts(r):
                starts = grouped.setdefault((r.position, kind, text), [])
                if r.start is not None and r.start not in starts:
                    starts.append(r.start)
        if not grouped:
            yield [e.candidate, state, None, None, None, "no ranked position and none fits"]
        for (position, kind, text), starts in grouped.items():
            dates = ";".join(d.isoformat() for d in sorted(starts)) or None
            yield [e.candidate, state, position, dates, kind, text]


def write_placements(result: Result, problem: Problem, path: str | os.PathLike[str]) -> Path:
    """Write the placements to a ``.csv`` or ``.xlsx`` file (columns in ``docs/csv.md``).

    Parameters
    ----------
    result
        The result.
    problem
        Its problem (for the hosts).
    path
        The file; the suffix chooses the format (``.xlsx`` needs
        ``pip install "sgcq[xlsx]"``).

    Returns
    -------
    Path
        The file written.
    """
    return write_table(
        path, placements_header(problem), placements_table(result, problem), sheet="placements"
    )


def write_unplaced(result: Result, path: str | os.PathLike[str]) -> Path:
    """Write the unplaced candidates and their reasons to a ``.csv`` or ``.xlsx`` file.

    Parameters
    ----------
    result
        The result.
    path
        The file; the suffix chooses the format.

    Returns
    -------
    Path
        The file written.
    """
    return write_table(path, UNPLACED_HEADER, unplaced_table(result), sheet="unplaced")


def _unique(items: list[Blocker]) -> tuple[Blocker, ...]:
    seen: dict[str, Blocker] = {}
    for b in items:
        seen.setdefault(b.message, b)
    return tuple(seen.values())


def _unique_reasons(items: list[Reason]) -> tuple[Reason, ...]:
    seen: dict[str, Reason] = {}
    for x in items:
        seen.setdefault(x.code, x)
    return tuple(seen.values())


def _grouped(e: Explanation) -> Explanation:
    by_pos: dict[tuple[str, bool], list[UnplacedReason]] = {}
    for r in e.reasons:
        by_pos.setdefault((r.position, r.eligible), []).append(r)
    reasons = []
    for (position, _), rs in by_pos.items():
        starts = [r.start for r in rs if r.start is not None]
        reasons.append(
            UnplacedReason(
                position,
                min(starts) if starts else None,
                _unique([b for r in rs for b in r.blockers]),
                _unique_reasons([x for r in rs for x in r.rule_reasons]),
            )
        )
    return attrs.evolve(e, reasons=tuple(reasons))


def with_explanations(result: Result, detail: ExplanationDetail | str = "full") -> Result:
    """Return ``result`` with its explanations kept in full, grouped, or left out.

    Parameters
    ----------
    result
        The result.
    detail
        ``"full"``: one reason per option and exclusion (as solved).
        ``"grouped"``: one reason per position, its start the earliest
        start, with each blocker (by sentence) and rule reason (by code)
        once. ``"none"``: every unplaced candidate is kept without reasons.

    Returns
    -------
    Result
        A result of the same type, smaller for ``"grouped"`` and ``"none"``.

    Raises
    ------
    ValueError
        For another ``detail``.
    """
    if detail == "full":
        return result
    if detail == "none":
        return attrs.evolve(
            result, unplaced=tuple(attrs.evolve(e, reasons=()) for e in result.unplaced)
        )
    if detail == "grouped":
        return attrs.evolve(result, unplaced=tuple(_grouped(e) for e in result.unplaced))
    raise ValueError(f"detail must be 'full', 'grouped' or 'none', got {detail!r}")
