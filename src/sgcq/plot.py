"""matplotlib plots of results and solver progress.

Each function draws on the :class:`~matplotlib.axes.Axes` it is given
(``ax=``), or on a new figure's, and returns the Axes, so plots compose
into a user's own figures::

    fig, (left, right) = plt.subplots(1, 2)
    plot_beds(result, ax=left)
    plot_ranks(result, ax=right)

matplotlib is an optional dependency (the ``plot`` extra, or ``notebook``):
it is imported when a function is called, and a missing matplotlib raises
:class:`~sgcq.errors.MissingExtraError` naming the extra. See
``docs/plots.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from sgcq._optional import require
from sgcq.frames import HasPositions, _quota_rows
from sgcq.matching import Problem, Result

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "FrontierLike",
    "ProgressLike",
    "plot_beds",
    "plot_budget",
    "plot_frontier",
    "plot_progress",
    "plot_quotas",
    "plot_ranks",
    "plot_stays",
]

#: Colours (matplotlib's default cycle names), one per meaning, the same in every plot.
_USED, _LIMIT, _FREE, _OVER = "C0", "C3", "C7", "C1"


class ProgressLike(Protocol):
    """What :func:`plot_progress` reads of one progress event.

    :class:`sgcq.matching.progress.ProgressEvent` has these attributes; any
    object that has them will do.
    """

    @property
    def stage(self) -> str:
        """The solve stage that reported, e.g. ``"cp_sat"``."""

    @property
    def elapsed(self) -> float:
        """Seconds since the solve started."""

    @property
    def objective(self) -> tuple[int, ...] | None:
        """The best solution's objective levels so far, if any."""

    @property
    def bound(self) -> tuple[int, ...] | None:
        """The best bound on the objective levels so far, if any."""


class FrontierLike(Protocol):
    """What :func:`plot_frontier` reads of one point of a frontier.

    :class:`sgcq.planning.FrontierPoint` has these attributes; any object
    that has them will do.
    """

    @property
    def amount(self) -> Any:
        """The amount of the resource (beds, a scale, money, seats): a number."""

    @property
    def placed(self) -> int | None:
        """How many the solve placed, or ``None`` when it found no solution."""

    @property
    def status(self) -> str:
        """The solve's status, e.g. ``"optimal"``."""


def _axes(ax: Axes | None) -> Axes:
    plt = require("matplotlib.pyplot", "plot", "sgcq.plot")
    if ax is not None:
        return ax
    _, new = plt.subplots()
    result: Axes = new
    return result


def _dates() -> Any:
    return require("matplotlib.dates", "plot", "sgcq.plot")


def plot_beds(result: Result, *, ax: Axes | None = None) -> Axes:
    """Draw the beds held per month as bars, and each month's capacity as a line.

    Parameters
    ----------
    result
        The result; its :attr:`~sgcq.matching.Result.beds_used`.
    ax
        The Axes to draw on; a new figure's by default.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per month (labelled ``"beds used"``; a month above its
        capacity in another colour) and, when any month has a limit, a step
        line ``"capacity"`` through the limited months.
    """
    ax = _axes(ax)
    rows = result.beds_used
    xs = list(range(len(rows)))
    colours = [_OVER if b.capacity is not None and b.used > b.capacity else _USED for b in rows]
    ax.bar(xs, [b.used for b in rows], color=colours, label="beds used")
    if any(b.capacity is not None for b in rows):
        caps = [float("nan") if b.capacity is None else b.capacity for b in rows]
        ax.step(xs, caps, where="mid", color=_LIMIT, label="capacity")
    ax.set_xticks(xs, [str(b.month) for b in rows], rotation=45, ha="right")
    ax.set_ylabel("beds")
    ax.set_title("Beds by month")
    ax.legend()
    return ax


