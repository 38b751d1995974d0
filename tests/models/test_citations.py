"""Tests of Citation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from sgcq.models import Citation, Confidence, ModelValidationError

Checker = Callable[..., ModelValidationError]


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("source", ""),
        ("source", None),
        ("date", "2020-05-13"),
        ("detail", None),
        ("confidence", "high"),
    ],
)
def test_citation_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """Each bad field of a Citation is refused with its path."""
    kwargs: dict[str, Any] = {"source": "NTU press release", "date": date(2020, 5, 13), field: bad}
    assert_invalid(lambda: Citation(**kwargs), field)


def test_citation_str_follows_the_project_form() -> None:
    """str gives 'source: <release>, <date> (detail)'."""
    c = Citation("NIA 12 measures", date(2019, 8, 1), "measure 11", Confidence.HIGH)
    assert str(c) == "source: NIA 12 measures, 2019-08-01 (measure 11)"
