"""Tests of stays in segments: SegmentSpec, SegmentPlan, StaySegment and Position.stay_segments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgcq.models import (
    DateRange,
    Duration,
    DurationBounds,
    DurationUnit,
    HybridSplit,
    Location,
    Mode,
    ModelValidationError,
    Position,
    SegmentPlan,
    SegmentSpec,
    StartDates,
    StaySegment,
)

Checker = Callable[..., ModelValidationError]

SG = Location("SG", "Singapore")
CQ = Location("CN", "Chongqing")
WEEKS2 = Duration(2, DurationUnit.WEEKS)


def _plan() -> SegmentPlan:
    return SegmentPlan(
        (
            SegmentSpec(Mode.ON_SITE, WEEKS2, SG),
            SegmentSpec(Mode.REMOTE, Duration(1, DurationUnit.MONTHS)),
            SegmentSpec(Mode.ON_SITE),
        )
    )


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda: SegmentSpec(Mode.HYBRID), "mode"),
        (lambda: SegmentSpec(Mode.REMOTE, WEEKS2, SG), "location"),
        (lambda: SegmentPlan((SegmentSpec(Mode.ON_SITE),)), "segments"),
        (
            lambda: SegmentPlan((SegmentSpec(Mode.ON_SITE), SegmentSpec(Mode.REMOTE))),
            "segments[0].length",
        ),
        (
            lambda: SegmentPlan(
                (SegmentSpec(Mode.ON_SITE, WEEKS2), SegmentSpec(Mode.REMOTE, WEEKS2))
            ),
            "segments[1].length",
        ),
        (
            lambda: SegmentPlan((SegmentSpec(Mode.REMOTE, WEEKS2), SegmentSpec(Mode.REMOTE))),
            "segments",
        ),
        (
            lambda: SegmentPlan(
                (SegmentSpec(Mode.ON_SITE, WEEKS2, SG), SegmentSpec(Mode.ON_SITE, location=SG))
            ),
            "segments[1]",
        ),
        (
            lambda: StaySegment(DateRange(date(2021, 1, 1), date(2021, 2, 1)), Mode.ON_SITE),
            "location",
        ),
        (
            lambda: StaySegment(DateRange(date(2021, 1, 1), date(2021, 2, 1)), Mode.REMOTE, SG),
            "location",
        ),
    ],
)
def test_bad_segments_are_refused_with_their_path(
    make: Callable[[], object], path: str, assert_invalid: Checker
) -> None:
    """Hybrid segments, located remote ones, missing or extra lengths, alike neighbours fail."""
    assert_invalid(make, path)


def test_plan_dates_its_segments_from_the_stay_start() -> None:
    """Two weeks on the campus, a month remote, the rest at the position's location."""
    stay = DateRange(date(2021, 3, 1), date(2021, 6, 1))
    segs = _plan().segments_of(stay, CQ)
    assert [(str(s.days), s.mode, s.country) for s in segs] == [
        ("[2021-03-01, 2021-03-15)", Mode.ON_SITE, "SG"),
        ("[2021-03-15, 2021-04-15)", Mode.REMOTE, None),
        ("[2021-04-15, 2021-06-01)", Mode.ON_SITE, "CN"),
    ]
    assert _plan().fits(stay)


def test_a_stay_too_short_for_the_last_segment_does_not_fit() -> None:
    """A stay ending inside the remote month is truncated there and not admitted."""
    stay = DateRange(date(2021, 3, 1), date(2021, 4, 1))
    segs = _plan().segments_of(stay, CQ)
    assert [s.mode for s in segs] == [Mode.ON_SITE, Mode.REMOTE]
    assert segs[-1].days.end == stay.end
    assert not _plan().fits(stay)
    exact = DateRange(date(2021, 3, 1), date(2021, 4, 15))  # the last segment would be empty
    assert not _plan().fits(exact)


_KINDS: tuple[tuple[Mode, Location | None], ...] = (
    (Mode.ON_SITE, None),
    (Mode.REMOTE, None),
    (Mode.ON_SITE, SG),
    (Mode.ON_SITE, CQ),
)


