"""Infeasibility that names its cause: one infeasible cohort per constraint family."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from sgcq.errors import ModelValidationError
from sgcq.matching import (
    Constraints,
    MatchCandidate,
    MatchPosition,
    Option,
    Pin,
    Problem,
    Settings,
    Status,
    solve,
)
from sgcq.matching._conflicts import isolate
from sgcq.matching._index import Index
from sgcq.matching.result import ConflictKind
from sgcq.models import Count, DateRange, Mode, Money, MonthlyBeds, Quota, QuotaDimension, YearMonth
from sgcq.testing.strategies import problems

SETTINGS = Settings(workers=1, seed=0, deterministic_time_limit=5.0)
STAY = DateRange(date(2020, 9, 1), date(2020, 11, 1))
MONTHS = (YearMonth(2020, 9), YearMonth(2020, 10))


def problem(n: int = 8, big_data: int = 3, seats: int = 4, **constraints: object) -> Problem:
    """n candidates; positions p0 (big-data, `seats` seats) and p1 (ai); the first
    `big_data` candidates may take p0, everyone p1; each stay costs 100 CNY and 2 bed-months."""
    cands = tuple(MatchCandidate(f"c{i}", "ntu") for i in range(n))
    positions = (
        MatchPosition("p0", "h0", seats=seats, fields=frozenset({"big-data"})),
        MatchPosition("p1", "h1", seats=seats, fields=frozenset({"ai"})),
    )

    def opt(c: int, p: str) -> Option:
        return Option(
            f"c{c}",
            p,
            STAY.start,
            STAY,
            Mode.ON_SITE,
            candidate_rank=1,
            bed_months=MONTHS,
            cost=Money(Decimal(100), "CNY"),
        )

    options = tuple(opt(i, "p0") for i in range(big_data)) + tuple(opt(i, "p1") for i in range(n))
    return Problem(
        candidates=cands,
        positions=positions,
        options=options,
        constraints=Constraints(**constraints),  # type: ignore[arg-type]
        currency="CNY",
    )


def field(key: str, lo: int | None = None, hi: int | None = None) -> Quota:
    return Quota(
        QuotaDimension.FIELD,
        key,
        minimum=None if lo is None else Count(lo),
        maximum=None if hi is None else Count(hi),
    )


def check(p: Problem, kind: ConflictKind, *fragments: str) -> None:
    result = solve(p, SETTINGS)
    assert result.status is Status.INFEASIBLE
    assert any(c.kind is kind for c in result.conflicts), result.conflicts
    text = result.message
    for fragment in fragments:
        assert fragment in text, text


def test_min_quota_names_the_candidates_who_could_count() -> None:
    """field big-data >= 10 with 3 big-data candidates: the pre-check names both numbers."""
    check(
        problem(quotas=(field("big-data", lo=10),)),
        ConflictKind.QUOTA_MIN,
        "quota field big-data >= 10: at most 3 candidates can count towards it",
    )


def test_min_quota_beyond_seats_found_by_the_core() -> None:
    """big-data >= 3 with 3 candidates but 2 seats: the core names the quota and the seats."""
    check(
        problem(seats=2, quotas=(field("big-data", lo=3),)),
        ConflictKind.QUOTA_MIN,
        "quota field big-data >= 3",
        "seats of p0 <= 2",
    )


def test_max_quota() -> None:
    """ai <= 2 while 5 candidates can only take ai and 7 must be placed."""
    check(
        problem(seats=8, min_size=7, quotas=(field("ai", hi=2),)),
        ConflictKind.QUOTA_MAX,
        "quota field ai <= 2",
        "min_size >= 7",
    )


def test_min_size() -> None:
    """min_size 9 with 8 candidates."""
    check(
        problem(min_size=9),
        ConflictKind.MIN_SIZE,
        "min_size >= 9: only 8 candidates have an eligible option",
    )


def test_beds() -> None:
    """Six placements of two bed-months each against 5 beds a month."""
    beds = tuple(MonthlyBeds(m, 5) for m in MONTHS)
    check(
        problem(min_size=6, beds=beds),
        ConflictKind.BEDS,
        "beds <= 10 bed-months in the limited months",
        "hold at least 12",
    )


def test_beds_in_one_month_found_by_the_core() -> None:
    """Enough bed-months in all, but not in October: the core names the month."""
    beds = (MonthlyBeds(MONTHS[0], 9), MonthlyBeds(MONTHS[1], 3))
    check(problem(min_size=6, beds=beds), ConflictKind.BEDS, "beds in 2020-10 <= 3")


def test_budget() -> None:
    """Four placements at CNY 100 each against a budget of CNY 350."""
    check(
        problem(min_size=4, budget=Money(Decimal(350), "CNY")),
        ConflictKind.BUDGET,
        "budget <= CNY 350.00",
        "cost at least CNY 400.00",
    )


def test_pins() -> None:
    """Three candidates pinned to p0's two seats."""
    pins = tuple(Pin(f"c{i}", "p0") for i in range(3))
    check(problem(seats=2, pins=pins), ConflictKind.PINS, "pins at p0", "3 candidates", "2 seats")


@pytest.mark.parametrize("kind", ["none"])
def test_a_feasible_problem_has_no_conflicts(kind: str) -> None:
    """A feasible problem solves and has no conflicts."""
    result = solve(problem(min_size=4, quotas=(field("big-data", lo=2),)), SETTINGS)
    assert result.status is Status.OPTIMAL and result.conflicts == ()


def _feasible(p: Problem) -> bool:
    """Whether any assignment meets every constraint (brute force, the independent checker)."""
    import itertools

    from matching_helpers import broken_constraints

    by_cand: dict[str, list[Option | None]] = {c.id: [None] for c in p.candidates}
    for o in p.options:
        by_cand[o.candidate].append(o)
    return any(
        not broken_constraints(p, [o for o in combo if o is not None])
        for combo in itertools.product(*by_cand.values())
    )


