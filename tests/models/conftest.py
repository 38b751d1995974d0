"""Fixtures for the model tests: valid constructor arguments and an invalid-value checker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from sgcq.models import (
    Allowance,
    DateRange,
    Duration,
    DurationBounds,
    DurationUnit,
    Location,
    Mode,
    ModelValidationError,
    Money,
    Role,
    StartDates,
    StudyStatus,
)

Checker = Callable[..., ModelValidationError]


def _assert_invalid(make: Callable[[], object], path: str, match: str = "") -> ModelValidationError:
    with pytest.raises(ModelValidationError) as info:
        make()
    assert info.value.paths == (path,), str(info.value)
    assert match in str(info.value)
    return info.value


@pytest.fixture
def assert_invalid() -> Checker:
    """Call ``make`` and check it raises one ModelValidationError at exactly ``path``."""
    return _assert_invalid


def months(n: int) -> Duration:
    """A duration of ``n`` calendar months."""
    return Duration(n, DurationUnit.MONTHS)


@pytest.fixture
def candidate_kwargs() -> dict[str, Any]:
    """Arguments of a valid Candidate."""
    return {
        "id": "c0",
        "university": "u0",
        "nationalities": frozenset({"SG"}),
        "study": StudyStatus(enrolled_full_time_until=date(2021, 5, 31)),
        "discipline": "computer-science",
        "available": DateRange(date(2020, 7, 1), date(2021, 6, 1)),
        "duration": DurationBounds(months(3), months(6)),
        "modes": frozenset({Mode.ON_SITE}),
        "date_of_birth": date(2000, 2, 29),
        "name": "Tan Ah Kow",
    }


@pytest.fixture
def position_kwargs() -> dict[str, Any]:
    """Arguments of a valid on-site Position."""
    return {
        "id": "p0",
        "host": "h0",
        "title": "Data intern",
        "fields": frozenset({"big-data"}),
        "seats": 2,
        "mode": Mode.ON_SITE,
        "location": Location("CN", "Chongqing"),
        "starts": StartDates((date(2020, 9, 1),)),
        "duration": DurationBounds(months(3), months(6)),
        "hours_per_week": Decimal(40),
        "allowance": Allowance(Money("3000", "CNY"), "h0"),
        "housing_cover": True,
    }


@pytest.fixture
def organisation_kwargs() -> dict[str, Any]:
    """Arguments of a valid Organisation."""
    return {
        "id": "ntu",
        "name": "Nanyang Technological University",
        "roles": frozenset({Role.SENDING_UNIVERSITY}),
        "location": Location("SG", "Singapore"),
    }