def plot_stays(
    result: Result, hosts: HasPositions | None = None, *, ax: Axes | None = None
) -> Axes:
    """Draw a Gantt chart of the stays: one row per host (or position), one bar per stay.

    Parameters
    ----------
    result
        The result; its assignments.
    hosts
        The problem or scenario the result came from, to group the stays by
        host; without it they are grouped by position.
    ax
        The Axes to draw on; a new figure's by default.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per assignment from its start to its end (dates
        on the x axis), on the row of its host, rows sorted by name; stays
        that overlap within a host lie on separate lanes of its row.
    """
    ax = _axes(ax)
    mdates = _dates()
    by_pos = {} if hosts is None else {p.id: p.host for p in hosts.positions}
    rows = sorted({by_pos.get(a.position, a.position) for a in result.assignments})
    for y, name in enumerate(rows):
        stays = sorted(
            (a for a in result.assignments if by_pos.get(a.position, a.position) == name),
            key=lambda a: (a.start, a.end, a.candidate),
        )
        # Overlapping stays of one host go on separate lanes within its row.
        lane_ends: list[date] = []
        lane_of: list[int] = []
        for a in stays:
            lane = next((i for i, end in enumerate(lane_ends) if end <= a.start), None)
            if lane is None:
                lane = len(lane_ends)
                lane_ends.append(a.end)
            else:
                lane_ends[lane] = a.end
            lane_of.append(lane)
        height = 0.8 / max(1, len(lane_ends))
        for a, lane in zip(stays, lane_of, strict=True):
            start = mdates.date2num(a.start)
            ax.barh(
                y - 0.4 + height * (lane + 0.5),
                mdates.date2num(a.end) - start,
                left=start,
                height=height * 0.9,
                color=_USED,
                edgecolor="white",  # back-to-back stays on one lane stay apart
                linewidth=0.8,
            )
    for y in range(1, len(rows), 2):  # every other row shaded, to follow a row across
        ax.axhspan(y - 0.5, y + 0.5, color=_FREE, alpha=0.1, linewidth=0)
    ax.set_yticks(range(len(rows)), rows)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.set_xlabel("stay [start, end)")
    ax.set_title("Stays by host" if hosts is not None else "Stays by position")
    return ax


def plot_ranks(result: Result, *, ax: Axes | None = None) -> Axes:
    """Draw how many placements got each candidate rank, as bars.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per rank of :attr:`~sgcq.matching.Result.rank_distribution`,
        labelled ``"#1"``, ``"#2"``, ... (``"unranked"`` for a candidate who
        ranked nothing), with its count above it.
    """
    ax = _axes(ax)
    rows = result.rank_distribution
    labels = ["unranked" if r.rank is None else f"#{r.rank}" for r in rows]
    bars = ax.bar(labels, [r.count for r in rows], color=_USED)
    ax.bar_label(bars)
    ax.set_xlabel("candidate's rank of the position")
    ax.set_ylabel("placements")
    ax.set_title("Rank distribution")
    return ax


