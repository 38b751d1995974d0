"""The matching oracle: stability and matching-result checks users call in their tests.

The checks use no solver and none of sgcq's matching code (only its data
types): they are independent oracles. Each ``check_`` and ``assert_``
function raises :class:`~sgcq.testing.checks.rules.CheckError` (an
:class:`AssertionError`) whose message names every violated constraint and
the numbers involved.

Examples
--------
>>> blocking_pairs(
...     candidate_ranks={"c1": {"p1": 1}, "c2": {"p1": 1}},
...     position_ranks={"p1": {"c1": 1, "c2": 2}},
...     capacities={"p1": 1},
...     assignment={"c1": None, "c2": "p1"},
... )
(BlockingPair(candidate='c1', position='p1', reason='p1 prefers c1 (rank 1) to c2 (rank 2)'),)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from sgcq.models import PlacementStatus, Quota, QuotaDimension, Scenario, YearMonth
from sgcq.testing.checks.rules import CheckError

if TYPE_CHECKING:
    # sgcq.matching is imported inside the functions that need its enums,
    # not with the module: it loads OR-Tools (about half a second), and the
    # rule checks and blocking_pairs, which share this package, need neither.
    from sgcq.matching import Blocker, MatchCandidate, MatchPosition, Option, Problem, Result

__all__ = [
    "BlockingPair",
    "Violation",
    "assert_stable",
    "blocking_pairs",
    "check_result",
    "constraint_violations",
    "preferences_of",
    "year_cap_violations",
]


# --- stability -----------------------------------------------------------------


@attrs.frozen
class BlockingPair:
    """A candidate and a position that would both rather be matched to each other.

    Parameters
    ----------
    candidate, position
        The pair.
    reason
        Why the position would take the candidate: a free seat, or the
        assigned candidate it prefers less.
    """

    candidate: str
    position: str
    reason: str


def blocking_pairs(
    candidate_ranks: Mapping[str, Mapping[str, int]],
    position_ranks: Mapping[str, Mapping[str, int] | None],
    capacities: Mapping[str, int],
    assignment: Mapping[str, str | None],
    *,
    eligible: Callable[[str, str], bool] | None = None,
) -> tuple[BlockingPair, ...]:
    """List the blocking pairs of an assignment under weak stability.

    A pair ``(c, p)`` blocks when ``c`` ranks ``p``, ``p`` finds ``c``
    acceptable, ``c`` strictly prefers ``p`` to its assignment (or is
    unassigned), and ``p`` has a free seat or strictly prefers ``c`` to one of
    its assigned candidates. Ties never block (weak stability). A position
    with no ranking (``None``) finds every candidate who ranked it acceptable
    and indifferent, so it blocks only with a free seat.

    Parameters
    ----------
    candidate_ranks
        Per candidate, ranks over positions (1 best; unranked = unacceptable).
    position_ranks
        Per position, ranks over candidates, or ``None`` for no ranking.
    capacities
        Seats per position.
    assignment
        Per candidate, the assigned position or ``None``. Every candidate of
        ``candidate_ranks`` must appear.
    eligible
        If given, only pairs for which it returns true can block (a pair the
        rules forbid cannot be matched, so it cannot block).

    Returns
    -------
    tuple of BlockingPair
        Sorted by candidate then position.
    """
    missing = sorted(set(candidate_ranks) - set(assignment))
    if missing:
        raise ValueError(f"assignment has no entry for candidates {missing[:5]}")
    holders: dict[str, list[str]] = {}
    for c, p in assignment.items():
        if p is not None:
            holders.setdefault(p, []).append(c)
    out: list[BlockingPair] = []
    for c in sorted(candidate_ranks):
        ranks = candidate_ranks[c]
        current = assignment[c]
        current_rank = ranks.get(current) if current is not None else None
        for p in sorted(ranks):
            r = ranks[p]
            if p == current or (current_rank is not None and r >= current_rank):
                continue
            if eligible is not None and not eligible(c, p):
                continue
            prefs = position_ranks.get(p)
            if prefs is not None and c not in prefs:
                continue
            taken = holders.get(p, [])
            if len(taken) < capacities.get(p, 0):
                out.append(BlockingPair(c, p, f"{p} has a free seat"))
                continue
            if prefs is None:
                continue
            worst = max(taken, key=lambda x: (prefs.get(x, 10**9), x), default=None)
            if worst is not None and prefs[c] < prefs.get(worst, 10**9):
                out.append(
                    BlockingPair(
                        c,
                        p,
                        f"{p} prefers {c} (rank {prefs[c]}) to {worst} "
                        f"(rank {prefs.get(worst, 'unranked')})",
                    )
                )
    return tuple(out)


def assert_stable(
    candidate_ranks: Mapping[str, Mapping[str, int]],
    position_ranks: Mapping[str, Mapping[str, int] | None],
    capacities: Mapping[str, int],
    assignment: Mapping[str, str | None],
    *,
    eligible: Callable[[str, str], bool] | None = None,
) -> None:
    """Check that an assignment has no blocking pair; see :func:`blocking_pairs`.

    Raises
    ------
    CheckError
        Listing every blocking pair and why it blocks.
    """
    pairs = blocking_pairs(
        candidate_ranks, position_ranks, capacities, assignment, eligible=eligible
    )
    if pairs:
        raise CheckError(f"blocking pair {b.candidate}-{b.position}: {b.reason}" for b in pairs)


# --- matching results ----------------------------------------------------------


def _limit_text(limit: Decimal) -> str:
    return str(limit.normalize()) if limit == limit.to_integral_value() else f"{limit:.2f}"


def check_result(problem: Problem, result: Result) -> None:
    """Check a matching result against its problem, without the solver.

    Every placement must be one of the problem's options (same position,
    start, end and mode); no candidate is placed twice; seats, host caps,
    cohort size bounds, quotas, beds by month and the budget hold; pins are
    kept and forbidden pairs avoided; under strict stability there is no
    blocking pair; every candidate is either placed or explained, and every
    explanation is true: a blocker says what placing the candidate in that
    option would break, and it is checked against the numbers.

    Parameters
    ----------
    problem
        The problem that was solved.
    result
        The result to check. Results without a solution (INFEASIBLE,
        UNKNOWN) must have no placements.

    Raises
    ------
    CheckError
        Listing every violation with the constraint's name and the numbers.

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.matching import MatchCandidate, MatchPosition, Option, Problem, solve
    >>> from sgcq.models import DateRange, Mode
    >>> stay = DateRange(date(2020, 9, 1), date(2021, 3, 1))
    >>> problem = Problem(
    ...     candidates=(MatchCandidate("c1", "ntu"), MatchCandidate("c2", "nus")),
    ...     positions=(MatchPosition("p1", "h1", seats=1),),
    ...     options=(Option("c1", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1),
    ...              Option("c2", "p1", stay.start, stay, Mode.ON_SITE, candidate_rank=1)),
    ... )
    >>> check_result(problem, solve(problem))
    """
    from sgcq.matching import BlockerKind, Stability  # late: see the TYPE_CHECKING block

    bad: list[str] = []
    cons = problem.constraints
    options = {(o.candidate, o.position, o.start, o.mode): o for o in problem.options}
    # Explanations name a position and start; a position open in several modes
    # has one option per mode there, and a blocker holds if it holds for one.
    by_start: dict[tuple[str, str, date], list[Option]] = {}
    for opt in problem.options:
        by_start.setdefault((opt.candidate, opt.position, opt.start), []).append(opt)
    positions = {p.id: p for p in problem.positions}
    candidates = {c.id: c for c in problem.candidates}

    if not result.status.has_solution:
        if result.assignments:
            bad.append(
                f"status: a {result.status.value} result has {len(result.assignments)} placements"
            )
        if bad:
            raise CheckError(bad)
        return

    # Placements are options, once per candidate.
    chosen: list[Option] = []
    placed: dict[str, str] = {}
    for a in result.assignments:
        o = options.get((a.candidate, a.position, a.start, a.mode))
        if a.candidate in placed:
            bad.append(
                f"one placement per candidate: {a.candidate} is placed in {placed[a.candidate]} "
                f"and {a.position}"
            )
            continue
        placed[a.candidate] = a.position
        if o is None:
            bad.append(
                f"options: {a.candidate} in {a.position} from {a.start} is not an option "
                "of the problem (ineligible, unranked or not an allowed start)"
            )
            continue
        if a.end != o.stay.end or a.mode is not o.mode:
            bad.append(
                f"options: {a.candidate} in {a.position} ends {a.end} ({a.mode.value}), "
                f"the option says {o.stay.end} ({o.mode.value})"
            )
        chosen.append(o)

    # Side constraints, over the options actually chosen.
    bad.extend(v.message for v in constraint_violations(problem, chosen))
    size = len(chosen)
    holders: dict[str, list[str]] = {}
    for o in sorted(chosen, key=lambda x: x.candidate):
        holders.setdefault(o.position, []).append(o.candidate)
    per_host = Counter(positions[o.position].host for o in chosen)
    caps = {h.host: h.cap for h in cons.host_caps}
    beds_used: Counter[YearMonth] = Counter(m for o in chosen for m in o.bed_months)
    beds = {b.month: b.beds for b in cons.beds}
    spent = sum((o.cost.amount for o in chosen if o.cost is not None), Decimal(0))

    def in_quota(q: Quota, o: Option) -> bool:
        return (q.year is None or o.start.year == q.year) and _counts(
            q.dimension, q.key, candidates[o.candidate], positions[o.position]
        )

    quota_counts = {q: sum(1 for o in chosen if in_quota(q, o)) for q in cons.quotas}

    def quota_count(q: Quota, extra: Option) -> int:
        return quota_counts[q] + in_quota(q, extra)

    # Totals by payer, as the result reports them.
    paid = _paid(chosen)
    for t in result.payer_totals:
        got = paid.get(t.payer, Decimal(0))
        if t.used.amount != got:
            bad.append(f"payer totals: {t.payer} pays {got}, the result says {t.used}")
    reported = {t.payer for t in result.payer_totals}
    for payer in sorted(set(paid) - reported):
        bad.append(f"payer totals: {payer} pays {paid[payer]} but the result has no total")

    # Strict stability.
    if problem.stability is Stability.STRICT:
        cand_ranks, pos_ranks, capacities = preferences_of(problem)
        assignment: dict[str, str | None] = {c: placed.get(c) for c in candidates}
        for b in blocking_pairs(cand_ranks, pos_ranks, capacities, assignment):
            bad.append(f"stability: blocking pair {b.candidate}-{b.position}: {b.reason}")

    # Everyone placed or explained, and explanations true.
    explained = {e.candidate: e for e in result.unplaced}
    for c in sorted(candidates):
        if c in placed and c in explained:
            bad.append(f"explanations: {c} is placed and also explained as unplaced")
        elif c not in placed and c not in explained:
            bad.append(f"explanations: {c} is neither placed nor explained")
    for c in sorted(set(explained) - set(candidates)):
        bad.append(f"explanations: {c} is not a candidate of the problem")
    excluded = {(x.candidate, x.position) for x in problem.exclusions}
    with_options = {o.candidate for o in problem.options}
    for c, e in sorted(explained.items()):
        if c not in candidates or c in placed:
            continue
        has_options = c in with_options
        if e.ineligible == has_options:
            state = "has" if has_options else "has no"
            bad.append(f"explanations: {c} {state} options but ineligible={e.ineligible}")
        for r in e.reasons:
            where = f"explanations: {c} in {r.position}" + (f" from {r.start}" if r.start else "")
            if r.rule_reasons:
                if (c, r.position) not in excluded:
                    bad.append(f"{where}: cites rule reasons but the pair is not excluded")
                continue
            modes = by_start.get((c, r.position, r.start), []) if r.start else []
            if not modes:
                bad.append(f"{where}: names constraints but is not an option")
                continue
            if not r.blockers:
                bad.append(f"{where}: an eligible option without any blocker")
            first = modes[0]
            for blocker in r.blockers:
                claims = [
                    _false_claim(
                        blocker,
                        m,
                        positions[m.position],
                        size,
                        holders,
                        per_host,
                        caps,
                        beds_used,
                        beds,
                        spent,
                        paid,
                        problem,
                    )
                    for m in modes
                ]
                claim = None if None in claims else claims[0]
                subject = blocker.subject
                if claim is None and blocker.kind is BlockerKind.QUOTA_MAX and subject:
                    maxima = [q for q in cons.quotas if q.key == subject and q.maximum is not None]
                    if not maxima:
                        claim = f"there is no maximum quota for {subject}"
                    elif not any(
                        q.maximum is not None
                        and quota_count(q, first) > q.maximum.resolve(size + 1)
                        for q in maxima
                    ):
                        claim = f"one more in {subject} keeps within every maximum on it"
                if claim is not None:
                    bad.append(f"{where}: says {blocker.kind.value} but {claim}")
    if bad:
        raise CheckError(bad)


def preferences_of(
    problem: Problem,
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int] | None], dict[str, int]]:
    """Return a problem's rankings and capacities in the form :func:`blocking_pairs` takes.

    Parameters
    ----------
    problem
        A matching problem.

    Returns
    -------
    tuple
        ``(candidate_ranks, position_ranks, capacities)``: per candidate the
        rank of each position it has an option for (a candidate who ranked
        nothing ranks every option equally, one below the worst rank in the
        problem); per position the ranks it gives the candidates, or ``None``
        for a position that does not rank (indifferent); seats per position
        (one each in one-to-one mode).
    """
    worst = max((o.candidate_rank or 0 for o in problem.options), default=0) + 1
    cand_ranks: dict[str, dict[str, int]] = {c.id: {} for c in problem.candidates}
    pos_ranks: dict[str, dict[str, int] | None] = {
        p.id: {} if p.ranks_candidates else None for p in problem.positions
    }
    for o in problem.options:
        cand_ranks[o.candidate][o.position] = o.candidate_rank or worst
        ranks = pos_ranks[o.position]
        if ranks is not None and o.position_rank is not None:
            ranks[o.candidate] = o.position_rank
    one = problem.constraints.one_to_one
    capacities = {p.id: 1 if one else p.seats for p in problem.positions}
    return cand_ranks, pos_ranks, capacities


@attrs.frozen
class Violation:
    """One constraint a set of placements breaks.

    Parameters
    ----------
    constraint
        The constraint family: ``"one_per_candidate"``, ``"seats_full"``,
        ``"host_cap"``, ``"min_size"``, ``"max_size"``, ``"quota_min"``,
        ``"quota_max"``, ``"beds_full"``, ``"budget"``, ``"pins"`` or
        ``"forbidden"`` (the first ones are the values of
        :class:`sgcq.matching.BlockerKind` where one exists).
    subject
        The position, host, quota key, month (``"2020-09"``) or candidate
        concerned, if any.
    message
        A sentence with the numbers.
    """

    constraint: str
    subject: str | None
    message: str


def constraint_violations(problem: Problem, options: Iterable[Option]) -> tuple[Violation, ...]:
    """Return every side constraint of ``problem`` that placing ``options`` breaks.

    Plain code over the problem's data; no solver. Use it to ask "what if":
    add an option to a result's options and see what it would break.

    Parameters
    ----------
    problem
        The problem whose constraints apply.
    options
        The chosen options (at most one per candidate, or that is a violation).

    Returns
    -------
    tuple of Violation
        In a stable order: per candidate, seats, host caps, cohort size,
        quotas, beds by month, budget, pins, forbidden pairs.
    """
    chosen = list(options)
    cons = problem.constraints
    positions = {p.id: p for p in problem.positions}
    candidates = {c.id: c for c in problem.candidates}
    out: list[Violation] = []
    per_candidate = Counter(o.candidate for o in chosen)
    for c, n in sorted(per_candidate.items()):
        if n > 1:
            out.append(
                Violation("one_per_candidate", c, f"one placement per candidate: {c} has {n}")
            )
    per_position = Counter(o.position for o in chosen)
    for pid, n in sorted(per_position.items()):
        seats = 1 if cons.one_to_one else positions[pid].seats
        if (cons.seats or cons.one_to_one) and n > seats:
            out.append(
                Violation(
                    "seats_full", pid, f"seats: {pid} holds {n} candidates but has {seats} seat(s)"
                )
            )
    per_host = Counter(positions[o.position].host for o in chosen)
    for cap in sorted(cons.host_caps, key=lambda h: h.host):
        if per_host[cap.host] > cap.cap:
            out.append(
                Violation(
                    "host_cap",
                    cap.host,
                    f"host cap: {cap.host} holds {per_host[cap.host]} candidates, cap {cap.cap}",
                )
            )
    size = len(chosen)
    if cons.min_size is not None and size < cons.min_size:
        out.append(
            Violation("min_size", None, f"cohort size: {size} placed, minimum {cons.min_size}")
        )
    if cons.max_size is not None and size > cons.max_size:
        out.append(
            Violation("max_size", None, f"cohort size: {size} placed, maximum {cons.max_size}")
        )
    for q in cons.quotas:
        n = sum(
            1
            for o in chosen
            if (q.year is None or o.start.year == q.year)
            and _counts(q.dimension, q.key, candidates[o.candidate], positions[o.position])
        )
        what = f"{q.dimension.value} quota {q.key}"
        if q.minimum is not None and n < q.minimum.resolve(size):
            limit = _limit_text(q.minimum.resolve(size))
            out.append(
                Violation(
                    "quota_min",
                    q.key,
                    f"{what}: {n} placed, minimum {limit} ({q.minimum}) of {size}",
                )
            )
        if q.maximum is not None and n > q.maximum.resolve(size):
            limit = _limit_text(q.maximum.resolve(size))
            out.append(
                Violation(
                    "quota_max",
                    q.key,
                    f"{what}: {n} placed, maximum {limit} ({q.maximum}) of {size}",
                )
            )
    beds_used: Counter[YearMonth] = Counter(m for o in chosen for m in o.bed_months)
    for b in cons.beds:
        if beds_used[b.month] > b.beds:
            out.append(
                Violation(
                    "beds_full",
                    str(b.month),
                    f"beds: {beds_used[b.month]} beds held in {b.month}, capacity {b.beds}",
                )
            )
    spent = sum((o.cost.amount for o in chosen if o.cost is not None), Decimal(0))
    if cons.budget is not None and spent > cons.budget.amount:
        out.append(
            Violation(
                "budget",
                None,
                f"budget: placements cost {spent} {cons.budget.currency}, budget {cons.budget}",
            )
        )
    paid = _paid(chosen)
    for pb in cons.payer_budgets:
        total = paid.get(pb.payer, Decimal(0))
        if total > pb.budget.amount:
            out.append(
                Violation(
                    "budget",
                    pb.payer,
                    f"budget of {pb.payer}: placements cost it {total} {pb.budget.currency}, "
                    f"budget {pb.budget}",
                )
            )
    by_candidate = {o.candidate: o for o in chosen}
    for pin in cons.pins:
        got = by_candidate.get(pin.candidate)
        if got is None or got.position != pin.position or (pin.start and got.start != pin.start):
            where = "unplaced" if got is None else f"in {got.position} from {got.start}"
            out.append(
                Violation(
                    "pins",
                    pin.candidate,
                    f"pins: {pin.candidate} is pinned to {pin.position} but is {where}",
                )
            )
    forbidden = {(f.candidate, f.position) for f in cons.forbidden}
    for o in chosen:
        if (o.candidate, o.position) in forbidden:
            out.append(
                Violation(
                    "forbidden",
                    o.candidate,
                    f"forbidden: {o.candidate} is placed in {o.position}, a forbidden pair",
                )
            )
    return tuple(out)


def _counts(
    dimension: QuotaDimension, key: str, candidate: MatchCandidate, position: MatchPosition
) -> bool:
    """Whether placing ``candidate`` in ``position`` counts towards a quota (plain code)."""
    if dimension is QuotaDimension.UNIVERSITY:
        return candidate.university == key
    if dimension is QuotaDimension.NATIONALITY:
        return key in candidate.nationalities
    if dimension is QuotaDimension.FIELD:
        return key in position.fields
    if dimension is QuotaDimension.HOST:
        return position.host == key
    if dimension is QuotaDimension.POSITION:
        return position.id == key
    if dimension is QuotaDimension.HOST_COUNTRY:
        return position.country == key
    return position.direction == key


def _paid(chosen: Iterable[Option]) -> dict[str, Decimal]:
    """Return what each payer (other than the allowances) pays for the options."""
    out: dict[str, Decimal] = {}
    for o in chosen:
        for pc in o.payer_costs:
            out[pc.payer] = out.get(pc.payer, Decimal(0)) + pc.cost.amount
    return out


def _false_claim(
    b: Blocker,
    o: Option,
    position: MatchPosition,
    size: int,
    holders: Mapping[str, list[str]],
    per_host: Counter[str],
    caps: Mapping[str, int],
    beds_used: Counter[YearMonth],
    beds: Mapping[YearMonth, int],
    spent: Decimal,
    paid: Mapping[str, Decimal],
    problem: Problem,
) -> str | None:
    """Return why blocker ``b`` of option ``o`` is false, or ``None`` if it holds."""
    from sgcq.matching import BlockerKind  # late: see the TYPE_CHECKING block

    cons = problem.constraints
    kind = b.kind
    if kind is BlockerKind.SEATS_FULL:
        seats = 1 if cons.one_to_one else position.seats
        held = holders.get(o.position, [])
        if len(held) < seats:
            return f"{o.position} holds {len(held)} of {seats} seat(s)"
        if b.candidates and sorted(b.candidates) != held:
            return f"the seats are held by {', '.join(held)}, not {', '.join(b.candidates)}"
        return None
    if kind is BlockerKind.HOST_CAP:
        cap = caps.get(position.host)
        if cap is None or per_host[position.host] < cap:
            return f"host {position.host} holds {per_host[position.host]}, cap {cap}"
        return None
    if kind is BlockerKind.BEDS_FULL:
        month = b.month
        if month is None or month not in o.bed_months:
            return f"the option holds no bed in {month}"
        capacity = beds.get(month)
        if capacity is None or beds_used[month] < capacity:
            return f"{beds_used[month]} of {capacity} beds are held in {month}"
        return None
    if kind is BlockerKind.BUDGET and b.subject is not None:
        budget = cons.payer_budget(b.subject)
        cost = next((pc.cost.amount for pc in o.payer_costs if pc.payer == b.subject), None)
        if budget is None or cost is None:
            return f"{b.subject} has no budget or pays nothing for the option"
        total = paid.get(b.subject, Decimal(0))
        if total + cost <= budget.amount:
            return f"{total} + {cost} is within {b.subject}'s budget {budget.amount}"
        return None
    if kind is BlockerKind.BUDGET:
        if cons.budget is None or o.cost is None:
            return "there is no budget or the option costs nothing"
        if spent + o.cost.amount <= cons.budget.amount:
            return f"{spent} + {o.cost.amount} is within the budget {cons.budget.amount}"
        return None
    if kind is BlockerKind.MAX_SIZE:
        if cons.max_size is None or size < cons.max_size:
            return f"{size} placed, maximum {cons.max_size}"
        return None
    if kind is BlockerKind.FORBIDDEN:
        if not any(f.candidate == o.candidate and f.position == o.position for f in cons.forbidden):
            return "the pair is not forbidden"
        return None
    # STABILITY, QUOTA_MIN, NOT_CHOSEN and QUOTA_MAX (checked by the caller)
    # depend on the whole solution; their message carries the argument.
    return None


# --- caps across cohorts -----------------------------------------------------------


def year_cap_violations(scenario: Scenario) -> tuple[Violation, ...]:
    """Return every programme year cap that the scenario's placements exceed.

    Plain code over the scenario: every placement that still holds a place
    (not withdrawn or declined) in a position of a programme counts, whatever
    its cohort, in the calendar year its period starts. A direction is
    ``sg_to_cq`` for a position in China and ``cq_to_sg`` for one in
    Singapore when the programme runs both ways, else the programme's own.

    Parameters
    ----------
    scenario
        The scenario whose ``placements`` are checked against its
        programmes' ``year_caps``.

    Returns
    -------
    tuple of Violation
        One ``"year_cap"`` violation per programme, cap and year over the
        cap, with the count; empty when every cap holds.

    Examples
    --------
    >>> from sgcq.scenarios import load_scenario
    >>> year_cap_violations(load_scenario("yes-2020"))
    ()
    """
    out: list[Violation] = []
    released = {PlacementStatus.WITHDRAWN, PlacementStatus.DECLINED}
    candidates = {c.id: c for c in scenario.candidates}
    for programme in scenario.programmes:
        if not programme.year_caps:
            continue
        positions = {p.id: p for p in scenario.positions if p.programme == programme.id}
        holding = [
            pl
            for pl in scenario.placements
            if pl.position in positions and pl.status not in released
        ]
        for cap in programme.year_caps:
            per_year: Counter[int] = Counter()
            for pl in holding:
                pos = positions[pl.position]
                cand = candidates[pl.candidate]
                if cap.dimension is QuotaDimension.UNIVERSITY:
                    hit = cand.university == cap.key
                elif cap.dimension is QuotaDimension.NATIONALITY:
                    hit = cap.key in cand.nationalities
                elif cap.dimension is QuotaDimension.FIELD:
                    hit = cap.key in pos.fields
                elif cap.dimension is QuotaDimension.HOST:
                    hit = pos.host == cap.key
                elif cap.dimension is QuotaDimension.POSITION:
                    hit = pos.id == cap.key
                elif cap.dimension is QuotaDimension.HOST_COUNTRY:
                    hit = pos.location.country == cap.key
                else:
                    way = programme.direction.value
                    if way == "both":
                        way = {"CN": "sg_to_cq", "SG": "cq_to_sg"}.get(pos.location.country, "")
                    hit = way == cap.key
                if hit:
                    per_year[pl.period.start.year] += 1
            for year, n in sorted(per_year.items()):
                if cap.applies_to(year) and n > cap.maximum:
                    out.append(
                        Violation(
                            "year_cap",
                            cap.key,
                            f"year cap of {programme.id}: {n} placements {cap.dimension.value} "
                            f"{cap.key} start in {year}, cap {cap.maximum}",
                        )
                    )
    return tuple(out)
