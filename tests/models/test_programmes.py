"""Tests of Programme and its parts (Partner, HousingTerms, Benefits, Funding, Target)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from sgcq.models import (
    Benefits,
    Citation,
    DateRange,
    Direction,
    Funding,
    HousingTerms,
    ModelValidationError,
    Money,
    Partner,
    Programme,
    ProgrammeKind,
    Role,
    Target,
)

Checker = Callable[..., ModelValidationError]

PERIOD = DateRange(date(2020, 12, 8), date(2025, 12, 8))


@pytest.mark.parametrize(
    ("field", "bad", "path"),
    [
        ("id", "", "id"),
        ("name", "", "name"),
        ("kind", "internship", "kind"),
        ("direction", "sg_to_cq", "direction"),
        ("partners", (("ntu", Role.SENDING_UNIVERSITY),), "partners[0]"),
        ("benefits", None, "benefits"),
        ("duration", "6 months", "duration"),
        ("rule_sets", (1,), "rule_sets[0]"),
        ("funding", (Money(1, "SGD"),), "funding[0]"),
        ("targets", ("100 patents",), "targets[0]"),
        ("citations", ("NTU",), "citations[0]"),
    ],
)
def test_programme_invalid_field(field: str, bad: Any, path: str, assert_invalid: Checker) -> None:
    """Each bad field of a Programme is refused with its path."""
    kwargs: dict[str, Any] = {
        "id": "ntu-ydpg",
        "name": "NTU–WiseNet–YDPG internships",
        "kind": ProgrammeKind.INTERNSHIP,
        "direction": Direction.SG_TO_CQ,
        field: bad,
    }
    assert_invalid(lambda: Programme(**kwargs), path)


def test_a_partner_listed_twice_in_one_role_is_refused(assert_invalid: Checker) -> None:
    """The same organisation and role twice is a duplicate, naming the second entry."""
    p = Partner("wisenet", Role.COORDINATOR)
    assert_invalid(
        lambda: Programme("x", "X", ProgrammeKind.JOB, Direction.BOTH, (p, p)), "partners[1]"
    )
    both = (p, Partner("wisenet", Role.HOST_COMPANY))
    prog = Programme("x", "X", ProgrammeKind.JOB, Direction.BOTH, both)
    assert prog.partners_with(Role.COORDINATOR) == ("wisenet",)


@pytest.mark.parametrize(
    ("cls", "kwargs", "path"),
    [
        (Partner, {"organisation": "", "role": Role.FUNDER}, "organisation"),
        (Partner, {"organisation": "ntu", "role": "funder"}, "role"),
        (HousingTerms, {"max_months": 0, "payer": "ydpg"}, "max_months"),
        (HousingTerms, {"max_months": 6, "payer": ""}, "payer"),
        (HousingTerms, {"max_months": 6, "payer": "ydpg", "includes_meals": "y"}, "includes_meals"),
        (Benefits, {"allowance": 1}, "allowance"),
        (Benefits, {"housing": 6}, "housing"),
        (Benefits, {"visa_support": "a b"}, "visa_support"),
        (Funding, {"amounts": (), "period": PERIOD}, "amounts"),
        (
            Funding,
            {"amounts": (Money(1, "SGD"), Money(2, "SGD")), "period": PERIOD},
            "amounts",
        ),
        (Funding, {"amounts": (Money(1, "SGD"),), "period": None}, "period"),
        (Funding, {"amounts": (1,), "period": PERIOD}, "amounts[0]"),
        (Target, {"metric": "", "value": 1, "by": date(2025, 1, 1)}, "metric"),
        (Target, {"metric": "patents", "value": -1, "by": date(2025, 1, 1)}, "value"),
        (Target, {"metric": "patents", "value": 1, "by": 2025}, "by"),
        (
            Target,
            {"metric": "patents", "value": 1, "by": date(2025, 1, 1), "citation": "NTU"},
            "citation",
        ),
    ],
)
def test_programme_parts_invalid_field(
    cls: type, kwargs: dict[str, Any], path: str, assert_invalid: Checker
) -> None:
    """Each bad field of a programme's parts is refused with its path."""
    assert_invalid(lambda: cls(**kwargs), path)


def test_funding_keeps_both_quotes_without_a_rate() -> None:
    """S$61m and RMB300m are kept side by side (source: NTU press release, 8 Dec 2020)."""
    f = Funding(
        (Money("61000000", "SGD"), Money("300000000", "CNY")),
        PERIOD,
        Citation("NTU press release", date(2020, 12, 8)),
    )
    assert f.in_currency("CNY") == Money("300000000", "CNY")
    assert f.in_currency("USD") is None
