"""Options the rule book can evaluate: a candidate, a position and a stay that fits.

A property over rule verdicts needs a candidate, a position and a stay in one
scenario. Drawn independently, about one pair in fourteen has a stay at all
(the candidate is not available on any allowed start, or the durations do not
overlap), so a property that skips the others checks almost nothing.
:func:`options` builds the option instead of filtering for it: it draws a
scenario, picks a candidate and a position, draws a start the position
allows, and then widens the candidate's availability and reconciles the
duration bounds so that :func:`~sgcq.rules.stay_for` finds a stay. Every
example is an option :func:`~sgcq.rules.evaluate_option` evaluates.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, timedelta

import attrs
from hypothesis import strategies as st

from sgcq.models import (
    Candidate,
    DateRange,
    DurationBounds,
    Mode,
    Position,
    Programme,
    Scenario,
    StartDates,
    StartWindow,
)
from sgcq.rules import (
    Context,
    RuleBook,
    Verdict,
    evaluate_option,
    option_context,
    stay_for,
)
from sgcq.testing.strategies._candidates import candidates
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE
from sgcq.testing.strategies._knobs import cached, check_currencies, check_dates, require
from sgcq.testing.strategies._money import CURRENCIES
from sgcq.testing.strategies._positions import positions
from sgcq.testing.strategies._scenario import scenarios

__all__ = ["OptionCase", "options"]


@attrs.frozen
class OptionCase:
    """An option the rules can evaluate, with everything an evaluation needs.

    Parameters
    ----------
    scenario
        The scenario; it holds ``candidate`` and ``position``.
    candidate, position
        The two sides of the option, as they are in ``scenario``.
    stay
        The stay, :func:`~sgcq.rules.stay_for`'s for ``stay.start``: never ``None``.
    as_of
        The evaluation date (``stay.start`` unless :func:`options` was asked
        to vary it).
    """

    scenario: Scenario
    candidate: Candidate
    position: Position
    stay: DateRange
    as_of: date

    @property
    def programme(self) -> Programme | None:
        """The position's programme in the scenario, if it has one."""
        if self.position.programme is None:
            return None
        return self.scenario.programme_index.get(self.position.programme)

    def context(
        self, rulebook: RuleBook | None = None, *, documents: frozenset[str] | None = None
    ) -> Context:
        """Return the rule context of this option (:func:`~sgcq.rules.option_context`).

        Parameters
        ----------
        rulebook
            The rules; sgcq's defaults when ``None``.
        documents
            The candidate's documents, if known.
        """
        return option_context(
            self.scenario,
            self.candidate,
            self.position,
            self.stay,
            as_of=self.as_of,
            programme=self.programme,
            rulebook=rulebook,
            documents=documents,
        )

    def evaluate(self, rulebook: RuleBook | None = None) -> Verdict:
        """Return the option's combined verdict (:func:`~sgcq.rules.evaluate_option`).

        Parameters
        ----------
        rulebook
            The rules; sgcq's defaults when ``None``.
        """
        return evaluate_option(
            self.scenario,
            self.candidate,
            self.position,
            self.stay,
            as_of=self.as_of,
            programme=self.programme,
            rulebook=rulebook,
        )


def _start(position: Position, min_date: date, max_date: date) -> Position:
    """Return ``position`` with a start rule that allows at least one date in the bounds."""
    window = DateRange(min_date, max_date + timedelta(days=1))
    starts = position.starts
    if isinstance(starts, StartWindow) and not starts.first_of_month:
        # Every day of the window is a start: enough that the window meets the bounds.
        if starts.window.intersection(window) is not None:
            return position
    elif next(iter(starts.candidates_within(window)), None) is not None:
        return position
    first = starts.window.start if isinstance(starts, StartWindow) else min_date
    day = min(max(first, min_date), max_date)
    return attrs.evolve(position, starts=StartDates((day,)))


def _draw_start(draw: st.DrawFn, position: Position, min_date: date, max_date: date) -> date:
    starts = position.starts
    window = DateRange(min_date, max_date + timedelta(days=1))
    if isinstance(starts, StartWindow) and not starts.first_of_month:
        both = starts.window.intersection(window)
        assert both is not None  # _start made sure a date is allowed
        return draw(st.dates(both.start, both.end - timedelta(days=1)))
    return draw(st.sampled_from(position.start_options(window)))


def _fits(bounds: Sequence[DurationBounds], start: date) -> bool:
    return max(b.minimum.end_from(start) for b in bounds) <= min(
        b.maximum.end_from(start) for b in bounds
    )


