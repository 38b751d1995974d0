"""Progress events and stopping a solve: events never change the result."""

from __future__ import annotations

import importlib.metadata

import attrs
import pytest
from hypothesis import given, settings

from sgcq.matching import Problem, Settings, SolvePath, Status, solve
from sgcq.matching.progress import ProgressEvent, ProgressPrinter
from sgcq.scenarios import load_scenario
from sgcq.serialization import dumps_json, loads_json
from sgcq.testing.strategies import problems

BASE = Settings(workers=1, seed=0, deterministic_time_limit=20.0)
_ORTOOLS = tuple(int(x) for x in importlib.metadata.version("ortools").split(".")[:2])


@pytest.fixture(scope="module")
def ntu() -> Problem:
    """The NTU cohort: quotas, beds and budget, so the Lagrangian stage and CP-SAT run."""
    return Problem.from_scenario(load_scenario("ntu-ydpg-2020"))


@pytest.fixture(scope="module")
def nus() -> Problem:
    """The NUS cohort: a pure assignment that min-cost flow solves."""
    return Problem.from_scenario(load_scenario("nus-ytp-2019"))


def test_events_do_not_change_the_result(ntu: Problem) -> None:
    """Solved with and without a callback: the same placements, levels and status."""
    events: list[ProgressEvent] = []
    plain = solve(ntu, BASE)
    watched = solve(ntu, attrs.evolve(BASE, progress=events.append))
    assert watched.status is plain.status
    assert watched.levels == plain.levels
    if _ORTOOLS >= (9, 11):
        # OR-Tools 9.10 can return another optimal assignment of the same
        # value on a second identical solve in one process, callback or not
        # (seen with some PYTHONHASHSEED values); from 9.11 it repeats exactly.
        assert watched.as_mapping() == plain.as_mapping()
    stages = [e.stage for e in events]
    assert stages[0] == "start" and stages[-1] == "done"
    # AUTO on the NTU cohort: the relaxation, then the MIP stage proves it.
    assert "lagrangian" in stages and "mip" in stages and "cp_sat" not in stages
    mip = [e for e in events if e.stage == "mip"]
    assert all(e.placed is not None and e.objective and e.bound for e in mip)
    assert all(isinstance(e, ProgressEvent) and e.elapsed >= 0 for e in events)


def test_cp_sat_events_do_not_change_the_result(ntu: Problem) -> None:
    """Forced CP-SAT, with and without a callback: the same levels; CP-SAT sends its events."""
    forced = attrs.evolve(BASE, path=SolvePath.CP_SAT)
    events: list[ProgressEvent] = []
    plain = solve(ntu, forced)
    watched = solve(ntu, attrs.evolve(forced, progress=events.append))
    assert watched.status is plain.status and watched.levels == plain.levels
    stages = [e.stage for e in events]
    assert "lagrangian" in stages and "cp_sat" in stages and "mip" not in stages
    cp = [e for e in events if e.stage == "cp_sat"]
    assert all(e.placed is not None and e.objective and e.bound for e in cp)


def test_flow_path_reports_its_stage(nus: Problem) -> None:
    """The flow path sends start, flow and done."""
    events: list[ProgressEvent] = []
    result = solve(nus, attrs.evolve(BASE, progress=events.append))
    assert result.status is Status.OPTIMAL
    assert [e.stage for e in events] == ["start", "flow", "done"]
    assert events[1].placed == result.placed


def test_stop_after_the_first_cp_sat_solution_is_feasible_with_a_gap(ntu: Problem) -> None:
    """A callback returning True on the first CP-SAT solution ends the solve: FEASIBLE, a gap."""
    seen: list[ProgressEvent] = []

    def stop(event: ProgressEvent) -> bool:
        seen.append(event)
        return event.stage == "cp_sat"

    result = solve(ntu, attrs.evolve(BASE, path=SolvePath.CP_SAT, progress=stop))
    assert result.status is Status.FEASIBLE
    assert result.gap is not None and result.gap > 0
    assert "stopped by the progress callback" in result.message
    assert not result.interrupted
    assert sum(1 for e in seen if e.stage == "cp_sat") == 1


