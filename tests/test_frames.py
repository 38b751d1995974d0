"""sgcq.frames: every DataFrame's columns and dtypes, and its values against known data."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import hypothesis
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq import frames
from sgcq.errors import MissingExtraError
from sgcq.matching import (
    Assignment,
    BedUse,
    Blocker,
    BlockerKind,
    Explanation,
    Problem,
    RankCount,
    Result,
    Settings,
    SolvePath,
    Status,
    UnplacedReason,
    solve,
)
from sgcq.models import Mode, Money, YearMonth
from sgcq.rules import Reason
from sgcq.scenarios import load_scenario
from sgcq.testing import strategies as sst
from sgcq.testing.checks import constraint_violations

S, I64, NI64, F64, B, D, M = (
    "string",
    "int64",
    "Int64",
    "float64",
    "bool",
    "datetime64[s]",
    "period[M]",
)


def _dtypes(df: pd.DataFrame) -> dict[str, str]:
    return {c: str(t) for c, t in df.dtypes.items()}


@pytest.fixture(scope="module")
def bundled() -> tuple[object, Problem, Result]:
    scenario = load_scenario("ntu-ydpg-2020")
    problem = Problem.from_scenario(scenario)
    return (
        scenario,
        problem,
        solve(problem, Settings(workers=1, seed=1, deterministic_time_limit=5.0)),
    )


def _known() -> Result:
    return Result(
        Status.OPTIMAL,
        SolvePath.FLOW,
        assignments=(
            Assignment(
                "c1",
                "p1",
                date(2020, 9, 1),
                date(2020, 12, 1),
                Mode.ON_SITE,
                1,
                None,
                Money("3000", "CNY"),
                Money("600.125", "SGD"),
            ),
            Assignment("c2", "p2", date(2020, 10, 1), date(2021, 1, 1), Mode.REMOTE, None, 2),
        ),
        unplaced=(
            Explanation(
                "c3",
                False,
                (
                    UnplacedReason(
                        "p1",
                        date(2020, 9, 1),
                        blockers=(
                            Blocker(
                                BlockerKind.BEDS_FULL,
                                "beds full in 2020-10",
                                month=YearMonth(2020, 10),
                            ),
                            Blocker(BlockerKind.SEATS_FULL, "p1's seat taken", subject="p1"),
                        ),
                    ),
                    UnplacedReason("p2", None, rule_reasons=(Reason("visa.x", "no visa"),)),
                ),
            ),
            Explanation("c4", True, ()),
        ),
        rank_distribution=(RankCount(1, 1), RankCount(None, 1)),
        beds_used=(BedUse(YearMonth(2020, 9), 1, 2), BedUse(YearMonth(2020, 10), 2, None)),
    )


def test_assignments_columns_dtypes_and_values(bundled: tuple[object, Problem, Result]) -> None:
    """Ids and enums are strings, dates datetime64, ranks nullable, money amount + currency."""
    df = frames.assignments(_known())
    assert _dtypes(df) == {
        "candidate": S,
        "position": S,
        "host": S,
        "start": D,
        "end": D,
        "days": I64,
        "mode": S,
        "candidate_rank": NI64,
        "position_rank": NI64,
        "allowance_amount": F64,
        "allowance_currency": S,
        "cost_amount": F64,
        "cost_currency": S,
        "covered_start": D,
        "covered_end": D,
        "uncovered_start": D,
        "uncovered_end": D,
    }
    assert df["mode"].tolist() == ["on_site", "remote"]
    assert df["start"][0] == pd.Timestamp("2020-09-01") and df["days"].tolist() == [91, 92]
    assert df["candidate_rank"][0] == 1 and df["candidate_rank"].isna()[1]
    assert df["cost_amount"][0] == 600.12 and df["cost_currency"][0] == "SGD"
    assert df["allowance_amount"][0] == 3000.0 and pd.isna(df["allowance_amount"][1])
    assert df["host"].isna().all()
    _, problem, result = bundled
    full = frames.assignments(result, problem)
    hosts = {p.id: p.host for p in problem.positions}
    assert len(full) == result.placed
    assert full["host"].tolist() == [hosts[p] for p in full["position"]]


def test_an_empty_result_gives_the_same_columns() -> None:
    """No rows, same columns and dtypes."""
    empty = Result(Status.INFEASIBLE, SolvePath.CP_SAT)
    for f in (
        frames.assignments,
        frames.unplaced,
        frames.unplaced_reasons,
        frames.beds,
        frames.ranks,
    ):
        full = f(_known())  # type: ignore[operator]
        none = f(empty)  # type: ignore[operator]
        assert len(none) == 0 and _dtypes(none) == _dtypes(full), f.__name__


def test_unplaced_and_their_reasons() -> None:
    """One row per unplaced candidate with the first reason; one per reason in the long form."""
    df = frames.unplaced(_known())
    assert _dtypes(df) == {
        "candidate": S,
        "state": S,
        "blocked_options": I64,
        "exclusions": I64,
        "first_position": S,
        "first_start": D,
        "first_code": S,
        "first_reason": S,
    }
    assert df["state"].tolist() == ["not_placed", "ineligible"]
    assert df.loc[0, "first_code"] == "beds_full" and df.loc[0, "blocked_options"] == 1
    assert df.loc[0, "exclusions"] == 1 and pd.isna(df.loc[1, "first_position"])
    assert df.loc[1, "first_reason"] == "no position fits"
    long = frames.unplaced_reasons(_known())
    assert _dtypes(long) == {
        "candidate": S,
        "position": S,
        "start": D,
        "eligible": B,
        "code": S,
        "message": S,
        "subject": S,
        "month": M,
    }
    assert long["code"].tolist() == ["beds_full", "seats_full", "visa.x"]
    assert long["eligible"].tolist() == [True, True, False]
    assert long["month"][0] == pd.Period("2020-10", "M") and pd.isna(long["month"][1])
    assert pd.isna(long["start"][2])


def test_beds_and_ranks() -> None:
    """Months are periods; a month without a limit has <NA> capacity; ranks have shares."""
    b = frames.beds(_known())
    assert _dtypes(b) == {"month": M, "used": I64, "capacity": NI64, "free": NI64}
    assert b["month"].tolist() == [pd.Period("2020-09", "M"), pd.Period("2020-10", "M")]
    assert b["free"][0] == 1 and pd.isna(b["capacity"][1])
    r = frames.ranks(_known())
    assert _dtypes(r) == {"rank": NI64, "count": I64, "share": F64}
    assert r["rank"][0] == 1 and pd.isna(r["rank"][1]) and r["share"].tolist() == [0.5, 0.5]


def test_quota_fill_counts_as_the_checker_does(bundled: tuple[object, Problem, Result]) -> None:
    """Each quota's count is recomputed from the assignments; bounds resolve shares."""
    _, problem, result = bundled
    df = frames.quota_fill(result, problem)
    assert _dtypes(df) == {
        "dimension": S,
        "key": S,
        "placed": I64,
        "share": F64,
        "minimum": S,
        "maximum": S,
        "minimum_count": F64,
        "maximum_count": F64,
        "ok": B,
        "year": NI64,
    }
    assert len(df) == len(problem.constraints.quotas)
    fields = {p.id: p.fields for p in problem.positions}
    unis = {c.id: c.university for c in problem.candidates}
    for row in df.itertuples():
        if row.dimension == "field":
            n = sum(row.key in fields[a.position] for a in result.assignments)
        else:
            n = sum(unis[a.candidate] == row.key for a in result.assignments)
        assert row.placed == n
        if not pd.isna(row.maximum) and row.maximum.endswith("%"):
            assert row.maximum_count == pytest.approx(float(row.maximum[:-1]) / 100 * result.placed)
    assert df["ok"].all()  # an optimal result meets every quota


