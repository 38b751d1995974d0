"""Placement modes: on site, remote, or hybrid with a split."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

import attrs

from sgcq.models import _validate as v
from sgcq.models.dates import DateRange, Duration
from sgcq.models.parties import Location

__all__ = ["HybridSplit", "Mode", "Phase", "SegmentPlan", "SegmentSpec", "StaySegment"]


class Mode(str, Enum):
    """How a placement is carried out.

    A remote placement needs no visa, travel or housing (source: WiseNet Asia
    remote internship guide, 2020); a hybrid one splits its time between the two
    countries (source: NTU press release, 8 Dec 2020, MiniMasters with hybrid
    classes).
    """

    ON_SITE = "on_site"
    REMOTE = "remote"
    HYBRID = "hybrid"


class Phase(str, Enum):
    """Whether the on-site part of a hybrid stay comes first or last."""

    FIRST = "first"
    LAST = "last"


def _share(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not (Decimal(0) < value < Decimal(1)):
        v.fail(attribute.name, f"must be a Decimal strictly between 0 and 1, got {value!r}")


@attrs.frozen
class HybridSplit:
    """How a hybrid stay divides between on-site and remote time.

    Parameters
    ----------
    on_site_share
        The share of the stay's days spent on site, strictly between 0 and 1.
    on_site_phase
        Whether the on-site days are the first or the last part of the stay.

    Notes
    -----
    The on-site days are ``round_half_up(share * days)``, at least one and at
    most ``days - 1``, so both parts are non-empty.

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.models import DateRange
    >>> split = HybridSplit(Decimal("0.5"))
    >>> str(split.on_site_part(DateRange(date(2021, 1, 1), date(2021, 1, 31))))
    '[2021-01-01, 2021-01-16)'
    """

    on_site_share: Decimal = attrs.field(converter=v.to_decimal, validator=_share)
    on_site_phase: Phase = attrs.field(default=Phase.FIRST, validator=v.instance_of(Phase))

    def on_site_days(self, stay: DateRange) -> int:
        """Return how many days of ``stay`` are on site."""
        if stay.days < 2:
            return stay.days
        raw = (self.on_site_share * stay.days).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return min(max(int(raw), 1), stay.days - 1)

    def on_site_part(self, stay: DateRange) -> DateRange:
        """Return the on-site days of ``stay`` as a range."""
        n = self.on_site_days(stay)
        if self.on_site_phase is Phase.FIRST:
            return DateRange(stay.start, stay.start + timedelta(days=n))
        return DateRange(stay.end - timedelta(days=n), stay.end)


def _segment_mode(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.instance_of(Mode)(_inst, attribute, value)
    v.check(
        value is not Mode.HYBRID,
        attribute.name,
        "a segment is on site or remote; a hybrid stay is made of segments",
    )


@attrs.frozen
class SegmentSpec:
    """One segment of a stay pattern: how it is spent, for how long and where.

    Parameters
    ----------
    mode
        On site or remote (never hybrid).
    length
        How long the segment lasts, counted from its own start; ``None`` for
        the last segment of a :class:`SegmentPlan`, which runs to the stay's end.
    location
        Where an on-site segment is spent, if not at the position's location
        (e.g. the NTU campus in Singapore for a course held at the Base in
        Chongqing); remote segments have none.
    """

    mode: Mode = attrs.field(validator=_segment_mode)
    length: Duration | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Duration))
    )
    location: Location | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Location))
    )

    def __attrs_post_init__(self) -> None:
        v.check(
            not (self.mode is Mode.REMOTE and self.location is not None),
            "location",
            "a remote segment has no location",
        )


@attrs.frozen
class StaySegment:
    """One dated segment of a stay.

    Parameters
    ----------
    days
        The segment's half-open days.
    mode
        On site or remote.
    location
        Where an on-site segment is spent; ``None`` for a remote one.
    """

    days: DateRange = attrs.field(validator=v.instance_of(DateRange))
    mode: Mode = attrs.field(validator=_segment_mode)
    location: Location | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Location))
    )

    def __attrs_post_init__(self) -> None:
        v.check(
            (self.mode is Mode.ON_SITE) == (self.location is not None),
            "location",
            "an on-site segment has a location and a remote one has none",
        )

    @property
    def on_site(self) -> bool:
        """Whether the segment is spent on site."""
        return self.mode is Mode.ON_SITE

    @property
    def country(self) -> str | None:
        """The country of an on-site segment, ``None`` for a remote one."""
        return self.location.country if self.location is not None else None


def _specs(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(SegmentSpec)(_inst, attribute, value)
    v.check(len(value) >= 2, attribute.name, "a segment plan needs at least two segments")
    for i, spec in enumerate(value[:-1]):
        v.check(
            spec.length is not None,
            f"{attribute.name}[{i}].length",
            "every segment but the last needs a length",
        )
    v.check(
        value[-1].length is None,
        f"{attribute.name}[{len(value) - 1}].length",
        "the last segment runs to the stay's end and has no length",
    )
    v.check(
        any(spec.mode is Mode.ON_SITE for spec in value),
        attribute.name,
        "a segment plan needs at least one on-site segment (else the position is remote)",
    )
    for i in range(1, len(value)):
        a, b = value[i - 1], value[i]
        v.check(
            (a.mode, a.location) != (b.mode, b.location),
            f"{attribute.name}[{i}]",
            "two adjacent segments are alike; join them into one",
        )


@attrs.frozen
class SegmentPlan:
    """A hybrid stay as a sequence of alternating on-site and remote segments.

    The NTU China (West) Base's MiniMasters holds its classes both at the NTU
    campus in Singapore and at the Base in Chongqing (source: NTU press
    release, 8 Dec 2020): a participant may spend a block on one campus,
    follow classes remotely, then spend a block on the other. Each segment is
    assessed in its own country and only on-site segments count for housing.

    Parameters
    ----------
    segments
        At least two; each but the last has a length; the last runs to the
        stay's end; adjacent segments differ in mode or location.

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.models import DateRange, Duration, DurationUnit, Location
    >>> plan = SegmentPlan((
    ...     SegmentSpec(Mode.ON_SITE, Duration(2, DurationUnit.WEEKS), Location("SG")),
    ...     SegmentSpec(Mode.REMOTE, Duration(1, DurationUnit.MONTHS)),
    ...     SegmentSpec(Mode.ON_SITE)))
    >>> for s in plan.segments_of(DateRange(date(2021, 3, 1), date(2021, 6, 1)), Location("CN")):
    ...     print(s.days, s.mode.value, s.country)
    [2021-03-01, 2021-03-15) on_site SG
    [2021-03-15, 2021-04-15) remote None
    [2021-04-15, 2021-06-01) on_site CN
    """

    segments: tuple[SegmentSpec, ...] = attrs.field(converter=v.to_tuple, validator=_specs)

    def fits(self, stay: DateRange) -> bool:
        """Return whether every segment, the last included, has at least one day of ``stay``."""
        end = stay.start
        for spec in self.segments:
            if spec.length is not None:  # every segment but the last
                end = spec.length.end_from(end)
        return end < stay.end

    def segments_of(self, stay: DateRange, location: Location) -> tuple[StaySegment, ...]:
        """Return the dated segments of ``stay``, on-site ones at ``location`` unless they say.

        The segments partition the stay: they are contiguous, in order, and
        cover it exactly. A stay too short for the plan (see :meth:`fits`)
        ends in the segment it stops in, and the later segments are left out.
        """
        out: list[StaySegment] = []
        start = stay.start
        for spec in self.segments:
            end = stay.end if spec.length is None else min(spec.length.end_from(start), stay.end)
            where = (spec.location or location) if spec.mode is Mode.ON_SITE else None
            out.append(StaySegment(DateRange(start, end), spec.mode, where))
            start = end
            if start >= stay.end:
                break
        return tuple(out)