def test_settings_with_a_callback_serialize_without_it() -> None:
    """The callback is left out of documents and of equality; a document naming it is refused."""
    s = attrs.evolve(BASE, progress=print)
    text = dumps_json(s)
    assert "progress" not in text
    assert loads_json(text, Settings) == s
    with pytest.raises(Exception, match="progress"):
        loads_json(text.replace('"seed"', '"progress": 1, "seed"'), Settings)
    with pytest.raises(Exception, match="progress"):
        Settings.from_dict({"progress": "x"})
    with pytest.raises(Exception, match="callable"):
        Settings(progress=3)  # type: ignore[arg-type]


def test_printer_writes_one_line_per_event(nus: Problem) -> None:
    """The default printer writes a line for every event."""
    import io

    stream = io.StringIO()
    solve(nus, attrs.evolve(BASE, progress=ProgressPrinter(stream)))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and "flow" in lines[1] and "placed 19" in lines[1]


INTERRUPTED = r"""
import os, signal, sys
import attrs
from sgcq.matching import Problem, Settings, SolvePath, solve
from sgcq.scenarios import load_scenario

problem = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
sent = []

def on_event(event):
    # A real SIGINT, sent when CP-SAT reports its first solution (as a user's Ctrl-C).
    if event.stage == "cp_sat" and not sent:
        sent.append(1)
        os.kill(os.getpid(), signal.SIGINT)

settings = Settings(workers=1, seed=0, deterministic_time_limit=60.0, path=SolvePath.CP_SAT,
                    progress=on_event)
result = solve(problem, settings)
gapped = result.gap is not None and result.gap > 0
print(result.status.value, result.interrupted, result.placed, gapped)
print(result.message)
"""


def test_ctrl_c_during_cp_sat_returns_the_best_solution() -> None:
    """SIGINT during CP-SAT stops the search: FEASIBLE with a gap, marked interrupted."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    first, message = done.stdout.splitlines()[:2]
    status, interrupted, placed, gap = first.split()
    assert (status, interrupted, gap) == ("feasible", "True", "True")
    assert int(placed) > 0
    assert "interrupted (Ctrl-C)" in message


OUTSIDE_CP_SAT = r"""
import os, signal, sys
from sgcq.matching import Problem, Settings, solve
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import check_result

problem = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))


def interrupt_at(stage):
    sent = []

    def on_event(event):
        # A real SIGINT from the first event of ``stage`` (as a user's Ctrl-C).
        if event.stage == stage and not sent:
            sent.append(1)
            os.kill(os.getpid(), signal.SIGINT)

    return Settings(workers=1, seed=0, deterministic_time_limit=60.0, progress=on_event)


def report(result):
    check_result(problem, result)  # raises on any broken constraint or untrue explanation
    gapped = result.gap is not None and result.gap > 0
    print(result.status.value, result.interrupted, result.placed, gapped, "|", result.message)