@settings(max_examples=40, deadline=None)
@given(
    base=problems(max_candidates=5, max_positions=3, max_ranks=2, side_constraints=True),
    min_size=st.integers(0, 6),
    field_min=st.integers(0, 4),
    budget=st.sampled_from([None, 0, 1500, 4000]),
    pins=st.integers(0, 3),
)
def test_conflicts_are_sound(
    base: Problem, min_size: int, field_min: int, budget: int | None, pins: int
) -> None:
    """A reported conflict is a proof: brute force finds no assignment; feasible gives none."""
    import attrs

    from sgcq.matching._conflicts import precheck
    from sgcq.matching._index import Index

    fields = sorted({f for pos in base.positions for f in pos.fields})
    quotas = (field(fields[0], lo=field_min),) if fields and field_min else ()
    pinned = tuple(Pin(o.candidate, o.position) for o in base.options[:pins])
    pinned = tuple({p.candidate: p for p in pinned}.values())
    try:
        cons = attrs.evolve(
            base.constraints,
            min_size=min_size or None,
            quotas=base.constraints.quotas + quotas,
            budget=None if budget is None else Money(Decimal(budget), "SGD"),
            pins=pinned,
        )
        p = attrs.evolve(base, constraints=cons, currency="SGD")
    except ModelValidationError:
        return  # not a valid problem (a minimum above a maximum, a duplicate quota)
    feasible = _feasible(p)
    event("feasible" if feasible else "infeasible")
    if precheck(Index(p)):
        assert not feasible
    result = solve(p, SETTINGS)
    assert (result.status is Status.INFEASIBLE) == (not feasible), result.message
    if result.conflicts:
        assert not feasible


def test_isolation_is_skipped_once_the_time_limit_has_run_out() -> None:
    """An infeasible solve whose wall-clock limit is spent names no core, says so, and is quick.

    Conflict isolation runs CP-SAT again; with no time left it is skipped
    (docs/limits.md), so the solve ends within the documented slack.
    """
    p = problem(seats=2, quotas=(field("big-data", lo=3),))
    began = time.perf_counter()
    result = solve(p, Settings(workers=1, seed=0, time_limit=0.001))
    took = time.perf_counter() - began
    assert result.status is Status.INFEASIBLE
    assert result.conflicts == ()
    assert "conflict isolation skipped: the time limit had run out" in result.message
    assert took < 0.001 + 1.0, took
    # With time left, the same problem gets its core.
    assert solve(p, SETTINGS).conflicts


def test_isolation_past_its_deadline_is_cut_short() -> None:
    """Past ``until`` the core is still found (one solve of at least FLOOR), but not shrunk."""
    ix = Index(problem(seats=2, quotas=(field("big-data", lo=3),)))
    full = isolate(ix, SETTINGS)
    assert full.conflicts and not full.cut_short
    late = isolate(ix, SETTINGS, until=time.perf_counter())
    assert late.cut_short
    named = {c.constraint for c in late.conflicts}
    assert {c.constraint for c in full.conflicts} <= named


ISOLATION_INTERRUPTED = r"""
import importlib, os, signal, threading, time
from datetime import date
from sgcq.matching import (
    Constraints, HostCap, MatchCandidate, MatchPosition, Option, Problem, Settings, solve,
)
from sgcq.models import DateRange, Mode

# As in an interactive Python: a runner started in the background (nohup, a
# shell without job control) hands its children SIGINT ignored.
signal.signal(signal.SIGINT, signal.default_int_handler)

# Ten candidates must all be placed with nine hosts that take one each: the
# relaxation proves it at once, but the assumption core behind literals is a
# pigeonhole that one feasibility solve works on for its whole limit (20 s
# and more on the reference machine).
n = 9
stay = DateRange(date(2020, 9, 1), date(2020, 11, 1))
problem = Problem(
    candidates=tuple(MatchCandidate(f"c{i}", "ntu") for i in range(n + 1)),
    positions=tuple(MatchPosition(f"p{j}", f"h{j}", seats=2) for j in range(n)),
    options=tuple(
        Option(f"c{i}", f"p{j}", stay.start, stay, Mode.ON_SITE, candidate_rank=1)
        for i in range(n + 1)
        for j in range(n)
    ),
    constraints=Constraints(
        host_caps=tuple(HostCap(f"h{j}", 1) for j in range(n)), min_size=n + 1
    ),
)
module = importlib.import_module("sgcq.matching.solve")
real = module.isolate
sent = []


def isolate(*args, **kwargs):
    def ctrl_c():
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)  # a real SIGINT, as a user's Ctrl-C

    threading.Timer(0.5, ctrl_c).start()
    return real(*args, **kwargs)


module.isolate = isolate
result = solve(problem, Settings(workers=1, seed=0, deterministic_time_limit=20.0))
after = time.perf_counter() - sent[0]
print(result.status.value, result.interrupted, len(result.conflicts), f"{after:.2f}")
print(result.message)
"""


def test_ctrl_c_during_conflict_isolation_stops_its_solve() -> None:
    """SIGINT during isolation stops the running feasibility solve, not only the next one.

    The solve returns within seconds of the signal (the feasibility solve
    would run 20 s or more), INFEASIBLE without conflicts and interrupted.
    """
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", ISOLATION_INTERRUPTED],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, message = done.stdout.splitlines()[:2]
    status, interrupted, conflicts, after = first.split()
    assert (status, interrupted, conflicts) == ("infeasible", "True", "0")
    assert float(after) < 5.0
    assert "interrupted (Ctrl-C)" in message
