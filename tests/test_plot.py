"""sgcq.plot (Agg backend): each plot draws the artists its data calls for."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import attrs
import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import Rectangle

from sgcq import plot
from sgcq.matching import (
    Assignment,
    BedUse,
    MatchCandidate,
    MatchPosition,
    Option,
    Problem,
    RankCount,
    Result,
    SolvePath,
    Status,
)
from sgcq.matching.problem import Constraints
from sgcq.models import DateRange, Mode, Money, Quota, QuotaDimension, Share, YearMonth
from sgcq.models.cohorts import Count


@pytest.fixture(autouse=True)
def _close() -> object:
    yield
    plt.close("all")


def _bars(ax: object) -> list[Rectangle]:
    """The rectangles drawn by bar/barh (shading drawn with axhspan is not a bar)."""
    return [r for c in ax.containers for r in c]  # type: ignore[attr-defined]


def _stay(a: str, p: str, start: date, end: date) -> Assignment:
    return Assignment(a, p, start, end, Mode.ON_SITE, 1)


RESULT = Result(
    Status.OPTIMAL,
    SolvePath.CP_SAT,
    assignments=(
        _stay("c1", "p1", date(2020, 9, 1), date(2020, 12, 1)),
        _stay("c2", "p2", date(2020, 10, 1), date(2021, 1, 1)),
        _stay("c3", "p3", date(2020, 9, 1), date(2020, 11, 1)),
    ),
    rank_distribution=(RankCount(1, 2), RankCount(3, 1)),
    beds_used=(
        BedUse(YearMonth(2020, 9), 2, 2),
        BedUse(YearMonth(2020, 10), 3, 2),
        BedUse(YearMonth(2020, 11), 2, None),
    ),
    budget_used=Money("750", "SGD"),
    budget=Money("1000", "SGD"),
)


def test_beds_bars_per_month_and_a_capacity_line() -> None:
    """One bar per month at its use; the over-full month in another colour; capacity steps."""
    ax = plot.plot_beds(RESULT)
    bars = _bars(ax)
    assert [b.get_height() for b in bars] == [2, 3, 2]
    assert bars[1].get_facecolor() != bars[0].get_facecolor()
    (cap,) = [ln for ln in ax.get_lines() if ln.get_label() == "capacity"]
    ys = list(cap.get_ydata())
    assert ys[:2] == [2, 2] and ys[2] != ys[2]  # NaN: no limit in November
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020-09", "2020-10", "2020-11"]


def test_beds_draws_on_the_given_axes() -> None:
    """``ax=`` is used and returned; no limit anywhere means no capacity line."""
    _, ax = plt.subplots()
    free = attrs.evolve(RESULT, beds_used=(BedUse(YearMonth(2020, 9), 1),))
    assert plot.plot_beds(free, ax=ax) is ax
    assert len(_bars(ax)) == 1 and not ax.get_lines()


def test_stays_gantt_one_bar_per_stay_on_its_host_row() -> None:
    """Bars span start..end in date numbers; rows are hosts when a problem is given."""
    problem = Problem(
        candidates=[MatchCandidate(c, "u") for c in ("c1", "c2", "c3")],
        positions=[
            MatchPosition("p1", "h-b", 1),
            MatchPosition("p2", "h-a", 1),
            MatchPosition("p3", "h-b", 1),
        ],
        options=[],
    )
    ax = plot.plot_stays(RESULT, problem)
    bars = _bars(ax)
    assert len(bars) == 3
    assert [t.get_text() for t in ax.get_yticklabels()] == ["h-a", "h-b"]
    assert len(ax.patches) == 4  # and the shading of the second row
    starts = {round(b.get_x()): b for b in bars}
    c2 = starts[round(mdates.date2num(date(2020, 10, 1)))]  # the only stay of h-a (row 0)
    assert c2.get_width() == pytest.approx(92)
    assert c2.get_y() > -0.5 and c2.get_y() + c2.get_height() < 0.5
    # c1 (Sep-Dec) and c3 (Sep-Nov) overlap at h-b (row 1): two lanes, no shared height
    hb = sorted((b for b in bars if b is not c2), key=lambda b: b.get_y())
    assert {round(b.get_width()) for b in hb} == {91, 61}
    assert all(0.5 < b.get_y() < 1.5 for b in hb)
    assert hb[0].get_y() + hb[0].get_height() <= hb[1].get_y()


def test_stays_that_follow_each_other_share_a_lane() -> None:
    """A stay that starts when another ends (half-open ranges) reuses its lane."""
    back_to_back = attrs.evolve(
        RESULT,
        assignments=(
            _stay("c1", "p1", date(2020, 9, 1), date(2020, 10, 1)),
            _stay("c2", "p1", date(2020, 10, 1), date(2020, 11, 1)),
        ),
    )
    bars = _bars(plot.plot_stays(back_to_back))
    assert len(bars) == 2 and bars[0].get_y() == bars[1].get_y()
    assert bars[0].get_height() == pytest.approx(0.72)
    by_pos = plot.plot_stays(RESULT, ax=plt.subplots()[1])
    assert [t.get_text() for t in by_pos.get_yticklabels()] == ["p1", "p2", "p3"]


def test_ranks_bars_with_counts() -> None:
    """One bar per rank, labelled #1, #3, with its count written on it."""
    ax = plot.plot_ranks(RESULT)
    assert [b.get_height() for b in _bars(ax)] == [2, 1]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["#1", "#3"]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2"]


