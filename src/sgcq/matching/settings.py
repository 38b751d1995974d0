"""Solver settings: a typed, validated, frozen object, never loose keyword arguments.

Examples
--------
>>> s = Settings(deterministic_time_limit=5.0, seed=3)
>>> s.workers, s.path
(1, <SolvePath.AUTO: 'auto'>)
>>> Settings.from_dict({"time_limit": 10, "path": "cp_sat"}).path
<SolvePath.CP_SAT: 'cp_sat'>
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from enum import Enum
from typing import Any

import attrs

from sgcq.matching.progress import ProgressCallback
from sgcq.models.errors import FieldError, ModelValidationError
from sgcq.models.limits import MAX_SECONDS, MAX_WORKERS
from sgcq.serialization._toml import TomlReadError, read_toml

__all__ = ["Settings", "SolvePath"]


class SolvePath(str, Enum):
    """Which algorithm solves a problem.

    ``AUTO`` picks the fastest one that is exact for the problem: min-cost
    flow for a pure capacitated assignment, deferred acceptance for strict
    stability with strict preferences and no side constraints, CP-SAT
    otherwise. With stability off, CP-SAT is preceded by the Lagrangian
    relaxation (side constraints priced into min-cost flow) and a greedy
    solution; when the relaxation's bound proves that solution optimal,
    CP-SAT is skipped and the result's path is ``LAGRANGIAN``.

    Forcing ``FLOW``, ``DEFERRED_ACCEPTANCE`` or ``LAGRANGIAN`` on a problem
    they cannot handle raises :class:`~sgcq.matching.UnsupportedPathError`.
    Forced ``LAGRANGIAN`` never runs CP-SAT: it returns the greedy solution
    with the relaxation's bound (optimal when they meet), a fast answer with
    a stated gap for very large problems.

    ``MIP`` solves the 0/1 model with SCIP, the MIP solver OR-Tools ships,
    level group by level group (decision 0026); it needs stability off.
    AUTO runs it before CP-SAT on problems of at most
    ``sgcq.matching.stages.mip.MIP_OPTIONS`` options when the relaxation
    has not proven the greedy solution optimal, and skips CP-SAT when SCIP
    proves every level (the result's path is then ``MIP``). Forced, it never
    runs CP-SAT.
    """

    AUTO = "auto"
    CP_SAT = "cp_sat"
    FLOW = "flow"
    DEFERRED_ACCEPTANCE = "deferred_acceptance"
    LAGRANGIAN = "lagrangian"
    MIP = "mip"


def _positive_float(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelValidationError(
            [FieldError(attribute.name, f"expected a number of seconds, got {value!r}")]
        )
    if not (math.isfinite(value) and value > 0):
        raise ModelValidationError(
            [FieldError(attribute.name, f"must be a finite number > 0, got {value!r}")]
        )
    if value > MAX_SECONDS:
        raise ModelValidationError(
            [FieldError(attribute.name, f"must be at most {MAX_SECONDS:g} (sgcq.models.limits)")]
        )


def _to_float(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # refused by the validator, by name
            return math.inf
    return value


def _workers(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WORKERS:
        raise ModelValidationError(
            [
                FieldError(
                    attribute.name, f"must be an integer from 1 to {MAX_WORKERS}, got {value!r}"
                )
            ]
        )


def _seed(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise ModelValidationError(
            [FieldError(attribute.name, f"must be an integer in [0, 2**31), got {value!r}")]
        )


def _bool(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise ModelValidationError(
            [FieldError(attribute.name, f"expected true or false, got {value!r}")]
        )


def _path(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, SolvePath):
        try:
            return SolvePath(value)
        except ValueError:
            return value
    return value


def _path_check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, SolvePath):
        choices = ", ".join(repr(p.value) for p in SolvePath)
        raise ModelValidationError(
            [FieldError(attribute.name, f"must be one of {choices}, got {value!r}")]
        )


def _gap(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ModelValidationError(
            [FieldError(attribute.name, f"must be a number in [0, 1), got {value!r}")]
        )


def _callable(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not callable(value):
        raise ModelValidationError(
            [FieldError(attribute.name, f"expected a callable or None, got {value!r}")]
        )


@attrs.frozen
class Settings:
    """How to run the solver.

    Parameters
    ----------
    time_limit
        Wall-clock seconds for the whole solve (all objective levels), or
        ``None`` for no limit.
    deterministic_time_limit
        CP-SAT's deterministic time limit for the whole solve (reproducible
        across machines; use it in tests), or ``None``.
    workers
        CP-SAT search workers. With 1 worker and a fixed seed a run is
        reproducible.
    seed
        CP-SAT's random seed; also breaks ties in the heuristics.
    log
        Whether CP-SAT writes its search log (to the ``sgcq.matching`` logger).
    path
        Which algorithm to use; see :class:`SolvePath`.
    relative_gap
        Stop a level (in CP-SAT or the MIP stage) once its relative gap
        ``(bound - value) / max(1, |value|)`` is at most this, or ``None`` to
        prove optimality. A level stopped there is not proven: the result is
        ``FEASIBLE`` with the level's bound, and the next level keeps at
        least its value. CP-SAT and the MIP stage measure the gap on each
        level group's folded objective (levels folded into one weighted
        objective, such as placed and welfare), so a group's later levels
        can end further off than this. The Lagrangian stage stops when its
        solution is within this of its bound on every level (an objective
        of one level group only), with ``Result.path`` ``lagrangian``.
    progress
        A callable that receives a :class:`~sgcq.matching.progress.ProgressEvent`
        from every stage and returns ``True`` to stop the solve (the best
        solution so far is returned). It is left out of documents and of
        equality: a saved ``Settings`` has no ``progress`` key, and a
        document that gives one is refused (a callable cannot be written
        down); :meth:`from_dict` refuses it too.

    Examples
    --------
    >>> Settings(workers=0)
    Traceback (most recent call last):
    ...
    sgcq.models.errors.ModelValidationError: workers: must be an integer from 1 to 1024, got 0
    """

    time_limit: float | None = attrs.field(
        default=None, converter=_to_float, validator=_positive_float
    )
    deterministic_time_limit: float | None = attrs.field(
        default=None, converter=_to_float, validator=_positive_float
    )
    workers: int = attrs.field(default=1, validator=_workers)
    seed: int = attrs.field(default=0, validator=_seed)
    log: bool = attrs.field(default=False, validator=_bool)
    path: SolvePath = attrs.field(default=SolvePath.AUTO, converter=_path, validator=_path_check)
    relative_gap: float | None = attrs.field(default=None, converter=_to_float, validator=_gap)
    progress: ProgressCallback | None = attrs.field(
        default=None,
        validator=_callable,
        eq=False,
        hash=False,
        repr=False,
        metadata={"document": False},
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Settings:
        """Build settings from a mapping such as a TOML table; unknown keys are refused.

        Raises
        ------
        ModelValidationError
            Naming every unknown key, or the first bad value.
        """
        known = {a.name for a in attrs.fields(cls) if a.metadata.get("document", True)}
        unknown = sorted(k for k in data if k not in known)
        if unknown:
            raise ModelValidationError(
                [FieldError(k, f"unknown setting; use one of {sorted(known)}") for k in unknown]
            )
        return cls(**dict(data))

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> Settings:
        """Read settings from a TOML file (top level, or a ``[settings]`` table).

        Raises
        ------
        ModelValidationError
            If the file cannot be read, is not UTF-8, is not valid TOML or holds
            a bad value; the message names the file.
        """
        name = os.fspath(path)
        try:
            data = read_toml(name)
        except TomlReadError as e:
            raise ModelValidationError([FieldError(name, e.message)]) from None
        table = data.get("settings", data)
        if not isinstance(table, dict):
            raise ModelValidationError([FieldError(f"{name}: settings", "expected a table")])
        try:
            return cls.from_dict(table)
        except ModelValidationError as e:
            raise e.prefixed(name) from None
