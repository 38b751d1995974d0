"""Tests of Scenario: cross-reference checks, duplicate ids, lookups and summary."""

from __future__ import annotations

import pickle
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given

from sgcq.models import (
    Benefits,
    Candidate,
    Cohort,
    DateRange,
    Direction,
    HousingTerms,
    Location,
    Mode,
    ModelValidationError,
    Organisation,
    Partner,
    Placement,
    Position,
    Programme,
    ProgrammeKind,
    Ranking,
    Role,
    Scenario,
)
from sgcq.testing import strategies as sst

INTAKE = DateRange(date(2020, 7, 1), date(2021, 1, 1))


@pytest.fixture
def parts(candidate_kwargs: dict[str, Any], position_kwargs: dict[str, Any]) -> dict[str, Any]:
    """Arguments of a small valid Scenario."""
    return {
        "id": "s0",
        "name": "Small",
        "organisations": (
            Organisation("u0", "NTU", {Role.SENDING_UNIVERSITY}, Location("SG")),
            Organisation("h0", "Host", {Role.HOST_COMPANY}, Location("CN")),
            Organisation("o0", "YDPG", {Role.HOST_GOVERNMENT}, Location("CN")),
        ),
        "programmes": (
            Programme(
                "prog0",
                "Internships",
                ProgrammeKind.INTERNSHIP,
                Direction.SG_TO_CQ,
                (Partner("u0", Role.SENDING_UNIVERSITY), Partner("o0", Role.HOST_GOVERNMENT)),
                Benefits(True, HousingTerms(6, "o0"), "o0"),
            ),
        ),
        "cohorts": (Cohort("k0", "prog0", INTAKE),),
        "candidates": (Candidate(**candidate_kwargs, preferences=Ranking({"p0": 1}), cohort="k0"),),
        "positions": (
            Position(
                **position_kwargs, candidate_preferences=Ranking({"c0": 1}), programme="prog0"
            ),
        ),
        "placements": (Placement("c0", "p0", INTAKE, Mode.ON_SITE),),
    }


def test_a_consistent_scenario_is_accepted_and_looked_up(parts: dict[str, Any]) -> None:
    """Lookups by id work and unknown ids raise KeyError naming them."""
    s = Scenario(**parts)
    assert s.candidate("c0").university == "u0"
    assert s.position("p0").host == "h0"
    assert s.organisation("o0").has_role(Role.HOST_GOVERNMENT)
    assert s.programme("prog0").kind is ProgrammeKind.INTERNSHIP
    assert s.cohort("k0").programme == "prog0"
    assert s.candidates_of("k0") == s.candidates and s.candidates_of("k9") == ()
    assert s.positions_of("prog0") == s.positions
    with pytest.raises(KeyError, match="no candidate with id 'c9'"):
        s.candidate("c9")
    assert "candidates: 1" in s.summary() and str(s) == s.summary()


def test_a_participant_from_a_government_body_needs_no_university(parts: dict[str, Any]) -> None:
    """A YDPG official with no university is accepted once YDPG sends staff."""
    orgs = list(parts["organisations"])
    orgs[2] = attrs.evolve(orgs[2], roles={Role.HOST_GOVERNMENT, Role.SENDING_GOVERNMENT})
    parts["organisations"] = tuple(orgs)
    _replace(parts, "candidates", 0, university=None, affiliation="o0")
    s = Scenario(**parts)
    assert s.candidate("c0").sending_party == "o0"
    assert "o0" in s._repr_html_()


def test_a_government_body_without_the_sending_role_is_refused(parts: dict[str, Any]) -> None:
    """An affiliation to an organisation that sends nobody names the field and the roles."""
    _replace(parts, "candidates", 0, university=None, affiliation="o0")
    with pytest.raises(ModelValidationError) as info:
        Scenario(**parts)
    assert info.value.paths == ("candidates[0].affiliation",)
    assert "sending_government" in str(info.value)


def _replace(parts: dict[str, Any], table: str, index: int, **changes: Any) -> None:
    items = list(parts[table])
    items[index] = attrs.evolve(items[index], **changes)
    parts[table] = tuple(items)


