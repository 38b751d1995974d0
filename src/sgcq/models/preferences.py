"""Preferences as ranks, with ties allowed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from sgcq.models import _validate as v
from sgcq.models.limits import MAX_RANK

__all__ = ["Ranking"]


def _to_pairs(value: Any) -> Any:
    if isinstance(value, Mapping):
        value = value.items()
    if isinstance(value, (list, tuple)) or hasattr(value, "__iter__"):
        try:
            return tuple(sorted((tuple(p) for p in value), key=lambda p: (p[1], p[0])))
        except (TypeError, ValueError, IndexError):
            return value
    return value


def _pairs(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple):
        v.fail(attribute.name, "expected a mapping of id to rank")
    seen: set[str] = set()
    for item in value:
        if not (isinstance(item, tuple) and len(item) == 2):
            v.fail(attribute.name, f"expected (id, rank) pairs, got {item!r}")
        key, rank = item
        if not isinstance(key, str) or not key:
            v.fail(attribute.name, f"ids must be non-empty strings, got {key!r}")
        if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= MAX_RANK:
            v.fail(
                f"{attribute.name}[{key}]",
                f"rank must be an integer from 1 to {MAX_RANK:,}, got {rank!r}",
            )
        if key in seen:
            v.fail(f"{attribute.name}[{key}]", "ranked twice")
        seen.add(key)


@attrs.frozen
class Ranking:
    """Ranks over ids: 1 is best, equal ranks are ties, unranked ids are unacceptable.

    Build it from a mapping; it is immutable, hashable and picklable.

    Parameters
    ----------
    ranks
        A mapping ``{id: rank}`` (or pairs). Ranks need not be consecutive.

    Examples
    --------
    >>> r = Ranking({"p1": 1, "p2": 2, "p3": 2})
    >>> r.rank_of("p3"), r.rank_of("p9")
    (2, None)
    >>> r.tiers()
    (('p1',), ('p2', 'p3'))
    >>> Ranking.from_scores({"a": 0.9, "b": 0.5, "c": 0.9}).rank_of("b")
    2
    """

    ranks: tuple[tuple[str, int], ...] = attrs.field(
        default=(), converter=_to_pairs, validator=_pairs
    )
    _index: dict[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False, alias="_index"
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", dict(self.ranks))

    def __getstate__(self) -> dict[str, Any]:
        return {"ranks": self.ranks}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "ranks", state["ranks"])
        object.__setattr__(self, "_index", dict(state["ranks"]))

    @classmethod
    def from_scores(cls, scores: Mapping[str, float | int | Decimal]) -> Ranking:
        """Turn scores (higher is better) into dense ranks; equal scores tie."""
        distinct = sorted(set(scores.values()), reverse=True)
        position = {s: i + 1 for i, s in enumerate(distinct)}
        return cls({k: position[s] for k, s in scores.items()})

    @classmethod
    def from_order(cls, ids: list[str] | tuple[str, ...]) -> Ranking:
        """Return a strict ranking from a list, best first."""
        return cls({k: i + 1 for i, k in enumerate(ids)})

    def rank_of(self, key: str) -> int | None:
        """Return the rank of ``key``, or ``None`` if it is not ranked."""
        return self._index.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self.ranks)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self.ranks)

    def as_dict(self) -> dict[str, int]:
        """Return a plain ``{id: rank}`` dict, best first."""
        return dict(self.ranks)

    def tiers(self) -> tuple[tuple[str, ...], ...]:
        """Return the ids grouped by rank, best tier first, ids sorted within a tier."""
        out: dict[int, list[str]] = {}
        for k, r in self.ranks:
            out.setdefault(r, []).append(k)
        return tuple(tuple(sorted(out[r])) for r in sorted(out))

    @property
    def has_ties(self) -> bool:
        """Whether two ids share a rank."""
        return len({r for _, r in self.ranks}) < len(self.ranks)

    def worst_rank(self) -> int:
        """Return the largest rank used, 0 for an empty ranking."""
        return max((r for _, r in self.ranks), default=0)
