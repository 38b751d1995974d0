"""Tests of sgcq.testing.strategies._candidates: candidates and study statuses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import find, given, settings
from hypothesis.errors import InvalidArgument

from sgcq.models import Candidate, Mode
from sgcq.testing import strategies as sst

LO, HI = date(2020, 1, 1), date(2020, 12, 31)


@given(
    c=sst.candidates(
        university_ids=["u1"],
        position_ids=["p4"],
        cohort_ids=["k2"],
        modes={Mode.REMOTE},
        min_date=LO,
        max_date=HI,
        personal=False,
        countries=("MY",),
    )
)
def test_candidate_knobs(c: Candidate) -> None:
    """Candidates name only the given ids and modes, within the dates, without personal data."""
    assert c.university == "u1" and set(c.preferences) <= {"p4"} and c.cohort in (None, "k2")
    assert c.modes == {Mode.REMOTE} and c.nationalities == {"MY"}
    assert c.available.start >= LO and c.available.end <= HI
    assert c.name is None and c.date_of_birth is None


SHRINK = settings(database=None, derandomize=True, max_examples=100)


def test_candidates_shrink_to_small_readable_examples() -> None:
    """The smallest candidate ranking two positions has small ids and default-like values."""
    found = find(
        sst.candidates(position_ids=["p0", "p1"]),
        lambda c: len(c.preferences) >= 2,
        settings=SHRINK,
    )
    assert (found.id, found.university) == ("c0", "u0")
    assert found.preferences.as_dict() == {"p0": 1, "p1": 2}
    assert found.modes == {Mode.ON_SITE} and found.name is None and not found.skills


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.candidates(university_ids=()),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()


def test_candidates_draw_documents_within_the_dates() -> None:
    """Candidates hold documents (issued and expiring between the bounds); max_documents=0
    draws none."""
    found = find(sst.candidates(min_date=LO, max_date=HI), lambda c: len(c.documents) >= 2)
    for d in found.documents:
        assert d.kind in sst.DOCUMENT_KINDS
        for day in (d.issued_on, d.expires_on):
            assert day is None or LO <= day <= HI

    @given(c=sst.candidates(max_documents=0))
    def none(c: Candidate) -> None:
        assert c.documents == ()

    none()
    with pytest.raises(InvalidArgument, match="max_documents"):
        sst.candidates(max_documents=-1).example()
