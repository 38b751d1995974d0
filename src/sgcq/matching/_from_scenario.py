"""Build a problem's parts from a scenario's cohort, through the rules (private).

:meth:`sgcq.matching.Problem.from_scenario` is the public entry point. Every
ranked pair becomes options (one per allowed start whose stay fits and whose
verdict is eligible) or an exclusion with its reasons.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs

from sgcq.matching.elements import (
    DEFAULT_OBJECTIVES,
    Constraints,
    CostPart,
    Evaluator,
    Exclusion,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    PayerCost,
)
from sgcq.matching.errors import MatchingError
from sgcq.models import (
    Candidate,
    Cohort,
    Count,
    DateRange,
    Direction,
    Mode,
    Money,
    PlacementStatus,
    Position,
    Programme,
    Quota,
    QuotaDimension,
    Scenario,
    YearCap,
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
    payer_amounts,
    shorter_stays,
    split_cover,
    stay_for,
    visa_needed,
)

__all__ = ["default_objectives", "direction_of", "scenario_parts"]


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
    if constraints is None and chosen is not None and programme is not None:
        cons = _with_year_caps(scenario, chosen, programme, cons)
    if constraints is None:
        cons = _with_course_caps(scenario, positions, cons)
    levels = tuple(objectives) if objectives is not None else default_objectives(positions)
    currency = _currency(cons, positions, levels)
    rule = evaluate if evaluate is not None else _default_evaluator(as_of, programme)
    builder = _Builder(scenario, chosen, programme, positions, currency, rule, cons)
    # A nationality is personal: the problem carries only the nationalities
    # that a quota counts, and nothing when no quota counts one.
    counted = frozenset(q.key for q in cons.quotas if q.dimension is QuotaDimension.NATIONALITY)
    for c in candidates:
        builder.add_candidate(c)
    return dict(
        candidates=tuple(
            MatchCandidate(c.id, c.university, c.priority, c.nationalities & counted)
            for c in candidates
        ),
        positions=tuple(
            MatchPosition(
                p.id,
                p.host,
                p.seats,
                p.fields,
                p.candidate_preferences is not None,
                p.location.country,
                direction_of(programme, p),
                p.modes,
            )
            for p in positions
        ),
        options=builder.options,
        exclusions=builder.exclusions,
        constraints=cons,
        objectives=levels,
        cohort=chosen.id if chosen is not None else None,
        currency=currency,
    )


def default_objectives(positions: Sequence[Position]) -> tuple[Objective, ...]:
    """Return the levels of a problem built without objectives.

    :data:`DEFAULT_OBJECTIVES`, then :attr:`Objective.MODE_PREFERENCE` when a
    position is open in more than one mode: of two options equally good on
    every default level, the one in the position's own mode is chosen
    (``docs/decisions/0025-first-mode-on-a-tie.md``).
    """
    if any(len(p.modes) > 1 for p in positions):
        return (*DEFAULT_OBJECTIVES, Objective.MODE_PREFERENCE)
    return DEFAULT_OBJECTIVES


# --- building -------------------------------------------------------------------


def direction_of(programme: Programme | None, position: Position) -> str | None:
    """Return which way a placement in ``position`` travels, as a ``Direction`` value.

    A programme that runs both ways (``BOTH``) sends people to a position in
    China from Singapore (``sg_to_cq``) and to one in Singapore from
    Chongqing (``cq_to_sg``); any other programme has its own direction.
    """
    if programme is None:
        return None
    if programme.direction is Direction.BOTH:
        country = position.location.country
        if country == "CN":
            return Direction.SG_TO_CQ.value
        if country == "SG":
            return Direction.CQ_TO_SG.value
        return None
    return str(programme.direction.value)


def _held_counts(
    scenario: Scenario, cohort: Cohort, programme: Programme, cap: YearCap, year: int
) -> int:
    """Return the scenario's placements of other cohorts that count against ``cap`` in ``year``."""
    positions = {p.id: p for p in scenario.positions if p.programme == programme.id}
    candidates = {c.id: c for c in scenario.candidates}
    n = 0
    for pl in scenario.placements:
        if pl.cohort == cohort.id or pl.status in _RELEASED or pl.period.start.year != year:
            continue
        pos = positions.get(pl.position)
        cand = candidates.get(pl.candidate)
        if pos is None or cand is None:
            continue
        if _counts(cap.dimension, cap.key, cand, pos, programme):
            n += 1
    return n


def _counts(
    dimension: QuotaDimension, key: str, c: Candidate, p: Position, programme: Programme
) -> bool:
    """Whether a placement of ``c`` in ``p`` counts in a quota's dimension and key."""
    if dimension is QuotaDimension.UNIVERSITY:
        return c.university == key
    if dimension is QuotaDimension.NATIONALITY:
        return key in c.nationalities
    if dimension is QuotaDimension.FIELD:
        return key in p.fields
    if dimension is QuotaDimension.HOST:
        return p.host == key
    if dimension is QuotaDimension.POSITION:
        return p.id == key
    if dimension is QuotaDimension.HOST_COUNTRY:
        return p.location.country == key
    return direction_of(programme, p) == key


