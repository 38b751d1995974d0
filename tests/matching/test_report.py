"""The report: grouped placements, every reason line once, the pointer to the exported file."""

from __future__ import annotations

import pytest

from sgcq.matching import Problem, Result, Settings, match_scenario
from sgcq.matching.export import with_explanations
from sgcq.matching.report import reason_lines, render_report
from sgcq.scenarios import load_scenario


@pytest.fixture(scope="module")
def ntu() -> tuple[Problem, Result]:
    return match_scenario(
        load_scenario("ntu-ydpg-2020"), None, Settings(deterministic_time_limit=20.0)
    )


def test_no_candidate_has_a_reason_line_twice(ntu: tuple[Problem, Result]) -> None:
    """Across start dates and positions, no line repeats within a candidate's explanation."""
    _, result = ntu
    for e in result.unplaced:
        lines = reason_lines(e)
        assert len(lines) == len(set(lines)), e.candidate
        positions = [line.split(" ")[0].rstrip(":") for line in lines]
        assert len(positions) == len(set(positions))
        for line in lines:
            for b in {b.message for r in e.reasons for b in r.blockers}:
                assert line.count(b) <= 1, line


def test_all_rows_or_the_first_and_a_pointer(ntu: tuple[Problem, Result]) -> None:
    """rows=None lists every placement; otherwise the report points to the exported file."""
    problem, result = ntu
    full = render_report(result, problem, rows=None, explanations=None, reasons=None)
    for a in result.assignments:
        assert a.candidate in full
    short = render_report(result, problem, placements_file="out.csv")
    assert "70 more; all 90 are in out.csv" in short
    assert "CNY " in short and "SGD " not in short


def test_verbose_adds_solver_detail(ntu: tuple[Problem, Result]) -> None:
    """Objective levels, bounds and beds by month appear only with verbose."""
    problem, result = ntu
    assert "beds by month" not in render_report(result, problem)
    detail = render_report(result, problem, verbose=True)
    assert "beds by month" in detail and "candidate_welfare" in detail


def test_rich_style(ntu: tuple[Problem, Result]) -> None:
    """With rich installed, the placements table is drawn by rich."""
    pytest.importorskip("rich")
    problem, result = ntu
    text = render_report(result, problem, style="rich", width=120)
    assert "ntu-c118" in text and "─" in text


def test_grouped_and_no_explanations_are_smaller(ntu: tuple[Problem, Result]) -> None:
    """grouped keeps one reason per position; none keeps the candidates without reasons."""
    from sgcq.serialization import dumps_json, loads_json

    _, result = ntu
    full, grouped, none = (
        len(dumps_json(with_explanations(result, d))) for d in ("full", "grouped", "none")
    )
    assert none < grouped < full
    back = loads_json(dumps_json(with_explanations(result, "grouped")), Result)
    assert [e.candidate for e in back.unplaced] == [e.candidate for e in result.unplaced]
    for e in back.unplaced:
        positions = [r.position for r in e.reasons if r.eligible]
        assert len(positions) == len(set(positions))


def test_the_report_lists_certificates_by_course_and_who_misses_one() -> None:
    """Each course's count of participants who earn the certificate, then each who does not."""
    from datetime import datetime, timezone

    import attrs

    from sgcq.models import CertificateAward

    scenario = load_scenario("ntu-west-base-2021")
    problem, result = match_scenario(scenario, "exec-2021", Settings(workers=1, seed=0))
    awards = scenario.certificates(result.to_placements(datetime(2021, 1, 4, tzinfo=timezone.utc)))
    assert awards and all(a.earned for a in awards)
    missing = attrs.evolve(awards[0], candidate="ex-x", attended=(), missing_sessions=("s1",))
    report = render_report(result, problem, certificates=(*awards, missing))
    course = awards[0].course
    lines = report.splitlines()
    head = lines.index("Certificates, with the sessions placed:")
    assert lines[head + 1] == (
        f"  {course} ({awards[0].certificate}): {len(awards)} of "
        f"{len(awards) + 1} participants earn it"
    )
    assert lines[head + 2] == f"    {missing}"
    assert "not earned: 0 of 1 session(s); missing s1" in lines[head + 2]
    assert isinstance(missing, CertificateAward)
    # Without awards there is no section.
    assert "Certificates" not in render_report(result, problem)
