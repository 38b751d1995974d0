"""Strategies for candidates and their study status (:mod:`sgcq.models.candidates`).

The tag constants live here, as the models' tag validation does; positions
and cohorts draw their fields, skills and languages from them too.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from hypothesis import strategies as st

from sgcq.models import Candidate, Document, Mode, StudyStatus
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE, date_ranges, duration_bounds
from sgcq.testing.strategies._draws import in_order, maybe, subset
from sgcq.testing.strategies._knobs import cached, check_dates, require
from sgcq.testing.strategies._parties import COUNTRIES
from sgcq.testing.strategies._preferences import rankings
from sgcq.testing.strategies._text import identifiers, names

__all__ = [
    "DOCUMENT_KINDS",
    "FIELD_TAGS",
    "LANGUAGE_TAGS",
    "SKILL_TAGS",
    "candidates",
    "documents",
    "study_statuses",
]

#: Field tags positions, disciplines and field quotas are drawn with (areas named in the sources).
FIELD_TAGS: tuple[str, ...] = (
    "ai",
    "big-data",
    "software",
    "accountancy",
    "fashion",
    "arts",
    "green-tech",
)
#: Skill tags candidates and positions are drawn with.
SKILL_TAGS: tuple[str, ...] = ("python", "sql", "excel", "design", "mandarin")
#: Language tags.
LANGUAGE_TAGS: tuple[str, ...] = ("en", "zh", "ms", "ta")
#: Document kinds documents are drawn with (the routes' materials and a passport).
DOCUMENT_KINDS: tuple[str, ...] = (
    "passport",
    "face_to_face_application_registration_form",
    "company_invitation_letter",
    "other_application_materials",
    "work_permit_notification",
)


@st.composite
def _documents(draw: st.DrawFn, kinds: tuple[str, ...], min_date: date, max_date: date) -> Document:
    issued = draw(maybe(st.dates(min_date, max_date)))
    low = issued or min_date
    expires = draw(maybe(st.dates(low, max(low, max_date))))
    return Document(draw(st.sampled_from(kinds)), issued, expires)


def documents(
    *,
    kinds: Sequence[str] = DOCUMENT_KINDS,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
) -> st.SearchStrategy[Document]:
    """Documents of the given kinds, issued and expiring (each maybe) between the bounds.

    Parameters
    ----------
    kinds
        The kinds drawn from (at least one).
    min_date, max_date
        Bounds of the issue and expiry dates; the expiry is never before the issue.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(documents(kinds=["passport"]))
    ... def test_kind(d):
    ...     assert d.kind == "passport"
    >>> test_kind()
    """
    require(bool(kinds), "give at least one document kind")
    check_dates(min_date, max_date, room=1)
    return _documents(tuple(kinds), min_date, max_date)


@cached
@st.composite
def _study_statuses(draw: st.DrawFn, min_date: date, max_date: date) -> StudyStatus:
    which = draw(st.sampled_from(("enrolled", "graduated", "both")))
    day = st.dates(min_date, max_date)
    return StudyStatus(
        enrolled_full_time_until=draw(day) if which != "graduated" else None,
        graduated_on=draw(day) if which != "enrolled" else None,
        level=draw(st.sampled_from(("undergraduate", "masters", "diploma"))),
    )


@cached
def study_statuses(
    *, min_date: date = MIN_DATE, max_date: date = MAX_DATE
) -> st.SearchStrategy[StudyStatus]:
    """Study statuses with an enrolment end, a graduation date, or both.

    Parameters
    ----------
    min_date, max_date
        Bounds of both dates.
    """
    check_dates(min_date, max_date)
    return _study_statuses(min_date, max_date)


@cached
@st.composite
def _candidates(
    draw: st.DrawFn,
    id: str | None,
    university_ids: tuple[str, ...],
    position_ids: tuple[str, ...],
    cohort_ids: tuple[str, ...],
    modes: tuple[Mode, ...],
    countries: tuple[str, ...],
    min_date: date,
    max_date: date,
    max_ties: int,
    personal: bool,
    max_documents: int,
) -> Candidate:
    return Candidate(
        id=draw(identifiers("c")) if id is None else id,
        university=draw(st.sampled_from(university_ids)),
        nationalities=draw(st.frozensets(st.sampled_from(countries), min_size=1, max_size=2)),
        study=draw(study_statuses(min_date=min_date, max_date=max_date)),
        discipline=draw(st.sampled_from(FIELD_TAGS)),
        available=draw(date_ranges(min_date=min_date, max_date=max_date)),
        duration=draw(duration_bounds(max_value=6)),
        modes=draw(st.frozensets(st.sampled_from(modes), min_size=1)),
        date_of_birth=draw(maybe(st.dates(date(1990, 1, 1), date(2006, 12, 31))))
        if personal
        else None,
        name=draw(maybe(names())) if personal else None,
        skills=draw(subset(SKILL_TAGS)),
        languages=draw(subset(LANGUAGE_TAGS)),
        preferences=draw(rankings(position_ids, max_ties=max_ties)),
        schemes_used=draw(subset(("yes", "twp", "whp"))),
        priority=draw(st.integers(1, 5)),
        cohort=draw(maybe(st.sampled_from(cohort_ids))) if cohort_ids else None,
        documents=tuple(
            draw(st.lists(documents(min_date=min_date, max_date=max_date), max_size=max_documents))
        ),
    )


@cached
def candidates(
    *,
    id: str | None = None,
    university_ids: Sequence[str] = ("u0",),
    position_ids: Sequence[str] = (),
    cohort_ids: Sequence[str] = (),
    modes: Collection[Mode] = tuple(Mode),
    countries: Sequence[str] = COUNTRIES,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    max_ties: int = 3,
    personal: bool = True,
    max_documents: int = 3,
) -> st.SearchStrategy[Candidate]:
    """Candidates whose references point only at the given ids.

    Parameters
    ----------
    id
        A fixed id; ``None`` draws ``"c0"``..``"c9"``.
    university_ids
        Sending universities the candidate may come from (at least one).
    position_ids
        Positions the candidate may rank; none gives an empty ranking.
    cohort_ids
        Cohorts the candidate may belong to; the cohort may also be left out.
    modes
        Modes the accepted modes are drawn from.
    countries
        Nationalities are drawn from these.
    min_date, max_date
        Bounds of the availability window and the study dates.
    max_ties
        The most positions that share a rank.
    personal
        Whether to draw a name and a date of birth (born 1990 to 2006,
        whatever ``min_date`` and ``max_date`` say).
    max_documents
        The most documents drawn (:func:`documents`, dated between
        ``min_date`` and ``max_date``); 0 for none, the documents unknown.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(candidates(university_ids=["u0"], position_ids=["p0", "p1"]))
    ... def test_refs(c):
    ...     assert c.university == "u0" and set(c.preferences) <= {"p0", "p1"}
    >>> test_refs()
    """
    require(bool(university_ids), "give at least one university id")
    require(bool(modes), "give at least one mode")
    require(bool(countries), "give at least one country")
    check_dates(min_date, max_date, room=1)
    require(max_documents >= 0, f"max_documents must not be negative, got {max_documents}")
    return _candidates(
        id,
        tuple(university_ids),
        tuple(dict.fromkeys(position_ids)),
        tuple(cohort_ids),
        in_order(Mode, modes),
        tuple(countries),
        min_date,
        max_date,
        max_ties,
        personal,
        max_documents,
    )
