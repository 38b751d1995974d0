"""Verdicts and reasons: what a rule says, and why.

A rule evaluated for a subject as of a date returns a :class:`Verdict`:
ELIGIBLE, INELIGIBLE or UNDETERMINED (an input is missing, and which). Every
:class:`Reason` has a stable code, a message, the citation it rests on, and
the facts and parameter values it used, so a verdict can be explained and
audited without re-running the rule.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import attrs

from sgcq.models import Citation

__all__ = ["Fact", "Outcome", "Reason", "Verdict"]


class Outcome(str, Enum):
    """The possible outcomes of a rule.

    ``NOT_APPLICABLE`` is the outcome of a norm or an entitlement whose rule
    set is not in force on the date (not yet, or no longer): the rule does
    not apply, so it is neither met nor broken. Combinators treat it as
    neutral: it never makes :func:`~sgcq.rules.engine.combine_all` fail and
    never counts as an open alternative of
    :func:`~sgcq.rules.engine.combine_any`.
    """

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    UNDETERMINED = "undetermined"
    NOT_APPLICABLE = "not_applicable"


@attrs.frozen
class Fact:
    """A named value a rule used: an input fact or a parameter value.

    Values are kept as strings so that a verdict serializes losslessly
    whatever the value's type; ``kind`` says whether it was an input or a
    parameter.
    """

    name: str
    value: str
    kind: str = "input"


@attrs.frozen
class Reason:
    """Why a rule decided as it did.

    Parameters
    ----------
    code
        A stable, dotted identifier such as ``"visa.cn.s2.not_in_force"``;
        tests and applications match on it, never on the message.
    message
        A sentence for people.
    citation
        The source the rule rests on.
    facts
        The inputs and parameter values the decision used.
    """

    code: str
    message: str
    citation: Citation | None = None
    facts: tuple[Fact, ...] = ()


@attrs.frozen
class Verdict:
    """The outcome of a rule for one subject as of one date.

    Parameters
    ----------
    rule
        Id of the rule (or rule set) that decided.
    outcome
        ELIGIBLE, INELIGIBLE, UNDETERMINED or NOT_APPLICABLE.
    as_of
        The date the rule was evaluated at.
    reasons
        Why; an INELIGIBLE verdict always has at least one.
    missing
        For UNDETERMINED: the inputs that were missing (e.g. ``"date_of_birth"``).
    """

    rule: str
    outcome: Outcome
    as_of: date
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        """Whether the outcome is ELIGIBLE."""
        return self.outcome is Outcome.ELIGIBLE

    @property
    def codes(self) -> tuple[str, ...]:
        """The reason codes, in order."""
        return tuple(r.code for r in self.reasons)
