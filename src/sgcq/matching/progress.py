"""Progress of a solve as typed events, and stopping it early.

``Settings(progress=callback)`` hands the callback a :class:`ProgressEvent`
from every stage: the path chosen, each min-cost flow or deferred
acceptance run, each evaluation of the Lagrangian relaxation, every
solution CP-SAT finds (through a solution callback) and each objective
level group it closes, and the end. The callback returns ``True`` to stop
the solve: the best solution found so far is returned, with status
``FEASIBLE`` and its gap (``UNKNOWN`` if there is none yet). A
``KeyboardInterrupt`` (Ctrl-C) during a solve does the same, and the
result's :attr:`~sgcq.matching.Result.interrupted` is set.

Events never change the result: they are read-only reports (a test solves
with and without a callback and compares).

:class:`ProgressPrinter` is the default consumer: one line per event,
written to a stream (``sgcq match --progress`` prints to standard error).

Examples
--------
>>> import io
>>> printer = ProgressPrinter(io.StringIO())
>>> printer(ProgressEvent("cp_sat", 0.5, placed=3, objective=(3, 12), bound=(4, 20), gap=0.25))
>>> print(printer.stream.getvalue(), end="")
[   0.50 s] cp_sat: placed 3; objective 3, 12; bound 4, 20; gap 25.00%
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

import attrs

__all__ = ["ProgressCallback", "ProgressEvent", "ProgressPrinter", "Tracker"]


@attrs.frozen
class ProgressEvent:
    """One report of a solve's progress.

    Parameters
    ----------
    stage
        Where it comes from: ``"start"``, ``"flow"``, ``"deferred_acceptance"``,
        ``"lagrangian"``, ``"cp_sat"``, ``"done"``.
    elapsed
        Seconds since the solve started.
    placed
        Candidates placed in the current solution, if there is one.
    objective
        The solution's objective levels (or the stage's own objective, for
        CP-SAT the folded score of the level group being solved).
    bound
        The best bound known for the same levels, if any.
    gap
        The relative gap between ``objective`` and ``bound`` on the first
        level, if both are known.
    message
        A short sentence for people.
    """

    stage: str
    elapsed: float
    placed: int | None = None
    objective: tuple[int, ...] | None = None
    bound: tuple[int, ...] | None = None
    gap: float | None = None
    message: str = ""


#: A progress callback: return ``True`` to stop the solve (anything else goes on).
ProgressCallback = Callable[[ProgressEvent], "bool | None"]


def _gap(objective: tuple[int, ...] | None, bound: tuple[int, ...] | None) -> float | None:
    if not objective or not bound:
        return None
    return abs(bound[0] - objective[0]) / max(1, abs(bound[0]))


class Tracker:
    """Sends events to a callback and remembers whether the solve should stop (internal).

    Parameters
    ----------
    callback
        The user's callback, or ``None`` (events are then not built at all).
    started
        The ``time.perf_counter()`` reading the solve started at.
    """

    def __init__(self, callback: ProgressCallback | None, started: float) -> None:
        self.callback = callback
        self.started = started
        #: Whether the callback asked to stop.
        self.stopped = False
        #: Whether Ctrl-C stopped the solve.
        self.interrupted = False

    @property
    def active(self) -> bool:
        """Whether anyone listens."""
        return self.callback is not None

    def emit(
        self,
        stage: str,
        *,
        placed: int | None = None,
        objective: tuple[int, ...] | None = None,
        bound: tuple[int, ...] | None = None,
        message: str = "",
    ) -> bool:
        """Send one event; return whether the solve should stop."""
        if self.callback is not None and not self.stopped:
            event = ProgressEvent(
                stage,
                time.perf_counter() - self.started,
                placed,
                objective,
                bound,
                _gap(objective, bound),
                message,
            )
            if self.callback(event) is True:
                self.stopped = True
        return self.stopped or self.interrupted

    @property
    def halted(self) -> bool:
        """Whether the solve should stop (asked for, or interrupted)."""
        return self.stopped or self.interrupted

    def reason(self) -> str:
        """Return why the solve stopped early, as a phrase."""
        if self.interrupted:
            return "interrupted (Ctrl-C)"
        return "stopped by the progress callback"


class ProgressPrinter:
    """A progress callback that writes one line per event.

    Parameters
    ----------
    stream
        Where to write (flushed after each line).
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, event: ProgressEvent) -> None:
        """Write ``event`` as one line."""
        parts = [f"[{event.elapsed:7.2f} s] {event.stage}"]
        details = []
        if event.placed is not None:
            details.append(f"placed {event.placed}")
        if event.objective is not None:
            details.append("objective " + ", ".join(map(str, event.objective)))
        if event.bound is not None:
            details.append("bound " + ", ".join(map(str, event.bound)))
        if event.gap is not None:
            details.append(f"gap {event.gap:.2%}")
        if event.message:
            details.append(event.message)
        line = parts[0] + (": " + "; ".join(details) if details else "")
        self.stream.write(line + "\n")
        self.stream.flush()
