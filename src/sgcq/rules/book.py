"""Rule sets chosen by date, and the rule book that holds them.

A :class:`RuleSet` (defined in the private ``sgcq.rules._rule_set``, public
here) is one body of rules (a visa route, placement feasibility, the housing
cover...) with an id, a kind and, for visa routes, the destination country.
Its effective dates are not written in code: they are the value history of the
boolean parameter named by ``in_force``. A rule set is itself a rule:
evaluating it first checks that it is in force as of the context's date
(INELIGIBLE with reason ``<id>.not_in_force`` or ``<id>.repealed`` otherwise),
then evaluates its rule.

A :class:`RuleBook` is the collection used for an evaluation: the rule sets
and the parameters. :meth:`RuleBook.default` has sgcq's own (from
:mod:`sgcq.rules.defaults`, which builds on :class:`RuleSet` and never imports
this module); users add rule sets, replace rules by id and layer parameter
files on top without editing the package.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import attrs

from sgcq.errors import UnknownRuleError
from sgcq.models import SgcqError
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.defaults import default_rule_sets
from sgcq.rules.engine import (
    Context,
    Exceptions,
    Override,
    Rule,
    Trace,
    combine_any,
    find_rule,
    replace_rule,
)
from sgcq.rules.parameters import ParameterSet, default_parameters, load_parameters
from sgcq.rules.verdicts import Outcome, Verdict

__all__ = ["RuleBook", "RuleSet", "RuleSetKind", "UnknownRuleError", "VisaRoutes"]


@attrs.frozen
class VisaRoutes:
    """Any of the visa routes into a country that apply to the programme's kind.

    A route for another kind is NOT_APPLICABLE (``RuleSet.kinds``) and is
    left out of the verdict, so a job's verdict never carries internship
    codes. When no route applies, the verdict is UNDETERMINED and names the
    missing rules: ``visa_rules:<country>`` when none is known at all,
    ``visa_rules:<country>:<kind>`` when none is for the kind.

    Parameters
    ----------
    id
        The rule's id, ``visa.<country>.routes``.
    country
        The destination country.
    routes
        The routes into it, in order.
    """

    id: str
    country: str
    routes: tuple[Rule, ...]

    def _combine(self, ctx: Context, verdicts: list[Verdict]) -> Verdict:
        applicable = [v for v in verdicts if v.outcome is not Outcome.NOT_APPLICABLE]
        if applicable:
            return combine_any(self.id, ctx.as_of, applicable)
        missing = f"visa_rules:{self.country}"
        if verdicts:
            missing += f":{ctx.kind.value}"
        return Verdict(self.id, Outcome.UNDETERMINED, ctx.as_of, (), (missing,))

    def evaluate(self, ctx: Context) -> Verdict:
        """Return the verdict of the routes that apply."""
        return self._combine(ctx, [r.evaluate(ctx) for r in self.routes])

    def trace(self, ctx: Context) -> Trace:
        """Return the trace with a child per route."""
        children = tuple(r.trace(ctx) for r in self.routes)
        return Trace(self._combine(ctx, [c.verdict for c in children]), children)

    def children(self) -> tuple[Rule, ...]:
        """Return the routes."""
        return self.routes

    def replace(self, id: str, new: Rule) -> VisaRoutes:
        """Return the rule with the sub-rule ``id`` replaced by ``new``."""
        return attrs.evolve(self, routes=tuple(replace_rule(r, id, new) for r in self.routes))


@attrs.frozen(repr=False)
class RuleBook:
    """The rule sets and parameters an evaluation uses.

    Parameters
    ----------
    rule_sets
        The sets, by id, in the order they were added.
    parameters
        The parameters they read.

    Examples
    --------
    >>> book = RuleBook.default()
    >>> "visa.cn.s2" in book.ids()
    True
    >>> [rs.id for rs in book.visa_routes("CN")]
    ['visa.cn.s2', 'visa.cn.internship', 'visa.cn.yes', 'visa.cn.work', 'visa.cn.x2', 'visa.cn.f']
    """

    rule_sets: tuple[RuleSet, ...]
    parameters: ParameterSet
    _by_country: dict[tuple[RuleSetKind, str], tuple[RuleSet, ...]] = attrs.field(
        init=False, factory=dict, repr=False, eq=False
    )
    _visa_rules: dict[str, Rule] = attrs.field(init=False, factory=dict, repr=False, eq=False)

    def __getstate__(self) -> dict[str, object]:
        return {"rule_sets": self.rule_sets, "parameters": self.parameters}

    def __setstate__(self, state: dict[str, object]) -> None:
        object.__setattr__(self, "rule_sets", state["rule_sets"])
        object.__setattr__(self, "parameters", state["parameters"])
        object.__setattr__(self, "_by_country", {})
        object.__setattr__(self, "_visa_rules", {})

    def __repr__(self) -> str:
        kinds: dict[str, int] = {}
        for rs in self.rule_sets:
            kinds[rs.kind.value] = kinds.get(rs.kind.value, 0) + 1
        shown = ", ".join(f"{n} {k}" for k, n in kinds.items())
        return (
            f"<RuleBook: {len(self.rule_sets)} rule sets ({shown}), "
            f"{len(self.parameters)} parameters>"
        )

    def __attrs_post_init__(self) -> None:
        ids = [rs.id for rs in self.rule_sets]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise SgcqError(f"rule book: rule set ids repeat: {', '.join(dup)}")
        for rs in self.rule_sets:
            if rs.in_force not in self.parameters:
                raise SgcqError(
                    f"rule set {rs.id!r}: its in_force parameter {rs.in_force!r} is not defined"
                )

    @classmethod
    def default(cls) -> RuleBook:
        """Return sgcq's own rule sets with the bundled parameters."""
        return cls(default_rule_sets(), default_parameters())

    def ids(self) -> tuple[str, ...]:
        """Return the rule set ids, in order."""
        return tuple(rs.id for rs in self.rule_sets)

    def rule_set(self, id: str) -> RuleSet:
        """Return the rule set ``id``.

        Raises
        ------
        UnknownRuleError
            Naming the known ids.
        """
        for rs in self.rule_sets:
            if rs.id == id:
                return rs
        raise UnknownRuleError(f"no rule set {id!r}; known: {', '.join(self.ids())}")

    def of_kind(self, kind: RuleSetKind) -> tuple[RuleSet, ...]:
        """Return the rule sets of ``kind``, in order."""
        return tuple(rs for rs in self.rule_sets if rs.kind is kind)

    def visa_routes(self, country: str) -> tuple[RuleSet, ...]:
        """Return the visa routes into ``country`` (cached)."""
        return self._for_country(RuleSetKind.VISA_ROUTE, country)

    def visa_exemptions(self, country: str) -> tuple[RuleSet, ...]:
        """Return the visa exemptions that apply to ``country`` or to every country."""
        return self._for_country(RuleSetKind.VISA_EXEMPTION, country)

    def _for_country(self, kind: RuleSetKind, country: str) -> tuple[RuleSet, ...]:
        key = (kind, country)
        found = self._by_country.get(key)
        if found is None:
            found = tuple(
                rs for rs in self.rule_sets if rs.kind is kind and rs.country in (country, None)
            )
            self._by_country[key] = found
        return found

    def visa_rule(self, country: str) -> Rule:
        """Return the rule "a visa route into ``country`` is open, or none is needed" (cached).

        Its id is ``visa.<country in lower case>``. The base is
        :class:`VisaRoutes`: any of the routes into ``country`` that apply to
        the programme's kind; every exemption (remote, national...) is an
        exception of priority 10 that makes it ELIGIBLE. With no route known
        for ``country`` the base is UNDETERMINED, missing
        ``visa_rules:<country>``; with routes, none of them for the
        programme's kind, missing ``visa_rules:<country>:<kind>``.
        """
        rule = self._visa_rules.get(country)
        if rule is None:
            rid = f"visa.{country.lower()}"
            base = VisaRoutes(f"{rid}.routes", country, self.visa_routes(country))
            rule = Exceptions(
                rid, base, tuple(Override(10, rs) for rs in self.visa_exemptions(country))
            )
            self._visa_rules[country] = rule
        return rule

    def in_force(self, as_of: date) -> tuple[RuleSet, ...]:
        """Return the rule sets in force on ``as_of`` (rule sets chosen by date)."""
        return tuple(rs for rs in self.rule_sets if rs.in_force_on(as_of, self.parameters))

    def with_rule_set(self, rule_set: RuleSet) -> RuleBook:
        """Return a book with ``rule_set`` added, or replacing the set of the same id."""
        sets = list(self.rule_sets)
        for i, rs in enumerate(sets):
            if rs.id == rule_set.id:
                sets[i] = rule_set
                break
        else:
            sets.append(rule_set)
        return RuleBook(tuple(sets), self.parameters)

    def without(self, id: str) -> RuleBook:
        """Return a book without the rule set ``id``."""
        self.rule_set(id)
        return RuleBook(tuple(rs for rs in self.rule_sets if rs.id != id), self.parameters)

    def with_rule(self, id: str, rule: Rule) -> RuleBook:
        """Return a book in which every rule with id ``id`` is replaced by ``rule``.

        Raises
        ------
        UnknownRuleError
            If no rule in the book has that id.
        """
        if not any(rs.id == id or find_rule(rs.rule, id) is not None for rs in self.rule_sets):
            raise UnknownRuleError(f"no rule {id!r} in any rule set")
        return RuleBook(tuple(rs.replace(id, rule) for rs in self.rule_sets), self.parameters)

    def with_parameters(self, parameters: ParameterSet) -> RuleBook:
        """Return a book whose parameters are overridden by ``parameters``."""
        return RuleBook(self.rule_sets, self.parameters.override(parameters))

    def with_parameter_files(self, paths: Iterable[str | Path]) -> RuleBook:
        """Return a book with the parameter files read and layered on top, in order."""
        book = self
        for path in paths:
            book = book.with_parameters(load_parameters(path))
        return book
