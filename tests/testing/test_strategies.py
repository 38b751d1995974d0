"""Tests of sgcq.testing.strategies: valid objects by construction, and knobs honoured."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgcq.models import (
    CURRENCY_MINOR_UNITS,
    TRANSITIONS,
    Candidate,
    Cohort,
    DateRange,
    DurationBounds,
    DurationUnit,
    Mode,
    Organisation,
    Placement,
    PlacementStatus,
    Position,
    Programme,
    QuotaDimension,
    Ranking,
    Role,
    Scenario,
    StartDates,
    YearMonth,
)
from sgcq.testing import strategies as sst

LO, HI = date(2020, 1, 1), date(2020, 12, 31)
P = PlacementStatus

#: Every public strategy with default knobs (the scenario one small, to stay fast).
ALL: dict[str, st.SearchStrategy[Any]] = {
    "allowances": sst.allowances(),
    "benefits": sst.benefits(),
    "candidates": sst.candidates(position_ids=["p0", "p1"], cohort_ids=["k0"]),
    "citations": sst.citations(),
    "cohorts": sst.cohorts(),
    "counts": sst.counts(),
    "date_ranges": sst.date_ranges(),
    "duration_bounds": sst.duration_bounds(),
    "durations": sst.durations(),
    "exchange_rates": sst.exchange_rates(),
    "fundings": sst.fundings(),
    "housing_terms": sst.housing_terms(),
    "hybrid_splits": sst.hybrid_splits(),
    "infeasible_matching_cases": sst.infeasible_matching_cases(max_candidates=3),
    "locations": sst.locations(),
    "matching_cases": sst.matching_cases(max_candidates=3),
    "money": sst.money(),
    "monthly_beds": sst.monthly_beds(),
    "organisations": sst.organisations(),
    "partners": sst.partners(),
    "placements": sst.placements(),
    "positions": sst.positions(candidate_ids=["c0"], programme_ids=["prog0"]),
    "problems": sst.problems(max_candidates=3),
    "programmes": sst.programmes(),
    "quota_limits": sst.quota_limits(),
    "quotas": sst.quotas(),
    "rankings": sst.rankings(["a", "b", "c"]),
    "rate_tables": sst.rate_tables(),
    "scenarios": sst.scenarios(max_candidates=2, max_positions=2),
    "shares": sst.shares(),
    "start_dates": sst.start_dates(),
    "start_rules": sst.start_rules(),
    "start_windows": sst.start_windows(),
    "status_changes": sst.status_changes(),
    "study_statuses": sst.study_statuses(),
    "targets": sst.targets(),
    "year_months": sst.year_months(),
}


def test_every_model_strategy_is_exercised() -> None:
    """Each public strategy that builds a model appears in ALL."""
    scalars = {"dates", "identifiers", "names", "timestamps"}
    public = {n for n in sst.__all__ if n[0].islower()} - scalars
    assert public == set(ALL)


@pytest.mark.parametrize("name", sorted(ALL))
@given(data=st.data())
def test_generated_objects_pass_validation_again(name: str, data: st.DataObject) -> None:
    """Rebuilding a generated attrs object through its constructor re-validates it unchanged."""
    obj = data.draw(ALL[name])
    assert attrs.has(type(obj))
    assert attrs.evolve(obj) == obj


def test_the_module_imports_without_pytest() -> None:
    """sgcq.testing.strategies needs Hypothesis but not pytest."""
    code = "import sys; sys.modules['pytest'] = None; import sgcq.testing.strategies"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- knobs ------------------------------------------------------------------------------


@given(d=sst.dates(LO, HI), r=sst.date_ranges(min_date=LO, max_date=HI, min_days=3, max_days=9))
def test_date_knobs(d: date, r: DateRange) -> None:
    """Dates and ranges stay within min_date/max_date, and ranges within their day bounds."""
    assert LO <= d <= HI
    assert r.start >= LO and r.end <= HI and 3 <= r.days <= 9


@given(ym=sst.year_months(2020, 2021), ts=sst.timestamps(min_date=LO, max_date=LO))
def test_year_month_and_timestamp_knobs(ym: YearMonth, ts: Any) -> None:
    """Months stay in the years asked for; timestamps are aware and on the asked day."""
    assert 2020 <= ym.year <= 2021
    assert ts.utcoffset() is not None and ts.date() == LO


@given(m=sst.money(currencies=("JPY", "SGD"), min_amount=-5, max_amount=5))
def test_money_knobs(m: Any) -> None:
    """Amounts stay in bounds, in the asked currencies, with at most the minor unit's places."""
    assert m.currency in {"JPY", "SGD"} and -5 <= m.amount <= 5
    exponent = m.amount.as_tuple().exponent
    assert isinstance(exponent, int) and -exponent <= CURRENCY_MINOR_UNITS[m.currency]


