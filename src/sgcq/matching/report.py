"""A report of a result that a programme coordinator can act on.

The report has a short header (status, placed, ranks, budget, beds), the
placements grouped by host and position (the first ``rows`` and a pointer to
the exported file for the rest), and every unplaced candidate's reasons
grouped by position across start dates, with no line twice. Limits that hold
back every unplaced candidate (a full cohort, an exhausted budget) are said
once, above the candidates. Solver detail (objective levels and bounds, the
path's reasoning, beds month by month, blocking pairs) is shown with
``verbose=True`` (``sgcq match -v``).

Money is written one way throughout, as :class:`~sgcq.models.Money` prints
it (``CNY 1,499,761.29``: the ISO code, grouped digits and the currency's
minor unit), in the report and in the explanations it quotes.

With ``rich`` installed (``pip install "sgcq[report]"``) the placements can
be drawn as a table that wraps to the terminal (``style="rich"``, or
``"auto"``); plain text is the default and needs nothing.

Examples
--------
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
>>> print(render_report(solve(problem), problem))  # doctest: +NORMALIZE_WHITESPACE
Matching report: optimal by flow; placed 1 of 2 candidates, 1 unplaced
  ranks: #1: 1; blocking pairs: 0
<BLANKLINE>
Placements (1), by host and position; stays are [start, end):
  host  position  candidate  stay                      mode     rank  allowance
  h1    p1        c1         2020-09-01 to 2021-03-01  on_site  1     -
<BLANKLINE>
Unplaced (1):
  c2: not placed
    p1 from 2020-09-01: p1's 1 seat taken by c1 (the host does not rank candidates)
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from sgcq.errors import MissingExtraError
from sgcq.matching.problem import Problem
from sgcq.matching.result import Assignment, Explanation, Result, UnplacedReason
from sgcq.models import CertificateAward, Money

__all__ = [
    "PLACEMENT_COLUMNS",
    "ReportStyle",
    "common_blockers",
    "format_money",
    "mode_closures",
    "mode_text",
    "placement_rows",
    "reason_lines",
    "render_report",
]

#: How the placements table is drawn: ``"plain"`` text, ``"rich"`` (needs the
#: ``report`` extra) or ``"auto"`` (rich when it is installed).
ReportStyle = Literal["plain", "rich", "auto"]

#: The columns of the placements table, in order.
PLACEMENT_COLUMNS: tuple[str, ...] = (
    "host",
    "position",
    "candidate",
    "stay",
    "mode",
    "rank",
    "allowance",
)


def format_money(money: Money | None) -> str:
    """Return ``money`` as every report writes it, or ``"-"`` for no amount.

    Parameters
    ----------
    money
        An amount, or ``None``.

    Returns
    -------
    str
        The ISO code and the amount rounded to the currency's minor unit,
        with grouped thousands.

    Examples
    --------
    >>> from decimal import Decimal
    >>> format_money(Money(Decimal("1499761.294"), "CNY")), format_money(None)
    ('CNY 1,499,761.29', '-')
    """
    return "-" if money is None else str(money)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def render_report(
    result: Result,
    problem: Problem,
    *,
    explanations: int | None = 10,
    reasons: int | None = 3,
    rows: int | None = 20,
    placements_file: str | None = None,
    unplaced_file: str | None = None,
    verbose: bool = False,
    style: ReportStyle = "plain",
    width: int = 100,
    command: str | None = None,
    certificates: Sequence[CertificateAward] = (),
) -> str:
    """Return a report of ``result`` for ``problem`` that people can act on.

    Parameters
    ----------
    result
        The result.
    problem
        The problem it solves (for hosts and sizes).
    explanations
        How many unplaced candidates to explain (``None``: all).
    reasons
        How many positions to show per unplaced candidate (``None``: all).
        Each position is one line, whatever its number of start dates.
    rows
        How many placements to list (``None``: all).
    placements_file, unplaced_file
        Where the placements and unplaced candidates were exported, if
        they were; the report points there for the rows it leaves out.
    verbose
        Add the solver's detail: the problem's size, the path's reasoning,
        every objective level with its bound, the wall time, beds by month
        and blocking pairs.
    style
        ``"plain"`` text, ``"rich"`` tables (needs ``pip install
        "sgcq[report]"``), or ``"auto"``: rich when installed.
    width
        The width rich wraps the table to.
    command
        The command line that made the result (``"sgcq match x.toml"``); the
        pointers for rows left out suggest it with ``-o`` and ``--unplaced``.
    certificates
        What each course participant's placed sessions earn, e.g.
        ``scenario.certificates(result.to_placements(at))``; listed after
        the placements, one line per course with how many earn it, then
        each participant who does not, with the sessions missing.

    Returns
    -------
    str
        The report, without a trailing newline.

    Raises
    ------
    MissingExtraError
        For ``style="rich"`` without rich installed.
    """
    rich = _rich(style)
    lines = _header(result, problem)
    if verbose:
        lines += ["", "Solver:", *("  " + t for t in problem.summary().splitlines())]
        lines += ["  " + t.strip() for t in result.summary().splitlines()]
        lines += _beds(result) + _blocking(result)
    if not result.status.has_solution:
        return "\n".join(lines)
    lines.append("")
    lines += _placements(result, problem, rows, placements_file, rich, width, command)
    lines += _certificates(certificates)
    lines += _unplaced(result, explanations, reasons, unplaced_file, command)
    return "\n".join(lines).rstrip("\n")


# --- header ------------------------------------------------------------------------


def _header(result: Result, problem: Problem) -> list[str]:
    cohort = f" for cohort {problem.cohort}" if problem.cohort else ""
    total = len(problem.candidates)
    head = f"Matching report{cohort}: {result.status.value} by {result.path.value}"
    if not result.status.has_solution:
        lines = [head]
        # The message names the conflicts (Result.conflicts holds them structured).
        if result.message:
            lines.append(f"  {result.message}")
        return lines
    lines = [
        f"{head}; placed {result.placed} of {total} candidates, {len(result.unplaced)} unplaced"
    ]
    if result.gap:
        lines.append(f"  not proven optimal: gap {result.gap:.2%}")
    ranks = ", ".join(
        f"{'unranked' if r.rank is None else f'#{r.rank}'}: {r.count}"
        for r in result.rank_distribution
    )
    lines.append(f"  ranks: {ranks or 'none'}; blocking pairs: {len(result.blocking_pairs)}")
    if result.budget_used is not None:
        limit = f" of {format_money(result.budget)}" if result.budget is not None else ""
        lines.append(f"  budget used: {format_money(result.budget_used)}{limit}")
    for t in result.payer_totals:
        limit = f" of {format_money(t.budget)}" if t.budget is not None else ""
        lines.append(f"  {t.payer} pays: {format_money(t.used)}{limit}")
    limited = [b for b in result.beds_used if b.capacity is not None]
    if limited:
        full = [b for b in limited if b.used >= b.capacity]  # type: ignore[operator]
        peak = max(limited, key=lambda b: (b.used, str(b.month)))
        text = f"  beds: peak {peak.used} of {peak.capacity} in {peak.month}"
        if full:
            text += "; full in " + ", ".join(str(b.month) for b in full)
        lines.append(text)
    return lines


def _beds(result: Result) -> list[str]:
    if not result.beds_used:
        return []
    lines = ["  beds by month (used / capacity):"]
    for b in result.beds_used:
        cap = "no limit" if b.capacity is None else str(b.capacity)
        full = " full" if b.capacity is not None and b.used >= b.capacity else ""
        lines.append(f"    {b.month}: {b.used} / {cap}{full}")
    return lines


def _blocking(result: Result) -> list[str]:
    pairs = result.blocking_pairs
    if not pairs:
        return []
    lines = [f"  blocking pairs ({len(pairs)}):"]
    lines += [f"    {bp.candidate} and {bp.position}: {bp.reason}" for bp in pairs[:10]]
    if len(pairs) > 10:
        lines.append(f"    ... and {len(pairs) - 10} more")
    return lines


def _certificates(awards: Sequence[CertificateAward]) -> list[str]:
    """Return one line per course (how many earn it), then each who does not."""
    if not awards:
        return []
    lines = ["Certificates, with the sessions placed:"]
    for course in sorted({a.course for a in awards}):
        of = [a for a in awards if a.course == course]
        earned = sum(1 for a in of if a.earned)
        lines.append(
            f"  {course} ({of[0].certificate}): {earned} of "
            f"{_plural(len(of), 'participant')} earn it"
        )
        lines += [f"    {a}" for a in of if not a.earned]
    return [*lines, ""]


# --- placements --------------------------------------------------------------------


def placement_rows(result: Result, problem: Problem) -> list[tuple[Assignment, str]]:
    """Return the placements with their hosts, sorted by host, position and candidate."""
    host = {p.id: p.host for p in problem.positions}
    pairs = [(a, host.get(a.position, "")) for a in result.assignments]
    return sorted(pairs, key=lambda ah: (ah[1], ah[0].position, ah[0].candidate))


#: What closed another mode of one placement: the mode, the measure's description and start.
Closure = tuple[str, str, str]


def mode_closures(problem: Problem) -> dict[tuple[str, str, date], tuple[Closure, ...]]:
    """Return, per ``(candidate, position, start)``, the modes a dated measure closed.

    Read from the problem's exclusions with a ``mode.measure.closed`` reason
    (given by the rule ``mode.measure`` when the problem was built, or by
    :class:`~sgcq.matching.Changes` with ``measures_added``); each entry is
    ``(mode, measure description, measure start)``.
    """
    out: dict[tuple[str, str, date], list[Closure]] = {}
    for x in problem.exclusions:
        if x.start is None:
            continue
        for r in x.reasons:
            if r.code != "mode.measure.closed":
                continue
            facts = {f.name: f.value for f in r.facts}
            entry = (
                facts.get("option.mode", ""),
                facts.get("measure.description", facts.get("measure", "")),
                facts.get("measure.start", ""),
            )
            found = out.setdefault((x.candidate, x.position, x.start), [])
            if entry not in found:
                found.append(entry)
    return {k: tuple(v) for k, v in out.items()}


def mode_text(a: Assignment, closures: dict[tuple[str, str, date], tuple[Closure, ...]]) -> str:
    """Return the placement's mode, and which measure closed another mode of it, if one did.

    Examples
    --------
    >>> from sgcq.models import Mode
    >>> a = Assignment("c1", "p1", date(2021, 4, 1), date(2021, 7, 1), Mode.REMOTE)
    >>> mode_text(a, {("c1", "p1", date(2021, 4, 1)):
    ...     (("on_site", "on-site work closed (invented)", "2021-04-01"),)})
    'remote (on site closed by on-site work closed (invented), from 2021-04-01)'
    """
    shown = a.mode.value.replace("_", " ")
    notes = [
        f"{mode.replace('_', ' ')} closed by {what}, from {start}"
        for mode, what, start in closures.get((a.candidate, a.position, a.start), ())
        if mode != a.mode.value
    ]
    return f"{shown} ({'; '.join(notes)})" if notes else a.mode.value


def _cells(
    a: Assignment, host: str, closures: dict[tuple[str, str, date], tuple[Closure, ...]]
) -> list[str]:
    return [
        host,
        a.position,
        a.candidate,
        f"{a.start} to {a.end}",
        mode_text(a, closures),
        "-" if a.candidate_rank is None else str(a.candidate_rank),
        format_money(a.allowance),
    ]


def _placements(
    result: Result,
    problem: Problem,
    rows: int | None,
    exported: str | None,
    rich: Any,
    width: int,
    command: str | None,
) -> list[str]:
    ordered = placement_rows(result, problem)
    shown = ordered if rows is None else ordered[:rows]
    total = len(ordered)
    if not total:
        return ["Placements: none", ""]
    title = f"Placements ({total}), by host and position; stays are [start, end):"
    if len(shown) < total:
        title = (
            f"Placements (the first {len(shown)} of {total}), by host and position; "
            "stays are [start, end):"
        )
    table: list[list[str]] = []
    previous = ("", "")
    closures = mode_closures(problem)
    for a, host in shown:
        cells = _cells(a, host, closures)
        # Host and position are written once per group.
        if host == previous[0]:
            cells[0] = ""
            if a.position == previous[1]:
                cells[1] = ""
        previous = (host, a.position)
        table.append(cells)
    lines = [title]
    lines += _rich_table(rich, table, width) if rich is not None else _plain_table(table)
    if len(shown) < total:
        rest = total - len(shown)
        where = (
            f"all {total} are in {exported}"
            if exported
            else _hint(command, "-o placements.csv", "write_placements")
        )
        lines.append(f"  ... {rest} more; {where}")
    elif exported:
        lines.append(f"  (also in {exported})")
    lines.append("")
    return lines


def _plain_table(table: list[list[str]]) -> list[str]:
    grid = [list(PLACEMENT_COLUMNS), *table]
    widths = [max(len(r[i]) for r in grid) for i in range(len(PLACEMENT_COLUMNS))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in grid
    ]


def _rich(style: ReportStyle) -> Any:
    if style == "plain":
        return None
    try:
        return importlib.import_module("rich.table")
    except ImportError:
        if style == "rich":
            raise MissingExtraError("rich tables in reports", "rich", "report") from None
        return None


def _rich_table(table_mod: Any, table: list[list[str]], width: int) -> list[str]:
    console_mod = importlib.import_module("rich.console")
    box = importlib.import_module("rich.box")
    t = table_mod.Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name in PLACEMENT_COLUMNS:
        t.add_column(name, overflow="fold")
    for cells in table:
        t.add_row(*cells)
    buffer = io.StringIO()
    console = console_mod.Console(
        file=buffer, width=width, color_system=None, force_terminal=False, highlight=False
    )
    console.print(t)
    return ["  " + line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines()]


# --- unplaced ----------------------------------------------------------------------


def common_blockers(unplaced: Sequence[Explanation]) -> list[str]:
    """Return the blocker sentences found on every eligible option of every unplaced candidate.

    Empty with fewer than two candidates that have eligible options.
    """
    common: list[str] | None = None
    eligible = 0
    for e in unplaced:
        for r in e.reasons:
            if not r.eligible:
                continue
            msgs = [b.message for b in r.blockers]
            common = msgs if common is None else [m for m in common if m in msgs]
        if any(r.eligible for r in e.reasons):
            eligible += 1
    return (common or []) if eligible >= 2 else []


def _starts(starts: list[date]) -> str:
    if not starts:
        return ""
    if len(starts) == 1:
        return f" from {starts[0]}"
    return f" ({len(starts)} starts, {min(starts)} to {max(starts)})"


def reason_lines(explanation: Explanation, skip: Sequence[str] = ()) -> list[str]:
    """Return one line per position: its start dates and its distinct reasons.

    Parameters
    ----------
    explanation
        An unplaced candidate's explanation.
    skip
        Sentences said elsewhere (the limits common to every unplaced candidate).

    Returns
    -------
    list of str
        ``"<position>[ from <start> | (<n> starts, <first> to <last>)]: r1; r2"``,
        positions in the explanation's order; no reason twice on a line, no
        line twice.
    """
    grouped: dict[str, tuple[list[date], list[str]]] = {}
    for r in explanation.reasons:
        starts, texts = grouped.setdefault(r.position, ([], []))
        if r.start is not None and r.start not in starts:
            starts.append(r.start)
        for text in _texts(r, skip):
            if text not in texts:
                texts.append(text)
    out: list[str] = []
    for position, (starts, texts) in grouped.items():
        line = f"{position}{_starts(starts)}: " + (
            "; ".join(_merge_costs(texts)) or "only the limits above block it"
        )
        if line not in out:
            out.append(line)
    return out


_COSTS = ", the stay costs "


def _merge_costs(texts: list[str]) -> list[str]:
    """Merge the budget sentences of one position's starts (their stays cost differently)."""
    costs = [t for t in texts if _COSTS in t]
    if len(costs) < 2:
        return texts
    heads = {t.split(_COSTS)[0] for t in costs}
    if len(heads) != 1:
        return texts
    amounts = sorted((t.split(_COSTS)[1] for t in costs), key=_amount_key)
    merged = f"{heads.pop()}, the stays cost {amounts[0]} to {amounts[-1]}"
    out = [t for t in texts if _COSTS not in t]
    out.insert(texts.index(costs[0]), merged)
    return out