@cached
@st.composite
def _options(
    draw: st.DrawFn,
    max_candidates: int,
    max_positions: int,
    currencies: tuple[str, ...],
    modes: tuple[Mode, ...],
    min_date: date,
    max_date: date,
    vary_as_of: bool,
) -> OptionCase:
    scenario = draw(
        scenarios(
            # Cohorts and other organisations play no part in an option's
            # verdict; leaving them out keeps examples fast and shrinking short.
            max_cohorts=0,
            max_others=0,
            max_candidates=max_candidates,
            max_positions=max_positions,
            currencies=currencies,
            modes=modes,
            min_date=min_date,
            max_date=max_date,
        )
    )
    uni_ids = tuple(o.id for o in scenario.organisations if o.id.startswith("u"))
    host_ids = tuple(o.id for o in scenario.organisations if o.id.startswith("h"))
    cands, poss = list(scenario.candidates), list(scenario.positions)
    # An empty side gets one member, drawn with references into the scenario.
    if not poss:
        poss.append(
            draw(
                positions(
                    id="p0",
                    host_ids=host_ids,
                    modes=modes,
                    currencies=currencies,
                    min_date=min_date,
                    max_date=max_date,
                )
            )
        )
    if not cands:
        cands.append(
            draw(
                candidates(
                    id="c0",
                    university_ids=uni_ids,
                    modes=modes,
                    min_date=min_date,
                    max_date=max_date,
                )
            )
        )
    ci = draw(st.integers(0, len(cands) - 1))
    pi = draw(st.integers(0, len(poss) - 1))
    position = _start(poss[pi], min_date, max_date)
    start = _draw_start(draw, position, min_date, max_date)
    programme = scenario.programme_index.get(position.programme) if position.programme else None
    # Durations: the candidate's and the programme's bounds must overlap the
    # position's from this start; where they do not, they take the position's.
    if programme is not None and programme.duration is not None:
        if not _fits([position.duration, programme.duration], start):
            position = attrs.evolve(position, duration=programme.duration)
        outer = [position.duration, programme.duration]
    else:
        outer = [position.duration]
    candidate = cands[ci]
    if not _fits([*outer, candidate.duration], start):
        candidate = attrs.evolve(candidate, duration=position.duration)
    bounds = [*outer, candidate.duration]
    # Availability: from the start (or earlier) to at least the longest stay allowed.
    longest = min(b.maximum.end_from(start) for b in bounds)
    available = candidate.available
    candidate = attrs.evolve(
        candidate,
        available=DateRange(min(available.start, start), max(available.end, longest)),
    )
    cands[ci], poss[pi] = candidate, position
    scenario = attrs.evolve(scenario, candidates=tuple(cands), positions=tuple(poss))
    stay = stay_for(candidate, position, start, programme)
    assert stay is not None, "options(): the option was built to have a stay"
    as_of = draw(st.dates(min_date, max_date)) if vary_as_of else stay.start
    return OptionCase(scenario, candidate, position, stay, as_of)


@cached
def options(
    *,
    max_candidates: int = 3,
    max_positions: int = 3,
    currencies: Sequence[str] = CURRENCIES,
    modes: Collection[Mode] = tuple(Mode),
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    vary_as_of: bool = False,
) -> st.SearchStrategy[OptionCase]:
    """Options that the rule book can evaluate, built so that a stay always fits.

    Every example is an :class:`OptionCase`: a scenario drawn by
    :func:`scenarios` (without cohorts, which play no part in a verdict),
    one of its candidates and one of its positions, and the
    stay :func:`~sgcq.rules.stay_for` gives from a start the position allows.
    Nothing is filtered out, so a property over options checks a verdict in
    every example. To make the stay fit, the chosen candidate's availability
    is widened to hold it and, where the durations do not overlap, the
    candidate (and the position, against its programme) take the position's
    (the programme's) bounds; a start rule that allows no date in the bounds
    becomes a single start date.

    Parameters
    ----------
    max_candidates, max_positions
        Most candidates and positions in the scenario (at least one of each
        is always there).
    currencies
        Currencies of money in the scenario.
    modes
        Modes of candidates and positions.
    min_date, max_date
        Bounds of the scenario's dates and of the start.
    vary_as_of
        Draw the evaluation date anywhere in the bounds instead of taking the
        stay's start.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from sgcq.testing.checks import assert_reasons_cited
    >>> @settings(max_examples=5)
    ... @given(options())
    ... def test_reasons_cited(option):
    ...     assert_reasons_cited(option.evaluate())
    >>> test_reasons_cited()
    """
    require(1 <= max_candidates <= 10, f"max_candidates must be in 1..10, got {max_candidates}")
    require(1 <= max_positions <= 10, f"max_positions must be in 1..10, got {max_positions}")
    require(bool(modes), "give at least one mode")
    check_dates(min_date, max_date, room=1)
    mode_order = tuple(m for m in Mode if m in set(modes))
    return _options(
        max_candidates,
        max_positions,
        check_currencies(currencies),
        mode_order,
        min_date,
        max_date,
        vary_as_of,
    )
