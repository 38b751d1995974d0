"""The service's settings: limits on bodies, solves and the queue."""

from __future__ import annotations

from typing import Any

import attrs

from sgcq.errors import FieldError, ModelValidationError

__all__ = ["ServiceSettings"]


def _positive(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ModelValidationError([FieldError(attribute.name, f"must be positive, got {value!r}")])


def _count(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ModelValidationError(
            [FieldError(attribute.name, f"must be an integer >= 0, got {value!r}")]
        )


@attrs.frozen
class ServiceSettings:
    """The limits of ``sgcq serve``.

    Parameters
    ----------
    max_body_bytes
        The largest request body read; a larger one gets 413. 8 MiB by
        default: a 120-candidate problem document is about 2 MB.
    solvers
        Requests worked on at once, each in a thread of its own, off the
        event loop.
    queue
        Requests that may wait for a free solver; one more gets 503.
    time_limit
        The wall-clock seconds a solve gets when its settings give none.
    max_time_limit
        The most a request may ask for; a longer ``time_limit`` is cut to it.
        A solve that reaches its limit answers with its best result so far
        (status FEASIBLE or UNKNOWN).
    max_solver_workers
        The most CP-SAT workers a request may ask for.

    Examples
    --------
    >>> ServiceSettings(queue=-1)
    Traceback (most recent call last):
    ...
    sgcq.models.errors.ModelValidationError: queue: must be an integer >= 0, got -1
    """

    max_body_bytes: int = attrs.field(default=8 * 1024 * 1024, validator=_positive)
    solvers: int = attrs.field(default=2, validator=[_count, _positive])
    queue: int = attrs.field(default=16, validator=_count)
    time_limit: float = attrs.field(default=30.0, validator=_positive)
    max_time_limit: float = attrs.field(default=120.0, validator=_positive)
    max_solver_workers: int = attrs.field(default=1, validator=[_count, _positive])

    def __attrs_post_init__(self) -> None:
        if self.time_limit > self.max_time_limit:
            raise ModelValidationError(
                [
                    FieldError(
                        "time_limit",
                        f"must not exceed max_time_limit ({self.max_time_limit}), "
                        f"got {self.time_limit}",
                    )
                ]
            )
