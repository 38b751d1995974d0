"""The allowance cost: the allowance a position pays for a stay.

Documented in ``docs/rules/allowance.md``; the parameters are in
``sgcq/data/rules/parameters/placement.toml``.
"""

from __future__ import annotations

from sgcq.models import Money
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.allowance import allowance_cost
from sgcq.rules.defaults._conditions import _OK, _no, _simple
from sgcq.rules.engine import Context
from sgcq.rules.verdicts import Fact, Verdict

__all__ = ["rule_sets"]


def _allowance(ctx: Context) -> Verdict:
    rid = "allowance.cost.total"
    cite = "allowance.proration"
    allowance = ctx.position.allowance
    if allowance is None:
        return _no(
            ctx, rid, "allowance.none", f"position {ctx.position.id} pays no allowance", cite
        )
    total: Money = allowance_cost(allowance.monthly, ctx.stay)
    return Verdict(
        rid,
        _OK,
        ctx.as_of,
        (
            ctx.reason(
                "allowance.cost",
                f"allowance for {ctx.stay}: {total} paid by {allowance.payer}",
                cite,
                Fact("total", str(total)),
                Fact("monthly", str(allowance.monthly)),
                Fact("payer", allowance.payer),
            ),
        ),
    )


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the allowance cost rule set.

    Returns
    -------
    tuple of RuleSet
        ``allowance.cost``.
    """
    return (
        RuleSet(
            "allowance.cost",
            "Allowance cost",
            RuleSetKind.ENTITLEMENT,
            _simple("allowance.cost.total", "allowance for the stay", _allowance),
            "allowance.in_force",
        ),
    )
