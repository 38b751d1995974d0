"""The solve stages behind one protocol: min-cost flow, deferred acceptance, Lagrangian, CP-SAT.

Internal to :mod:`sgcq.matching` (not a stable API). Each stage says whether
it applies to an indexed problem with typed :class:`Refusal` values
(:meth:`Stage.supports`), and runs to one :class:`Outcome`: a status, a
solution, the level values, and what the next stage can start from (a bound
on the first objective group and a hint). :func:`sgcq.matching.solve` asks
the stages in order and carries bound and hint forward in a :class:`Carry`.
This is where progress events and cancellation hook in
(``docs/architecture.md``).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Protocol

import attrs

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np
    import numpy.typing as npt

    from sgcq.matching._index import Index
    from sgcq.matching.progress import Tracker
    from sgcq.matching.result import LevelValue, Status
    from sgcq.matching.settings import Settings, SolvePath

__all__ = ["Carry", "Outcome", "Refusal", "RefusalReason", "Stage"]


class RefusalReason(str, Enum):
    """Why a stage does not apply (or is not exact) for a problem."""

    #: The stability setting is one the stage cannot honour.
    STABILITY = "stability"
    #: Seats are switched off (deferred acceptance needs capacities).
    SEATS_OFF = "seats_off"
    #: A side constraint the stage cannot hold.
    SIDE_CONSTRAINT = "side_constraint"
    #: An objective level the stage does not optimise exactly.
    OBJECTIVE = "objective"
    #: Preferences have ties or hosts that do not rank (deferred acceptance
    #: still gives a stable result, not a proven optimum).
    TIES = "ties"
    #: The objective levels are too wide for the stage's integer arithmetic.
    TOO_WIDE = "too_wide"


@attrs.frozen
class Refusal:
    """One reason a stage gives for not applying.

    Parameters
    ----------
    reason
        The kind of refusal (what callers decide on).
    message
        A plain phrase for people, e.g. ``"beds constraints"``.
    """

    reason: RefusalReason
    message: str

    def __str__(self) -> str:
        return self.message


@attrs.define
class Carry:
    """What one stage hands the next: the clock, a bound and a starting solution.

    Parameters
    ----------
    started
        The ``time.perf_counter()`` reading the wall-clock limit counts from.
    bound
        A valid upper bound on the first objective group's folded score, if known.
    hint
        A starting solution (option index per candidate), if any.
    progress
        Where the stages send progress events and learn whether to stop.
    incumbent
        The best solution a stage has found so far that meets every
        constraint, recorded as it goes so that a solve interrupted by
        Ctrl-C (``KeyboardInterrupt``) can still return it.
    solved
        CP-SAT's latest solution (it meets every constraint), recorded after
        each level group, so that Ctrl-C after CP-SAT, while the result is
        built, returns it rather than the Lagrangian stage's ``incumbent``.
    solved_levels
        The value and bound of every level of ``solved`` once CP-SAT has
        finished (empty while it is still solving its level groups).
    solved_status
        The status CP-SAT gave ``solved`` once it has finished (``None``
        before).
    option_bounds
        Per option, the largest first objective group's folded score of any
        solution that uses it (from the Lagrangian stage's reduced costs),
        for CP-SAT's reduced-cost fixing (decision 0024).
    """

    started: float
    bound: int | None = None
    hint: list[int] | None = None
    progress: Tracker | None = None
    incumbent: list[int] | None = None
    solved: list[int] | None = None
    solved_levels: tuple[LevelValue, ...] = ()
    solved_status: Status | None = None
    option_bounds: npt.NDArray[np.int64] | None = None


@attrs.define
class Outcome:
    """What a stage produced.

    Parameters
    ----------
    status
        The status of ``chosen`` (``OPTIMAL`` only when every level is proven).
    chosen
        The solution, or ``None``.
    levels
        The value and bound of every objective level (empty without a solution).
    message
        A plain sentence on what the stage did.
    bound
        The bound it found on the first objective group, for the next stage.
    hint
        A starting solution for the next stage.
    final
        Whether the outcome is the answer (no later stage needs to run).
    """

    status: Status
    chosen: list[int] | None
    levels: tuple[LevelValue, ...] = ()
    message: str = ""
    bound: int | None = None
    hint: list[int] | None = None
    final: bool = True


class Stage(Protocol):
    """A way to solve (or bound) an indexed problem."""

    #: The path reported in the result when this stage's solution is returned.
    path: SolvePath

    def supports(self, ix: Index) -> list[Refusal]:
        """Return why the stage does not apply exactly to ``ix`` (empty when it does)."""
        ...

    def run(self, ix: Index, settings: Settings, carry: Carry) -> Outcome:
        """Run on ``ix`` from what earlier stages carried."""
        ...
