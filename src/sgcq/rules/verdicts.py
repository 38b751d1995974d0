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

from sgcq.models import Citation, _html

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


@attrs.frozen(repr=False)
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

    Notes
    -----
    ``str(verdict)`` is the outcome with every reason, its message and its
    citation; the tree of every sub-rule's verdict is
    :func:`sgcq.rules.explain_option` (a :class:`~sgcq.rules.Trace`, whose
    ``str`` is that tree). In a notebook both show as HTML tables.
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

    def __repr__(self) -> str:
        codes = self.codes
        shown = ", ".join(codes[:4]) + (f", +{len(codes) - 4} more" if len(codes) > 4 else "")
        missing = f"; missing {', '.join(self.missing)}" if self.missing else ""
        return (
            f"<Verdict {self.rule} {self.outcome.value} as of {self.as_of}"
            + (f": {shown}" if codes else "")
            + f"{missing}>"
        )

    def __str__(self) -> str:
        lines = [f"{self.rule}: {self.outcome.value} as of {self.as_of}"]
        for r in self.reasons:
            cite = f" ({r.citation})" if r.citation is not None else ""
            lines.append(f"  - [{r.code}] {r.message}{cite}")
        if self.missing:
            lines.append(f"  missing inputs: {', '.join(self.missing)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Return the notebook view: the outcome, each reason with its citation, the missing."""
        return _html.view(
            "verdict",
            f"Verdict of {self.rule}: {self.outcome.value} as of {self.as_of}",
            _html.html_table(
                ("code", "message", "citation"),
                ((r.code, r.message, r.citation) for r in self.reasons),
                caption="Reasons",
            )
            if self.reasons
            else _html.note("no reasons given"),
            _html.note(f"missing inputs: {', '.join(self.missing)}") if self.missing else "",
        )
