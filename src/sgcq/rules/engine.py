"""Rules, their subject, their combinators and their evaluation trace.

A rule is evaluated on a :class:`Context` (a candidate, a position and a stay
in a scenario, as of a date, with the parameters in force) and returns a
:class:`~sgcq.rules.verdicts.Verdict`. Leaf rules are :class:`Check` objects
wrapping a function; :func:`all_of`, :func:`any_of`, :func:`not_` and
:func:`exceptions` combine them. Exceptions carry an explicit integer
priority: the highest-priority applicable exception decides, and two
applicable exceptions of the same priority that disagree raise
:class:`RuleConflictError` rather than letting the last one win
(``docs/decisions/0008-exceptions-and-conflicts.md``).

:meth:`Rule.trace` returns a :class:`Trace`, the tree of every rule's verdict,
which serializes with :mod:`sgcq.serialization` (kind ``"rule_trace"``).

Examples
--------
>>> from datetime import date
>>> from sgcq.scenarios import load_scenario
>>> from sgcq.rules.parameters import default_parameters
>>> s = load_scenario("nus-ytp-2019")
>>> ctx = Context.for_option(s, s.candidates[0], s.positions[0],
...     DateRange(date(2019, 12, 16), date(2020, 1, 20)), parameters=default_parameters())
>>> always = Check("demo.always", lambda c: c.verdict("demo.always", Outcome.ELIGIBLE))
>>> all_of("demo", always).evaluate(ctx).outcome
<Outcome.ELIGIBLE: 'eligible'>
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Protocol, runtime_checkable

import attrs

from sgcq.errors import RuleConflictError
from sgcq.models import (
    Candidate,
    Citation,
    DateRange,
    FieldError,
    ModelValidationError,
    Organisation,
    Position,
    Programme,
    ProgrammeKind,
    Scenario,
    StaySegment,
    _html,
)
from sgcq.rules.parameters import ParameterError, ParameterSet, ParameterValue, Value
from sgcq.rules.verdicts import Fact, Outcome, Reason, Verdict

__all__ = [
    "AllOf",
    "AnyOf",
    "Check",
    "Context",
    "Exceptions",
    "Not",
    "Override",
    "Presence",
    "Rule",
    "RuleConflictError",
    "Trace",
    "all_of",
    "any_of",
    "combine_all",
    "combine_any",
    "exceptions",
    "find_rule",
    "not_",
    "replace_rule",
]


@attrs.frozen
class Presence:
    """The days of a stay spent on site in one country, in one or more parts.

    Parameters
    ----------
    parts
        The on-site segments in the country, in order, not overlapping; at
        least one.

    Notes
    -----
    :attr:`days` is the sum of the parts' days (remote days between them are
    not counted); :attr:`start`, :attr:`end` and :attr:`last_day` are those
    of the first and last part, for limits counted from the first entry.

    Examples
    --------
    >>> from datetime import date
    >>> p = Presence((DateRange(date(2021, 3, 1), date(2021, 3, 15)),
    ...               DateRange(date(2021, 5, 1), date(2021, 5, 8))))
    >>> p.days, str(p)
    (21, '[2021-03-01, 2021-03-15) + [2021-05-01, 2021-05-08)')
    """

    parts: tuple[DateRange, ...]

    def __attrs_post_init__(self) -> None:
        if not self.parts:
            raise ModelValidationError([FieldError("parts", "a presence needs at least one part")])

    @property
    def start(self) -> date:
        """The first day in the country."""
        return self.parts[0].start

    @property
    def end(self) -> date:
        """The exclusive end of the last part."""
        return self.parts[-1].end

    @property
    def last_day(self) -> date:
        """The last day in the country."""
        return self.parts[-1].last_day

    @property
    def days(self) -> int:
        """The days in the country, summed over the parts."""
        return sum(p.days for p in self.parts)

    def __str__(self) -> str:
        return " + ".join(str(p) for p in self.parts)


@attrs.frozen
class Context:
    """The subject a rule is evaluated for, and the law it is evaluated under.

    Parameters
    ----------
    scenario
        The scenario the candidate and position come from (organisations, rates).
    candidate, position
        The two sides of the option.
    stay
        The half-open stay.
    as_of
        The date whose parameters apply.
    parameters
        The parameters (see :mod:`sgcq.rules.parameters`).
    programme
        The programme whose terms apply, if any.
    documents
        Document ids the candidate has; ``None`` means unknown, and then a
        route lists the documents it needs instead of checking them.
    country
        The country whose entry rules are being applied; ``None`` for the
        position's country. A stay whose segments are on site in several
        countries is assessed once per country (:attr:`in_country`).
    """

    scenario: Scenario
    candidate: Candidate
    position: Position
    stay: DateRange
    as_of: date
    parameters: ParameterSet
    programme: Programme | None = None
    documents: frozenset[str] | None = None
    country: str | None = None

    @classmethod
    def for_option(
        cls,
        scenario: Scenario,
        candidate: Candidate,
        position: Position,
        stay: DateRange,
        *,
        parameters: ParameterSet,
        as_of: date | None = None,
        programme: Programme | None = None,
        documents: frozenset[str] | None = None,
    ) -> Context:
        """Build a context with defaults.

        ``as_of`` defaults to the stay's start and ``programme`` to the
        position's programme in the scenario.
        """
        if programme is None and position.programme is not None:
            programme = scenario.programme_index.get(position.programme)
        return cls(
            scenario,
            candidate,
            position,
            stay,
            stay.start if as_of is None else as_of,
            parameters,
            programme,
            documents,
        )

    @property
    def kind(self) -> ProgrammeKind:
        """The kind of programme whose rules apply: the programme's, else an internship.

        A position outside any programme is assessed as an internship (the
        kind of every programme sgcq modelled before kinds chose rule sets);
        the option's verdict says so.
        """
        return self.programme.kind if self.programme is not None else ProgrammeKind.INTERNSHIP

    @property
    def in_country(self) -> str:
        """The country whose rules apply: :attr:`country`, else the position's."""
        return self.country if self.country is not None else self.position.location.country

    @property
    def segments(self) -> tuple[StaySegment, ...]:
        """The stay's dated segments (:meth:`~sgcq.models.Position.stay_segments`)."""
        return self.position.stay_segments(self.stay)

    @property
    def presence(self) -> Presence:
        """The days of the stay spent on site in :attr:`in_country`.

        The whole stay for an on-site position; the on-site segments in the
        country of a hybrid stay (its remote days, and its days on site in
        another country, are not spent there and need no visa for it); the
        whole stay for a remote position, which needs no visa at all (the
        remote exemption decides before any route). Every route's day and
        month limits, and the conditions a route tests on the dates of the
        stay (enrolment to the last day, age and studies at the start), read
        these days, never the remote ones.
        """
        country = self.in_country
        parts = tuple(s.days for s in self.segments if s.on_site and s.country == country)
        return Presence(parts if parts else (self.stay,))

    @property
    def host(self) -> Organisation:
        """The organisation offering the position."""
        return self.scenario.organisation_index[self.position.host]

    @property
    def university(self) -> Organisation | None:
        """The candidate's sending university, if any and in the scenario.

        ``None`` also for a participant affiliated only to an employer or a
        government body: routes that ask about a university are then
        UNDETERMINED and name ``candidate.university``.
        """
        if self.candidate.university is None:
            return None
        return self.scenario.organisation_index.get(self.candidate.university)

    @property
    def affiliation(self) -> Organisation | None:
        """The employer or government body the candidate comes from, if any."""
        if self.candidate.affiliation is None:
            return None
        return self.scenario.organisation_index.get(self.candidate.affiliation)

    def record(self, name: str) -> ParameterValue | None:
        """Return the record of parameter ``name`` in force on ``as_of``."""
        return self.parameters.lookup(name, self.as_of)

    def param(self, name: str) -> Value:
        """Return the value of parameter ``name`` on ``as_of``.

        Raises
        ------
        ParameterError
            If the parameter is unknown, not yet in force or repealed.
        """
        record = self.parameters.lookup(name, self.as_of)
        if record is None or record.value is None:
            return self.parameters.parameter(name).at(self.as_of)
        return record.value

    def int_param(self, name: str) -> int:
        """Return an integer parameter."""
        value = self.param(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ParameterError(f"parameter {name!r} is not an integer: {value!r}")
        return value

    def str_param(self, name: str) -> str:
        """Return a text parameter."""
        value = self.param(name)
        if not isinstance(value, str):
            raise ParameterError(f"parameter {name!r} is not text: {value!r}")
        return value

    def list_param(self, name: str) -> tuple[str, ...]:
        """Return a list parameter."""
        value = self.param(name)
        if not isinstance(value, tuple):
            raise ParameterError(f"parameter {name!r} is not a list: {value!r}")
        return value

    def citation(self, name: str) -> Citation:
        """Return the reference of parameter ``name`` as of ``as_of`` (or its first)."""
        record = self.parameters.lookup(name, self.as_of)
        if record is None:
            record = self.parameters.parameter(name).first
        return record.reference

    def reason(self, code: str, message: str, cite: str, *facts: Fact) -> Reason:
        """Return a reason citing the reference of parameter ``cite``.

        The parameter's value is added to the facts.
        """
        record = self.parameters.lookup(cite, self.as_of)
        if record is None:
            record = self.parameters.parameter(cite).first
        value = record.value
        shown = ", ".join(value) if isinstance(value, tuple) else str(value)
        return Reason(code, message, record.reference, (*facts, Fact(cite, shown, "parameter")))

    def verdict(
        self,
        rule: str,
        outcome: Outcome,
        reasons: Iterable[Reason] = (),
        missing: Iterable[str] = (),
    ) -> Verdict:
        """Return a verdict of ``rule`` as of this context's date."""
        return Verdict(rule, outcome, self.as_of, tuple(reasons), tuple(missing))


@runtime_checkable
class Rule(Protocol):
    """Anything with an id that evaluates a context to a verdict and a trace."""

    @property
    def id(self) -> str:
        """The stable id, e.g. ``"visa.cn.s2"``."""

    def evaluate(self, ctx: Context) -> Verdict:
        """Return the verdict for ``ctx``."""

    def trace(self, ctx: Context) -> Trace:
        """Return the verdict for ``ctx`` with the verdicts of every sub-rule."""


@attrs.frozen(repr=False)
class Trace:
    """The tree of verdicts an evaluation produced.

    Parameters
    ----------
    verdict
        The verdict of this rule.
    children
        The traces of its sub-rules, in order.
    """

    verdict: Verdict
    children: tuple[Trace, ...] = ()

    @property
    def rule(self) -> str:
        """The rule's id."""
        return self.verdict.rule

    @property
    def outcome(self) -> Outcome:
        """The rule's outcome."""
        return self.verdict.outcome

    def walk(self) -> Iterable[Trace]:
        """Yield this trace and every descendant, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def render(self, indent: int = 0) -> str:
        """Return the tree as indented text, one rule per line with its reason codes."""
        codes = ", ".join(self.verdict.codes)
        line = (
            " " * indent + f"{self.rule}: {self.outcome.value}" + (f" [{codes}]" if codes else "")
        )
        if self.verdict.missing:
            line += f" missing {', '.join(self.verdict.missing)}"
        return "\n".join([line, *(c.render(indent + 2) for c in self.children)])

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        nodes = list(self.walk())
        ineligible = sum(t.outcome is Outcome.INELIGIBLE for t in nodes)
        undetermined = sum(t.outcome is Outcome.UNDETERMINED for t in nodes)
        codes = self.verdict.codes
        shown = ", ".join(codes[:3]) + (f", +{len(codes) - 3} more" if len(codes) > 3 else "")
        return (
            f"<Trace {self.rule} {self.outcome.value}: {_html.plural(len(nodes), 'rule')}, "
            f"{ineligible} ineligible, {undetermined} undetermined"
            + (f"; {shown}" if codes else "")
            + ">"
        )

    def _repr_html_(self) -> str:
        """Return the notebook view: one row per rule, indented, with its reasons and citations."""
        rows: list[tuple[object, ...]] = []

        def add(trace: Trace, depth: int) -> None:
            v = trace.verdict
            # A combinator repeats its sub-rules' reasons: their text shows once, where it arose.
            inherited = {r for c in trace.children for r in c.verdict.reasons}
            own = [r for r in v.reasons if r not in inherited]
            rows.append(
                (
                    "\u00a0\u00a0" * depth + trace.rule,
                    v.outcome.value,
                    ", ".join(v.codes),
                    " ".join(r.message for r in own),
                    "; ".join(str(r.citation) for r in own if r.citation is not None),
                    ", ".join(v.missing),
                )
            )
            for child in trace.children:
                add(child, depth + 1)

        add(self, 0)
        return _html.view(
            "trace",
            f"Rule trace of {self.rule}: {self.outcome.value} as of {self.verdict.as_of}",
            _html.html_table(
                ("rule", "outcome", "codes", "messages", "citations", "missing"), rows, limit=300
            ),
        )


@attrs.frozen
class Check:
    """A leaf rule: a function of the context.

    Parameters
    ----------
    id
        The rule's id.
    test
        Returns the verdict; it must give every INELIGIBLE verdict a cited
        reason and every UNDETERMINED verdict its missing inputs.
    description
        What the check encodes.
    """

    id: str
    test: Callable[[Context], Verdict] = attrs.field(eq=False)
    description: str = ""

    def evaluate(self, ctx: Context) -> Verdict:
        """Return the verdict of :attr:`test`."""
        return self.test(ctx)

    def trace(self, ctx: Context) -> Trace:
        """Return a leaf trace."""
        return Trace(self.test(ctx))


_ELIGIBLE = Outcome.ELIGIBLE
_INELIGIBLE = Outcome.INELIGIBLE
_UNDETERMINED = Outcome.UNDETERMINED
_NOT_APPLICABLE = Outcome.NOT_APPLICABLE


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def combine_all(rule: str, as_of: date, verdicts: Iterable[Verdict]) -> Verdict:
    """Combine verdicts that must all hold.

    INELIGIBLE if any is (with every failing reason); else UNDETERMINED if any
    is (with every missing input); else ELIGIBLE with every reason. A
    NOT_APPLICABLE verdict is left out (its reasons too); when every verdict
    is NOT_APPLICABLE, so is the result, with their reasons.
    """
    failing: list[Reason] | None = None
    unknown: list[Verdict] | None = None
    reasons: list[Reason] = []
    skipped: list[Verdict] | None = None
    applicable = False
    for v in verdicts:
        outcome = v.outcome
        if outcome is _NOT_APPLICABLE:
            if skipped is None:
                skipped = []
            skipped.append(v)
            continue
        applicable = True
        if outcome is _INELIGIBLE:
            if failing is None:
                failing = []
            failing.extend(v.reasons)
        elif outcome is _UNDETERMINED:
            if unknown is None:
                unknown = []
            unknown.append(v)
        elif v.reasons:
            reasons.extend(v.reasons)
    if skipped is not None and not applicable:
        return Verdict(rule, _NOT_APPLICABLE, as_of, tuple(r for v in skipped for r in v.reasons))
    if failing is not None:
        return Verdict(rule, _INELIGIBLE, as_of, tuple(failing))
    if unknown is not None:
        return Verdict(
            rule,
            _UNDETERMINED,
            as_of,
            tuple(r for v in unknown for r in v.reasons),
            _dedupe(m for v in unknown for m in v.missing),
        )
    return Verdict(rule, _ELIGIBLE, as_of, tuple(reasons))


def combine_any(rule: str, as_of: date, verdicts: Iterable[Verdict]) -> Verdict:
    """Combine verdicts of which one must hold.

    ELIGIBLE if any is (with the reasons of those that are); else UNDETERMINED
    if any is; else INELIGIBLE with every reason. A NOT_APPLICABLE verdict is
    left out; when every verdict is NOT_APPLICABLE, so is the result.
    """
    given = tuple(verdicts)
    vs = tuple(v for v in given if v.outcome is not _NOT_APPLICABLE)
    if given and not vs:
        return Verdict(rule, _NOT_APPLICABLE, as_of, tuple(r for v in given for r in v.reasons))
    passing = [r for v in vs if v.outcome is _ELIGIBLE for r in v.reasons]
    if passing or any(v.outcome is _ELIGIBLE for v in vs):
        return Verdict(rule, _ELIGIBLE, as_of, tuple(passing))
    unknown = [v for v in vs if v.outcome is _UNDETERMINED]
    if unknown:
        return Verdict(
            rule,
            _UNDETERMINED,
            as_of,
            tuple(r for v in vs for r in v.reasons),
            _dedupe(m for v in unknown for m in v.missing),
        )
    return Verdict(rule, _INELIGIBLE, as_of, tuple(r for v in vs for r in v.reasons))


def _calls(rules: tuple[Rule, ...]) -> tuple[Callable[[Context], Verdict], ...]:
    # A Check's test is called directly: one Python call less per leaf, which
    # matters when every option of a scenario is evaluated.
    return tuple(r.test if type(r) is Check else r.evaluate for r in rules)


@attrs.frozen
class AllOf:
    """Holds when every sub-rule holds; see :func:`combine_all`."""

    id: str
    rules: tuple[Rule, ...]
    _calls: tuple[Callable[[Context], Verdict], ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_calls", _calls(self.rules))

    @property
    def calls(self) -> tuple[Callable[[Context], Verdict], ...]:
        """The sub-rules' evaluation functions, in order."""
        return self._calls

    def evaluate(self, ctx: Context) -> Verdict:
        """Evaluate every sub-rule (no short cut, so every failing reason is given)."""
        return combine_all(self.id, ctx.as_of, [f(ctx) for f in self._calls])

    def trace(self, ctx: Context) -> Trace:
        """Return the trace with a child per sub-rule."""
        children = tuple(r.trace(ctx) for r in self.rules)
        return Trace(combine_all(self.id, ctx.as_of, [c.verdict for c in children]), children)


@attrs.frozen
class AnyOf:
    """Holds when at least one sub-rule holds; see :func:`combine_any`."""

    id: str
    rules: tuple[Rule, ...]
    _calls: tuple[Callable[[Context], Verdict], ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_calls", _calls(self.rules))

    def evaluate(self, ctx: Context) -> Verdict:
        """Evaluate every sub-rule, so that every open alternative is named."""
        return combine_any(self.id, ctx.as_of, [f(ctx) for f in self._calls])

    def trace(self, ctx: Context) -> Trace:
        """Return the trace with a child per sub-rule."""
        children = tuple(r.trace(ctx) for r in self.rules)
        return Trace(combine_any(self.id, ctx.as_of, [c.verdict for c in children]), children)


@attrs.frozen
class Not:
    """Holds when the sub-rule does not; UNDETERMINED and NOT_APPLICABLE stay as they are.

    The reason given when the sub-rule holds names the negated rule and
    carries the facts and parameter values of the sub-rule's reasons.

    Parameters
    ----------
    id
        The rule's id.
    rule
        The negated rule.
    code, message
        The reason given when the sub-rule holds (so this one does not).
    citation
        The reason's citation.
    """

    id: str
    rule: Rule
    code: str
    message: str
    citation: Citation

    def _negate(self, v: Verdict) -> Verdict:
        if v.outcome is Outcome.UNDETERMINED or v.outcome is Outcome.NOT_APPLICABLE:
            return attrs.evolve(v, rule=self.id)
        if v.outcome is Outcome.INELIGIBLE:
            return Verdict(self.id, Outcome.ELIGIBLE, v.as_of, v.reasons)
        # The reason states what it rests on: the negated rule held, with the
        # facts and parameter values that rule's own reasons used.
        facts = (
            Fact("negated_rule", v.rule),
            Fact(f"{v.rule}.outcome", v.outcome.value),
            *dict.fromkeys(f for r in v.reasons for f in r.facts),
        )
        reason = Reason(self.code, self.message, self.citation, facts)
        return Verdict(self.id, Outcome.INELIGIBLE, v.as_of, (reason, *v.reasons))

    def evaluate(self, ctx: Context) -> Verdict:
        """Return the negated verdict."""
        return self._negate(self.rule.evaluate(ctx))

    def trace(self, ctx: Context) -> Trace:
        """Return the trace with the sub-rule's trace as its child."""
        child = self.rule.trace(ctx)
        return Trace(self._negate(child.verdict), (child,))


@attrs.frozen
class Override:
    """An exception to a base rule, applicable when ``when`` holds.

    Parameters
    ----------
    priority
        Higher wins; two applicable exceptions of equal priority must agree.
    when
        The condition; the exception applies when it is ELIGIBLE.
    then
        The rule whose verdict replaces the base's; ``None`` means the verdict
        of ``when`` itself (ELIGIBLE, with its reasons).
    """

    priority: int
    when: Rule
    then: Rule | None = None

    @property
    def id(self) -> str:
        """The id of the exception (its condition's, or its consequence's)."""
        return self.then.id if self.then is not None else self.when.id


@attrs.frozen
class Exceptions:
    """A base rule with prioritized exceptions (Catala's default logic).

    Every exception's condition is evaluated. If none applies, the base
    decides. Otherwise the applicable exceptions of the highest priority
    decide; if they disagree on the outcome, :class:`RuleConflictError` is
    raised. An exception whose condition is UNDETERMINED does not apply.
    """

    id: str
    base: Rule
    overrides: tuple[Override, ...]

    def _decide(self, ctx: Context, traced: bool) -> Trace:
        children: list[Trace] = []
        applicable: list[tuple[Override, Verdict]] = []
        for o in self.overrides:
            if traced:
                t = o.when.trace(ctx)
                children.append(t)
                cond = t.verdict
            else:
                cond = o.when.evaluate(ctx)
            if cond.outcome is Outcome.ELIGIBLE:
                if o.then is None:
                    applicable.append((o, cond))
                elif traced:
                    t = o.then.trace(ctx)
                    children.append(t)
                    applicable.append((o, t.verdict))
                else:
                    applicable.append((o, o.then.evaluate(ctx)))
        if applicable:
            top = max(o.priority for o, _ in applicable)
            winners = [(o, v) for o, v in applicable if o.priority == top]
            outcomes = {v.outcome for _, v in winners}
            if len(outcomes) > 1:
                listed = ", ".join(f"{o.id} ({v.outcome.value})" for o, v in winners)
                raise RuleConflictError(
                    f"rule {self.id}: exceptions of priority {top} disagree as of "
                    f"{ctx.as_of.isoformat()}: {listed}"
                )
            verdict = Verdict(
                self.id,
                winners[0][1].outcome,
                ctx.as_of,
                tuple(r for _, v in winners for r in v.reasons),
                _dedupe(m for _, v in winners for m in v.missing),
            )
            return Trace(verdict, tuple(children))
        if traced:
            base = self.base.trace(ctx)
            children.insert(0, base)
            b = base.verdict
        else:
            b = self.base.evaluate(ctx)
        return Trace(Verdict(self.id, b.outcome, b.as_of, b.reasons, b.missing), tuple(children))

    def evaluate(self, ctx: Context) -> Verdict:
        """Return the verdict of the deciding exception, or of the base."""
        return self._decide(ctx, traced=False).verdict

    def trace(self, ctx: Context) -> Trace:
        """Return the trace with the conditions, consequences and base as children."""
        return self._decide(ctx, traced=True)


def all_of(id: str, *rules: Rule) -> AllOf:
    """Return a rule that holds when all of ``rules`` hold."""
    return AllOf(id, tuple(rules))


def any_of(id: str, *rules: Rule) -> AnyOf:
    """Return a rule that holds when any of ``rules`` holds."""
    return AnyOf(id, tuple(rules))


def not_(id: str, rule: Rule, *, code: str, message: str, citation: Citation) -> Not:
    """Return a rule that holds when ``rule`` does not; see :class:`Not`."""
    return Not(id, rule, code, message, citation)


def exceptions(id: str, base: Rule, *overrides: Override) -> Exceptions:
    """Return ``base`` with prioritized exceptions; see :class:`Exceptions`.

    Examples
    --------
    >>> from datetime import date
    >>> from sgcq.models import Citation
    >>> cite = Citation("demo", date(2020, 1, 1))
    >>> no = Check("no", lambda c: c.verdict("no", Outcome.INELIGIBLE,
    ...     [Reason("no", "never", cite)]))
    >>> yes = Check("yes", lambda c: c.verdict("yes", Outcome.ELIGIBLE))
    >>> rule = exceptions("demo", no, Override(1, yes))
    >>> rule.id
    'demo'
    """
    return Exceptions(id, base, tuple(overrides))


def _children(tree: Rule) -> tuple[Rule, ...]:
    if isinstance(tree, (AllOf, AnyOf)):
        return tree.rules
    if isinstance(tree, Not):
        return (tree.rule,)
    if isinstance(tree, Exceptions):
        out: list[Rule] = [tree.base]
        for o in tree.overrides:
            out.append(o.when)
            if o.then is not None:
                out.append(o.then)
        return tuple(out)
    children = getattr(tree, "children", None)
    if callable(children):
        found: tuple[Rule, ...] = children()
        return found
    return ()


def find_rule(tree: Rule, id: str) -> Rule | None:
    """Return the first rule in ``tree`` (depth first) whose id is ``id``, or ``None``."""
    if tree.id == id:
        return tree
    for child in _children(tree):
        found = find_rule(child, id)
        if found is not None:
            return found
    return None


def replace_rule(tree: Rule, id: str, new: Rule) -> Rule:
    """Return ``tree`` with every sub-rule whose id is ``id`` replaced by ``new``.

    Parameters
    ----------
    tree
        A rule, possibly built with the combinators of this module.
    id
        The id to replace.
    new
        The replacement.

    Returns
    -------
    Rule
        A new tree; ``tree`` itself is unchanged (rules are immutable).
    """
    if tree.id == id:
        return new
    if isinstance(tree, (AllOf, AnyOf)):
        return attrs.evolve(tree, rules=tuple(replace_rule(r, id, new) for r in tree.rules))
    if isinstance(tree, Not):
        return attrs.evolve(tree, rule=replace_rule(tree.rule, id, new))
    if isinstance(tree, Exceptions):
        return attrs.evolve(
            tree,
            base=replace_rule(tree.base, id, new),
            overrides=tuple(
                attrs.evolve(
                    o,
                    when=replace_rule(o.when, id, new),
                    then=None if o.then is None else replace_rule(o.then, id, new),
                )
                for o in tree.overrides
            ),
        )
    replace = getattr(tree, "replace", None)
    if callable(replace):
        result: Rule = replace(id, new)
        return result
    return tree