def _amount_key(text: str) -> Decimal:
    digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
    try:
        return Decimal(digits)
    except ArithmeticError:
        return Decimal(0)


def _texts(r: UnplacedReason, skip: Sequence[str]) -> list[str]:
    if r.blockers:
        return [b.message for b in r.blockers if b.message not in skip]
    start = r.start.isoformat() if r.start is not None else None
    out = []
    for reason in r.rule_reasons:
        # The same rule at several starts differs only by the date.
        message = reason.message.replace(start, "the start") if start else reason.message
        out.append(f"{message} [{reason.code}]")
    return out


def _hint(command: str | None, option: str, function: str) -> str:
    if command:
        return f"all with: {command} {option}"
    return f"all with sgcq.matching.export.{function}"


def _unplaced(
    result: Result,
    explanations: int | None,
    reasons: int | None,
    exported: str | None,
    command: str | None,
) -> list[str]:
    unplaced = result.unplaced
    if not unplaced:
        return ["Unplaced: none"]
    head = f"Unplaced ({len(unplaced)})" + (f", all in {exported}" if exported else "") + ":"
    lines = [head]
    common = common_blockers(unplaced)
    if common:
        lines.append("  Every eligible option of every unplaced candidate is blocked by:")
        lines += [f"    {text}" for text in common]
    shown = unplaced if explanations is None else unplaced[:explanations]
    for e in shown:
        state = "ineligible for every ranked position" if e.ineligible else "not placed"
        lines.append(f"  {e.candidate}: {state}")
        texts = reason_lines(e, common)
        for text in texts if reasons is None else texts[:reasons]:
            lines.append(f"    {text}")
        if reasons is not None and len(texts) > reasons:
            lines.append(f"    ... and {_plural(len(texts) - reasons, 'more position')}")
    if len(shown) < len(unplaced):
        rest = len(unplaced) - len(shown)
        where = (
            f"see {exported}"
            if exported
            else _hint(command, "--unplaced unplaced.csv", "write_unplaced")
        )
        lines.append(f"  ... and {_plural(rest, 'more candidate')}; {where}")
    return lines
