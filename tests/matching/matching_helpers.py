"""Helpers for the matching tests, on top of :mod:`sgcq.testing` (no private checkers).

Problems come from :func:`sgcq.testing.strategies.problems`; constraint checks
from :func:`sgcq.testing.checks.constraint_violations`, which use only the
public data of a :class:`Problem` and no solver.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sgcq.matching import Objective, Option, Problem, Result, Settings
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


def objective_value(problem: Problem, placed: Sequence[Option], objective: Objective) -> int:
    """A level's value from the problem's data (no solver index), as Objective documents it.

    COST is in cents (the tests price in SGD); BLOCKING_PAIRS and DISRUPTION
    are not computed here.
    """
    worst_c = max(max((o.candidate_rank or 0 for o in problem.options), default=0), 1)
    worst_p = max(max((o.position_rank or 0 for o in problem.options), default=0), 1)
    priority = {c.id: c.priority for c in problem.candidates}
    if objective is Objective.PLACED:
        return len(placed)
    if objective is Objective.PRIORITY_PLACED:
        return sum(priority[o.candidate] for o in placed)
    if objective is Objective.CANDIDATE_WELFARE:
        return sum(worst_c + 1 - (o.candidate_rank or worst_c) for o in placed)
    if objective is Objective.POSITION_WELFARE:
        return sum(worst_p + 1 - (o.position_rank or worst_p) for o in placed)
    if objective is Objective.COST:
        return sum(int(o.cost.amount * 100) for o in placed if o.cost is not None)
    raise AssertionError(f"no brute-force value for {objective.value}")