def test_problem_options_and_exclusions(bundled: tuple[object, Problem, Result]) -> None:
    """One row per option; one row per reason of each exclusion, with its citation."""
    _, problem, _ = bundled
    o = frames.options(problem)
    assert len(o) == len(problem.options)
    assert _dtypes(o)["bed_months"] == I64 and _dtypes(o)["cost_amount"] == F64
    assert o["bed_months"].tolist() == [len(x.bed_months) for x in problem.options]
    assert set(o["cost_currency"].dropna()) == {"CNY"}
    x = frames.exclusions(problem)
    assert _dtypes(x) == {
        "candidate": S,
        "position": S,
        "start": D,
        "code": S,
        "message": S,
        "citation": S,
    }
    assert len(x) == sum(len(e.reasons) for e in problem.exclusions)
    assert x["citation"].notna().any() and x["code"].str.contains(".", regex=False).all()


def test_scenario_candidates_and_positions(bundled: tuple[object, Problem, Result]) -> None:
    """Personal fields stay out unless asked for; sets are sorted, comma-separated strings."""
    scenario, _, _ = bundled
    c = frames.candidates(scenario)  # type: ignore[arg-type]
    assert len(c) == 120 and not {"name", "date_of_birth", "nationalities"} & set(c.columns)
    assert _dtypes(c)["available_start"] == D and _dtypes(c)["ranked"] == I64
    first = scenario.candidates[0]  # type: ignore[attr-defined]
    assert c.loc[0, "skills"] == ",".join(sorted(first.skills))
    assert c.loc[0, "ranked"] == len(first.preferences)
    p = frames.candidates(scenario, personal=True)  # type: ignore[arg-type]
    assert list(p.columns[-3:]) == ["name", "date_of_birth", "nationalities"]
    pos = frames.positions(scenario)  # type: ignore[arg-type]
    assert len(pos) == 60 and pos["seats"].sum() == 106
    assert _dtypes(pos)["housing_cover"] == B and _dtypes(pos)["hours_per_week"] == F64
    assert set(pos["mode"]) <= {"on_site", "remote", "hybrid"}


