"""Property tests of the rules: reasons, effective dates, monotonicity, cover arithmetic, purity."""

from __future__ import annotations

import bisect
import pickle
from datetime import date, timedelta
from itertools import pairwise

import attrs
from hypothesis import given
from hypothesis import strategies as st

from sgcq.models import ZONE_CHONGQING_PILOT_FTZ, DateRange, Mode, MonthRounding, Scenario
from sgcq.rules import (
    Context,
    RuleBook,
    default_rulebook,
    evaluate_option,
    explain_option,
    housing_cover,
    split_cover,
    visa_routes,
)
from sgcq.scenarios import load_scenario
from sgcq.testing import strategies as sst
from sgcq.testing.checks import assert_constant_between, assert_no_worse, assert_reasons_cited

SCENARIOS = {
    n: load_scenario(n) for n in ("nus-ytp-2019", "ntu-ydpg-2020", "yes-2020", "suss-overseas-2021")
}
BOOK = default_rulebook()
EFFECTIVE = sorted(
    {d for n in BOOK.parameters.names() for d in BOOK.parameters.parameter(n).effective_dates()}
)


Option = tuple[str, int, int, DateRange, date]


@st.composite
def options(draw: st.DrawFn) -> Option:
    """A bundled scenario's name, a candidate and position index, a stay and an as-of date."""
    name = draw(st.sampled_from(sorted(SCENARIOS)))
    s = SCENARIOS[name]
    ci = draw(st.integers(0, len(s.candidates) - 1))
    pi = draw(st.integers(0, len(s.positions) - 1))
    start = draw(st.dates(date(2019, 6, 1), date(2021, 12, 31)))
    stay = DateRange.of_days(start, draw(st.integers(1, 400)))
    as_of = draw(st.one_of(st.just(start), st.dates(date(2019, 1, 1), date(2022, 1, 1))))
    return name, ci, pi, stay, as_of


@given(options())
def test_ineligible_has_cited_reasons(option: Option) -> None:
    """Every verdict of every rule set: INELIGIBLE has a reason, every reason a citation."""
    name, ci, pi, stay, as_of = option
    s = SCENARIOS[name]
    c, p = s.candidates[ci], s.positions[pi]
    assert_reasons_cited(evaluate_option(s, c, p, stay, as_of=as_of))
    ctx = Context.for_option(s, c, p, stay, parameters=BOOK.parameters, as_of=as_of)
    for rs in BOOK.rule_sets:
        assert_reasons_cited(rs.evaluate(ctx))


@given(sst.scenarios(max_candidates=2, max_positions=2, min_date=date(2019, 1, 1)), st.data())
def test_generated_scenarios_give_cited_verdicts(s: Scenario, data: st.DataObject) -> None:
    """On generated scenarios (any countries, modes, missing facts) verdicts stay cited."""
    if not s.candidates or not s.positions:
        return
    c = data.draw(st.sampled_from(s.candidates))
    p = data.draw(st.sampled_from(s.positions))
    stay = data.draw(sst.date_ranges(min_date=date(2019, 1, 1), max_date=date(2026, 1, 1)))
    v = evaluate_option(s, c, p, stay)
    assert_reasons_cited(v)
    assert explain_option(s, c, p, stay).verdict == v


@given(options(), st.data())
def test_constant_between_effective_dates(option: Option, data: st.DataObject) -> None:
    """Between two consecutive parameter effective dates the verdict does not change."""
    name, ci, pi, stay, _ = option
    s = SCENARIOS[name]
    c, p = s.candidates[ci], s.positions[pi]
    i = data.draw(st.integers(0, len(EFFECTIVE) - 2))
    lo, hi = EFFECTIVE[i], EFFECTIVE[i + 1]
    span = (hi - lo).days
    offsets = data.draw(st.lists(st.integers(0, span - 1), min_size=1, max_size=4))
    days = [lo + timedelta(days=k) for k in [0, span - 1, *offsets]]
    assert_constant_between(lambda d: evaluate_option(s, c, p, stay, as_of=d), days)
    assert bisect.bisect_right(EFFECTIVE, days[0]) == bisect.bisect_right(EFFECTIVE, days[1])


ALL_DOCUMENTS = sorted(
    {
        d
        for n in BOOK.parameters.names()
        if n.endswith("documents")
        for v in BOOK.parameters.parameter(n).values
        if isinstance(v.value, tuple)
        for d in v.value
    }
)


