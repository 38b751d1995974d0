"""Evaluating an option: a candidate in a position for a stay, as of a date.

:func:`evaluate_option` is the one call the matching layer makes for every
option; it is ELIGIBLE exactly when the placement is feasible and, if the
candidate needs a visa for the position's country, at least one visa route is
open. :func:`visa_routes` says which routes are open with their documents and
limits; :func:`explain_option` returns the whole evaluation trace.

Examples
--------
>>> from datetime import date
>>> from sgcq.models import DateRange
>>> from sgcq.scenarios import load_scenario
>>> s = load_scenario("nus-ytp-2019")
>>> stay = DateRange(date(2019, 12, 16), date(2020, 1, 20))
>>> evaluate_option(s, s.candidates[0], s.positions[0], stay).outcome
<Outcome.ELIGIBLE: 'eligible'>
>>> v = evaluate_option(s, s.candidates[0], s.positions[0], stay, as_of=date(2019, 12, 1))
>>> "visa.cn.s2.not_in_force" in v.codes
True
"""

from __future__ import annotations

from datetime import date

import attrs

from sgcq.models import Candidate, DateRange, Position, Programme, Scenario
from sgcq.rules.book import RuleBook, RuleSetKind
from sgcq.rules.engine import Context, Trace, combine_all
from sgcq.rules.stays import stay_for
from sgcq.rules.verdicts import Fact, Outcome, Reason, Verdict

__all__ = [
    "OPTION_RULE",
    "OptionVerdict",
    "RouteResult",
    "VisaAssessment",
    "default_rulebook",
    "evaluate_candidate",
    "evaluate_option",
    "explain_option",
    "kind_reason",
    "option_context",
    "visa_countries",
    "visa_routes",
]

#: The rule id of an option's combined verdict.
OPTION_RULE = "option"

_DEFAULT: list[RuleBook] = []


def default_rulebook() -> RuleBook:
    """Return :meth:`RuleBook.default`, built once and shared (it is immutable)."""
    if not _DEFAULT:
        _DEFAULT.append(RuleBook.default())
    return _DEFAULT[0]


def option_context(
    scenario: Scenario,
    candidate: Candidate,
    position: Position,
    stay: DateRange,
    *,
    as_of: date | None = None,
    programme: Programme | None = None,
    rulebook: RuleBook | None = None,
    documents: frozenset[str] | None = None,
) -> Context:
    """Return the :class:`~sgcq.rules.engine.Context` the functions below evaluate.

    ``as_of`` defaults to ``stay.start``; ``programme`` to the position's
    programme in ``scenario``; ``rulebook`` to :func:`default_rulebook`.
    """
    book = rulebook if rulebook is not None else default_rulebook()
    if programme is None and position.programme is not None:
        programme = scenario.programme_index.get(position.programme)
    return Context(
        scenario,
        candidate,
        position,
        stay,
        stay.start if as_of is None else as_of,
        book.parameters,
        programme,
        documents,
    )


def evaluate_option(
    scenario: Scenario,
    candidate: Candidate,
    position: Position,
    stay: DateRange,
    *,
    as_of: date | None = None,
    programme: Programme | None = None,
    rulebook: RuleBook | None = None,
) -> Verdict:
    """Return whether ``candidate`` may take ``position`` for ``stay``, and why.

    Parameters
    ----------
    scenario
        Where the host, the university and the exchange rates come from.
    candidate, position
        The option.
    stay
        The half-open stay (usually :func:`~sgcq.rules.stay_for`'s).
    as_of
        The date whose rules and parameters apply; the stay's start by default.
    programme
        The programme whose terms apply; by default the position's programme.
    rulebook
        The rules; :func:`default_rulebook` by default.

    Returns
    -------
    Verdict
        Rule ``"option"``. ELIGIBLE iff every feasibility rule set holds and,
        when the position is on site or hybrid in a country the candidate is
        not a national of, a visa route for the programme's kind is open (its
        ``<route>.open`` reasons name the visa, documents and limits).
        INELIGIBLE lists every failing reason; UNDETERMINED lists the missing
        inputs. The last reason, ``option.programme_kind``, says which kind's
        rules were applied (:func:`kind_reason`).
    """
    book = rulebook if rulebook is not None else default_rulebook()
    ctx = option_context(
        scenario, candidate, position, stay, as_of=as_of, programme=programme, rulebook=book
    )
    verdicts = [rs.evaluate(ctx) for rs in book.of_kind(RuleSetKind.FEASIBILITY)]
    verdicts.extend(book.visa_rule(c).evaluate(at) for c, at in _country_contexts(ctx))
    return _with_kind(ctx, combine_all(OPTION_RULE, ctx.as_of, verdicts))