def _with_year_caps(
    scenario: Scenario, cohort: Cohort, programme: Programme, cons: Constraints
) -> Constraints:
    """Add, per year cap and calendar year of the intake, what the cap leaves this cohort."""
    if not programme.year_caps:
        return cons
    last = cohort.intake.end - timedelta(days=1)
    years = range(cohort.intake.start.year, last.year + 1)
    extra: list[Quota] = []
    for cap in programme.year_caps:
        for year in years:
            if not cap.applies_to(year):
                continue
            held = _held_counts(scenario, cohort, programme, cap, year)
            extra.append(
                Quota(cap.dimension, cap.key, maximum=Count(max(0, cap.maximum - held)), year=year)
            )
    if not extra:
        return cons
    return attrs.evolve(cons, quotas=(*cons.quotas, *extra))


def _with_course_caps(
    scenario: Scenario, positions: Sequence[Position], cons: Constraints
) -> Constraints:
    """Add a quota per course with a seat cap whose sessions are among ``positions``.

    A course's sessions are positions tagged with the course's tag
    (:attr:`~sgcq.models.Course.tag`), so its cap over all sessions is a
    field quota the engine already enforces (decision 0022).
    """
    ids = {p.id for p in positions}
    extra = tuple(
        Quota(QuotaDimension.FIELD, c.tag, maximum=Count(c.seats))
        for c in scenario.courses
        if c.seats is not None and ids.intersection(c.session_ids)
    )
    if not extra:
        return cons
    return attrs.evolve(cons, quotas=(*cons.quotas, *extra))


#: Placement states that no longer hold a place (they do not count against caps).
_RELEASED = frozenset({PlacementStatus.WITHDRAWN, PlacementStatus.DECLINED})


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
        constraints: Constraints,
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
        self._payer_costs: dict[tuple[object, ...], tuple[PayerCost, ...]] = {}
        benefits = programme.benefits if programme is not None else None
        terms = self.terms
        #: The housing payer when it prices beds or meals, and the visa sponsor
        #: when it prices visas; each adds up in its budget's currency, or in
        #: the currency of its first rate.
        self.housing_payer = (
            terms.payer
            if terms is not None
            and (terms.bed_night is not None or terms.meals_per_day is not None)
            else None
        )
        self.visa_payer = (
            benefits.visa_support
            if benefits is not None and benefits.visa_fee is not None
            else None
        )
        self.payer_currency: dict[str, str] = {}
        for payer, rate in (
            (self.housing_payer, terms.bed_night if terms is not None else None),
            (self.housing_payer, terms.meals_per_day if terms is not None else None),
            (self.visa_payer, benefits.visa_fee if benefits is not None else None),
        ):
            if payer is None or rate is None:
                continue
            budget = constraints.payer_budget(payer)
            self.payer_currency.setdefault(payer, budget.currency if budget else rate.currency)

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
                    self._payers(c, p, stay, housing.covered, housing.uncovered),
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

    def _payers(
        self,
        c: Candidate,
        p: Position,
        stay: DateRange,
        covered: DateRange | None,
        uncovered: DateRange | None,
    ) -> tuple[PayerCost, ...]:
        """Return what the housing payer and the visa sponsor pay for one stay.

        The amounts are the rules' (:func:`sgcq.rules.payer_amounts`: bed
        nights and meals for every covered day, the visa fee when a visa is
        needed); each is converted into the payer's currency with the
        scenario's rates on the stay's first day.
        """
        if not self.payer_currency:
            return ()
        needs_visa = visa_needed(c, p, covered, uncovered)
        key = (covered.days if covered is not None else 0, needs_visa, stay.start)
        found = self._payer_costs.get(key)
        if found is not None:
            return found
        owed: dict[str, list[Money]] = {}
        for payer, amount in payer_amounts(c, p, self.programme, covered, uncovered):
            owed.setdefault(payer, []).append(amount)
        out = []
        for payer, amounts in sorted(owed.items()):
            cur = self.payer_currency[payer]
            total = Money(Decimal(0), cur)
            parts = []
            for m in amounts:
                counted = self._convert_to(m, cur, c, p, stay, payer)
                total = total + counted
                if m.currency != cur:
                    parts.append(CostPart(m, counted))
            out.append(PayerCost(payer, total, tuple(parts)))
        found = self._payer_costs[key] = tuple(out)
        return found

    def _convert_to(
        self, m: Money, cur: str, c: Candidate, p: Position, stay: DateRange, payer: str
    ) -> Money:
        if m.currency == cur:
            return m
        try:
            return self.scenario.rates.convert(m, cur, on=stay.start)
        except RateNotFoundError as e:
            raise MatchingError(
                f"cannot convert what {payer} pays for {c.id} in {p.id} into {cur}: {e}"
            ) from e

    def _exclude(self, c: Candidate, p: Position, start: date | None, *reasons: Reason) -> None:
        self.exclusions.append(Exclusion(c.id, p.id, start, reasons))
