"""Positions open in several modes: one option per allowed mode, sharing the seats."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS

from sgcq.matching import Problem, solve
from sgcq.models import HybridSplit, Mode, Scenario
from sgcq.scenarios import load_scenario
from sgcq.testing.checks import check_result

SCENARIO = load_scenario("suss-overseas-2021")
COHORT = "suss-interns-2021"


def _with_modes(scenario: Scenario, ids: set[str], others: frozenset[Mode]) -> Scenario:
    """Return ``scenario`` with the positions ``ids`` also open in ``others``."""
    positions = tuple(
        attrs.evolve(
            p,
            other_modes=others - {p.mode},
            hybrid=p.hybrid
            if p.hybrid is not None
            else (HybridSplit("0.5") if Mode.HYBRID in others | {p.mode} else None),
        )
        if p.id in ids
        else p
        for p in scenario.positions
    )
    return attrs.evolve(scenario, positions=positions)


def _keys(problem: Problem, ids: set[str]) -> set[tuple[object, ...]]:
    return {
        (o.candidate, o.position, o.start, o.mode, o.stay, o.bed_months, o.cost)
        for o in problem.options
        if o.position in ids
    }


def test_one_mode_positions_build_as_before() -> None:
    """A scenario whose positions have one mode builds the same options as without the field."""
    before = Problem.from_scenario(SCENARIO, COHORT)
    again = Problem.from_scenario(_with_modes(SCENARIO, set(), frozenset()), COHORT)
    assert again.options == before.options
    assert again.exclusions == before.exclusions


@settings(max_examples=4, deadline=None)
@given(
    picked=st.sets(
        st.sampled_from([p.id for p in SCENARIO.positions[:12]]), min_size=1, max_size=3
    ),
    others=st.sets(st.sampled_from(list(Mode)), min_size=1).map(frozenset),
)
def test_options_are_the_union_of_each_modes_options(
    picked: set[str], others: frozenset[Mode]
) -> None:
    """Options per pair are exactly the allowed modes whose own assessment passes."""
    multi = _with_modes(SCENARIO, picked, others)
    built = Problem.from_scenario(multi, COHORT)
    expected: set[tuple[object, ...]] = set()
    for pid in picked:
        pos = multi.position(pid)
        for mode in pos.modes:
            alone = attrs.evolve(
                multi,
                positions=tuple(pos.in_mode(mode) if p.id == pid else p for p in multi.positions),
            )
            expected |= _keys(Problem.from_scenario(alone, COHORT), {pid})
    assert _keys(built, picked) == expected
    for o in built.options:
        if o.position in picked:
            assert o.mode in multi.position(o.position).modes


def test_remote_option_needs_no_bed_and_the_mode_is_reported() -> None:
    """An on-site position also open remote has a bed-free remote option; results name the mode."""
    pid = "suss-p02b"
    assert SCENARIO.position(pid).mode is Mode.ON_SITE
    multi = _with_modes(SCENARIO, {pid}, frozenset({Mode.REMOTE}))
    problem = Problem.from_scenario(multi, COHORT)
    remote = [o for o in problem.options if o.position == pid and o.mode is Mode.REMOTE]
    assert remote
    assert all(o.bed_months == () for o in remote)
    result = solve(problem, TEST_SETTINGS)
    check_result(problem, result)
    for a in result.assignments:
        assert a.mode in multi.position(a.position).modes
    seats = {p.id: p.seats for p in problem.positions}
    placed = [a for a in result.assignments if a.position == pid]
    assert len(placed) <= seats[pid]
