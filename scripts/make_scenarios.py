"""Build the bundled scenarios in src/sgcq/data/scenarios/ deterministically.

Run ``python scripts/make_scenarios.py`` to (re)write the TOML files, or
``python scripts/make_scenarios.py --check`` to regenerate them in memory and
exit 1 if a committed file differs (CI does this).

Facts come from the programmes' press releases and official pages and carry a
Citation. Every number the sources do not give (allowances, seats, beds,
budgets, quotas, candidates' details) is invented here with a seeded
``random.Random`` and the scenario says so (``illustrative = true`` and notes).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from attrs import evolve

from sgcq.models import (
    ZONE_CHONGQING_PILOT_FTZ,
    ZONE_XIANTAO_BIG_DATA_VALLEY,
    Allowance,
    Benefits,
    Candidate,
    Citation,
    Cohort,
    Comparator,
    Confidence,
    Count,
    DateRange,
    Degree,
    Direction,
    Duration,
    DurationBounds,
    DurationUnit,
    EducationKind,
    ExchangeRate,
    Funding,
    HousingTerms,
    HybridSplit,
    Indicator,
    Location,
    Measure,
    Mode,
    Money,
    MonthlyBeds,
    Observation,
    Organisation,
    Partner,
    Phase,
    Position,
    Programme,
    ProgrammeKind,
    Quota,
    QuotaDimension,
    Ranking,
    RateTable,
    Role,
    Scenario,
    SegmentPlan,
    SegmentSpec,
    Share,
    StartDates,
    StartWindow,
    StudyStatus,
    Target,
    YearCap,
    YearMonth,
)
from sgcq.serialization import dump, dumps_toml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "sgcq" / "data" / "scenarios"

# --- citations (facts from public sources) -----------------------------------

NTU_MAY_2020 = Citation(
    "NTU press release: NTU, WiseNet Asia and Yubei District offer internships in Chongqing",
    date(2020, 5, 13),
    "agreement signed 12 May 2020; all disciplines; start in H2 2020; allowance; visas, "
    "accommodation and meals for up to six months",
)
WISENET_SEP_2019 = Citation(
    "WiseNet Asia release: Singapore-China (Chongqing) Economic and Trade Cooperation Forum",
    date(2019, 9, 11),
    "WiseNet Asia, Xiantao Big Data Valley Investment and Administration Co. and Yubei "
    "High-level Talent Service Center: internships and jobs for overseas young talents",
)
CQ_DEC_2019 = Citation(
    "Chongqing release: first internship visas for foreign students",
    date(2019, 12, 13),
    "19 NUS interns, 5 weeks, S2 visa for interns of registered Pilot FTZ enterprises; "
    "about 100 students planned for the next summer",
)
NTU_DEC_2020 = Citation(
    "NTU press release: SSIJRI funding and NTU China (West) Innovation Base",
    date(2020, 12, 8),
    "Xiantao International Big Data Valley has 700+ companies",
)
REMOTE_GUIDE_2020 = Citation(
    "WiseNet Asia guide on remote internships",
    date(2020, 11, 1),
    "hosts in SG, MY, TH, AU, CN; typically 3 to 6 months at 20 to 30 hours a week",
    Confidence.LOW,
)
SUSS_OCT_2020 = Citation(
    "WiseNet Asia and SUSS MOU announcement",
    date(2020, 10, 26),
    "overseas internships remote or on site by each country's COVID-19 measures; overseas "
    "companies expanding into Singapore/ASEAN matched with a SUSS co-founder",
)
YES_2019 = Citation(
    "yes.org.sg: Singapore-China Youth Interns Exchange Scheme",
    date(2019, 10, 15),
    "signed at the 15th JCBC; up to 500 interns a year each way; up to 6 months; "
    "full-time students of autonomous universities or polytechnics, once only, aged 18+",
)

ILLUSTRATIVE_NOTE = (
    "Invented (illustrative): every host and position name, seat count, allowance amount, "
    "hours, start date, bed count, budget, quota, exchange rate and everything about the "
    "candidates (disciplines, dates, preferences). Sourced facts carry a citation."
)

# --- shared organisations -----------------------------------------------------

SG = Location("SG", "Singapore")
CQ = Location("CN", "Chongqing")
CQ_XIANTAO = Location("CN", "Chongqing", frozenset({ZONE_XIANTAO_BIG_DATA_VALLEY}))


def university(id_: str, name: str, location: Location = SG) -> Organisation:
    kind = (
        EducationKind.AUTONOMOUS_UNIVERSITY
        if location.country == "SG"
        else EducationKind.OTHER_UNIVERSITY
    )
    return Organisation(
        id_, name, frozenset({Role.SENDING_UNIVERSITY}), location, education_kind=kind
    )


NTU = university("ntu", "Nanyang Technological University, Singapore")
NUS = university("nus", "National University of Singapore")
SUSS = university("suss", "Singapore University of Social Sciences")
WISENET = Organisation(
    "wisenet", "WiseNet Asia Pte Ltd", frozenset({Role.COORDINATOR}), SG, notes=str(NTU_MAY_2020)
)
YDPG = Organisation(
    "ydpg",
    "Chongqing Yubei District People's Government",
    frozenset({Role.HOST_GOVERNMENT}),
    CQ,
    notes=str(NTU_MAY_2020),
)
YUBEI_TALENT = Organisation(
    "yubei-talent",
    "Chongqing Yubei District High-level Talent Service Center",
    frozenset({Role.TALENT_SERVICE_CENTRE}),
    CQ,
    notes=str(WISENET_SEP_2019),
)
XIANTAO_CO = Organisation(
    "xiantao-bdv-co",
    "Chongqing Xiantao Big Data Valley Investment and Administration Co., Ltd",
    frozenset({Role.TALENT_SERVICE_CENTRE}),
    CQ_XIANTAO,
    notes=str(WISENET_SEP_2019),
)
CQ_EXIT_ENTRY = Organisation(
    "cq-exit-entry",
    "Exit-Entry Administration, Chongqing Municipal Public Security Bureau",
    frozenset({Role.VISA_AUTHORITY}),
    CQ,
    notes=str(CQ_DEC_2019),
)

#: The day the Chongqing S2 internship route began (source: Chongqing release, 13 Dec 2019).
S2_START = date(2019, 12, 13)

# --- helpers ------------------------------------------------------------------


def months(lo: int, hi: int | None = None) -> DurationBounds:
    return DurationBounds(
        Duration(lo, DurationUnit.MONTHS), Duration(hi or lo, DurationUnit.MONTHS)
    )


def ranked(rng: random.Random, ids: Sequence[str], ties: bool) -> Ranking:
    """Rank ``ids`` best first; with ``ties``, one pair shares a rank."""
    ranks: dict[str, int] = {}
    rank = 0
    tie_at = rng.randrange(1, len(ids)) if ties and len(ids) > 1 else -1
    for i, pid in enumerate(ids):
        if i != tie_at:
            rank += 1
        ranks[pid] = rank
    return Ranking(ranks)


def pick_preferences(
    rng: random.Random,
    liked: Sequence[str],
    others: Sequence[str],
    n: int,
) -> list[str]:
    """Choose ``n`` distinct ids, mostly from ``liked``, best first."""
    pool = list(liked)
    rng.shuffle(pool)
    chosen = pool[: max(1, (n * 3) // 4)]
    rest = [x for x in others if x not in chosen]
    rng.shuffle(rest)
    chosen += rest[: n - len(chosen)]
    return chosen[:n]


def birth_date(rng: random.Random, first_year: int, last_year: int) -> date:
    return date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


# --- ntu-ydpg-2020 ------------------------------------------------------------

NTU_DISCIPLINES: dict[str, tuple[str, ...]] = {
    # discipline -> the position fields it most likes
    "computer-science": ("software", "ai", "big-data"),
    "computer-engineering": ("software", "ai", "big-data"),
    "data-science-and-ai": ("ai", "big-data"),
    "electrical-engineering": ("green-tech", "software", "ai"),
    "mechanical-engineering": ("green-tech",),
    "environmental-engineering": ("green-tech",),
    "mathematics": ("big-data", "ai", "accountancy"),
    "physics": ("big-data", "green-tech"),
    "business": ("accountancy", "fashion", "big-data"),
    "accountancy": ("accountancy",),
    "economics": ("accountancy", "big-data"),
    "art-design-media": ("arts", "fashion"),
    "communication-studies": ("arts", "fashion"),
    "chinese": ("arts", "accountancy"),
    "psychology": ("ai", "arts"),
    "biological-sciences": ("green-tech", "big-data"),
}

NTU_FIELDS: tuple[tuple[str, int], ...] = (
    ("big-data", 14),
    ("ai", 12),
    ("software", 10),
    ("accountancy", 7),
    ("fashion", 5),
    ("arts", 5),
    ("green-tech", 7),
)

FIELD_SKILLS: dict[str, tuple[str, ...]] = {
    "big-data": ("python", "sql", "spark"),
    "ai": ("python", "machine-learning", "pytorch"),
    "software": ("python", "java", "javascript"),
    "accountancy": ("excel", "ifrs"),
    "fashion": ("design", "marketing"),
    "arts": ("design", "video"),
    "green-tech": ("cad", "energy-modelling"),
}


def ntu_ydpg_2020() -> Scenario:
    rng = random.Random(20200513)
    programme_id = "ntu-ydpg-internships"
    cohort_id = "ntu-ydpg-2020-h2"
    h2 = DateRange(date(2020, 7, 1), date(2021, 1, 1))

    hosts: list[Organisation] = []
    for i in range(1, 26):
        in_ftz = i % 5 != 0  # 20 of 25 in the Pilot FTZ (illustrative)
        registered = in_ftz and i % 4 != 0  # some FTZ hosts have not registered
        zones = {ZONE_XIANTAO_BIG_DATA_VALLEY}
        if in_ftz:
            zones.add(ZONE_CHONGQING_PILOT_FTZ)
        registered_on = None
        if registered:
            registered_on = S2_START if i % 3 else date(2020, 6, 1)
        hosts.append(
            Organisation(
                f"xt-host-{i:02d}",
                f"Xiantao host company {i:02d} (illustrative)",
                frozenset({Role.HOST_COMPANY}),
                Location("CN", "Chongqing", frozenset(zones)),
                visa_scheme_registered_on=registered_on,
                well_known=i in (1, 2, 3),
                notes="illustrative host in Xiantao International Big Data Valley",
            )
        )

    fields = [f for f, n in NTU_FIELDS for _ in range(n)]
    positions: list[Position] = []
    for k, field in enumerate(fields, start=1):
        host = hosts[(k * 7) % len(hosts)]
        extra = {field}
        if field == "big-data" and k % 3 == 0:
            extra.add("ai")
        choice = rng.randrange(4)
        if choice == 0:
            starts: StartDates | StartWindow = StartDates(
                (date(2020, 7, 1), date(2020, 9, 1), date(2020, 11, 2))
            )
        else:
            starts = StartWindow(h2)
        duration = (months(3, 6), months(6), months(4, 6), months(3))[rng.randrange(4)]
        positions.append(
            Position(
                id=f"ntu-p{k:02d}",
                host=host.id,
                title=f"{field.replace('-', ' ').title()} intern",
                fields=frozenset(extra),
                seats=rng.choice((1, 1, 2, 2, 3)),
                mode=Mode.ON_SITE,
                location=host.location,
                starts=starts,
                duration=duration,
                hours_per_week=Decimal(40),
                allowance=Allowance(
                    Money(Decimal(rng.choice((3000, 3500, 4000, 4500, 5000))), "CNY"), host.id
                ),
                housing_cover=True,
                required_skills=frozenset(rng.sample(FIELD_SKILLS[field], 1)),
                languages=frozenset({"en"}) if k % 4 else frozenset({"en", "zh"}),
                programme=programme_id,
            )
        )
    by_field: dict[str, list[str]] = {}
    for p in positions:
        for f in p.fields:
            by_field.setdefault(f, []).append(p.id)
    all_positions = [p.id for p in positions]

    disciplines = list(NTU_DISCIPLINES)
    candidates: list[Candidate] = []
    for i in range(1, 121):
        discipline = disciplines[i % len(disciplines)]
        liked = sorted({pid for f in NTU_DISCIPLINES[discipline] for pid in by_field[f]})
        n = rng.randint(3, 10)
        prefs = pick_preferences(rng, liked, all_positions, n)
        graduate = i % 12 == 0  # a few fresh graduates looking for full-time jobs
        study = (
            StudyStatus(graduated_on=date(2020, 6, 30), level="bachelor")
            if graduate
            else StudyStatus(enrolled_full_time_until=date(rng.choice((2021, 2022, 2023)), 5, 31))
        )
        start = date(2020, rng.choice((6, 7, 8)), 1)
        end = date(2021, rng.choice((1, 3, 5, 7)), 1)
        modes = {Mode.ON_SITE} if i % 6 else {Mode.ON_SITE, Mode.REMOTE}
        skills = sorted(
            {s for f in NTU_DISCIPLINES[discipline] for s in FIELD_SKILLS[f]} | {"english"}
        )
        nationality = "SG" if i % 10 else rng.choice(("MY", "CN", "IN"))
        candidates.append(
            Candidate(
                id=f"ntu-c{i:03d}",
                university="ntu",
                nationalities=frozenset({nationality}),
                study=study,
                discipline=discipline,
                available=DateRange(start, end),
                duration=months(rng.choice((2, 3, 3, 4)), 6),
                modes=frozenset(modes),
                date_of_birth=birth_date(rng, 1996, 2001),
                skills=frozenset(rng.sample(skills, min(3, len(skills)))),
                languages=frozenset({"en", "zh"}) if i % 3 else frozenset({"en"}),
                preferences=ranked(rng, prefs, ties=i % 4 == 0),
                cohort=cohort_id,
            )
        )
    cand_ids = [c.id for c in candidates]
    # Some hosts rank candidates too (ties included).
    positions = [
        _with_host_ranking(rng, p, cand_ids, candidates) if k % 3 == 0 else p
        for k, p in enumerate(positions)
    ]

    beds = tuple(
        MonthlyBeds(ym, b)
        for ym, b in zip(
            _months(YearMonth(2020, 7), 12),
            (20, 40, 60, 70, 70, 70, 60, 50, 40, 25, 10, 5),
            strict=True,
        )
    )
    cohort = Cohort(
        id=cohort_id,
        programme=programme_id,
        intake=h2,
        target_size=70,
        max_size=90,
        quotas=(
            Quota(QuotaDimension.FIELD, "big-data", minimum=Count(10)),
            Quota(QuotaDimension.FIELD, "ai", minimum=Count(8)),
            Quota(QuotaDimension.FIELD, "accountancy", maximum=Share(Decimal("0.15"))),
            Quota(QuotaDimension.FIELD, "fashion", maximum=Count(6)),
            Quota(QuotaDimension.FIELD, "arts", maximum=Count(6)),
        ),
        beds=beds,
        allowance_budget=Money(Decimal(1_500_000), "CNY"),
    )
    programme = Programme(
        id=programme_id,
        name="NTU-WiseNet-YDPG internships in Yubei District, Chongqing",
        kind=ProgrammeKind.INTERNSHIP,
        direction=Direction.SG_TO_CQ,
        partners=(
            Partner("ntu", Role.SENDING_UNIVERSITY),
            Partner("wisenet", Role.COORDINATOR),
            Partner("ydpg", Role.HOST_GOVERNMENT),
            Partner("yubei-talent", Role.TALENT_SERVICE_CENTRE),
            Partner("xiantao-bdv-co", Role.TALENT_SERVICE_CENTRE),
        ),
        benefits=Benefits(
            allowance=True,
            housing=HousingTerms(max_months=6, payer="ydpg", includes_meals=True),
            visa_support="ydpg",
        ),
        citations=(NTU_MAY_2020, WISENET_SEP_2019, NTU_DEC_2020),
    )
    return Scenario(
        id="ntu-ydpg-2020",
        name="NTU students interning in Yubei District, Chongqing, second half of 2020",
        description=(
            "About 120 NTU candidates of all disciplines, 25 Xiantao host companies and "
            "60 on-site positions in big data, AI, software, accountancy, fashion, arts and "
            "green tech, with the YDPG six-month housing-and-meals cover."
        ),
        illustrative=True,
        notes=ILLUSTRATIVE_NOTE
        + " Also invented: which hosts lie in the Pilot FTZ and which registered for the S2 "
        "scheme (from 2019-12-13, or later), the cohort's target and maximum size, beds "
        "per month, the CNY 1.5m allowance budget and the field quotas.",
        as_of=date(2020, 6, 15),
        organisations=(NTU, WISENET, YDPG, YUBEI_TALENT, XIANTAO_CO, CQ_EXIT_ENTRY, *hosts),
        programmes=(programme,),
        cohorts=(cohort,),
        candidates=tuple(candidates),
        positions=tuple(positions),
        citations=(NTU_MAY_2020, WISENET_SEP_2019, CQ_DEC_2019, NTU_DEC_2020),
    )


def _months(first: YearMonth, n: int) -> list[YearMonth]:
    out = [first]
    while len(out) < n:
        out.append(out[-1].next())
    return out


def _with_host_ranking(
    rng: random.Random, position: Position, cand_ids: list[str], candidates: list[Candidate]
) -> Position:
    keen = [c.id for c in candidates if position.id in c.preferences]
    others = [c for c in cand_ids if c not in keen]
    n = min(len(keen) + 2, rng.randint(4, 8))
    chosen = pick_preferences(rng, keen or others, others, n)
    return evolve(position, candidate_preferences=ranked(rng, chosen, ties=rng.random() < 0.5))


# --- nus-ytp-2019 -------------------------------------------------------------


def nus_ytp_2019() -> Scenario:
    rng = random.Random(20191213)
    programme_id = "sg-cq-youth-talent"
    host = Organisation(
        "ytp-host",
        "Xiantao host enterprise of the 2019 interns (illustrative)",
        frozenset({Role.HOST_COMPANY}),
        Location(
            "CN", "Chongqing", frozenset({ZONE_XIANTAO_BIG_DATA_VALLEY, ZONE_CHONGQING_PILOT_FTZ})
        ),
        visa_scheme_registered_on=S2_START,
        notes="registered Pilot FTZ enterprise (sourced); its identity is not in the source",
    )
    five_weeks = DurationBounds.fixed(Duration(5, DurationUnit.WEEKS))
    # The source dates the first S2 visas 2019-12-13; the interns start the
    # Monday after, so the route is in force on the start date.
    start = date(2019, 12, 16)
    teams = (("big-data", 7), ("ai", 6), ("software", 6))
    positions = tuple(
        Position(
            id=f"ytp-{field}",
            host=host.id,
            title=f"{field.replace('-', ' ').title()} intern",
            fields=frozenset({field}),
            seats=seats,
            mode=Mode.ON_SITE,
            location=host.location,
            starts=StartDates((start,)),
            duration=five_weeks,
            programme=programme_id,
        )
        for field, seats in teams
    )
    pids = [p.id for p in positions]
    disciplines = ("computer-science", "business-analytics", "engineering", "economics")
    candidates = tuple(
        Candidate(
            id=f"nus-c{i:02d}",
            university="nus",
            nationalities=frozenset({"SG"}),
            study=StudyStatus(enrolled_full_time_until=date(rng.choice((2020, 2021, 2022)), 5, 31)),
            discipline=disciplines[i % len(disciplines)],
            available=DateRange(date(2019, 12, 1), date(2020, 2, 1)),
            duration=five_weeks,
            modes=frozenset({Mode.ON_SITE}),
            date_of_birth=birth_date(rng, 1997, 2000),
            languages=frozenset({"en", "zh"}),
            preferences=ranked(rng, rng.sample(pids, 3), ties=i % 5 == 0),
            cohort="ytp-2019-dec",
        )
        for i in range(1, 20)
    )
    programme = Programme(
        id=programme_id,
        name="Singapore (Chongqing) Youth Talent Program",
        kind=ProgrammeKind.INTERNSHIP,
        direction=Direction.SG_TO_CQ,
        partners=(
            Partner("nus", Role.SENDING_UNIVERSITY),
            Partner("wisenet", Role.COORDINATOR),
            Partner("cq-exit-entry", Role.VISA_AUTHORITY),
        ),
        benefits=Benefits(visa_support="cq-exit-entry"),
        duration=five_weeks,
        targets=(
            Target.from_text(
                "students_next_summer",
                # "About 100" is sourced; the tolerance of 10 is invented.
                "about 100 ± 10",
                date(2020, 8, 31),
                CQ_DEC_2019,
                baseline=Observation(date(2019, 12, 13), 19, citation=CQ_DEC_2019),
                observations=(
                    Observation(
                        date(2020, 3, 31),
                        46,
                        note="invented (illustrative): students confirmed for summer 2020",
                    ),
                ),
                note="sourced: about 100 next summer, 19 in December 2019; invented: the "
                "tolerance of 10, the deadline's reading of 'next summer' as 31 Aug 2020 and "
                "the observation of 2020-03-31",
            ),
        ),
        citations=(CQ_DEC_2019,),
    )
    cohort = Cohort(
        id="ytp-2019-dec",
        programme=programme_id,
        intake=DateRange(date(2019, 12, 1), date(2020, 1, 1)),
        target_size=19,
        max_size=19,
    )
    return Scenario(
        id="nus-ytp-2019",
        name="19 NUS interns in Chongqing, December 2019",
        description=(
            "The first foreign students to receive internship (S2) visas from the Chongqing "
            "police: 19 NUS students interning for five weeks at a registered Pilot FTZ "
            "enterprise in Xiantao Big Data Valley."
        ),
        illustrative=True,
        notes="Sourced: 19 NUS students, five weeks, December 2019, S2 visas issued on "
        "2019-12-13 to interns of a registered Pilot FTZ enterprise, about 100 students planned "
        "for the next summer. Invented (illustrative): the host's name, the split into three "
        "teams, the start date 2019-12-16 (the source gives none; "
        "it is the Monday after the visas were issued), the candidates' details "
        "and preferences, and for the target of about 100 students: its tolerance (10), its "
        "deadline (31 Aug 2020) and the observation of 46 students on 2020-03-31.",
        as_of=date(2019, 12, 13),
        organisations=(NUS, WISENET, CQ_EXIT_ENTRY, XIANTAO_CO, host),
        programmes=(programme,),
        cohorts=(cohort,),
        candidates=candidates,
        positions=positions,
        citations=(CQ_DEC_2019, WISENET_SEP_2019),
    )


# --- suss-overseas-2021 ---------------------------------------------------------

SUSS_HOST_PLACES: tuple[tuple[str, str, str], ...] = (
    ("SG", "Singapore", "SGD"),
    ("MY", "Kuala Lumpur", "MYR"),
    ("TH", "Bangkok", "THB"),
    ("AU", "Sydney", "AUD"),
    ("CN", "Chongqing", "CNY"),
)
SUSS_ALLOWANCES = {
    "SGD": (800, 1000),
    "MYR": (1500, 2000),
    "THB": (15000, 20000),
    "AUD": (1500, 2000),
    "CNY": (3000, 4000),
}
SUSS_FIELDS = ("software", "accountancy", "marketing", "fashion", "green-tech", "logistics")
SUSS_DISCIPLINES = (
    "accountancy",
    "business-analytics",
    "marketing",
    "supply-chain-management",
    "finance",
    "human-resource-management",
)


def suss_overseas_2021() -> Scenario:
    rng = random.Random(20201026)
    internships = "suss-overseas-internships"
    cofounders = "suss-cofounder-matching"
    hosts: list[Organisation] = []
    positions: list[Position] = []
    window = DateRange(date(2021, 1, 1), date(2021, 7, 1))
    for i, (country, city, currency) in enumerate(SUSS_HOST_PLACES * 2, start=1):
        host = Organisation(
            f"suss-host-{i:02d}",
            f"{city} host company {i:02d} (illustrative)",
            frozenset({Role.HOST_COMPANY}),
            Location(country, city),
            notes="illustrative",
        )
        hosts.append(host)
        for j in range(2):
            # Remote or on site by each country's COVID-19 measures (illustrative split).
            mode = Mode.REMOTE if (i + j) % 3 else Mode.ON_SITE
            field = SUSS_FIELDS[(i + j) % len(SUSS_FIELDS)]
            lo, hi = SUSS_ALLOWANCES[currency]
            positions.append(
                Position(
                    id=f"suss-p{i:02d}{'ab'[j]}",
                    host=host.id,
                    title=f"{'Remote ' if mode is Mode.REMOTE else ''}{field} intern",
                    fields=frozenset({field}),
                    seats=rng.choice((1, 1, 2)),
                    mode=mode,
                    location=host.location,
                    starts=StartWindow(window),
                    duration=months(3, 6),
                    hours_per_week=Decimal(rng.choice((20, 25, 30)))
                    if mode is Mode.REMOTE
                    else Decimal(40),
                    allowance=Allowance(Money(Decimal(rng.choice((lo, hi))), currency), host.id),
                    programme=internships,
                    # "Remote or on site depending on ... measures in each country" (MOU):
                    # an on-site position may also be carried out remotely.
                    other_modes=frozenset({Mode.REMOTE}) if mode is Mode.ON_SITE else frozenset(),
                )
            )
    companies: list[Organisation] = []
    cofounder_positions: list[Position] = []
    origins = (("CN", "Chongqing"), ("AU", "Melbourne"), ("MY", "Penang"), ("TH", "Chiang Mai"))
    sectors = ("fintech", "green-tech", "edtech", "food-tech", "logistics", "healthtech")
    for i in range(1, 9):
        country, city = origins[i % len(origins)]
        company = Organisation(
            f"expanding-{i:02d}",
            f"{city} company expanding into Singapore/ASEAN {i:02d} (illustrative)",
            frozenset({Role.HOST_COMPANY}),
            Location(country, city),
            notes="illustrative",
        )
        companies.append(company)
        sector = sectors[i % len(sectors)]
        cofounder_positions.append(
            Position(
                id=f"cofounder-{i:02d}",
                host=company.id,
                title=f"Singapore co-founder, {sector}",
                fields=frozenset({sector, "entrepreneurship"}),
                seats=1,
                mode=Mode.HYBRID if i % 2 else Mode.ON_SITE,
                location=SG,
                starts=StartWindow(DateRange(date(2021, 3, 1), date(2021, 10, 1))),
                duration=months(6, 24),
                hybrid=HybridSplit(Decimal("0.5")) if i % 2 else None,
                programme=cofounders,
            )
        )
    intern_ids = [p.id for p in positions]
    candidates: list[Candidate] = []
    for i in range(1, 31):
        discipline = SUSS_DISCIPLINES[i % len(SUSS_DISCIPLINES)]
        accepts = {Mode.REMOTE} if i % 4 else {Mode.REMOTE, Mode.ON_SITE}
        fitting = [p.id for p in positions if p.mode in accepts]
        candidates.append(
            Candidate(
                id=f"suss-c{i:02d}",
                university="suss",
                nationalities=frozenset({"SG"}),
                study=StudyStatus(
                    enrolled_full_time_until=date(rng.choice((2021, 2022)), 12, 31),
                    level="undergraduate (part time or full time)",
                ),
                discipline=discipline,
                available=DateRange(date(2021, 1, 1), date(2021, 9, 1)),
                duration=months(3, 6),
                modes=frozenset(accepts),
                date_of_birth=birth_date(rng, 1990, 2001),
                languages=frozenset({"en"}),
                preferences=ranked(
                    rng, pick_preferences(rng, fitting, intern_ids, rng.randint(3, 8)), i % 3 == 0
                ),
                cohort="suss-interns-2021",
            )
        )
    cofounder_ids = [p.id for p in cofounder_positions]
    for i in range(1, 13):
        candidates.append(
            Candidate(
                id=f"suss-f{i:02d}",
                university="suss",
                nationalities=frozenset({"SG"}),
                study=StudyStatus(graduated_on=date(rng.choice((2018, 2019, 2020)), 7, 1)),
                discipline=rng.choice(("entrepreneurship", "business", "finance")),
                available=DateRange(date(2021, 3, 1), date(2023, 3, 1)),
                duration=months(6, 24),
                modes=frozenset({Mode.ON_SITE, Mode.HYBRID}),
                languages=frozenset({"en", "zh"}) if i % 2 else frozenset({"en"}),
                skills=frozenset({"entrepreneurship"}),
                preferences=ranked(rng, rng.sample(cofounder_ids, rng.randint(2, 5)), i % 4 == 0),
                cohort="suss-cofounders-2021",
            )
        )
    founder_ids = [c.id for c in candidates if c.id.startswith("suss-f")]
    cofounder_positions = [_ranked_by_company(rng, p, founder_ids) for p in cofounder_positions]
    partners = (
        Partner("suss", Role.SENDING_UNIVERSITY),
        Partner("wisenet", Role.COORDINATOR),
    )
    programmes = (
        Programme(
            id=internships,
            name="SUSS overseas internships (remote or on site)",
            kind=ProgrammeKind.INTERNSHIP,
            direction=Direction.FROM_SG,
            partners=partners,
            benefits=Benefits(allowance=True),
            duration=months(3, 6),
            citations=(SUSS_OCT_2020, REMOTE_GUIDE_2020),
        ),
        Programme(
            id=cofounders,
            name="SUSS co-founder matching for companies expanding into Singapore/ASEAN",
            kind=ProgrammeKind.COFOUNDER_MATCHING,
            direction=Direction.TO_SG,
            partners=partners,
            citations=(SUSS_OCT_2020,),
        ),
    )
    cohorts = (
        Cohort(
            "suss-interns-2021",
            internships,
            DateRange(date(2021, 1, 1), date(2021, 7, 1)),
            max_size=25,
            quotas=(Quota(QuotaDimension.FIELD, "fashion", maximum=Count(3)),),
            allowance_budget=Money(Decimal(90_000), "SGD"),
        ),
        Cohort("suss-cofounders-2021", cofounders, DateRange(date(2021, 3, 1), date(2021, 10, 1))),
    )
    rates = RateTable(
        tuple(
            ExchangeRate("SGD", quote, rate, date(2021, 1, 1), "illustrative")
            for quote, rate in (
                ("MYR", "3.04"),
                ("THB", "22.6"),
                ("AUD", "0.98"),
                ("CNY", "4.92"),
            )
        )
    )
    return Scenario(
        id="suss-overseas-2021",
        name="SUSS overseas internships and co-founder matching, 2021",
        description=(
            "SUSS students placed with hosts in Singapore, Malaysia, Thailand, Australia and "
            "China, remote or on site; and overseas companies expanding into Singapore/ASEAN, "
            "each seeking one SUSS co-founder (a separate co-founder matching programme)."
        ),
        illustrative=True,
        notes=ILLUSTRATIVE_NOTE
        + " Also invented: which positions are remote, and that the on-site ones may also be "
        "carried out remotely (the MOU only says it depends on each country's COVID-19 "
        "measures), the one measure (on-site work in China closed from 2021-04-01: no "
        "source gives a measure or its dates), the companies seeking co-founders, the SGD "
        "90,000 budget and the exchange rates.",
        as_of=date(2021, 1, 4),
        organisations=(SUSS, WISENET, *hosts, *companies),
        programmes=programmes,
        cohorts=cohorts,
        candidates=tuple(candidates),
        positions=(*positions, *cofounder_positions),
        rates=rates,
        citations=(SUSS_OCT_2020, REMOTE_GUIDE_2020),
        measures=(SUSS_INVENTED_MEASURE,),
    )


#: The one measure of suss-overseas-2021: invented. The MOU makes the mode depend on
#: each country's measures but names none; no source sgcq holds gives one's dates.
SUSS_INVENTED_MEASURE = Measure(
    "cn-on-site-closed-2021-04",
    "CN",
    frozenset({Mode.ON_SITE}),
    date(2021, 4, 1),
    "on-site internships in China closed to entrants (invented, illustrative)",
    Citation(
        "WiseNet Asia and SUSS MOU announcement",
        date(2020, 10, 26),
        "the MOU makes the mode depend on each country's COVID-19 measures but names no "
        "measure; this measure and its dates are invented for the scenario (illustrative)",
        Confidence.LOW,
    ),
)


def _ranked_by_company(rng: random.Random, position: Position, founders: list[str]) -> Position:
    chosen = rng.sample(founders, rng.randint(3, 6))
    return evolve(position, candidate_preferences=ranked(rng, chosen, ties=False))


# --- yes-2020 -------------------------------------------------------------------


def yes_2020() -> Scenario:
    rng = random.Random(20191015)
    programme_id = "yes"
    cn_unis = (
        university("cq-uni-a", "Chongqing university A (illustrative)", CQ),
        university("cq-uni-b", "Chongqing university B (illustrative)", CQ),
    )
    cn_hosts = tuple(
        Organisation(
            f"yes-cn-host-{i:02d}",
            f"Chongqing host company {i:02d} (illustrative)",
            frozenset({Role.HOST_COMPANY}),
            CQ_XIANTAO,
            well_known=i <= 2,
            notes="illustrative",
        )
        for i in range(1, 6)
    )
    sg_hosts = tuple(
        Organisation(
            f"yes-sg-host-{i:02d}",
            f"Singapore host company {i:02d} (illustrative)",
            frozenset({Role.HOST_COMPANY}),
            SG,
            notes="illustrative",
        )
        for i in range(1, 6)
    )
    fields = ("big-data", "ai", "software", "accountancy", "logistics")
    window = DateRange(date(2020, 6, 1), date(2021, 1, 1))
    positions: list[Position] = []
    for hosts, currency, amount in ((cn_hosts, "CNY", 4000), (sg_hosts, "SGD", 1200)):
        for i, host in enumerate(hosts):
            for j in range(2):
                field = fields[(i + j) % len(fields)]
                positions.append(
                    Position(
                        id=f"yes-{host.location.country.lower()}-p{i + 1:02d}{'ab'[j]}",
                        host=host.id,
                        title=f"{field.replace('-', ' ').title()} intern",
                        fields=frozenset({field}),
                        seats=rng.choice((1, 2, 2, 3)),
                        mode=Mode.ON_SITE,
                        location=host.location,
                        starts=StartWindow(window),
                        duration=months(rng.choice((2, 3)), 6),
                        allowance=Allowance(Money(Decimal(amount), currency), host.id),
                        programme=programme_id,
                    )
                )
    to_cn = [p.id for p in positions if p.location.country == "CN"]
    to_sg = [p.id for p in positions if p.location.country == "SG"]
    candidates: list[Candidate] = []
    sg_unis = ("nus", "ntu", "suss")
    for i in range(1, 21):
        used = frozenset({"yes"}) if i == 7 else frozenset()  # once only: one already used it
        candidates.append(
            Candidate(
                id=f"yes-sg-c{i:02d}",
                university=sg_unis[i % 3],
                nationalities=frozenset({"SG"}),
                study=StudyStatus(enrolled_full_time_until=date(rng.choice((2021, 2022)), 5, 31)),
                discipline=rng.choice(("computer-science", "business", "engineering")),
                available=DateRange(date(2020, 6, 1), date(2021, 3, 1)),
                duration=months(2, 6),
                modes=frozenset({Mode.ON_SITE}),
                date_of_birth=birth_date(rng, 1996, 2003),
                languages=frozenset({"en", "zh"}),
                preferences=ranked(rng, rng.sample(to_cn, rng.randint(3, 6)), i % 4 == 0),
                schemes_used=used,
                cohort="yes-2020",
            )
        )
    for i in range(1, 21):
        candidates.append(
            Candidate(
                id=f"yes-cn-c{i:02d}",
                university=cn_unis[i % 2].id,
                nationalities=frozenset({"CN"}),
                study=StudyStatus(enrolled_full_time_until=date(rng.choice((2021, 2022)), 6, 30)),
                discipline=rng.choice(("software-engineering", "finance", "logistics")),
                available=DateRange(date(2020, 6, 1), date(2021, 3, 1)),
                duration=months(2, 6),
                modes=frozenset({Mode.ON_SITE}),
                date_of_birth=birth_date(rng, 1996, 2002),
                languages=frozenset({"zh", "en"}),
                preferences=ranked(rng, rng.sample(to_sg, rng.randint(3, 6)), i % 4 == 0),
                cohort="yes-2020",
            )
        )
    programme = Programme(
        id=programme_id,
        name="Singapore-China Youth Interns Exchange Scheme (YES)",
        kind=ProgrammeKind.INTERNSHIP,
        direction=Direction.BOTH,
        partners=(
            Partner("nus", Role.SENDING_UNIVERSITY),
            Partner("ntu", Role.SENDING_UNIVERSITY),
            Partner("suss", Role.SENDING_UNIVERSITY),
            Partner("cq-uni-a", Role.SENDING_UNIVERSITY),
            Partner("cq-uni-b", Role.SENDING_UNIVERSITY),
        ),
        benefits=Benefits(allowance=True),
        duration=DurationBounds(Duration(1, DurationUnit.DAYS), Duration(6, DurationUnit.MONTHS)),
        targets=(
            # "Up to 500 a year": a cap, not a number to reach.
            Target(
                "interns_sg_to_cn_per_year",
                500,
                date(2020, 12, 31),
                YES_2019,
                comparator=Comparator.AT_MOST,
            ),
            Target(
                "interns_cn_to_sg_per_year",
                500,
                date(2020, 12, 31),
                YES_2019,
                comparator=Comparator.AT_MOST,
            ),
        ),
        citations=(YES_2019,),
        # Up to 500 interns a year in each direction, across every cohort of
        # the year (YES, signed 2019-10-15).
        year_caps=(
            YearCap(QuotaDimension.DIRECTION, Direction.SG_TO_CQ.value, 500),
            YearCap(QuotaDimension.DIRECTION, Direction.CQ_TO_SG.value, 500),
        ),
    )
    cohort = Cohort(
        "yes-2020",
        programme_id,
        window,
        max_size=1000,
        quotas=(
            Quota(QuotaDimension.UNIVERSITY, "nus", maximum=Share(Decimal("0.4"))),
            Quota(QuotaDimension.UNIVERSITY, "ntu", maximum=Share(Decimal("0.4"))),
        ),
    )
    return Scenario(
        id="yes-2020",
        name="Youth Interns Exchange Scheme, 2020: interns in both directions",
        description=(
            "Singaporean students interning with Chinese hosts and Chinese students interning "
            "with Singapore hosts under YES (up to 500 a year each way, up to six months)."
        ),
        illustrative=True,
        notes=ILLUSTRATIVE_NOTE
        + " Also invented: the two Chongqing universities, the university quotas, and that "
        "candidate yes-sg-c07 already used the once-only scheme. Sourced: up to 500 interns a "
        "year each way, internships up to six months, signed 2019-10-15.",
        as_of=date(2020, 1, 15),
        organisations=(NUS, NTU, SUSS, *cn_unis, *cn_hosts, *sg_hosts),
        programmes=(programme,),
        cohorts=(cohort,),
        candidates=tuple(candidates),
        positions=tuple(positions),
        citations=(YES_2019,),
    )


# --- fixtures of the rule cases -------------------------------------------------

#: Where the scenarios that only rule cases use are written (not bundled scenarios).
FIXTURES_OUT = ROOT / "src" / "sgcq" / "data" / "rules" / "cases" / "scenarios"


def rule_regressions() -> Scenario:
    """The inputs of the engine's regression cases (issue 14): hybrid stays, dates off force."""
    programme_id = "regression-internships"
    host = Organisation(
        "ftz-host",
        "Registered Pilot FTZ host (invented)",
        frozenset({Role.HOST_COMPANY}),
        Location("CN", "Chongqing", frozenset({ZONE_CHONGQING_PILOT_FTZ})),
        visa_scheme_registered_on=S2_START,
    )
    eight = DurationBounds.fixed(Duration(8, DurationUnit.MONTHS))
    start = date(2020, 9, 1)

    def position(id_: str, mode: Mode, **kw: object) -> Position:
        return Position(
            id=id_,
            host=host.id,
            title=f"{mode.value} intern",
            fields=frozenset({"big-data"}),
            seats=1,
            mode=mode,
            location=host.location,
            starts=StartDates((start,)),
            duration=eight,
            programme=programme_id,
            **kw,  # type: ignore[arg-type]
        )

    positions = (
        # 8 months from 2020-09-01 are 242 days; 37 % of them round to 90 on site.
        position("hybrid-8m", Mode.HYBRID, hybrid=HybridSplit(Decimal("0.37"))),
        position("onsite-8m", Mode.ON_SITE, housing_cover=True),
        Position(
            id="remote-4m",
            host=host.id,
            title="remote intern",
            fields=frozenset({"big-data"}),
            seats=1,
            mode=Mode.REMOTE,
            location=host.location,
            starts=StartDates((date(2020, 3, 2),)),
            duration=DurationBounds.fixed(Duration(4, DurationUnit.MONTHS)),
            hours_per_week=Decimal(25),
            programme=programme_id,
        ),
    )

    def candidate(id_: str, until: date, nationality: str = "SG", **kw: object) -> Candidate:
        return Candidate(
            id=id_,
            university="nus",
            nationalities=frozenset({nationality}),
            study=StudyStatus(enrolled_full_time_until=until),
            discipline="computer-science",
            available=DateRange(date(2020, 1, 1), date(2021, 12, 31)),
            duration=DurationBounds(
                Duration(1, DurationUnit.MONTHS), Duration(12, DurationUnit.MONTHS)
            ),
            modes=frozenset(Mode),
            date_of_birth=date(1999, 3, 1),
            **kw,  # type: ignore[arg-type]
        )

    sg_host = Organisation(
        "sg-host",
        "Singapore host (invented)",
        frozenset({Role.HOST_COMPANY}),
        SG,
    )
    sg_training = Position(
        id="sg-training",
        host=sg_host.id,
        title="trainee",
        fields=frozenset({"software"}),
        seats=1,
        mode=Mode.ON_SITE,
        location=SG,
        starts=StartDates((start,)),
        duration=months(1, 8),
        programme=programme_id,
    )
    positions = (*positions, sg_training)
    programme = Programme(
        id=programme_id,
        name="Regression internships (invented)",
        kind=ProgrammeKind.INTERNSHIP,
        direction=Direction.SG_TO_CQ,
        partners=(Partner("nus", Role.SENDING_UNIVERSITY),),
        benefits=Benefits(allowance=False, housing=HousingTerms(6, "ydpg")),
    )
    return Scenario(
        id="rule-regressions",
        name="Inputs of the engine's regression cases",
        description="Hybrid and remote stays and dates off force, for the rule cases only.",
        illustrative=True,
        notes="Everything here is invented to exercise the rules; no source describes it.",
        as_of=start,
        organisations=(NUS, YDPG, host, sg_host),
        programmes=(programme,),
        candidates=(
            # enrolled past the 90 on-site days, not to the end of the 8 months
            candidate("enrolled-2020", date(2020, 12, 31)),
            candidate("enrolled-2022", date(2022, 5, 31)),
            # a Chinese student of a Singapore university (the TWP's students)
            candidate("cn-at-nus", date(2022, 5, 31), "CN"),
            candidate("cn-at-nus-twp-used", date(2022, 5, 31), "CN", schemes_used={"twp"}),
        ),
        positions=positions,
    )


