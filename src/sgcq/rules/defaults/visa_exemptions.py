"""The visa exemptions: remote placements and nationals need no visa.

Documented in ``docs/rules/visa-exemptions.md``; their in-force
parameters are in ``sgcq/data/rules/parameters/visa-cn.toml``.
"""

from __future__ import annotations

from sgcq.models import Mode
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.defaults._conditions import _OK, _no, _simple
from sgcq.rules.engine import Context
from sgcq.rules.verdicts import Fact, Verdict

__all__ = ["rule_sets"]


def _remote(ctx: Context) -> Verdict:
    rid = "visa.exempt.remote.mode"
    if ctx.position.mode is Mode.REMOTE:
        return Verdict(
            rid,
            _OK,
            ctx.as_of,
            (
                ctx.reason(
                    "visa.exempt.remote.no_visa_needed",
                    "a remote placement needs no visa",
                    "visa.exempt.remote.in_force",
                    Fact("position.mode", ctx.position.mode.value),
                ),
            ),
        )
    return _no(
        ctx,
        rid,
        "visa.exempt.remote.not_remote",
        f"the placement is {ctx.position.mode.value}, not remote",
        "visa.exempt.remote.in_force",
    )


def _national(ctx: Context) -> Verdict:
    rid = "visa.exempt.national.nationality"
    country = ctx.in_country
    where = "the host country" if ctx.country is None else "the segment's country"
    if country in ctx.candidate.nationalities:
        return Verdict(
            rid,
            _OK,
            ctx.as_of,
            (
                ctx.reason(
                    "visa.exempt.national.no_visa_needed",
                    # Not the country: with it the message names the
                    # candidate's nationality, which is personal.
                    f"a national of {where} needs no visa to work there",
                    "visa.exempt.national.in_force",
                    Fact(
                        "position.location.country" if ctx.country is None else "segment.country",
                        country,
                    ),
                ),
            ),
        )
    return _no(
        ctx,
        rid,
        "visa.exempt.national.not_a_national",
        f"the candidate is not a national of {where}",
        "visa.exempt.national.in_force",
    )


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the visa exemptions, in evaluation order.

    Returns
    -------
    tuple of RuleSet
        ``visa.exempt.remote`` and ``visa.exempt.national``.
    """
    return (
        RuleSet(
            "visa.exempt.remote",
            "Remote placements need no visa",
            RuleSetKind.VISA_EXEMPTION,
            _simple("visa.exempt.remote.mode", "the placement is remote", _remote),
            "visa.exempt.remote.in_force",
        ),
        RuleSet(
            "visa.exempt.national",
            "Nationals need no visa",
            RuleSetKind.VISA_EXEMPTION,
            _simple("visa.exempt.national.nationality", "a national of the country", _national),
            "visa.exempt.national.in_force",
        ),
    )
