"""A readable report of a result, for the command line and for people.

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
>>> print(render_report(solve(problem), problem, explanations=1))  # doctest: +ELLIPSIS
Matching report
...
Unplaced (1):
  c2: not placed
    - p1 from 2020-09-01: p1's 1 seat taken by c1 (the host does not rank candidates)
"""

from __future__ import annotations

from sgcq.matching.problem import Problem
from sgcq.matching.result import Result

__all__ = ["render_report"]


def render_report(
    result: Result, problem: Problem, *, explanations: int = 5, reasons: int = 4
) -> str:
    """Return a multi-line report of ``result`` for ``problem``.

    Parameters
    ----------
    result
        The result.
    problem
        The problem it solves (for sizes and capacities).
    explanations
        How many unplaced candidates to explain.
    reasons
        How many reasons to show per explained candidate.

    Returns
    -------
    str
        Sections: problem, outcome and objective levels, placements per rank,
        beds by month against capacity, budget, unplaced candidates with
        their reasons.
    """
    lines = ["Matching report", "", problem.summary(), "", result.summary()]
    if not result.status.has_solution:
        return "\n".join(lines)
    total = len(problem.candidates)
    lines += ["", f"Placed {result.placed} of {total} candidates"]
    if result.rank_distribution:
        lines.append("Rank distribution (candidate's rank of the position):")
        width = max(r.count for r in result.rank_distribution)
        for r in result.rank_distribution:
            label = "unranked" if r.rank is None else f"rank {r.rank}"
            bar = "#" * max(1, round(30 * r.count / width))
            lines.append(f"  {label:>9}: {r.count:>6} {bar}")
    if result.beds_used:
        lines.append("Beds by month (used / capacity):")
        for b in result.beds_used:
            cap = "no limit" if b.capacity is None else str(b.capacity)
            full = " FULL" if b.capacity is not None and b.used >= b.capacity else ""
            lines.append(f"  {b.month}: {b.used:>6} / {cap}{full}")
    if result.budget_used is not None:
        limit = f" of {result.budget}" if result.budget is not None else ""
        lines.append(f"Allowance budget used: {result.budget_used}{limit}")
    if result.blocking_pairs:
        lines.append(f"Blocking pairs: {len(result.blocking_pairs)}")
        for bp in result.blocking_pairs[:3]:
            lines.append(f"  {bp.candidate}-{bp.position}: {bp.reason}")
    lines += ["", f"Unplaced ({len(result.unplaced)}):"]
    for e in result.unplaced[:explanations]:
        text = e.describe().splitlines()
        lines.extend("  " + t for t in text[: reasons + 1])
        if len(text) > reasons + 1:
            lines.append(f"      ... {len(text) - reasons - 1} more reasons")
    if len(result.unplaced) > explanations:
        lines.append(f"  ... and {len(result.unplaced) - explanations} more")
    return "\n".join(lines)
