"""Candidates: the students and graduates who apply to a programme."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from enum import Enum
from typing import Any

import attrs

from sgcq.models import _validate as v
from sgcq.models._personal import PERSONAL, quiet, redacted_repr
from sgcq.models.dates import DateRange, DurationBounds
from sgcq.models.modes import Mode
from sgcq.models.parties import country_code
from sgcq.models.preferences import Ranking

__all__ = [
    "Candidate",
    "Degree",
    "Document",
    "StudyStatus",
    "personal_fields",
]


class Degree(str, Enum):
    """The highest qualification a candidate holds, for the work routes.

    The routes compare levels (:attr:`level`): China's work permit asks for a
    bachelor's degree or higher, Singapore's Employment Pass for acceptable
    qualifications such as a good university degree.
    """

    SECONDARY = "secondary"
    DIPLOMA = "diploma"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def level(self) -> int:
        """The degree's rank, 0 (secondary) to 4 (doctorate)."""
        return list(Degree).index(self)


@attrs.frozen
class StudyStatus:
    """Where a candidate is in their studies.

    Parameters
    ----------
    enrolled_full_time_until
        The last day of full-time enrolment (inclusive), if enrolled.
    graduated_on
        The graduation date, if graduated.
    level
        Free text such as ``"undergraduate"`` or ``"masters"``.

    Notes
    -----
    At least one of the dates must be given. A candidate may have both (a
    graduate enrolled again); rules ask :meth:`is_student_on`.
    """

    enrolled_full_time_until: date | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(date))
    )
    graduated_on: date | None = attrs.field(default=None, validator=v.optional(v.instance_of(date)))
    level: str = attrs.field(default="undergraduate", validator=v.text)

    def __attrs_post_init__(self) -> None:
        v.check(
            self.enrolled_full_time_until is not None or self.graduated_on is not None,
            "enrolled_full_time_until",
            "give enrolled_full_time_until, graduated_on, or both",
        )

    def is_student_on(self, day: date) -> bool:
        """Return whether the candidate is enrolled full time on ``day``."""
        return self.enrolled_full_time_until is not None and day <= self.enrolled_full_time_until


@attrs.frozen
class Document:
    """A document a candidate holds, with the dates it is valid between.

    Parameters
    ----------
    kind
        What the document is, in the words of the rule data, e.g.
        ``"passport"``, ``"company_invitation_letter"`` or
        ``"face_to_face_application_registration_form"`` (the S2 route's
        materials). Never a document number.
    issued_on
        The day it was issued, if known; a document issued after a stay
        starts does not count for that stay. Personal (a passport's dates
        identify its holder): redacted in reprs and never echoed in messages.
    expires_on
        The last day it is valid (inclusive, as printed on a passport), if
        it expires; a document that expires before a stay's last day in the
        country does not count for that stay. Personal, like ``issued_on``.

    Examples
    --------
    >>> d = Document("passport", date(2016, 3, 1), date(2026, 2, 28))
    >>> d.valid_through(date(2020, 9, 1), date(2021, 2, 28)), d.valid_through(
    ...     date(2025, 9, 1), date(2026, 3, 31))
    (True, False)
    """

    kind: str = attrs.field(validator=v.identifier)
    issued_on: date | None = attrs.field(
        default=None,
        validator=quiet("an issue date (YYYY-MM-DD)", v.optional(v.instance_of(date))),
        repr=redacted_repr,
        metadata={PERSONAL: True},
    )
    expires_on: date | None = attrs.field(
        default=None,
        validator=quiet("an expiry date (YYYY-MM-DD)", v.optional(v.instance_of(date))),
        repr=redacted_repr,
        metadata={PERSONAL: True},
    )

    def __attrs_post_init__(self) -> None:
        if self.issued_on is not None and self.expires_on is not None:
            v.check(
                self.issued_on <= self.expires_on,
                "expires_on",
                "the expiry date is before the issue date (the dates are personal data "
                "and are not shown)",
            )

    def valid_through(self, first: date, last: date) -> bool:
        """Return whether the document is valid on every day from ``first`` to ``last``."""
        issued = self.issued_on is None or self.issued_on <= first
        return issued and (self.expires_on is None or last <= self.expires_on)


_TAG = re.compile(r"^[a-z0-9][a-z0-9_.+-]*$")


