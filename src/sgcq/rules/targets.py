"""How each of a scenario's targets stands on a date, and where it is heading.

:func:`progress` reads every programme's :class:`~sgcq.models.Target` (and its
reported :class:`~sgcq.models.Indicator` figures) as of a date and returns a
:class:`ProgressReport`. It lives in the rules layer because it evaluates
models as of a date and says why, as the other rules do; the models stay
plain data. ``sgcq.frames.progress`` turns a report into a DataFrame and
``sgcq progress`` prints one.

The states, for the latest observation on or before the date (on or before
the deadline once it has passed):

* ``not_started``: the date is before the target's baseline;
* ``no_observation``: nothing observed since the baseline (or at all);
* ``met`` / ``missed``: the deadline (inclusive) has come; the latest value
  satisfies the comparator or not. An ``at_least`` target is ``met`` as soon
  as it is reached, since counts towards it do not fall back;
* ``on_track`` / ``behind``: before the deadline, the projection satisfies
  the comparator or not (an ``at_most`` target whose latest value already
  exceeds its cap is ``behind`` whatever the projection);
* ``no_projection``: before the deadline, not met, and only one point (no
  baseline and one observation), so there is no trend to project.

The projection is **linear from the baseline (or the first observation) to
the latest observation**, extended to the deadline; it is stated as such in
every report and is a straight line, not a forecast.

A money-valued target compares amounts in its own currency: an
observation's value or one of its other quotes in that currency is used as
given; otherwise the scenario's :class:`~sgcq.models.RateTable` converts it
at the rate in force on the observation's date, and the reason says so.

Examples
--------
>>> from datetime import date
>>> from sgcq.scenarios import load_scenario
>>> report = progress(load_scenario("ssijri-2020"), date(2023, 12, 31))
>>> [p.state.value for p in report.targets]
['on_track', 'behind']
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import attrs

from sgcq.models import (
    Comparator,
    Indicator,
    Money,
    Observation,
    RateNotFoundError,
    RateTable,
    Scenario,
    Target,
    _html,
)

__all__ = [
    "PROJECTION_METHOD",
    "IndicatorStatus",
    "ProgressReport",
    "ProgressState",
    "Projection",
    "TargetProgress",
    "progress",
    "satisfies",
    "target_progress",
]

#: How every projection is made, as the reports state it.
PROJECTION_METHOD = "linear from the baseline (or first observation) to the latest observation"


class ProgressState(str, Enum):
    """Where a target stands on a date (see :mod:`sgcq.rules.targets`)."""

    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    NO_PROJECTION = "no_projection"
    NO_OBSERVATION = "no_observation"
    NOT_STARTED = "not_started"

    @property
    def words(self) -> str:
        """The state as words, e.g. ``"on track"``."""
        return self.value.replace("_", " ")


def satisfies(
    comparator: Comparator, observed: Decimal, value: Decimal, tolerance: Decimal | None = None
) -> bool:
    """Return whether ``observed`` satisfies ``comparator`` against ``value``.

    Parameters
    ----------
    comparator
        The target's comparator.
    observed, value
        The observed (or projected) number and the target's.
    tolerance
        For ``about``: how far either side still counts (inclusive).

    Returns
    -------
    bool
        ``observed >= value`` (at least), ``<=`` (at most), ``==`` (exactly),
        or ``|observed - value| <= tolerance`` (about).

    Examples
    --------
    >>> satisfies(Comparator.ABOUT, Decimal(92), Decimal(100), Decimal(10))
    True
    """
    if comparator is Comparator.AT_LEAST:
        return observed >= value
    if comparator is Comparator.AT_MOST:
        return observed <= value
    if comparator is Comparator.EXACTLY:
        return observed == value
    if tolerance is None:
        raise ValueError("'about' needs a tolerance")
    return abs(observed - value) <= tolerance


@attrs.frozen
class Projection:
    """A straight line from a start point to the latest observation, read at the deadline.

    Parameters
    ----------
    value
        The line's value on ``on`` (in the target's unit; for money, its currency).
    on
        The target's deadline.
    start, start_value, end, end_value
        The two points the line goes through.
    method
        How it was made: always :data:`PROJECTION_METHOD`.
    """

    value: Decimal
    on: date
    start: date
    start_value: Decimal
    end: date
    end_value: Decimal
    method: str = PROJECTION_METHOD


@attrs.frozen
class TargetProgress:
    """One target's state on a date.

    Parameters
    ----------
    programme
        The programme's id.
    target
        The target.
    as_of
        The date of the report.
    state
        Where it stands.
    observed
        The observation the state rests on, if any.
    observed_value
        Its value as a number in the target's unit (converted for money).
    projection
        The linear projection to the deadline, if one could be made.
    reason
        Why the state is what it is, in words.
    """

    programme: str
    target: Target
    as_of: date
    state: ProgressState
    observed: Observation | None
    observed_value: Decimal | None
    projection: Projection | None
    reason: str

    def _unit(self, x: Decimal) -> str:
        if isinstance(self.target.value, Money):
            return str(Money(x, self.target.value.currency).rounded())
        return str(int(x)) if x == x.to_integral_value() else f"{x:.1f}"

    @property
    def observed_text(self) -> str:
        """The observed value and its date, or ``"-"``."""
        if self.observed is None:
            return "-"
        assert self.observed_value is not None
        floor = "+" if self.observed.lower_bound else ""
        return f"{self._unit(self.observed_value)}{floor} on {self.observed.on.isoformat()}"

    @property
    def projection_text(self) -> str:
        """The projected value at the deadline, or ``"-"``."""
        if self.projection is None:
            return "-"
        return f"{self._unit(self.projection.value)} by {self.projection.on.isoformat()}"

    def __str__(self) -> str:
        line = f"{self.target}: {self.state.words}; observed {self.observed_text}"
        if self.projection is not None:
            line += f"; projected {self.projection_text}"
        return line


@attrs.frozen
class IndicatorStatus:
    """The latest value of a reported figure that has no target.

    Parameters
    ----------
    programme
        The programme's id.
    indicator
        The figure and its observations.
    latest
        Its last observation on or before the report's date, if any.
    """

    programme: str
    indicator: Indicator
    latest: Observation | None

    def __str__(self) -> str:
        seen = "-" if self.latest is None else str(self.latest)
        return f"{self.indicator.metric}: {seen}"


@attrs.frozen(repr=False)
class ProgressReport:
    """Every target's state in a scenario on a date, and the reported outcomes.

    Parameters
    ----------
    scenario
        The scenario's id.
    as_of
        The report's date.
    targets
        One entry per target, in programme order.
    indicators
        The latest value of each reported figure without a target.
    """

    scenario: str
    as_of: date
    targets: tuple[TargetProgress, ...]
    indicators: tuple[IndicatorStatus, ...] = ()

    def counts(self) -> dict[ProgressState, int]:
        """Return how many targets are in each state (states with none left out)."""
        out: dict[ProgressState, int] = {}
        for t in self.targets:
            out[t.state] = out.get(t.state, 0) + 1
        return out

    def summary(self) -> str:
        """Return the report as text: one line per target, then the outcomes."""
        lines = [f"Progress of {self.scenario} as of {self.as_of.isoformat()}"]
        for programme in dict.fromkeys(t.programme for t in self.targets):
            lines.append(f"  {programme}:")
            for t in self.targets:
                if t.programme == programme:
                    lines.append(f"    {t}")
                    lines.append(f"      {t.reason}")
        if not self.targets:
            lines.append("  no targets")
        if self.indicators:
            lines.append("  reported outcomes:")
            lines.extend(f"    {o.programme}: {o}" for o in self.indicators)
        if any(t.projection is not None for t in self.targets):
            lines.append(f"  projections: {PROJECTION_METHOD}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        states = ", ".join(f"{n} {s.words}" for s, n in self.counts().items())
        return (
            f"<ProgressReport {self.scenario} as of {self.as_of}: "
            f"{_html.plural(len(self.targets), 'target')}"
            + (f" ({states})" if states else "")
            + ">"
        )

    def _repr_html_(self) -> str:
        """Return the notebook view: a row per target, then the reported outcomes."""
        parts = [
            _html.html_table(
                ("programme", "target", "state", "observed", "projected", "reason"),
                (
                    (
                        t.programme,
                        str(t.target),
                        t.state.words,
                        t.observed_text,
                        t.projection_text,
                        t.reason,
                    )
                    for t in self.targets
                ),
                caption="Targets",
            )
        ]
        if self.indicators:
            parts.append(
                _html.html_table(
                    ("programme", "metric", "latest"),
                    (
                        (
                            o.programme,
                            o.indicator.metric,
                            "-" if o.latest is None else str(o.latest),
                        )
                        for o in self.indicators
                    ),
                    caption="Reported outcomes",
                )
            )
        parts.append(_html.note(f"projections: {PROJECTION_METHOD}"))
        return _html.view(
            "progress", f"Progress of {self.scenario} as of {self.as_of.isoformat()}", *parts
        )


def _number(target: Target, o: Observation, rates: RateTable) -> tuple[Decimal | None, str]:
    """Return ``o``'s value in the target's unit, and how it was obtained."""
    if not isinstance(target.value, Money):
        assert isinstance(o.value, int)
        return Decimal(o.value), ""
    currency = target.value.currency
    quoted = o.amount_in(currency)
    if quoted is not None:
        return quoted.amount, ""
    assert isinstance(o.value, Money)
    try:
        rate, record = rates.rate(o.value.currency, currency, o.on)
    except RateNotFoundError:
        return None, (
            f"the observation of {o.on.isoformat()} is in {o.value.currency}, "
            f"with no {currency} quote and no rate in the scenario"
        )
    converted = rates.convert(o.value, currency, on=o.on)
    return converted.amount, (
        f"{o.value} converted at {rate:.4f} ({record.base}->{record.quote} of "
        f"{record.as_of.isoformat()})"
    )


def _target_number(x: Money | int | None) -> Decimal | None:
    if x is None:
        return None
    return x.amount if isinstance(x, Money) else Decimal(x)


def _project(start: tuple[date, Decimal], end: tuple[date, Decimal], by: date) -> Projection:
    span = (end[0] - start[0]).days
    slope = (end[1] - start[1]) / Decimal(span)
    value = start[1] + slope * Decimal((by - start[0]).days)
    return Projection(value, by, start[0], start[1], end[0], end[1])


def target_progress(
    programme: str, target: Target, as_of: date, rates: RateTable | None = None
) -> TargetProgress:
    """Return one target's state on ``as_of`` (see :mod:`sgcq.rules.targets`).

    Parameters
    ----------
    programme
        The id of the programme the target belongs to (carried into the result).
    target
        The target.
    as_of
        The date of the report.
    rates
        Rates for money observations quoted in another currency only.

    Returns
    -------
    TargetProgress
        The state, the observation it rests on, the projection and the reason.
    """
    rates = rates if rates is not None else RateTable()
    value = _target_number(target.value)
    tolerance = _target_number(target.tolerance)
    assert value is not None

    def result(
        state: ProgressState,
        reason: str,
        observed: Observation | None = None,
        number: Decimal | None = None,
        projection: Projection | None = None,
    ) -> TargetProgress:
        return TargetProgress(programme, target, as_of, state, observed, number, projection, reason)

    if target.baseline is not None and as_of < target.baseline.on:
        return result(
            ProgressState.NOT_STARTED,
            f"before the baseline of {target.baseline.on.isoformat()}",
        )
    final = as_of >= target.by
    cutoff = target.by if final else as_of
    seen = [o for o in target.observations if o.on <= cutoff]
    if not seen:
        since = (
            f" since the baseline of {target.baseline.on.isoformat()}"
            if target.baseline is not None
            else ""
        )
        return result(
            ProgressState.NO_OBSERVATION,
            f"nothing observed{since} on or before {cutoff.isoformat()}",
        )
    latest = seen[-1]
    number, how = _number(target, latest, rates)
    if number is None:
        return result(ProgressState.NO_OBSERVATION, how)
    notes = [how] if how else []
    if latest.lower_bound:
        notes.append("the observation is a floor: the true value may be higher")
    start_point = target.baseline if target.baseline is not None else seen[0]
    projection = None
    if not final and start_point.on < latest.on:
        start_number, start_how = _number(target, start_point, rates)
        if start_number is not None:
            projection = _project((start_point.on, start_number), (latest.on, number), target.by)
            if start_how:
                notes.append(f"start: {start_how}")
    ok = satisfies(target.comparator, number, value, tolerance)
    want = target.requirement
    if final:
        state = ProgressState.MET if ok else ProgressState.MISSED
        reason = (
            f"deadline {target.by.isoformat()} reached: the latest value "
            f"{'satisfies' if ok else 'does not satisfy'} {want}"
        )
    elif target.comparator is Comparator.AT_LEAST and ok:
        state = ProgressState.MET
        reason = f"already {want}, before the deadline"
    elif target.comparator is Comparator.AT_MOST and not ok:
        state = ProgressState.BEHIND
        reason = f"already over the cap: not {want}"
    elif projection is None:
        state = ProgressState.NO_PROJECTION
        reason = "not yet met, and one data point only: no trend to project"
    else:
        on_track = satisfies(target.comparator, projection.value, value, tolerance)
        state = ProgressState.ON_TRACK if on_track else ProgressState.BEHIND
        reason = (
            f"the projection to {target.by.isoformat()} "
            f"{'satisfies' if on_track else 'does not satisfy'} {want}"
        )
    return result(state, "; ".join([reason, *notes]), latest, number, projection)


def progress(scenario: Scenario, as_of: date) -> ProgressReport:
    """Report each target's state and projection in ``scenario`` on ``as_of``.

    Parameters
    ----------
    scenario
        The scenario whose programmes' targets and outcomes are read.
    as_of
        The date of the report: observations after it are not used.

    Returns
    -------
    ProgressReport
        One :class:`TargetProgress` per target (programme order, then target
        order) and the latest value of each reported outcome.

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.scenarios import load_scenario
    >>> print(progress(load_scenario("nus-ytp-2019"), date(2020, 4, 30)).targets[0])
    students_next_summer: about 100 ± 10 by 2020-08-31: behind; observed 46 on 2020-03-31; ...
    """
    targets: list[TargetProgress] = []
    indicators: list[IndicatorStatus] = []
    for p in scenario.programmes:
        targets.extend(target_progress(p.id, t, as_of, scenario.rates) for t in p.targets)
        indicators.extend(IndicatorStatus(p.id, o, o.latest(as_of)) for o in p.indicators)
    return ProgressReport(scenario.id, as_of, tuple(targets), tuple(indicators))
