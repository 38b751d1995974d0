"""Helpers for the matching tests, on top of :mod:`sgcq.testing` (no private checkers).

Problems come from :func:`sgcq.testing.strategies.problems`; constraint checks
from :func:`sgcq.testing.checks.constraint_violations`, which use only the
public data of a :class:`Problem` and no solver.
"""

from __future__ import annotations

from datetime import date

from sgcq.matching import Option, Problem, Result, Settings
from sgcq.testing.checks import constraint_violations

#: Solver settings for tests: one worker, fixed seed, deterministic limit.
TEST_SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=20.0)


def option_of(problem: Problem, candidate: str, position: str, start: date) -> Option:
    """Return the option a placement uses."""
    for o in problem.options:
        if (o.candidate, o.position, o.start) == (candidate, position, start):
            return o
    raise AssertionError(f"no option {candidate} {position} {start}")


def placed_options(problem: Problem, result: Result) -> list[Option]:
    """Return the options the result's placements use."""
    return [option_of(problem, a.candidate, a.position, a.start) for a in result.assignments]


def broken_constraints(problem: Problem, placed: list[Option]) -> set[tuple[str, str | None]]:
    """Return ``(constraint, subject)`` for every constraint the placements break."""
    return {(v.constraint, v.subject) for v in constraint_violations(problem, placed)}