def plot_quotas(result: Result, problem: Problem, *, ax: Axes | None = None) -> Axes:
    """Draw each quota's placements against its bounds.

    Parameters
    ----------
    result
        A result of ``problem``.
    problem
        The problem, whose constraints hold the quotas.
    ax
        The Axes to draw on; a new figure's by default.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per quota (``"placed"``; a quota outside its
        bounds in another colour), a ``"minimum"`` marker and a ``"maximum"``
        marker at each bound in candidates (a share resolved for the number
        placed), rows labelled ``"university nus"``, ``"field ai"``, ...
    """
    ax = _axes(ax)
    rows = _quota_rows(result, problem)
    ys = list(range(len(rows)))
    ax.barh(
        ys,
        [r["placed"] for r in rows],
        color=[_USED if r["ok"] else _OVER for r in rows],
        label="placed",
    )
    ax.plot(
        [r["minimum_count"] for r in rows],
        ys,
        "|",
        color=_LIMIT,
        markersize=18,
        markeredgewidth=2,
        label="minimum",
    )
    ax.plot(
        [r["maximum_count"] for r in rows],
        ys,
        "|",
        color="black",
        markersize=18,
        markeredgewidth=2,
        label="maximum",
    )
    ax.set_yticks(ys, [f"{r['dimension']} {r['key']}" for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("candidates placed")
    ax.set_title("Quota fill")
    ax.legend()
    return ax


def plot_budget(result: Result, *, ax: Axes | None = None) -> Axes:
    """Draw the allowance budget used against the budget.

    Returns
    -------
    matplotlib.axes.Axes
        A horizontal bar ``"used"`` and, with a budget, a bar ``"remaining"``
        stacked after it and a vertical line ``"budget"`` at the limit;
        amounts in the budget's currency (without a budget, the currency of
        the costs).

    Raises
    ------
    ValueError
        If the result has no costs (no option had an allowance).
    """
    if result.budget_used is None:
        raise ValueError("the result has no costs: no placement has an allowance")
    ax = _axes(ax)
    ticker = require("matplotlib.ticker", "plot", "sgcq.plot")
    used = float(result.budget_used.amount)
    ax.barh([0], [used], height=0.5, color=_USED, label="used")
    if result.budget is not None:
        limit = float(result.budget.amount)
        ax.barh(
            [0], [max(limit - used, 0.0)], left=[used], height=0.5, color=_FREE, label="remaining"
        )
        ax.axvline(limit, color=_LIMIT, label="budget")
        ax.set_title(f"Budget: {result.budget_used} of {result.budget}")
    else:
        ax.set_title(f"Cost of the placements: {result.budget_used}")
    ax.set_yticks([])
    ax.set_ylim(-1, 1)
    ax.xaxis.set_major_locator(ticker.MaxNLocator(4))
    ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel(result.budget_used.currency)
    ax.legend(loc="lower center", ncol=3)
    return ax


def plot_progress(
    events: Iterable[ProgressLike], *, level: int = 0, ax: Axes | None = None
) -> Axes:
    """Draw the objective and the bound over time from progress events.

    Parameters
    ----------
    events
        Progress events (see :class:`ProgressLike`), in the order reported.
    level
        Which objective level to draw (0, the first, by default).
    ax
        The Axes to draw on; a new figure's by default.

    Returns
    -------
    matplotlib.axes.Axes
        A step line ``"objective"`` through the events that carry an
        objective and a step line ``"bound"`` through those that carry a
        bound, both against the elapsed seconds; the stage of each point is
        not drawn (see the events' ``stage``).
    """
    ax = _axes(ax)
    seen = list(events)
    for name, colour in (("objective", _USED), ("bound", _LIMIT)):
        pts = [
            (e.elapsed, values[level])
            for e in seen
            if (values := getattr(e, name)) is not None and len(values) > level
        ]
        if pts:
            ax.step(
                [t for t, _ in pts],
                [y for _, y in pts],
                where="post",
                color=colour,
                label=name,
                marker=".",
            )
    ax.set_xlabel("seconds")
    ax.set_ylabel(f"objective level {level}")
    ax.set_title("Objective and bound over time")
    if ax.get_lines():
        ax.legend()
    return ax


def plot_frontier(
    points: Iterable[FrontierLike], *, resource: str = "amount", ax: Axes | None = None
) -> Axes:
    """Draw how many are placed against the amount of a resource (a frontier).

    Parameters
    ----------
    points
        The points of :func:`sgcq.planning.frontier` (see :class:`FrontierLike`).
    resource
        The x axis' label, e.g. ``"beds in 2020-12"``.
    ax
        The Axes to draw on; a new figure's by default.

    Returns
    -------
    matplotlib.axes.Axes
        A step line ``"placed"`` through the points with a solution, in
        order of amount, and hollow markers ``"not proven"`` on those whose
        status is not ``optimal`` (the solve stopped at a limit, so more may
        be possible there).
    """
    ax = _axes(ax)
    solved = sorted(
        ((float(p.amount), p.placed, p.status) for p in points if p.placed is not None),
        key=lambda x: x[0],
    )
    if solved:
        ax.step(
            [a for a, _, _ in solved],
            [n for _, n, _ in solved],
            where="post",
            color=_USED,
            marker="o",
            label="placed",
        )
        unproven = [(a, n) for a, n, status in solved if status != "optimal"]
        if unproven:
            ax.scatter(
                [a for a, _ in unproven],
                [n for _, n in unproven],
                facecolors="none",
                edgecolors=_OVER,
                s=80,
                zorder=3,
                label="not proven",
            )
        ax.legend(loc="lower right")
    ax.set_xlabel(resource)
    ax.set_ylabel("placed")
    ax.set_title(f"Placed against {resource}")
    return ax