def visa_countries(position: Position, stay: DateRange) -> tuple[str, ...]:
    """Return the countries whose entry rules apply to ``stay`` in ``position``.

    The position's country first (its exemptions decide for a remote or a
    national's stay), then every other country the stay has an on-site
    segment in, in alphabetical order: a hybrid stay with a campus block in
    Singapore and classes at the Base in Chongqing is assessed against both.

    Examples
    --------
    >>> from sgcq.scenarios import load_scenario
    >>> s = load_scenario("ntu-west-base-2021")
    >>> p = s.position("minimasters-sg")
    >>> visa_countries(p, DateRange(date(2021, 3, 1), date(2021, 9, 1)))
    ('SG', 'CN')
    """
    home = position.location.country
    others = {s.country for s in position.stay_segments(stay) if s.on_site} - {home, None}
    return (home, *sorted(c for c in others if c is not None))


def _country_contexts(ctx: Context) -> list[tuple[str, Context]]:
    home = ctx.position.location.country
    return [
        (c, ctx if c == home else attrs.evolve(ctx, country=c))
        for c in visa_countries(ctx.position, ctx.stay)
    ]


def kind_reason(ctx: Context) -> Reason:
    """Return the reason that says which programme kind's rules an evaluation applied.

    Code ``option.programme_kind``, with the facts ``programme.kind`` and
    ``programme`` (``none`` outside a programme, assessed as an internship).
    """
    kind = ctx.kind.value
    prog = ctx.programme.id if ctx.programme is not None else "none"

    def build() -> Reason:
        note = "" if ctx.programme is not None else " (no programme: internship by default)"
        return ctx.reason(
            "option.programme_kind",
            f"assessed under the rules for {kind} programmes{note}",
            "programme.kinds",
            Fact("programme.kind", kind),
            Fact("programme", prog),
        )

    return ctx.parameters.memo(("option.programme_kind", kind, prog, ctx.as_of), build)


def _with_kind(ctx: Context, verdict: Verdict) -> Verdict:
    return Verdict(
        verdict.rule,
        verdict.outcome,
        verdict.as_of,
        (*verdict.reasons, kind_reason(ctx)),
        verdict.missing,
    )


def explain_option(
    scenario: Scenario,
    candidate: Candidate,
    position: Position,
    stay: DateRange,
    *,
    as_of: date | None = None,
    programme: Programme | None = None,
    rulebook: RuleBook | None = None,
    documents: frozenset[str] | None = None,
) -> Trace:
    """Return the full trace behind :func:`evaluate_option` (same arguments).

    The root's verdict equals :func:`evaluate_option`'s when ``documents`` is ``None``.
    """
    book = rulebook if rulebook is not None else default_rulebook()
    ctx = option_context(
        scenario,
        candidate,
        position,
        stay,
        as_of=as_of,
        programme=programme,
        rulebook=book,
        documents=documents,
    )
    children = [rs.trace(ctx) for rs in book.of_kind(RuleSetKind.FEASIBILITY)]
    children.extend(book.visa_rule(c).trace(at) for c, at in _country_contexts(ctx))
    return Trace(
        _with_kind(ctx, combine_all(OPTION_RULE, ctx.as_of, [c.verdict for c in children])),
        tuple(children),
    )


@attrs.frozen
class RouteResult:
    """One visa route's verdict for an option.

    Parameters
    ----------
    route
        The route's rule set id, e.g. ``"visa.cn.s2"``.
    title
        Its name.
    verdict
        Its verdict.
    visa
        The visa or pass it gives, when open.
    documents
        The documents it needs, when open.
    limits
        The parameter values that bound it (stay limits, places...), when open.
    """

    route: str
    title: str
    verdict: Verdict
    visa: str | None = None
    documents: tuple[str, ...] = ()
    limits: tuple[Fact, ...] = ()

    @property
    def open(self) -> bool:
        """Whether the route is open (ELIGIBLE)."""
        return self.verdict.outcome is Outcome.ELIGIBLE


@attrs.frozen
class VisaAssessment:
    """Whether a visa is needed for an option, and which routes are open.

    Parameters
    ----------
    verdict
        The combined verdict (rule ``visa.<country>``): ELIGIBLE when no visa
        is needed or a route is open.
    needed
        Whether the candidate needs a visa at all.
    routes
        Every route into the position's country for the programme's kind
        (``Context.kind``), open or not.
    """

    verdict: Verdict
    needed: bool
    routes: tuple[RouteResult, ...]

    @property
    def open_routes(self) -> tuple[RouteResult, ...]:
        """The routes that are open."""
        return tuple(r for r in self.routes if r.open)


