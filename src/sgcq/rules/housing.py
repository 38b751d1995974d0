"""The housing-and-meals cover: which part of a stay it pays for.

The Yubei District government covers interns' accommodation and meals for up
to six months (source: NTU press release, 13 May 2020). The cover applies only
to days spent on site: a remote stay has none, and a hybrid stay only its
on-site part. The covered period starts with the stay and lasts at most
``max_months`` calendar months counted from the start (anchor arithmetic, see
``docs/decisions/0002-month-arithmetic.md``); the rest is the uncovered tail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import attrs

from sgcq.models import DateRange, HousingTerms, Mode, Position, YearMonth, add_months

__all__ = ["CoverSplit", "bed_months", "split_cover"]


@attrs.frozen
class CoverSplit:
    """A stay divided into the days the cover pays for and the days it does not.

    Parameters
    ----------
    stay
        The whole stay.
    on_site
        The on-site part of the stay (``None`` for a remote stay).
    covered
        The covered days (``None`` if nothing is covered).
    uncovered
        The on-site days after the cover ends, if any.

    Notes
    -----
    ``covered.days + uncovered.days == on_site.days`` always holds.
    """

    stay: DateRange
    on_site: DateRange | None = None
    covered: DateRange | None = None
    uncovered: DateRange | None = None

    @property
    def covered_days(self) -> int:
        """Days covered."""
        return self.covered.days if self.covered else 0

    @property
    def uncovered_days(self) -> int:
        """On-site days not covered."""
        return self.uncovered.days if self.uncovered else 0

    def bed_months(self) -> tuple[YearMonth, ...]:
        """Return the calendar months in which the covered period occupies a bed."""
        return tuple(self.covered.calendar_months()) if self.covered else ()


def on_site_part(position: Position, stay: DateRange) -> DateRange | None:
    """Return the days of ``stay`` spent on site for ``position``'s mode."""
    if position.mode is Mode.REMOTE:
        return None
    if position.mode is Mode.HYBRID and position.hybrid is not None:
        return position.hybrid.on_site_part(stay)
    return stay


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
    on_site = on_site_part(position, stay)
    if on_site is None or terms is None or not position.housing_cover:
        return CoverSplit(stay, on_site, None, on_site)
    # The cover runs from the start of the stay, so a hybrid stay whose
    # on-site part comes last may have used up its months already.
    cover_window = DateRange(stay.start, add_months(stay.start, terms.max_months))
    covered = on_site.intersection(cover_window)
    if covered is None:
        return CoverSplit(stay, on_site, None, on_site)
    uncovered = DateRange(covered.end, on_site.end) if covered.end < on_site.end else None
    return CoverSplit(stay, on_site, covered, uncovered)


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