def tags(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a frozenset of lower-case tags like ``"big-data"``."""
    v.frozenset_of(str)(_inst, attribute, value)
    for t in sorted(value):
        if not _TAG.match(t):
            v.fail(attribute.name, f"tag {t!r} must be lower case letters, digits and _.+-")


def countries(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a frozenset of ISO 3166-1 alpha-2 codes."""
    v.frozenset_of(str)(_inst, attribute, value)
    for c in sorted(value):
        country_code(_inst, attribute, c)


@attrs.frozen
class Candidate:
    """A person who may be placed.

    Parameters
    ----------
    id
        Unique within a scenario; never a name or a passport number.
    university
        Id of the sending university (an :class:`~sgcq.models.Organisation`
        with the role ``sending_university``), if the candidate comes through
        one; keyword only.
    affiliation
        Id of the employer or government body the candidate comes from (an
        organisation with the role ``sending_employer`` or
        ``sending_government``), if any; keyword only. A candidate has a
        university, an affiliation or both: the executive courses of the NTU
        China (West) Base train leaders and professionals of companies and
        government bodies, not only students (source: WiseNet Asia release,
        11 Sep 2019; NTU press release, 8 Dec 2020).
    nationalities
        ISO 3166-1 alpha-2 codes; personal, redacted in reprs.
    study
        Enrolment and graduation.
    discipline
        Field of study, e.g. ``"computer-science"``.
    available
        The half-open window in which a placement may lie.
    duration
        The shortest and longest stay the candidate accepts.
    modes
        The modes the candidate accepts; at least one.
    date_of_birth
        Personal, redacted in reprs; rules that need an age report
        UNDETERMINED without it.
    name
        Personal, redacted in reprs.
    skills, languages
        Lower-case tags.
    preferences
        Ranks over position ids (1 best, ties allowed); unranked positions
        are unacceptable to the candidate.
    schemes_used
        Ids of once-only schemes the candidate already used (e.g. ``"yes"``).
    priority
        A weight for priority-weighted matching; 1 by default.
    cohort
        Id of the cohort the candidate applied to, if the scenario has several.
    degree
        The highest qualification held by the stay's start, if known; work
        routes are UNDETERMINED without it.
    experience_months
        Months of relevant work experience by the stay's start, if known.
    documents
        The documents the candidate holds, with their dates. When empty the
        documents are unknown and each visa route lists what it needs; when
        given, a route's document that is missing, issued after the stay
        starts or expired before it ends is a stated reason (the route is
        UNDETERMINED until a valid one is supplied).

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.models import DateRange, Duration, DurationBounds, DurationUnit
    >>> c = Candidate(
    ...     id="c1", university="ntu", nationalities=frozenset({"SG"}),
    ...     study=StudyStatus(enrolled_full_time_until=date(2021, 5, 31)),
    ...     discipline="computer-science",
    ...     available=DateRange(date(2020, 7, 1), date(2021, 6, 1)),
    ...     duration=DurationBounds(Duration(3, DurationUnit.MONTHS),
    ...                             Duration(6, DurationUnit.MONTHS)),
    ...     modes=frozenset({Mode.ON_SITE}), name="Tan Ah Kow")
    >>> "Tan" in repr(c)
    False
    """

    id: str = attrs.field(validator=v.identifier)
    university: str | None = attrs.field(
        default=None, kw_only=True, validator=v.optional(v.identifier)
    )
    nationalities: frozenset[str] = attrs.field(
        converter=v.to_frozenset,
        validator=quiet("a list of ISO 3166-1 alpha-2 codes like 'SG'", countries),
        repr=redacted_repr,
        metadata={PERSONAL: True},
    )
    study: StudyStatus = attrs.field(validator=v.instance_of(StudyStatus))
    discipline: str = attrs.field(validator=v.text)
    available: DateRange = attrs.field(validator=v.instance_of(DateRange))
    duration: DurationBounds = attrs.field(validator=v.instance_of(DurationBounds))
    modes: frozenset[Mode] = attrs.field(converter=v.to_frozenset, validator=v.frozenset_of(Mode))
    date_of_birth: date | None = attrs.field(
        default=None,
        validator=quiet("a date of birth (YYYY-MM-DD)", v.optional(v.instance_of(date))),
        repr=redacted_repr,
        metadata={PERSONAL: True},
    )
    name: str | None = attrs.field(
        default=None,
        validator=quiet("a name that is not blank", v.optional(v.text)),
        repr=redacted_repr,
        metadata={PERSONAL: True},
    )
    skills: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=tags
    )
    languages: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=tags
    )
    preferences: Ranking = attrs.field(factory=Ranking, validator=v.instance_of(Ranking))
    schemes_used: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(str)
    )
    priority: int = attrs.field(default=1, validator=[v.instance_of(int), v.positive])
    cohort: str | None = attrs.field(default=None, validator=v.optional(v.identifier))
    degree: Degree | None = attrs.field(default=None, validator=v.optional(v.instance_of(Degree)))
    experience_months: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.non_negative])
    )
    documents: tuple[Document, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Document)
    )
    affiliation: str | None = attrs.field(
        default=None, kw_only=True, validator=v.optional(v.identifier)
    )

    def __attrs_post_init__(self) -> None:
        v.check(bool(self.nationalities), "nationalities", "at least one nationality is needed")
        v.check(bool(self.modes), "modes", "at least one accepted mode is needed")
        v.check(
            self.university is not None or self.affiliation is not None,
            "university",
            "give the sending university, the affiliation (employer or government body), or both",
        )

    @property
    def sending_party(self) -> str:
        """The id of the organisation that sends the candidate.

        The university if there is one, else the affiliation (an employer or
        a government body).
        """
        if self.university is not None:
            return self.university
        return str(self.affiliation)  # one of the two is given (checked on construction)

    def document(self, kind: str) -> Document | None:
        """Return the document of ``kind`` that expires last, or ``None``."""
        found = [d for d in self.documents if d.kind == kind]
        if not found:
            return None
        return max(found, key=lambda d: (d.expires_on is None, d.expires_on or date.min))

    def age_on(self, day: date) -> int | None:
        """Return the age in whole years on ``day``, or ``None`` without a birth date."""
        b = self.date_of_birth
        if b is None:
            return None
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def redacted(self) -> Candidate:
        """Return a copy with every personal field blanked (for logs and sharing)."""
        return attrs.evolve(
            self,
            name=None,
            date_of_birth=None,
            nationalities=frozenset({"ZZ"}),
            documents=tuple(
                attrs.evolve(d, issued_on=None, expires_on=None) for d in self.documents
            ),
        )


def personal_fields(cls: type) -> Iterator[str]:
    """Yield the names of the fields of an attrs class that hold personal data.

    Examples
    --------
    >>> sorted(personal_fields(Candidate))
    ['date_of_birth', 'name', 'nationalities']
    >>> sorted(personal_fields(Document))
    ['expires_on', 'issued_on']
    """
    for a in attrs.fields(cls):
        if a.metadata.get(PERSONAL):
            yield a.name
