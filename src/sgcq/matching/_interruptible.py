"""Run a native solve so that Ctrl-C in the caller stops it at once (private).

CP-SAT's search is C++: while it runs in the calling thread, Python's SIGINT
handler only sets a flag, and the ``KeyboardInterrupt`` comes when the solve
ends (with OR-Tools' own handler switched off, which sgcq does so that the
caller's handler stays in place). :func:`run_interruptibly` runs the solve in
a worker thread while the caller waits interruptibly; on Ctrl-C it asks the
solver to stop (``CpSolver.stop_search``), which ends the search within
moments, and then either returns the solve's answer or re-raises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["run_interruptibly"]

T = TypeVar("T")


def run_interruptibly(
    work: Callable[[], T], on_interrupt: Callable[[], bool], *, name: str = "sgcq-cp-sat"
) -> T:
    """Return ``work()``, run in a worker thread; Ctrl-C meanwhile calls ``on_interrupt``.

    Parameters
    ----------
    work
        The solve (it must stop soon once ``on_interrupt`` has asked it to).
    on_interrupt
        Called in the caller's thread on each ``KeyboardInterrupt`` while
        ``work`` runs; it stops the search and returns whether the answer of
        ``work`` is still wanted (``True``: it is returned) or the interrupt
        is to be raised once ``work`` has ended (``False``).
    name
        The worker thread's name.

    Returns
    -------
    object
        What ``work`` returned.

    Raises
    ------
    KeyboardInterrupt
        After ``work`` has ended, when ``on_interrupt`` returned ``False``.
    BaseException
        Whatever ``work`` raised, in the caller's thread.
    """
    box: list[T] = []
    failed: list[BaseException] = []
    finished = threading.Event()

    def target() -> None:
        try:
            box.append(work())
        except BaseException as exc:  # handed to the caller's thread
            failed.append(exc)
        finally:
            finished.set()

    # Waited for through an Event: an interrupted Thread.join() can leave the
    # thread marked as stopped while it still runs (CPython before 3.13).
    worker = threading.Thread(target=target, name=name, daemon=True)
    worker.start()
    wanted = True
    while not finished.is_set():
        try:
            finished.wait(0.05)
        except KeyboardInterrupt:
            wanted = on_interrupt() and wanted
    worker.join()
    if failed:
        raise failed[0]
    if not wanted:
        raise KeyboardInterrupt
    return box[0]
