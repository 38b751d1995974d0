"""The housing-and-meals cover: which part of a stay it pays for.

The Yubei District government covers interns' accommodation and meals for up
to six months (source: NTU press release, 13 May 2020). The cover applies only
to days spent on site in the position's country: a remote stay has none, a
hybrid stay only its on-site part, and a stay in segments only its on-site
segments in that country (a campus block in Singapore is not housed by
Yubei). The covered period starts with the stay and lasts at most
``max_months`` calendar months counted from the start (anchor arithmetic, see
``docs/decisions/0002-month-arithmetic.md``); the rest is the uncovered tail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import attrs

from sgcq.models import DateRange, HousingTerms, Position, YearMonth, add_months

__all__ = ["CoverSplit", "bed_months", "split_cover"]


@attrs.frozen
class CoverSplit:
    """A stay divided into the days the cover pays for and the days it does not.

    Parameters
    ----------
    stay
        The whole stay.
    on_site
        The on-site days of the stay in the position's country, from the
        first to the last (``None`` for a remote stay).
    covered
        The covered days, from the first to the last (``None`` if nothing is
        covered).
    uncovered
        The on-site days after the cover ends, from the first to the last,
        if any.
    on_site_parts, covered_parts, uncovered_parts
        The same days segment by segment; a stay in one on-site part has one
        part each (the ranges above). For a stay in several segments the
        ranges above span the remote days between, the parts do not.

    Notes
    -----
    ``covered_days + uncovered_days`` is the number of on-site days in the
    position's country always.
    """

    stay: DateRange
    on_site: DateRange | None = None
    covered: DateRange | None = None
    uncovered: DateRange | None = None
    on_site_parts: tuple[DateRange, ...] = ()
    covered_parts: tuple[DateRange, ...] = ()
    uncovered_parts: tuple[DateRange, ...] = ()

    @property
    def covered_days(self) -> int:
        """Days covered, summed over the covered parts."""
        if self.covered_parts:
            return sum(p.days for p in self.covered_parts)
        return self.covered.days if self.covered else 0

    @property
    def uncovered_days(self) -> int:
        """On-site days not covered, summed over the uncovered parts."""
        if self.uncovered_parts:
            return sum(p.days for p in self.uncovered_parts)
        return self.uncovered.days if self.uncovered else 0

    def bed_months(self) -> tuple[YearMonth, ...]:
        """Return the calendar months in which a covered part occupies a bed, in order."""
        parts = self.covered_parts or ((self.covered,) if self.covered else ())
        months = {m for p in parts for m in p.calendar_months()}
        return tuple(sorted(months))


def _span(parts: tuple[DateRange, ...]) -> DateRange | None:
    return DateRange(parts[0].start, parts[-1].end) if parts else None


def on_site_parts(position: Position, stay: DateRange) -> tuple[DateRange, ...]:
    """Return the on-site segments of ``stay`` in ``position``'s country, in order."""
    country = position.location.country
    return tuple(s.days for s in position.stay_segments(stay) if s.on_site and s.country == country)


def split_cover(position: Position, stay: DateRange, terms: HousingTerms | None) -> CoverSplit:
    """Split ``stay`` into covered and uncovered on-site days.

    Parameters
    ----------
    position
        The position (its mode, hybrid split and whether the cover applies).
    stay
        The placement's half-open period.
    terms
        The programme's housing terms, or ``None`` if it has no cover.

    Returns
    -------
    CoverSplit
        The split. Nothing is covered when the position has no housing cover,
        the programme has no terms, or the stay is remote.

    Examples
    --------
    A seven-month on-site stay from 2020-08-31 with six months of cover:

    >>> from datetime import date
    >>> from sgcq.models import (DateRange, Duration, DurationBounds, DurationUnit,
    ...     HousingTerms, Location, Mode, Position, StartDates)
    >>> pos = Position("p1", "h1", "Intern", frozenset(), 1, Mode.ON_SITE, Location("CN"),
    ...     StartDates((date(2020, 8, 31),)),
    ...     DurationBounds.fixed(Duration(7, DurationUnit.MONTHS)), housing_cover=True)
    >>> split = split_cover(pos, DateRange.of_months(date(2020, 8, 31), 7), HousingTerms(6, "ydpg"))
    >>> print(split.covered, split.uncovered)
    [2020-08-31, 2021-02-28) [2021-02-28, 2021-03-31)
    """
    parts = on_site_parts(position, stay)
    on_site = _span(parts)
    if not parts or terms is None or not position.housing_cover:
        return CoverSplit(stay, on_site, None, on_site, parts, (), parts)
    # The cover runs from the start of the stay, so a hybrid stay whose
    # on-site part comes last may have used up its months already.
    cover_window = DateRange(stay.start, add_months(stay.start, terms.max_months))
    covered: list[DateRange] = []
    uncovered: list[DateRange] = []
    for part in parts:
        inside = part.intersection(cover_window)
        if inside is not None:
            covered.append(inside)
        tail = (
            DateRange(max(part.start, cover_window.end), part.end)
            if (part.end > cover_window.end)
            else None
        )
        if tail is not None:
            uncovered.append(tail)
    return CoverSplit(
        stay,
        on_site,
        _span(tuple(covered)),
        _span(tuple(uncovered)),
        parts,
        tuple(covered),
        tuple(uncovered),
    )


def bed_months(splits: Iterable[CoverSplit]) -> dict[YearMonth, int]:
    """Count the beds occupied in each calendar month by covered stays.

    A stay occupies one bed in every calendar month its covered period
    touches, however few days (a bed is held for the whole month).

    Returns
    -------
    dict
        Beds per month, months in order.
    """
    counts: Counter[YearMonth] = Counter()
    for s in splits:
        counts.update(s.bed_months())
    return dict(sorted(counts.items()))
