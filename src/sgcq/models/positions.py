"""Positions offered by host organisations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any, Union

import attrs

from sgcq.models import _validate as v
from sgcq.models.candidates import tags
from sgcq.models.dates import DateRange, DurationBounds
from sgcq.models.modes import HybridSplit, Mode, SegmentPlan, StaySegment
from sgcq.models.money import Money
from sgcq.models.parties import Location
from sgcq.models.preferences import Ranking

__all__ = [
    "Allowance",
    "Position",
    "StartDates",
    "StartRule",
    "StartWindow",
]


@attrs.frozen
class Allowance:
    """A monthly allowance and who pays it.

    Parameters
    ----------
    monthly
        The amount per calendar month; must not be negative.
    payer
        Id of the paying organisation.
    """

    monthly: Money = attrs.field(validator=v.instance_of(Money))
    payer: str = attrs.field(validator=v.identifier)

    def __attrs_post_init__(self) -> None:
        v.check(self.monthly.amount >= 0, "monthly", f"must not be negative, got {self.monthly}")


def _dates(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(date)(_inst, attribute, value)
    v.check(bool(value), attribute.name, "give at least one start date")
    v.check(len(set(value)) == len(value), attribute.name, "start dates repeat")


def _sorted_dates(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and all(isinstance(d, date) for d in value):
        return tuple(sorted(value))
    return value


@attrs.frozen
class StartDates:
    """A position that starts only on the listed dates (e.g. cohort intakes).

    Examples
    --------
    >>> from datetime import date
    >>> rule = StartDates((date(2020, 9, 1), date(2020, 7, 1)))
    >>> rule.dates
    (datetime.date(2020, 7, 1), datetime.date(2020, 9, 1))
    """

    dates: tuple[date, ...] = attrs.field(converter=_sorted_dates, validator=_dates)

    def candidates_within(self, window: DateRange) -> Iterator[date]:
        """Yield the allowed starts that fall inside ``window``."""
        return (d for d in self.dates if d in window)


@attrs.frozen
class StartWindow:
    """A position that may start within a window (every day, or the first of each month).

    Parameters
    ----------
    window
        The days on which a start is allowed (half-open).
    first_of_month
        If true, only the first day of a month inside the window is allowed,
        which keeps the number of start options small.
    """

    window: DateRange = attrs.field(validator=v.instance_of(DateRange))
    first_of_month: bool = attrs.field(default=True, validator=v.instance_of(bool))

    def candidates_within(self, window: DateRange) -> Iterator[date]:
        """Yield the allowed starts that fall inside ``window`` as well."""
        both = self.window.intersection(window)
        if both is None:
            return
        if self.first_of_month:
            for ym in both.calendar_months():
                d = ym.first_day()
                if d in both:
                    yield d
        else:
            d = both.start
            while d < both.end:
                yield d
                d = date.fromordinal(d.toordinal() + 1)


#: The ways a position's start can be given: listed dates or a window.
StartRule = Union[StartDates, StartWindow]


def _hours(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.instance_of(Decimal)(_inst, attribute, value)
    v.check(0 < value <= 84, attribute.name, f"must be in (0, 84], got {value}")


@attrs.frozen
class Position:
    """A role a host offers, with its seats, mode, dates and terms.

    Parameters
    ----------
    id
        Unique within a scenario.
    host
        Id of the host organisation.
    title
        Display title.
    fields
        Field tags such as ``"big-data"``, ``"ai"``, ``"accountancy"``.
    seats
        How many candidates it takes; at least 1.
    mode
        On site, remote or hybrid: the position's first (or only) mode.
    location
        Where the work is (for remote: the host's location).
    starts
        Allowed start dates or a start window.
    duration
        Allowed stay lengths (fixed when minimum equals maximum).
    hours_per_week
        Contracted hours.
    hybrid
        The split of a hybrid stay into one on-site and one remote part; a
        hybrid position has this or ``segments``, never both.
    allowance
        Monthly allowance and payer, if any.
    housing_cover
        Whether the programme's housing-and-meals cover applies.
    candidate_preferences
        The host's ranks over candidate ids (ties allowed), if it ranks.
    required_skills, languages
        Tags a candidate should have.
    programme
        Id of the programme the position belongs to, if any.
    open_ended
        A job without a fixed end: ``duration.maximum`` does not bound the
        stay (only its minimum, e.g. a probation, does); the stay then ends
        where the candidate's longest stay, the programme's bounds or the
        candidate's availability end it.
    segments
        A hybrid stay in any number of alternating on-site and remote
        segments, on-site ones at the position's location or their own (a
        campus block in Singapore, then classes at the Base in Chongqing);
        only for hybrid positions, instead of ``hybrid``. See
        :meth:`stay_segments`.
    other_modes
        Further modes the position may be carried out in (e.g. "remote or on
        site depending on each country's measures", WiseNet Asia-SUSS MOU,
        2020-10-26); empty for a position with one mode. The matcher makes
        one option per allowed mode, each assessed on its own
        (:meth:`in_mode`), and they share the seats (decision 0019).

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.models import Duration, DurationBounds, DurationUnit, Location
    >>> months = DurationBounds(Duration(3, DurationUnit.MONTHS), Duration(6, DurationUnit.MONTHS))
    >>> pos = Position("p1", "h1", "Analyst", frozenset(), 1, Mode.ON_SITE, Location("MY"),
    ...     StartDates((date(2021, 1, 4),)), months,
    ...     other_modes=frozenset({Mode.REMOTE}))
    >>> [m.value for m in pos.modes]
    ['on_site', 'remote']
    >>> pos.in_mode(Mode.REMOTE).modes
    (<Mode.REMOTE: 'remote'>,)
    """

    id: str = attrs.field(validator=v.identifier)
    host: str = attrs.field(validator=v.identifier)
    title: str = attrs.field(validator=v.text)
    fields: frozenset[str] = attrs.field(converter=v.to_frozenset, validator=tags)
    seats: int = attrs.field(validator=[v.instance_of(int), v.positive])
    mode: Mode = attrs.field(validator=v.instance_of(Mode))
    location: Location = attrs.field(validator=v.instance_of(Location))
    starts: StartRule = attrs.field(validator=v.instance_of((StartDates, StartWindow)))
    duration: DurationBounds = attrs.field(validator=v.instance_of(DurationBounds))
    hours_per_week: Decimal = attrs.field(
        default=Decimal(40), converter=v.to_decimal, validator=_hours
    )
    hybrid: HybridSplit | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(HybridSplit))
    )
    allowance: Allowance | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Allowance))
    )
    housing_cover: bool = attrs.field(default=False, validator=v.instance_of(bool))
    candidate_preferences: Ranking | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Ranking))
    )
    required_skills: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=tags
    )
    languages: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=tags
    )
    programme: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    open_ended: bool = attrs.field(default=False, validator=v.instance_of(bool))
    segments: SegmentPlan | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(SegmentPlan))
    )
    other_modes: frozenset[Mode] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(Mode)
    )

    def __attrs_post_init__(self) -> None:
        v.check(
            self.mode not in self.other_modes,
            "other_modes",
            f"repeats the position's mode {self.mode.value}",
        )
        if Mode.HYBRID in self.modes:
            v.check(
                (self.hybrid is None) != (self.segments is None),
                "hybrid",
                "a hybrid position needs its split or its segments (one of the two)",
            )
        else:
            v.check(
                self.hybrid is None,
                "hybrid",
                f"only hybrid positions have a split, not {self.mode.value}",
            )
            v.check(
                self.segments is None,
                "segments",
                f"only hybrid positions have segments, not {self.mode.value}",
            )
        v.check(
            not (self.housing_cover and self.modes == (Mode.REMOTE,)),
            "housing_cover",
            "a remote position has no housing cover",
        )

    @property
    def modes(self) -> tuple[Mode, ...]:
        """Return the allowed modes: :attr:`mode` first, then :attr:`other_modes` in Mode order."""
        return (self.mode, *(m for m in Mode if m in self.other_modes))

    def in_mode(self, mode: Mode) -> Position:
        """Return the position carried out in ``mode`` alone, as the rules assess it.

        The split (or segments) is kept only for hybrid, and the housing cover only for a
        mode that is not remote; a position with one mode is returned as is.

        Raises
        ------
        ModelValidationError
            If ``mode`` is not one of :attr:`modes`.
        """
        allowed = ", ".join(m.value for m in self.modes)
        v.check(mode in self.modes, "mode", f"{self.id} is not offered {mode.value} ({allowed})")
        if not self.other_modes:
            return self
        return attrs.evolve(
            self,
            mode=mode,
            other_modes=frozenset(),
            hybrid=self.hybrid if mode is Mode.HYBRID else None,
            segments=self.segments if mode is Mode.HYBRID else None,
            housing_cover=self.housing_cover and mode is not Mode.REMOTE,
        )

    def admits(self, stay: DateRange) -> bool:
        """Return whether ``stay`` fits the position's duration (only its minimum if open-ended).

        A stay too short for every one of the position's segments has no
        room for the last and is not admitted either.
        """
        if self.segments is not None and not self.segments.fits(stay):
            return False
        if self.open_ended:
            return self.duration.minimum.end_from(stay.start) <= stay.end
        return self.duration.admits(stay)

    def stay_segments(self, stay: DateRange) -> tuple[StaySegment, ...]:
        """Return ``stay`` as dated segments, on site or remote, in order.

        One on-site segment at the position's location for an on-site
        position, one remote segment for a remote one, the on-site and remote
        parts of a hybrid split, or the segments of :attr:`segments`. The
        segments always partition the stay.
        """
        if self.segments is not None:
            return self.segments.segments_of(stay, self.location)
        if self.mode is Mode.REMOTE:
            return (StaySegment(stay, Mode.REMOTE),)
        if self.mode is Mode.HYBRID and self.hybrid is not None:
            on = self.hybrid.on_site_part(stay)
            parts = [StaySegment(on, Mode.ON_SITE, self.location)]
            if on.start > stay.start:
                parts.insert(0, StaySegment(DateRange(stay.start, on.start), Mode.REMOTE))
            if on.end < stay.end:
                parts.append(StaySegment(DateRange(on.end, stay.end), Mode.REMOTE))
            return tuple(parts)
        return (StaySegment(stay, Mode.ON_SITE, self.location),)

    def start_options(self, window: DateRange) -> tuple[date, ...]:
        """Return the allowed start dates that fall inside ``window``."""
        return tuple(self.starts.candidates_within(window))
