"""Tests of sgcq.testing.strategies._programmes: programmes, partners, benefits, funding."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings

from sgcq.models import (
    Comparator,
    Direction,
    Money,
    Programme,
    ProgrammeKind,
    RateTable,
    Role,
    Scenario,
    Target,
)
from sgcq.rules import ProgressState, progress, target_progress
from sgcq.serialization import dumps_json, dumps_toml, loads_json, loads_toml
from sgcq.testing import strategies as sst


@given(prog=sst.programmes(roles_of={"u0": {Role.SENDING_UNIVERSITY}, "o1": {Role.FUNDER}}))
def test_programme_knobs(prog: Programme) -> None:
    """Partners play roles their organisation has; the housing payer is one of them."""
    allowed = {("u0", Role.SENDING_UNIVERSITY), ("o1", Role.FUNDER)}
    assert {(p.organisation, p.role) for p in prog.partners} <= allowed
    housing = prog.benefits.housing
    assert housing is None or housing.payer in {"u0", "o1"}


def test_every_programme_kind_is_drawn_and_placing_kinds_leave_research_out() -> None:
    """Over enough draws every kind comes up; with kinds=PLACING_KINDS RESEARCH never does."""
    seen: set[ProgrammeKind] = set()

    @settings(max_examples=200)
    @given(prog=sst.programmes())
    def draw_all(prog: Programme) -> None:
        seen.add(prog.kind)

    draw_all()
    assert seen == set(ProgrammeKind)

    @given(prog=sst.programmes(kinds=sst.PLACING_KINDS))
    def placing(prog: Programme) -> None:
        assert prog.kind is not ProgrammeKind.RESEARCH

    placing()


@given(target=sst.targets(), as_of=sst.dates(), rates=sst.rate_tables(max_size=3))
def test_every_drawn_target_round_trips_and_progress_never_raises(
    target: Target, as_of: date, rates: RateTable
) -> None:
    """A drawn target reads back from JSON and TOML (in a programme document) unchanged, and
    target_progress() gives it a state with a reason on any date, with any rates."""
    prog = Programme("prog", "P", ProgrammeKind.RESEARCH, Direction.SG_TO_CQ, targets=(target,))
    assert loads_json(dumps_json(prog), Programme) == prog
    assert loads_toml(dumps_toml(prog), Programme) == prog
    report = target_progress("prog", target, as_of, rates)
    assert report.state in set(ProgressState)
    assert report.reason
    assert str(report)
    if report.projection is not None:
        assert report.projection.on == target.by
        assert report.projection.start < report.projection.end <= as_of


def test_targets_draw_comparators_baselines_observations_and_money() -> None:
    """Over enough draws: every comparator, a baseline, observations, money values, a floor,
    a quote in another currency, and every progress state."""
    seen: dict[str, set[object]] = {"comparator": set(), "state": set(), "features": set()}

    @settings(max_examples=400)
    @given(target=sst.targets(), as_of=sst.dates())
    def draw(target: Target, as_of: date) -> None:
        seen["comparator"].add(target.comparator)
        seen["state"].add(target_progress("prog", target, as_of).state)
        f = seen["features"]
        if target.baseline is not None:
            f.add("baseline")
        if target.observations:
            f.add("observations")
        if isinstance(target.value, Money):
            f.add("money")
        if target.also_quoted:
            f.add("quoted")
        if any(o.lower_bound for o in target.observations):
            f.add("floor")

    draw()
    assert seen["comparator"] == set(Comparator)
    assert seen["features"] == {"baseline", "observations", "money", "quoted", "floor"}
    assert len(seen["state"]) >= 5, seen["state"]


@given(scenario=sst.scenarios(max_candidates=2, max_positions=2), as_of=sst.dates())
def test_progress_never_raises_on_a_drawn_scenario(scenario: Scenario, as_of: date) -> None:
    """progress() reports every target of every drawn programme, with a state and a reason."""
    report = progress(scenario, as_of)
    assert len(report.targets) == sum(len(p.targets) for p in scenario.programmes)
    assert all(t.reason for t in report.targets)
    assert report.summary().startswith(f"Progress of {scenario.id}")
