"""sgcq's own rule sets: visa routes both ways, exemptions, feasibility, norms, entitlements.

Each rule reads its numbers, lists and effective dates from parameters (see
``sgcq/data/rules/parameters/``) and cites the parameter's reference in every
reason it gives. The rule sets are documented one page each under
``docs/rules/``.

Conventions:

* conditions on the candidate's studies, age and the host's registration are
  tested on the stay's dates; the parameters (the law) are looked up as of
  the context's ``as_of`` date;
* a route that needs an enrolled student needs enrolment for the whole stay
  (up to and including its last day);
* a route lists its documents in an ``<id>.open`` reason; when the candidate's
  documents are known (``Context.documents``) a missing one makes the route
  UNDETERMINED, naming it as ``document:<id>``, so supplying it can only help.

The rules are one module per rule family, named as the pages under
``docs/rules/``: :mod:`~sgcq.rules.defaults.visa_into_china`,
:mod:`~sgcq.rules.defaults.visa_into_singapore`,
:mod:`~sgcq.rules.defaults.visa_exemptions`,
:mod:`~sgcq.rules.defaults.placement_feasibility`,
:mod:`~sgcq.rules.defaults.remote_norms`,
:mod:`~sgcq.rules.defaults.housing_cover` and
:mod:`~sgcq.rules.defaults.allowance`; each has a ``rule_sets()``. The
condition factories they share are in the private ``_conditions`` module.
"""

from __future__ import annotations

from sgcq.rules._rule_set import RuleSet
from sgcq.rules.defaults import (
    allowance,
    housing_cover,
    placement_feasibility,
    programme_eligibility,
    remote_norms,
    visa_elsewhere,
    visa_exemptions,
    visa_into_china,
    visa_into_singapore,
)

__all__ = ["default_rule_sets"]

#: The families in evaluation order.
_FAMILIES = (
    visa_into_china,
    visa_into_singapore,
    visa_elsewhere,
    visa_exemptions,
    placement_feasibility,
    programme_eligibility,
    remote_norms,
    housing_cover,
    allowance,
)


def default_rule_sets() -> tuple[RuleSet, ...]:
    """Return sgcq's default rule sets, in evaluation order.

    Returns
    -------
    tuple of RuleSet
        Visa routes into China (``visa.cn.s2``, ``visa.cn.internship``,
        ``visa.cn.yes``, ``visa.cn.work``, ``visa.cn.x2``, ``visa.cn.f``) and
        into Singapore (``visa.sg.tep``, ``visa.sg.twp``, ``visa.sg.whp``,
        ``visa.sg.ep``, ``visa.sg.visit_course``, ``visa.sg.student_pass``),
        each for the programme kinds it names; the out-of-scope verdicts for
        on-site placements in Malaysia, Thailand and Australia
        (``visa.my.out_of_scope``, ``visa.th.out_of_scope``,
        ``visa.au.out_of_scope``); the exemptions
        (``visa.exempt.remote``, ``visa.exempt.national``),
        ``placement.feasibility``, ``programme.cofounder``, ``remote.norms``,
        ``housing.cover`` and ``allowance.cost``.
    """
    return tuple(rs for family in _FAMILIES for rs in family.rule_sets())
