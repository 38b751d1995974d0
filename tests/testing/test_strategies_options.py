"""Tests of the options() strategy: every example is an option the rules can evaluate."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq.models import Mode
from sgcq.rules import Outcome, evaluate_candidate, stay_for
from sgcq.testing.checks import assert_reasons_cited
from sgcq.testing.strategies import OptionCase, options

# Each example draws a whole scenario; fewer examples keep the suite quick.
FEW = settings(max_examples=25, deadline=None)


@FEW
@given(options())
def test_every_option_has_its_stay_and_evaluates(option: OptionCase) -> None:
    """The stay is stay_for's, the pair is in the scenario, and the rules give a cited verdict."""
    s = option.scenario
    assert s.candidate(option.candidate.id) == option.candidate
    assert s.position(option.position.id) == option.position
    assert option.stay == stay_for(
        option.candidate, option.position, option.stay.start, option.programme
    )
    assert option.stay.start in option.position.start_options(option.candidate.available)
    verdict = option.evaluate()
    assert verdict.outcome in set(Outcome)
    assert_reasons_cited(verdict)
    assert option.context().stay == option.stay


@FEW
@given(options(max_candidates=1, max_positions=1))
def test_the_option_is_among_the_candidates_evaluated_starts(option: OptionCase) -> None:
    """evaluate_candidate, which walks every allowed start, finds this option with a verdict."""
    found = evaluate_candidate(option.scenario, option.candidate, positions=(option.position,))
    (same,) = [o for o in found if o.start == option.stay.start]
    assert same.stay == option.stay and same.verdict is not None


@FEW
@given(
    options(min_date=date(2021, 1, 1), max_date=date(2021, 12, 31), modes={Mode.REMOTE}),
)
def test_knobs_bound_the_start_and_the_modes(option: OptionCase) -> None:
    """Dates and modes follow the knobs; as_of is the stay's start unless asked otherwise."""
    assert date(2021, 1, 1) <= option.stay.start <= date(2021, 12, 31)
    assert option.position.mode is Mode.REMOTE
    assert option.as_of == option.stay.start


@FEW
@given(options(vary_as_of=True, min_date=date(2020, 1, 1), max_date=date(2022, 12, 31)))
def test_vary_as_of_draws_the_evaluation_date(option: OptionCase) -> None:
    """With vary_as_of the evaluation date is anywhere in the bounds, and is used."""
    assert date(2020, 1, 1) <= option.as_of <= date(2022, 12, 31)
    assert option.evaluate().as_of == option.as_of


def test_options_need_no_filtering_where_independent_draws_mostly_fail() -> None:
    """Independent draws rarely have a stay; options() always does (so properties never go vacuous).

    Both run the same derandomized examples: the independent pairs are the
    problem the strategy solves, and every option has a stay.
    """
    from sgcq.testing.strategies import scenarios

    pairs_with_stay: list[bool] = []

    @settings(max_examples=40, derandomize=True, database=None, deadline=None)
    @given(scenarios(), st.data())
    def independent(scenario, data):  # type: ignore[no-untyped-def]
        if not scenario.candidates or not scenario.positions:
            pairs_with_stay.append(False)
            return
        c = data.draw(st.sampled_from(scenario.candidates))
        p = data.draw(st.sampled_from(scenario.positions))
        prog = scenario.programme_index.get(p.programme) if p.programme else None
        starts = p.start_options(c.available)
        pairs_with_stay.append(any(stay_for(c, p, d, prog) for d in starts))

    independent()
    assert sum(pairs_with_stay) < len(pairs_with_stay) / 2  # the problem is real

    stays: list[bool] = []

    @settings(max_examples=40, derandomize=True, database=None, deadline=None)
    @given(options())
    def built(option: OptionCase) -> None:
        stays.append(option.stay is not None)

    built()
    assert len(stays) == 40 and all(stays)
