"""Jobs without a fixed end, and internships converted into jobs (issue 14)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import attrs
import pytest

from sgcq.models import DateRange, Mode, Placement, PlacementStatus, Scenario, TransitionError
from sgcq.rules import evaluate_option, shorter_stays, stay_for
from sgcq.serialization import dumps_json, loads_json

FIXTURE = Path(__file__).parents[2] / "src/sgcq/data/rules/cases/scenarios/programme-kinds.toml"


@pytest.fixture(scope="module")
def kinds() -> Scenario:
    """The invented jobs, courses and co-founder programmes of the case file."""
    from sgcq.serialization import load

    return load(FIXTURE, Scenario)


def test_open_ended_job_runs_to_the_candidates_bound(kinds: Scenario) -> None:
    """An open-ended job's stay ends at the candidate's longest stay, not the job's maximum."""
    c = kinds.candidate("grad")
    open_job = kinds.position("cn-job-open")
    fixed = attrs.evolve(open_job, open_ended=False)
    start = date(2020, 10, 1)
    assert stay_for(c, open_job, start) == DateRange(start, date(2021, 10, 1))
    assert stay_for(c, fixed, start) == DateRange(start, date(2021, 1, 1))
    v = evaluate_option(kinds, c, open_job, DateRange(start, date(2021, 10, 1)))
    assert v.eligible and "visa.cn.work.open" in v.codes
    short = evaluate_option(kinds, c, open_job, DateRange(start, date(2020, 12, 1)))
    assert "placement.duration_outside_position" in short.codes
    assert all(s.end >= date(2021, 1, 1) for s in shorter_stays(c, open_job, start))


def test_open_ended_job_is_cut_by_availability(kinds: Scenario) -> None:
    """Availability still ends an open-ended stay."""
    c = attrs.evolve(
        kinds.candidate("grad"), available=DateRange(date(2020, 1, 1), date(2021, 4, 1))
    )
    assert stay_for(c, kinds.position("cn-job-open"), date(2020, 10, 1)) == DateRange(
        date(2020, 10, 1), date(2021, 4, 1)
    )


AT = datetime(2021, 2, 20, 9, tzinfo=timezone.utc)
INTERN = DateRange(date(2020, 9, 1), date(2021, 3, 1))


def _internship(until: PlacementStatus) -> Placement:
    """An internship moved step by step up to ``until`` (a recorded history)."""
    p = Placement("c1", "intern", INTERN, Mode.ON_SITE)
    steps = (
        PlacementStatus.OFFERED,
        PlacementStatus.ACCEPTED,
        PlacementStatus.VISA_APPLIED,
        PlacementStatus.VISA_GRANTED,
        PlacementStatus.ARRIVED,
    )
    for day, status in enumerate(steps, start=1):
        if p.status is until:
            break
        p = p.advance(status, datetime(2020, 7, day, tzinfo=timezone.utc))
    return p


def test_internship_converted_to_a_job_keeps_both_linked() -> None:
    """Converting completes the internship and links the job placement to it."""
    intern = _internship(PlacementStatus.ARRIVED)
    done, job = intern.convert(
        "cn-job", DateRange(date(2021, 3, 1), date(2022, 3, 1)), Mode.ON_SITE, AT
    )
    assert done.status is PlacementStatus.COMPLETED and done.history[-1].at == AT
    assert job.status is PlacementStatus.PROPOSED and job.candidate == "c1"
    assert job.follows is not None
    assert (job.follows.position, job.follows.period) == ("intern", INTERN)
    again, job2 = done.convert("cn-job", job.period, Mode.ON_SITE, AT)
    assert again == done and job2.follows == job.follows
    assert loads_json(dumps_json(job), Placement) == job


def test_conversion_refuses_an_open_internship_or_an_overlap() -> None:
    """Only an arrived or completed internship converts, into a job that starts after it."""
    offered = _internship(PlacementStatus.OFFERED)
    with pytest.raises(TransitionError, match="only an arrived or completed"):
        offered.convert("job", DateRange(date(2021, 3, 1), date(2022, 3, 1)), Mode.ON_SITE, AT)
    arrived = _internship(PlacementStatus.ARRIVED)
    with pytest.raises(TransitionError, match="before this one ends"):
        arrived.convert("job", DateRange(date(2021, 2, 1), date(2022, 3, 1)), Mode.ON_SITE, AT)


def test_a_link_must_end_before_the_placement_starts() -> None:
    """A placement cannot follow one that ends after it starts (named field)."""
    from sgcq.models import ModelValidationError, PlacementLink

    with pytest.raises(ModelValidationError, match=r"follows\.period"):
        Placement(
            "c1",
            "job",
            DateRange(date(2021, 2, 1), date(2022, 2, 1)),
            Mode.ON_SITE,
            follows=PlacementLink("intern", INTERN),
        )


def test_xiantao_internship_converted_to_a_job_is_eligible_and_linked() -> None:
    """An intern of xiantao-talent-2019 converted to one of its jobs: both placements linked."""
    from sgcq.scenarios import load_scenario

    s = load_scenario("xiantao-talent-2019")
    grad = s.candidate("xt-g01")
    job = s.position("xt-job-06")
    intern = Placement(
        "xt-g01", "xt-intern-06", DateRange(date(2020, 1, 6), date(2020, 7, 1)), Mode.ON_SITE
    )
    for day, status in enumerate(
        ("offered", "accepted", "visa_applied", "visa_granted", "arrived"), 1
    ):
        intern = intern.advance(
            PlacementStatus(status), datetime(2019, 12, day, tzinfo=timezone.utc)
        )
    stay = stay_for(grad, job, date(2020, 7, 1))
    assert stay is not None
    done, placed = intern.convert(job.id, stay, Mode.ON_SITE, AT.replace(year=2020, month=6))
    assert done.status is PlacementStatus.COMPLETED
    assert placed.follows is not None and placed.follows.position == "xt-intern-06"
    verdict = evaluate_option(s, grad, job, placed.period)
    assert verdict.eligible and "visa.cn.work.open" in verdict.codes
    assert not any(code.startswith(("visa.cn.s2", "visa.cn.yes")) for code in verdict.codes)
