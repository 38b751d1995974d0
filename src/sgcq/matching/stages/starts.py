"""Starting solutions and relaxation bounds that several stages share (internal).

The side-constraint-free relaxation (min-cost flow with stability off,
deferred acceptance with it on) is solved at most once per solve: the
Lagrangian stage's fallback start, CP-SAT's hint and the bound under strict
stability all read the same :class:`Starts`.
"""

from __future__ import annotations

from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._objective import PER_OPTION_LEVELS, level_groups, per_option_score
from sgcq.matching._repair import repair
from sgcq.matching.elements import Objective, Stability
from sgcq.matching.stages.deferred import deferred_acceptance, deferred_refusals, proposing_side
from sgcq.matching.stages.flow import solve_flow

__all__ = ["Starts"]


class Starts:
    """The relaxed solutions of one indexed problem, each computed once."""

    def __init__(self, ix: Index) -> None:
        self.ix = ix
        self._memo: dict[tuple[object, ...], list[int]] = {}

    def stable(self) -> list[int]:
        """Return deferred acceptance's result, the side whose welfare comes first proposing."""
        side = proposing_side(self.ix)
        key: tuple[object, ...] = ("deferred_acceptance", side)
        if key not in self._memo:
            self._memo[key] = deferred_acceptance(self.ix, side)
        return self._memo[key]

    def flow(self, levels: list[Objective]) -> list[int]:
        """Return the min-cost flow without side constraints over ``levels``."""
        key: tuple[object, ...] = ("flow", *levels)
        if key not in self._memo:
            self._memo[key] = solve_flow(self.ix, levels=levels, side=False)
        return self._memo[key]

    def hint(self) -> list[int]:
        """Return a starting solution for CP-SAT: deferred acceptance or flow, then repaired."""
        ix = self.ix
        if ix.problem.stability is not Stability.OFF:
            start = self.stable()
        else:
            per_option: list[Objective] = [
                o
                for o in ix.problem.objectives
                if o not in (Objective.PLACED, Objective.BLOCKING_PAIRS)
            ]
            start = self.flow(per_option)
        return repair(ix, start)

    def stable_bound(self) -> int | None:
        """Return a bound on the first level group when the Lagrangian stage does not apply.

        Under strict stability where deferred acceptance is exact (strict
        preferences, no side constraints) its value is the optimum itself;
        CP-SAT takes it as the first solve's objective domain, so a hint that
        reaches it is proven optimal at once (decision 0014). With stability
        off the Lagrangian stage gives the bound instead: its first
        evaluation is the flow without side constraints, and its prices only
        tighten it (decision 0015).
        """
        ix = self.ix
        group = level_groups(ix)[0]
        if ix.problem.stability is not Stability.STRICT or deferred_refusals(ix):
            return None
        if not all(o in PER_OPTION_LEVELS for o in group):
            return None
        score = per_option_score(ix, group)
        if score is None:
            return None
        return sum(score[i] for i in self.stable() if i != UNPLACED)
