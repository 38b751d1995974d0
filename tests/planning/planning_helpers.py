"""Small, deterministic problems for the planning tests (every solve in well under a second)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import attrs

from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Option,
    PayerCost,
    Problem,
    Settings,
)
from sgcq.models import (
    Count,
    DateRange,
    Mode,
    Money,
    MonthlyBeds,
    PayerBudget,
    Quota,
    QuotaDimension,
    YearMonth,
)

#: Reproducible settings: one worker, a deterministic limit.
TEST_SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=5.0)

STARTS = (date(2020, 7, 1), date(2020, 8, 1), date(2020, 9, 1))


def small_problem(seed: int = 0, candidates: int = 12, positions: int = 5) -> Problem:
    """A problem with beds by month, a budget in SGD, a field quota and a maximum size.

    Every allowance is in CNY and converted at 5 CNY per SGD, so exchange
    rates can vary.
    """
    rng = random.Random(seed)
    fields = ("big-data", "ai", "arts")
    cands = [MatchCandidate(f"c{i}", rng.choice(("ntu", "nus"))) for i in range(candidates)]
    poss = [
        MatchPosition(f"p{j}", f"h{j % 3}", rng.randint(1, 3), frozenset({fields[j % 3]}))
        for j in range(positions)
    ]
    options = []
    for c in cands:
        ranked = rng.sample([p.id for p in poss], k=min(3, positions))
        for rank, pid in enumerate(ranked, start=1):
            for start in STARTS[: rng.randint(1, 3)]:
                stay = DateRange.of_months(start, rng.randint(2, 4))
                cny = Decimal(rng.choice((5000, 10000, 15000)))
                options.append(
                    Option(
                        c.id,
                        pid,
                        start,
                        stay,
                        Mode.ON_SITE,
                        candidate_rank=rank,
                        bed_months=tuple(stay.calendar_months()),
                        cost=Money(cny / 5, "SGD"),
                        allowance=Money(cny, "CNY"),
                    )
                )
    constraints = Constraints(
        max_size=candidates - 2,
        quotas=(Quota(QuotaDimension.FIELD, "arts", maximum=Count(2)),),
        beds=tuple(
            MonthlyBeds(YearMonth(2020, m), n) for m, n in ((8, 5), (9, 6), (10, 5), (11, 3))
        ),
        budget=Money(12000, "SGD"),
    )
    return Problem(cands, poss, options, constraints=constraints)


def payer_problem(seed: int = 3, district: Decimal | None = Decimal(9000)) -> Problem:
    """:func:`small_problem` with two more payers: a district paying housing, a visa sponsor.

    The district pays CNY 1,000 a bed month against a budget of ``district``
    CNY (none when ``None``); the sponsor pays a flat SGD 50 visa fee and has
    no budget. Illustrative figures for tests only.
    """
    base = small_problem(seed)
    options = tuple(
        attrs.evolve(
            o,
            payer_costs=(
                PayerCost("district", Money(1000 * len(o.bed_months), "CNY")),
                PayerCost("sponsor", Money(50, "SGD")),
            ),
        )
        for o in base.options
    )
    budgets = () if district is None else (PayerBudget("district", Money(district, "CNY")),)
    constraints = attrs.evolve(base.constraints, payer_budgets=budgets)
    return attrs.evolve(base, options=options, constraints=constraints)
