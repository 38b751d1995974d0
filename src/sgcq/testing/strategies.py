"""Hypothesis strategies for every sgcq model, valid by construction.

Every strategy here produces objects that pass the models' own validation, and
:func:`scenarios` builds whole :class:`~sgcq.models.Scenario` objects whose
cross-references all resolve. Keyword arguments ("knobs") narrow what is
drawn: sizes, date bounds, currencies, modes, roles, the ids that references
may point at. A knob that cannot be satisfied raises
:class:`hypothesis.errors.InvalidArgument` when the strategy is built.

Ids are short and numbered (``"u0"`` universities, ``"h0"`` hosts, ``"o0"``
other organisations, ``"prog0"`` programmes, ``"k0"`` cohorts, ``"c0"``
candidates, ``"p0"`` positions) and every size shrinks towards zero, so a
failing example shrinks to something small and readable.

The module needs Hypothesis (the ``test`` extra) but not pytest.

Examples
--------
>>> from hypothesis import given
>>> from sgcq.testing import strategies as sst
>>> @given(sst.money(currencies=("SGD",)))
... def test_adding_zero(m):
...     assert m + m.zero("SGD") == m
>>> test_adding_zero()
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import ParamSpec, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgcq.models import (
    CURRENCY_MINOR_UNITS,
    KNOWN_ZONES,
    TRANSITIONS,
    Allowance,
    Benefits,
    Candidate,
    Citation,
    Cohort,
    Confidence,
    Count,
    DateRange,
    Direction,
    Duration,
    DurationBounds,
    DurationUnit,
    EducationKind,
    ExchangeRate,
    Funding,
    HousingTerms,
    HybridSplit,
    Location,
    Mode,
    Money,
    MonthlyBeds,
    Organisation,
    Partner,
    Phase,
    Placement,
    PlacementStatus,
    Position,
    Programme,
    ProgrammeKind,
    Quota,
    QuotaDimension,
    QuotaLimit,
    Ranking,
    RateTable,
    Role,
    Scenario,
    Share,
    StartDates,
    StartRule,
    StartWindow,
    StatusChange,
    StudyStatus,
    Target,
    YearMonth,
)
from sgcq.testing._matching import (
    INFEASIBLE_KINDS,
    MatchingCase,
    infeasible_matching_cases,
    matching_cases,
    problems,
)

__all__ = [
    "COUNTRIES",
    "CURRENCIES",
    "FIELD_TAGS",
    "INFEASIBLE_KINDS",
    "LANGUAGE_TAGS",
    "MAX_DATE",
    "MIN_DATE",
    "SKILL_TAGS",
    "TIMEZONES",
    "MatchingCase",
    "allowances",
    "benefits",
    "candidates",
    "citations",
    "cohorts",
    "counts",
    "date_ranges",
    "dates",
    "duration_bounds",
    "durations",
    "exchange_rates",
    "fundings",
    "housing_terms",
    "hybrid_splits",
    "identifiers",
    "infeasible_matching_cases",
    "locations",
    "matching_cases",
    "money",
    "monthly_beds",
    "names",
    "organisations",
    "partners",
    "placements",
    "positions",
    "problems",
    "programmes",
    "quota_limits",
    "quotas",
    "rankings",
    "rate_tables",
    "scenarios",
    "shares",
    "start_dates",
    "start_rules",
    "start_windows",
    "status_changes",
    "study_statuses",
    "targets",
    "timestamps",
    "year_months",
]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")
E = TypeVar("E", bound=Enum)

#: Default lower bound of drawn dates (the sources' programmes start in 2019).
MIN_DATE = date(2019, 1, 1)
#: Default upper bound of drawn dates.
MAX_DATE = date(2030, 12, 31)
#: Default currencies: those of the two programme countries.
CURRENCIES: tuple[str, ...] = ("SGD", "CNY")
#: Default countries of locations and nationalities.
COUNTRIES: tuple[str, ...] = ("SG", "CN", "MY", "TH", "AU")
#: Field tags positions are drawn with (areas named in the sources).
FIELD_TAGS: tuple[str, ...] = (
    "ai",
    "big-data",
    "software",
    "accountancy",
    "fashion",
    "arts",
    "green-tech",
)
#: Skill tags candidates and positions are drawn with.
SKILL_TAGS: tuple[str, ...] = ("python", "sql", "excel", "design", "mandarin")
#: Language tags.
LANGUAGE_TAGS: tuple[str, ...] = ("en", "zh", "ms", "ta")
#: Fixed-offset time zones timestamps are drawn in (UTC first, so it is what shrinks).
TIMEZONES: tuple[timezone, ...] = (
    timezone.utc,
    timezone(timedelta(hours=8)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=30)),
)


# --- caching -------------------------------------------------------------------


def _cached(factory: Callable[P, R]) -> Callable[P, R]:
    # Building a strategy is cheap but Hypothesis validates each new strategy
    # object on first draw, which dominated the cost of nested strategies such
    # as scenarios(). Strategies are immutable, so one object per set of
    # (hashable) knobs is reused; unhashable knobs (lists) skip the cache.
    memo: Callable[..., R] = functools.lru_cache(maxsize=4096, typed=True)(factory)

    @functools.wraps(factory)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            hash((args, tuple(kwargs.items())))
        except TypeError:
            return factory(*args, **kwargs)
        return memo(*args, **kwargs)

    return wrapper


# --- knob checks ---------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgument(message)


def _check_dates(min_date: date, max_date: date, *, room: int = 0) -> None:
    _require(
        (max_date - min_date).days >= room,
        f"max_date {max_date} must be at least {room} day(s) after min_date {min_date}",
    )


def _check_currencies(currencies: Sequence[str], *, at_least: int = 1) -> tuple[str, ...]:
    result = tuple(currencies)
    _require(len(result) >= at_least, f"give at least {at_least} currency(ies), got {result}")
    unknown = [c for c in result if c not in CURRENCY_MINOR_UNITS]
    _require(not unknown, f"unknown currencies {unknown}")
    _require(len(set(result)) == len(result), f"currencies repeat: {result}")
    return result


def _check_size(name: str, low: int, high: int | None) -> None:
    _require(low >= 0, f"min_{name} must not be negative, got {low}")
    _require(high is None or high >= low, f"max_{name} {high} is below min_{name} {low}")


def _maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    # None first, so that optional values shrink to absent.
    return st.none() | strategy


def _in_order(enum: type[E], members: Collection[E]) -> tuple[E, ...]:
    # Declaration order, so that values shrink to the first, most ordinary
    # member (ON_SITE before HYBRID, OFFERED before DECLINED).
    return tuple(m for m in enum if m in members)


def _subset(items: Sequence[T]) -> st.SearchStrategy[frozenset[T]]:
    if not items:
        return st.just(frozenset())
    return st.frozensets(st.sampled_from(items), max_size=len(items))


# --- scalars ---------------------------------------------------------------------


@_cached
def identifiers(prefix: str = "x", max_index: int = 9) -> st.SearchStrategy[str]:
    """Short valid identifiers ``prefix + number``, e.g. ``"x0"``, ``"x7"``.

    Parameters
    ----------
    prefix
        Letters the id starts with.
    max_index
        The largest number appended.
    """
    _require(
        re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:/@+-]*", prefix) is not None,
        f"prefix must start an identifier (ASCII letter or digit first): {prefix!r}",
    )
    _require(max_index >= 0, f"max_index must not be negative, got {max_index}")
    return st.builds(lambda n: f"{prefix}{n}", st.integers(0, max_index))


@_cached
def names(max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-blank display names of any Unicode text (no surrogates).

    Parameters
    ----------
    max_size
        Longest name drawn.
    """
    _require(max_size >= 1, f"max_size must be at least 1, got {max_size}")
    return st.text(st.characters(codec="utf-8"), min_size=1, max_size=max_size).filter(
        lambda s: bool(s.strip())
    )


