"""Effective-dated eligibility and entitlement rules that say why."""

from sgcq.rules.allowance import allowance_cost, month_fractions
from sgcq.rules.housing import CoverSplit, bed_months, split_cover
from sgcq.rules.stays import stay_for
from sgcq.rules.verdicts import Fact, Outcome, Reason, Verdict

__all__ = [
    "CoverSplit",
    "Fact",
    "Outcome",
    "Reason",
    "Verdict",
    "allowance_cost",
    "bed_months",
    "month_fractions",
    "split_cover",
    "stay_for",
]
