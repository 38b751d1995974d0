"""The remote internship norms: 3 to 6 months, 20 to 30 hours a week (advisory).

Documented in ``docs/rules/remote-norms.md``; the parameters are in
``sgcq/data/rules/parameters/placement.toml``.
"""

from __future__ import annotations

from sgcq.models import Mode
from sgcq.rules._dates import plus_months
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.defaults._conditions import _NO, _ok, _simple
from sgcq.rules.engine import Context
from sgcq.rules.verdicts import Fact, Verdict

__all__ = ["rule_sets"]


def _remote_norms(ctx: Context) -> Verdict:
    rid = "remote.norms.check"
    if ctx.position.mode is not Mode.REMOTE:
        return _ok(ctx, rid)
    reasons = []
    lo, hi = ctx.int_param("remote.min_months"), ctx.int_param("remote.max_months")
    if not (plus_months(ctx.stay.start, lo) <= ctx.stay.end <= plus_months(ctx.stay.start, hi)):
        reasons.append(
            ctx.reason(
                "remote.norms.duration_outside_norm",
                f"remote internships run {lo} to {hi} months; the stay is {ctx.stay}",
                "remote.min_months",
                Fact("stay", str(ctx.stay)),
            )
        )
    hours = ctx.position.hours_per_week
    hlo, hhi = (
        ctx.int_param("remote.min_hours_per_week"),
        ctx.int_param("remote.max_hours_per_week"),
    )
    if not (hlo <= hours <= hhi):
        reasons.append(
            ctx.reason(
                "remote.norms.hours_outside_norm",
                f"remote internships take {hlo} to {hhi} hours a week; the position has {hours}",
                "remote.min_hours_per_week",
                Fact("position.hours_per_week", str(hours)),
            )
        )
    if reasons:
        return Verdict(rid, _NO, ctx.as_of, tuple(reasons))
    return _ok(ctx, rid)


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the remote internship norms rule set.

    Returns
    -------
    tuple of RuleSet
        ``remote.norms``.
    """
    return (
        RuleSet(
            "remote.norms",
            "Remote internship norms",
            RuleSetKind.NORM,
            _simple("remote.norms.check", "3-6 months, 20-30 hours a week", _remote_norms),
            "remote.norms.in_force",
        ),
    )