def programme_kinds() -> Scenario:
    """The inputs of the programme-kind cases (issue 14): jobs, courses, co-founders."""
    start = date(2020, 10, 1)
    xiantao_host = Organisation(
        "xt-employer",
        "Xiantao employer (invented)",
        frozenset({Role.HOST_COMPANY}),
        CQ_XIANTAO,
    )
    sg_employer = Organisation(
        "sg-employer", "Singapore employer (invented)", frozenset({Role.HOST_COMPANY}), SG
    )
    expanding = Organisation(
        "expanding-co",
        "Company expanding into Singapore (invented)",
        frozenset({Role.HOST_COMPANY}),
        SG,
    )
    campus = attrs_evolve_roles(NTU, Role.SENDING_UNIVERSITY, Role.HOST_COMPANY)
    base = Organisation(
        "ntu-west-base",
        "NTU China (West) Entrepreneurship and Innovation Base, Yubei",
        frozenset({Role.HOST_COMPANY}),
        CQ,
    )
    cq_uni = university("cq-uni", "A Chongqing university (invented)", CQ)

    def programme(id_: str, kind: ProgrammeKind, *partners: Partner) -> Programme:
        return Programme(
            id=id_,
            name=f"{kind.value} programme (invented)",
            kind=kind,
            direction=Direction.BOTH,
            partners=partners,
        )

    programmes = (
        programme("jobs", ProgrammeKind.JOB, Partner("wisenet", Role.COORDINATOR)),
        programme("courses", ProgrammeKind.TRAINING_COURSE),
        programme("hybrid-courses", ProgrammeKind.HYBRID_COURSE),
        programme(
            "cofounders", ProgrammeKind.COFOUNDER_MATCHING, Partner("suss", Role.SENDING_UNIVERSITY)
        ),
    )

    def position(
        id_: str,
        host: Organisation,
        prog: str,
        length: DurationBounds,
        pay: Money | None = None,
        mode: Mode = Mode.ON_SITE,
        **kw: object,
    ) -> Position:
        return Position(
            id=id_,
            host=host.id,
            title=id_.replace("-", " "),
            fields=frozenset({"software"}),
            seats=2,
            mode=mode,
            location=host.location,
            starts=StartWindow(DateRange(date(2020, 1, 1), date(2021, 12, 31))),
            duration=length,
            allowance=None if pay is None else Allowance(pay, host.id),
            programme=prog,
            **kw,  # type: ignore[arg-type]
        )

    weeks3 = DurationBounds.fixed(Duration(3, DurationUnit.WEEKS))
    positions = (
        position("cn-job", xiantao_host, "jobs", months(12), Money("15000", "CNY")),
        # no fixed end: only the three months of probation bound it
        position(
            "cn-job-open", xiantao_host, "jobs", months(3), Money("15000", "CNY"), open_ended=True
        ),
        position("sg-job", sg_employer, "jobs", months(12), Money("5000", "SGD")),
        position("sg-job-4000", sg_employer, "jobs", months(12), Money("4000", "SGD")),
        position("cn-course", base, "courses", months(2)),
        position("cn-course-7m", base, "courses", months(7)),
        position("sg-course-3w", campus, "courses", weeks3),
        position("sg-course-4m", campus, "courses", months(4)),
        position(
            "minimasters",
            campus,
            "hybrid-courses",
            months(6),
            mode=Mode.HYBRID,
            hybrid=HybridSplit(Decimal("0.25")),
        ),
        position("cofounder", expanding, "cofounders", months(12)),
    )
    graduated = StudyStatus(graduated_on=date(2019, 6, 30), level="undergraduate")
    enrolled = StudyStatus(enrolled_full_time_until=date(2022, 5, 31))

    def person(id_: str, uni: str, nationality: str, study: StudyStatus, **kw: object) -> Candidate:
        return Candidate(
            id=id_,
            university=uni,
            nationalities=frozenset({nationality}),
            study=study,
            discipline="computer-science",
            available=DateRange(date(2020, 1, 1), date(2022, 12, 31)),
            duration=DurationBounds(
                Duration(1, DurationUnit.WEEKS), Duration(12, DurationUnit.MONTHS)
            ),
            modes=frozenset(Mode),
            date_of_birth=date(1996, 5, 1),
            **kw,  # type: ignore[arg-type]
        )

    candidates = (
        person("grad", "ntu", "SG", graduated, degree=Degree.BACHELOR, experience_months=30),
        person("grad-new", "ntu", "SG", graduated, degree=Degree.BACHELOR, experience_months=6),
        person("grad-unknown", "ntu", "SG", graduated),
        person("grad-diploma", "ntu", "SG", graduated, degree=Degree.DIPLOMA, experience_months=30),
        person("cn-grad", "cq-uni", "CN", graduated, degree=Degree.MASTER, experience_months=24),
        person("cn-grad-diploma", "cq-uni", "CN", graduated, degree=Degree.DIPLOMA),
        person("cn-participant", "cq-uni", "CN", enrolled),
        person("sg-participant", "ntu", "SG", enrolled),
        person("suss-sg", "suss", "SG", graduated),
        person("suss-my", "suss", "MY", graduated),
        person("nus-sg", "nus", "SG", graduated),
    )
    return Scenario(
        id="programme-kinds",
        name="Inputs of the programme-kind cases",
        description="Jobs, courses, a hybrid course and co-founder matching, for the rule cases.",
        illustrative=True,
        notes="Everything here is invented to exercise the rules; the kinds of programme are "
        "those the agreements name.",
        as_of=start,
        organisations=(
            campus,
            NUS,
            SUSS,
            WISENET,
            cq_uni,
            xiantao_host,
            sg_employer,
            expanding,
            base,
        ),
        programmes=programmes,
        candidates=candidates,
        positions=positions,
    )


