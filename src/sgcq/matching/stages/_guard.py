"""Run CP-SAT so that a native abort cannot end the caller's process (internal).

CP-SAT is C++; a failed internal check (``Check failed: ...``) aborts the
whole process, and Python cannot catch it. OR-Tools 9.15 does this in
presolve on some second-level models that sgcq builds under
``Stability.MIN_BLOCKING`` (issue 19). Model shapes that can trigger it are
solved in a forked child process: the child solves the model it inherited and
sends back the response; if it dies, the solve is retried in a new child with
presolve off (which those models solve), and if that dies too a
:class:`~sgcq.errors.MatchingError` says so. The caller's process never dies.

On platforms without ``fork`` the guarded solves run in the process with
presolve off.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import pickle
import signal

import attrs
from ortools.sat.python import cp_model

from sgcq.errors import MatchingError

__all__ = ["Response", "solve_guarded", "solve_here"]

_log = logging.getLogger("sgcq.matching")

#: Exit code of a child that raised instead of answering (not an abort).
_RAISED = 70


@attrs.frozen
class Response:
    """What one CP-SAT solve answered, in plain values (as a child sends it back).

    Parameters
    ----------
    code
        CP-SAT's status code.
    objective, bound
        The objective value and best bound (as CP-SAT reports them).
    deterministic_time
        The deterministic time the solve used.
    solution
        The values of the first variables asked for (empty without a solution).
    info
        CP-SAT's solution info text.
    note
        What the guard did, if anything (a retry with presolve off).
    """

    code: int
    objective: float
    bound: float
    deterministic_time: float
    solution: tuple[int, ...]
    info: str
    note: str = ""


def solve_here(
    model: cp_model.CpModel,
    solver: cp_model.CpSolver,
    count: int,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> Response:
    """Solve in this process; return the response with the first ``count`` variables' values.

    ``callback`` (a solution callback) is called on every solution found.
    """
    code = int(solver.solve(model) if callback is None else solver.solve(model, callback))
    # Read from the response itself: every supported OR-Tools has these fields
    # (the solver's own properties for them changed names across releases).
    response = solver.response_proto
    values = response.solution
    solution = tuple(values[i] for i in range(count)) if len(values) else ()
    return Response(
        code,
        float(response.objective_value),
        float(response.best_objective_bound),
        float(response.deterministic_time),
        solution,
        str(response.solution_info),
    )


def _forked(model: cp_model.CpModel, solver: cp_model.CpSolver, count: int) -> Response | None:
    """Solve in a forked child; return its response, or ``None`` if the child died."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child; its outcome is tested
        try:
            os.close(read)
            # A Python traceback of the child's abort says nothing CP-SAT's
            # own message does not; the parent logs what happened.
            faulthandler.disable()
            data = pickle.dumps(solve_here(model, solver, count))
            with os.fdopen(write, "wb") as out:
                out.write(data)
        except BaseException:
            os._exit(_RAISED)
        os._exit(0)
    os.close(write)
    try:
        with os.fdopen(read, "rb") as src:
            data = src.read()
        _, status = os.waitpid(pid, 0)
        pid = 0
    finally:
        if pid:  # interrupted while waiting: do not leave the child running
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and data:
        response: Response = pickle.loads(data)
        return response
    if os.WIFSIGNALED(status):
        _log.warning(
            "CP-SAT died in a child process (signal %d); the caller's process is unharmed",
            os.WTERMSIG(status),
        )
    else:
        _log.warning("CP-SAT's child process ended with code %d", os.WEXITSTATUS(status))
    return None


def solve_guarded(model: cp_model.CpModel, solver: cp_model.CpSolver, count: int) -> Response:
    """Solve a model that can abort CP-SAT, without risking the caller's process.

    Parameters
    ----------
    model
        The model.
    solver
        The solver, with its parameters set.
    count
        How many variables' values to return (the first ``count``).

    Returns
    -------
    Response
        The response of the first attempt that answered.

    Raises
    ------
    MatchingError
        If CP-SAT died with presolve on and off.
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        solver.parameters.cp_model_presolve = False
        return attrs.evolve(
            solve_here(model, solver, count), note="presolve off (no fork on this platform)"
        )
    first = _forked(model, solver, count)
    if first is not None:
        return first
    solver.parameters.cp_model_presolve = False
    second = _forked(model, solver, count)
    if second is not None:
        return attrs.evolve(second, note="CP-SAT aborted with presolve on; solved with it off")
    raise MatchingError(
        "CP-SAT aborted (a native crash in the solver) with presolve on and off on this "
        "problem; the solve was isolated, so only it failed. Try another objective or "
        "Stability.STRICT, and report the problem to the sgcq developers."
    )