@given(
    r=sst.exchange_rates(
        currencies=("USD", "EUR", "SGD"), min_date=LO, max_date=HI, min_rate="1", max_rate="2"
    ),
    t=sst.rate_tables(min_size=2, max_size=3),
)
def test_rate_knobs(r: Any, t: Any) -> None:
    """Rates use the asked currencies, dates and bounds; tables have the asked size."""
    assert {r.base, r.quote} <= {"USD", "EUR", "SGD"} and r.base != r.quote
    assert LO <= r.as_of <= HI and Decimal(1) <= r.rate <= Decimal(2)
    assert 2 <= len(t.rates) <= 3


@given(
    d=sst.durations(units={DurationUnit.WEEKS}, max_value=4),
    b=sst.duration_bounds(fixed=True),
    free=sst.duration_bounds(units={DurationUnit.DAYS, DurationUnit.MONTHS}, fixed=False),
)
def test_duration_knobs(d: Any, b: DurationBounds, free: DurationBounds) -> None:
    """Units and sizes follow the knobs; fixed=True gives equal bounds."""
    assert d.unit is DurationUnit.WEEKS and 1 <= d.value <= 4
    assert b.is_fixed
    assert {free.minimum.unit, free.maximum.unit} <= {DurationUnit.DAYS, DurationUnit.MONTHS}


@given(
    uni=sst.organisations(id="u0", roles={Role.SENDING_UNIVERSITY}, extra_roles=False),
    loc=sst.locations(countries=("CN",), zones=()),
)
def test_organisation_and_location_knobs(uni: Organisation, loc: Any) -> None:
    """A fixed id and exact roles are kept; locations use the asked countries and zones."""
    assert uni.id == "u0" and uni.roles == {Role.SENDING_UNIVERSITY}
    assert uni.visa_scheme_registered_on is None and not uni.well_known
    assert loc.country == "CN" and not loc.zones


@given(r=sst.rankings(["p0", "p1", "p2", "p3"], min_size=2, max_size=3, max_ties=1))
def test_ranking_knobs(r: Ranking) -> None:
    """Rankings rank only the given ids, within the size bounds, strictly when max_ties=1."""
    assert set(r) <= {"p0", "p1", "p2", "p3"} and 2 <= len(r) <= 3
    assert not r.has_ties


@given(
    c=sst.candidates(
        university_ids=["u1"],
        position_ids=["p4"],
        cohort_ids=["k2"],
        modes={Mode.REMOTE},
        min_date=LO,
        max_date=HI,
        personal=False,
        countries=("MY",),
    )
)
def test_candidate_knobs(c: Candidate) -> None:
    """Candidates name only the given ids and modes, within the dates, without personal data."""
    assert c.university == "u1" and set(c.preferences) <= {"p4"} and c.cohort in (None, "k2")
    assert c.modes == {Mode.REMOTE} and c.nationalities == {"MY"}
    assert c.available.start >= LO and c.available.end <= HI
    assert c.name is None and c.date_of_birth is None


@given(
    p=sst.positions(
        host_ids=["h3"],
        candidate_ids=["c5"],
        programme_ids=["prog1"],
        payer_ids=["o2"],
        modes={Mode.HYBRID, Mode.REMOTE},
        currencies=("CNY",),
        max_seats=2,
        min_date=LO,
        max_date=HI,
    )
)
def test_position_knobs(p: Position) -> None:
    """Positions keep to the ids, modes, currency, seats and dates asked for."""
    assert (
        p.host == "h3" and p.programme in (None, "prog1") and p.mode in {Mode.HYBRID, Mode.REMOTE}
    )
    assert p.candidate_preferences is None or set(p.candidate_preferences) <= {"c5"}
    assert p.allowance is None or (
        p.allowance.payer == "o2" and p.allowance.monthly.currency == "CNY"
    )
    assert 1 <= p.seats <= 2 and (p.hybrid is not None) == (p.mode is Mode.HYBRID)
    assert not (p.housing_cover and p.mode is Mode.REMOTE)
    days = p.starts.dates if isinstance(p.starts, StartDates) else (p.starts.window.start,)
    assert all(LO <= d <= HI for d in days)