def _free_text(max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(st.characters(codec="utf-8"), max_size=max_size)


@_cached
def dates(min_date: date = MIN_DATE, max_date: date = MAX_DATE) -> st.SearchStrategy[date]:
    """Dates within ``[min_date, max_date]`` (both included).

    Parameters
    ----------
    min_date, max_date
        Bounds; shrinking moves towards ``min_date``.
    """
    _check_dates(min_date, max_date)
    return st.dates(min_date, max_date)


@_cached
@st.composite
def _date_ranges(
    draw: st.DrawFn, min_date: date, max_date: date, min_days: int, max_days: int
) -> DateRange:
    latest_start = max_date - timedelta(days=min_days)
    start = draw(st.dates(min_date, latest_start))
    longest = min(max_days, (max_date - start).days)
    return DateRange(start, start + timedelta(days=draw(st.integers(min_days, longest))))


@_cached
def date_ranges(
    *,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    min_days: int = 1,
    max_days: int = 400,
) -> st.SearchStrategy[DateRange]:
    """Half-open ranges ``[start, end)`` with ``min_date <= start < end <= max_date``.

    Parameters
    ----------
    min_date, max_date
        Bounds of ``start`` and ``end``.
    min_days, max_days
        Bounds on the range's length in days.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(date_ranges(min_days=7, max_days=7))
    ... def test_a_week(r):
    ...     assert r.days == 7
    >>> test_a_week()
    """
    _require(min_days >= 1, f"min_days must be at least 1, got {min_days}")
    _check_size("days", min_days, max_days)
    _check_dates(min_date, max_date, room=min_days)
    return _date_ranges(min_date, max_date, min_days, max_days)


@_cached
def year_months(
    min_year: int = MIN_DATE.year, max_year: int = MAX_DATE.year
) -> st.SearchStrategy[YearMonth]:
    """Calendar months of the years ``min_year`` to ``max_year``.

    Parameters
    ----------
    min_year, max_year
        Bounds, within 1..9999.
    """
    _require(1 <= min_year <= max_year <= 9999, f"bad years {min_year}..{max_year}")
    return st.builds(YearMonth, st.integers(min_year, max_year), st.integers(1, 12))


@_cached
def durations(
    *, units: Collection[DurationUnit] = tuple(DurationUnit), max_value: int = 12
) -> st.SearchStrategy[Duration]:
    """Durations in the given units, ``1..max_value`` of them.

    Parameters
    ----------
    units
        Units to draw from.
    max_value
        Largest count.
    """
    _require(bool(units), "give at least one unit")
    _require(max_value >= 1, f"max_value must be at least 1, got {max_value}")
    return st.builds(
        Duration, st.integers(1, max_value), st.sampled_from(_in_order(DurationUnit, units))
    )


_DAYS_LOW = {DurationUnit.DAYS: 1, DurationUnit.WEEKS: 7, DurationUnit.MONTHS: 28}
_DAYS_HIGH = {DurationUnit.DAYS: 1, DurationUnit.WEEKS: 7, DurationUnit.MONTHS: 31}


@_cached
@st.composite
def _duration_bounds(
    draw: st.DrawFn, units: tuple[DurationUnit, ...], max_value: int, fixed: bool | None
) -> DurationBounds:
    minimum = draw(durations(units=units, max_value=max_value))
    if fixed or (fixed is None and draw(st.booleans())):
        return DurationBounds.fixed(minimum)
    unit = draw(st.sampled_from(units))
    if unit is minimum.unit:
        return DurationBounds(minimum, Duration(draw(st.integers(minimum.value, max_value)), unit))
    # Across units the maximum must be longer from every start date.
    least = -(-(_DAYS_HIGH[minimum.unit] * minimum.value) // _DAYS_LOW[unit])
    if least > max_value:
        return DurationBounds.fixed(minimum)
    return DurationBounds(minimum, Duration(draw(st.integers(least, max_value)), unit))


@_cached
def duration_bounds(
    *,
    units: Collection[DurationUnit] = tuple(DurationUnit),
    max_value: int = 12,
    fixed: bool | None = None,
) -> st.SearchStrategy[DurationBounds]:
    """Draw valid bounds: the maximum is never shorter than the minimum, from any start.

    Parameters
    ----------
    units
        Units of the two durations (mixed units are drawn when more than one).
    max_value
        Largest count in either duration.
    fixed
        ``True`` for ``minimum == maximum`` only, ``False`` never forces it,
        ``None`` draws both kinds.
    """
    _require(bool(units), "give at least one unit")
    _require(max_value >= 1, f"max_value must be at least 1, got {max_value}")
    return _duration_bounds(_in_order(DurationUnit, units), max_value, fixed)


@_cached
def timestamps(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[datetime]:
    """Time-zone aware timestamps (whole minutes) on days in ``[min_date, max_date]``.

    Parameters
    ----------
    min_date, max_date
        The days the local time falls on.
    """
    _check_dates(min_date, max_date)
    return st.builds(
        lambda d, minute, tz: (
            datetime(d.year, d.month, d.day, tzinfo=tz) + timedelta(minutes=minute)
        ),
        st.dates(min_date, max_date),
        st.integers(0, 24 * 60 - 1),
        st.sampled_from(TIMEZONES),
    )


# --- money -------------------------------------------------------------------------


@_cached
@st.composite
def _money(
    draw: st.DrawFn, currencies: tuple[str, ...], min_amount: Decimal, max_amount: Decimal
) -> Money:
    currency = draw(st.sampled_from(currencies))
    amount = draw(
        st.decimals(
            min_amount,
            max_amount,
            places=CURRENCY_MINOR_UNITS[currency],
            allow_nan=False,
            allow_infinity=False,
        )
    )
    return Money(amount, currency)


@_cached
def money(
    *,
    currencies: Sequence[str] = CURRENCIES,
    min_amount: Decimal | int | str = 0,
    max_amount: Decimal | int | str = 100_000,
) -> st.SearchStrategy[Money]:
    """Money in one of ``currencies``, with as many decimal places as the currency's minor unit.

    Parameters
    ----------
    currencies
        ISO 4217 codes known to sgcq.
    min_amount, max_amount
        Bounds on the amount (negative amounts are allowed if asked for).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(money(currencies=("JPY",), min_amount=1))
    ... def test_yen_has_no_minor_unit(m):
    ...     assert m.amount == m.amount.to_integral_value() and m.amount >= 1
    >>> test_yen_has_no_minor_unit()
    """
    cs = _check_currencies(currencies)
    lo, hi = Decimal(min_amount), Decimal(max_amount)
    _require(lo <= hi, f"max_amount {hi} is below min_amount {lo}")
    return _money(cs, lo, hi)


@_cached
@st.composite
def _exchange_rates(
    draw: st.DrawFn,
    currencies: tuple[str, ...],
    min_date: date,
    max_date: date,
    min_rate: Decimal,
    max_rate: Decimal,
) -> ExchangeRate:
    base = draw(st.sampled_from(currencies))
    quote = draw(st.sampled_from([c for c in currencies if c != base]))
    rate = draw(st.decimals(min_rate, max_rate, places=4, allow_nan=False, allow_infinity=False))
    return ExchangeRate(base, quote, rate, draw(st.dates(min_date, max_date)), draw(_free_text()))


@_cached
def exchange_rates(
    *,
    currencies: Sequence[str] = CURRENCIES,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    min_rate: Decimal | str = "0.01",
    max_rate: Decimal | str = "100",
) -> st.SearchStrategy[ExchangeRate]:
    """Dated exchange rates between two different currencies of ``currencies``.

    Parameters
    ----------
    currencies
        At least two ISO 4217 codes.
    min_date, max_date
        Bounds of ``as_of``.
    min_rate, max_rate
        Bounds of the rate (four decimal places; positive).
    """
    cs = _check_currencies(currencies, at_least=2)
    _check_dates(min_date, max_date)
    lo, hi = Decimal(min_rate), Decimal(max_rate)
    _require(Decimal("0.0001") <= lo <= hi, f"need 0.0001 <= min_rate <= max_rate, got {lo}, {hi}")
    return _exchange_rates(cs, min_date, max_date, lo, hi)


@_cached
def rate_tables(
    *,
    currencies: Sequence[str] = CURRENCIES,
    min_size: int = 0,
    max_size: int = 4,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    min_rate: Decimal | str = "0.01",
    max_rate: Decimal | str = "100",
) -> st.SearchStrategy[RateTable]:
    """Rate tables with no two rates for the same pair on the same date.

    Parameters
    ----------
    currencies
        At least two ISO 4217 codes.
    min_size, max_size
        Number of rates.
    min_date, max_date, min_rate, max_rate
        As for :func:`exchange_rates`.
    """
    _check_size("size", min_size, max_size)
    rates = exchange_rates(
        currencies=currencies,
        min_date=min_date,
        max_date=max_date,
        min_rate=min_rate,
        max_rate=max_rate,
    )
    return st.builds(
        RateTable,
        st.lists(
            rates,
            min_size=min_size,
            max_size=max_size,
            unique_by=lambda r: (r.base, r.quote, r.as_of),
        ),
    )


# --- parties and references --------------------------------------------------------


@_cached
def locations(
    *, countries: Sequence[str] = COUNTRIES, zones: Collection[str] = tuple(KNOWN_ZONES)
) -> st.SearchStrategy[Location]:
    """Locations in one of ``countries``, with an optional city and a subset of ``zones``.

    Parameters
    ----------
    countries
        ISO 3166-1 alpha-2 codes.
    zones
        Zone ids a location may lie in.
    """
    _require(bool(countries), "give at least one country")
    return st.builds(
        Location,
        st.sampled_from(tuple(countries)),
        _maybe(names()),
        _subset(sorted(zones)),
    )


@_cached
@st.composite
def _organisations(
    draw: st.DrawFn,
    id: str | None,
    roles: frozenset[Role],
    extra_roles: bool,
    countries: tuple[str, ...],
    min_date: date,
    max_date: date,
) -> Organisation:
    drawn = set(roles)
    if extra_roles or not drawn:
        drawn |= draw(_subset(list(Role)))
    if not drawn:
        drawn.add(draw(st.sampled_from(list(Role))))
    host = Role.HOST_COMPANY in drawn
    university = Role.SENDING_UNIVERSITY in drawn
    return Organisation(
        id=draw(identifiers("o")) if id is None else id,
        name=draw(names()),
        roles=frozenset(drawn),
        location=draw(locations(countries=countries)),
        education_kind=draw(_maybe(st.sampled_from(list(EducationKind)))) if university else None,
        visa_scheme_registered_on=draw(_maybe(st.dates(min_date, max_date))) if host else None,
        well_known=draw(st.booleans()) if host else False,
        notes=draw(_free_text()),
    )


@_cached
def organisations(
    *,
    id: str | None = None,
    roles: Collection[Role] = (),
    extra_roles: bool = True,
    countries: Sequence[str] = COUNTRIES,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
) -> st.SearchStrategy[Organisation]:
    """Organisations that play at least ``roles``.

    Universities may get an education kind; host companies a visa-scheme
    registration date and the well-known flag.

    Parameters
    ----------
    id
        A fixed id; ``None`` draws ``"o0"``..``"o9"``.
    roles
        Roles the organisation must play; with none, at least one is drawn.
    extra_roles
        Whether other roles may be added.
    countries
        Countries of its location.
    min_date, max_date
        Bounds of the visa-scheme registration date.

    Examples
    --------
    >>> from hypothesis import given
    >>> from sgcq.models import Role
    >>> @given(organisations(roles={Role.HOST_COMPANY}, extra_roles=False))
    ... def test_host(org):
    ...     assert org.roles == {Role.HOST_COMPANY}
    >>> test_host()
    """
    _check_dates(min_date, max_date)
    _require(bool(countries), "give at least one country")
    return _organisations(id, frozenset(roles), extra_roles, tuple(countries), min_date, max_date)


@_cached
def citations(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[Citation]:
    """Citations dated within ``[min_date, max_date]``.

    Parameters
    ----------
    min_date, max_date
        Bounds of the document's date.
    """
    _check_dates(min_date, max_date)
    return st.builds(
        Citation,
        names(),
        st.dates(min_date, max_date),
        _free_text(),
        st.sampled_from(list(Confidence)),
    )


@_cached
@st.composite
def _rankings(
    draw: st.DrawFn, ids: tuple[str, ...], min_size: int, max_size: int, max_ties: int
) -> Ranking:
    size = draw(st.integers(min_size, max_size))
    order = draw(st.permutations(ids))[:size]
    ranks: dict[str, int] = {}
    rank, tier = 0, 0
    for key in order:
        if rank and tier < max_ties and draw(st.booleans()):
            tier += 1
        else:
            rank, tier = rank + 1, 1
        ranks[key] = rank
    return Ranking(ranks)


@_cached
def rankings(
    ids: Sequence[str],
    *,
    min_size: int = 0,
    max_size: int | None = None,
    max_ties: int = 3,
) -> st.SearchStrategy[Ranking]:
    """Rankings over a subset of ``ids``: dense ranks from 1, ties allowed.

    Parameters
    ----------
    ids
        The ids that may be ranked (distinct).
    min_size, max_size
        How many ids are ranked; ``max_size`` defaults to all of them.
    max_ties
        The most ids that may share one rank; 1 gives strict rankings.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(rankings(["p0", "p1", "p2"], min_size=3, max_ties=1))
    ... def test_strict(r):
    ...     assert sorted(r.as_dict().values()) == [1, 2, 3]
    >>> test_strict()
    """
    pool = tuple(ids)
    _require(len(set(pool)) == len(pool), f"ids repeat: {pool}")
    high = len(pool) if max_size is None else min(max_size, len(pool))
    _check_size("size", min_size, high)
    _require(max_ties >= 1, f"max_ties must be at least 1, got {max_ties}")
    return _rankings(pool, min_size, high, max_ties)


# --- candidates -------------------------------------------------------------------


@_cached
@st.composite
def _study_statuses(draw: st.DrawFn, min_date: date, max_date: date) -> StudyStatus:
    which = draw(st.sampled_from(("enrolled", "graduated", "both")))
    day = st.dates(min_date, max_date)
    return StudyStatus(
        enrolled_full_time_until=draw(day) if which != "graduated" else None,
        graduated_on=draw(day) if which != "enrolled" else None,
        level=draw(st.sampled_from(("undergraduate", "masters", "diploma"))),
    )


@_cached
def study_statuses(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[StudyStatus]:
    """Study statuses with an enrolment end, a graduation date, or both.

    Parameters
    ----------
    min_date, max_date
        Bounds of both dates.
    """
    _check_dates(min_date, max_date)
    return _study_statuses(min_date, max_date)


@_cached
@st.composite
def _candidates(
    draw: st.DrawFn,
    id: str | None,
    university_ids: tuple[str, ...],
    position_ids: tuple[str, ...],
    cohort_ids: tuple[str, ...],
    modes: tuple[Mode, ...],
    countries: tuple[str, ...],
    min_date: date,
    max_date: date,
    max_ties: int,
    personal: bool,
) -> Candidate:
    return Candidate(
        id=draw(identifiers("c")) if id is None else id,
        university=draw(st.sampled_from(university_ids)),
        nationalities=draw(st.frozensets(st.sampled_from(countries), min_size=1, max_size=2)),
        study=draw(study_statuses(min_date=min_date, max_date=max_date)),
        discipline=draw(st.sampled_from(FIELD_TAGS)),
        available=draw(date_ranges(min_date=min_date, max_date=max_date)),
        duration=draw(duration_bounds(max_value=6)),
        modes=draw(st.frozensets(st.sampled_from(modes), min_size=1)),
        date_of_birth=draw(_maybe(st.dates(date(1990, 1, 1), date(2006, 12, 31))))
        if personal
        else None,
        name=draw(_maybe(names())) if personal else None,
        skills=draw(_subset(SKILL_TAGS)),
        languages=draw(_subset(LANGUAGE_TAGS)),
        preferences=draw(rankings(position_ids, max_ties=max_ties)),
        schemes_used=draw(_subset(("yes", "twp", "whp"))),
        priority=draw(st.integers(1, 5)),
        cohort=draw(_maybe(st.sampled_from(cohort_ids))) if cohort_ids else None,
    )


@_cached
def candidates(
    *,
    id: str | None = None,
    university_ids: Sequence[str] = ("u0",),
    position_ids: Sequence[str] = (),
    cohort_ids: Sequence[str] = (),
    modes: Collection[Mode] = tuple(Mode),
    countries: Sequence[str] = COUNTRIES,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    max_ties: int = 3,
    personal: bool = True,
) -> st.SearchStrategy[Candidate]:
    """Candidates whose references point only at the given ids.

    Parameters
    ----------
    id
        A fixed id; ``None`` draws ``"c0"``..``"c9"``.
    university_ids
        Sending universities the candidate may come from (at least one).
    position_ids
        Positions the candidate may rank; none gives an empty ranking.
    cohort_ids
        Cohorts the candidate may belong to; the cohort may also be left out.
    modes
        Modes the accepted modes are drawn from.
    countries
        Nationalities are drawn from these.
    min_date, max_date
        Bounds of the availability window and the study dates.
    max_ties
        The most positions that share a rank.
    personal
        Whether to draw a name and a date of birth (born 1990 to 2006,
        whatever ``min_date`` and ``max_date`` say).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(candidates(university_ids=["u0"], position_ids=["p0", "p1"]))
    ... def test_refs(c):
    ...     assert c.university == "u0" and set(c.preferences) <= {"p0", "p1"}
    >>> test_refs()
    """
    _require(bool(university_ids), "give at least one university id")
    _require(bool(modes), "give at least one mode")
    _require(bool(countries), "give at least one country")
    _check_dates(min_date, max_date, room=1)
    return _candidates(
        id,
        tuple(university_ids),
        tuple(dict.fromkeys(position_ids)),
        tuple(cohort_ids),
        _in_order(Mode, modes),
        tuple(countries),
        min_date,
        max_date,
        max_ties,
        personal,
    )


# --- positions --------------------------------------------------------------------


@_cached
def hybrid_splits() -> st.SearchStrategy[HybridSplit]:
    """Hybrid splits with an on-site share in ``[0.01, 0.99]`` and either phase."""
    return st.builds(
        HybridSplit,
        st.decimals("0.01", "0.99", places=2),
        st.sampled_from(list(Phase)),
    )


@_cached
def allowances(
    *,
    payer_ids: Sequence[str] = ("h0",),
    currencies: Sequence[str] = CURRENCIES,
    max_amount: Decimal | int | str = 10_000,
) -> st.SearchStrategy[Allowance]:
    """Monthly allowances (never negative) paid by one of ``payer_ids``.

    Parameters
    ----------
    payer_ids
        Organisations that may pay.
    currencies
        Currencies of the amount.
    max_amount
        Largest monthly amount.
    """
    _require(bool(payer_ids), "give at least one payer id")
    return st.builds(
        Allowance,
        money(currencies=currencies, min_amount=0, max_amount=max_amount),
        st.sampled_from(tuple(payer_ids)),
    )


@_cached
def start_dates(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE, max_size: int = 3
) -> st.SearchStrategy[StartDates]:
    """Start-date rules with 1 to ``max_size`` distinct dates.

    Parameters
    ----------
    min_date, max_date
        Bounds of the dates.
    max_size
        Most dates listed.
    """
    _check_dates(min_date, max_date)
    _check_size("size", 1, max_size)
    return st.builds(
        StartDates,
        st.lists(st.dates(min_date, max_date), min_size=1, max_size=max_size, unique=True),
    )


@_cached
def start_windows(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[StartWindow]:
    """Start windows within the bounds, starting every day or on the first of each month.

    Parameters
    ----------
    min_date, max_date
        Bounds of the window.
    """
    return st.builds(
        StartWindow,
        date_ranges(min_date=min_date, max_date=max_date),
        st.booleans(),
    )


@_cached
def start_rules(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[StartRule]:
    """Either kind of start rule (:class:`StartDates` or :class:`StartWindow`).

    Parameters
    ----------
    min_date, max_date
        Bounds of the dates.
    """
    return st.one_of(
        start_dates(min_date=min_date, max_date=max_date),
        start_windows(min_date=min_date, max_date=max_date),
    )


@_cached
@st.composite
def _positions(
    draw: st.DrawFn,
    id: str | None,
    host_ids: tuple[str, ...],
    candidate_ids: tuple[str, ...],
    programme_ids: tuple[str, ...],
    payer_ids: tuple[str, ...],
    modes: tuple[Mode, ...],
    currencies: tuple[str, ...],
    max_seats: int,
    min_date: date,
    max_date: date,
    max_ties: int,
) -> Position:
    mode = draw(st.sampled_from(modes))
    prefs = draw(_maybe(rankings(candidate_ids, max_ties=max_ties))) if candidate_ids else None
    return Position(
        id=draw(identifiers("p")) if id is None else id,
        host=draw(st.sampled_from(host_ids)),
        title=draw(names()),
        fields=draw(st.frozensets(st.sampled_from(FIELD_TAGS), max_size=3)),
        seats=draw(st.integers(1, max_seats)),
        mode=mode,
        location=draw(locations()),
        starts=draw(start_rules(min_date=min_date, max_date=max_date)),
        duration=draw(duration_bounds(max_value=6)),
        hours_per_week=draw(st.decimals(1, 84, places=1)),
        hybrid=draw(hybrid_splits()) if mode is Mode.HYBRID else None,
        allowance=draw(_maybe(allowances(payer_ids=payer_ids, currencies=currencies))),
        housing_cover=draw(st.booleans()) if mode is not Mode.REMOTE else False,
        candidate_preferences=prefs,
        required_skills=draw(_subset(SKILL_TAGS)),
        languages=draw(_subset(LANGUAGE_TAGS)),
        programme=draw(_maybe(st.sampled_from(programme_ids))) if programme_ids else None,
    )


@_cached
def positions(
    *,
    id: str | None = None,
    host_ids: Sequence[str] = ("h0",),
    candidate_ids: Sequence[str] = (),
    programme_ids: Sequence[str] = (),
    payer_ids: Sequence[str] | None = None,
    modes: Collection[Mode] = tuple(Mode),
    currencies: Sequence[str] = CURRENCIES,
    max_seats: int = 5,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    max_ties: int = 3,
) -> st.SearchStrategy[Position]:
    """Positions whose references point only at the given ids.

    A hybrid position always has a split and no other has one; a remote
    position never has housing cover.

    Parameters
    ----------
    id
        A fixed id; ``None`` draws ``"p0"``..``"p9"``.
    host_ids
        Host companies that may offer it.
    candidate_ids
        Candidates the host may rank; none means the host does not rank.
    programme_ids
        Programmes it may belong to; it may also belong to none.
    payer_ids
        Who may pay the allowance; ``None`` means the hosts.
    modes
        Modes to draw from.
    currencies
        Currencies of the allowance.
    max_seats
        Most seats.
    min_date, max_date
        Bounds of the start rule's dates.
    max_ties
        The most candidates that share a rank.

    Examples
    --------
    >>> from hypothesis import given
    >>> from sgcq.models import Mode
    >>> @given(positions(modes={Mode.HYBRID}))
    ... def test_hybrid_has_split(p):
    ...     assert p.hybrid is not None
    >>> test_hybrid_has_split()
    """
    _require(bool(host_ids), "give at least one host id")
    _require(bool(modes), "give at least one mode")
    _require(max_seats >= 1, f"max_seats must be at least 1, got {max_seats}")
    _check_dates(min_date, max_date, room=1)
    payers = tuple(host_ids if payer_ids is None else payer_ids)
    _require(bool(payers), "give at least one payer id")
    return _positions(
        id,
        tuple(host_ids),
        tuple(dict.fromkeys(candidate_ids)),
        tuple(programme_ids),
        payers,
        _in_order(Mode, modes),
        _check_currencies(currencies),
        max_seats,
        min_date,
        max_date,
        max_ties,
    )


# --- programmes and cohorts -----------------------------------------------------------


@_cached
def partners(
    roles_of: Mapping[str, Collection[Role]] | None = None,
) -> st.SearchStrategy[Partner]:
    """Draw partners: an organisation and one of the roles it plays.

    Parameters
    ----------
    roles_of
        Organisation id -> its roles; ``None`` draws any id ``"o0"``.. with any role.
    """
    if roles_of is None:
        return st.builds(Partner, identifiers("o"), st.sampled_from(list(Role)))
    pairs = tuple((org, role) for org, roles in roles_of.items() for role in _in_order(Role, roles))
    _require(bool(pairs), "give at least one organisation with a role")
    return _partners_among(pairs)


@_cached
def _partners_among(pairs: tuple[tuple[str, Role], ...]) -> st.SearchStrategy[Partner]:
    return st.sampled_from(pairs).map(lambda p: Partner(*p))


@_cached
def housing_terms(*, payer_ids: Sequence[str] = ("o0",)) -> st.SearchStrategy[HousingTerms]:
    """Housing cover of 1 to 12 months paid by one of ``payer_ids``.

    Parameters
    ----------
    payer_ids
        Who may pay.
    """
    _require(bool(payer_ids), "give at least one payer id")
    return st.builds(
        HousingTerms, st.integers(1, 12), st.sampled_from(tuple(payer_ids)), st.booleans()
    )


@_cached
def benefits(*, organisation_ids: Sequence[str] = ("o0",)) -> st.SearchStrategy[Benefits]:
    """Programme benefits whose housing payer and visa support are among ``organisation_ids``.

    Parameters
    ----------
    organisation_ids
        Organisations the benefits may name; none gives benefits naming nobody.
    """
    ids = tuple(organisation_ids)
    return st.builds(
        Benefits,
        st.booleans(),
        _maybe(housing_terms(payer_ids=ids)) if ids else st.none(),
        _maybe(st.sampled_from(ids)) if ids else st.none(),
    )


@_cached
@st.composite
def _fundings(
    draw: st.DrawFn, currencies: tuple[str, ...], min_date: date, max_date: date
) -> Funding:
    chosen = draw(st.lists(st.sampled_from(currencies), min_size=1, unique=True))
    amounts = [draw(money(currencies=(c,), min_amount=0, max_amount=10**9)) for c in chosen]
    return Funding(
        tuple(amounts),
        draw(date_ranges(min_date=min_date, max_date=max_date, max_days=5 * 366)),
        draw(_maybe(citations(min_date=min_date, max_date=max_date))),
    )


@_cached
def fundings(
    *, currencies: Sequence[str] = CURRENCIES, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[Funding]:
    """Funding quoted in one or more distinct currencies over a period.

    Parameters
    ----------
    currencies
        Currencies the amounts may be quoted in.
    min_date, max_date
        Bounds of the period.
    """
    _check_dates(min_date, max_date, room=1)
    return _fundings(_check_currencies(currencies), min_date, max_date)


@_cached
def targets(*, min_date: date = MIN_DATE, max_date: date = MAX_DATE) -> st.SearchStrategy[Target]:
    """Targets (a metric, a non-negative number, a deadline, maybe a citation).

    Parameters
    ----------
    min_date, max_date
        Bounds of the deadline.
    """
    _check_dates(min_date, max_date)
    return st.builds(
        Target,
        st.sampled_from(("patent_applications", "research_projects", "interns")),
        st.integers(0, 500),
        st.dates(min_date, max_date),
        _maybe(citations(min_date=min_date, max_date=max_date)),
    )


@_cached
@st.composite
def _programmes(
    draw: st.DrawFn,
    id: str | None,
    roles_of: tuple[tuple[str, frozenset[Role]], ...] | None,
    currencies: tuple[str, ...],
    min_date: date,
    max_date: date,
    max_partners: int,
) -> Programme:
    org_ids = tuple(k for k, _ in roles_of) if roles_of is not None else ("o0", "o1")
    partner = partners(dict(roles_of) if roles_of is not None else None) if org_ids else None
    listed = (
        draw(
            st.lists(
                partner,
                max_size=max_partners,
                unique_by=lambda p: (p.organisation, p.role),
            )
        )
        if partner is not None
        else []
    )
    return Programme(
        id=draw(identifiers("prog")) if id is None else id,
        name=draw(names()),
        kind=draw(st.sampled_from(list(ProgrammeKind))),
        direction=draw(st.sampled_from(list(Direction))),
        partners=tuple(listed),
        benefits=draw(benefits(organisation_ids=org_ids)),
        duration=draw(_maybe(duration_bounds(max_value=6))),
        rule_sets=tuple(draw(st.lists(st.sampled_from(("yes", "s2", "housing")), unique=True))),
        funding=tuple(
            draw(
                st.lists(
                    fundings(currencies=currencies, min_date=min_date, max_date=max_date),
                    max_size=2,
                )
            )
        ),
        targets=tuple(draw(st.lists(targets(min_date=min_date, max_date=max_date), max_size=2))),
        citations=tuple(
            draw(st.lists(citations(min_date=min_date, max_date=max_date), max_size=2))
        ),
    )


@_cached
def programmes(
    *,
    id: str | None = None,
    roles_of: Mapping[str, Collection[Role]] | None = None,
    currencies: Sequence[str] = CURRENCIES,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    max_partners: int = 3,
) -> st.SearchStrategy[Programme]:
    """Programmes whose partners, housing payer and visa support are known organisations.

    Parameters
    ----------
    id
        A fixed id; ``None`` draws ``"prog0"``..``"prog9"``.
    roles_of
        Organisation id -> roles; each partner is one of these organisations in
        one of its roles. ``None`` uses ``"o0"``, ``"o1"`` with any role.
    currencies
        Currencies of the funding.
    min_date, max_date
        Bounds of funding periods, targets and citations.
    max_partners
        Most partners.

    Examples
    --------
    >>> from hypothesis import given
    >>> from sgcq.models import Role
    >>> @given(programmes(roles_of={"u0": {Role.SENDING_UNIVERSITY}}))
    ... def test_partners(p):
    ...     assert all(x.organisation == "u0" for x in p.partners)
    >>> test_partners()
    """
    _check_dates(min_date, max_date, room=1)
    _require(max_partners >= 0, f"max_partners must not be negative, got {max_partners}")
    pairs = None if roles_of is None else tuple((k, frozenset(v)) for k, v in roles_of.items())
    return _programmes(
        id,
        pairs,
        _check_currencies(currencies),
        min_date,
        max_date,
        max_partners,
    )


@_cached
def counts(max_value: int = 50) -> st.SearchStrategy[Count]:
    """Absolute quota bounds ``0..max_value``.

    Parameters
    ----------
    max_value
        Largest count.
    """
    return st.builds(Count, st.integers(0, max_value))


@_cached
def shares() -> st.SearchStrategy[Share]:
    """Quota bounds as shares in ``[0, 1]`` with two decimal places."""
    return st.builds(Share, st.decimals(0, 1, places=2))


@_cached
def quota_limits(max_value: int = 50) -> st.SearchStrategy[QuotaLimit]:
    """Either kind of quota bound (:class:`Count` or :class:`Share`).

    Parameters
    ----------
    max_value
        Largest count.
    """
    return st.one_of(counts(max_value), shares())


@_cached
@st.composite
def _quotas(
    draw: st.DrawFn, dimensions: tuple[QuotaDimension, ...], keys: tuple[str, ...]
) -> Quota:
    which = draw(st.sampled_from(("maximum", "minimum", "both")))
    low = draw(quota_limits()) if which != "maximum" else None
    high = draw(quota_limits()) if which != "minimum" else None
    if isinstance(low, Count) and isinstance(high, Count) and low.value > high.value:
        low, high = high, low
    if isinstance(low, Share) and isinstance(high, Share) and low.value > high.value:
        low, high = high, low
    return Quota(draw(st.sampled_from(dimensions)), draw(st.sampled_from(keys)), low, high)


@_cached
def quotas(
    *,
    dimensions: Collection[QuotaDimension] = tuple(QuotaDimension),
    keys: Sequence[str] = ("u0", *FIELD_TAGS[:2]),
) -> st.SearchStrategy[Quota]:
    """Quotas with a minimum, a maximum or both, the minimum never above the maximum.

    Parameters
    ----------
    dimensions
        What the quota counts by.
    keys
        University ids or field tags it may name.
    """
    _require(bool(dimensions), "give at least one dimension")
    _require(bool(keys), "give at least one key")
    return _quotas(_in_order(QuotaDimension, dimensions), tuple(keys))


@_cached
def monthly_beds(
    *, min_year: int = MIN_DATE.year, max_year: int = MAX_DATE.year, max_beds: int = 100
) -> st.SearchStrategy[MonthlyBeds]:
    """Bed counts ``0..max_beds`` for a month.

    Parameters
    ----------
    min_year, max_year
        Bounds of the month's year.
    max_beds
        Most beds.
    """
    return st.builds(MonthlyBeds, year_months(min_year, max_year), st.integers(0, max_beds))


@_cached
@st.composite
def _cohorts(
    draw: st.DrawFn,
    id: str | None,
    programme_ids: tuple[str, ...],
    quota_keys: tuple[tuple[QuotaDimension, tuple[str, ...]], ...],
    currencies: tuple[str, ...],
    min_date: date,
    max_date: date,
    max_size: int,
) -> Cohort:
    low = draw(_maybe(st.integers(0, max_size)))
    high = draw(_maybe(st.integers(low or 0, max_size)))
    quota_strategies = [quotas(dimensions=(dim,), keys=keys) for dim, keys in quota_keys if keys]
    drawn_quotas = (
        draw(
            st.lists(
                st.one_of(quota_strategies), max_size=3, unique_by=lambda q: (q.dimension, q.key)
            )
        )
        if quota_strategies
        else []
    )
    beds = draw(
        st.lists(
            monthly_beds(min_year=min_date.year, max_year=max_date.year),
            max_size=3,
            unique_by=lambda b: b.month,
        )
    )
    return Cohort(
        id=draw(identifiers("k")) if id is None else id,
        programme=draw(st.sampled_from(programme_ids)),
        intake=draw(date_ranges(min_date=min_date, max_date=max_date)),
        target_size=draw(_maybe(st.integers(1, max_size))),
        min_size=low,
        max_size=high,
        quotas=tuple(drawn_quotas),
        beds=tuple(beds),
        allowance_budget=draw(_maybe(money(currencies=currencies, min_amount=0, max_amount=10**7))),
    )


@_cached
def cohorts(
    *,
    id: str | None = None,
    programme_ids: Sequence[str] = ("prog0",),
    university_ids: Sequence[str] = ("u0",),
    field_tags: Sequence[str] = FIELD_TAGS,
    currencies: Sequence[str] = CURRENCIES,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    max_size: int = 100,
) -> st.SearchStrategy[Cohort]:
    """Cohorts of one of ``programme_ids``, with consistent sizes, quotas and beds.

    ``min_size <= max_size``; no two quotas share a dimension and key; no month
    has two bed counts.

    Parameters
    ----------
    id
        A fixed id; ``None`` draws ``"k0"``..``"k9"``.
    programme_ids
        Programmes it may belong to (at least one).
    university_ids, field_tags
        Keys that quotas may name.
    currencies
        Currencies of the allowance budget.
    min_date, max_date
        Bounds of the intake window and of bed months.
    max_size
        Largest size bound.
    """
    _require(bool(programme_ids), "give at least one programme id")
    _require(max_size >= 1, f"max_size must be at least 1, got {max_size}")
    _check_dates(min_date, max_date, room=1)
    keys = (
        (QuotaDimension.UNIVERSITY, tuple(university_ids)),
        (QuotaDimension.FIELD, tuple(field_tags)),
    )
    return _cohorts(
        id,
        tuple(programme_ids),
        keys,
        _check_currencies(currencies),
        min_date,
        max_date,
        max_size,
    )


# --- placements ---------------------------------------------------------------------


@_cached
def status_changes(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[StatusChange]:
    """Single status changes at an aware timestamp.

    Parameters
    ----------
    min_date, max_date
        Bounds of the timestamp's day.
    """
    return st.builds(
        StatusChange,
        st.sampled_from(list(PlacementStatus)),
        timestamps(min_date=min_date, max_date=max_date),
        _free_text(),
    )


@_cached
@st.composite
def _placements(
    draw: st.DrawFn,
    candidate_ids: tuple[str, ...],
    position_ids: tuple[str, ...],
    modes: tuple[Mode, ...],
    min_date: date,
    max_date: date,
    max_steps: int,
) -> Placement:
    period = draw(date_ranges(min_date=min_date, max_date=max_date))
    steps = draw(st.integers(0, max_steps))
    history: list[StatusChange] = []
    at = draw(timestamps(min_date=min_date, max_date=max_date))
    status = PlacementStatus.PROPOSED
    for i in range(steps):
        if i == 0 and draw(st.booleans()):
            nxt = PlacementStatus.PROPOSED
        else:
            allowed = _in_order(PlacementStatus, TRANSITIONS[status])
            if not allowed:
                break
            nxt = draw(st.sampled_from(allowed))
        # Equal timestamps are allowed (non-decreasing); zones vary per step.
        at = (at + timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))).astimezone(
            draw(st.sampled_from(TIMEZONES))
        )
        history.append(StatusChange(nxt, at, draw(_free_text(8))))
        status = nxt
    return Placement(
        candidate=draw(st.sampled_from(candidate_ids)),
        position=draw(st.sampled_from(position_ids)),
        period=period,
        mode=draw(st.sampled_from(modes)),
        status=status,
        history=tuple(history),
    )


@_cached
def placements(
    *,
    candidate_ids: Sequence[str] = ("c0",),
    position_ids: Sequence[str] = ("p0",),
    modes: Collection[Mode] = tuple(Mode),
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    max_steps: int = 7,
) -> st.SearchStrategy[Placement]:
    """Placements with a valid lifecycle history: a random walk over the allowed transitions.

    The history starts at ``proposed`` (or one step later), every step is in
    :data:`~sgcq.models.TRANSITIONS`, timestamps are time-zone aware and never
    decrease, and ``status`` is the last step (``proposed`` with no history).

    Parameters
    ----------
    candidate_ids, position_ids
        Ids the placement may name.
    modes
        Modes to draw from.
    min_date, max_date
        Bounds of the period and of the first step's day; later steps follow
        within 30 days each, so they may fall after ``max_date``.
    max_steps
        Most steps in the history.

    Examples
    --------
    >>> from hypothesis import given
    >>> from sgcq.models import TRANSITIONS
    >>> @given(placements(max_steps=3))
    ... def test_walk(p):
    ...     steps = [h.status for h in p.history]
    ...     assert all(b in TRANSITIONS[a] for a, b in zip(steps, steps[1:]))
    >>> test_walk()
    """
    _require(bool(candidate_ids), "give at least one candidate id")
    _require(bool(position_ids), "give at least one position id")
    _require(bool(modes), "give at least one mode")
    _require(max_steps >= 0, f"max_steps must not be negative, got {max_steps}")
    _check_dates(min_date, max_date, room=1)
    return _placements(
        tuple(candidate_ids),
        tuple(position_ids),
        _in_order(Mode, modes),
        min_date,
        max_date,
        max_steps,
    )


# --- scenarios ------------------------------------------------------------------------


def _numbered(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(n))


def _renumbered(prefix: str, items: Iterable[T]) -> tuple[T, ...]:
    # Ids follow list positions, so deleting an item while shrinking keeps the
    # ids small and dense ("c0", "c1", ...) and references by index valid.
    return tuple(attrs.evolve(x, id=f"{prefix}{i}") for i, x in enumerate(items))  # type: ignore[misc]


def _only(ranking: Ranking | None, keep: Collection[str]) -> Ranking | None:
    if ranking is None:
        return None
    return Ranking({k: r for k, r in ranking.ranks if k in keep})


@_cached
@st.composite
def _scenarios(
    draw: st.DrawFn,
    sizes: tuple[int, ...],
    max_ties: int,
    currencies: tuple[str, ...],
    modes: tuple[Mode, ...],
    min_date: date,
    max_date: date,
) -> Scenario:
    # Each collection is one st.lists draw, so the shrinker can delete whole
    # items.
    n_uni, n_host, n_other, n_prog, n_cohort, n_cand, n_pos, n_placed = sizes

    def listed(strategy: st.SearchStrategy[T], low: int, high: int) -> list[T]:
        return draw(st.lists(strategy, min_size=low, max_size=high))

    uni_ids, host_ids = _numbered("u", n_uni), _numbered("h", n_host)

    # Positions, candidates and placements come first, organisations,
    # programmes and cohorts last; early items refer to ids that *may* exist
    # and references to ids that were not drawn are dropped or moved to
    # "u0"/"h0" (always drawn) at the end. So deleting an item while shrinking
    # leaves the draws before it untouched.
    prog_ids, cohort_ids = _numbered("prog", n_prog), _numbered("k", n_cohort if n_prog else 0)
    position = positions(
        id="p",
        host_ids=host_ids,
        candidate_ids=_numbered("c", n_cand),
        programme_ids=prog_ids,
        payer_ids=uni_ids + host_ids + _numbered("o", n_other),
        modes=modes,
        currencies=currencies,
        max_ties=max_ties,
        min_date=min_date,
        max_date=max_date,
    )
    poss = _renumbered("p", listed(position, 0, n_pos))
    pos_ids = tuple(p.id for p in poss)
    candidate = candidates(
        id="c",
        university_ids=uni_ids,
        position_ids=pos_ids,
        cohort_ids=cohort_ids,
        modes=modes,
        max_ties=max_ties,
        min_date=min_date,
        max_date=max_date,
    )
    cands = _renumbered("c", listed(candidate, 0, n_cand))
    cand_ids = tuple(c.id for c in cands)
    placed: list[Placement] = []
    if cand_ids and pos_ids:
        placement = placements(
            candidate_ids=cand_ids,
            position_ids=pos_ids,
            modes=modes,
            min_date=min_date,
            max_date=max_date,
        )
        placed = listed(placement, 0, n_placed)
    sending, host = frozenset({Role.SENDING_UNIVERSITY}), frozenset({Role.HOST_COMPANY})
    unis = _renumbered(
        "u", listed(organisations(id="u", roles=sending, extra_roles=False), 1, n_uni)
    )
    hosts = _renumbered(
        "h", listed(organisations(id="h", roles=host, extra_roles=False), 1, n_host)
    )
    others = _renumbered("o", listed(organisations(id="o"), 0, n_other))
    orgs = unis + hosts + others
    roles_of = {o.id: o.roles for o in orgs}
    programme = programmes(
        id="prog", roles_of=roles_of, currencies=currencies, min_date=min_date, max_date=max_date
    )
    progs = _renumbered("prog", listed(programme, 0, n_prog))
    cohs: tuple[Cohort, ...] = ()
    if progs:
        cohort = cohorts(
            id="k",
            programme_ids=tuple(p.id for p in progs),
            university_ids=tuple(u.id for u in unis),
            currencies=currencies,
            min_date=min_date,
            max_date=max_date,
        )
        cohs = _renumbered("k", listed(cohort, 0, n_cohort))
    drawn_progs, drawn_cohorts = {p.id for p in progs}, {k.id for k in cohs}
    drawn_orgs = {o.id for o in orgs}
    poss = tuple(
        attrs.evolve(
            p,
            host=p.host if p.host in drawn_orgs else "h0",
            candidate_preferences=_only(p.candidate_preferences, cand_ids),
            programme=p.programme if p.programme in drawn_progs else None,
            allowance=p.allowance
            if p.allowance is None or p.allowance.payer in drawn_orgs
            else attrs.evolve(p.allowance, payer="h0"),
        )
        for p in poss
    )
    cands = tuple(
        attrs.evolve(
            c,
            university=c.university if c.university in drawn_orgs else "u0",
            cohort=c.cohort if c.cohort in drawn_cohorts else None,
        )
        for c in cands
    )
    rates = (
        draw(rate_tables(currencies=currencies, max_size=3, min_date=min_date, max_date=max_date))
        if len(currencies) >= 2
        else RateTable()
    )
    return Scenario(
        id=draw(identifiers("s")),
        name=draw(names()),
        description=draw(_free_text()),
        illustrative=draw(st.booleans()),
        notes=draw(_free_text()),
        as_of=draw(_maybe(st.dates(min_date, max_date))),
        organisations=orgs,
        programmes=progs,
        cohorts=cohs,
        candidates=cands,
        positions=poss,
        placements=tuple(placed),
        rates=rates,
        citations=tuple(listed(citations(min_date=min_date, max_date=max_date), 0, 2)),
    )


@_cached
def scenarios(
    *,
    max_universities: int = 2,
    max_hosts: int = 2,
    max_others: int = 1,
    max_programmes: int = 2,
    max_cohorts: int = 2,
    max_candidates: int = 4,
    max_positions: int = 4,
    max_placements: int = 2,
    max_ties: int = 2,
    currencies: Sequence[str] = CURRENCIES,
    modes: Collection[Mode] = tuple(Mode),
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
) -> st.SearchStrategy[Scenario]:
    """Whole scenarios whose every cross-reference is valid.

    Universities (``"u0"``..) play ``sending_university``, hosts (``"h0"``..)
    ``host_company``, other organisations (``"o0"``..) any roles; programme
    partners name organisations in roles they play; cohorts name programmes;
    candidates name universities, cohorts and (in their rankings) positions;
    positions name hosts, programmes, allowance payers and (in their rankings)
    candidates; placements name candidates and positions. At least one
    university and one host are always present.

    Parameters
    ----------
    max_universities, max_hosts, max_others, max_programmes, max_cohorts
        Most organisations of each kind, programmes and cohorts.
    max_candidates, max_positions, max_placements
        Most candidates, positions and placements.
    max_ties
        The most ids sharing a rank in any ranking.
    currencies
        Currencies of money in the scenario; with two or more a rate table is drawn.
    modes
        Modes of candidates, positions and placements.
    min_date, max_date
        Bounds of every date in the scenario.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(scenarios(max_candidates=2, max_positions=2))
    ... def test_refs(s):
    ...     assert all(s.position(p) for c in s.candidates for p in c.preferences)
    >>> test_refs()
    """
    for name, value in {
        "universities": max_universities,
        "hosts": max_hosts,
        "others": max_others,
        "programmes": max_programmes,
        "cohorts": max_cohorts,
        "candidates": max_candidates,
        "positions": max_positions,
        "placements": max_placements,
    }.items():
        _require(0 <= value <= 10, f"max_{name} must be in 0..10, got {value}")
    _require(max_universities >= 1, "a scenario needs at least one university")
    _require(max_hosts >= 1, "a scenario needs at least one host")
    _require(bool(modes), "give at least one mode")
    _check_dates(min_date, max_date, room=1)
    sizes = (
        max_universities,
        max_hosts,
        max_others,
        max_programmes,
        max_cohorts,
        max_candidates,
        max_positions,
        max_placements,
    )
    return _scenarios(
        sizes,
        max_ties,
        _check_currencies(currencies),
        _in_order(Mode, modes),
        min_date,
        max_date,
    )
