"""Tests of the bundled scenarios, their loader and their generator script."""

from __future__ import annotations

import pickle
import runpy
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sgcq.errors import SgcqError
from sgcq.models import (
    ZONE_CHONGQING_PILOT_FTZ,
    Direction,
    DurationUnit,
    Mode,
    ProgrammeKind,
    Role,
    Scenario,
    StartDates,
)
from sgcq.rules import evaluate_option, stay_for
from sgcq.scenarios import UnknownScenarioError, list_scenarios, load_scenario, scenario_path
from sgcq.serialization import dumps_toml, loads_toml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_scenarios.py"
NAMES = (
    "ntu-west-base-2021",
    "ntu-ydpg-2020",
    "nus-ytp-2019",
    "ssijri-2020",
    "suss-overseas-2021",
    "xiantao-talent-2019",
    "yes-2020",
)


@pytest.fixture(scope="module")
def generator() -> dict[str, Any]:
    """The generator script's namespace, loaded without running main()."""
    return runpy.run_path(str(SCRIPT), run_name="make_scenarios")


def test_list_scenarios_names_every_bundled_file() -> None:
    """The four bundled scenarios are listed, sorted."""
    assert list_scenarios() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_scenario_loads_validates_and_round_trips(name: str) -> None:
    """Each scenario loads, is marked illustrative with notes and citations, and round-trips."""
    scenario = load_scenario(name)
    assert scenario.id == name
    assert scenario.illustrative and "illustrative" in scenario.notes.lower()
    assert scenario.citations and scenario.as_of is not None
    assert all(p.citations for p in scenario.programmes)
    assert loads_toml(dumps_toml(scenario), Scenario) == scenario
    assert pickle.loads(pickle.dumps(scenario)) == scenario


def test_scenario_path_points_at_the_toml_file() -> None:
    """scenario_path returns the bundled TOML resource."""
    path = scenario_path("yes-2020")
    assert path.name == "yes-2020.toml"
    assert 'kind = "scenario"' in path.read_text(encoding="utf-8")


def test_unknown_scenario_lists_known_names() -> None:
    """An unknown name raises an SgcqError that is also a KeyError and lists the known names."""
    with pytest.raises(UnknownScenarioError) as info:
        load_scenario("nope")
    assert isinstance(info.value, SgcqError) and isinstance(info.value, KeyError)
    assert "nope" in str(info.value) and "ntu-ydpg-2020" in str(info.value)


def test_ntu_ydpg_sizes_and_facts() -> None:
    """About 120 candidates, 25 hosts and 60 positions, H2 2020 starts, six-month cover."""
    s = load_scenario("ntu-ydpg-2020")
    hosts = [o for o in s.organisations if o.has_role(Role.HOST_COMPANY)]
    assert len(s.candidates) == 120 and len(hosts) == 25 and len(s.positions) == 60
    assert {c.university for c in s.candidates} == {"ntu"}
    assert len({c.discipline for c in s.candidates}) >= 10  # all disciplines
    fields = set().union(*(p.fields for p in s.positions))
    assert {"big-data", "ai", "software", "accountancy", "fashion", "arts", "green-tech"} <= fields
    (programme,) = s.programmes
    assert programme.benefits.housing is not None
    assert programme.benefits.housing.max_months == 6
    assert programme.benefits.housing.payer == "ydpg"
    assert programme.benefits.visa_support == "ydpg" and programme.benefits.allowance
    (cohort,) = s.cohorts
    assert cohort.intake.start == date(2020, 7, 1) and cohort.intake.end == date(2021, 1, 1)
    assert cohort.beds and cohort.allowance_budget is not None and cohort.quotas
    assert all(p.mode is Mode.ON_SITE and p.housing_cover for p in s.positions)
    assert all(p.allowance is not None for p in s.positions)
    in_ftz = [h for h in hosts if h.location.in_zone(ZONE_CHONGQING_PILOT_FTZ)]
    registered = [h for h in hosts if h.visa_scheme_registered_on is not None]
    assert 0 < len(registered) < len(in_ftz) < len(hosts)
    # Nobody registers before the S2 internship route exists (2019-12-13).
    assert not any(h.registered_for_visa_scheme(date(2019, 12, 12)) for h in hosts)
    assert any(h.registered_for_visa_scheme(date(2019, 12, 13)) for h in hosts)
    assert all(h in in_ftz for h in registered)
    lengths = Counter(len(c.preferences) for c in s.candidates)
    assert min(lengths) >= 3 and max(lengths) <= 10
    assert any(c.preferences.has_ties for c in s.candidates)
    assert sum(p.candidate_preferences is not None for p in s.positions) >= 10


