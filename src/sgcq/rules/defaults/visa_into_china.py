"""The visa routes into China: S2 (Chongqing), the internship visa, YES, work, study, exchange.

The internship routes apply to internship programmes only; the work route
(work permit, then a Z visa and a residence permit) to jobs; the short-study
X2 and exchange F routes to courses (``RuleSet.kinds``).

Documented in ``docs/rules/visa-into-china.md``; the parameters are in
``sgcq/data/rules/parameters/visa-cn.toml``.
"""

from __future__ import annotations

from sgcq.models import ProgrammeKind
from sgcq.rules._dates import plus_months
from sgcq.rules._rule_set import RuleSet
from sgcq.rules.defaults._conditions import (
    _UNKNOWN,
    _age,
    _documents,
    _foreign_college,
    _max_days,
    _max_months,
    _min_degree,
    _min_experience,
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


def _s2_host_zone(ctx: Context) -> Verdict:
    rid = "visa.cn.s2.host_zone"
    zone = ctx.str_param("visa.cn.s2.host_zone")
    host = ctx.host
    if zone not in host.location.zones:
        return _no(
            ctx,
            rid,
            "visa.cn.s2.host_not_in_pilot_ftz",
            f"the host {host.id} is not in the Pilot Free Trade Zone ({zone})",
            "visa.cn.s2.host_zone",
            ("host.location.zones", ", ".join(sorted(host.location.zones)) or "none"),
        )
    return _ok(ctx, rid)


def _s2_host_registered(ctx: Context) -> Verdict:
    rid = "visa.cn.s2.host_registered"
    if ctx.param("visa.cn.s2.host_registration") is not True:
        return _ok(ctx, rid)
    host = ctx.host
    on = host.visa_scheme_registered_on
    # The host must have registered by the intern's first day on site in China
    # (Context.presence), not by the start of a hybrid stay's remote part.
    first = ctx.presence.start
    if on is None or on > first:
        shown = on.isoformat() if on else "never"
        return _no(
            ctx,
            rid,
            "visa.cn.s2.host_not_registered",
            f"the host {host.id} has not registered for the internship-visa scheme by "
            f"{first.isoformat()}, the first day in China (registered: {shown})",
            "visa.cn.s2.host_registration",
            ("host.visa_scheme_registered_on", shown),
            ("stay.in_country", str(ctx.presence)),
        )
    return _ok(ctx, rid)


def _internship_well_known(ctx: Context) -> Verdict:
    rid = "visa.cn.internship.well_known_host"
    if not ctx.host.well_known:
        return _no(
            ctx,
            rid,
            "visa.cn.internship.host_not_well_known",
            f"the host {ctx.host.id} is not a well-known enterprise",
            "visa.cn.internship.in_force",
            ("host.well_known", "false"),
        )
    return _ok(ctx, rid)


def _yes_citizen(ctx: Context) -> Verdict:
    rid = "visa.cn.yes.citizen"
    need = ctx.str_param("visa.cn.yes.citizenship")
    if need not in ctx.candidate.nationalities:
        return _no(
            ctx,
            rid,
            "visa.cn.yes.not_a_citizen",
            f"the scheme is for {need} citizens",
            "visa.cn.yes.citizenship",
        )
    return _ok(ctx, rid)


def _yes_education(ctx: Context) -> Verdict:
    rid = "visa.cn.yes.education"
    uni = ctx.university
    if uni is None:
        return Verdict(rid, _UNKNOWN, ctx.as_of, (), ("candidate.university",))
    kinds = ctx.list_param("visa.cn.yes.education_kinds")
    kind = uni.education_kind.value if uni.education_kind is not None else "unknown"
    if kind not in kinds:
        return _no(
            ctx,
            rid,
            "visa.cn.yes.institution_not_eligible",
            f"{uni.id} is not an autonomous university or polytechnic ({kind})",
            "visa.cn.yes.education_kinds",
            ("university.education_kind", kind),
        )
    study = ctx.candidate.study
    start = ctx.presence.start
    if study.enrolled_full_time_until is not None and start <= study.enrolled_full_time_until:
        return _ok(ctx, rid)
    years = ctx.int_param("visa.cn.yes.max_years_since_graduation")
    grad = study.graduated_on
    if grad is not None and grad <= start <= plus_months(grad, 12 * years):
        return _ok(ctx, rid)
    shown = grad.isoformat() if grad else "not graduated"
    return _no(
        ctx,
        rid,
        "visa.cn.yes.not_student_or_recent_graduate",
        f"neither studying full time at the start nor graduated at most {years} calendar "
        f"year(s) before it (graduated: {shown})",
        "visa.cn.yes.max_years_since_graduation",
        ("candidate.study.graduated_on", shown),
    )


def _yes_long_stay(ctx: Context) -> tuple[tuple[str, ...], str | None]:
    if ctx.presence.days >= ctx.int_param("visa.cn.yes.work_permit_min_days"):
        return ctx.list_param("visa.cn.yes.long_stay_documents"), "visa.cn.yes.work_permit_min_days"
    return (), None


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the visa routes into China, in evaluation order.

    Returns
    -------
    tuple of RuleSet
        ``visa.cn.s2``, ``visa.cn.internship`` and ``visa.cn.yes`` (internships),
        ``visa.cn.work`` (jobs), ``visa.cn.x2`` and ``visa.cn.f`` (courses).
    """
    s2 = "visa.cn.s2"
    nia = "visa.cn.internship"
    yes = "visa.cn.yes"
    work = "visa.cn.work"
    x2 = "visa.cn.x2"
    f = "visa.cn.f"
    courses = frozenset({ProgrammeKind.TRAINING_COURSE, ProgrammeKind.HYBRID_COURSE})
    return (
        _route(
            s2,
            "Chongqing S2 internship visa",
            "CN",
            "S2 visa for foreign college students interning at a registered Pilot FTZ host",
            _simple(f"{s2}.host_zone", "host in the Pilot FTZ", _s2_host_zone),
            _simple(f"{s2}.host_registered", "host registered", _s2_host_registered),
            _student(s2, "visa.cn.s2.student_required"),
            _foreign_college(s2, "CN", "visa.cn.s2.student_required"),
            _max_days(s2, "visa.cn.s2.max_stay_days"),
            _documents(
                s2, "visa.cn.s2.visa", "visa.cn.s2.documents", ("visa.cn.s2.max_stay_days",)
            ),
        ),
        _route(
            nia,
            "National internship-annotated visa",
            "CN",
            "one-year visa annotated internship for overseas students invited by a well-known "
            "enterprise",
            _simple(f"{nia}.well_known_host", "host is well known", _internship_well_known),
            _student(nia, "visa.cn.internship.in_force"),
            _foreign_college(nia, "CN", "visa.cn.internship.in_force"),
            _max_months(nia, "visa.cn.internship.max_stay_months"),
            _documents(
                nia,
                "visa.cn.internship.visa",
                "visa.cn.internship.documents",
                ("visa.cn.internship.max_stay_months",),
            ),
        ),
        _route(
            yes,
            "Singapore-China Youth Interns Exchange Scheme (YES)",
            "CN",
            "Z visa (and a work permit for long stays) for young Singaporean interns",
            _simple(f"{yes}.citizen", "Singapore citizen", _yes_citizen),
            _simple(f"{yes}.education", "student or recent graduate", _yes_education),
            _age(yes, "visa.cn.yes.min_age", None),
            _once(yes, "visa.cn.yes.scheme_id"),
            _max_months(yes, "visa.cn.yes.max_stay_months"),
            _documents(
                yes,
                "visa.cn.yes.visa",
                "visa.cn.yes.documents",
                (
                    "visa.cn.yes.max_stay_months",
                    "visa.cn.yes.work_permit_min_days",
                    "visa.cn.yes.work_permit_deadline_days",
                    "visa.cn.yes.annual_places",
                ),
                _yes_long_stay,
            ),
        ),
        _route(
            work,
            "Work permit, Z visa and work-type residence permit",
            "CN",
            "a foreign professional with a bachelor's degree and two years of relevant work: the "
            "employer obtains the work permit notification, the worker enters on a Z visa and "
            "applies for a residence permit within 30 days",
            _min_degree(work, "visa.cn.work.min_degree"),
            _min_experience(work, "visa.cn.work.min_experience_months"),
            _documents(
                work,
                "visa.cn.work.visa",
                "visa.cn.work.documents",
                ("visa.cn.work.residence_permit_deadline_days",),
            ),
            kinds=frozenset({ProgrammeKind.JOB}),
        ),
        _route(
            x2,
            "X2 short-term study visa",
            "CN",
            "study of at most 180 days in China, for a participant who is a full-time student "
            "(others come on the F exchange visa)",
            _student(x2, "visa.cn.x2.in_force"),
            _max_days(x2, "visa.cn.x2.max_stay_days"),
            _documents(
                x2, "visa.cn.x2.visa", "visa.cn.x2.documents", ("visa.cn.x2.max_stay_days",)
            ),
            kinds=courses,
        ),
        _route(
            f,
            "F exchange visa",
            "CN",
            "exchanges, visits and study tours on an invitation; the stay is the one the visa "
            "grants (the sources give no limit)",
            _documents(f, "visa.cn.f.visa", "visa.cn.f.documents", ()),
            kinds=courses,
        ),
    )
