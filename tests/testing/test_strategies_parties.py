"""Tests of sgcq.testing.strategies._parties: organisations and locations."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from sgcq.models import Organisation, Role
from sgcq.testing import strategies as sst


@given(
    uni=sst.organisations(id="u0", roles={Role.SENDING_UNIVERSITY}, extra_roles=False),
    loc=sst.locations(countries=("CN",), zones=()),
)
def test_organisation_and_location_knobs(uni: Organisation, loc: Any) -> None:
    """A fixed id and exact roles are kept; locations use the asked countries and zones."""
    assert uni.id == "u0" and uni.roles == {Role.SENDING_UNIVERSITY}
    assert uni.visa_scheme_registered_on is None and not uni.well_known
    assert loc.country == "CN" and not loc.zones
