"""Tests of sgcq.testing.strategies._text: identifiers and names."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from sgcq.testing import strategies as sst


@given(i=sst.identifiers("k", max_index=3), n=sst.names(max_size=4))
def test_identifier_and_name_knobs(i: str, n: str) -> None:
    """Ids are the prefix and a number up to max_index; names are non-blank, at most max_size."""
    assert re.fullmatch(r"k[0-3]", i)
    assert n.strip() and len(n) <= 4


@pytest.mark.parametrize(
    "make",
    [
        lambda: sst.identifiers("-x"),
        lambda: sst.identifiers(max_index=-1),
        lambda: sst.names(max_size=0),
    ],
)
def test_impossible_knobs_raise_invalid_argument(make: Callable[[], object]) -> None:
    """A knob that cannot be satisfied is refused when the strategy is built."""
    with pytest.raises(InvalidArgument):
        make()
