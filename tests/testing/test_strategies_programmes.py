"""Tests of sgcq.testing.strategies._programmes: programmes, partners, benefits, funding."""

from __future__ import annotations

from hypothesis import given

from sgcq.models import Programme, Role
from sgcq.testing import strategies as sst


@given(prog=sst.programmes(roles_of={"u0": {Role.SENDING_UNIVERSITY}, "o1": {Role.FUNDER}}))
def test_programme_knobs(prog: Programme) -> None:
    """Partners play roles their organisation has; the housing payer is one of them."""
    allowed = {("u0", Role.SENDING_UNIVERSITY), ("o1", Role.FUNDER)}
    assert {(p.organisation, p.role) for p in prog.partners} <= allowed
    housing = prog.benefits.housing
    assert housing is None or housing.payer in {"u0", "o1"}
