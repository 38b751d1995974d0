"""Side constraints as rows: one definition that every stage reads.

The rows are checked against the plain-code checker of ``sgcq.testing``
(an independent oracle written from the problem's data, not from the rows),
and a side constraint that does not exist in sgcq (a per-host minimum, the
worked example of ``docs/architecture.md``) is added the way the guide says,
to show every stage honours a new row without further changes.
"""

from __future__ import annotations

import itertools
from datetime import date
from enum import Enum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import TEST_SETTINGS, placed_options

from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Option,
    Problem,
    Settings,
    SolvePath,
    Status,
    choose_path,
    solve,
)
from sgcq.matching._index import UNPLACED, Index, Row
from sgcq.matching._limits import Usage, violations
from sgcq.matching._repair import greedy, greedy_with_minimums, repair
from sgcq.models import DateRange, Mode
from sgcq.testing.checks import constraint_violations
from sgcq.testing.strategies import problems


def _assignments(ix: Index) -> itertools.product[tuple[int, ...]]:
    """Every assignment: per candidate one of its options or unplaced."""
    return itertools.product(*([UNPLACED, *opts] for opts in ix.by_cand))


SMALL = problems(max_candidates=4, max_positions=3, max_ranks=2, starts=2, side_constraints=True)


@settings(max_examples=40, deadline=None)
@given(SMALL)
def test_violations_agree_with_the_independent_checker(problem: Problem) -> None:
    """For every assignment of a small problem, the rows are broken iff the checker says so."""
    ix = Index(problem)
    for chosen in _assignments(ix):
        picked = [problem.options[i] for i in chosen if i != UNPLACED]
        assert bool(violations(ix, list(chosen))) == bool(constraint_violations(problem, picked)), (
            chosen,
            violations(ix, list(chosen)),
            constraint_violations(problem, picked),
        )


@settings(max_examples=40, deadline=None)
@given(SMALL)
def test_a_redundant_row_is_never_broken(problem: Problem) -> None:
    """A row marked redundant (left out of every model) holds for every assignment."""
    ix = Index(problem)
    redundant = [r for r, row in enumerate(ix.rows) if row.redundant]
    for chosen in _assignments(ix):
        usage = Usage(ix, list(chosen))
        for r in redundant:
            assert not usage.broken(r), (ix.rows[r].label, chosen)


@settings(max_examples=60, deadline=None)
@given(SMALL, st.data())
def test_the_accumulator_matches_each_rows_activity(problem: Problem, data: st.DataObject) -> None:
    """Adding and removing options keeps every row's activity equal to a fresh count."""
    ix = Index(problem)
    usage = Usage(ix)
    for _ in range(6):
        c = data.draw(st.integers(0, len(ix.cand_ids) - 1), label="candidate")
        if usage.chosen[c] != UNPLACED:
            usage.add(usage.chosen[c], -1)
        elif ix.by_cand[c]:
            usage.add(data.draw(st.sampled_from(ix.by_cand[c]), label="option"))
        on = {i for i in usage.chosen if i != UNPLACED}
        for r, row in enumerate(ix.rows):
            assert usage.activity(r) == row.activity(on, len(on)), row.label


@settings(max_examples=60, deadline=None)
@given(SMALL)
def test_repair_and_greedy_meet_every_upper_limit(problem: Problem) -> None:
    """Repair and the greedy keep every upper limit the checker knows (minimums aside)."""
    ix = Index(problem)
    order = sorted(range(len(ix.options)), key=lambda i: (ix.crank[i], i))
    starts = (
        repair(ix, [UNPLACED] * len(ix.cand_ids)),
        greedy(ix, order),
        greedy_with_minimums(ix, order),
    )
    for chosen in starts:
        picked = [problem.options[i] for i in chosen if i != UNPLACED]
        broken = {v.constraint for v in constraint_violations(problem, picked)}
        assert broken <= {"min_size", "quota_min", "pins"}, broken


# --- the worked example: a per-host minimum ------------------------------------------


class _NewKind(str, Enum):
    """A row kind sgcq does not have; stands for a new member of RowKind."""

    HOST_MINIMUM = "host_minimum"


STAY = DateRange(date(2020, 9, 1), date(2021, 3, 1))


def _problem() -> Problem:
    """Three candidates; h0's position is everyone's second choice."""
    positions = (
        MatchPosition("p0", "h0", seats=2),
        MatchPosition("p1", "h1", seats=2),
        MatchPosition("p2", "h1", seats=1),
    )
    options = []
    for c in ("c0", "c1", "c2"):
        options.append(Option(c, "p1" if c != "c2" else "p2", STAY.start, STAY, Mode.ON_SITE, 1))
        options.append(Option(c, "p0", STAY.start, STAY, Mode.ON_SITE, 2))
    return Problem(
        candidates=tuple(MatchCandidate(c, "ntu") for c in ("c0", "c1", "c2")),
        positions=positions,
        options=tuple(options),
        constraints=Constraints(max_size=3),
    )


@pytest.fixture
def host_minimum(monkeypatch: pytest.MonkeyPatch) -> int:
    """Give every index a row "host h0 takes at least 2", as a new constraint would."""
    build = Index._build_rows
    minimum = 2

    def with_minimum(self: Index) -> None:
        build(self)
        h0 = self.host_ids.index("h0")
        members = [
            i for p, opts in enumerate(self.by_pos) if self.host_of_pos[p] == h0 for i in opts
        ]
        row = Row(
            _NewKind.HOST_MINIMUM,  # type: ignore[arg-type]
            "host h0 minimum",
            members,
            lo=minimum,
            at=h0,
            candidates=len(self.cand_ids),
        )
        self._add(row)
        self.member_rows.append(len(self.rows) - 1)

    monkeypatch.setattr(Index, "_build_rows", with_minimum)
    return minimum


def _h0(problem: Problem, result: object) -> int:
    return sum(1 for o in placed_options(problem, result) if o.position == "p0")  # type: ignore[arg-type]


def test_without_the_new_row_h0_gets_nobody() -> None:
    """The baseline: everyone gets a first choice, none of them at h0."""
    result = solve(_problem(), TEST_SETTINGS)
    assert result.path is SolvePath.FLOW and result.placed == 3 and _h0(_problem(), result) == 0


def test_the_fast_exact_paths_refuse_a_new_kind(host_minimum: int) -> None:
    """Min-cost flow and deferred acceptance name the new kind; AUTO goes on to other stages."""
    path, why = choose_path(_problem())
    assert path is SolvePath.CP_SAT and "host_minimum constraints" in why


@pytest.mark.parametrize("path", [SolvePath.AUTO, SolvePath.CP_SAT, SolvePath.LAGRANGIAN])
def test_every_stage_honours_the_new_row(host_minimum: int, path: SolvePath) -> None:
    """CP-SAT writes the row, the Lagrangian stage prices it: h0 gets its two, still optimal."""
    problem = _problem()
    result = solve(problem, Settings(workers=1, seed=0, deterministic_time_limit=10, path=path))
    assert result.status is Status.OPTIMAL
    assert result.placed == 3 and _h0(problem, result) == host_minimum
    # Welfare: one first choice and two second choices is the best that meets it.
    assert [lv.value for lv in result.levels] == [3, 2 + 1 + 1]


def test_the_checks_report_the_new_row(host_minimum: int) -> None:
    """The one accumulator reports the broken row with its label and numbers."""
    ix = Index(_problem())
    first = [ix.by_cand[c][0] for c in range(3)]  # every first choice: h0 empty
    assert violations(ix, first) == ["host h0 minimum: 0 outside [2, ]"]
