"""Personal data: marking fields so that reprs, documents and messages never show them (private).

A candidate's name, date of birth and nationalities are personal. Three
rules keep them, and the values derived from them, out of what sgcq shows:

* **Reprs** show ``<redacted>`` for a marked field (:func:`redacted_repr`).
* **Messages** about a bad personal value name the field and what was
  expected, never the value (:func:`quiet`, and the converter's error paths
  for a marked field).
* **Derived values** (the age at the start, from the date of birth) never
  become a fact or a message of a verdict: a rule records only the band it
  decided on (``"under 18"``), which the verdict reveals anyway. Problems,
  results and the files written from them therefore hold no personal value
  at all.
"""

from __future__ import annotations

from typing import Any

import attrs

from sgcq.models.errors import FieldError, ModelValidationError

__all__ = ["PERSONAL", "REDACTED", "is_personal", "quiet", "redacted_repr", "withheld"]

#: Key in an attrs field's metadata marking personal data.
PERSONAL = "sgcq.personal"

#: What is shown instead of a personal value.
REDACTED = "<redacted>"


def redacted_repr(_value: Any) -> str:
    """Repr used for personal fields: never shows the value."""
    return REDACTED


def is_personal(cls: Any, name: str) -> bool:
    """Return whether field ``name`` of the attrs class ``cls`` is marked personal."""
    if not (isinstance(cls, type) and attrs.has(cls)):
        return False
    field = getattr(attrs.fields(cls), name, None)
    return bool(field is not None and field.metadata.get(PERSONAL))


def withheld(expected: str) -> str:
    """Return the message for a bad personal value: what was expected, without the value."""
    return f"expected {expected}; the value is personal data and is not shown"


def quiet(expected: str, *validators: Any) -> Any:
    """Wrap validators of a personal field so that a failure does not echo the value.

    Parameters
    ----------
    expected
        What a valid value is, e.g. ``"a date of birth (YYYY-MM-DD)"``.
    validators
        The field's validators, run in order.

    Returns
    -------
    callable
        An attrs validator raising :class:`ModelValidationError` with
        ``expected`` and no value.
    """

    def _v(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        for each in validators:
            try:
                each(inst, attribute, value)
            except ModelValidationError as exc:
                raise ModelValidationError(
                    [FieldError(e.path, withheld(expected)) for e in exc.errors]
                ) from None

    return _v