@st.composite
def _plans(draw: Any) -> SegmentPlan:
    """Plans of 2 to 5 segments; neighbours differ (a step of 1 to 3 through the kinds)."""
    steps = draw(st.lists(st.integers(1, 3), min_size=1, max_size=4))
    kinds = [0]
    for step in steps:
        kinds.append((kinds[-1] + step) % len(_KINDS))
    lengths = draw(
        st.lists(
            st.builds(Duration, st.integers(1, 4), st.sampled_from(list(DurationUnit))),
            min_size=len(steps),
            max_size=len(steps),
        )
    )
    specs = [
        SegmentSpec(_KINDS[k][0], lengths[i] if i < len(steps) else None, _KINDS[k][1])
        for i, k in enumerate(kinds)
    ]
    return SegmentPlan(tuple(specs))


@given(
    plan=_plans(),
    start=st.dates(date(2020, 1, 1), date(2022, 12, 31)),
    days=st.integers(1, 600),
)
def test_segments_partition_the_stay(plan: SegmentPlan, start: date, days: int) -> None:
    """Segments are contiguous, in order, cover the stay exactly; on-site ones have a place."""
    stay = DateRange(start, start + timedelta(days=days))
    segs = plan.segments_of(stay, CQ)
    assert segs[0].days.start == stay.start and segs[-1].days.end == stay.end
    assert all(a.days.end == b.days.start for a, b in pairwise(segs))
    assert sum(s.days.days for s in segs) == stay.days
    assert all((s.location is not None) == s.on_site for s in segs)
    # The plan fits exactly when every segment got a day, the last included.
    assert plan.fits(stay) == (len(segs) == len(plan.segments))


def _position(position_kwargs: dict[str, Any], **changes: Any) -> Position:
    return Position(**{**position_kwargs, "housing_cover": False, **changes})


def test_a_hybrid_position_has_a_split_or_segments(
    position_kwargs: dict[str, Any], assert_invalid: Checker
) -> None:
    """Hybrid needs exactly one of the two; segments belong to hybrid positions only."""
    split = HybridSplit(Decimal("0.5"))
    assert_invalid(lambda: _position(position_kwargs, mode=Mode.HYBRID), "hybrid")
    assert_invalid(
        lambda: _position(position_kwargs, mode=Mode.HYBRID, hybrid=split, segments=_plan()),
        "hybrid",
    )
    assert_invalid(lambda: _position(position_kwargs, segments=_plan()), "segments")
    assert _position(position_kwargs, mode=Mode.HYBRID, segments=_plan()).segments == _plan()


def test_a_position_admits_only_stays_its_segments_fit(position_kwargs: dict[str, Any]) -> None:
    """A stay within the duration bounds but too short for the last segment is not admitted."""
    p = _position(
        position_kwargs,
        mode=Mode.HYBRID,
        segments=SegmentPlan(
            (
                SegmentSpec(Mode.ON_SITE, Duration(3, DurationUnit.MONTHS), SG),
                SegmentSpec(Mode.ON_SITE),
            )
        ),
        duration=DurationBounds(Duration(3, DurationUnit.MONTHS), Duration(6, DurationUnit.MONTHS)),
    )
    assert not p.admits(DateRange.of_months(date(2020, 9, 1), 3))
    assert p.admits(DateRange.of_months(date(2020, 9, 1), 4))


@given(
    mode=st.sampled_from([Mode.ON_SITE, Mode.REMOTE, Mode.HYBRID]),
    share=st.sampled_from(["0.1", "0.25", "0.5", "0.9"]),
    start=st.dates(date(2020, 1, 1), date(2022, 12, 31)),
    days=st.integers(1, 400),
)
def test_every_mode_gives_segments_that_partition_the_stay(
    mode: Mode, share: str, start: date, days: int
) -> None:
    """On-site, remote and split hybrid stays are segments too; on-site days match the split."""
    p = Position(
        "p0",
        "h0",
        "Intern",
        frozenset(),
        1,
        mode,
        CQ,
        StartDates((start,)),
        DurationBounds(Duration(1, DurationUnit.DAYS), Duration(400, DurationUnit.DAYS)),
        hybrid=HybridSplit(Decimal(share)) if mode is Mode.HYBRID else None,
    )
    stay = DateRange(start, start + timedelta(days=days))
    segs = p.stay_segments(stay)
    assert sum(s.days.days for s in segs) == stay.days
    assert all(a.days.end == b.days.start for a, b in pairwise(segs))
    on_site = sum(s.days.days for s in segs if s.on_site)
    if mode is Mode.HYBRID:
        assert p.hybrid is not None
        assert on_site == p.hybrid.on_site_part(stay).days
    else:
        assert on_site == (stay.days if mode is Mode.ON_SITE else 0)