@given(
    prog=sst.programmes(roles_of={"u0": {Role.SENDING_UNIVERSITY}, "o1": {Role.FUNDER}}),
    cohort=sst.cohorts(programme_ids=["prog3"], university_ids=["u0"], field_tags=["ai"]),
)
def test_programme_and_cohort_knobs(prog: Programme, cohort: Cohort) -> None:
    """Partners play roles their organisation has; cohorts name the programme and quota keys."""
    allowed = {("u0", Role.SENDING_UNIVERSITY), ("o1", Role.FUNDER)}
    assert {(p.organisation, p.role) for p in prog.partners} <= allowed
    housing = prog.benefits.housing
    assert housing is None or housing.payer in {"u0", "o1"}
    assert cohort.programme == "prog3"
    for q in cohort.quotas:
        assert q.key == ("u0" if q.dimension is QuotaDimension.UNIVERSITY else "ai")


@given(p=sst.placements(candidate_ids=["c7"], position_ids=["p8"], max_steps=2))
def test_placement_knobs(p: Placement) -> None:
    """Placements name the given ids and have at most max_steps steps of a valid walk."""
    assert (p.candidate, p.position) == ("c7", "p8") and len(p.history) <= 2
    first = p.history[0].status if p.history else PlacementStatus.PROPOSED
    assert first is PlacementStatus.PROPOSED or first in TRANSITIONS[PlacementStatus.PROPOSED]


@given(
    s=sst.scenarios(
        max_universities=1,
        max_hosts=1,
        max_others=0,
        max_candidates=3,
        max_positions=2,
        currencies=("SGD",),
        modes={Mode.ON_SITE},
        min_date=LO,
        max_date=HI,
    )
)
def test_scenario_knobs(s: Scenario) -> None:
    """Scenario sizes, currencies, modes and dates follow the knobs; references resolve."""
    assert [o.id for o in s.organisations] == ["u0", "h0"]
    assert len(s.candidates) <= 3 and len(s.positions) <= 2 and not s.rates.rates
    assert all(c.modes == {Mode.ON_SITE} for c in s.candidates)
    assert all(p.mode is Mode.ON_SITE for p in s.positions)
    assert all(p.allowance is None or p.allowance.monthly.currency == "SGD" for p in s.positions)
    assert all(c.available.start >= LO and c.available.end <= HI for c in s.candidates)
    assert all(k.intake.start >= LO and k.intake.end <= HI for k in s.cohorts)
    for c in s.candidates:
        assert all(s.position(p) for p in c.preferences)


SHRINK = settings(database=None, derandomize=True, max_examples=100)


def test_candidates_shrink_to_small_readable_examples() -> None:
    """The smallest candidate ranking two positions has small ids and default-like values."""
    found = find(
        sst.candidates(position_ids=["p0", "p1"]),
        lambda c: len(c.preferences) >= 2,
        settings=SHRINK,
    )
    assert (found.id, found.university) == ("c0", "u0")
    assert found.preferences.as_dict() == {"p0": 1, "p1": 2}
    assert found.modes == {Mode.ON_SITE} and found.name is None and not found.skills


def test_placements_shrink_to_the_forward_path() -> None:
    """The smallest two-step placement follows the forward path at a single instant."""
    found = find(sst.placements(), lambda p: len(p.history) >= 2, settings=SHRINK)
    assert (found.candidate, found.position) == ("c0", "p0")
    steps = [h.status for h in found.history]
    assert steps in ([P.PROPOSED, P.OFFERED], [P.OFFERED, P.ACCEPTED])
    assert found.history[0].at == found.history[1].at and found.mode is Mode.ON_SITE


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.dates(HI, LO),
        lambda: sst.date_ranges(min_date=LO, max_date=LO),
        lambda: sst.date_ranges(min_days=0),
        lambda: sst.money(currencies=("XXX",)),
        lambda: sst.money(currencies=()),
        lambda: sst.money(min_amount=5, max_amount=1),
        lambda: sst.exchange_rates(currencies=("SGD",)),
        lambda: sst.rankings(["a", "a"]),
        lambda: sst.rankings(["a"], max_ties=0),
        lambda: sst.rankings(["a"], min_size=2),
        lambda: sst.candidates(university_ids=()),
        lambda: sst.positions(modes=()),
        lambda: sst.cohorts(programme_ids=()),
        lambda: sst.placements(max_steps=-1),
        lambda: sst.scenarios(max_universities=0),
        lambda: sst.scenarios(max_candidates=11),
        lambda: sst.durations(units=()),
        lambda: sst.year_months(2021, 2020),
        lambda: sst.identifiers("-x"),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()