during = solve(problem, interrupt_at("lagrangian"))
report(during)
# Ctrl-C before any stage ran: the warm start is the best solution known.
report(solve(problem, interrupt_at("start"), start=during))
# ... and without one there is nothing to return.
report(solve(problem, interrupt_at("start")))
"""


def test_ctrl_c_outside_cp_sat_returns_the_best_solution_so_far() -> None:
    """SIGINT in the Lagrangian stage returns its best solution: FEASIBLE, gap, interrupted.

    Before any stage, the warm start is returned when one is given; without
    it the result is UNKNOWN. Every result passes the independent checks.
    """
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", OUTSIDE_CP_SAT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    rows = [line.split(" | ") for line in done.stdout.splitlines()]
    assert len(rows) == 3, done.stdout
    (lagrangian, m1), (warm, m2), (none, m3) = rows
    assert lagrangian.split()[:2] == ["feasible", "True"] and lagrangian.split()[3] == "True"
    assert int(lagrangian.split()[2]) > 0
    assert "best solution found so far (the Lagrangian stage)" in m1
    assert "interrupted (Ctrl-C)" in m1
    assert warm.split()[:2] == ["feasible", "True"]
    assert warm.split()[2] == lagrangian.split()[2]
    assert "(the warm start)" in m2
    assert none.split()[:3] == ["unknown", "True", "0"]
    assert "interrupted (Ctrl-C)" in m3


@settings(max_examples=15, deadline=None)
@given(problem=problems(max_candidates=6, max_positions=3, starts=2, side_constraints=True))
def test_events_never_change_the_result_on_any_problem(problem: Problem) -> None:
    """On random side-constrained problems, a listening callback changes nothing."""
    events: list[ProgressEvent] = []
    plain = solve(problem, BASE)
    watched = solve(problem, attrs.evolve(BASE, progress=events.append))
    assert (watched.status, watched.as_mapping(), watched.levels) == (
        plain.status,
        plain.as_mapping(),
        plain.levels,
    )
    assert events[0].stage == "start" and events[-1].stage == "done"


HANDLER_KEPT = r"""
import signal
from sgcq.matching import Problem, Settings, SolvePath, solve
from sgcq.scenarios import load_scenario

def mine(signum, frame):
    pass

signal.signal(signal.SIGINT, mine)
problem = Problem.from_scenario(load_scenario("ntu-ydpg-2020"))
solve(problem, Settings(workers=1, seed=0, deterministic_time_limit=2.0, path=SolvePath.CP_SAT))
print(signal.getsignal(signal.SIGINT) is mine)
"""


def test_cp_sat_restores_the_previous_sigint_handler() -> None:
    """After a CP-SAT solve the caller's own SIGINT handler is in place again.

    A guard: the CP-SAT stage switches OR-Tools' handler off, and so does
    conflict isolation's solver (``_conflicts``).
    """
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", HANDLER_KEPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "True"


def test_ctrl_c_while_the_result_is_built_keeps_cp_sat_s_solution(
    ntu: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``KeyboardInterrupt`` after CP-SAT returned, while its result is built, keeps its solution.

    The result is CP-SAT's assignment with CP-SAT's levels (not the
    Lagrangian stage's greedy), marked interrupted, and passes the
    independent checks.
    """
    import importlib

    from sgcq.testing.checks import check_result

    # The module, not the function ``sgcq.matching.solve`` that shadows it.
    solve_module = importlib.import_module("sgcq.matching.solve")

    real = solve_module.build_result
    given: list[list[int]] = []

    def interrupted_once(ix, chosen, status, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not given and chosen is not None and status is not Status.UNKNOWN:
            given.append(list(chosen))
            raise KeyboardInterrupt  # Ctrl-C while the result of CP-SAT's solution is built
        return real(ix, chosen, status, *args, **kwargs)

    monkeypatch.setattr(solve_module, "build_result", interrupted_once)
    settings = attrs.evolve(BASE, path=SolvePath.CP_SAT)
    result = solve(ntu, settings)
    monkeypatch.undo()
    plain = solve(ntu, settings)
    assert given, "CP-SAT's result was never built"
    assert result.interrupted
    assert "best solution found so far (CP-SAT)" in result.message
    assert "interrupted (Ctrl-C)" in result.message
    assert result.status is plain.status  # proven optimal before the interrupt
    assert [lv.value for lv in result.levels] == [lv.value for lv in plain.levels]
    assert [lv.bound for lv in result.levels] == [lv.bound for lv in plain.levels]
    assert result.placed == sum(1 for c in given[0] if c >= 0)
    check_result(ntu, result)
