"""Tests of Position, Allowance and the start rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

from sgcq.models import (
    Allowance,
    DateRange,
    HybridSplit,
    Mode,
    ModelValidationError,
    Money,
    Position,
    Ranking,
    StartDates,
    StartWindow,
)
from sgcq.testing import strategies as sst

Checker = Callable[..., ModelValidationError]


@pytest.mark.parametrize(
    ("field", "bad", "path"),
    [
        ("id", "", "id"),
        ("host", "h 0", "host"),
        ("title", "", "title"),
        ("fields", frozenset({"Big Data"}), "fields"),
        ("seats", 0, "seats"),
        ("seats", -1, "seats"),
        ("seats", "2", "seats"),
        ("seats", True, "seats"),
        ("mode", "on_site", "mode"),
        ("location", "CN", "location"),
        ("starts", date(2020, 9, 1), "starts"),
        ("duration", None, "duration"),
        ("hours_per_week", Decimal(0), "hours_per_week"),
        ("hours_per_week", Decimal(85), "hours_per_week"),
        ("hours_per_week", 40.0, "hours_per_week"),
        ("allowance", Money(3000, "CNY"), "allowance"),
        ("housing_cover", "yes", "housing_cover"),
        ("candidate_preferences", {"c0": 1}, "candidate_preferences"),
        ("required_skills", frozenset({"SQL"}), "required_skills"),
        ("languages", frozenset({"E N"}), "languages"),
        ("programme", "", "programme"),
    ],
)
def test_position_invalid_field(
    field: str, bad: Any, path: str, position_kwargs: dict[str, Any], assert_invalid: Checker
) -> None:
    """Each bad field of a Position is refused with its path."""
    position_kwargs[field] = bad
    assert_invalid(lambda: Position(**position_kwargs), path)


def test_hybrid_position_without_split_is_refused(
    position_kwargs: dict[str, Any], assert_invalid: Checker
) -> None:
    """Mode hybrid needs a HybridSplit."""
    position_kwargs["mode"] = Mode.HYBRID
    assert_invalid(lambda: Position(**position_kwargs), "hybrid", "needs its split")


def test_split_on_a_non_hybrid_position_is_refused(
    position_kwargs: dict[str, Any], assert_invalid: Checker
) -> None:
    """Only hybrid positions carry a split."""
    position_kwargs["hybrid"] = HybridSplit(Decimal("0.5"))
    assert_invalid(lambda: Position(**position_kwargs), "hybrid", "only hybrid")


def test_remote_position_with_housing_cover_is_refused(
    position_kwargs: dict[str, Any], assert_invalid: Checker
) -> None:
    """A remote position has no housing (source: WiseNet remote internship guide, 2020)."""
    position_kwargs["mode"] = Mode.REMOTE
    assert_invalid(lambda: Position(**position_kwargs), "housing_cover", "remote")


def test_other_modes_may_not_repeat_the_mode(
    position_kwargs: dict[str, Any], assert_invalid: Checker
) -> None:
    """The position's mode is not listed again among its other modes."""
    position_kwargs["other_modes"] = frozenset({position_kwargs["mode"]})
    assert_invalid(lambda: Position(**position_kwargs), "other_modes", "repeats")


def test_a_hybrid_other_mode_needs_its_split(
    position_kwargs: dict[str, Any], assert_invalid: Checker
) -> None:
    """A position that may also be hybrid needs the hybrid split."""
    position_kwargs["mode"] = Mode.ON_SITE
    position_kwargs["other_modes"] = frozenset({Mode.HYBRID})
    assert_invalid(lambda: Position(**position_kwargs), "hybrid", "needs its split")


