"""Tests of sgcq.testing.strategies._placements: placements and their lifecycle history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import find, given, settings
from hypothesis.errors import InvalidArgument

from sgcq.models import TRANSITIONS, Mode, Placement, PlacementStatus
from sgcq.testing import strategies as sst

P = PlacementStatus


@given(p=sst.placements(candidate_ids=["c7"], position_ids=["p8"], max_steps=2))
def test_placement_knobs(p: Placement) -> None:
    """Placements name the given ids and have at most max_steps steps of a valid walk."""
    assert (p.candidate, p.position) == ("c7", "p8") and len(p.history) <= 2
    first = p.history[0].status if p.history else PlacementStatus.PROPOSED
    assert first is PlacementStatus.PROPOSED or first in TRANSITIONS[PlacementStatus.PROPOSED]


SHRINK = settings(database=None, derandomize=True, max_examples=100)


def test_placements_shrink_to_the_forward_path() -> None:
    """The smallest two-step placement follows the forward path at a single instant."""
    found = find(sst.placements(), lambda p: len(p.history) >= 2, settings=SHRINK)
    assert (found.candidate, found.position) == ("c0", "p0")
    steps = [h.status for h in found.history]
    assert steps in ([P.PROPOSED, P.OFFERED], [P.OFFERED, P.ACCEPTED])
    assert found.history[0].at == found.history[1].at and found.mode is Mode.ON_SITE


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.placements(max_steps=-1),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()