def attrs_evolve_roles(org: Organisation, *roles: Role) -> Organisation:
    """Return ``org`` with exactly ``roles``."""
    return evolve(org, roles=frozenset(roles))


#: The scenarios only rule cases read, by name; written to FIXTURES_OUT.
FIXTURES: dict[str, Callable[[], Scenario]] = {
    "rule-regressions": rule_regressions,
    "programme-kinds": programme_kinds,
}

# --- xiantao-talent-2019 ---------------------------------------------------------


def xiantao_talent_2019() -> Scenario:
    """Internships and jobs in Xiantao Big Data Valley under the 2019 talent agreement."""
    rng = random.Random(20190911)
    interns_id, jobs_id = "xiantao-internships", "xiantao-jobs"
    hosts = []
    for i in range(1, 7):
        zones = {ZONE_XIANTAO_BIG_DATA_VALLEY} | ({ZONE_CHONGQING_PILOT_FTZ} if i % 2 else set())
        hosts.append(
            Organisation(
                f"xt-co-{i:02d}",
                f"Xiantao host company {i} (illustrative)",
                frozenset({Role.HOST_COMPANY}),
                Location("CN", "Chongqing", frozenset(zones)),
                visa_scheme_registered_on=S2_START if i % 2 else None,
            )
        )
    fields = ("big-data", "ai", "software")
    positions: list[Position] = []
    for i, host in enumerate(hosts):
        field = fields[i % 3]
        positions.append(
            Position(
                id=f"xt-intern-{i + 1:02d}",
                host=host.id,
                title=f"{field} intern",
                fields=frozenset({field}),
                seats=rng.choice((2, 3)),
                mode=Mode.ON_SITE,
                location=host.location,
                starts=StartDates((date(2020, 6, 1), date(2020, 7, 1))),
                duration=months(2, 6),
                allowance=Allowance(Money(rng.choice(("3000", "3500", "4000")), "CNY"), host.id),
                programme=interns_id,
            )
        )
        positions.append(
            Position(
                id=f"xt-job-{i + 1:02d}",
                host=host.id,
                title=f"{field} engineer",
                fields=frozenset({field}),
                seats=rng.choice((1, 2)),
                mode=Mode.ON_SITE,
                location=host.location,
                starts=StartWindow(DateRange(date(2020, 7, 1), date(2021, 1, 1))),
                # every other job has no fixed end: only a six-month probation bounds it
                duration=months(6) if i % 2 else months(12),
                open_ended=bool(i % 2),
                allowance=Allowance(Money(rng.choice(("12000", "15000", "18000")), "CNY"), host.id),
                programme=jobs_id,
            )
        )
    intern_ids = [p.id for p in positions if p.programme == interns_id]
    job_ids = [p.id for p in positions if p.programme == jobs_id]
    candidates: list[Candidate] = []
    for i in range(1, 17):
        candidates.append(
            Candidate(
                id=f"xt-s{i:02d}",
                university=("ntu", "nus")[i % 2],
                nationalities=frozenset({"SG"}),
                study=StudyStatus(enrolled_full_time_until=date(2021, 5, 31)),
                discipline="computer-science",
                available=DateRange(date(2020, 5, 1), date(2021, 1, 1)),
                duration=months(2, 6),
                modes=frozenset({Mode.ON_SITE}),
                date_of_birth=birth_date(rng, 1997, 2000),
                preferences=ranked(rng, rng.sample(intern_ids, 3), ties=False),
                cohort="xt-interns-2020",
            )
        )
    for i in range(1, 13):
        # a third of the graduates have not stated their degree or experience:
        # their work route is UNDETERMINED, naming what is missing
        known = i % 3 != 0
        candidates.append(
            Candidate(
                id=f"xt-g{i:02d}",
                university=("ntu", "nus")[i % 2],
                nationalities=frozenset({"SG"}),
                study=StudyStatus(graduated_on=date(2018 - i % 3, 6, 30)),
                discipline="computer-science",
                available=DateRange(date(2020, 6, 1), date(2022, 6, 1)),
                duration=months(6, 12),
                modes=frozenset({Mode.ON_SITE}),
                date_of_birth=birth_date(rng, 1990, 1996),
                preferences=ranked(rng, rng.sample(job_ids, 3), ties=False),
                cohort="xt-jobs-2020",
                degree=rng.choice((Degree.BACHELOR, Degree.MASTER)) if known else None,
                experience_months=rng.choice((12, 24, 36, 48)) if known else None,
            )
        )
    partners = (
        Partner("wisenet", Role.COORDINATOR),
        Partner("yubei-talent", Role.TALENT_SERVICE_CENTRE),
        Partner("xiantao-bdv-co", Role.TALENT_SERVICE_CENTRE),
    )
    programmes = (
        Programme(
            id=interns_id,
            name="Internships for overseas young talents in Xiantao Big Data Valley",
            kind=ProgrammeKind.INTERNSHIP,
            direction=Direction.SG_TO_CQ,
            partners=(
                *partners,
                Partner("ntu", Role.SENDING_UNIVERSITY),
                Partner("nus", Role.SENDING_UNIVERSITY),
            ),
            benefits=Benefits(allowance=True),
            citations=(WISENET_SEP_2019, CQ_DEC_2019),
        ),
        Programme(
            id=jobs_id,
            name="Job opportunities for overseas young talents in Xiantao Big Data Valley",
            kind=ProgrammeKind.JOB,
            direction=Direction.SG_TO_CQ,
            partners=partners,
            benefits=Benefits(allowance=True),
            citations=(WISENET_SEP_2019,),
        ),
    )
    cohorts = (
        Cohort(
            id="xt-interns-2020",
            programme=interns_id,
            intake=DateRange(date(2020, 6, 1), date(2020, 8, 1)),
            target_size=12,
            max_size=16,
        ),
        Cohort(
            id="xt-jobs-2020",
            programme=jobs_id,
            intake=DateRange(date(2020, 7, 1), date(2021, 1, 1)),
            target_size=6,
            max_size=10,
        ),
    )
    return Scenario(
        id="xiantao-talent-2019",
        name="Internships and jobs in Xiantao Big Data Valley, 2020",
        description=(
            "The WiseNet Asia, Xiantao and Yubei talent agreement of 2019-09-11: internships "
            "and job opportunities for overseas young talents in Xiantao Big Data Valley."
        ),
        illustrative=True,
        notes=ILLUSTRATIVE_NOTE
        + " Sourced: internships and job opportunities for overseas young talents in Xiantao "
        "Big Data Valley and Yubei District (2019-09-11), the S2 internship route (2019-12-13). "
        "Invented: the six hosts and which of them are in the Pilot FTZ and registered, the "
        "positions, allowances and salaries, which jobs have no fixed end, the cohorts, the "
        "candidates, their degrees and experience (a third left unknown on purpose) and all "
        "preferences.",
        as_of=date(2020, 5, 15),
        organisations=(NTU, NUS, WISENET, YUBEI_TALENT, XIANTAO_CO, CQ_EXIT_ENTRY, *hosts),
        programmes=programmes,
        cohorts=cohorts,
        candidates=tuple(candidates),
        positions=tuple(positions),
        citations=(WISENET_SEP_2019, CQ_DEC_2019),
    )


