"""Checks users call in their tests: rule properties and stability.

Every check raises :class:`CheckError` (an :class:`AssertionError`, so pytest
shows it as a failed assertion) whose message names what was violated and the
numbers involved. The checks use no solver and none of sgcq's matching code:
they are independent oracles.

Examples
--------
>>> from datetime import date
>>> from sgcq.rules import Outcome, Verdict
>>> assert_reasons_cited(Verdict("demo", Outcome.ELIGIBLE, date(2020, 1, 1)))
>>> blocking_pairs(
...     candidate_ranks={"c1": {"p1": 1}, "c2": {"p1": 1}},
...     position_ranks={"p1": {"c1": 1, "c2": 2}},
...     capacities={"p1": 1},
...     assignment={"c1": None, "c2": "p1"},
... )
(BlockingPair(candidate='c1', position='p1', reason='p1 prefers c1 (rank 1) to c2 (rank 2)'),)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

import attrs

from sgcq.models import SgcqError
from sgcq.rules.verdicts import Outcome, Verdict

__all__ = [
    "BlockingPair",
    "CheckError",
    "assert_constant_between",
    "assert_no_worse",
    "assert_reasons_cited",
    "assert_stable",
    "blocking_pairs",
]


class CheckError(SgcqError, AssertionError):
    """A check found a violation; the message names it and its numbers.

    Parameters
    ----------
    violations
        One line per violation.
    """

    def __init__(self, violations: Iterable[str]) -> None:
        self.violations: tuple[str, ...] = tuple(violations)
        if len(self.violations) == 1:
            text = self.violations[0]
        else:
            text = f"{len(self.violations)} violations:\n" + "\n".join(
                f"  - {v}" for v in self.violations
            )
        super().__init__(text)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.violations,))


# --- rule properties ---------------------------------------------------------


def assert_reasons_cited(verdict: Verdict) -> None:
    """Check that an INELIGIBLE verdict has reasons and that every reason is cited.

    Raises
    ------
    CheckError
        Naming the rule and the uncited reason codes.
    """
    problems: list[str] = []
    if verdict.outcome is Outcome.INELIGIBLE and not verdict.reasons:
        problems.append(f"rule {verdict.rule}: INELIGIBLE on {verdict.as_of} with no reason")
    if verdict.outcome is Outcome.UNDETERMINED and not verdict.missing:
        problems.append(
            f"rule {verdict.rule}: UNDETERMINED on {verdict.as_of} without naming the missing input"
        )
    for reason in verdict.reasons:
        if reason.citation is None:
            problems.append(f"rule {verdict.rule}: reason {reason.code} has no citation")
    if problems:
        raise CheckError(problems)


def _signature(verdict: Verdict) -> tuple[Outcome, tuple[str, ...]]:
    return verdict.outcome, tuple(sorted(verdict.codes))


def assert_constant_between(evaluate: Callable[[date], Verdict], days: Iterable[date]) -> None:
    """Check that a rule gives the same outcome and reason codes on every day given.

    Use it with the days between two consecutive effective dates of the rule's
    parameters: nothing changes there, so neither may the verdict.

    Parameters
    ----------
    evaluate
        Evaluates the rule as of a date.
    days
        The days to compare; at least one.

    Raises
    ------
    CheckError
        Naming the first day that differs and both verdicts.
    """
    first: tuple[date, tuple[Outcome, tuple[str, ...]]] | None = None
    for day in days:
        sig = _signature(evaluate(day))
        if first is None:
            first = (day, sig)
        elif sig != first[1]:
            raise CheckError(
                [
                    f"verdict changed between {first[0]} ({first[1][0].value} {list(first[1][1])}) "
                    f"and {day} ({sig[0].value} {list(sig[1])}) with no effective date between"
                ]
            )
    if first is None:
        raise ValueError("give at least one day")


_ORDER = {Outcome.INELIGIBLE: 0, Outcome.UNDETERMINED: 1, Outcome.ELIGIBLE: 2}


def assert_no_worse(before: Verdict, after: Verdict, *, change: str = "the change") -> None:
    """Check monotonicity: ``after`` (with more documents or facts) is not worse than ``before``.

    The order is INELIGIBLE < UNDETERMINED < ELIGIBLE. Supplying a missing
    document, for example, must never turn ELIGIBLE into INELIGIBLE.

    Parameters
    ----------
    before, after
        Verdicts without and with the extra input.
    change
        Words for the extra input, used in the message.

    Raises
    ------
    CheckError
        If the outcome got worse.
    """
    if _ORDER[after.outcome] < _ORDER[before.outcome]:
        raise CheckError(
            [
                f"rule {after.rule}: {change} turned {before.outcome.value} into "
                f"{after.outcome.value} (reasons: {', '.join(after.codes) or 'none'})"
            ]
        )


# --- stability -----------------------------------------------------------------


@attrs.frozen
class BlockingPair:
    """A candidate and a position that would both rather be matched to each other.

    Parameters
    ----------
    candidate, position
        The pair.
    reason
        Why the position would take the candidate: a free seat, or the
        assigned candidate it prefers less.
    """

    candidate: str
    position: str
    reason: str


def blocking_pairs(
    candidate_ranks: Mapping[str, Mapping[str, int]],
    position_ranks: Mapping[str, Mapping[str, int] | None],
    capacities: Mapping[str, int],
    assignment: Mapping[str, str | None],
    *,
    eligible: Callable[[str, str], bool] | None = None,
) -> tuple[BlockingPair, ...]:
    """List the blocking pairs of an assignment under weak stability.

    A pair ``(c, p)`` blocks when ``c`` ranks ``p``, ``p`` finds ``c``
    acceptable, ``c`` strictly prefers ``p`` to its assignment (or is
    unassigned), and ``p`` has a free seat or strictly prefers ``c`` to one of
    its assigned candidates. Ties never block (weak stability). A position
    with no ranking (``None``) finds every candidate who ranked it acceptable
    and indifferent, so it blocks only with a free seat.

    Parameters
    ----------
    candidate_ranks
        Per candidate, ranks over positions (1 best; unranked = unacceptable).
    position_ranks
        Per position, ranks over candidates, or ``None`` for no ranking.
    capacities
        Seats per position.
    assignment
        Per candidate, the assigned position or ``None``. Every candidate of
        ``candidate_ranks`` must appear.
    eligible
        If given, only pairs for which it returns true can block (a pair the
        rules forbid cannot be matched, so it cannot block).

    Returns
    -------
    tuple of BlockingPair
        Sorted by candidate then position.
    """
    missing = sorted(set(candidate_ranks) - set(assignment))
    if missing:
        raise ValueError(f"assignment has no entry for candidates {missing[:5]}")
    holders: dict[str, list[str]] = {}
    for c, p in assignment.items():
        if p is not None:
            holders.setdefault(p, []).append(c)
    out: list[BlockingPair] = []
    for c in sorted(candidate_ranks):
        ranks = candidate_ranks[c]
        current = assignment[c]
        current_rank = ranks.get(current) if current is not None else None
        for p in sorted(ranks):
            r = ranks[p]
            if p == current or (current_rank is not None and r >= current_rank):
                continue
            if eligible is not None and not eligible(c, p):
                continue
            prefs = position_ranks.get(p)
            if prefs is not None and c not in prefs:
                continue
            taken = holders.get(p, [])
            if len(taken) < capacities.get(p, 0):
                out.append(BlockingPair(c, p, f"{p} has a free seat"))
                continue
            if prefs is None:
                continue
            worst = max(taken, key=lambda x: (prefs.get(x, 10**9), x), default=None)
            if worst is not None and prefs[c] < prefs.get(worst, 10**9):
                out.append(
                    BlockingPair(
                        c,
                        p,
                        f"{p} prefers {c} (rank {prefs[c]}) to {worst} "
                        f"(rank {prefs.get(worst, 'unranked')})",
                    )
                )
    return tuple(out)


def assert_stable(
    candidate_ranks: Mapping[str, Mapping[str, int]],
    position_ranks: Mapping[str, Mapping[str, int] | None],
    capacities: Mapping[str, int],
    assignment: Mapping[str, str | None],
    *,
    eligible: Callable[[str, str], bool] | None = None,
) -> None:
    """Check that an assignment has no blocking pair; see :func:`blocking_pairs`.

    Raises
    ------
    CheckError
        Listing every blocking pair and why it blocks.
    """
    pairs = blocking_pairs(
        candidate_ranks, position_ranks, capacities, assignment, eligible=eligible
    )
    if pairs:
        raise CheckError(f"blocking pair {b.candidate}-{b.position}: {b.reason}" for b in pairs)
