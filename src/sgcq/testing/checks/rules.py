"""Checks of rule verdicts users call in their tests: reasons cited, constancy, monotonicity.

Every check raises :class:`CheckError` (an :class:`AssertionError`, so pytest
shows it as a failed assertion) whose message names what was violated and the
numbers involved. :class:`CheckError` is also what the matching checks of
:mod:`sgcq.testing.checks.matching` raise.

Examples
--------
>>> from datetime import date
>>> from sgcq.rules import Outcome, Verdict
>>> assert_reasons_cited(Verdict("demo", Outcome.ELIGIBLE, date(2020, 1, 1)))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sgcq.errors import CheckError
from sgcq.rules.verdicts import Outcome, Verdict

__all__ = [
    "CheckError",
    "assert_constant_between",
    "assert_no_worse",
    "assert_reasons_cited",
]


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
    if verdict.outcome is Outcome.NOT_APPLICABLE and not verdict.reasons:
        problems.append(f"rule {verdict.rule}: NOT_APPLICABLE on {verdict.as_of} with no reason")
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


# NOT_APPLICABLE (a norm or entitlement off its dates) ranks with ELIGIBLE:
# nothing is against the candidate, and an extra input cannot change the dates.
_ORDER = {
    Outcome.INELIGIBLE: 0,
    Outcome.UNDETERMINED: 1,
    Outcome.ELIGIBLE: 2,
    Outcome.NOT_APPLICABLE: 2,
}


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