# --- ntu-west-base-2021 ----------------------------------------------------------


def ntu_west_base_2021() -> Scenario:
    """The NTU China (West) Base's hybrid MiniMasters and an executive course, 2021."""
    rng = random.Random(20201208)
    mini_id, exec_id = "ntu-minimasters", "ntu-west-executive"
    campus = evolve(NTU, roles=frozenset({Role.SENDING_UNIVERSITY, Role.HOST_COMPANY}))
    base = Organisation(
        "ntu-west-base",
        "NTU China (West) Entrepreneurship and Innovation Base, Yubei",
        frozenset({Role.HOST_COMPANY}),
        CQ,
        notes=str(NTU_DEC_2020),
    )
    cq_unis = tuple(
        university(f"cq-uni-{x}", f"Chongqing university {x.upper()} (illustrative)", CQ)
        for x in ("a", "b")
    )
    # YDPG sends officials to the executive courses; a Singapore company its managers.
    ydpg = evolve(YDPG, roles=YDPG.roles | {Role.SENDING_GOVERNMENT})
    sg_firm = Organisation(
        "sg-firm-a",
        "Singapore company A (illustrative)",
        frozenset({Role.SENDING_EMPLOYER}),
        SG,
        notes="illustrative",
    )
    positions = (
        # Chinese participants: classes at the Base (remote from Singapore) and a
        # campus block in Singapore, the last quarter of the course.
        Position(
            id="minimasters-campus",
            host=campus.id,
            title="MiniMasters in technopreneurship (hybrid, campus block in Singapore)",
            fields=frozenset({"technopreneurship"}),
            seats=20,
            mode=Mode.HYBRID,
            hybrid=HybridSplit(Decimal("0.25"), Phase.LAST),
            location=SG,
            starts=StartDates((date(2021, 3, 1),)),
            duration=months(6),
            hours_per_week=Decimal(12),
            programme=mini_id,
        ),
        # Singaporean participants: a campus block at NTU, classes followed
        # remotely, then a block at the Base in Chongqing (segments).
        Position(
            id="minimasters-sg",
            host=campus.id,
            title="MiniMasters in technopreneurship (campus block, remote classes, the Base)",
            fields=frozenset({"technopreneurship"}),
            seats=8,
            mode=Mode.HYBRID,
            segments=SegmentPlan(
                (
                    SegmentSpec(Mode.ON_SITE, Duration(6, DurationUnit.WEEKS)),
                    SegmentSpec(Mode.REMOTE, Duration(3, DurationUnit.MONTHS)),
                    SegmentSpec(Mode.ON_SITE, location=base.location),
                )
            ),
            location=SG,
            starts=StartDates((date(2021, 3, 1),)),
            duration=months(6),
            hours_per_week=Decimal(12),
            programme=mini_id,
        ),
        Position(
            id="exec-base",
            host=base.id,
            title="Executive course at the Base (Chongqing)",
            fields=frozenset({"leadership"}),
            seats=15,
            mode=Mode.ON_SITE,
            location=base.location,
            starts=StartDates((date(2021, 4, 5), date(2021, 9, 6))),
            duration=DurationBounds.fixed(Duration(3, DurationUnit.WEEKS)),
            programme=exec_id,
        ),
        Position(
            id="exec-campus",
            host=campus.id,
            title="Executive course at the NTU campus (Singapore)",
            fields=frozenset({"leadership"}),
            seats=15,
            mode=Mode.ON_SITE,
            location=SG,
            starts=StartDates((date(2021, 5, 3), date(2021, 10, 4))),
            duration=DurationBounds.fixed(Duration(3, DurationUnit.WEEKS)),
            programme=exec_id,
        ),
    )
    candidates: list[Candidate] = []
    for i in range(1, 21):
        candidates.append(
            Candidate(
                id=f"mm-cn{i:02d}",
                university=cq_unis[i % 2].id,
                nationalities=frozenset({"CN"}),
                study=StudyStatus(enrolled_full_time_until=date(2022, 6, 30), level="masters"),
                discipline="engineering",
                available=DateRange(date(2021, 2, 1), date(2021, 12, 31)),
                duration=months(1, 6),
                modes=frozenset(Mode),
                date_of_birth=birth_date(rng, 1994, 1999),
                preferences=Ranking.from_order(["minimasters-campus"]),
                cohort="minimasters-2021",
            )
        )
    # The executive participants are staff of employers and government bodies
    # (the "key leaders and business professionals" of 2019-09-11), not students:
    # they come through their affiliation and have no sending university.
    for i in range(1, 9):
        candidates.append(
            Candidate(
                id=f"mm-sg{i:02d}",
                university="ntu",
                nationalities=frozenset({"SG"}),
                study=StudyStatus(enrolled_full_time_until=date(2022, 5, 31), level="masters"),
                discipline="engineering",
                available=DateRange(date(2021, 2, 1), date(2021, 12, 31)),
                duration=months(1, 6),
                modes=frozenset(Mode),
                date_of_birth=birth_date(rng, 1994, 1999),
                preferences=Ranking.from_order(["minimasters-sg"]),
                cohort="minimasters-2021",
            )
        )
    for i in range(1, 13):
        own = ("exec-base",) if i % 2 else ("exec-campus",)
        candidates.append(
            Candidate(
                id=f"ex-{i:02d}",
                affiliation=(sg_firm.id if i % 2 else ydpg.id),
                nationalities=frozenset({"SG" if i % 2 else "CN"}),
                study=StudyStatus(graduated_on=date(2010 + i % 5, 6, 30)),
                discipline="management",
                available=DateRange(date(2021, 3, 1), date(2021, 12, 31)),
                duration=DurationBounds(
                    Duration(1, DurationUnit.WEEKS), Duration(2, DurationUnit.MONTHS)
                ),
                modes=frozenset({Mode.ON_SITE}),
                date_of_birth=birth_date(rng, 1975, 1988),
                preferences=Ranking.from_order(list(own)),
                cohort="exec-2021",
            )
        )
    programmes = (
        Programme(
            id=mini_id,
            name="MiniMasters in technopreneurship (hybrid: NTU campus and the Base)",
            kind=ProgrammeKind.HYBRID_COURSE,
            direction=Direction.BOTH,
            partners=(
                Partner("ntu", Role.SENDING_UNIVERSITY),
                Partner("ydpg", Role.HOST_GOVERNMENT),
            ),
            citations=(NTU_DEC_2020,),
        ),
        Programme(
            id=exec_id,
            name="Executive and certification courses of the NTU China (West) Base",
            kind=ProgrammeKind.TRAINING_COURSE,
            direction=Direction.BOTH,
            partners=(Partner("ntu", Role.SENDING_UNIVERSITY),),
            citations=(NTU_DEC_2020, WISENET_SEP_2019),
        ),
    )
    cohorts = (
        Cohort(
            id="minimasters-2021",
            programme=mini_id,
            intake=DateRange(date(2021, 3, 1), date(2021, 3, 2)),
            target_size=28,
            max_size=28,
        ),
        Cohort(
            id="exec-2021",
            programme=exec_id,
            intake=DateRange(date(2021, 4, 1), date(2021, 11, 1)),
            target_size=12,
            max_size=30,
        ),
    )
    return Scenario(
        id="ntu-west-base-2021",
        name="NTU China (West) Base: hybrid MiniMasters and executive courses, 2021",
        description=(
            "The NTU China (West) Entrepreneurship and Innovation Base in Yubei (2020-12-08): a "
            "MiniMasters in technopreneurship with hybrid classes at the NTU campus and the Base, "
            "and executive and certification courses."
        ),
        illustrative=True,
        notes=ILLUSTRATIVE_NOTE
        + " Sourced: the Base (2020-12-08), the hybrid MiniMasters at the NTU campus and the "
        "Base, certification and executive courses, training for key leaders and business "
        "professionals (2019-09-11). Invented: the course dates, lengths and seats, the campus "
        "block (the last quarter of the MiniMasters), the two Chongqing universities, the "
        "Singapore company, and every participant. The executive participants are officials "
        "of YDPG and managers of a Singapore company: they come through their affiliation "
        "(a sending government body or employer), not through a university.",
        as_of=date(2021, 1, 15),
        organisations=(campus, ydpg, base, *cq_unis, sg_firm),
        programmes=programmes,
        cohorts=cohorts,
        candidates=tuple(candidates),
        positions=positions,
        citations=(NTU_DEC_2020, WISENET_SEP_2019),
    )


