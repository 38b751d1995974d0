"""Strategies for citations of sources (:mod:`sgcq.models.citations`)."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from sgcq.models import Citation, Confidence
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE
from sgcq.testing.strategies._draws import free_text
from sgcq.testing.strategies._knobs import cached, check_dates
from sgcq.testing.strategies._text import names

__all__ = ["citations"]


@cached
def citations(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[Citation]:
    """Citations dated within ``[min_date, max_date]``.

    Parameters
    ----------
    min_date, max_date
        Bounds of the document's date.
    """
    check_dates(min_date, max_date)
    return st.builds(
        Citation,
        names(),
        st.dates(min_date, max_date),
        free_text(),
        st.sampled_from(list(Confidence)),
    )