def test_in_mode_gives_a_one_mode_position(position_kwargs: dict[str, Any]) -> None:
    """Each allowed mode's view has that mode alone; remote drops the split and the cover."""
    position_kwargs.update(
        mode=Mode.ON_SITE,
        other_modes=frozenset({Mode.REMOTE, Mode.HYBRID}),
        hybrid=HybridSplit(Decimal("0.5")),
        housing_cover=True,
    )
    pos = Position(**position_kwargs)
    assert pos.modes == (Mode.ON_SITE, Mode.REMOTE, Mode.HYBRID)
    remote = pos.in_mode(Mode.REMOTE)
    assert (remote.modes, remote.hybrid, remote.housing_cover) == ((Mode.REMOTE,), None, False)
    on_site = pos.in_mode(Mode.ON_SITE)
    assert (on_site.hybrid, on_site.housing_cover) == (None, True)
    assert pos.in_mode(Mode.HYBRID).hybrid == HybridSplit(Decimal("0.5"))


def test_in_mode_refuses_a_mode_not_offered(
    position_kwargs: dict[str, Any], assert_invalid: Checker
) -> None:
    """Asking for a mode the position is not open in names the field."""
    position_kwargs["mode"] = Mode.ON_SITE
    pos = Position(**position_kwargs)
    assert_invalid(lambda: pos.in_mode(Mode.REMOTE), "mode", "not offered")


@pytest.mark.parametrize(
    ("field", "bad", "path"),
    [
        ("monthly", Money(-1, "SGD"), "monthly"),
        ("monthly", Decimal(1000), "monthly"),
        ("payer", "", "payer"),
    ],
)
def test_allowance_invalid_field(field: str, bad: Any, path: str, assert_invalid: Checker) -> None:
    """A negative or currency-less allowance, or a bad payer id, is refused."""
    kwargs: dict[str, Any] = {"monthly": Money(1000, "SGD"), "payer": "h0", field: bad}
    assert_invalid(lambda: Allowance(**kwargs), path)


@pytest.mark.parametrize(
    "bad",
    [(), (date(2020, 9, 1), date(2020, 9, 1)), ("2020-09-01",), date(2020, 9, 1)],
)
def test_start_dates_invalid(bad: Any) -> None:
    """Start dates must be a non-empty tuple of distinct dates."""
    with pytest.raises(ModelValidationError) as info:
        StartDates(bad)
    assert all(p.startswith("dates") for p in info.value.paths)


def test_start_window_invalid(assert_invalid: Checker) -> None:
    """A start window needs a DateRange and a bool."""
    assert_invalid(lambda: StartWindow((date(2020, 1, 1), date(2020, 2, 1))), "window")  # type: ignore[arg-type]
    w = DateRange(date(2020, 1, 1), date(2020, 2, 1))
    assert_invalid(lambda: StartWindow(w, "yes"), "first_of_month")  # type: ignore[arg-type]


def test_start_options_within_a_window() -> None:
    """First-of-month windows give the firsts inside both windows; daily ones every day."""
    w = StartWindow(DateRange(date(2020, 7, 15), date(2020, 10, 2)))
    avail = DateRange(date(2020, 8, 1), date(2021, 1, 1))
    assert list(w.candidates_within(avail)) == [
        date(2020, 8, 1),
        date(2020, 9, 1),
        date(2020, 10, 1),
    ]
    daily = StartWindow(DateRange(date(2020, 7, 30), date(2020, 8, 3)), first_of_month=False)
    assert len(list(daily.candidates_within(avail))) == 2
    assert list(w.candidates_within(DateRange(date(2021, 1, 1), date(2021, 2, 1)))) == []
    assert StartDates((date(2020, 9, 1), date(2020, 7, 1))).dates[0] == date(2020, 7, 1)


@given(p=sst.positions(candidate_ids=["c0", "c1"]), window=sst.date_ranges())
def test_start_options_lie_in_the_window(p: Position, window: DateRange) -> None:
    """Every start option is in the asked window and allowed by the position's rule."""
    for d in p.start_options(window):
        assert d in window
        if isinstance(p.starts, StartDates):
            assert d in p.starts.dates
        else:
            assert d in p.starts.window
            assert d.day == 1 or not p.starts.first_of_month
    assert p.candidate_preferences is None or isinstance(p.candidate_preferences, Ranking)