# --- ssijri-2020 ----------------------------------------------------------------

SSIJRI_DEC_2020 = Citation(
    "NTU press release: SSIJRI funding and NTU China (West) Innovation Base",
    date(2020, 12, 8),
    "S$61m (RMB300m) over five years for the next phase; co-founded by NTU, the CSGKC "
    "Administrative Committee, SCUT and GKC Co.; so far 45 projects, over 90 papers, over 70 "
    "patent applications, five patents licensed for S$1.7m (RMB8.6m); aims for at least 40 "
    "new research projects and at least 100 new patent applications by 2025",
)


def ssijri_2020() -> Scenario:
    """The Sino-Singapore International Joint Research Institute's targets, from Dec 2020."""
    guangzhou = Location("CN", "Guangzhou")
    institute = Organisation(
        "ssijri",
        "Sino-Singapore International Joint Research Institute",
        frozenset({Role.RESEARCH_INSTITUTE}),
        guangzhou,
        notes=f"in China-Singapore Guangzhou Knowledge City; {SSIJRI_DEC_2020}",
    )
    founder_note = (
        "co-founder of SSIJRI (sourced); the release does not say who pays what share of the S$61m"
    )
    founders = (
        attrs_evolve_roles(NTU, Role.SENDING_UNIVERSITY, Role.FUNDER),
        Organisation(
            "csgkc-admin",
            "China-Singapore Guangzhou Knowledge City Administrative Committee",
            frozenset({Role.FUNDER}),
            guangzhou,
            notes=founder_note,
        ),
        Organisation(
            "scut",
            "South China University of Technology",
            frozenset({Role.FUNDER}),
            guangzhou,
            notes=founder_note,
        ),
        Organisation(
            "gkc-co",
            "CSGKC Investment and Development Co., Ltd (GKC Co.)",
            frozenset({Role.FUNDER}),
            guangzhou,
            notes=founder_note,
        ),
    )
    start = Observation(date(2020, 12, 8), 0, citation=SSIJRI_DEC_2020)
    invented = "invented (illustrative)"

    def seen(year: int, value: int) -> Observation:
        return Observation(date(year, 12, 31), value, note=invented)

    by_2025 = date(2025, 12, 31)
    reading = (
        "sourced: the comparator, the value and 'by 2025' (read as 31 Dec 2025); the baseline "
        "counts new ones from the announcement; invented: the yearly observations"
    )
    targets = (
        Target.from_text(
            "new_research_projects",
            "at least 40",
            by_2025,
            SSIJRI_DEC_2020,
            baseline=start,
            observations=(seen(2021, 7), seen(2022, 16), seen(2023, 25)),
            note=reading,
        ),
        Target.from_text(
            "new_patent_applications",
            "at least 100",
            by_2025,
            SSIJRI_DEC_2020,
            baseline=start,
            observations=(seen(2021, 12), seen(2022, 30), seen(2023, 48)),
            note=reading,
        ),
    )
    so_far = date(2020, 12, 8)
    indicators = (
        Indicator("research_projects", (Observation(so_far, 45, citation=SSIJRI_DEC_2020),)),
        Indicator(
            "research_papers",
            (Observation(so_far, 90, lower_bound=True, citation=SSIJRI_DEC_2020),),
        ),
        Indicator(
            "patent_applications",
            (Observation(so_far, 70, lower_bound=True, citation=SSIJRI_DEC_2020),),
        ),
        Indicator("patents_licensed", (Observation(so_far, 5, citation=SSIJRI_DEC_2020),)),
        Indicator(
            "patents_licensed_value",
            (
                Observation(
                    so_far,
                    Money("1700000", "SGD"),
                    also_quoted=(Money("8600000", "CNY"),),
                    citation=SSIJRI_DEC_2020,
                ),
            ),
        ),
    )
    programme = Programme(
        id="ssijri",
        name="Sino-Singapore International Joint Research Institute, next phase",
        kind=ProgrammeKind.RESEARCH,
        direction=Direction.BOTH,
        partners=(
            Partner("ssijri", Role.RESEARCH_INSTITUTE),
            *(Partner(f.id, Role.FUNDER) for f in founders),
        ),
        funding=(
            Funding(
                (Money("61000000", "SGD"), Money("300000000", "CNY")),
                # "Over the next five years" from the announcement: read as 2021-2025.
                DateRange(date(2021, 1, 1), date(2026, 1, 1)),
                SSIJRI_DEC_2020,
            ),
        ),
        targets=targets,
        indicators=indicators,
        citations=(SSIJRI_DEC_2020,),
    )
    return Scenario(
        id="ssijri-2020",
        name="SSIJRI: funding and targets of the next phase, from December 2020",
        description=(
            "The Sino-Singapore International Joint Research Institute in Guangzhou: S$61m "
            "(RMB300m) over five years, at least 40 new research projects and 100 new patent "
            "applications by 2025, and what it had achieved by December 2020."
        ),
        illustrative=True,
        notes="Sourced: the institute, its co-founders, the funding in both currencies, the "
        "two targets, and the figures so far (45 projects, 90+ papers, 70+ patent "
        "applications, five licensed patents worth S$1.7m or RMB8.6m). Invented "
        "(illustrative): the yearly observations of new projects and patent applications "
        "(2021-2023), the reading of 'by 2025' as 31 Dec 2025 and of 'the next five years' "
        "as 2021-2025, and the co-founders' role as funders (the release does not say who "
        "pays). The two currency quotes are kept as given, not used as a rate.",
        as_of=date(2020, 12, 8),
        organisations=(institute, *founders),
        programmes=(programme,),
        citations=(SSIJRI_DEC_2020,),
    )