def test_verdicts_of_every_ranked_option() -> None:
    """Every start of every ranked position, with outcome, codes and missing inputs."""
    scenario = load_scenario("nus-ytp-2019")
    df = frames.verdicts(scenario)
    assert _dtypes(df) == {
        "candidate": S,
        "position": S,
        "candidate_rank": NI64,
        "start": D,
        "end": D,
        "outcome": S,
        "eligible": B,
        "codes": S,
        "missing": S,
        "message": S,
    }
    from sgcq.rules import evaluate_candidate

    expected = sum(len(evaluate_candidate(scenario, c)) for c in scenario.candidates)
    assert len(df) == expected
    assert set(df["outcome"]) <= {"eligible", "ineligible", "undetermined", "no_stay"}
    assert (df["eligible"] == (df["outcome"] == "eligible")).all()
    one = frames.verdicts(scenario, [scenario.candidates[0].id])
    assert set(one["candidate"]) == {scenario.candidates[0].id}
    # the route that opens the option, then the programme kind whose rules applied
    assert one["codes"][0].split(";") == ["visa.cn.s2.open", "option.programme_kind"]


def test_missing_pandas_names_the_extra() -> None:
    """Without pandas, a frame function raises MissingExtraError with the pip line."""
    code = (
        "import sys\n"
        "from sgcq import frames\n"
        "from sgcq.matching import Result, SolvePath, Status\n"
        # OR-Tools imports pandas itself: hide it only once sgcq is loaded.
        "sys.modules['pandas'] = None\n"
        "try:\n"
        "    frames.beds(Result(Status.UNKNOWN, SolvePath.CP_SAT))\n"
        "except ImportError as e:\n"
        "    print(type(e).__name__, e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "MissingExtraError sgcq.frames needs pandas, which is not installed; "
        'install it with: pip install "sgcq[pandas]"'
    )
    assert issubclass(MissingExtraError, ImportError)


# --- properties ------------------------------------------------------------------------


def _result_of(problem: Problem, chosen: list[object]) -> Result:
    return Result(
        Status.FEASIBLE,
        SolvePath.CP_SAT,
        assignments=tuple(
            Assignment(
                o.candidate,
                o.position,
                o.stay.start,
                o.stay.end,
                o.mode,  # type: ignore[attr-defined]
                o.candidate_rank,
                o.position_rank,
                o.allowance,
                o.cost,
            )  # type: ignore[attr-defined]
            for o in chosen
        ),
    )


@settings(max_examples=60)
@given(data=st.data(), problem=sst.problems(max_candidates=10, side_constraints=True))
def test_quota_fill_agrees_with_the_independent_checker(
    data: st.DataObject, problem: Problem
) -> None:
    """For any set of placements (one option per candidate at most), a quota is marked not ok
    exactly when sgcq.testing.checks.constraint_violations reports it (differential)."""
    by_candidate: dict[str, list[object]] = {}
    for o in problem.options:
        by_candidate.setdefault(o.candidate, []).append(o)
    chosen = [
        opts[i]
        for opts in by_candidate.values()
        if (i := data.draw(st.integers(-1, len(opts) - 1))) >= 0
    ]
    df = frames.quota_fill(_result_of(problem, chosen), problem)
    broken = {
        v.subject
        for v in constraint_violations(problem, chosen)  # type: ignore[arg-type]
        if v.constraint in ("quota_min", "quota_max")
    }
    assert set(df.loc[~df["ok"], "key"]) == broken
    event = "some quota broken" if broken else "every quota met"
    hypothesis.event(event)
    assert len(df) == len(problem.constraints.quotas)


def test_progress_frame_has_one_row_per_target() -> None:
    """frames.progress gives each target's state, observed value and projection."""
    from datetime import date

    from sgcq.rules import progress as progress_of

    report = progress_of(load_scenario("nus-ytp-2019"), date(2020, 4, 30))
    df = frames.progress(report)
    assert list(df["state"]) == ["behind"]
    assert list(df["observed"]) == [46.0]
    assert str(df["by"].dtype) == "datetime64[s]"
    assert df["projected"].iloc[0] == pytest.approx(83.9, abs=0.05)
    assert df["tolerance"].iloc[0] == 10.0 and df["currency"].isna().all()
