"""The housing and meals cover: the covered and uncovered days of a stay.

Documented in ``docs/rules/housing-cover.md``; the parameters are in
``sgcq/data/rules/parameters/placement.toml``.
"""

from __future__ import annotations

from sgcq.models import Mode
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.defaults._conditions import _OK, _no, _simple
from sgcq.rules.engine import Context
from sgcq.rules.housing import split_cover
from sgcq.rules.verdicts import Fact, Verdict

__all__ = ["rule_sets"]


def _housing(ctx: Context) -> Verdict:
    rid = "housing.cover.split"
    cite = "housing.cover.in_force"
    pos = ctx.position
    if pos.mode is Mode.REMOTE:
        return _no(ctx, rid, "housing.cover.remote", "a remote placement has no housing", cite)
    if not pos.housing_cover:
        return _no(
            ctx,
            rid,
            "housing.cover.not_offered",
            f"position {pos.id} has no housing-and-meals cover",
            cite,
        )
    terms = ctx.programme.benefits.housing if ctx.programme is not None else None
    if terms is None:
        return _no(
            ctx,
            rid,
            "housing.cover.no_terms",
            "the position's programme has no housing terms",
            cite,
        )
    split = split_cover(pos, ctx.stay, terms)
    if split.covered is None:
        return _no(
            ctx,
            rid,
            "housing.cover.used_up",
            f"no on-site day falls in the {terms.max_months} covered months",
            cite,
        )
    facts = (
        Fact("covered", str(split.covered)),
        Fact("covered_days", str(split.covered_days)),
        Fact("payer", terms.payer),
        Fact("max_months", str(terms.max_months)),
    )
    reasons = [
        ctx.reason(
            "housing.cover.covered",
            f"housing and meals covered for {split.covered} by {terms.payer}",
            cite,
            *facts,
        )
    ]
    if split.uncovered is not None:
        reasons.append(
            ctx.reason(
                "housing.cover.uncovered_tail",
                f"the on-site days {split.uncovered} are after the cover ends",
                cite,
                Fact("uncovered", str(split.uncovered)),
                Fact("uncovered_days", str(split.uncovered_days)),
            )
        )
    return Verdict(rid, _OK, ctx.as_of, tuple(reasons))


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the housing and meals cover rule set.

    Returns
    -------
    tuple of RuleSet
        ``housing.cover``.
    """
    return (
        RuleSet(
            "housing.cover",
            "Housing and meals cover",
            RuleSetKind.ENTITLEMENT,
            _simple("housing.cover.split", "covered and uncovered days", _housing),
            "housing.cover.in_force",
        ),
    )
