"""Who a programme itself admits: the co-founder matching's Singaporean co-founders.

Documented in ``docs/rules/programme-eligibility.md``; the parameters are in
``sgcq/data/rules/parameters/placement.toml``.
"""

from __future__ import annotations

from sgcq.models import ProgrammeKind, Role
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.defaults._conditions import _no, _ok, _simple
from sgcq.rules.engine import Context, all_of
from sgcq.rules.verdicts import Verdict

__all__ = ["rule_sets"]

_C = "programme.cofounder"


def _citizen(ctx: Context) -> Verdict:
    rid = f"{_C}.citizen"
    need = ctx.str_param(f"{_C}.citizenship")
    if need not in ctx.candidate.nationalities:
        return _no(
            ctx,
            rid,
            f"{_C}.not_a_citizen",
            f"the programme matches companies with a co-founder who is a {need} citizen",
            f"{_C}.citizenship",
        )
    return _ok(ctx, rid)


def _sending_university(ctx: Context) -> Verdict:
    rid = f"{_C}.sending_university"
    prog = ctx.programme
    senders = prog.partners_with(Role.SENDING_UNIVERSITY) if prog is not None else ()
    if ctx.candidate.university not in senders:
        return _no(
            ctx,
            rid,
            f"{_C}.not_from_a_sending_university",
            f"the co-founder must come from the programme's university "
            f"({', '.join(senders) or 'none listed'}), not {ctx.candidate.university or 'none'}",
            f"{_C}.in_force",
            ("candidate.university", ctx.candidate.university or "none"),
            ("programme.sending_universities", ", ".join(senders) or "none"),
        )
    return _ok(ctx, rid)


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the programmes' own eligibility rule sets.

    Returns
    -------
    tuple of RuleSet
        ``programme.cofounder`` (kind ``feasibility``, co-founder matching only).
    """
    return (
        RuleSet(
            _C,
            "Co-founder matching: a Singaporean co-founder from the university",
            RuleSetKind.FEASIBILITY,
            all_of(
                f"{_C}.conditions",
                _simple(f"{_C}.citizen", "a Singapore citizen", _citizen),
                _simple(
                    f"{_C}.sending_university",
                    "from the programme's sending university",
                    _sending_university,
                ),
            ),
            f"{_C}.in_force",
            description="companies expanding into Singapore or ASEAN are matched with a "
            "Singaporean co-founder from SUSS",
            kinds=frozenset({ProgrammeKind.COFOUNDER_MATCHING}),
        ),
    )
