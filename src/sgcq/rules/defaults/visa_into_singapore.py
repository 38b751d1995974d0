"""The passes into Singapore for training: TEP, TWP and the Work Holiday Programme.

Documented in ``docs/rules/visa-into-singapore.md``; the parameters are in
``sgcq/data/rules/parameters/visa-sg.toml``.
"""

from __future__ import annotations

from sgcq.rules._rule_set import RuleSet
from sgcq.rules.defaults._conditions import (
    _UNKNOWN,
    _age,
    _documents,
    _local_college,
    _max_months,
    _no,
    _ok,
    _once,
    _route,
    _simple,
    _student,
)
from sgcq.rules.engine import Context
from sgcq.rules.verdicts import Fact, Verdict

__all__ = ["rule_sets"]


def _tep_institution(ctx: Context) -> Verdict:
    # MOM admits foreign students "from an acceptable institution" without a
    # published list in sgcq's sources: the list is a parameter, empty by
    # default, and a university not on it leaves the route UNDETERMINED.
    rid = "visa.sg.tep.acceptable_institution"
    uni = ctx.university
    if uni is None:
        return Verdict(rid, _UNKNOWN, ctx.as_of, (), ("candidate.university",))
    accepted = ctx.list_param("visa.sg.tep.acceptable_institutions")
    if uni.id in accepted:
        return _ok(ctx, rid)
    reason = ctx.reason(
        "visa.sg.tep.institution_unknown",
        f"whether MOM accepts {uni.id} for the pass is not known; list the institutions it "
        "accepts in visa.sg.tep.acceptable_institutions",
        "visa.sg.tep.acceptable_institutions",
        Fact("candidate.university", uni.id),
    )
    return Verdict(
        rid, _UNKNOWN, ctx.as_of, (reason,), (f"visa.sg.tep.acceptable_institutions:{uni.id}",)
    )


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
            "for foreign students of an acceptable institution on practical training that is "
            "part of their course; up to three months, once per type of training",
            _student(tep, "visa.sg.tep.in_force"),
            _simple(f"{tep}.acceptable_institution", "acceptable institution", _tep_institution),
            _once(tep, "visa.sg.tep.scheme_id"),
            _max_months(tep, "visa.sg.tep.max_stay_months"),
            _documents(
                tep, "visa.sg.tep.visa", "visa.sg.tep.documents", ("visa.sg.tep.max_stay_months",)
            ),
        ),
        _route(
            twp,
            "Training Work Permit",
            "SG",
            "for foreign students of educational institutions in Singapore whose course "
            "requires the training; once per student",
            _student(twp, "visa.sg.twp.in_force"),
            _local_college(twp, "SG", "visa.sg.twp.local_institution"),
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