def test_nus_ytp_sizes_and_facts() -> None:
    """19 NUS interns, five weeks, December 2019, at a registered Pilot FTZ host."""
    s = load_scenario("nus-ytp-2019")
    assert len(s.candidates) == 19
    assert {c.university for c in s.candidates} == {"nus"}
    assert sum(p.seats for p in s.positions) == 19
    for p in s.positions:
        assert p.duration.is_fixed
        assert p.duration.minimum.value == 5 and p.duration.minimum.unit is DurationUnit.WEEKS
        assert isinstance(p.starts, StartDates)
        assert all(d.year == 2019 and d.month == 12 for d in p.starts.dates)
        host = s.organisation(p.host)
        assert host.location.in_zone(ZONE_CHONGQING_PILOT_FTZ)
        assert host.registered_for_visa_scheme(date(2019, 12, 13))


def test_suss_has_remote_and_cofounder_programmes() -> None:
    """SUSS internships mix remote and on-site hosts in five countries; co-founder seats are 1."""
    s = load_scenario("suss-overseas-2021")
    kinds = {p.kind for p in s.programmes}
    assert kinds == {ProgrammeKind.INTERNSHIP, ProgrammeKind.COFOUNDER_MATCHING}
    cofounder = next(p for p in s.programmes if p.kind is ProgrammeKind.COFOUNDER_MATCHING)
    seats = [p.seats for p in s.positions_of(cofounder.id) if p.programme == cofounder.id]
    assert seats and set(seats) == {1}
    interns = [p for p in s.positions if p.programme != cofounder.id]
    assert {p.location.country for p in interns} == {"SG", "MY", "TH", "AU", "CN"}
    assert {Mode.REMOTE, Mode.ON_SITE} <= {p.mode for p in interns}
    assert all(20 <= p.hours_per_week <= 30 for p in interns if p.mode is Mode.REMOTE)


def test_ntu_west_base_executives_come_from_employers_and_government() -> None:
    """The executive participants have no university: YDPG officials and company managers."""
    s = load_scenario("ntu-west-base-2021")
    executives = [c for c in s.candidates if c.cohort == "exec-2021"]
    assert executives and all(c.university is None for c in executives)
    senders = {c.affiliation for c in executives}
    assert senders == {"ydpg", "sg-firm-a"}
    assert s.organisation("ydpg").has_role(Role.SENDING_GOVERNMENT)
    assert s.organisation("sg-firm-a").has_role(Role.SENDING_EMPLOYER)
    for c in executives:
        (pid,) = c.preferences
        pos = s.position(pid)
        start = next(iter(pos.start_options(c.available)))
        stay = stay_for(c, pos, start)
        assert stay is not None
        verdict = evaluate_option(s, c, pos, stay)
        assert verdict.outcome.value == "eligible", (c.id, verdict)
    students = [c for c in s.candidates if c.cohort == "minimasters-2021"]
    assert all(c.university is not None and c.affiliation is None for c in students)


def test_yes_goes_both_ways() -> None:
    """YES has direction BOTH, Singaporeans to Chinese hosts and Chinese students to Singapore."""
    s = load_scenario("yes-2020")
    (programme,) = s.programmes
    assert programme.direction is Direction.BOTH
    for c in s.candidates:
        countries = {s.position(pid).location.country for pid in c.preferences}
        expected = "CN" if "SG" in c.nationalities else "SG"
        assert countries == {expected}
    assert {"SG", "CN"} == {n for c in s.candidates for n in c.nationalities}


def test_generator_is_deterministic(generator: dict[str, Any]) -> None:
    """Rendering twice gives identical text, equal to the committed files."""
    first, second = generator["render"](), generator["render"]()
    assert first == second
    for file, text in first.items():
        assert (ROOT / "src" / "sgcq" / "data" / "scenarios" / file).read_text(
            encoding="utf-8"
        ) == text


def test_generator_check_mode(tmp_path: Path) -> None:
    """--check passes on the committed files and fails (exit 1) when a file differs."""
    ok = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stderr
    written = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert written.returncode == 0, written.stderr
    stale = tmp_path / "yes-2020.toml"
    stale.write_text(stale.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and "yes-2020.toml" in bad.stderr
