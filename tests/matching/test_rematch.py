"""Re-matching after changes, and the audit record."""

from __future__ import annotations

from datetime import date, datetime, timezone

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS, broken_constraints, placed_options

from sgcq.matching import (
    AuditRecord,
    Changes,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    Problem,
    SeatChange,
    Status,
    audit_record,
    rematch,
    render_report,
    solve,
)
from sgcq.models import DateRange, Mode
from sgcq.serialization import dumps_json, loads_json
from sgcq.testing.strategies import problems

AT = datetime(2020, 8, 15, 9, 0, tzinfo=timezone.utc)


@settings(max_examples=15, deadline=None)
@given(
    problem=problems(max_candidates=10, max_positions=4, side_constraints=True, starts=2),
    withdraw=st.integers(0, 3),
)
def test_withdrawals_keep_every_other_placement(problem: Problem, withdraw: int) -> None:
    """After withdrawals alone nobody still present loses or changes their placement."""
    # A minimum size may become unreachable once people withdraw; that is tested elsewhere.
    problem = attrs.evolve(problem, constraints=attrs.evolve(problem.constraints, min_size=None))
    before = solve(problem, TEST_SETTINGS)
    gone = tuple(a.candidate for a in before.assignments[:withdraw])
    after = rematch(problem, before, Changes(withdrawn=gone), settings=TEST_SETTINGS)
    assert after.status is Status.OPTIMAL
    assert after.levels[0].objective == Objective.DISRUPTION.value
    record = audit_record(before, after, at=AT)
    assert record.withdrawn == tuple(sorted(gone))
    changed = Changes(withdrawn=gone).apply(problem, before)
    assert not broken_constraints(changed, placed_options(changed, after))
    # Keeping everyone else is possible unless a share quota or a minimum now
    # bites (a withdrawal shrinks the cohort); then the fewest are moved.
    rest = [o for o in placed_options(problem, before) if o.candidate not in gone]
    lost = len(record.moved) + len(record.newly_unplaced)
    assert after.levels[0].value == lost
    if not broken_constraints(changed, rest):
        assert lost == 0
        assert set(record.kept) == {o.candidate for o in rest}


def test_removing_a_seat_moves_or_unplaces_exactly_one() -> None:
    """Taking a seat from a full position loses one earlier placement, and the record says so."""
    stay = DateRange.of_months(date(2020, 9, 1), 3)
    problem = Problem(
        candidates=(MatchCandidate("a", "ntu"), MatchCandidate("b", "nus")),
        positions=(MatchPosition("p", "h", 2), MatchPosition("q", "h", 1)),
        options=(
            Option("a", "p", stay.start, stay, Mode.ON_SITE, 1),
            Option("b", "p", stay.start, stay, Mode.ON_SITE, 1),
            Option("b", "q", stay.start, stay, Mode.ON_SITE, 2),
        ),
    )
    before = solve(problem, TEST_SETTINGS)
    assert before.as_mapping() == {"a": "p", "b": "p"}
    after = rematch(problem, before, Changes(seats=(SeatChange("p", 1),)), settings=TEST_SETTINGS)
    assert after.levels[0].value == 1  # one earlier placement cannot be kept
    record = audit_record(before, after, at=AT)
    assert len(record.kept) == 1 and len(record.moved) == 1
    assert record.moved[0].after.startswith("q")
    assert "moved 1" in record.summary()
    assert loads_json(dumps_json(record), AuditRecord) == record
    assert "placed 2 of 2" in render_report(
        after, Changes(seats=(SeatChange("p", 1),)).apply(problem, before)
    )


@settings(max_examples=10, deadline=None)
@given(problem=problems(max_candidates=4, max_positions=3, max_seats=3))
def test_added_candidates_are_newly_placed(problem: Problem) -> None:
    """A new candidate with an option into a free seat is reported as newly placed."""
    assume(sum(p.seats for p in problem.positions) > len(problem.candidates))
    before = solve(problem, TEST_SETTINGS)
    stay = DateRange.of_months(date(2020, 7, 1), 2)
    free = next(
        p.id
        for p in problem.positions
        if sum(1 for a in before.assignments if a.position == p.id) < p.seats
    )
    changes = Changes(
        added_candidates=(MatchCandidate("new", "suss"),),
        added_options=(Option("new", free, stay.start, stay, Mode.ON_SITE, 1, 1),),
    )
    after = rematch(problem, before, changes, settings=TEST_SETTINGS)
    record = audit_record(before, after, at=AT)
    assert record.newly_placed == ("new",)
    assert attrs.evolve(record, newly_placed=()).moved == ()
