"""The bounds every loaded value is checked against, in one place.

A value that passes these checks can be matched: the matcher turns dates
into month and day numbers, counts and ranks into integer coefficients of
CP-SAT rows and money into integer units, and each bound below keeps those
numbers far inside what the arithmetic handles (CP-SAT's 64-bit integers,
Python's date range when months are added, Decimal's 28 significant
digits). Values outside are refused where they are read, naming the field,
rather than crashing a solve later. ``docs/limits.md`` explains each one.

Examples
--------
>>> from datetime import date
>>> MIN_DATE <= date(2020, 7, 1) < MAX_DATE
True
>>> MAX_COUNT
1000000
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

__all__ = [
    "MAX_AMOUNT",
    "MAX_AMOUNT_DECIMALS",
    "MAX_COUNT",
    "MAX_DATE",
    "MAX_DURATION_DAYS",
    "MAX_DURATION_MONTHS",
    "MAX_DURATION_WEEKS",
    "MAX_NESTING",
    "MAX_RANK",
    "MAX_RATE",
    "MAX_SECONDS",
    "MAX_WORKERS",
    "MIN_DATE",
    "MIN_RATE",
]

#: The largest count sgcq accepts: seats, caps, beds, sizes, targets, priorities.
#: A programme places hundreds of people a year; a million leaves every sum of
#: counts over a problem far inside 64-bit integers.
MAX_COUNT = 1_000_000

#: The largest rank in a preference list (1 is best).
MAX_RANK = 1_000_000

#: The largest absolute amount of money, in major units (10^15: a quadrillion).
#: With :data:`MAX_AMOUNT_DECIMALS` decimal places that is at most 21
#: significant digits, inside Decimal's default 28, so sums and conversions
#: stay exact.
MAX_AMOUNT = Decimal(10) ** 15

#: The most decimal places an amount may have (six: a millionth of a major unit).
MAX_AMOUNT_DECIMALS = 6

#: The smallest exchange rate (units of the quote per unit of the base).
MIN_RATE = Decimal("1e-9")
#: The largest exchange rate.
MAX_RATE = Decimal(10) ** 9

#: The first day a date may fall on.
MIN_DATE = date(1900, 1, 1)

#: The first day a date may no longer fall on (dates are before 2200).
#: Stays, windows and months after a date are computed by adding months and
#: days; ending two hundred years early keeps every such sum a valid date.
MAX_DATE = date(2200, 1, 1)

#: The longest duration in each unit: 100 years.
MAX_DURATION_MONTHS = 1200
#: The longest duration in weeks.
MAX_DURATION_WEEKS = 5218
#: The longest duration in days.
MAX_DURATION_DAYS = 36525

#: The longest time limit, in seconds (wall clock or deterministic): about 31 years.
MAX_SECONDS = 1e9

#: The most solver workers (threads).
MAX_WORKERS = 1024

#: How deeply lists and tables may nest in a JSON or TOML document. Every sgcq
#: document nests fewer than ten levels.
MAX_NESTING = 64
