"""Build a problem's parts from a scenario's cohort, through the rules (private).

:meth:`sgcq.matching.Problem.from_scenario` is the public entry point. Every
ranked pair becomes options (one per allowed start whose stay fits and whose
verdict is eligible) or an exclusion with its reasons.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sgcq.matching.elements import (
    DEFAULT_OBJECTIVES,
    Constraints,
    Evaluator,
    Exclusion,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
)
from sgcq.matching.errors import MatchingError
from sgcq.models import (
    Candidate,
    Cohort,
    DateRange,
    Mode,
    Money,
    Position,
    Programme,
    Scenario,
    YearMonth,
)
from sgcq.models.errors import RateNotFoundError
from sgcq.rules import (
    CoverSplit,
    Fact,
    Reason,
    Verdict,
    allowance_cost,
    evaluate_option,
    shorter_stays,
    split_cover,
    stay_for,
)

__all__ = ["scenario_parts"]


def scenario_parts(
    scenario: Scenario,
    cohort: str | None = None,
    *,
    as_of: date | None = None,
    evaluate: Evaluator | None = None,
    constraints: Constraints | None = None,
    objectives: Sequence[Objective] | None = None,
) -> dict[str, Any]:
    """Return the fields of the problem of one cohort (see ``Problem.from_scenario``)."""
    chosen = _choose_cohort(scenario, cohort)
    programme = scenario.programme(chosen.programme) if chosen is not None else None
    candidates = scenario.candidates_of(chosen.id) if chosen is not None else scenario.candidates
    positions = scenario.positions_of(programme.id) if programme is not None else scenario.positions
    cons = constraints if constraints is not None else Constraints.from_cohort(chosen)
    levels = tuple(objectives) if objectives is not None else DEFAULT_OBJECTIVES
    currency = _currency(cons, positions, levels)
    rule = evaluate if evaluate is not None else _default_evaluator(as_of, programme)
    builder = _Builder(scenario, chosen, programme, positions, currency, rule)
    for c in candidates:
        builder.add_candidate(c)
    return dict(
        candidates=tuple(MatchCandidate(c.id, c.university, c.priority) for c in candidates),
        positions=tuple(
            MatchPosition(
                p.id,
                p.host,
                p.seats,
                p.fields,
                p.candidate_preferences is not None,
            )
            for p in positions
        ),
        options=builder.options,
        exclusions=builder.exclusions,
        constraints=cons,
        objectives=tuple(objectives) if objectives is not None else DEFAULT_OBJECTIVES,
        cohort=chosen.id if chosen is not None else None,
        currency=currency,
    )


# --- building -------------------------------------------------------------------


def _choose_cohort(scenario: Scenario, cohort: str | None) -> Cohort | None:
    if cohort is not None:
        try:
            return scenario.cohort(cohort)
        except KeyError:
            known = ", ".join(c.id for c in scenario.cohorts) or "none"
            raise MatchingError(
                f"scenario {scenario.id} has no cohort {cohort!r} (cohorts: {known})"
            ) from None
    if len(scenario.cohorts) > 1:
        known = ", ".join(c.id for c in scenario.cohorts)
        raise MatchingError(
            f"scenario {scenario.id} has {len(scenario.cohorts)} cohorts; name one of: {known}"
        )
    return scenario.cohorts[0] if scenario.cohorts else None


def _currency(
    cons: Constraints, positions: Iterable[Position], objectives: Sequence[Objective]
) -> str | None:
    """Return the currency of option costs, or ``None`` when no cost is needed."""
    if cons.budget is not None:
        return cons.budget.currency
    found = sorted({p.allowance.monthly.currency for p in positions if p.allowance is not None})
    if len(found) == 1:
        return found[0]
    if found and Objective.COST in objectives:
        # The COST objective needs one currency: the first, converted explicitly.
        return found[0]
    # Mixed currencies and nothing that adds them up: options carry their
    # allowance in its own currency and no cost, so no rate is needed.
    return None


def _default_evaluator(as_of: date | None, programme: Programme | None) -> Evaluator:
    def evaluate(
        scn: Scenario, candidate: Candidate, position: Position, stay: DateRange
    ) -> Verdict:
        return evaluate_option(scn, candidate, position, stay, as_of=as_of, programme=programme)

    return evaluate


def _reason(code: str, message: str, **facts: object) -> Reason:
    return Reason(code, message, None, tuple(Fact(k, str(x)) for k, x in sorted(facts.items())))


class _Builder:
    """Collects options and exclusions, one candidate at a time (linear in the output)."""

    def __init__(
        self,
        scenario: Scenario,
        cohort: Cohort | None,
        programme: Programme | None,
        positions: tuple[Position, ...],
        currency: str | None,
        evaluate: Evaluator,
    ) -> None:
        self.scenario = scenario
        self.cohort = cohort
        self.programme = programme
        self.positions = positions
        self.by_id = {p.id: p for p in positions}
        self.currency = currency
        self.evaluate = evaluate
        self.terms = programme.benefits.housing if programme is not None else None
        self.options: list[Option] = []
        self.exclusions: list[Exclusion] = []
        # Many options share a stay, an allowance or a cover split: the rules
        # are pure functions of these keys, so each is computed once.
        self._stays: dict[tuple[object, ...], DateRange | None] = {}
        self._covers: dict[tuple[object, ...], tuple[CoverSplit, tuple[YearMonth, ...]]] = {}
        self._allowances: dict[tuple[object, ...], Money] = {}
        self._modes: dict[tuple[str, Mode], Position] = {}

    def add_candidate(self, c: Candidate) -> None:
        window: DateRange | None = c.available
        if self.cohort is not None:
            window = c.available.intersection(self.cohort.intake)
        if len(c.preferences) == 0:
            for p in self.positions:
                self._add_pair(c, p, None, window)
            return
        for pid, rank in c.preferences.ranks:
            pos = self.by_id.get(pid)
            if pos is None:
                where = self.programme.id if self.programme is not None else "the scenario"
                self.exclusions.append(
                    Exclusion(
                        c.id,
                        pid,
                        None,
                        (
                            _reason(
                                "matching.other_programme",
                                f"{pid} is not a position of {where}",
                                position=pid,
                            ),
                        ),
                    )
                )
                continue
            self._add_pair(c, pos, rank, window)

    def _add_pair(
        self, c: Candidate, p: Position, rank: int | None, window: DateRange | None
    ) -> None:
        host_rank: int | None = None
        if p.candidate_preferences is not None:
            host_rank = p.candidate_preferences.rank_of(c.id)
            if host_rank is None:
                self._exclude(
                    c,
                    p,
                    None,
                    _reason(
                        "matching.host_does_not_rank",
                        f"the host of {p.id} ranks candidates and did not rank {c.id}",
                        host=p.host,
                    ),
                )
                return
        starts = p.start_options(window) if window is not None else ()
        if not starts:
            self._exclude(
                c,
                p,
                None,
                _reason(
                    "matching.no_start",
                    f"no allowed start of {p.id} lies in {c.id}'s availability"
                    + (" and the cohort's intake" if self.cohort is not None else ""),
                    available=c.available,
                    intake=self.cohort.intake if self.cohort is not None else None,
                ),
            )
            return
        if len(p.modes) == 1:
            self._add_mode(c, p, p, rank, host_rank, starts, ())
            return
        # One option per allowed mode, each with its own verdict, cost and
        # beds; they share the position's seats (decision 0019).
        for mode in p.modes:
            key = (p.id, mode)
            q = self._modes.get(key)
            if q is None:
                q = self._modes[key] = p.in_mode(mode)
            assessed = _reason(
                "matching.mode",
                f"{p.id} assessed {mode.value} (allowed: {', '.join(m.value for m in p.modes)})",
                mode=mode.value,
                allowed=", ".join(m.value for m in p.modes),
            )
            self._add_mode(c, p, q, rank, host_rank, starts, (assessed,))

    def _add_mode(
        self,
        c: Candidate,
        listed: Position,
        p: Position,
        rank: int | None,
        host_rank: int | None,
        starts: tuple[date, ...],
        assessed: tuple[Reason, ...],
    ) -> None:
        """Add the options of ``p`` (``listed`` in one of its modes) or exclude them."""
        for start in starts:
            key = (c.available, c.duration, p.duration, p.open_ended, start)
            if key in self._stays:
                stay = self._stays[key]
            else:
                stay = self._stays[key] = stay_for(c, p, start, self.programme)
            if stay is None:
                self._exclude(
                    c,
                    listed,
                    start,
                    _reason(
                        "matching.no_stay",
                        f"no stay from {start} fits every duration bound and the availability",
                        candidate_duration=c.duration,
                        position_duration=p.duration,
                        available=c.available,
                    ),
                    *assessed,
                )
                continue
            verdict = self.evaluate(self.scenario, c, p, stay)
            if not verdict.eligible:
                # A rule may refuse the stay for its length alone (S2: 180 days);
                # keep the longest shorter stay the rules accept (decision 0006).
                for shorter in shorter_stays(c, p, start, self.programme):
                    retry = self.evaluate(self.scenario, c, p, shorter)
                    if retry.eligible:
                        stay, verdict = shorter, retry
                        break
            if not verdict.eligible:
                reasons = verdict.reasons
                # The last reason may only say which kind's rules applied; an
                # undetermined verdict always states what is missing.
                if verdict.missing or all(r.code == "option.programme_kind" for r in reasons):
                    reasons = (
                        *reasons,
                        _reason(
                            f"matching.{verdict.outcome.value}",
                            f"rule {verdict.rule} is {verdict.outcome.value}"
                            + (
                                f"; missing {', '.join(verdict.missing)}" if verdict.missing else ""
                            ),
                            rule=verdict.rule,
                            missing=", ".join(verdict.missing) or "none",
                        ),
                    )
                self._exclude(c, listed, start, *reasons, *assessed)
                continue
            cover_key = (p.mode, p.hybrid, p.segments, p.location.country, p.housing_cover, stay)
            cover = self._covers.get(cover_key)
            if cover is None:
                split = split_cover(p, stay, self.terms)
                cover = self._covers[cover_key] = (split, split.bed_months())
            housing, months = cover
            allowance = None
            if p.allowance is not None:
                money_key = (p.allowance.monthly, stay)
                allowance = self._allowances.get(money_key)
                if allowance is None:
                    allowance = allowance_cost(p.allowance.monthly, stay)
                    self._allowances[money_key] = allowance
            cost = (
                self._convert(allowance, c, p, stay)
                if allowance is not None and self.currency is not None
                else None
            )
            self.options.append(
                Option(
                    c.id,
                    p.id,
                    start,
                    stay,
                    p.mode,
                    rank,
                    host_rank,
                    months,
                    cost,
                    allowance,
                    housing.covered,
                    housing.uncovered,
                )
            )

    def _convert(self, allowance: Money, c: Candidate, p: Position, stay: DateRange) -> Money:
        if self.currency is None or allowance.currency == self.currency:
            return allowance
        try:
            return self.scenario.rates.convert(allowance, self.currency, on=stay.start)
        except RateNotFoundError as e:
            raise MatchingError(
                f"cannot convert the allowance of {c.id} in {p.id} into {self.currency}: {e}"
            ) from e

    def _exclude(self, c: Candidate, p: Position, start: date | None, *reasons: Reason) -> None:
        self.exclusions.append(Exclusion(c.id, p.id, start, reasons))
