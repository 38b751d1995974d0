"""Placement feasibility: availability, the duration bounds and the mode.

Documented in ``docs/rules/placement-feasibility.md``; the parameters are in
``sgcq/data/rules/parameters/placement.toml``.
"""

from __future__ import annotations

import attrs

from sgcq.rules._dates import admits
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.defaults._conditions import _no, _ok, _simple
from sgcq.rules.engine import Context, all_of
from sgcq.rules.verdicts import Verdict

__all__ = ["rule_sets"]


_F = "placement.feasibility.in_force"


def _available(ctx: Context) -> Verdict:
    rid = "placement.available"
    if not ctx.candidate.available.contains_range(ctx.stay):
        return _no(
            ctx,
            rid,
            "placement.not_available",
            f"the stay {ctx.stay} is not within the candidate's availability "
            f"{ctx.candidate.available}",
            _F,
            ("candidate.available", str(ctx.candidate.available)),
        )
    return _ok(ctx, rid)


@attrs.frozen
class _DurationFits:
    """Check that the stay fits the position's, candidate's or programme's duration bounds.

    A frozen class rather than three near-identical functions (or a closure,
    which would not pickle with the rule book).
    """

    side: str  # "position", "candidate" or "programme"

    def __call__(self, ctx: Context) -> Verdict:
        rid = f"placement.{self.side}_duration"
        if self.side == "programme":
            prog = ctx.programme
            bounds = prog.duration if prog is not None else None
            whose = f"programme {prog.id}'s" if prog is not None else ""
        else:
            bounds = ctx.position.duration if self.side == "position" else ctx.candidate.duration
            whose = f"the {self.side}'s"
        if self.side == "position" and ctx.position.open_ended:
            if ctx.position.admits(ctx.stay):
                return _ok(ctx, rid)
        elif bounds is None or admits(bounds, ctx.stay):
            return _ok(ctx, rid)
        return _no(
            ctx,
            rid,
            f"placement.duration_outside_{self.side}",
            f"the stay {ctx.stay} does not fit {whose} duration {bounds}",
            _F,
            (f"{self.side}.duration", str(bounds)),
        )


_position_duration = _DurationFits("position")
_candidate_duration = _DurationFits("candidate")
_programme_duration = _DurationFits("programme")


def _mode(ctx: Context) -> Verdict:
    rid = "placement.mode_accepted"
    if ctx.position.mode not in ctx.candidate.modes:
        return _no(
            ctx,
            rid,
            "placement.mode_not_accepted",
            f"the candidate does not accept {ctx.position.mode.value} placements",
            _F,
            ("candidate.modes", ", ".join(sorted(m.value for m in ctx.candidate.modes))),
        )
    return _ok(ctx, rid)


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the placement feasibility rule set.

    Returns
    -------
    tuple of RuleSet
        ``placement.feasibility``.
    """
    return (
        RuleSet(
            "placement.feasibility",
            "Placement feasibility",
            RuleSetKind.FEASIBILITY,
            all_of(
                "placement.feasibility.conditions",
                _simple("placement.available", "available for the whole stay", _available),
                _simple("placement.position_duration", "fits the position", _position_duration),
                _simple("placement.candidate_duration", "fits the candidate", _candidate_duration),
                _simple("placement.programme_duration", "fits the programme", _programme_duration),
                _simple("placement.mode_accepted", "mode accepted", _mode),
            ),
            "placement.feasibility.in_force",
        ),
    )
