"""Placement modes: on site, remote, or hybrid with a split."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

import attrs

from sgcq.models import _validate as v
from sgcq.models.dates import DateRange

__all__ = ["HybridSplit", "Mode", "Phase"]


class Mode(str, Enum):
    """How a placement is carried out.

    A remote placement needs no visa, travel or housing (source: WiseNet Asia
    remote internship guide, 2020); a hybrid one splits its time between the two
    countries (source: NTU press release, 8 Dec 2020, MiniMasters with hybrid
    classes).
    """

    ON_SITE = "on_site"
    REMOTE = "remote"
    HYBRID = "hybrid"


class Phase(str, Enum):
    """Whether the on-site part of a hybrid stay comes first or last."""

    FIRST = "first"
    LAST = "last"


def _share(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not (Decimal(0) < value < Decimal(1)):
        v.fail(attribute.name, f"must be a Decimal strictly between 0 and 1, got {value!r}")


@attrs.frozen
class HybridSplit:
    """How a hybrid stay divides between on-site and remote time.

    Parameters
    ----------
    on_site_share
        The share of the stay's days spent on site, strictly between 0 and 1.
    on_site_phase
        Whether the on-site days are the first or the last part of the stay.

    Notes
    -----
    The on-site days are ``round_half_up(share * days)``, at least one and at
    most ``days - 1``, so both parts are non-empty.

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.models import DateRange
    >>> split = HybridSplit(Decimal("0.5"))
    >>> str(split.on_site_part(DateRange(date(2021, 1, 1), date(2021, 1, 31))))
    '[2021-01-01, 2021-01-16)'
    """

    on_site_share: Decimal = attrs.field(converter=v.to_decimal, validator=_share)
    on_site_phase: Phase = attrs.field(default=Phase.FIRST, validator=v.instance_of(Phase))

    def on_site_days(self, stay: DateRange) -> int:
        """Return how many days of ``stay`` are on site."""
        if stay.days < 2:
            return stay.days
        raw = (self.on_site_share * stay.days).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return min(max(int(raw), 1), stay.days - 1)

    def on_site_part(self, stay: DateRange) -> DateRange:
        """Return the on-site days of ``stay`` as a range."""
        n = self.on_site_days(stay)
        if self.on_site_phase is Phase.FIRST:
            return DateRange(stay.start, stay.start + timedelta(days=n))
        return DateRange(stay.end - timedelta(days=n), stay.end)
