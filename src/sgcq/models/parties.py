"""Organisations, their roles, and the places they are in.

The roles are those the programmes' partners play (source: NTU press release,
13 May 2020; WiseNet Asia release, 11 Sep 2019; Chongqing release, 13 Dec 2019).
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Any

import attrs

from sgcq.models import _validate as v

__all__ = [
    "KNOWN_ZONES",
    "SENDING_ROLES",
    "ZONE_CHONGQING_PILOT_FTZ",
    "ZONE_XIANTAO_BIG_DATA_VALLEY",
    "EducationKind",
    "Location",
    "Organisation",
    "Role",
]

#: Zone id of the China (Chongqing) Pilot Free Trade Zone; hosts there that
#: registered may invite S2 interns (source: Chongqing release, 13 Dec 2019).
ZONE_CHONGQING_PILOT_FTZ = "cn-cq-pilot-ftz"
#: Zone id of Xiantao International Big Data Valley, Yubei District, Chongqing
#: (source: WiseNet Asia release, 11 Sep 2019).
ZONE_XIANTAO_BIG_DATA_VALLEY = "cn-cq-xiantao-bdv"

#: Zones sgcq knows by id, with a description. Other zone ids are allowed.
KNOWN_ZONES: dict[str, str] = {
    ZONE_CHONGQING_PILOT_FTZ: "China (Chongqing) Pilot Free Trade Zone",
    ZONE_XIANTAO_BIG_DATA_VALLEY: "Xiantao International Big Data Valley, Yubei District",
}

_COUNTRY = re.compile(r"^[A-Z]{2}$")


def country_code(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check an ISO 3166-1 alpha-2 country code (two capital letters)."""
    if not isinstance(value, str) or not _COUNTRY.match(value):
        v.fail(attribute.name, f"expected an ISO 3166-1 alpha-2 code like 'SG', got {value!r}")


class Role(str, Enum):
    """What an organisation does in a programme.

    ``sending_employer`` and ``sending_government`` are the employers and
    government bodies whose staff take part (a candidate's
    :attr:`~sgcq.models.Candidate.affiliation`); see :data:`SENDING_ROLES`.
    """

    SENDING_UNIVERSITY = "sending_university"
    COORDINATOR = "coordinator"
    HOST_GOVERNMENT = "host_government"
    HOST_COMPANY = "host_company"
    TALENT_SERVICE_CENTRE = "talent_service_centre"
    VISA_AUTHORITY = "visa_authority"
    RESEARCH_INSTITUTE = "research_institute"
    FUNDER = "funder"
    SENDING_EMPLOYER = "sending_employer"
    SENDING_GOVERNMENT = "sending_government"


#: The roles of an organisation that sends participants: a university sends
#: students and graduates; an employer or a government body sends its staff
#: to training (the "training programmes for key leaders and business
#: professionals" of the WiseNet Asia release, 11 Sep 2019, and the Base's
#: executive courses, NTU press release, 8 Dec 2020).
SENDING_ROLES: frozenset[Role] = frozenset(
    {Role.SENDING_UNIVERSITY, Role.SENDING_EMPLOYER, Role.SENDING_GOVERNMENT}
)


class EducationKind(str, Enum):
    """What kind of education institution a university is.

    The YES scheme admits students of Singapore's autonomous universities and
    polytechnics (source: yes.org.sg, 2020).
    """

    AUTONOMOUS_UNIVERSITY = "autonomous_university"
    POLYTECHNIC = "polytechnic"
    OTHER_UNIVERSITY = "other_university"


@attrs.frozen
class Location:
    """Where something is: country, city and the zones it lies in.

    Parameters
    ----------
    country
        ISO 3166-1 alpha-2 code, e.g. ``"CN"``.
    city
        City name, if known.
    zones
        Ids of special zones, e.g. :data:`ZONE_CHONGQING_PILOT_FTZ`.

    Examples
    --------
    >>> Location("CN", "Chongqing", frozenset({ZONE_CHONGQING_PILOT_FTZ})).in_zone(
    ...     ZONE_CHONGQING_PILOT_FTZ)
    True
    """

    country: str = attrs.field(validator=country_code)
    city: str | None = attrs.field(default=None, validator=v.optional(v.text))
    zones: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(str)
    )

    def in_zone(self, zone: str) -> bool:
        """Return whether the location lies in ``zone``."""
        return zone in self.zones

    def __str__(self) -> str:
        parts = [p for p in (self.city, self.country) if p]
        text = ", ".join(parts)
        if self.zones:
            text += " (" + ", ".join(sorted(self.zones)) + ")"
        return text


@attrs.frozen
class Organisation:
    """A university, company, government body or agency taking part.

    Parameters
    ----------
    id
        Unique identifier within a scenario, e.g. ``"ntu"``.
    name
        Display name.
    roles
        What it does in the programmes; at least one.
    location
        Where it is.
    education_kind
        For universities, the kind of institution (rules of the YES scheme need it).
    visa_scheme_registered_on
        For host companies: the date from which the company is registered for
        the Chongqing internship-visa (S2) scheme, or ``None`` if it is not.
    well_known
        For host companies: whether it counts as a "well-known enterprise" for
        the national internship-annotated visa (NIA measure 11, 2019-08-01).
    notes
        Free text, e.g. "illustrative" for invented data.
    """

    id: str = attrs.field(validator=v.identifier)
    name: str = attrs.field(validator=v.text)
    roles: frozenset[Role] = attrs.field(converter=v.to_frozenset, validator=v.frozenset_of(Role))
    location: Location = attrs.field(validator=v.instance_of(Location))
    education_kind: EducationKind | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(EducationKind))
    )
    visa_scheme_registered_on: date | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(date))
    )
    well_known: bool = attrs.field(default=False, validator=v.instance_of(bool))
    notes: str = attrs.field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        v.check(bool(self.roles), "roles", "an organisation needs at least one role")

    def has_role(self, role: Role) -> bool:
        """Return whether the organisation plays ``role``."""
        return role in self.roles

    def registered_for_visa_scheme(self, on: date) -> bool:
        """Return whether the company is registered for the S2 scheme on ``on``."""
        return self.visa_scheme_registered_on is not None and self.visa_scheme_registered_on <= on
