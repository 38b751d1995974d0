"""Strategies for matching inputs: feasible by construction, or infeasible on purpose.

A drawn :class:`MatchingCase` is a small scenario shaped for the matcher (one
programme, one cohort, candidates who rank positions, hosts that may rank
candidates) plus a *witness*: an assignment that satisfies every constraint
the case sets. Constraints are drawn *around* the witness (bed limits, budget,
quotas and cohort size admit it), so the case is feasible by construction.
Infeasible cases break one named constraint on purpose.

Every ranked pair is eligible under the default rules: candidates are
Singapore citizens enrolled full time, hosts are in the Chongqing Pilot Free
Trade Zone and registered for the internship-visa route since it began, and
stays are on site, one to five months, from 2021.

:func:`problems` draws synthetic :class:`~sgcq.matching.Problem` objects
directly, without a scenario.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs
from hypothesis import strategies as st

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
    StartDates,
    StudyStatus,
    YearMonth,
)
from sgcq.rules import (
    RuleBook,
    Verdict,
    allowance_cost,
    bed_months,
    evaluate_option,
    split_cover,
    stay_for,
)

if TYPE_CHECKING:
    # Only for annotations: see _problems for why sgcq.matching is imported late.
    from sgcq.matching import Objective, Option, Problem, Stability

__all__ = [
    "INFEASIBLE_KINDS",
    "MatchingCase",
    "infeasible_matching_cases",
    "matching_cases",
    "problems",
]

#: The constraints an infeasible case can break on purpose.
INFEASIBLE_KINDS = ("cohort_min_size", "university_quota_min", "pin_without_beds")

_HOST_LOCATION = Location(
    "CN", "Chongqing", frozenset({ZONE_CHONGQING_PILOT_FTZ, ZONE_XIANTAO_BIG_DATA_VALLEY})
)
_S2_START = date(2019, 12, 13)
_PROGRAMME = "prog"
_COHORT = "cohort"
_START_MONTHS = (date(2021, 3, 1), date(2021, 4, 1), date(2021, 5, 3), date(2021, 6, 1))


@attrs.frozen
class MatchingCase:
    """A scenario for the matcher with a known feasible assignment.

    Parameters
    ----------
    scenario
        One programme (``"prog"``), one cohort (``"cohort"``), universities
        ``"u0"``.., hosts ``"h0"``.., positions ``"p0"``.., candidates ``"c0"``...
    cohort
        The cohort to match.
    witness
        ``(candidate, position, start)`` triples satisfying every constraint
        of the case (for an infeasible case: before it was broken).
    pins
        ``(candidate, position)`` pairs the matcher must keep; drawn from the
        witness, or, in a ``"pin_without_beds"`` infeasible case, a pair that
        cannot be placed because no bed is left.
    infeasible_because
        ``None`` for a feasible case, else one of :data:`INFEASIBLE_KINDS`.
    """

    scenario: Scenario
    cohort: str
    witness: tuple[tuple[str, str, date], ...]
    pins: tuple[tuple[str, str], ...] = ()
    infeasible_because: str | None = None

    @property
    def feasible(self) -> bool:
        """Whether the case is feasible by construction."""
        return self.infeasible_because is None

    def problem(
        self,
        rulebook: RuleBook | None = None,
        *,
        objectives: Sequence[Objective] | None = None,
        stability: Stability | None = None,
        pins: bool = True,
    ) -> Problem:
        """Return the case's cohort as a :class:`~sgcq.matching.Problem`, with its pins.

        The constraints are the cohort's (:meth:`~sgcq.matching.Constraints.from_cohort`)
        plus the case's :attr:`pins`, so a feasible case's problem admits the
        witness and an infeasible case's problem has no solution.

        Parameters
        ----------
        rulebook
            The rules that decide each option; sgcq's defaults when ``None``.
            Every ranked pair is eligible under the defaults; a rule book with
            rules of your own may exclude some, and the witness may then no
            longer be feasible.
        objectives
            The lexicographic objective; the matcher's default when ``None``.
        stability
            How blocking pairs are treated; ``Stability.OFF`` when ``None``.
        pins
            Keep the case's pins (the default). A pin needs its option, so
            with a rule book that may refuse a pinned pair pass ``False``:
            the problem is then the cohort's alone.

        Returns
        -------
        Problem
            What :func:`~sgcq.matching.solve` takes.

        Examples
        --------
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=3, deadline=None)  # the first call imports OR-Tools
        ... @given(matching_cases(max_candidates=2))
        ... def test_witness_pairs_are_options(case):
        ...     problem = case.problem()
        ...     pairs = {(o.candidate, o.position) for o in problem.options}
        ...     assert {(c, p) for c, p, _ in case.witness} <= pairs
        >>> test_witness_pairs_are_options()
        """
        # sgcq.matching (and OR-Tools) only when a problem is wanted.
        from sgcq.matching import Constraints, Pin, Stability
        from sgcq.matching import Problem as _Problem

        cons = Constraints.from_cohort(self.scenario.cohort(self.cohort))
        if pins:
            cons = attrs.evolve(cons, pins=tuple(Pin(c, p) for c, p in self.pins))
        evaluate = None
        if rulebook is not None:
            book = rulebook

            def evaluate(s: Scenario, c: Candidate, p: Position, stay: DateRange) -> Verdict:
                return evaluate_option(s, c, p, stay, rulebook=book)

        return _Problem.from_scenario(
            self.scenario,
            self.cohort,
            evaluate=evaluate,
            constraints=cons,
            objectives=objectives,
            stability=Stability.OFF if stability is None else stability,
        )


def _ranking(draw: st.DrawFn, ids: Sequence[str], max_ties: int) -> Ranking:
    order = draw(st.permutations(list(ids)))
    ranks: dict[str, int] = {}
    rank, tied = 0, 0
    for i, x in enumerate(order):
        share = i > 0 and tied < max_ties and draw(st.booleans())
        if share:
            tied += 1
        else:
            rank += 1
        ranks[x] = rank
    return Ranking(ranks)


@st.composite
def _cases(
    draw: st.DrawFn,
    min_candidates: int,
    max_candidates: int,
    max_positions: int,
    max_universities: int,
    max_ties: int,
    side_constraints: bool,
    host_rankings: bool,
) -> MatchingCase:
    n_uni = draw(st.integers(1, max_universities))
    n_pos = draw(st.integers(1, max_positions))
    n_cand = draw(st.integers(min_candidates, max_candidates))
    n_host = draw(st.integers(1, min(2, n_pos)))
    uni_ids = [f"u{i}" for i in range(n_uni)]
    host_ids = [f"h{i}" for i in range(n_host)]
    pos_ids = [f"p{i}" for i in range(n_pos)]
    cand_ids = [f"c{i}" for i in range(n_cand)]

    positions: list[Position] = []
    for j, pid in enumerate(pos_ids):
        starts = draw(st.lists(st.sampled_from(_START_MONTHS), min_size=1, max_size=2, unique=True))
        months = draw(st.integers(1, 5))
        positions.append(
            Position(
                id=pid,
                host=host_ids[j % n_host],
                title=f"Intern {j}",
                fields=frozenset({draw(st.sampled_from(("ai", "big-data")))}),
                seats=draw(st.integers(1, 2)),
                mode=Mode.ON_SITE,
                location=_HOST_LOCATION,
                starts=StartDates(tuple(starts)),
                duration=DurationBounds.fixed(Duration(months, DurationUnit.MONTHS)),
                hours_per_week=Decimal(40),
                allowance=Allowance(
                    Money(Decimal(draw(st.sampled_from((3000, 4000, 5000)))), "CNY"),
                    host_ids[j % n_host],
                ),
                housing_cover=True,
                programme=_PROGRAMME,
            )
        )
    candidates: list[Candidate] = []
    for i, cid in enumerate(cand_ids):
        ranked = draw(st.lists(st.sampled_from(pos_ids), min_size=1, max_size=n_pos, unique=True))
        candidates.append(
            Candidate(
                id=cid,
                university=uni_ids[i % n_uni],
                nationalities=frozenset({"SG"}),
                study=StudyStatus(enrolled_full_time_until=date(2023, 5, 31)),
                discipline="computer-science",
                available=DateRange(date(2021, 1, 1), date(2022, 1, 1)),
                duration=DurationBounds(
                    Duration(1, DurationUnit.MONTHS), Duration(6, DurationUnit.MONTHS)
                ),
                modes=frozenset({Mode.ON_SITE}),
                date_of_birth=date(2000, 1, 1),
                preferences=_ranking(draw, ranked, max_ties),
                cohort=_COHORT,
            )
        )
    if host_rankings:
        ranked_by: dict[str, list[str]] = {p: [] for p in pos_ids}
        for c in candidates:
            for pid in c.preferences:
                ranked_by[pid].append(c.id)
        positions = [
            attrs.evolve(p, candidate_preferences=_ranking(draw, ranked_by[p.id], max_ties))
            if bool(ranked_by[p.id]) and draw(st.booleans())
            else p
            for p in positions
        ]

    # The witness: each candidate takes one ranked position with a seat left, or none.
    seats_left = {p.id: p.seats for p in positions}
    by_id = {p.id: p for p in positions}
    housing = HousingTerms(max_months=draw(st.integers(1, 6)), payer="gov")
    witness: list[tuple[str, str, date]] = []
    for c in candidates:
        free = [pid for pid in c.preferences if seats_left[pid] > 0]
        choice = draw(st.sampled_from([None, *free]))
        if choice is None:
            continue
        p = by_id[choice]
        start = draw(st.sampled_from(p.start_options(c.available)))
        seats_left[choice] -= 1
        witness.append((c.id, choice, start))

    cohort = Cohort(_COHORT, _PROGRAMME, DateRange(date(2021, 1, 1), date(2022, 1, 1)))
    if side_constraints:
        cand_by_id = {c.id: c for c in candidates}
        stays = [(by_id[p], stay_for(cand_by_id[c], by_id[p], s)) for c, p, s in witness]
        splits = [split_cover(p, stay, housing) for p, stay in stays if stay is not None]
        used = bed_months(splits)
        cost = sum(
            (
                allowance_cost(p.allowance.monthly, stay).amount
                for p, stay in stays
                if stay is not None and p.allowance is not None
            ),
            Decimal(0),
        )
        per_uni = Counter(cand_by_id[c].university for c, _, _ in witness)
        slack = st.integers(0, 1)
        beds = tuple(MonthlyBeds(ym, n + draw(slack)) for ym, n in used.items())
        quotas = tuple(
            Quota(
                QuotaDimension.UNIVERSITY,
                u,
                minimum=Count(max(0, per_uni[u] - draw(slack))) if draw(st.booleans()) else None,
                maximum=Count(per_uni[u] + draw(slack)),
            )
            for u in uni_ids
            if draw(st.booleans())
        )
        cohort = attrs.evolve(
            cohort,
            min_size=max(0, len(witness) - draw(slack)) if draw(st.booleans()) else None,
            max_size=len(witness) + draw(slack) if draw(st.booleans()) else None,
            quotas=quotas,
            beds=beds,
            allowance_budget=Money(cost + draw(st.sampled_from((0, 1000, 5000))), "CNY"),
        )
    pins: tuple[tuple[str, str], ...] = ()
    if bool(witness) and draw(st.booleans()):
        pinned_candidate, pinned_position, _ = draw(st.sampled_from(witness))
        pins = ((pinned_candidate, pinned_position),)

    universities = tuple(
        Organisation(
            u,
            f"University {u}",
            frozenset({Role.SENDING_UNIVERSITY}),
            Location("SG", "Singapore"),
            education_kind=EducationKind.AUTONOMOUS_UNIVERSITY,
        )
        for u in uni_ids
    )
    hosts = tuple(
        Organisation(
            h,
            f"Host {h}",
            frozenset({Role.HOST_COMPANY}),
            _HOST_LOCATION,
            visa_scheme_registered_on=_S2_START,
        )
        for h in host_ids
    )
    gov = Organisation("gov", "Host government", frozenset({Role.HOST_GOVERNMENT}), _HOST_LOCATION)
    programme = Programme(
        id=_PROGRAMME,
        name="Generated programme",
        kind=ProgrammeKind.INTERNSHIP,
        direction=Direction.SG_TO_CQ,
        partners=(
            *(Partner(u, Role.SENDING_UNIVERSITY) for u in uni_ids),
            Partner("gov", Role.HOST_GOVERNMENT),
        ),
        benefits=Benefits(allowance=True, housing=housing),
    )
    scenario = Scenario(
        id="generated",
        name="Generated matching case",
        illustrative=True,
        as_of=date(2021, 1, 1),
        organisations=(*universities, *hosts, gov),
        programmes=(programme,),
        cohorts=(cohort,),
        candidates=tuple(candidates),
        positions=tuple(positions),
    )
    return MatchingCase(scenario, _COHORT, tuple(witness), pins)


def matching_cases(
    *,
    min_candidates: int = 1,
    max_candidates: int = 6,
    max_positions: int = 4,
    max_universities: int = 2,
    max_ties: int = 1,
    side_constraints: bool = True,
    host_rankings: bool = True,
) -> st.SearchStrategy[MatchingCase]:
    """Small matching cases that are feasible by construction.

    Parameters
    ----------
    min_candidates, max_candidates
        Bounds on the number of candidates (1 to 30).
    max_positions
        Most positions (1 to 20); each has one or two seats and one or two
        start dates.
    max_universities
        Most universities (1 to 5); candidates are spread over them in turn.
    max_ties
        Most ids sharing a rank with the one before them, in every ranking.
    side_constraints
        Whether to draw cohort size bounds, university quotas, beds by month
        and an allowance budget (all admitting the witness).
    host_rankings
        Whether positions may rank the candidates who ranked them.

    Returns
    -------
    SearchStrategy of MatchingCase
        Cases whose ``witness`` satisfies every constraint they set.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(matching_cases(max_candidates=3))
    ... def test_witness_is_ranked(case):
    ...     for c, p, _ in case.witness:
    ...         assert p in case.scenario.candidate(c).preferences
    >>> test_witness_is_ranked()
    """
    if not 1 <= min_candidates <= max_candidates <= 30:
        raise ValueError(
            "need 1 <= min_candidates <= max_candidates <= 30, "
            f"got {min_candidates} and {max_candidates}"
        )
    if not 1 <= max_positions <= 20:
        raise ValueError(f"max_positions must be in 1..20, got {max_positions}")
    if not 1 <= max_universities <= 5:
        raise ValueError(f"max_universities must be in 1..5, got {max_universities}")
    if max_ties < 0:
        raise ValueError(f"max_ties must not be negative, got {max_ties}")
    return _cases(
        min_candidates,
        max_candidates,
        max_positions,
        max_universities,
        max_ties,
        side_constraints,
        host_rankings,
    )


@st.composite
def _broken(draw: st.DrawFn, base: st.SearchStrategy[MatchingCase], kind: str) -> MatchingCase:
    case = draw(base)
    s = case.scenario
    cohort = s.cohort(case.cohort)
    if kind == "cohort_min_size":
        # More than there are candidates (or seats) can never be placed.
        need = min(len(s.candidates), sum(p.seats for p in s.positions)) + 1
        cohort = attrs.evolve(cohort, min_size=need, max_size=None)
        s = attrs.evolve(s, cohorts=(cohort,))
    elif kind == "university_quota_min":
        # A university cannot place more candidates than it sends.
        uni = draw(st.sampled_from(sorted({c.sending_party for c in s.candidates})))
        sent = sum(1 for c in s.candidates if c.university == uni)
        others = tuple(q for q in cohort.quotas if q.key != uni)
        quota = Quota(QuotaDimension.UNIVERSITY, uni, minimum=Count(sent + 1))
        s = attrs.evolve(s, cohorts=(attrs.evolve(cohort, quotas=(*others, quota)),))
    else:
        # Pin a ranked pair, and leave no bed in any month a stay could cover.
        c = draw(st.sampled_from(s.candidates))
        p = draw(st.sampled_from(sorted(c.preferences)))
        month, beds = YearMonth(2021, 1), []
        while month <= YearMonth(2022, 1):
            beds.append(MonthlyBeds(month, 0))
            month = month.next()
        cohort = attrs.evolve(cohort, beds=tuple(beds))
        return attrs.evolve(
            case,
            scenario=attrs.evolve(s, cohorts=(cohort,)),
            pins=((c.id, p),),
            infeasible_because=kind,
        )
    return attrs.evolve(case, scenario=s, pins=(), infeasible_because=kind)


def infeasible_matching_cases(
    *,
    kinds: Sequence[str] = INFEASIBLE_KINDS,
    max_candidates: int = 5,
    max_positions: int = 3,
) -> st.SearchStrategy[MatchingCase]:
    """Small matching cases that break one named constraint on purpose.

    Parameters
    ----------
    kinds
        Which constraints may be broken: ``"cohort_min_size"`` (a minimum
        above the candidates or seats there are), ``"university_quota_min"``
        (a minimum above the candidates a university sends) and
        ``"pin_without_beds"`` (a pinned pair while no month has a bed left;
        every stay of these cases holds beds).
    max_candidates, max_positions
        Size bounds, as for :func:`matching_cases`.

    Returns
    -------
    SearchStrategy of MatchingCase
        Cases with ``infeasible_because`` set to the broken constraint.
    """
    bad = [k for k in kinds if k not in INFEASIBLE_KINDS]
    if bad or not kinds:
        raise ValueError(f"kinds must be a non-empty subset of {INFEASIBLE_KINDS}, got {kinds!r}")
    base = matching_cases(max_candidates=max_candidates, max_positions=max_positions)
    return st.sampled_from(tuple(kinds)).flatmap(lambda kind: _broken(base, kind))


# --- synthetic problems ----------------------------------------------------------

_PROBLEM_STARTS = (date(2020, 7, 1), date(2020, 8, 1), date(2020, 9, 1))
_UNIVERSITIES = ("ntu", "nus", "suss")
_FIELDS = ("ai", "big-data", "fintech")


@st.composite
def _problems(
    draw: st.DrawFn,
    min_candidates: int,
    max_candidates: int,
    max_positions: int,
    max_ranks: int,
    max_seats: int,
    starts: int,
    ties: bool,
    host_rankings: str,
    side_constraints: bool,
    stability: str,
) -> Problem:
    # Imported when a problem is drawn, not with the module: sgcq.matching loads
    # OR-Tools (about half a second), and the model and scenario strategies,
    # which every test of the models and rules imports through this package,
    # need neither.
    from sgcq.matching import (
        Constraints,
        HostCap,
        MatchCandidate,
        MatchPosition,
        Option,
        Pin,
        Problem,
        Stability,
    )

    n_cand = draw(st.integers(min_candidates, max_candidates))
    n_pos = draw(st.integers(1, max_positions))
    cands = [
        MatchCandidate(
            f"c{i}", draw(st.sampled_from(_UNIVERSITIES)), priority=draw(st.integers(1, 3))
        )
        for i in range(n_cand)
    ]
    poss = [
        MatchPosition(
            f"p{j}",
            f"h{j % 2}",
            draw(st.integers(1, max_seats)),
            frozenset(draw(st.sets(st.sampled_from(_FIELDS), max_size=2))),
            ranks_candidates=host_rankings == "all"
            or (host_rankings == "some" and draw(st.booleans())),
        )
        for j in range(n_pos)
    ]
    ranked: dict[str, Ranking] = {}
    for c in cands:
        picks = draw(
            st.lists(
                st.sampled_from([p.id for p in poss]),
                min_size=1,
                max_size=min(max_ranks, n_pos),
                unique=True,
            )
        )
        ranked[c.id] = _ranking(draw, picks, len(picks) if ties else 0)
    host_ranks: dict[str, Ranking] = {}
    for p in poss:
        if p.ranks_candidates:
            applicants = [c.id for c in cands if p.id in ranked[c.id]]
            if applicants:
                host_ranks[p.id] = _ranking(draw, applicants, len(applicants) if ties else 0)
    options: list[Option] = []
    for c in cands:
        for pid in ranked[c.id]:
            n_starts = draw(st.integers(1, starts))
            for start in _PROBLEM_STARTS[:n_starts]:
                months = draw(st.integers(1, 4))
                stay = DateRange.of_months(start, months)
                host = host_ranks.get(pid)
                options.append(
                    Option(
                        c.id,
                        pid,
                        start,
                        stay,
                        Mode.ON_SITE,
                        candidate_rank=ranked[c.id].rank_of(pid),
                        position_rank=host.rank_of(c.id) if host is not None else None,
                        bed_months=tuple(stay.calendar_months()),
                        cost=Money(Decimal(draw(st.sampled_from((1000, 2000, 3000)))), "SGD"),
                    )
                )
    constraints = Constraints()
    if side_constraints:
        # A witness: each candidate takes one option with a seat left, or none.
        seats_left = {p.id: p.seats for p in poss}
        witness = []
        for c in cands:
            mine = [o for o in options if o.candidate == c.id and seats_left[o.position] > 0]
            pick = draw(st.sampled_from([None, *mine]))
            if pick is not None:
                seats_left[pick.position] -= 1
                witness.append(pick)
        slack = st.integers(0, 1)
        size = len(witness)
        host_of = {p.id: p.host for p in poss}
        per_host = Counter(host_of[o.position] for o in witness)
        univ = {c.id: c.university for c in cands}
        per_uni = Counter(univ[o.candidate] for o in witness)
        beds_used = Counter(m for o in witness for m in o.bed_months)
        spent = sum((o.cost.amount for o in witness if o.cost is not None), Decimal(0))
        pins: tuple[Pin, ...] = ()
        if bool(witness) and draw(st.booleans()):
            w = draw(st.sampled_from(witness))
            pins = (Pin(w.candidate, w.position, w.start),)
        constraints = Constraints(
            host_caps=tuple(
                HostCap(h, per_host[h] + draw(slack)) for h in ("h0", "h1") if draw(st.booleans())
            ),
            min_size=max(0, size - draw(slack)) if draw(st.booleans()) else None,
            max_size=size + draw(slack) if draw(st.booleans()) else None,
            quotas=tuple(
                Quota(QuotaDimension.UNIVERSITY, u, maximum=Count(per_uni[u] + draw(slack)))
                for u in _UNIVERSITIES
                if draw(st.booleans())
            ),
            beds=tuple(
                MonthlyBeds(m, n + draw(slack))
                for m, n in sorted(beds_used.items())
                if draw(st.booleans())
            ),
            budget=Money(spent + draw(st.sampled_from((0, 1000))), "SGD")
            if draw(st.booleans())
            else None,
            pins=pins,
        )
    return Problem(
        candidates=cands,
        positions=poss,
        options=options,
        constraints=constraints,
        stability=Stability(stability),
    )


def problems(
    *,
    min_candidates: int = 1,
    max_candidates: int = 6,
    max_positions: int = 4,
    max_ranks: int = 3,
    max_seats: int = 2,
    starts: int = 1,
    ties: bool = False,
    host_rankings: str = "some",
    side_constraints: bool = False,
    stability: str = "off",
) -> st.SearchStrategy[Problem]:
    """Synthetic matching problems, feasible by construction.

    Candidates come from ``ntu``, ``nus`` and ``suss``; positions belong to
    hosts ``h0`` and ``h1``, have one to ``max_seats`` seats and up to two
    field tags, and may rank the candidates who ranked them. Every candidate
    ranks one to ``max_ranks`` positions; every ranked pair is an option from
    one to ``starts`` start months, with a one-to-four-month stay holding a
    bed in each month it touches and an allowance cost in SGD.

    Parameters
    ----------
    min_candidates, max_candidates
        Bounds on the number of candidates (1 to 40).
    max_positions
        Most positions (1 to 20).
    max_ranks
        Most positions a candidate ranks.
    max_seats
        Most seats of a position.
    starts
        Most start months per option pair (1 to 3).
    ties
        Whether rankings may contain ties (on both sides).
    host_rankings
        ``"all"`` (every position ranks the candidates who ranked it, as in
        hospitals/residents), ``"some"`` (each position may or may not) or
        ``"none"`` (hosts are indifferent).
    side_constraints
        Whether to draw host caps, cohort size bounds, university quotas,
        beds, a budget and a pin, all admitting a drawn witness assignment,
        so the problem stays feasible.
    stability
        ``"off"``, ``"strict"`` or ``"min_blocking"``. Strict stability is
        only offered without side constraints, where a stable matching
        always exists.

    Returns
    -------
    SearchStrategy of Problem
        Problems that have at least one feasible assignment.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(problems(max_candidates=3))
    ... def test_sizes(problem):
    ...     assert 1 <= len(problem.candidates) <= 3
    >>> test_sizes()
    """
    if not 1 <= min_candidates <= max_candidates <= 40:
        raise ValueError(
            "need 1 <= min_candidates <= max_candidates <= 40, "
            f"got {min_candidates} and {max_candidates}"
        )
    if host_rankings not in ("all", "some", "none"):
        raise ValueError(f"host_rankings must be all, some or none, got {host_rankings!r}")
    if not 1 <= max_positions <= 20:
        raise ValueError(f"max_positions must be in 1..20, got {max_positions}")
    if max_ranks < 1 or max_seats < 1:
        raise ValueError(f"max_ranks and max_seats must be >= 1, got {max_ranks}, {max_seats}")
    if not 1 <= starts <= len(_PROBLEM_STARTS):
        raise ValueError(f"starts must be in 1..{len(_PROBLEM_STARTS)}, got {starts}")
    if stability not in ("off", "strict", "min_blocking"):
        raise ValueError(f"stability must be off, strict or min_blocking, got {stability!r}")
    if stability == "strict" and side_constraints:
        raise ValueError("strict stability with side constraints is not feasible by construction")
    return _problems(
        min_candidates,
        max_candidates,
        max_positions,
        max_ranks,
        max_seats,
        starts,
        ties,
        host_rankings,
        side_constraints,
        stability,
    )
