"""Strategies for programmes, their partners, benefits, funding and targets.

Mirrors :mod:`sgcq.models.programmes`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from hypothesis import strategies as st

from sgcq.models import (
    Benefits,
    Direction,
    Funding,
    HousingTerms,
    Partner,
    Programme,
    ProgrammeKind,
    Role,
    Target,
)
from sgcq.testing.strategies._citations import citations
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE, date_ranges, duration_bounds
from sgcq.testing.strategies._draws import in_order, maybe
from sgcq.testing.strategies._knobs import cached, check_currencies, check_dates, require
from sgcq.testing.strategies._money import CURRENCIES, money
from sgcq.testing.strategies._text import identifiers, names

__all__ = ["benefits", "fundings", "housing_terms", "partners", "programmes", "targets"]


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


@cached
def targets(*, min_date: date = MIN_DATE, max_date: date = MAX_DATE) -> st.SearchStrategy[Target]:
    """Targets (a metric, a non-negative number, a deadline, maybe a citation).

    Parameters
    ----------
    min_date, max_date
        Bounds of the deadline.
    """
    check_dates(min_date, max_date)
    return st.builds(
        Target,
        st.sampled_from(("patent_applications", "research_projects", "interns")),
        st.integers(0, 500),
        st.dates(min_date, max_date),
        maybe(citations(min_date=min_date, max_date=max_date)),
    )


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
        # RESEARCH programmes place no one; the placement strategies leave them out.
        kind=draw(st.sampled_from([k for k in ProgrammeKind if k is not ProgrammeKind.RESEARCH])),
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
        targets=tuple(draw(st.lists(targets(min_date=min_date, max_date=max_date), max_size=2))),
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
    check_dates(min_date, max_date, room=1)
    require(max_partners >= 0, f"max_partners must not be negative, got {max_partners}")
    pairs = None if roles_of is None else tuple((k, frozenset(v)) for k, v in roles_of.items())
    return _programmes(
        id,
        pairs,
        check_currencies(currencies),
        min_date,
        max_date,
        max_partners,
    )
