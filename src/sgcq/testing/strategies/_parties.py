"""Strategies for organisations and their locations (:mod:`sgcq.models.parties`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from hypothesis import strategies as st

from sgcq.models import KNOWN_ZONES, EducationKind, Location, Organisation, Role
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE
from sgcq.testing.strategies._draws import free_text, maybe, subset
from sgcq.testing.strategies._knobs import cached, check_dates, require
from sgcq.testing.strategies._text import identifiers, names

__all__ = ["COUNTRIES", "locations", "organisations"]

#: Default countries of locations and nationalities.
COUNTRIES: tuple[str, ...] = ("SG", "CN", "MY", "TH", "AU")


@cached
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
    require(bool(countries), "give at least one country")
    return st.builds(
        Location,
        st.sampled_from(tuple(countries)),
        maybe(names()),
        subset(sorted(zones)),
    )


@cached
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
        drawn |= draw(subset(list(Role)))
    if not drawn:
        drawn.add(draw(st.sampled_from(list(Role))))
    host = Role.HOST_COMPANY in drawn
    university = Role.SENDING_UNIVERSITY in drawn
    return Organisation(
        id=draw(identifiers("o")) if id is None else id,
        name=draw(names()),
        roles=frozenset(drawn),
        location=draw(locations(countries=countries)),
        education_kind=draw(maybe(st.sampled_from(list(EducationKind)))) if university else None,
        visa_scheme_registered_on=draw(maybe(st.dates(min_date, max_date))) if host else None,
        well_known=draw(st.booleans()) if host else False,
        notes=draw(free_text()),
    )


@cached
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
    check_dates(min_date, max_date)
    require(bool(countries), "give at least one country")
    return _organisations(id, frozenset(roles), extra_roles, tuple(countries), min_date, max_date)
