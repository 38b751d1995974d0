"""Placement feasibility: availability, the duration bounds, the mode and the measures.

Documented in ``docs/rules/placement-feasibility.md``; the parameters are in
``sgcq/data/rules/parameters/placement.toml``. The rule set ``mode.measure``
has no values of its own: it reads the scenario's dated measures
(:attr:`~sgcq.models.Scenario.measures`, decision 0021).
"""

from __future__ import annotations

from datetime import date

import attrs

from sgcq.models import Measure, Mode, Position, measure_closes
from sgcq.models.dates import DateRange
from sgcq.rules._dates import admits
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.defaults._conditions import _no, _ok, _simple
from sgcq.rules.engine import Context, all_of
from sgcq.rules.verdicts import Fact, Outcome, Reason, Verdict

__all__ = ["closed_reason", "measure_checks", "rule_sets"]


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


_M = "mode.measure.in_force"


def measure_checks(position: Position, stay: DateRange) -> tuple[tuple[str, Mode, date], ...]:
    """Return the ``(country, mode, day)`` at which the measures are checked for a stay.

    The position's country, its mode and the stay's start; for a hybrid
    stay also each on-site segment's country, ``on_site`` and the segment's
    start (a campus block in Singapore is checked against Singapore's
    measures on its own first day). A remote stay is checked in the host's
    country (the position's location).

    Examples
    --------
    >>> from sgcq.scenarios import load_scenario
    >>> p = load_scenario("ntu-west-base-2021").position("minimasters-sg")
    >>> for c, m, d in measure_checks(p, DateRange(date(2021, 3, 1), date(2021, 9, 1))):
    ...     print(c, m.value, d)
    SG hybrid 2021-03-01
    SG on_site 2021-03-01
    CN on_site 2021-07-12
    """
    checks = [(position.location.country, position.mode, stay.start)]
    if position.mode is Mode.HYBRID:
        for seg in position.stay_segments(stay):
            if seg.on_site and seg.country is not None:
                checks.append((seg.country, Mode.ON_SITE, seg.days.start))
    return tuple(checks)


_LABEL = {Mode.ON_SITE: "on-site", Mode.REMOTE: "remote", Mode.HYBRID: "hybrid"}


def _measure_facts(m: Measure) -> tuple[Fact, ...]:
    return (
        Fact("measure", m.id),
        Fact("measure.description", m.description),
        Fact("measure.country", m.country),
        Fact("measure.closes", m.closes_text),
        Fact("measure.start", m.start.isoformat()),
        Fact("measure.end", m.end.isoformat() if m.end is not None else "open"),
    )


def closed_reason(
    measure: Measure,
    country: str,
    mode: Mode,
    day: date,
    option_mode: Mode,
    as_of: date | None = None,
) -> Reason:
    """Return the reason ``mode.measure.closed``: ``measure`` closes ``mode`` in ``country``.

    Both the rule ``mode.measure`` and :meth:`sgcq.matching.Changes.apply`
    give it, citing the measure's reference, with the facts ``measure``,
    ``measure.description``, ``measure.country``, ``measure.closes``,
    ``measure.start``, ``measure.end`` (``open`` without an end),
    ``option.mode``, ``checked.country``, ``checked.mode``, ``checked_on``
    (the day the measure was checked at) and, from the rules, ``as_of``.
    """
    where = "" if mode is option_mode else f" (its on-site segment from {day.isoformat()})"
    facts = [
        *_measure_facts(measure),
        Fact("option.mode", option_mode.value),
        Fact("checked.country", country),
        Fact("checked.mode", mode.value),
        Fact("checked_on", day.isoformat()),
    ]
    if as_of is not None:
        facts.append(Fact("as_of", as_of.isoformat()))
    return Reason(
        "mode.measure.closed",
        f"{_LABEL[mode]} work in {country} is closed on {day.isoformat()} by "
        f"{measure.description} ({measure.id}, {measure.period_text}){where}",
        measure.reference,
        tuple(facts),
    )


def _measures(ctx: Context) -> Verdict:
    rid = "mode.measure.checks"
    measures = ctx.scenario.measures
    checks = measure_checks(ctx.position, ctx.stay)
    closed = [
        closed_reason(m, country, mode, day, ctx.position.mode, ctx.as_of)
        for country, mode, day in checks
        for m in measures
        if measure_closes(m, country, mode, day)
    ]
    if closed:
        return ctx.verdict(rid, Outcome.INELIGIBLE, closed)
    open_ = [
        Reason(
            "mode.measure.open",
            f"{m.description} ({m.id}, {m.period_text}) is in force in {country} on "
            f"{day.isoformat()} but closes {m.closes_text}, not {mode.value}",
            m.reference,
            (
                *_measure_facts(m),
                Fact("option.mode", ctx.position.mode.value),
                Fact("checked.country", country),
                Fact("checked.mode", mode.value),
                Fact("checked_on", day.isoformat()),
            ),
        )
        for country, mode, day in checks
        for m in measures
        if m.country == country and m.in_force_on(day)
    ]
    if open_:
        return ctx.verdict(rid, Outcome.ELIGIBLE, open_)
    shown = "; ".join(f"{c} on {d.isoformat()}" for c, _, d in checks)
    reason = ctx.reason(
        "mode.measure.none_in_force",
        f"no measure of the scenario is in force for the stay ({shown})",
        _M,
        Fact("checked", shown),
        Fact("scenario.measures", str(len(measures))),
        Fact("as_of", ctx.as_of.isoformat()),
    )
    return ctx.verdict(rid, Outcome.NOT_APPLICABLE, (reason,))


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the placement feasibility rule sets.

    Returns
    -------
    tuple of RuleSet
        ``placement.feasibility`` and ``mode.measure`` (an option whose mode
        a scenario measure closes at the stay's start, or at an on-site
        segment's start, is INELIGIBLE with ``mode.measure.closed``; with no
        measure in force it is NOT_APPLICABLE).
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
        RuleSet(
            "mode.measure",
            "Measures that close a mode",
            RuleSetKind.FEASIBILITY,
            _simple("mode.measure.checks", "no scenario measure closes the mode", _measures),
            _M,
            description="An option is closed when a measure of the scenario closes its mode in "
            "the position's country on the stay's start, or on-site work in a country where an "
            "on-site segment starts; the rule holds no measure values of its own.",
        ),
    )
