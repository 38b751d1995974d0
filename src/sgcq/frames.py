"""pandas DataFrames of results, problems, scenarios and verdicts.

Each function takes one sgcq object and returns a new
:class:`pandas.DataFrame` with documented, fixed columns
(``docs/dataframes.md``), whatever the data: an empty result gives an empty
frame with the same columns and dtypes. The conventions are the same in
every frame:

* enums and ids are strings (dtype ``string``), e.g. ``"on_site"``, never
  ``Mode.ON_SITE``;
* money is two columns, ``<name>_amount`` (``float64``, in major units,
  rounded to the currency's minor unit) and ``<name>_currency`` (ISO 4217);
* dates are ``datetime64[s]`` columns (``NaT`` when absent); a half-open
  range ``[start, end)`` is two columns, ``<name>_start`` and ``<name>_end``;
* calendar months are pandas periods (dtype ``period[M]``);
* counts are ``int64``; a count or rank that may be absent is ``Int64``
  (``<NA>``: unranked, no limit).

pandas is an optional dependency (the ``pandas`` extra, or ``notebook``):
it is imported when a function is called, and a missing pandas raises
:class:`~sgcq.errors.MissingExtraError` naming the extra.

Examples
--------
>>> from sgcq import frames
>>> from sgcq.matching import Problem, Settings, solve
>>> from sgcq.scenarios import load_scenario
>>> problem = Problem.from_scenario(load_scenario("nus-ytp-2019"))
>>> result = solve(problem, Settings(workers=1, seed=1))
>>> df = frames.assignments(result, problem)
>>> len(df), str(df["mode"].dtype), str(df["start"].dtype)
(19, 'string', 'datetime64[s]')
>>> frames.ranks(result)[["rank", "count"]].to_dict("list")
{'rank': [1, 2], 'count': [17, 2]}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from sgcq._optional import require
from sgcq.matching import Problem, Result, UnplacedReason
from sgcq.matching._index import in_quota
from sgcq.models import (
    DateRange,
    Money,
    Scenario,
    StartDates,
    StartWindow,
    YearMonth,
)
from sgcq.rules import ProgressReport, RuleBook, evaluate_candidate
from sgcq.rules.tasks import Task

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "HasPositions",
    "assignments",
    "beds",
    "candidates",
    "exclusions",
    "options",
    "payer_costs",
    "payers",
    "positions",
    "progress",
    "quota_fill",
    "ranks",
    "tasks",
    "unplaced",
    "unplaced_reasons",
    "verdicts",
]


class _Position(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def host(self) -> str: ...


class HasPositions(Protocol):
    """Anything whose positions name their host: a ``Problem`` or a ``Scenario``."""

    @property
    def positions(self) -> Sequence[_Position]:
        """The positions, each with an ``id`` and a ``host``."""


def _pd() -> Any:
    return require("pandas", "pandas", "sgcq.frames")


# --- column builders: one kind of column each -----------------------------------------

_DTYPES = {
    "str": "string",
    "int": "int64",
    "Int": "Int64",
    "float": "float64",
    "bool": "bool",
}


def _frame(columns: dict[str, tuple[str, list[Any]]]) -> pd.DataFrame:
    """Build a frame from ``{name: (kind, values)}``; kinds as in the module docstring."""
    pd = _pd()
    data = {}
    for name, (kind, values) in columns.items():
        if kind == "date":
            series = pd.Series(
                [pd.NaT if d is None else pd.Timestamp(d) for d in values],
                dtype="datetime64[s]",
            )
        elif kind == "month":
            series = pd.Series(
                [
                    pd.NaT if m is None else pd.Period(year=m.year, month=m.month, freq="M")
                    for m in values
                ],
                dtype="period[M]",
            )
        else:
            series = pd.Series(values, dtype=_DTYPES[kind])
        data[name] = series
    return pd.DataFrame(data)


def _amount(m: Money | None) -> float:
    return float("nan") if m is None else float(m.rounded().amount)


def _currency(m: Money | None) -> str | None:
    return None if m is None else m.currency


def _start(r: DateRange | None) -> date | None:
    return None if r is None else r.start


def _end(r: DateRange | None) -> date | None:
    return None if r is None else r.end


def _joined(items: Iterable[object], sep: str = ",") -> str:
    return sep.join(sorted(str(i) for i in items))


def _hosts(source: HasPositions | None) -> dict[str, str]:
    return {} if source is None else {p.id: p.host for p in source.positions}


# --- results -----------------------------------------------------------------------


def assignments(result: Result, hosts: HasPositions | None = None) -> pd.DataFrame:
    """Return one row per placement of ``result``, sorted by candidate.

    Parameters
    ----------
    result
        The result.
    hosts
        The problem or scenario the result came from, to fill the ``host``
        column (``<NA>`` without it).

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate``, ``position``, ``host``, ``start``, ``end``,
        ``days``, ``mode``, ``candidate_rank``, ``position_rank``,
        ``allowance_amount``, ``allowance_currency``, ``cost_amount``,
        ``cost_currency``, ``covered_start``, ``covered_end``,
        ``uncovered_start``, ``uncovered_end``.
    """
    rows = result.assignments
    by_pos = _hosts(hosts)
    return _frame(
        {
            "candidate": ("str", [a.candidate for a in rows]),
            "position": ("str", [a.position for a in rows]),
            "host": ("str", [by_pos.get(a.position) for a in rows]),
            "start": ("date", [a.start for a in rows]),
            "end": ("date", [a.end for a in rows]),
            "days": ("int", [(a.end - a.start).days for a in rows]),
            "mode": ("str", [a.mode.value for a in rows]),
            "candidate_rank": ("Int", [a.candidate_rank for a in rows]),
            "position_rank": ("Int", [a.position_rank for a in rows]),
            "allowance_amount": ("float", [_amount(a.allowance) for a in rows]),
            "allowance_currency": ("str", [_currency(a.allowance) for a in rows]),
            "cost_amount": ("float", [_amount(a.cost) for a in rows]),
            "cost_currency": ("str", [_currency(a.cost) for a in rows]),
            "covered_start": ("date", [_start(a.covered) for a in rows]),
            "covered_end": ("date", [_end(a.covered) for a in rows]),
            "uncovered_start": ("date", [_start(a.uncovered) for a in rows]),
            "uncovered_end": ("date", [_end(a.uncovered) for a in rows]),
        }
    )


def unplaced(result: Result) -> pd.DataFrame:
    """Return one row per unplaced candidate with the first reason, sorted by candidate.

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate``, ``state`` (``"ineligible"`` when no ranked
        position was open at all, else ``"not_placed"``), ``blocked_options``
        (eligible options kept empty by a constraint), ``exclusions`` (ranked
        pairs or starts the rules left out), ``first_position``,
        ``first_start``, ``first_code`` (the blocker kind or the rule
        reason's code) and ``first_reason`` (one line). The first reason is
        that of the best eligible option when there is one;
        :func:`unplaced_reasons` lists them all.
    """
    rows = result.unplaced
    first = [e.reasons[0] if e.reasons else None for e in rows]

    def code(r: UnplacedReason | None) -> str | None:
        if r is None:
            return None
        return r.blockers[0].kind.value if r.blockers else r.rule_reasons[0].code

    return _frame(
        {
            "candidate": ("str", [e.candidate for e in rows]),
            "state": ("str", ["ineligible" if e.ineligible else "not_placed" for e in rows]),
            "blocked_options": ("int", [sum(r.eligible for r in e.reasons) for e in rows]),
            "exclusions": ("int", [sum(not r.eligible for r in e.reasons) for e in rows]),
            "first_position": ("str", [None if r is None else r.position for r in first]),
            "first_start": ("date", [None if r is None else r.start for r in first]),
            "first_code": ("str", [code(r) for r in first]),
            "first_reason": ("str", [e.first_reason for e in rows]),
        }
    )


def unplaced_reasons(result: Result) -> pd.DataFrame:
    """Return one row per reason an unplaced candidate's option or pair stayed empty.

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate``, ``position``, ``start``, ``eligible`` (the
        option existed and a constraint blocks it), ``code`` (the blocker
        kind, e.g. ``"seats_full"``, or the rule reason's code), ``message``,
        ``subject`` (the host, university or field a blocker concerns),
        ``month`` (the full month of a ``beds_full`` blocker), in the order
        of :attr:`~sgcq.matching.Explanation.reasons`.
    """
    cols: dict[str, list[Any]] = {
        k: [] for k in ("candidate", "position", "start", "eligible", "code", "message", "subject")
    }
    months: list[YearMonth | None] = []

    def add(e: Any, r: Any, code: str, message: str, subject: Any, month: Any) -> None:
        cols["candidate"].append(e.candidate)
        cols["position"].append(r.position)
        cols["start"].append(r.start)
        cols["eligible"].append(r.eligible)
        cols["code"].append(code)
        cols["message"].append(message)
        cols["subject"].append(subject)
        months.append(month)

    for e in result.unplaced:
        for r in e.reasons:
            for b in r.blockers:
                add(e, r, b.kind.value, b.message, b.subject, b.month)
            for rr in r.rule_reasons:
                add(e, r, rr.code, rr.message, None, None)
    return _frame(
        {
            "candidate": ("str", cols["candidate"]),
            "position": ("str", cols["position"]),
            "start": ("date", cols["start"]),
            "eligible": ("bool", cols["eligible"]),
            "code": ("str", cols["code"]),
            "message": ("str", cols["message"]),
            "subject": ("str", cols["subject"]),
            "month": ("month", months),
        }
    )


def payers(result: Result) -> pd.DataFrame:
    """Return what each payer pays for the placements, against its budget.

    The hosts' allowances come first (payer ``"allowance"``, the result's
    ``budget_used`` and ``budget``) when any option has a cost, then every
    other payer (housing payer, visa sponsor) of
    :attr:`~sgcq.matching.Result.payer_totals`.

    Returns
    -------
    pandas.DataFrame
        Columns ``payer``, ``used_amount``, ``currency``, ``budget_amount``
        and ``remaining_amount`` (both ``NaN`` without a budget).
    """
    rows: list[tuple[str, Money, Money | None]] = []
    if result.budget_used is not None:
        rows.append(("allowance", result.budget_used, result.budget))
    rows += [(t.payer, t.used, t.budget) for t in result.payer_totals]
    return _frame(
        {
            "payer": ("str", [r[0] for r in rows]),
            "used_amount": ("float", [_amount(r[1]) for r in rows]),
            "currency": ("str", [r[1].currency for r in rows]),
            "budget_amount": ("float", [_amount(r[2]) for r in rows]),
            "remaining_amount": (
                "float",
                [_amount(None if r[2] is None else r[2] - r[1]) for r in rows],
            ),
        }
    )


def payer_costs(result: Result) -> pd.DataFrame:
    """Return one row per placement and payer other than the hosts' allowances.

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate``, ``position``, ``payer``, ``amount`` and
        ``currency`` (the payer's budget currency), sorted by candidate and
        payer.
    """
    rows = [(a, pc) for a in result.assignments for pc in a.payer_costs]
    return _frame(
        {
            "candidate": ("str", [a.candidate for a, _ in rows]),
            "position": ("str", [a.position for a, _ in rows]),
            "payer": ("str", [pc.payer for _, pc in rows]),
            "amount": ("float", [_amount(pc.cost) for _, pc in rows]),
            "currency": ("str", [pc.cost.currency for _, pc in rows]),
        }
    )


def beds(result: Result) -> pd.DataFrame:
    """Return the beds held per month against the capacity.

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (``period[M]``), ``used``, ``capacity`` and
        ``free`` (both ``<NA>`` for a month without a limit), in month order.
    """
    rows = result.beds_used
    return _frame(
        {
            "month": ("month", [b.month for b in rows]),
            "used": ("int", [b.used for b in rows]),
            "capacity": ("Int", [b.capacity for b in rows]),
            "free": ("Int", [None if b.capacity is None else b.capacity - b.used for b in rows]),
        }
    )


def progress(report: ProgressReport) -> pd.DataFrame:
    """Return one row per target of a :func:`sgcq.rules.progress` report.

    Returns
    -------
    pandas.DataFrame
        Columns ``programme``, ``metric``, ``comparator`` (strings), ``value``
        and ``tolerance`` (``float64``; ``NaN`` when there is none), ``currency``
        (``<NA>`` for a count), ``by`` (date), ``state`` (string),
        ``observed`` (``float64``, in the target's unit; ``NaN`` when nothing
        is observed), ``observed_on`` (date), ``lower_bound`` (``bool``: the
        observation is a floor), ``projected`` (``float64``, linear from the
        baseline to the latest observation, at the deadline) and ``reason``.

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.rules import progress as progress_of
    >>> from sgcq.scenarios import load_scenario
    >>> df = progress(progress_of(load_scenario("ssijri-2020"), date(2023, 12, 31)))
    >>> df[["metric", "state", "observed"]].to_dict("list")
    {'metric': ['new_research_projects', 'new_patent_applications'], \
'state': ['on_track', 'behind'], 'observed': [25.0, 48.0]}
    """
    rows = report.targets

    def number(x: Money | int | Decimal | None) -> float:
        if x is None:
            return float("nan")
        return float(x.amount if isinstance(x, Money) else x)

    return _frame(
        {
            "programme": ("str", [r.programme for r in rows]),
            "metric": ("str", [r.target.metric for r in rows]),
            "comparator": ("str", [r.target.comparator.value for r in rows]),
            "value": ("float", [number(r.target.value) for r in rows]),
            "tolerance": ("float", [number(r.target.tolerance) for r in rows]),
            "currency": (
                "str",
                [
                    r.target.value.currency if isinstance(r.target.value, Money) else None
                    for r in rows
                ],
            ),
            "by": ("date", [r.target.by for r in rows]),
            "state": ("str", [r.state.value for r in rows]),
            "observed": ("float", [number(r.observed_value) for r in rows]),
            "observed_on": ("date", [None if r.observed is None else r.observed.on for r in rows]),
            "lower_bound": (
                "bool",
                [r.observed is not None and r.observed.lower_bound for r in rows],
            ),
            "projected": (
                "float",
                [None if r.projection is None else float(r.projection.value) for r in rows],
            ),
            "reason": ("str", [r.reason for r in rows]),
        }
    )


def ranks(result: Result) -> pd.DataFrame:
    """Return how many placements got each candidate rank.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank`` (``<NA>``: the candidate ranked nothing), ``count``
        and ``share`` (of all placements), best rank first.
    """
    rows = result.rank_distribution
    total = sum(r.count for r in rows)
    return _frame(
        {
            "rank": ("Int", [r.rank for r in rows]),
            "count": ("int", [r.count for r in rows]),
            "share": ("float", [r.count / total if total else float("nan") for r in rows]),
        }
    )


def tasks(items: Iterable[Task]) -> pd.DataFrame:
    """Return dated tasks (:func:`sgcq.rules.tasks_for`) as a table.

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate``, ``position``, ``kind``, ``due`` (date),
        ``title``, ``detail``, ``parameter`` (``<NA>`` when the date comes
        from no parameter) and ``source`` (the parameter's citation), in the
        order given.
    """
    rows = list(items)
    return _frame(
        {
            "candidate": ("str", [t.candidate for t in rows]),
            "position": ("str", [t.position for t in rows]),
            "kind": ("str", [t.kind.value for t in rows]),
            "due": ("date", [t.due for t in rows]),
            "title": ("str", [t.title for t in rows]),
            "detail": ("str", [t.detail for t in rows]),
            "parameter": ("str", [t.parameter for t in rows]),
            "source": ("str", [None if t.citation is None else str(t.citation) for t in rows]),
        }
    )


def _quota_rows(result: Result, problem: Problem) -> list[dict[str, Any]]:
    """Return each quota of ``problem`` with what ``result`` placed against it (no pandas)."""
    cands = {c.id: c for c in problem.candidates}
    poss = {p.id: p for p in problem.positions}
    placed = result.placed
    out = []
    for q in problem.constraints.quotas:
        n = sum(
            (q.year is None or a.start.year == q.year)
            and in_quota(q.dimension, q.key, cands[a.candidate], poss[a.position])
            for a in result.assignments
        )
        lo = None if q.minimum is None else q.minimum.resolve(placed)
        hi = None if q.maximum is None else q.maximum.resolve(placed)
        out.append(
            {
                "dimension": q.dimension.value,
                "key": q.key,
                "placed": n,
                "share": n / placed if placed else float("nan"),
                "minimum": None if q.minimum is None else str(q.minimum),
                "maximum": None if q.maximum is None else str(q.maximum),
                "minimum_count": float("nan") if lo is None else float(lo),
                "maximum_count": float("nan") if hi is None else float(hi),
                "ok": (lo is None or Decimal(n) >= lo) and (hi is None or Decimal(n) <= hi),
                "year": q.year,
            }
        )
    return out


def quota_fill(result: Result, problem: Problem) -> pd.DataFrame:
    """Return each quota of ``problem`` against what ``result`` placed.

    Parameters
    ----------
    result
        A result of ``problem``.
    problem
        The problem, whose constraints hold the quotas.

    Returns
    -------
    pandas.DataFrame
        Columns ``dimension`` (a :class:`~sgcq.models.QuotaDimension` value:
        ``"university"``, ``"field"``, ``"direction"``, ...), ``key``,
        ``placed`` (placements counted by the quota), ``share`` (of all
        placements), ``minimum`` and ``maximum`` (as stated: ``"5"`` or
        ``"40%"``), ``minimum_count`` and ``maximum_count`` (the bounds in
        candidates for this result's number placed; ``NaN``: none), ``ok``
        (the count lies within them) and ``year`` (the calendar year a cap
        across cohorts counts, ``<NA>``: every placement), in the problem's
        order.
    """
    rows = _quota_rows(result, problem)
    return _frame(
        {
            "dimension": ("str", [r["dimension"] for r in rows]),
            "key": ("str", [r["key"] for r in rows]),
            "placed": ("int", [r["placed"] for r in rows]),
            "share": ("float", [r["share"] for r in rows]),
            "minimum": ("str", [r["minimum"] for r in rows]),
            "maximum": ("str", [r["maximum"] for r in rows]),
            "minimum_count": ("float", [r["minimum_count"] for r in rows]),
            "maximum_count": ("float", [r["maximum_count"] for r in rows]),
            "ok": ("bool", [r["ok"] for r in rows]),
            "year": ("Int", [r["year"] for r in rows]),
        }
    )


# --- problems ----------------------------------------------------------------------


def options(problem: Problem) -> pd.DataFrame:
    """Return one row per option of ``problem``, in problem order.

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate``, ``position``, ``host``, ``start``, ``end``,
        ``days``, ``mode``, ``candidate_rank``, ``position_rank``,
        ``bed_months`` (how many months the stay holds a bed in),
        ``cost_amount``, ``cost_currency`` (in the problem's currency),
        ``allowance_amount``, ``allowance_currency`` (in the position's),
        ``covered_start``, ``covered_end``, ``uncovered_start``,
        ``uncovered_end``.
    """
    rows = problem.options
    by_pos = _hosts(problem)
    return _frame(
        {
            "candidate": ("str", [o.candidate for o in rows]),
            "position": ("str", [o.position for o in rows]),
            "host": ("str", [by_pos[o.position] for o in rows]),
            "start": ("date", [o.stay.start for o in rows]),
            "end": ("date", [o.stay.end for o in rows]),
            "days": ("int", [(o.stay.end - o.stay.start).days for o in rows]),
            "mode": ("str", [o.mode.value for o in rows]),
            "candidate_rank": ("Int", [o.candidate_rank for o in rows]),
            "position_rank": ("Int", [o.position_rank for o in rows]),
            "bed_months": ("int", [len(o.bed_months) for o in rows]),
            "cost_amount": ("float", [_amount(o.cost) for o in rows]),
            "cost_currency": ("str", [_currency(o.cost) for o in rows]),
            "allowance_amount": ("float", [_amount(o.allowance) for o in rows]),
            "allowance_currency": ("str", [_currency(o.allowance) for o in rows]),
            "covered_start": ("date", [_start(o.covered) for o in rows]),
            "covered_end": ("date", [_end(o.covered) for o in rows]),
            "uncovered_start": ("date", [_start(o.uncovered) for o in rows]),
            "uncovered_end": ("date", [_end(o.uncovered) for o in rows]),
        }
    )


def exclusions(problem: Problem) -> pd.DataFrame:
    """Return one row per reason of each exclusion of ``problem``, in problem order.

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate``, ``position``, ``start`` (``NaT`` when the
        reason holds for every start), ``code``, ``message`` and
        ``citation`` (the source, as text, if any).
    """
    rows = [(x, r) for x in problem.exclusions for r in x.reasons]
    return _frame(
        {
            "candidate": ("str", [x.candidate for x, _ in rows]),
            "position": ("str", [x.position for x, _ in rows]),
            "start": ("date", [x.start for x, _ in rows]),
            "code": ("str", [r.code for _, r in rows]),
            "message": ("str", [r.message for _, r in rows]),
            "citation": ("str", [None if r.citation is None else str(r.citation) for _, r in rows]),
        }
    )


# --- scenarios ---------------------------------------------------------------------


def candidates(scenario: Scenario, *, personal: bool = False) -> pd.DataFrame:
    """Return one row per candidate of ``scenario``, in scenario order.

    Parameters
    ----------
    scenario
        The scenario.
    personal
        Add the personal fields (``name``, ``date_of_birth``,
        ``nationalities``); left out by default, as in reprs.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``university``, ``affiliation`` (the employer or
        government body, if any), ``cohort``, ``discipline``,
        ``level``, ``enrolled_full_time_until``, ``graduated_on``,
        ``available_start``, ``available_end``, ``min_duration``,
        ``max_duration`` (e.g. ``"3 months"``), ``modes``, ``skills``,
        ``languages``, ``schemes_used`` (sorted, comma-separated),
        ``ranked`` (how many positions the candidate ranks), ``first_choice``
        (the best-ranked positions, comma-separated) and ``priority``; then,
        with ``personal``, ``name``, ``date_of_birth`` and ``nationalities``.
    """
    rows = scenario.candidates
    cols: dict[str, tuple[str, list[Any]]] = {
        "id": ("str", [c.id for c in rows]),
        "university": ("str", [c.university for c in rows]),
        "affiliation": ("str", [c.affiliation for c in rows]),
        "cohort": ("str", [c.cohort for c in rows]),
        "discipline": ("str", [c.discipline for c in rows]),
        "level": ("str", [c.study.level for c in rows]),
        "enrolled_full_time_until": ("date", [c.study.enrolled_full_time_until for c in rows]),
        "graduated_on": ("date", [c.study.graduated_on for c in rows]),
        "available_start": ("date", [c.available.start for c in rows]),
        "available_end": ("date", [c.available.end for c in rows]),
        "min_duration": ("str", [str(c.duration.minimum) for c in rows]),
        "max_duration": ("str", [str(c.duration.maximum) for c in rows]),
        "modes": ("str", [_joined(m.value for m in c.modes) for c in rows]),
        "skills": ("str", [_joined(c.skills) for c in rows]),
        "languages": ("str", [_joined(c.languages) for c in rows]),
        "schemes_used": ("str", [_joined(c.schemes_used) for c in rows]),
        "ranked": ("int", [len(c.preferences) for c in rows]),
        "first_choice": (
            "str",
            [",".join(c.preferences.tiers()[0]) if len(c.preferences) else None for c in rows],
        ),
        "priority": ("int", [c.priority for c in rows]),
    }
    if personal:
        cols["name"] = ("str", [c.name for c in rows])
        cols["date_of_birth"] = ("date", [c.date_of_birth for c in rows])
        cols["nationalities"] = ("str", [_joined(c.nationalities) for c in rows])
    return _frame(cols)


def _starts(rule: StartDates | StartWindow) -> str:
    if isinstance(rule, StartDates):
        return ",".join(d.isoformat() for d in rule.dates)
    first = "the first of a month " if rule.first_of_month else "any day "
    return f"{first}in {rule.window}"


def positions(scenario: Scenario) -> pd.DataFrame:
    """Return one row per position of ``scenario``, in scenario order.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``host``, ``title``, ``programme``, ``seats``,
        ``mode``, ``country``, ``city``, ``zones``, ``fields``, ``starts``
        (the allowed start dates, or the window they lie in),
        ``min_duration``, ``max_duration``, ``hours_per_week`` (``float64``),
        ``allowance_amount``, ``allowance_currency`` (per month),
        ``allowance_payer``, ``housing_cover``, ``required_skills``,
        ``languages`` and ``ranks_candidates`` (whether the host ranks).
    """
    rows = scenario.positions
    monthly = [None if p.allowance is None else p.allowance.monthly for p in rows]
    return _frame(
        {
            "id": ("str", [p.id for p in rows]),
            "host": ("str", [p.host for p in rows]),
            "title": ("str", [p.title for p in rows]),
            "programme": ("str", [p.programme for p in rows]),
            "seats": ("int", [p.seats for p in rows]),
            "mode": ("str", [p.mode.value for p in rows]),
            "country": ("str", [p.location.country for p in rows]),
            "city": ("str", [p.location.city for p in rows]),
            "zones": ("str", [_joined(p.location.zones) for p in rows]),
            "fields": ("str", [_joined(p.fields) for p in rows]),
            "starts": ("str", [_starts(p.starts) for p in rows]),
            "min_duration": ("str", [str(p.duration.minimum) for p in rows]),
            "max_duration": ("str", [str(p.duration.maximum) for p in rows]),
            "hours_per_week": ("float", [float(p.hours_per_week) for p in rows]),
            "allowance_amount": ("float", [_amount(m) for m in monthly]),
            "allowance_currency": ("str", [_currency(m) for m in monthly]),
            "allowance_payer": (
                "str",
                [None if p.allowance is None else p.allowance.payer for p in rows],
            ),
            "housing_cover": ("bool", [p.housing_cover for p in rows]),
            "required_skills": ("str", [_joined(p.required_skills) for p in rows]),
            "languages": ("str", [_joined(p.languages) for p in rows]),
            "ranks_candidates": ("bool", [p.candidate_preferences is not None for p in rows]),
        }
    )


# --- verdicts ----------------------------------------------------------------------


def verdicts(
    scenario: Scenario,
    candidates: Iterable[str] | None = None,
    *,
    as_of: date | None = None,
    rulebook: RuleBook | None = None,
) -> pd.DataFrame:
    """Return the rules' verdict for every ranked option of every candidate.

    An option is one allowed start of one position the candidate ranks (every
    position, for a candidate who ranks none), as
    :func:`sgcq.rules.evaluate_candidate` lists them.

    Parameters
    ----------
    scenario
        The scenario.
    candidates
        The candidate ids to evaluate; every candidate by default.
    as_of
        The date the rules are evaluated at (each stay's start by default).
    rulebook
        The rules; the default rule book by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate``, ``position``, ``candidate_rank``, ``start``,
        ``end`` (the stay; ``NaT`` when no stay fits), ``outcome``
        (``"eligible"``, ``"ineligible"``, ``"undetermined"``, or
        ``"no_stay"`` when no stay fits the durations and the
        availability), ``eligible``, ``codes`` (the reason codes,
        ``;``-separated), ``missing`` (the missing inputs of an undetermined
        verdict, ``;``-separated) and ``message`` (the first reason's).
    """
    ids = [c.id for c in scenario.candidates] if candidates is None else list(candidates)
    cols: dict[str, list[Any]] = {
        k: []
        for k in (
            "candidate",
            "position",
            "candidate_rank",
            "start",
            "end",
            "outcome",
            "eligible",
            "codes",
            "missing",
            "message",
        )
    }
    for cid in ids:
        cand = scenario.candidate(cid)
        for ov in evaluate_candidate(scenario, cand, as_of=as_of, rulebook=rulebook):
            v = ov.verdict
            cols["candidate"].append(cid)
            cols["position"].append(ov.position)
            cols["candidate_rank"].append(cand.preferences.rank_of(ov.position))
            cols["start"].append(ov.start)
            cols["end"].append(None if ov.stay is None else ov.stay.end)
            cols["outcome"].append("no_stay" if v is None else v.outcome.value)
            cols["eligible"].append(ov.eligible)
            cols["codes"].append("" if v is None else ";".join(v.codes))
            cols["missing"].append("" if v is None else ";".join(v.missing))
            cols["message"].append(None if v is None or not v.reasons else v.reasons[0].message)
    return _frame(
        {
            "candidate": ("str", cols["candidate"]),
            "position": ("str", cols["position"]),
            "candidate_rank": ("Int", cols["candidate_rank"]),
            "start": ("date", cols["start"]),
            "end": ("date", cols["end"]),
            "outcome": ("str", cols["outcome"]),
            "eligible": ("bool", cols["eligible"]),
            "codes": ("str", cols["codes"]),
            "missing": ("str", cols["missing"]),
            "message": ("str", cols["message"]),
        }
    )
