"""The passes into Singapore for training: TEP, TWP and the Work Holiday Programme.

Documented in ``docs/rules/visa-into-singapore.md``; the parameters are in
``sgcq/data/rules/parameters/visa-sg.toml``.
"""

from __future__ import annotations

from decimal import Decimal

from sgcq.models import RateNotFoundError
from sgcq.rules._rule_set import RuleSet
from sgcq.rules.defaults._conditions import (
    _UNKNOWN,
    _age,
    _documents,
    _foreign_college,
    _max_months,
    _no,
    _ok,
    _once,
    _route,
    _simple,
    _student,
)
from sgcq.rules.engine import Context
from sgcq.rules.verdicts import Verdict

__all__ = ["rule_sets"]


def _tep_salary(ctx: Context) -> Verdict:
    rid = "visa.sg.tep.salary"
    floor = ctx.param("visa.sg.tep.min_monthly_salary")
    currency = ctx.str_param("visa.sg.tep.salary_currency")
    assert isinstance(floor, Decimal)
    allowance = ctx.position.allowance
    if allowance is None:
        return _no(
            ctx,
            rid,
            "visa.sg.tep.salary_too_low",
            f"the position pays nothing; the pass needs at least {currency} {floor} a month",
            "visa.sg.tep.min_monthly_salary",
        )
    try:
        monthly = ctx.scenario.rates.convert(allowance.monthly, currency, on=ctx.stay.start)
    except RateNotFoundError:
        return Verdict(
            rid,
            _UNKNOWN,
            ctx.as_of,
            (),
            (f"rate:{allowance.monthly.currency}->{currency}@{ctx.stay.start.isoformat()}",),
        )
    if monthly.amount < floor:
        return _no(
            ctx,
            rid,
            "visa.sg.tep.salary_too_low",
            f"the position pays {monthly} a month; the pass needs at least {currency} {floor}",
            "visa.sg.tep.min_monthly_salary",
            ("position.allowance.monthly", str(monthly)),
        )
    return _ok(ctx, rid)


def _whp_university(ctx: Context) -> Verdict:
    rid = "visa.sg.whp.university"
    uni = ctx.university
    if uni is None:
        return Verdict(rid, _UNKNOWN, ctx.as_of, (), ("candidate.university",))
    countries = ctx.list_param("visa.sg.whp.university_countries")
    if uni.location.country not in countries:
        return _no(
            ctx,
            rid,
            "visa.sg.whp.university_country_not_eligible",
            f"{uni.id} is in {uni.location.country}, not one of {', '.join(countries)}",
            "visa.sg.whp.university_countries",
            ("university.location.country", uni.location.country),
        )
    return _ok(ctx, rid)


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the passes into Singapore, in evaluation order.

    Returns
    -------
    tuple of RuleSet
        ``visa.sg.tep``, ``visa.sg.twp`` and ``visa.sg.whp``.
    """
    tep, twp, whp = "visa.sg.tep", "visa.sg.twp", "visa.sg.whp"
    return (
        _route(
            tep,
            "Training Employment Pass",
            "SG",
            "for foreign students on practical training paid at least the salary floor",
            _student(tep, "visa.sg.tep.in_force"),
            _foreign_college(tep, "SG", "visa.sg.tep.in_force"),
            _simple(f"{tep}.salary", "salary floor", _tep_salary),
            _max_months(tep, "visa.sg.tep.max_stay_months"),
            _documents(
                tep, "visa.sg.tep.visa", "visa.sg.tep.documents", ("visa.sg.tep.max_stay_months",)
            ),
        ),
        _route(
            twp,
            "Training Work Permit",
            "SG",
            "for students whose course requires the training; once per student",
            _student(twp, "visa.sg.twp.in_force"),
            _foreign_college(twp, "SG", "visa.sg.twp.in_force"),
            _once(twp, "visa.sg.twp.scheme_id"),
            _max_months(twp, "visa.sg.twp.max_stay_months"),
            _documents(
                twp, "visa.sg.twp.visa", "visa.sg.twp.documents", ("visa.sg.twp.max_stay_months",)
            ),
        ),
        _route(
            whp,
            "Work Holiday Programme",
            "SG",
            "for young students and graduates of universities in listed countries",
            _age(whp, "visa.sg.whp.min_age", "visa.sg.whp.max_age"),
            _simple(f"{whp}.university", "university country", _whp_university),
            _max_months(whp, "visa.sg.whp.max_stay_months"),
            _documents(
                whp,
                "visa.sg.whp.visa",
                "visa.sg.whp.documents",
                ("visa.sg.whp.max_stay_months", "visa.sg.whp.places"),
            ),
        ),
    )
