"""Tests of sgcq.testing.checks.rules: CheckError and the checks of rule verdicts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sgcq.models import Citation
from sgcq.rules import Outcome, Reason, Verdict
from sgcq.testing.checks import (
    CheckError,
    assert_constant_between,
    assert_no_worse,
    assert_reasons_cited,
)

CITE = Citation("Test source", date(2020, 1, 1))


DAY = date(2020, 1, 1)


def test_ineligible_without_reason_is_caught() -> None:
    """An INELIGIBLE verdict with no reason fails the check, naming the rule."""
    with pytest.raises(CheckError, match="rule r1: INELIGIBLE on 2020-01-01 with no reason"):
        assert_reasons_cited(Verdict("r1", Outcome.INELIGIBLE, DAY))


def test_uncited_reason_is_caught() -> None:
    """A reason without a citation fails the check, naming its code."""
    verdict = Verdict("r1", Outcome.INELIGIBLE, DAY, (Reason("x.y", "no"),))
    with pytest.raises(CheckError, match=r"reason x\.y has no citation"):
        assert_reasons_cited(verdict)


def test_undetermined_must_name_missing_input() -> None:
    """UNDETERMINED without a missing input is caught; with one it passes."""
    with pytest.raises(CheckError, match="UNDETERMINED"):
        assert_reasons_cited(Verdict("r1", Outcome.UNDETERMINED, DAY))
    assert_reasons_cited(Verdict("r1", Outcome.UNDETERMINED, DAY, missing=("date_of_birth",)))


def test_cited_verdict_passes() -> None:
    """A cited INELIGIBLE verdict passes and the check returns None."""
    verdict = Verdict("r1", Outcome.INELIGIBLE, DAY, (Reason("x.y", "no", CITE),))
    assert assert_reasons_cited(verdict) is None


def test_constant_between_detects_a_change() -> None:
    """A verdict that flips on a day with no effective date is reported with both days."""
    flip = date(2020, 1, 10)

    def evaluate(day: date) -> Verdict:
        outcome = Outcome.ELIGIBLE if day < flip else Outcome.INELIGIBLE
        reasons = () if day < flip else (Reason("late", "late", CITE),)
        return Verdict("r", outcome, day, reasons)

    days = [DAY + timedelta(days=i) for i in range(20)]
    with pytest.raises(CheckError, match=r"2020-01-01 .*and 2020-01-10"):
        assert_constant_between(evaluate, days)
    assert_constant_between(evaluate, days[:9])


def test_constant_between_needs_a_day() -> None:
    """No days at all is a usage error, not a silent pass."""
    with pytest.raises(ValueError, match="at least one day"):
        assert_constant_between(lambda d: Verdict("r", Outcome.ELIGIBLE, d), [])


@pytest.mark.parametrize(
    ("before", "after", "fails"),
    [
        (Outcome.ELIGIBLE, Outcome.INELIGIBLE, True),
        (Outcome.ELIGIBLE, Outcome.UNDETERMINED, True),
        (Outcome.UNDETERMINED, Outcome.INELIGIBLE, True),
        (Outcome.INELIGIBLE, Outcome.ELIGIBLE, False),
        (Outcome.UNDETERMINED, Outcome.ELIGIBLE, False),
        (Outcome.ELIGIBLE, Outcome.ELIGIBLE, False),
    ],
)
def test_no_worse_orders_outcomes(before: Outcome, after: Outcome, fails: bool) -> None:
    """Monotonicity: INELIGIBLE < UNDETERMINED < ELIGIBLE."""
    b, a = Verdict("r", before, DAY), Verdict("r", after, DAY)
    if fails:
        with pytest.raises(CheckError, match="adding the letter turned"):
            assert_no_worse(b, a, change="adding the letter")
    else:
        assert_no_worse(b, a)
