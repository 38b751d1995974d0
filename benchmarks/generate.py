"""Seeded generator of benchmark scenarios for the matcher.

Every number here is invented for benchmarking; the scenarios are
``illustrative``. An instance has ``n`` candidates from three Singapore
universities and about ``0.4 n`` on-site positions (``0.375 n`` at 40,000) at
host companies in Xiantao Big Data Valley, inside the Chongqing Pilot Free
Trade Zone and registered for the internship-visa route, so that every ranked
pair is eligible unless its dates do not fit.

* **Popularity is Zipf-skewed**: position ``k`` (in a shuffled order) is drawn
  with weight ``1 / (k + 1) ** zipf``; each candidate ranks 10 to 12 distinct
  positions, in draw order.
* **Hosts rank candidates** by a noisy shared score (a master list with noise),
  over the candidates that ranked them; ties are allowed with ``ties=True``.
* **Kinds**: ``pure`` has seats only and one start date (a capacitated
  assignment); ``side`` adds three start months, six-month stays, beds by
  month under the housing cover, university quotas (max shares and a
  minimum), and an allowance budget; ``stable`` is ``pure`` with strict
  preferences on both sides, for stable matching. ``hard`` is the
  side-constrained family where the greedy by score misses minimums
  (issues 17 and 18): uneven universities (ntu 50 %, nus 35 %, suss 15 %)
  whose smallest, suss, ranks the most popular positions and needs at least
  12 % of the placements; the least popular fifth of the positions are
  green-tech, with a minimum count (a twentieth of the cohort, or half of
  those who ranked a green-tech position if fewer); ntu at most 45 %; three start months and
  stays of three, four or six months (beds held only in covered months);
  beds by month and the budget below what the unconstrained best uses.

Run ``python benchmarks/generate.py 1000 --kind side -o side-1000.toml`` to
write one as a scenario file for ``sgcq match``.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from sgcq.models import (
    ZONE_CHONGQING_PILOT_FTZ,
    ZONE_XIANTAO_BIG_DATA_VALLEY,
    Allowance,
    Benefits,
    Candidate,
    Cohort,
    Count,
    DateRange,
    Direction,
    Duration,
    DurationBounds,
    DurationUnit,
    EducationKind,
    HousingTerms,
    Location,
    Mode,
    Money,
    MonthlyBeds,
    Organisation,
    Partner,
    Position,
    Programme,
    ProgrammeKind,
    Quota,
    QuotaDimension,
    Ranking,
    Role,
    Scenario,
    Share,
    StartDates,
    StudyStatus,
    YearMonth,
)

__all__ = ["KINDS", "make_instance"]

KINDS = ("hard", "pure", "side", "stable")

SG = Location("SG", "Singapore")
HOST_LOCATION = Location(
    "CN", "Chongqing", frozenset({ZONE_CHONGQING_PILOT_FTZ, ZONE_XIANTAO_BIG_DATA_VALLEY})
)
UNIVERSITIES = ("ntu", "nus", "suss")
FIELDS = ("big-data", "ai", "software", "fintech", "green-tech")
STARTS_SIDE = (date(2020, 7, 1), date(2020, 8, 3), date(2020, 9, 1))
START_PURE = date(2020, 7, 1)
PROGRAMME = "bench-programme"
COHORT = "bench-cohort"


def _positions_for(n: int) -> int:
    return max(2, (3 * n) // 8 if n >= 40_000 else (2 * n) // 5)


def _zipf_cumulative(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (k + 1) ** exponent for k in range(count)))


def _draw_distinct(
    rng: random.Random, order: list[int], cumulative: list[float], k: int
) -> list[int]:
    total = cumulative[-1]
    chosen: list[int] = []
    seen: set[int] = set()
    while len(chosen) < k:
        j = order[bisect.bisect_left(cumulative, rng.random() * total)]
        if j not in seen:
            seen.add(j)
            chosen.append(j)
    return chosen


def make_instance(
    n: int,
    *,
    kind: str = "pure",
    seed: int = 0,
    zipf: float = 0.8,
    ranks: tuple[int, int] = (10, 12),
    ties: bool = False,
) -> Scenario:
    """Return a seeded benchmark scenario with ``n`` candidates.

    Parameters
    ----------
    n
        Number of candidates (2 or more).
    kind
        ``"pure"``, ``"side"`` or ``"stable"`` (see the module docstring).
    seed
        Seed of the random generator; the same arguments give the same scenario.
    zipf
        Exponent of the popularity skew (0 means uniform).
    ranks
        Least and most positions each candidate ranks.
    ties
        Whether hosts' rankings may contain ties (never for ``"stable"``).

    Returns
    -------
    Scenario
        A valid, illustrative scenario with one programme and one cohort.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    rng = random.Random(f"{kind}-{n}-{seed}")
    m = _positions_for(n)
    n_hosts = max(1, m // 4)
    hard = kind == "hard"
    side = kind in ("side", "hard")
    strict = kind == "stable" or not ties
    six_months = DurationBounds.fixed(Duration(6, DurationUnit.MONTHS))
    starts = StartDates(STARTS_SIDE if side else (START_PURE,))

    hosts = tuple(
        Organisation(
            f"h{i:05d}",
            f"Benchmark host {i}",
            frozenset({Role.HOST_COMPANY}),
            HOST_LOCATION,
            visa_scheme_registered_on=date(2019, 12, 13),
        )
        for i in range(n_hosts)
    )
    universities = tuple(
        Organisation(
            u,
            f"Benchmark university {u}",
            frozenset({Role.SENDING_UNIVERSITY}),
            SG,
            education_kind=EducationKind.AUTONOMOUS_UNIVERSITY,
        )
        for u in UNIVERSITIES
    )
    government = Organisation(
        "bench-gov", "Benchmark host government", frozenset({Role.HOST_GOVERNMENT}), HOST_LOCATION
    )

    position_ids = [f"p{j:05d}" for j in range(m)]
    candidate_ids = [f"c{i:05d}" for i in range(n)]
    popularity = list(range(m))
    rng.shuffle(popularity)
    cumulative = _zipf_cumulative(m, zipf)
    lo, hi = min(ranks[0], m), min(ranks[1], m)
    if hard:
        # ntu 50 %, nus 35 %, suss 15 %; suss ranks the most popular positions.
        univ_of = [
            "ntu" if u < 0.5 else "nus" if u < 0.85 else "suss"
            for u in (rng.random() for _ in range(n))
        ]
        steep = _zipf_cumulative(m, 1.6)
        choices = [
            _draw_distinct(
                rng, popularity, steep if univ_of[i] == "suss" else cumulative, rng.randint(lo, hi)
            )
            for i in range(n)
        ]
        # The least popular fifth of the positions are the green-tech ones.
        green = set(popularity[m - max(1, m // 5) :])
        months_of = [rng.choice((3, 4, 6)) for _ in range(n)]
    else:
        univ_of = [UNIVERSITIES[i % len(UNIVERSITIES)] for i in range(n)]
        choices = [
            _draw_distinct(rng, popularity, cumulative, rng.randint(lo, hi)) for _ in range(n)
        ]
        green = set()
        months_of = [6] * n
    three_to_six = DurationBounds(
        Duration(3, DurationUnit.MONTHS), Duration(6, DurationUnit.MONTHS)
    )

    # Hosts rank the candidates who ranked them by a noisy shared score.
    score = [rng.random() for _ in range(n)]
    applicants: list[list[int]] = [[] for _ in range(m)]
    for i, chosen in enumerate(choices):
        for j in chosen:
            applicants[j].append(i)

    positions = []
    for j, pid in enumerate(position_ids):
        noisy = sorted(applicants[j], key=lambda i: score[i] + rng.gauss(0.0, 0.1))
        if strict:
            ranking = {candidate_ids[i]: r + 1 for r, i in enumerate(noisy)}
        else:
            ranking = {candidate_ids[i]: r // 2 + 1 for r, i in enumerate(noisy)}
        positions.append(
            Position(
                id=pid,
                host=hosts[j % n_hosts].id,
                title=f"Benchmark position {j}",
                fields=frozenset(
                    {
                        "green-tech"
                        if j in green
                        else FIELDS[j % (len(FIELDS) - 1 if hard else len(FIELDS))]
                    }
                ),
                seats=rng.choice((1, 1, 2, 2, 3)),
                mode=Mode.ON_SITE,
                location=HOST_LOCATION,
                starts=starts,
                duration=three_to_six if hard else six_months,
                hours_per_week=Decimal(40),
                allowance=Allowance(
                    Money(Decimal(rng.choice((3000, 4000, 5000))), "CNY"), hosts[j % n_hosts].id
                )
                if side
                else None,
                housing_cover=side,
                candidate_preferences=Ranking(ranking) if ranking else None,
                programme=PROGRAMME,
            )
        )

    available = DateRange(date(2020, 6, 1), date(2021, 6, 1))
    candidates = tuple(
        Candidate(
            id=cid,
            university=univ_of[i],
            nationalities=frozenset({"SG"}),
            study=StudyStatus(enrolled_full_time_until=date(2022, 5, 31)),
            discipline=FIELDS[i % len(FIELDS)],
            available=available,
            duration=DurationBounds.fixed(Duration(months_of[i], DurationUnit.MONTHS))
            if hard
            else six_months,
            modes=frozenset({Mode.ON_SITE}),
            date_of_birth=date(2000, 1, 1),
            preferences=Ranking({position_ids[j]: r + 1 for r, j in enumerate(choices[i])}),
            cohort=COHORT,
        )
        for i, cid in enumerate(candidate_ids)
    )

    quotas: tuple[Quota, ...] = ()
    beds: tuple[MonthlyBeds, ...] = ()
    budget = None
    if hard:
        # Half of those who ranked a green-tech position can be placed there
        # (and at most a twentieth of the cohort), so the minimum binds and is
        # feasible: with 15,000 positions the least popular fifth draws few.
        green_applicants = sum(1 for chosen in choices if green.intersection(chosen))
        green_seats = sum(p.seats for j, p in enumerate(positions) if j in green)
        green_minimum = min(n // 20, green_applicants // 2, green_seats // 2)
        quotas = (
            Quota(QuotaDimension.UNIVERSITY, "ntu", maximum=Share(Decimal("0.45"))),
            Quota(
                QuotaDimension.UNIVERSITY,
                "suss",
                minimum=Share(Decimal("0.12")),
            ),
            Quota(QuotaDimension.FIELD, "green-tech", minimum=Count(green_minimum)),
        )
        month = YearMonth(2020, 7)
        peak = (40 * n) // 100
        profile = (50, 80, 100, 100, 100, 90, 60, 30, 10, 0)
        bed_list = []
        for share in profile:
            bed_list.append(MonthlyBeds(month, (peak * share) // 100))
            month = month.next()
        beds = tuple(bed_list)
        budget = Money(Decimal(n) * Decimal(6_000), "CNY")
    elif side:
        quotas = (
            Quota(QuotaDimension.UNIVERSITY, "ntu", maximum=Share(Decimal("0.4"))),
            Quota(QuotaDimension.UNIVERSITY, "nus", maximum=Share(Decimal("0.4"))),
            Quota(QuotaDimension.UNIVERSITY, "suss", minimum=Count(n // 20)),
        )
        month = YearMonth(2020, 7)
        peak = (55 * n) // 100
        profile = (40, 70, 100, 100, 100, 100, 60, 30, 0)
        bed_list = []
        for share in profile:
            bed_list.append(MonthlyBeds(month, (peak * share) // 100))
            month = month.next()
        beds = tuple(bed_list)
        budget = Money(Decimal(n) * Decimal(12_500), "CNY")

    cohort = Cohort(
        id=COHORT,
        programme=PROGRAMME,
        intake=DateRange(date(2020, 6, 1), date(2021, 1, 1)),
        quotas=quotas,
        beds=beds,
        allowance_budget=budget,
    )
    programme = Programme(
        id=PROGRAMME,
        name="Benchmark internship programme",
        kind=ProgrammeKind.INTERNSHIP,
        direction=Direction.SG_TO_CQ,
        partners=(
            *(Partner(u, Role.SENDING_UNIVERSITY) for u in UNIVERSITIES),
            Partner("bench-gov", Role.HOST_GOVERNMENT),
        ),
        benefits=Benefits(
            allowance=side,
            housing=HousingTerms(max_months=6, payer="bench-gov") if side else None,
        ),
    )
    return Scenario(
        id=f"bench-{kind}-{n}",
        name=f"Benchmark ({kind}, {n} candidates, seed {seed})",
        description="Generated by benchmarks/generate.py.",
        illustrative=True,
        notes="Every number is invented for benchmarking.",
        as_of=date(2020, 6, 1),
        organisations=(*universities, government, *hosts),
        programmes=(programme,),
        cohorts=(cohort,),
        candidates=candidates,
        positions=tuple(positions),
    )


def main(argv: list[str] | None = None) -> int:
    """Write one generated scenario as TOML or JSON."""
    from sgcq.serialization import dump

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of candidates")
    parser.add_argument("--kind", choices=KINDS, default="pure")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, required=True, help=".toml or .json file")
    args = parser.parse_args(argv)
    dump(make_instance(args.n, kind=args.kind, seed=args.seed), args.output)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
