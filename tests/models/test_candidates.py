"""Tests of Candidate, StudyStatus and personal-data redaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given

from sgcq.models import (
    Candidate,
    ModelValidationError,
    Ranking,
    StudyStatus,
    personal_fields,
)
from sgcq.testing import strategies as sst

Checker = Callable[..., ModelValidationError]


@pytest.mark.parametrize(
    ("field", "bad", "path"),
    [
        ("id", "c 1", "id"),
        ("university", "", "university"),
        ("nationalities", frozenset(), "nationalities"),
        ("nationalities", frozenset({"sg"}), "nationalities"),
        ("nationalities", "SG", "nationalities"),
        ("study", None, "study"),
        ("discipline", " ", "discipline"),
        ("available", (date(2020, 1, 1), date(2020, 2, 1)), "available"),
        ("duration", 6, "duration"),
        ("modes", frozenset(), "modes"),
        ("modes", frozenset({"on_site"}), "modes[0]"),
        ("date_of_birth", datetime(2000, 1, 1), "date_of_birth"),
        ("name", "", "name"),
        ("skills", frozenset({"Big Data"}), "skills"),
        ("languages", frozenset({"EN"}), "languages"),
        ("preferences", {"p0": 1}, "preferences"),
        ("schemes_used", frozenset({1}), "schemes_used[0]"),
        ("priority", 0, "priority"),
        ("priority", True, "priority"),
        ("cohort", "bad cohort", "cohort"),
        ("affiliation", "bad id", "affiliation"),
        ("university", None, "university"),  # and no affiliation either
    ],
)
def test_candidate_invalid_field(
    field: str,
    bad: Any,
    path: str,
    candidate_kwargs: dict[str, Any],
    assert_invalid: Checker,
) -> None:
    """Each bad field of a Candidate is refused with its path."""
    candidate_kwargs[field] = bad
    assert_invalid(lambda: Candidate(**candidate_kwargs), path)


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("enrolled_full_time_until", "2021-05-31"),
        ("graduated_on", datetime(2021, 5, 31)),
        ("level", ""),
    ],
)
def test_study_status_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """Each bad field of a StudyStatus is refused with its path."""
    kwargs: dict[str, Any] = {"enrolled_full_time_until": date(2021, 5, 31), field: bad}
    assert_invalid(lambda: StudyStatus(**kwargs), field)


def test_study_status_needs_a_date(assert_invalid: Checker) -> None:
    """Neither enrolment nor graduation is refused."""
    assert_invalid(lambda: StudyStatus(), "enrolled_full_time_until", "graduated_on")


def test_is_student_up_to_and_including_the_enrolment_end() -> None:
    """The enrolment end date is inclusive; a graduate only is not a student."""
    s = StudyStatus(enrolled_full_time_until=date(2021, 5, 31))
    assert s.is_student_on(date(2021, 5, 31)) and not s.is_student_on(date(2021, 6, 1))
    assert not StudyStatus(graduated_on=date(2020, 6, 1)).is_student_on(date(2020, 1, 1))


def test_age_on_counts_whole_years_including_leap_birthdays(
    candidate_kwargs: dict[str, Any],
) -> None:
    """Born 2000-02-29: 17 on 2018-02-28, 18 on 2018-03-01; no birth date gives None."""
    c = Candidate(**candidate_kwargs)
    assert c.age_on(date(2018, 2, 28)) == 17
    assert c.age_on(date(2018, 3, 1)) == 18
    assert Candidate(**{**candidate_kwargs, "date_of_birth": None}).age_on(date(2020, 1, 1)) is None


def test_personal_fields_are_marked() -> None:
    """Name, date of birth and nationalities are the personal fields."""
    assert sorted(personal_fields(Candidate)) == ["date_of_birth", "name", "nationalities"]


@given(c=sst.candidates(position_ids=["p0", "p1"]))
def test_personal_fields_never_appear_in_repr(c: Candidate) -> None:
    """repr shows <redacted> for name, date of birth, nationalities and documents' dates."""
    text = repr(c)
    # Each document's two dates are redacted (their values may equal other, public dates).
    assert text.count("<redacted>") == 3 + 2 * len(c.documents)
    if c.name is not None:
        assert repr(c.name) not in text
    if c.date_of_birth is not None:
        assert repr(c.date_of_birth) not in text
    for country in c.nationalities:
        assert repr(country) not in text


def test_repr_of_a_known_candidate_hides_the_name(candidate_kwargs: dict[str, Any]) -> None:
    """The example from the docs: 'Tan' and the birth date do not show."""
    text = repr(Candidate(**candidate_kwargs))
    assert "Tan" not in text and "2000" not in text and "'SG'" not in text
    assert "c0" in text


def test_redacted_copy_blanks_personal_data(candidate_kwargs: dict[str, Any]) -> None:
    """redacted() keeps the candidate valid but drops name, birth date and nationality."""
    c = Candidate(**candidate_kwargs).redacted()
    assert c.name is None and c.date_of_birth is None and c.nationalities == {"ZZ"}


def test_preferences_default_to_an_empty_ranking(candidate_kwargs: dict[str, Any]) -> None:
    """A candidate without preferences has an empty Ranking, so finds everything unacceptable."""
    assert Candidate(**candidate_kwargs).preferences == Ranking()


def test_a_participant_may_come_from_an_employer_or_government_body_only(
    candidate_kwargs: dict[str, Any],
) -> None:
    """Without a university the affiliation is the sending party; with both, the university."""
    official = Candidate(**{**candidate_kwargs, "university": None, "affiliation": "ydpg"})
    assert official.university is None and official.sending_party == "ydpg"
    both = Candidate(**{**candidate_kwargs, "affiliation": "acme"})
    assert both.sending_party == candidate_kwargs["university"]