def test_quotas_bars_and_bound_markers() -> None:
    """Placed per quota as bars; minimum and maximum markers at the resolved bounds."""
    stay = DateRange(date(2020, 9, 1), date(2020, 12, 1))
    problem = Problem(
        candidates=[
            MatchCandidate("c1", "nus"),
            MatchCandidate("c2", "ntu"),
            MatchCandidate("c3", "nus"),
        ],
        positions=[
            MatchPosition(p, "h", 1, fields={"ai"} if p != "p3" else set())
            for p in ("p1", "p2", "p3")
        ],
        options=[
            Option(c, p, stay.start, stay, Mode.ON_SITE, 1)
            for c, p in (("c1", "p1"), ("c2", "p2"), ("c3", "p3"))
        ],
        constraints=Constraints(
            quotas=(
                Quota(QuotaDimension.UNIVERSITY, "nus", maximum=Share("0.5")),
                Quota(QuotaDimension.FIELD, "ai", minimum=Count(1), maximum=Count(3)),
            )
        ),
    )
    ax = plot.plot_quotas(RESULT, problem)
    bars = _bars(ax)
    assert [b.get_width() for b in bars] == [2, 2]  # nus: c1, c3; ai: p1, p2
    assert bars[0].get_facecolor() != bars[1].get_facecolor()  # 2 > 50% of 3
    lines = {ln.get_label(): list(ln.get_xdata()) for ln in ax.get_lines()}
    assert lines["maximum"] == [1.5, 3.0]
    assert lines["minimum"][1] == 1.0 and lines["minimum"][0] != lines["minimum"][0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["university nus", "field ai"]


def test_budget_used_remaining_and_limit() -> None:
    """A used bar, a remaining bar after it, a line at the budget."""
    ax = plot.plot_budget(RESULT)
    used, rest = _bars(ax)
    assert used.get_width() == 750 and rest.get_x() == 750 and rest.get_width() == 250
    (limit,) = ax.get_lines()
    assert list(limit.get_xdata()) == [1000, 1000]
    with pytest.raises(ValueError, match="no costs"):
        plot.plot_budget(attrs.evolve(RESULT, budget_used=None))


@attrs.frozen
class _Event:
    """A stand-in with the attributes of sgcq.matching.progress.ProgressEvent."""

    stage: str
    elapsed: float
    placed: int | None = None
    objective: tuple[int, ...] | None = None
    bound: tuple[int, ...] | None = None
    gap: float | None = None
    message: str = ""


def test_progress_objective_and_bound_over_time() -> None:
    """Events without values are skipped; the level chosen is drawn against elapsed time."""
    events = [
        _Event("flow", 0.1, bound=(120, 900)),
        _Event("lagrangian", 0.5, objective=(80, 700), bound=(95, 850)),
        _Event("cp_sat", 1.0, message="started"),
        _Event("cp_sat", 2.0, objective=(90, 820), bound=(90, 829)),
    ]
    ax = plot.plot_progress(events)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert list(lines["objective"].get_xdata()) == [0.5, 2.0]
    assert list(lines["objective"].get_ydata()) == [80, 90]
    assert list(lines["bound"].get_xdata()) == [0.1, 0.5, 2.0]
    second = plot.plot_progress(events, level=1, ax=plt.subplots()[1])
    assert [list(ln.get_ydata()) for ln in second.get_lines()] == [[700, 820], [900, 850, 829]]
    assert plot.plot_progress([], ax=plt.subplots()[1]).get_lines() == []


def test_progress_of_a_real_solve() -> None:
    """The events of a real solve draw: one objective point per event that carries one."""
    from sgcq.matching import Problem, Settings, solve
    from sgcq.matching.progress import ProgressEvent
    from sgcq.scenarios import load_scenario

    events: list[ProgressEvent] = []
    problem = Problem.from_scenario(load_scenario("nus-ytp-2019"))
    settings = Settings(workers=1, seed=0, deterministic_time_limit=5.0, progress=events.append)
    solve(problem, settings)
    ax = plot.plot_progress(events)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    with_objective = [e for e in events if e.objective]
    assert with_objective, [e.stage for e in events]
    assert list(lines["objective"].get_xdata()) == [e.elapsed for e in with_objective]
    assert list(lines["objective"].get_ydata()) == [e.objective[0] for e in with_objective]


@attrs.frozen
class _Point:
    amount: float
    placed: int | None
    status: str


def test_frontier_steps_through_the_solved_points_and_marks_the_unproven() -> None:
    """Points in any order are drawn by amount; no solution is skipped; unproven are marked."""
    points = [
        _Point(70, 90, "optimal"),
        _Point(60, 84, "feasible"),
        _Point(50, None, "unknown"),
        _Point(65, 88, "optimal"),
    ]
    ax = plot.plot_frontier(points, resource="beds in 2020-12")
    (line,) = ax.get_lines()
    assert line.get_label() == "placed"
    assert list(line.get_xdata()) == [60, 65, 70]
    assert list(line.get_ydata()) == [84, 88, 90]
    (marks,) = ax.collections
    assert marks.get_offsets().tolist() == [[60.0, 84.0]]
    assert ax.get_xlabel() == "beds in 2020-12"
    assert plot.plot_frontier([], ax=plt.subplots()[1]).get_lines() == []


def test_frontier_of_a_real_sweep() -> None:
    """sgcq.planning.frontier's points draw as they are: placed rises with the beds."""
    from sgcq.matching import Problem, Settings
    from sgcq.planning import frontier
    from sgcq.scenarios import load_scenario

    problem = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
    settings = Settings(workers=1, seed=0, deterministic_time_limit=5.0)
    points, _ = frontier(problem, "beds", [40, 55, 70], month="2020-12", settings=settings)
    line = plot.plot_frontier(points).get_lines()[0]
    placed = [p.placed for p in points if p.placed is not None]
    assert list(line.get_ydata()) == placed and placed == sorted(placed)


def test_missing_matplotlib_names_the_extra() -> None:
    """Without matplotlib a plot raises MissingExtraError with the pip line."""
    code = (
        "import sys\n"
        "from sgcq import plot\n"
        "from sgcq.matching import Result, SolvePath, Status\n"
        "sys.modules['matplotlib'] = None\n"
        "sys.modules['matplotlib.pyplot'] = None\n"
        "try:\n"
        "    plot.plot_ranks(Result(Status.UNKNOWN, SolvePath.CP_SAT))\n"
        "except ImportError as e:\n"
        "    print(type(e).__name__, e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "MissingExtraError sgcq.plot needs matplotlib, which is not installed; "
        'install it with: pip install "sgcq[plot]"'
    )
