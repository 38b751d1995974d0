"""Citations: where a fact, default or rule comes from."""

from __future__ import annotations

from datetime import date
from enum import Enum

import attrs

from sgcq.models import _validate as v

__all__ = ["Citation", "Confidence"]


class Confidence(str, Enum):
    """How sure we are of a source: official, secondary, or agency/news."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@attrs.frozen
class Citation:
    """A reference to the document a fact rests on.

    Parameters
    ----------
    source
        The document, e.g. ``"NTU press release"``.
    date
        Its date.
    detail
        Article, measure or section, if any.
    confidence
        How authoritative the source is.

    Examples
    --------
    >>> from datetime import date
    >>> str(Citation("NTU press release", date(2020, 5, 13)))
    'source: NTU press release, 2020-05-13'
    """

    source: str = attrs.field(validator=v.text)
    date: date = attrs.field(validator=v.instance_of(date))
    detail: str = attrs.field(default="", validator=v.instance_of(str))
    confidence: Confidence = attrs.field(
        default=Confidence.HIGH, validator=v.instance_of(Confidence)
    )

    def __str__(self) -> str:
        extra = f" ({self.detail})" if self.detail else ""
        return f"source: {self.source}, {self.date.isoformat()}{extra}"
