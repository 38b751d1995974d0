"""Strategies for dated measures that close a mode (:mod:`sgcq.models.measures`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from hypothesis import strategies as st

from sgcq.models import Measure, Mode
from sgcq.testing.strategies._citations import citations
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE
from sgcq.testing.strategies._knobs import cached, check_dates, require
from sgcq.testing.strategies._text import identifiers, names

__all__ = ["measures"]


@st.composite
def _measures(
    draw: st.DrawFn,
    id: str,
    countries: tuple[str, ...],
    min_date: date,
    max_date: date,
) -> Measure:
    start = draw(st.dates(min_date, max_date - timedelta(days=1)))
    end = draw(st.none() | st.dates(start + timedelta(days=1), max_date))
    return Measure(
        id=draw(identifiers(id)),
        country=draw(st.sampled_from(countries)),
        closes=draw(st.sets(st.sampled_from(list(Mode)), min_size=1).map(frozenset)),
        start=start,
        description=draw(names()),
        reference=draw(citations(min_date=min_date, max_date=max_date)),
        end=end,
    )


@cached
def measures(
    *,
    id: str = "m",
    countries: Sequence[str] = ("SG", "CN", "MY", "TH", "AU"),
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
) -> st.SearchStrategy[Measure]:
    """Measures of one of ``countries`` closing one or more modes, in force within the dates.

    Parameters
    ----------
    id
        Prefix of the measure's id.
    countries
        The ISO codes to draw the country from; at least one.
    min_date, max_date
        Bounds of the start and (exclusive) end; an open end is drawn too.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(measures(countries=("MY",)))
    ... def test_country(m):
    ...     assert m.country == "MY" and m.closes
    >>> test_country()
    """
    found = tuple(countries)
    require(bool(found), "give at least one country")
    check_dates(min_date, max_date, room=1)
    return _measures(id, found, min_date, max_date)
