"""Strategies for cohorts, their quotas and beds by month (:mod:`sgcq.models.cohorts`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from hypothesis import strategies as st

from sgcq.models import Cohort, Count, MonthlyBeds, Quota, QuotaDimension, QuotaLimit, Share
from sgcq.testing.strategies._candidates import FIELD_TAGS
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE, date_ranges, year_months
from sgcq.testing.strategies._draws import in_order, maybe
from sgcq.testing.strategies._knobs import cached, check_currencies, check_dates, require
from sgcq.testing.strategies._money import CURRENCIES, money
from sgcq.testing.strategies._text import identifiers

__all__ = ["cohorts", "counts", "monthly_beds", "quota_limits", "quotas", "shares"]


@cached
def counts(max_value: int = 50) -> st.SearchStrategy[Count]:
    """Absolute quota bounds ``0..max_value``.

    Parameters
    ----------
    max_value
        Largest count.
    """
    return st.builds(Count, st.integers(0, max_value))


@cached
def shares() -> st.SearchStrategy[Share]:
    """Quota bounds as shares in ``[0, 1]`` with two decimal places."""
    return st.builds(Share, st.decimals(0, 1, places=2))


@cached
def quota_limits(max_value: int = 50) -> st.SearchStrategy[QuotaLimit]:
    """Either kind of quota bound (:class:`Count` or :class:`Share`).

    Parameters
    ----------
    max_value
        Largest count.
    """
    return st.one_of(counts(max_value), shares())


@cached
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


@cached
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
    require(bool(dimensions), "give at least one dimension")
    require(bool(keys), "give at least one key")
    return _quotas(in_order(QuotaDimension, dimensions), tuple(keys))


@cached
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


@cached
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
    low = draw(maybe(st.integers(0, max_size)))
    high = draw(maybe(st.integers(low or 0, max_size)))
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
        target_size=draw(maybe(st.integers(1, max_size))),
        min_size=low,
        max_size=high,
        quotas=tuple(drawn_quotas),
        beds=tuple(beds),
        allowance_budget=draw(maybe(money(currencies=currencies, min_amount=0, max_amount=10**7))),
    )


@cached
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
    require(bool(programme_ids), "give at least one programme id")
    require(max_size >= 1, f"max_size must be at least 1, got {max_size}")
    check_dates(min_date, max_date, room=1)
    keys = (
        (QuotaDimension.UNIVERSITY, tuple(university_ids)),
        (QuotaDimension.FIELD, tuple(field_tags)),
    )
    return _cohorts(
        id,
        tuple(programme_ids),
        keys,
        check_currencies(currencies),
        min_date,
        max_date,
        max_size,
    )
