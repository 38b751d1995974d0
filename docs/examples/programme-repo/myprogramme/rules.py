"""The programme's own rule: hosts pay at least a floor, which changes by date."""

from __future__ import annotations

from pathlib import Path

from sgcq.rules import (
    Check,
    Context,
    Outcome,
    RuleBook,
    RuleSet,
    RuleSetKind,
    Verdict,
    default_rulebook,
)

PARAMETERS = Path(__file__).with_name("parameters.toml")


def paid_enough(ctx: Context) -> Verdict:
    """ELIGIBLE when the position pays at least the floor in force on the evaluation date."""
    rule = "mine.pay_floor"
    floor = ctx.int_param("mine.min_allowance_cny")  # a parameter, never a literal
    allowance = ctx.position.allowance
    if allowance is None or allowance.monthly.currency != "CNY":
        reason = ctx.reason(
            "mine.pay_floor.no_cny_allowance",
            f"{ctx.position.id} pays no allowance in CNY",
            "mine.min_allowance_cny",
        )
        return ctx.verdict(rule, Outcome.INELIGIBLE, [reason])
    if allowance.monthly.amount < floor:
        reason = ctx.reason(
            "mine.pay_floor.underpaid",
            f"{ctx.position.id} pays {allowance.monthly.amount} CNY a month; the floor is {floor}",
            "mine.min_allowance_cny",
        )
        return ctx.verdict(rule, Outcome.INELIGIBLE, [reason])
    return ctx.verdict(rule, Outcome.ELIGIBLE)


PAY_FLOOR = RuleSet(
    "mine.pay_floor",
    "Hosts pay at least the programme's floor",
    RuleSetKind.FEASIBILITY,
    Check("mine.pay_floor", paid_enough, "allowance at least the floor"),
    "mine.in_force",
)


def book() -> RuleBook:
    """Return sgcq's default rules plus the programme's own."""
    return default_rulebook().with_parameter_files([PARAMETERS]).with_rule_set(PAY_FLOOR)
