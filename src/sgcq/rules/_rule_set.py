"""Rule sets: named bodies of rules, in force over the dates a parameter gives.

A :class:`RuleSet` is one body of rules (a visa route, placement
feasibility, the housing cover...) with an id, a kind and, for visa routes,
the destination country. Its effective dates are not written in code: they
are the value history of the boolean parameter named by ``in_force``. A rule
set is itself a rule: evaluating it first checks that it is in force as of the
context's date, then evaluates its rule. Off its dates it gives the reason
``<id>.not_in_force`` or ``<id>.repealed``, with the evaluation date, the
in-force (or repeal) date and the parameter's value as facts; the outcome is
NOT_APPLICABLE for norms and entitlements (they do not apply) and INELIGIBLE
for visa routes, exemptions and feasibility rules (they give nothing).

Private: both classes are public as :mod:`sgcq.rules.book` (and
:mod:`sgcq.rules`) names. They live below the book so that the default rule
sets (:mod:`sgcq.rules.defaults`) can be built from them and the book can
import the defaults, with no import running back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import Enum

import attrs

from sgcq.models import ProgrammeKind
from sgcq.rules.engine import AllOf, Context, Rule, Trace, combine_all, replace_rule
from sgcq.rules.parameters import ParameterSet, Value
from sgcq.rules.verdicts import Fact, Outcome, Reason, Verdict

__all__ = ["RuleSet", "RuleSetKind"]


def _shown(value: Value | None) -> str:
    if value is None:
        return "repealed"
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _kinds(value: Iterable[ProgrammeKind]) -> frozenset[ProgrammeKind]:
    return frozenset(value)


class RuleSetKind(str, Enum):
    """What a rule set decides."""

    VISA_ROUTE = "visa_route"
    VISA_EXEMPTION = "visa_exemption"
    FEASIBILITY = "feasibility"
    ENTITLEMENT = "entitlement"
    NORM = "norm"


@attrs.frozen
class RuleSet:
    """A named body of rules, in force over the dates its parameter gives.

    Parameters
    ----------
    id
        Stable id, e.g. ``"visa.cn.s2"``; reason codes start with it.
    title
        A short name for people.
    kind
        What it decides.
    rule
        The rule evaluated when the set is in force.
    in_force
        Name of a boolean parameter whose history is the set's effective
        dates: in force where the value is true.
    country
        For visa routes and exemptions: the destination country (ISO code).
    description
        What the set encodes.
    kinds
        The programme kinds the set applies to (``Context.kind``); empty
        means every kind. For any other kind the set is NOT_APPLICABLE with
        the reason ``<id>.not_for_kind``, so a job is never assessed against
        a student route.
    """

    id: str
    title: str
    kind: RuleSetKind
    rule: Rule
    in_force: str
    country: str | None = None
    description: str = ""
    kinds: frozenset[ProgrammeKind] = attrs.field(default=frozenset(), converter=_kinds)

    def applies_to(self, kind: ProgrammeKind) -> bool:
        """Return whether the set applies to programmes of ``kind``."""
        return not self.kinds or kind in self.kinds

    def _for_kind(self, ctx: Context) -> Verdict | None:
        kind = ctx.kind
        if not self.kinds or kind in self.kinds:
            return None
        key = (self.id, "not_for_kind", kind, ctx.as_of)

        def build() -> Verdict:
            listed = ", ".join(sorted(k.value for k in self.kinds))
            reason = Reason(
                f"{self.id}.not_for_kind",
                f"{self.title} applies to {listed} programmes, not to a {kind.value}",
                ctx.citation(self.in_force),
                (Fact("programme.kind", kind.value), Fact(f"{self.id}.kinds", listed, "rule")),
            )
            return Verdict(self.id, Outcome.NOT_APPLICABLE, ctx.as_of, (reason,))

        return ctx.parameters.memo(key, build)

    @property
    def off_outcome(self) -> Outcome:
        """The outcome on a date the set is not in force.

        A norm or an entitlement that is not in force does not apply
        (NOT_APPLICABLE); a visa route, an exemption or a feasibility rule
        that is not in force gives nothing, so it is INELIGIBLE.
        """
        if self.kind in (RuleSetKind.NORM, RuleSetKind.ENTITLEMENT):
            return Outcome.NOT_APPLICABLE
        return Outcome.INELIGIBLE

    def _in_force(self, ctx: Context) -> Verdict | None:
        record = ctx.parameters.lookup(self.in_force, ctx.as_of)
        if record is not None and record.value is True:
            return None
        as_of = Fact("as_of", ctx.as_of.isoformat())
        if record is None:
            first = ctx.parameters.parameter(self.in_force).first
            reason = Reason(
                f"{self.id}.not_in_force",
                f"{self.title} is not yet in force on {ctx.as_of.isoformat()} "
                f"(in force from {first.start.isoformat()})",
                first.reference,
                (
                    as_of,
                    Fact("in_force_from", first.start.isoformat(), "parameter"),
                    Fact(self.in_force, _shown(first.value), "parameter"),
                ),
            )
        else:
            reason = Reason(
                f"{self.id}.repealed",
                f"{self.title} is no longer in force since {record.start.isoformat()}",
                record.reference,
                (
                    as_of,
                    Fact("repealed_on", record.start.isoformat(), "parameter"),
                    Fact(self.in_force, _shown(record.value), "parameter"),
                ),
            )
        return Verdict(self.id, self.off_outcome, ctx.as_of, (reason,))

    def evaluate(self, ctx: Context) -> Verdict:
        """Return the verdict: not in force, or the rule's verdict under this set's id."""
        off = self._for_kind(ctx) or self._in_force(ctx)
        if off is not None:
            return off
        rule = self.rule
        if type(rule) is AllOf:
            # Evaluate the conditions straight under this set's id (one verdict less).
            return combine_all(self.id, ctx.as_of, [f(ctx) for f in rule.calls])
        v = rule.evaluate(ctx)
        if v.rule == self.id:
            return v
        return Verdict(self.id, v.outcome, v.as_of, v.reasons, v.missing)

    def trace(self, ctx: Context) -> Trace:
        """Return the trace (a leaf when the set is not in force)."""
        off = self._for_kind(ctx) or self._in_force(ctx)
        if off is not None:
            return Trace(off)
        child = self.rule.trace(ctx)
        return Trace(attrs.evolve(child.verdict, rule=self.id), (child,))

    def replace(self, id: str, new: Rule) -> RuleSet:
        """Return the set with the sub-rule ``id`` replaced by ``new``."""
        return attrs.evolve(self, rule=replace_rule(self.rule, id, new))

    def children(self) -> tuple[Rule, ...]:
        """Return the set's rule."""
        return (self.rule,)

    def effective(self, parameters: ParameterSet) -> tuple[tuple[date, date | None], ...]:
        """Return the half-open periods ``[start, end)`` in which the set is in force.

        ``end`` is ``None`` for a period that has not ended.
        """
        out: list[tuple[date, date | None]] = []
        start: date | None = None
        for record in parameters.parameter(self.in_force).values:
            on = record.value is True
            if on and start is None:
                start = record.start
            elif not on and start is not None:
                out.append((start, record.start))
                start = None
        if start is not None:
            out.append((start, None))
        return tuple(out)

    def in_force_on(self, day: date, parameters: ParameterSet) -> bool:
        """Return whether the set is in force on ``day``."""
        record = parameters.lookup(self.in_force, day)
        return record is not None and record.value is True
