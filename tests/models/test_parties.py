"""Tests of Location and Organisation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given

from sgcq.models import (
    ZONE_CHONGQING_PILOT_FTZ,
    EducationKind,
    Location,
    ModelValidationError,
    Organisation,
    Role,
)
from sgcq.testing import strategies as sst

Checker = Callable[..., ModelValidationError]


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("country", "sg"),
        ("country", "SGP"),
        ("country", None),
        ("city", ""),
        ("city", "   "),
        ("city", 5),
        ("zones", "cn-cq-pilot-ftz"),
        ("zones", frozenset({1})),
    ],
)
def test_location_invalid_field(field: str, bad: Any, assert_invalid: Checker) -> None:
    """A bad country code, blank city or non-string zone is refused at its field."""
    kwargs: dict[str, Any] = {
        "country": "CN",
        "city": "Chongqing",
        "zones": frozenset(),
        field: bad,
    }
    path = "zones[0]" if field == "zones" and isinstance(bad, frozenset) else field
    assert_invalid(lambda: Location(**kwargs), path)


def test_location_zones_and_str() -> None:
    """A location knows its zones and prints city, country and zones."""
    loc = Location("CN", "Chongqing", [ZONE_CHONGQING_PILOT_FTZ])
    assert loc.in_zone(ZONE_CHONGQING_PILOT_FTZ) and not loc.in_zone("elsewhere")
    assert str(loc) == "Chongqing, CN (cn-cq-pilot-ftz)"


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("id", ""),
        ("id", "has space"),
        ("id", "-lead"),
        ("id", 7),
        ("name", ""),
        ("name", None),
        ("roles", frozenset()),
        ("roles", frozenset({"host_company"})),
        ("location", "SG"),
        ("education_kind", "polytechnic"),
        ("visa_scheme_registered_on", "2019-12-13"),
        ("well_known", 1),
        ("notes", None),
    ],
)
def test_organisation_invalid_field(
    field: str, bad: Any, organisation_kwargs: dict[str, Any], assert_invalid: Checker
) -> None:
    """Each bad field of an Organisation is refused with its path."""
    organisation_kwargs[field] = bad
    path = "roles[0]" if bad == frozenset({"host_company"}) else field
    assert_invalid(lambda: Organisation(**organisation_kwargs), path)


def test_registered_for_visa_scheme_from_its_date(organisation_kwargs: dict[str, Any]) -> None:
    """A host counts as registered on and after its registration date only."""
    host = Organisation(
        **{**organisation_kwargs, "roles": {Role.HOST_COMPANY}},
        visa_scheme_registered_on=date(2019, 12, 13),
    )
    assert not host.registered_for_visa_scheme(date(2019, 12, 12))
    assert host.registered_for_visa_scheme(date(2019, 12, 13))
    assert not Organisation(**organisation_kwargs).registered_for_visa_scheme(date(2030, 1, 1))


@given(org=sst.organisations(roles={Role.SENDING_UNIVERSITY}))
def test_generated_organisations_play_the_asked_role(org: Organisation) -> None:
    """The strategy's roles knob is honoured, and roles are checked with has_role."""
    assert org.has_role(Role.SENDING_UNIVERSITY)
    assert org.education_kind is None or isinstance(org.education_kind, EducationKind)