#: The bundled scenarios by name (the file name without ``.toml``).
BUILDERS: dict[str, Callable[[], Scenario]] = {
    "ntu-ydpg-2020": ntu_ydpg_2020,
    "ntu-west-base-2021": ntu_west_base_2021,
    "nus-ytp-2019": nus_ytp_2019,
    "ssijri-2020": ssijri_2020,
    "suss-overseas-2021": suss_overseas_2021,
    "xiantao-talent-2019": xiantao_talent_2019,
    "yes-2020": yes_2020,
}


def build_all() -> dict[str, Scenario]:
    """Build every scenario, by name."""
    return {name: build() for name, build in BUILDERS.items()}


def render() -> dict[str, str]:
    """Return every scenario's TOML text by file name."""
    return {f"{name}.toml": dumps_toml(s) for name, s in build_all().items()}


def render_fixtures() -> dict[str, str]:
    """Return every rule-case fixture's TOML text by file name."""
    return {f"{name}.toml": dumps_toml(build()) for name, build in FIXTURES.items()}


def _stale(texts: dict[str, str], folder: Path) -> list[str]:
    return [
        file
        for file, text in texts.items()
        if not (folder / file).exists() or (folder / file).read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed files differ")
    parser.add_argument("--out", type=Path, default=OUT, help="directory to write to")
    args = parser.parse_args(argv)
    if args.check:
        texts = render()
        fixtures = render_fixtures()
        stale = _stale(texts, args.out) + _stale(fixtures, FIXTURES_OUT)
        if stale:
            print(
                f"out of date: {', '.join(stale)}; run python scripts/make_scenarios.py",
                file=sys.stderr,
            )
            return 1
        print(f"{len(texts)} scenarios and {len(fixtures)} rule-case fixtures up to date")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, scenario in build_all().items():
        path = dump(scenario, args.out / f"{name}.toml")
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    if args.out != OUT:
        return 0
    FIXTURES_OUT.mkdir(parents=True, exist_ok=True)
    for name, build in FIXTURES.items():
        path = dump(build(), FIXTURES_OUT / f"{name}.toml")
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
