"""Checks users call in their tests: rule properties, stability and matching results.

Every check raises :class:`CheckError` (an :class:`AssertionError`, so pytest
shows it as a failed assertion) whose message names what was violated and the
numbers involved. The checks use no solver and none of sgcq's matching code:
they are independent oracles.

Import the checks from this package; they live in two modules:

* :mod:`sgcq.testing.checks.rules`: :class:`CheckError` and the checks of
  rule verdicts (:func:`assert_reasons_cited`, :func:`assert_constant_between`,
  :func:`assert_no_worse`);
* :mod:`sgcq.testing.checks.matching`: the matching oracle, stability
  (:func:`blocking_pairs`, :func:`assert_stable`, :func:`preferences_of`) and
  results (:func:`check_result`, :func:`constraint_violations`).

Importing the package does not import :mod:`sgcq.matching` (nor OR-Tools).

Examples
--------
>>> from datetime import date
>>> from sgcq.rules import Outcome, Verdict
>>> assert_reasons_cited(Verdict("demo", Outcome.ELIGIBLE, date(2020, 1, 1)))
>>> blocking_pairs(
...     candidate_ranks={"c1": {"p1": 1}, "c2": {"p1": 1}},
...     position_ranks={"p1": {"c1": 1, "c2": 2}},
...     capacities={"p1": 1},
...     assignment={"c1": None, "c2": "p1"},
... )
(BlockingPair(candidate='c1', position='p1', reason='p1 prefers c1 (rank 1) to c2 (rank 2)'),)
"""

from sgcq.testing.checks.matching import (
    BlockingPair,
    Violation,
    assert_stable,
    blocking_pairs,
    check_result,
    constraint_violations,
    preferences_of,
    year_cap_violations,
)
from sgcq.testing.checks.rules import (
    CheckError,
    assert_constant_between,
    assert_no_worse,
    assert_reasons_cited,
)

__all__ = [
    "BlockingPair",
    "CheckError",
    "Violation",
    "assert_constant_between",
    "assert_no_worse",
    "assert_reasons_cited",
    "assert_stable",
    "blocking_pairs",
    "check_result",
    "constraint_violations",
    "preferences_of",
    "year_cap_violations",
]