@given(options(), st.sets(st.sampled_from(ALL_DOCUMENTS)), st.sampled_from(ALL_DOCUMENTS))
def test_supplying_a_document_never_hurts(option: Option, have: set[str], extra: str) -> None:
    """Adding a document to those the candidate has never makes a verdict worse."""
    name, ci, pi, stay, as_of = option
    s = SCENARIOS[name]
    c, p = s.candidates[ci], s.positions[pi]
    before = visa_routes(s, c, p, stay, as_of=as_of, documents=frozenset(have))
    after = visa_routes(s, c, p, stay, as_of=as_of, documents=frozenset(have | {extra}))
    assert_no_worse(before.verdict, after.verdict, change=f"adding {extra}")
    for b, a in zip(before.routes, after.routes, strict=True):
        assert_no_worse(b.verdict, a.verdict, change=f"adding {extra}")


@given(
    sst.positions(modes=tuple(Mode)),
    sst.date_ranges(min_date=date(2019, 1, 1), max_date=date(2025, 1, 1)),
    st.integers(1, 12),
)
def test_cover_splits_the_on_site_stay(p: object, stay: DateRange, months: int) -> None:
    """Covered plus uncovered is the on-site stay; bed-months never exceed months stayed."""
    from sgcq.models import HousingTerms, Position

    assert isinstance(p, Position)
    split = split_cover(p, stay, HousingTerms(months, "o0"))
    on_site = split.on_site
    if on_site is None:
        assert p.mode is Mode.REMOTE and split.covered is None
        return
    assert split.covered_days + split.uncovered_days == on_site.days
    if split.covered is not None and split.uncovered is not None:
        assert split.covered.end == split.uncovered.start
        assert split.covered.start >= on_site.start and split.uncovered.end == on_site.end
    if p.mode is Mode.ON_SITE and p.housing_cover:
        assert (split.covered.start if split.covered else stay.start) == stay.start
    assert len(split.bed_months()) <= stay.months(MonthRounding.CEIL) + 1
    assert len(split.bed_months()) <= len(list(stay.calendar_months()))


@given(options())
def test_housing_verdict_matches_split(option: Option) -> None:
    """The housing verdict's covered fact is the split's covered range."""
    name, _, pi, stay, _ = option
    s = SCENARIOS[name]
    p = s.positions[pi]
    cover = housing_cover(s, p, stay)
    facts = {f.name: f.value for r in cover.verdict.reasons for f in r.facts}
    if cover.verdict.eligible:
        assert facts["covered"] == str(cover.split.covered)
    else:
        assert cover.split.covered is None and cover.verdict.reasons


@given(options(), options())
def test_evaluation_is_pure_and_deterministic(
    first: Option,
    second: Option,
) -> None:
    """The same option gives the same verdict, before and after other evaluations and pickling."""
    name, ci, pi, stay, as_of = first
    s = SCENARIOS[name]
    args = (s, s.candidates[ci], s.positions[pi], stay)
    v1 = evaluate_option(*args, as_of=as_of)
    name2, cj, pj, stay2, as_of2 = second
    s2 = SCENARIOS[name2]
    evaluate_option(s2, s2.candidates[cj], s2.positions[pj], stay2, as_of=as_of2)
    assert evaluate_option(*args, as_of=as_of) == v1
    fresh: RuleBook = pickle.loads(pickle.dumps(BOOK))
    assert evaluate_option(*args, as_of=as_of, rulebook=fresh) == v1


def test_effective_dates_include_the_routes() -> None:
    """The effective dates used above include every route's start."""
    assert {date(2019, 8, 1), date(2019, 12, 13), date(2020, 1, 1)} <= set(EFFECTIVE)
    assert all(a < b for a, b in pairwise(EFFECTIVE))
    assert (
        BOOK.parameters.value("visa.cn.s2.host_zone", date(2020, 1, 1)) == ZONE_CHONGQING_PILOT_FTZ
    )


def test_registered_host_start_is_a_stay_condition() -> None:
    """Host registration is tested on the stay's start, so it never varies with as_of alone."""
    s = SCENARIOS["nus-ytp-2019"]
    c, p = s.candidates[0], s.positions[0]
    late_host = attrs.evolve(
        s.organisation("ytp-host"), visa_scheme_registered_on=date(2019, 12, 20)
    )
    s2 = attrs.evolve(
        s, organisations=tuple(late_host if o.id == "ytp-host" else o for o in s.organisations)
    )
    stay = DateRange(date(2019, 12, 16), date(2020, 1, 20))
    for as_of in (date(2019, 12, 16), date(2019, 12, 25)):
        v = evaluate_option(s2, c, p, stay, as_of=as_of)
        assert "visa.cn.s2.host_not_registered" in v.codes
