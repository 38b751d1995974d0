"""A candidate's documents with their dates, read by the visa routes from the candidate's record."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq.errors import ModelValidationError
from sgcq.matching import Problem
from sgcq.models import Candidate, DateRange, Document, Position, Scenario
from sgcq.rules import Outcome, evaluate_option, stay_for, visa_routes
from sgcq.scenarios import load_scenario
from sgcq.serialization import dumps_json, loads_json

S2 = (
    "face_to_face_application_registration_form",
    "company_invitation_letter",
    "other_application_materials",
)


def _option() -> tuple[Scenario, Candidate, Position, DateRange]:
    s = load_scenario("nus-ytp-2019")
    c, p = s.candidates[0], s.positions[0]
    stay = stay_for(c, p, p.start_options(c.available)[0])
    assert stay is not None
    return s, c, p, stay


def _with(c: Candidate, *docs: Document) -> Candidate:
    return attrs.evolve(c, documents=docs)


def test_a_document_expiring_before_its_issue_is_refused() -> None:
    """The expiry may not come before the issue date; the error names the field."""
    with pytest.raises(ModelValidationError, match="expires_on"):
        Document("passport", date(2020, 1, 1), date(2019, 1, 1))


def test_documents_round_trip_in_the_candidate_record() -> None:
    """The documents are part of the candidate's document and read back equal."""
    _, c, _, _ = _option()
    c = _with(c, Document("passport", date(2016, 3, 1), date(2026, 2, 28)), Document("x_letter"))
    assert loads_json(dumps_json(c)) == c
    assert c.document("passport") == c.documents[0]
    assert c.document("nope") is None


def test_valid_documents_keep_the_route_open() -> None:
    """Every S2 material held and valid through the stay: the option stays eligible."""
    s, c, p, stay = _option()
    c = _with(c, *(Document(d, date(2019, 11, 1), date(2020, 12, 31)) for d in S2))
    assert evaluate_option(s, c, p, stay).outcome is Outcome.ELIGIBLE


def test_an_expired_document_is_a_stated_reason() -> None:
    """An invitation letter that expires before the stay ends: the route's verdict says so,
    with the stay's dates but not the expiry (personal data), and the option is no longer
    eligible until a valid one is supplied."""
    s, c, p, stay = _option()
    letter = Document("company_invitation_letter", date(2019, 11, 1), stay.last_day - timedelta(1))
    others = [Document(d, date(2019, 11, 1)) for d in S2 if d != letter.kind]
    v = evaluate_option(s, _with(c, letter, *others), p, stay)
    assert v.outcome is Outcome.UNDETERMINED
    assert "visa.cn.s2.document_expired" in v.codes
    assert "document:company_invitation_letter" in v.missing
    reason = next(r for r in v.reasons if r.code == "visa.cn.s2.document_expired")
    assert (stay.last_day - timedelta(1)).isoformat() not in str(v)
    assert "expires before the stay" in reason.message
    assert stay.last_day.isoformat() in reason.message
    facts = {f.name: f.value for f in reason.facts}
    assert facts["candidate.documents.company_invitation_letter.expires_on"] == (
        "before the stay ends"
    )
    assert reason.citation is not None


def test_a_missing_or_late_document_is_named() -> None:
    """A material missing from the record, or issued after the stay starts, is named."""
    s, c, p, stay = _option()
    late = Document("company_invitation_letter", stay.start + timedelta(1))
    v = evaluate_option(s, _with(c, late), p, stay)
    assert {"visa.cn.s2.documents_missing", "visa.cn.s2.document_not_yet_issued"} <= set(v.codes)
    assert set(v.missing) >= {f"document:{d}" for d in S2}


def test_the_call_argument_still_wins_over_the_record() -> None:
    """Documents passed to visa_routes are checked instead of the record."""
    s, c, p, stay = _option()
    c = _with(c, Document("company_invitation_letter", date(2019, 1, 1), date(2019, 2, 1)))
    a = visa_routes(s, c, p, stay, documents=frozenset(S2))
    assert [r.route for r in a.open_routes] == ["visa.cn.s2"]


def test_the_matcher_excludes_an_option_with_an_expired_document() -> None:
    """Problem.from_scenario reads the record: the pair is an exclusion with the reason."""
    s, c, _p, _stay = _option()
    expired = [Document(d, date(2019, 1, 1), date(2019, 12, 1)) for d in S2]
    s = attrs.evolve(s, candidates=(_with(c, *expired), *s.candidates[1:]))
    problem = Problem.from_scenario(s)
    assert not problem.options_of(c.id)
    codes = {r.code for x in problem.exclusions_of(c.id) for r in x.reasons}
    assert "visa.cn.s2.document_expired" in codes


@settings(max_examples=30, deadline=None)
@given(expiry=st.integers(-40, 60))
def test_expiry_decides_exactly_on_the_last_day(expiry: int) -> None:
    """A document valid to the stay's last day or later never blocks; one day less always does."""
    s, c, p, stay = _option()
    ends = stay.last_day + timedelta(expiry)
    docs = [Document(d, date(2019, 1, 1), ends) for d in S2]
    v = evaluate_option(s, _with(c, *docs), p, stay)
    assert (v.outcome is Outcome.ELIGIBLE) == (expiry >= 0)
