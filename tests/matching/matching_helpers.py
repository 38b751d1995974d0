"""Helpers for the matching tests: seeded synthetic problems and plain-code checks.

The checks here use only the public data of a :class:`Problem` and a
:class:`Result` and no solver, so they are independent of the matcher.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sgcq.matching import (
    Constraints,
    ForbiddenPair,
    HostCap,
    MatchCandidate,
    MatchPosition,
    Option,
    Problem,
    Result,
    Settings,
)
from sgcq.models import (
    Count,
    DateRange,
    Mode,
    Money,
    MonthlyBeds,
    Quota,
    QuotaDimension,
    Share,
    YearMonth,
    add_months,
)

UNIVERSITIES = ("ntu", "nus", "suss")
FIELDS = ("ai", "fintech", "big-data")
STARTS = (date(2020, 7, 1), date(2020, 8, 1), date(2020, 9, 1))

#: Solver settings for tests: one worker, fixed seed, deterministic limit.
TEST_SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=20.0)


def random_problem(
    seed: int,
    *,
    candidates: int = 8,
    positions: int = 4,
    max_ranks: int = 3,
    seats: int = 2,
    host_ranks: bool = True,
    ties: bool = False,
    starts: int = 1,
    side: bool = False,
    strict_side: bool = False,
) -> Problem:
    """Return a seeded random problem.

    ``side`` adds host caps, quotas, beds, a budget and a maximum size drawn
    from the instance; ``ties`` allows equal ranks on both sides.
    """
    rng = random.Random(seed)
    cands = [
        MatchCandidate(f"c{i}", rng.choice(UNIVERSITIES), priority=rng.randint(1, 3))
        for i in range(candidates)
    ]
    poss = [
        MatchPosition(
            f"p{j}",
            f"h{j % 3}",
            rng.randint(1, seats),
            frozenset(rng.sample(FIELDS, rng.randint(0, 2))),
            ranks_candidates=host_ranks,
        )
        for j in range(positions)
    ]
    chosen: dict[str, list[tuple[str, int]]] = {}
    for c in cands:
        k = rng.randint(1, min(max_ranks, positions))
        picks = rng.sample([p.id for p in poss], k)
        ranks = [rng.randint(1, k) for _ in picks] if ties else list(range(1, k + 1))
        chosen[c.id] = list(zip(picks, ranks, strict=True))
    host_rank: dict[tuple[str, str], int] = {}
    for p in poss:
        applicants = [c for c, picks in chosen.items() if any(q == p.id for q, _ in picks)]
        rng.shuffle(applicants)
        for r, c in enumerate(applicants, start=1):
            host_rank[(c, p.id)] = rng.randint(1, max(1, len(applicants))) if ties else r
    options = []
    for c in cands:
        for pid, rank in chosen[c.id]:
            for start in STARTS[: rng.randint(1, starts)]:
                stay = DateRange(start, add_months(start, rng.choice((2, 3, 4))))
                options.append(
                    Option(
                        c.id,
                        pid,
                        start,
                        stay,
                        Mode.ON_SITE,
                        candidate_rank=rank,
                        position_rank=host_rank[(c.id, pid)] if host_ranks else None,
                        bed_months=tuple(stay.calendar_months()),
                        cost=Money(rng.randint(1, 4) * 1000, "SGD") if side else None,
                    )
                )
    constraints = Constraints()
    if side:
        months = sorted({m for o in options for m in o.bed_months})
        constraints = Constraints(
            host_caps=(HostCap("h0", rng.randint(0, 3)),),
            max_size=rng.randint(candidates // 2, candidates),
            quotas=(
                Quota(QuotaDimension.UNIVERSITY, "nus", maximum=Share(Decimal("0.5"))),
                Quota(QuotaDimension.UNIVERSITY, "suss", minimum=Share(Decimal("0.2"))),
                Quota(QuotaDimension.FIELD, "ai", maximum=Count(rng.randint(1, 3))),
            ),
            forbidden=tuple(ForbiddenPair(o.candidate, o.position) for o in rng.sample(options, 1)),
            beds=tuple(MonthlyBeds(m, rng.randint(1, candidates)) for m in months[::2]),
            budget=Money(rng.randint(2, candidates) * 1000, "SGD"),
            min_size=1 if strict_side else None,
        )
    return Problem(candidates=cands, positions=poss, options=options, constraints=constraints)


# --- independent checks --------------------------------------------------------


def option_of(problem: Problem, candidate: str, position: str, start: date) -> Option:
    """Return the option a placement uses."""
    for o in problem.options:
        if (o.candidate, o.position, o.start) == (candidate, position, start):
            return o
    raise AssertionError(f"no option {candidate} {position} {start}")


def broken_constraints(problem: Problem, placed: list[Option]) -> set[tuple[str, str | None]]:
    """Return ``(kind, subject)`` for every constraint the placements break (plain code)."""
    out: set[tuple[str, str | None]] = set()
    cons = problem.constraints
    per_cand = Counter(o.candidate for o in placed)
    if any(k > 1 for k in per_cand.values()):
        out.add(("one_per_candidate", None))
    pos = {p.id: p for p in problem.positions}
    per_pos = Counter(o.position for o in placed)
    for pid, k in per_pos.items():
        cap = 1 if cons.one_to_one else pos[pid].seats
        if (cons.seats or cons.one_to_one) and k > cap:
            out.add(("seats_full", pid))
    per_host = Counter(pos[o.position].host for o in placed)
    for h in cons.host_caps:
        if per_host[h.host] > h.cap:
            out.add(("host_cap", h.host))
    beds: Counter[YearMonth] = Counter(m for o in placed for m in o.bed_months)
    for b in cons.beds:
        if beds[b.month] > b.beds:
            out.add(("beds_full", str(b.month)))
    if cons.budget is not None:
        spent = sum((o.cost.amount for o in placed if o.cost is not None), Decimal(0))
        if spent > cons.budget.amount:
            out.add(("budget", None))
    n = len(placed)
    if cons.max_size is not None and n > cons.max_size:
        out.add(("max_size", None))
    if cons.min_size is not None and n < cons.min_size:
        out.add(("min_size", None))
    univ = {c.id: c.university for c in problem.candidates}
    for q in cons.quotas:
        if q.dimension is QuotaDimension.UNIVERSITY:
            cnt = sum(1 for o in placed if univ[o.candidate] == q.key)
        else:
            cnt = sum(1 for o in placed if q.key in pos[o.position].fields)
        hi, lo = q.maximum, q.minimum
        if hi is not None and Fraction(cnt) > Fraction(hi.resolve(n)):
            out.add(("quota_max", q.key))
        if lo is not None and Fraction(cnt) < Fraction(lo.resolve(n)):
            out.add(("quota_min", q.key))
    banned = {(f.candidate, f.position) for f in cons.forbidden}
    if any((o.candidate, o.position) in banned for o in placed):
        out.add(("forbidden", None))
    return out


def placed_options(problem: Problem, result: Result) -> list[Option]:
    """Return the options the result's placements use."""
    return [option_of(problem, a.candidate, a.position, a.start) for a in result.assignments]


def rank_maps(
    problem: Problem,
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int] | None], dict[str, int]]:
    """Return candidate ranks, host ranks and seats in the checker's format."""
    worst = max((o.candidate_rank or 0 for o in problem.options), default=1)
    c_ranks: dict[str, dict[str, int]] = {c.id: {} for c in problem.candidates}
    p_ranks: dict[str, dict[str, int] | None] = {
        p.id: ({} if p.ranks_candidates else None) for p in problem.positions
    }
    for o in problem.options:
        c_ranks[o.candidate][o.position] = o.candidate_rank or worst
        ranks = p_ranks[o.position]
        if ranks is not None and o.position_rank is not None:
            ranks[o.candidate] = o.position_rank
    caps = {p.id: (1 if problem.constraints.one_to_one else p.seats) for p in problem.positions}
    return c_ranks, p_ranks, caps
