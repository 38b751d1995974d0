"""Strategies for programmes, their partners, benefits, funding and targets.

Mirrors :mod:`sgcq.models.programmes`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from hypothesis import strategies as st

from sgcq.models import (
    Benefits,
    Comparator,
    Direction,
    Funding,
    HousingTerms,
    Money,
    Observation,
    Partner,
    Programme,
    ProgrammeKind,
    Quantity,
    Role,
    Target,
)
from sgcq.testing.strategies._citations import citations
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE, date_ranges, duration_bounds
from sgcq.testing.strategies._draws import free_text, in_order, maybe
from sgcq.testing.strategies._knobs import cached, check_currencies, check_dates, require
from sgcq.testing.strategies._money import CURRENCIES, money
from sgcq.testing.strategies._text import identifiers, names

__all__ = [
    "PLACING_KINDS",
    "benefits",
    "fundings",
    "housing_terms",
    "observations",
    "partners",
    "programmes",
    "targets",
]

#: The programme kinds that place people (every kind but ``RESEARCH``).
PLACING_KINDS: tuple[ProgrammeKind, ...] = tuple(
    k for k in ProgrammeKind if k is not ProgrammeKind.RESEARCH
)
#: Metrics targets and observations are drawn with (counts, then money).
_COUNT_METRICS = ("patent_applications", "research_projects", "interns")
_MONEY_METRICS = ("licence_income", "funding_raised")


@cached
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
    pairs = tuple((org, role) for org, roles in roles_of.items() for role in in_order(Role, roles))
    require(bool(pairs), "give at least one organisation with a role")
    return _partners_among(pairs)


@cached
def _partners_among(pairs: tuple[tuple[str, Role], ...]) -> st.SearchStrategy[Partner]:
    return st.sampled_from(pairs).map(lambda p: Partner(*p))


@cached
def housing_terms(*, payer_ids: Sequence[str] = ("o0",)) -> st.SearchStrategy[HousingTerms]:
    """Housing cover of 1 to 12 months paid by one of ``payer_ids``.

    Parameters
    ----------
    payer_ids
        Who may pay.
    """
    require(bool(payer_ids), "give at least one payer id")
    return st.builds(
        HousingTerms, st.integers(1, 12), st.sampled_from(tuple(payer_ids)), st.booleans()
    )


@cached
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
        maybe(housing_terms(payer_ids=ids)) if ids else st.none(),
        maybe(st.sampled_from(ids)) if ids else st.none(),
    )


@cached
@st.composite
def _fundings(
    draw: st.DrawFn, currencies: tuple[str, ...], min_date: date, max_date: date
) -> Funding:
    chosen = draw(st.lists(st.sampled_from(currencies), min_size=1, unique=True))
    amounts = [draw(money(currencies=(c,), min_amount=0, max_amount=10**9)) for c in chosen]
    return Funding(
        tuple(amounts),
        draw(date_ranges(min_date=min_date, max_date=max_date, max_days=5 * 366)),
        draw(maybe(citations(min_date=min_date, max_date=max_date))),
    )


@cached
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
    check_dates(min_date, max_date, room=1)
    return _fundings(check_currencies(currencies), min_date, max_date)


def _quantity(draw: st.DrawFn, unit: str | None, currencies: tuple[str, ...]) -> Quantity:
    """Draw a count (``unit`` None) or Money in ``unit``."""
    if unit is None:
        return draw(st.integers(0, 500))
    amount: Money = draw(money(currencies=(unit,), max_amount=5_000_000))
    return amount


def _quotes(draw: st.DrawFn, value: Quantity, currencies: tuple[str, ...]) -> tuple[Money, ...]:
    """Draw other currency quotes of a Money value: at most one per other currency."""
    if not isinstance(value, Money):
        return ()
    others = [c for c in currencies if c != value.currency]
    chosen = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
    return tuple(draw(money(currencies=(c,), max_amount=50_000_000)) for c in chosen)


@st.composite
def _observation(
    draw: st.DrawFn,
    on: date,
    unit: str | None,
    currencies: tuple[str, ...],
    min_date: date,
    max_date: date,
) -> Observation:
    # A money observation may be in another currency than the target's:
    # progress() then needs a quote or a rate, and says so when it has neither.
    own = unit if unit is None else draw(st.sampled_from((unit, *currencies)))
    value = _quantity(draw, own, currencies)
    return Observation(
        on,
        value,
        also_quoted=_quotes(draw, value, currencies) if draw(st.booleans()) else (),
        lower_bound=draw(st.booleans()),
        citation=draw(maybe(citations(min_date=min_date, max_date=max_date))),
        note=draw(free_text()),
    )


def observations(
    *,
    on: date,
    currency: str | None = None,
    currencies: Sequence[str] = CURRENCIES,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
) -> st.SearchStrategy[Observation]:
    """Observations on ``on``: a count, or Money (in ``currency`` or another one).

    Parameters
    ----------
    on
        The observation's date.
    currency
        ``None`` for counts; else the currency of the target the observation
        is of (the value may be in another of ``currencies``, with or without
        quotes in the others).
    currencies
        Currencies of the values and the quotes.
    min_date, max_date
        Bounds of the citations' dates.

    Examples
    --------
    >>> from datetime import date
    >>> from hypothesis import given
    >>> @given(observations(on=date(2021, 12, 31)))
    ... def test_counts(o):
    ...     assert isinstance(o.value, int) and o.on == date(2021, 12, 31)
    >>> test_counts()
    """
    cs = check_currencies(currencies)
    require(currency is None or currency in cs, f"currency {currency!r} is not in {cs}")
    check_dates(min_date, max_date)
    return _observation(on, currency, cs, min_date, max_date)


@cached
@st.composite
def _targets(
    draw: st.DrawFn, currencies: tuple[str, ...], min_date: date, max_date: date, money_: bool
) -> Target:
    unit = draw(st.sampled_from(currencies)) if money_ and draw(st.booleans()) else None
    comparator = draw(st.sampled_from(list(Comparator)))
    value = _quantity(draw, unit, currencies)
    tolerance: Quantity | None = None
    if comparator is Comparator.ABOUT:
        tolerance = _quantity(draw, unit, currencies)
    # The baseline (if any) takes the first of the dates, the observations the rest.
    days = sorted(draw(st.sets(st.dates(min_date, max_date), max_size=5)))
    baseline = None
    with_baseline: bool = draw(st.booleans())
    if days and with_baseline:
        baseline = draw(_observation(days.pop(0), unit, currencies, min_date, max_date))
    seen = tuple(draw(_observation(d, unit, currencies, min_date, max_date)) for d in days)
    metrics = _MONEY_METRICS if unit is not None else _COUNT_METRICS
    return Target(
        draw(st.sampled_from(metrics)),
        value,
        draw(st.dates(min_date, max_date)),
        draw(maybe(citations(min_date=min_date, max_date=max_date))),
        comparator=comparator,
        tolerance=tolerance,
        also_quoted=_quotes(draw, value, currencies) if draw(st.booleans()) else (),
        baseline=baseline,
        observations=seen,
        note=draw(free_text()),
    )


@cached
def targets(
    *,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    currencies: Sequence[str] = CURRENCIES,
    money: bool = True,
) -> st.SearchStrategy[Target]:
    """Targets with every comparator, maybe a baseline, dated observations, counts or Money.

    ``about`` targets get a tolerance in the value's unit; observations are in
    date order, one per date, after the baseline; a money target's
    observations may be in another currency, with or without quotes in the
    target's (so :func:`sgcq.rules.progress` meets conversions it cannot make).

    Parameters
    ----------
    min_date, max_date
        Bounds of the deadline, the baseline and the observations (any of
        them may fall on either side of the deadline).
    currencies
        Currencies of money values and quotes.
    money
        Whether to draw money-valued targets too (else counts only).

    Examples
    --------
    >>> from hypothesis import given
    >>> from sgcq.models import Comparator
    >>> @given(targets(money=False))
    ... def test_about_has_a_tolerance(t):
    ...     assert (t.tolerance is not None) == (t.comparator is Comparator.ABOUT)
    >>> test_about_has_a_tolerance()
    """
    check_dates(min_date, max_date)
    return _targets(check_currencies(currencies), min_date, max_date, money)


@cached
@st.composite
def _programmes(
    draw: st.DrawFn,
    id: str | None,
    roles_of: tuple[tuple[str, frozenset[Role]], ...] | None,
    currencies: tuple[str, ...],
    min_date: date,
    max_date: date,
    max_partners: int,
    kinds: tuple[ProgrammeKind, ...],
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
        kind=draw(st.sampled_from(kinds)),
        direction=draw(st.sampled_from(list(Direction))),
        partners=tuple(listed),
        benefits=draw(benefits(organisation_ids=org_ids)),
        duration=draw(maybe(duration_bounds(max_value=6))),
        rule_sets=tuple(draw(st.lists(st.sampled_from(("yes", "s2", "housing")), unique=True))),
        funding=tuple(
            draw(
                st.lists(
                    fundings(currencies=currencies, min_date=min_date, max_date=max_date),
                    max_size=2,
                )
            )
        ),
        targets=tuple(
            draw(
                st.lists(
                    targets(min_date=min_date, max_date=max_date, currencies=currencies),
                    max_size=2,
                )
            )
        ),
        citations=tuple(
            draw(st.lists(citations(min_date=min_date, max_date=max_date), max_size=2))
        ),
    )


@cached
def programmes(
    *,
    id: str | None = None,
    roles_of: Mapping[str, Collection[Role]] | None = None,
    currencies: Sequence[str] = CURRENCIES,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    max_partners: int = 3,
    kinds: Collection[ProgrammeKind] = tuple(ProgrammeKind),
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
    kinds
        The kinds drawn from; every kind by default, ``RESEARCH`` (which
        places no one) included. :data:`PLACING_KINDS` leaves it out.

    Examples
    --------
    >>> from hypothesis import given
    >>> from sgcq.models import Role
    >>> @given(programmes(roles_of={"u0": {Role.SENDING_UNIVERSITY}}))
    ... def test_partners(p):
    ...     assert all(x.organisation == "u0" for x in p.partners)
    >>> test_partners()
    """
    check_dates(min_date, max_date, room=1)
    require(max_partners >= 0, f"max_partners must not be negative, got {max_partners}")
    require(bool(kinds), "give at least one programme kind")
    pairs = None if roles_of is None else tuple((k, frozenset(v)) for k, v in roles_of.items())
    return _programmes(
        id,
        pairs,
        check_currencies(currencies),
        min_date,
        max_date,
        max_partners,
        in_order(ProgrammeKind, kinds),
    )
