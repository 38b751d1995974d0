"""Tests of the solver-independent checks in sgcq.testing.checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgcq.models import Citation
from sgcq.rules import Outcome, Reason, Verdict
from sgcq.testing.checks import (
    CheckError,
    assert_constant_between,
    assert_no_worse,
    assert_reasons_cited,
    assert_stable,
    blocking_pairs,
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


def test_free_seat_blocks() -> None:
    """An unassigned candidate and a position with a free seat that both accept block."""
    pairs = blocking_pairs({"c1": {"p1": 1}}, {"p1": None}, {"p1": 1}, {"c1": None})
    assert [(b.candidate, b.position, b.reason) for b in pairs] == [
        ("c1", "p1", "p1 has a free seat")
    ]


def test_ties_do_not_block() -> None:
    """Weak stability: a position indifferent between two candidates is not blocked."""
    pairs = blocking_pairs(
        {"c1": {"p1": 1}, "c2": {"p1": 1}},
        {"p1": {"c1": 1, "c2": 1}},
        {"p1": 1},
        {"c1": None, "c2": "p1"},
    )
    assert pairs == ()


def test_unranked_position_blocks_only_with_free_seat() -> None:
    """A position with no ranking is indifferent, so a full one is never blocked."""
    args = ({"c1": {"p1": 1}, "c2": {"p1": 1}}, {"p1": None}, {"p1": 1})
    assert blocking_pairs(*args, {"c1": None, "c2": "p1"}) == ()


def test_unacceptable_and_ineligible_pairs_do_not_block() -> None:
    """A candidate the position did not rank, or a pair the rules forbid, cannot block."""
    ranks = {"c1": {"p1": 1}}
    assert blocking_pairs(ranks, {"p1": {"c9": 1}}, {"p1": 1}, {"c1": None}) == ()
    assert (
        blocking_pairs(ranks, {"p1": None}, {"p1": 1}, {"c1": None}, eligible=lambda c, p: False)
        == ()
    )


def test_assert_stable_lists_every_pair() -> None:
    """assert_stable raises with one line per blocking pair."""
    with pytest.raises(CheckError, match="2 violations") as info:
        assert_stable(
            {"c1": {"p1": 1}, "c2": {"p2": 1}},
            {"p1": None, "p2": None},
            {"p1": 1, "p2": 1},
            {"c1": None, "c2": None},
        )
    assert "blocking pair c1-p1" in str(info.value)
    assert "blocking pair c2-p2" in str(info.value)


def test_missing_candidate_in_assignment_is_an_error() -> None:
    """Every candidate must have an assignment entry; none is silently skipped."""
    with pytest.raises(ValueError, match="c2"):
        blocking_pairs({"c1": {}, "c2": {}}, {}, {}, {"c1": None})


@st.composite
def strict_instances(
    draw: st.DrawFn,
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """Strict, mutually consistent preference lists for hospital/residents."""
    n_c = draw(st.integers(1, 7))
    n_p = draw(st.integers(1, 4))
    cands = [f"c{i}" for i in range(n_c)]
    poss = [f"p{j}" for j in range(n_p)]
    c_prefs = {
        c: draw(st.permutations(poss).map(lambda x: list(x[: max(1, len(x) - 1)]))) for c in cands
    }
    p_prefs: dict[str, list[str]] = {}
    for p in poss:
        applicants = [c for c in cands if p in c_prefs[c]]
        p_prefs[p] = list(draw(st.permutations(applicants)))
    caps = {p: draw(st.integers(1, 3)) for p in poss}
    return c_prefs, p_prefs, caps


@pytest.mark.filterwarnings("ignore::matching.exceptions.PlayerExcludedWarning")
@given(strict_instances())
def test_deferred_acceptance_result_has_no_blocking_pair(
    instance: tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]],
) -> None:
    """Differential: the `matching` package's stable matching passes our checker."""
    from matching.games import HospitalResident

    c_prefs, p_prefs, caps = instance
    game = HospitalResident.create_from_dictionaries(c_prefs, p_prefs, caps)
    solution = game.solve(optimal="resident")
    assignment: dict[str, str | None] = dict.fromkeys(c_prefs)
    for hospital, residents in solution.items():
        for r in residents:
            assignment[str(r)] = str(hospital)
    c_ranks = {c: {p: i + 1 for i, p in enumerate(ps)} for c, ps in c_prefs.items()}
    p_ranks: dict[str, dict[str, int] | None] = {
        p: {c: i + 1 for i, c in enumerate(cs)} for p, cs in p_prefs.items()
    }
    assert blocking_pairs(c_ranks, p_ranks, caps, assignment) == ()
    # Unassigning a placed candidate whose position is their first choice
    # always opens a blocking pair: the free seat they left.
    placed_first = [c for c, p in assignment.items() if p is not None and c_ranks[c][p] == 1]
    if placed_first:
        c = placed_first[0]
        broken = {**assignment, c: None}
        assert any(b.candidate == c for b in blocking_pairs(c_ranks, p_ranks, caps, broken))