def _route_result(route: str, title: str, verdict: Verdict) -> RouteResult:
    if verdict.outcome is not Outcome.ELIGIBLE:
        return RouteResult(route, title, verdict)
    facts = [f for r in verdict.reasons if r.code == f"{route}.open" for f in r.facts]
    visa = next((f.value for f in facts if f.name == "visa"), None)
    documents = tuple(f.name[len("document:") :] for f in facts if f.name.startswith("document:"))
    limits = tuple(
        f
        for f in facts
        if f.kind == "parameter"
        and f.name != "visa"
        and not f.name.startswith("document:")
        and not f.name.endswith(".documents")
    )
    return RouteResult(route, title, verdict, visa, documents, limits)


def visa_routes(
    scenario: Scenario,
    candidate: Candidate,
    position: Position,
    stay: DateRange,
    *,
    as_of: date | None = None,
    programme: Programme | None = None,
    rulebook: RuleBook | None = None,
    documents: frozenset[str] | None = None,
    country: str | None = None,
) -> VisaAssessment:
    """Return every visa route into the position's country for the option, and the verdict.

    The parameters other than ``documents`` and ``country`` are as for
    :func:`evaluate_option`.

    Parameters
    ----------
    documents
        The documents the candidate has; ``None`` (unknown) lists what each
        open route needs without checking.
    country
        The country to assess (one of :func:`visa_countries`); the
        position's by default. The routes read only the stay's on-site
        segments in that country.

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.models import DateRange
    >>> from sgcq.scenarios import load_scenario
    >>> s = load_scenario("nus-ytp-2019")
    >>> a = visa_routes(s, s.candidates[0], s.positions[0],
    ...                 DateRange(date(2019, 12, 16), date(2020, 1, 20)))
    >>> [r.route for r in a.open_routes], a.open_routes[0].documents[1]
    (['visa.cn.s2'], 'company_invitation_letter')
    """
    book = rulebook if rulebook is not None else default_rulebook()
    ctx = option_context(
        scenario,
        candidate,
        position,
        stay,
        as_of=as_of,
        programme=programme,
        rulebook=book,
        documents=documents,
    )
    if country is not None and country != position.location.country:
        ctx = attrs.evolve(ctx, country=country)
    country = ctx.in_country
    routes = tuple(
        _route_result(rs.id, rs.title, rs.evaluate(ctx))
        for rs in book.visa_routes(country)
        if rs.applies_to(ctx.kind)
    )
    verdict = book.visa_rule(country).evaluate(ctx)
    exempt = any(rs.evaluate(ctx).eligible for rs in book.visa_exemptions(country))
    return VisaAssessment(verdict, not exempt, routes)


@attrs.frozen
class OptionVerdict:
    """One start of one position for a candidate, and its verdict.

    Parameters
    ----------
    position
        The position's id.
    start
        The allowed start date.
    stay
        The stay :func:`~sgcq.rules.stay_for` gives, or ``None`` when no stay
        fits every duration bound and the availability.
    verdict
        :func:`evaluate_option`'s verdict for that stay, or ``None`` when
        there is no stay to evaluate.
    """

    position: str
    start: date
    stay: DateRange | None
    verdict: Verdict | None

    @property
    def eligible(self) -> bool:
        """Whether there is a stay and it is ELIGIBLE."""
        return self.verdict is not None and self.verdict.outcome is Outcome.ELIGIBLE


def evaluate_candidate(
    scenario: Scenario,
    candidate: Candidate,
    *,
    positions: tuple[Position, ...] | None = None,
    as_of: date | None = None,
    rulebook: RuleBook | None = None,
) -> tuple[OptionVerdict, ...]:
    """Evaluate every start of every position open to ``candidate``.

    Parameters
    ----------
    scenario
        The scenario.
    candidate
        The candidate.
    positions
        The positions to try; by default those the candidate ranks, or every
        position of the scenario if the candidate ranks none.
    as_of
        Passed to :func:`evaluate_option` (each stay's start by default).
    rulebook
        The rules; :func:`default_rulebook` by default.

    Returns
    -------
    tuple of OptionVerdict
        In position order, then start order; the starts are the position's
        allowed starts within the candidate's availability.

    Examples
    --------
    >>> from sgcq.scenarios import load_scenario
    >>> s = load_scenario("nus-ytp-2019")
    >>> [o.eligible for o in evaluate_candidate(s, s.candidates[0])]
    [True, True, True]
    """
    book = rulebook if rulebook is not None else default_rulebook()
    if positions is None:
        ranked = tuple(scenario.position_index[p] for p in candidate.preferences)
        positions = ranked or scenario.positions
    out: list[OptionVerdict] = []
    for position in positions:
        programme = scenario.programme_index.get(position.programme) if position.programme else None
        for start in position.start_options(candidate.available):
            stay = stay_for(candidate, position, start, programme)
            verdict = (
                None
                if stay is None
                else evaluate_option(
                    scenario,
                    candidate,
                    position,
                    stay,
                    as_of=as_of,
                    programme=programme,
                    rulebook=book,
                )
            )
            out.append(OptionVerdict(position.id, start, stay, verdict))
    return tuple(out)
