"""Tests of Ranking."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given

from sgcq.models import ModelValidationError, Ranking
from sgcq.testing import strategies as sst

Checker = Callable[..., ModelValidationError]


@pytest.mark.parametrize(
    ("ranks", "path"),
    [
        ({"p1": 0}, "ranks[p1]"),
        ({"p1": -2}, "ranks[p1]"),
        ({"p1": True}, "ranks[p1]"),
        ({"p1": 1.0}, "ranks[p1]"),
        ({"": 1}, "ranks"),
        ({3: 1}, "ranks"),
        ([("p1", 1), ("p1", 2)], "ranks[p1]"),
        ([("p1", 1, 2)], "ranks"),
        (5, "ranks"),
    ],
)
def test_ranking_invalid_ranks(ranks: Any, path: str, assert_invalid: Checker) -> None:
    """Ranks below 1, non-integers, empty or non-string ids and repeats are refused."""
    assert_invalid(lambda: Ranking(ranks), path)


def test_ranking_lookup_ties_and_tiers() -> None:
    """rank_of, membership, ties and tiers follow the ranks; unranked ids are None."""
    r = Ranking({"p3": 2, "p1": 1, "p2": 2})
    assert r.rank_of("p2") == 2 and r.rank_of("p9") is None
    assert "p1" in r and "p9" not in r and len(r) == 3
    assert r.has_ties and r.tiers() == (("p1",), ("p2", "p3"))
    assert list(r) == ["p1", "p2", "p3"] and r.worst_rank() == 2
    assert Ranking().worst_rank() == 0 and not Ranking().has_ties


def test_ranking_from_scores_and_order() -> None:
    """Equal scores tie with dense ranks; from_order is strict."""
    assert Ranking.from_scores({"a": 9, "b": 5, "c": 9}).as_dict() == {"a": 1, "c": 1, "b": 2}
    assert Ranking.from_order(["x", "y"]).as_dict() == {"x": 1, "y": 2}


def test_ranking_equality_ignores_input_order() -> None:
    """Rankings built from the same mapping in another order are equal and hash alike."""
    a, b = Ranking({"p1": 1, "p2": 2}), Ranking({"p2": 2, "p1": 1})
    assert a == b and hash(a) == hash(b)


@given(r=sst.rankings(["p0", "p1", "p2", "p3"], max_ties=2))
def test_generated_rankings_pickle_and_keep_the_ties_bound(r: Ranking) -> None:
    """Pickling keeps the lookup index; no tier exceeds max_ties; ranks are dense from 1."""
    back = pickle.loads(pickle.dumps(r))
    assert back == r and all(back.rank_of(k) == r.rank_of(k) for k in r)
    assert all(len(tier) <= 2 for tier in r.tiers())
    assert sorted({rank for _, rank in r.ranks}) == list(range(1, r.worst_rank() + 1))