@pytest.mark.parametrize(
    ("table", "changes", "path"),
    [
        ("candidates", {"university": "u9"}, "candidates[0].university"),
        ("candidates", {"university": "h0"}, "candidates[0].university"),  # not a university
        ("candidates", {"affiliation": "o9"}, "candidates[0].affiliation"),
        ("candidates", {"affiliation": "u0"}, "candidates[0].affiliation"),  # not an employer
        ("candidates", {"cohort": "k9"}, "candidates[0].cohort"),
        ("candidates", {"preferences": Ranking({"p9": 1})}, "candidates[0].preferences[p9]"),
        ("positions", {"host": "u0"}, "positions[0].host"),  # not a host company
        ("positions", {"host": "h9"}, "positions[0].host"),
        ("positions", {"programme": "prog9"}, "positions[0].programme"),
        (
            "positions",
            {"candidate_preferences": Ranking({"c9": 1})},
            "positions[0].candidate_preferences[c9]",
        ),
        ("cohorts", {"programme": "prog9"}, "cohorts[0].programme"),
        ("placements", {"candidate": "c9"}, "placements[0].candidate"),
        ("placements", {"position": "p9"}, "placements[0].position"),
        (
            "programmes",
            {"partners": (Partner("o9", Role.FUNDER),)},
            "programmes[0].partners[0].organisation",
        ),
        (
            "programmes",
            {"benefits": Benefits(housing=HousingTerms(6, "o9"))},
            "programmes[0].benefits.housing.payer",
        ),
        (
            "programmes",
            {"benefits": Benefits(visa_support="o9")},
            "programmes[0].benefits.visa_support",
        ),
    ],
)
def test_unknown_references_are_reported_with_their_path(
    parts: dict[str, Any], table: str, changes: dict[str, Any], path: str
) -> None:
    """A reference to a missing id, or to an organisation lacking the role, names its path."""
    _replace(parts, table, 0, **changes)
    with pytest.raises(ModelValidationError) as info:
        Scenario(**parts)
    assert info.value.paths == (path,)


def test_allowance_payer_must_exist(parts: dict[str, Any]) -> None:
    """A position's allowance payer must be a known organisation."""
    pos = parts["positions"][0]
    _replace(parts, "positions", 0, allowance=attrs.evolve(pos.allowance, payer="o9"))
    with pytest.raises(ModelValidationError) as info:
        Scenario(**parts)
    assert info.value.paths == ("positions[0].allowance.payer",)


@pytest.mark.parametrize(
    "table", ["organisations", "programmes", "cohorts", "candidates", "positions"]
)
def test_duplicate_ids_are_refused(parts: dict[str, Any], table: str) -> None:
    """A second item with the same id is refused, naming it and the first."""
    parts[table] = (*parts[table], parts[table][0])
    with pytest.raises(ModelValidationError) as info:
        Scenario(**parts)
    n = len(parts[table]) - 1
    assert info.value.paths == (f"{table}[{n}].id",)
    assert f"first at {table}[0]" in str(info.value)


def test_every_problem_is_reported_at_once(parts: dict[str, Any]) -> None:
    """Several bad references give one error listing them all in order."""
    _replace(parts, "candidates", 0, university="u9", cohort="k9")
    _replace(parts, "placements", 0, position="p9")
    with pytest.raises(ModelValidationError) as info:
        Scenario(**parts)
    assert info.value.paths == (
        "candidates[0].university",
        "candidates[0].cohort",
        "placements[0].position",
    )
    assert str(info.value).startswith("3 invalid values:")


@pytest.mark.parametrize(
    ("field", "bad", "path"),
    [
        ("id", "", "id"),
        ("name", "", "name"),
        ("illustrative", "yes", "illustrative"),
        ("as_of", "2020-01-01", "as_of"),
        ("candidates", ("c0",), "candidates[0]"),
        ("rates", (), "rates"),
    ],
)
def test_scenario_invalid_field(field: str, bad: Any, path: str) -> None:
    """Each bad scalar field of a Scenario is refused with its path."""
    with pytest.raises(ModelValidationError) as info:
        Scenario(**{"id": "s0", "name": "S", field: bad})
    assert info.value.paths == (path,)


@given(s=sst.scenarios())
def test_generated_scenarios_are_consistent_and_picklable(s: Scenario) -> None:
    """Every generated scenario rebuilds without error, pickles, and its roles are right."""
    assert attrs.evolve(s) == s
    assert pickle.loads(pickle.dumps(s)) == s
    for c in s.candidates:
        assert s.organisation(c.university).has_role(Role.SENDING_UNIVERSITY)
    for p in s.positions:
        assert s.organisation(p.host).has_role(Role.HOST_COMPANY)
