"""The passes into Singapore: TEP, TWP, the Work Holiday Programme, EP, and for courses.

The training passes apply to internships; the Work Holiday Pass to
internships and jobs; the Employment Pass to jobs; the visit pass (short
courses) and the Student's Pass to courses (``RuleSet.kinds``).

Documented in ``docs/rules/visa-into-singapore.md``; the parameters are in
``sgcq/data/rules/parameters/visa-sg.toml``.
"""

from __future__ import annotations

from sgcq.models import ProgrammeKind
from sgcq.rules._rule_set import RuleSet
from sgcq.rules.defaults._conditions import (
    _NO,
    _UNKNOWN,
    _age,
    _documents,
    _local_college,
    _max_days,
    _max_months,
    _min_degree,
    _min_salary,
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


def _ep_qualification(ctx: Context) -> Verdict:
    # MOM asks for acceptable qualifications: a good university degree,
    # professional qualifications or specialist skills. sgcq can tell a
    # degree; anything else is MOM's assessment, so it stays UNDETERMINED.
    rid = "visa.sg.ep.qualification"
    inner = _min_degree("visa.sg.ep", "visa.sg.ep.min_degree").test(ctx)
    if inner.outcome is _NO:
        reason = ctx.reason(
            "visa.sg.ep.qualification_unknown",
            "below a university degree, MOM may still accept professional qualifications or "
            "specialist skills, which sgcq cannot assess",
            "visa.sg.ep.min_degree",
            *(f for r in inner.reasons for f in r.facts if f.kind == "input"),
        )
        return Verdict(rid, _UNKNOWN, ctx.as_of, (reason,), ("mom.assessment:qualifications",))
    return Verdict(rid, inner.outcome, ctx.as_of, inner.reasons, inner.missing)


def _stp_institution(ctx: Context) -> Verdict:
    # Where the studies are held: the stay's on-site segments in the country
    # assessed (Context.presence), not the host's seat. A MiniMasters hosted by
    # the Base in Chongqing holds its campus sessions in Singapore.
    rid = "visa.sg.student_pass.institution"
    country = ctx.str_param("visa.sg.student_pass.institution_country")
    here = ctx.in_country
    places = [s.location for s in ctx.segments if s.on_site and s.country == here]
    if not places:
        places = [ctx.position.location]
    abroad = sorted({p.country for p in places if p is not None and p.country != country})
    if abroad:
        return _no(
            ctx,
            rid,
            "visa.sg.student_pass.institution_not_in_singapore",
            f"the studies of {ctx.position.id} on site are held in {', '.join(abroad)}, "
            f"not {country}",
            "visa.sg.student_pass.institution_country",
            ("stay.on_site_country", ", ".join(abroad)),
            ("stay.in_country", str(ctx.presence)),
        )
    return _ok(ctx, rid)


def _stp_student(ctx: Context) -> Verdict:
    # sgcq gives the study route only to a full-time student (decision 0022).
    # Which pass a participant who is not a student needs for a course in
    # Singapore longer than the visit-pass allowance is not in sgcq's sources:
    # UNDETERMINED, naming the missing source, never a guessed route.
    rid = "visa.sg.student_pass.student"
    until = ctx.candidate.study.enrolled_full_time_until
    days = ctx.presence
    if until is not None and until >= days.last_day:
        return _ok(ctx, rid)
    shown = until.isoformat() if until else "not enrolled"
    reason = ctx.reason(
        "visa.sg.student_pass.not_a_student",
        f"the participant is not a full-time student for the days in Singapore {days} "
        f"(enrolled until {shown}); sgcq gives the Student's Pass only to students, and its "
        "sources do not say which pass a participant who is not a student needs for a course "
        "longer than the visit-pass allowance",
        "visa.sg.student_pass.in_force",
        Fact("candidate.study.enrolled_full_time_until", shown),
        Fact("stay.in_country", str(days)),
    )
    return Verdict(rid, _UNKNOWN, ctx.as_of, (reason,), (_NON_STUDENT_SOURCE,))


#: What a non-student course participant's Singapore verdict says is missing.
_NON_STUDENT_SOURCE = "source:visa.sg.pass_for_non_student_course_participants"


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
        ``visa.sg.tep``, ``visa.sg.twp`` (internships), ``visa.sg.whp``
        (internships and jobs), ``visa.sg.ep`` (jobs), ``visa.sg.visit_course``
        and ``visa.sg.student_pass`` (courses).
    """
    tep, twp, whp = "visa.sg.tep", "visa.sg.twp", "visa.sg.whp"
    ep, visit, stp = "visa.sg.ep", "visa.sg.visit_course", "visa.sg.student_pass"
    courses = frozenset({ProgrammeKind.TRAINING_COURSE, ProgrammeKind.HYBRID_COURSE})
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
            kinds=frozenset({ProgrammeKind.INTERNSHIP, ProgrammeKind.JOB}),
        ),
        _route(
            ep,
            "Employment Pass",
            "SG",
            "for professionals with a job offer paid at least the dated qualifying salary and "
            "holding acceptable qualifications (a good university degree)",
            _min_salary(ep, "visa.sg.ep.min_monthly_salary", "visa.sg.ep.salary_currency"),
            _simple(f"{ep}.qualification", "acceptable qualifications", _ep_qualification),
            _documents(
                ep, "visa.sg.ep.visa", "visa.sg.ep.documents", ("visa.sg.ep.min_monthly_salary",)
            ),
            kinds=frozenset({ProgrammeKind.JOB}),
        ),
        _route(
            visit,
            "Visit pass for a short course",
            "SG",
            "a visitor may attend a short stand-alone course within the visit pass or 30 days, "
            "whichever is shorter, without a Student's Pass",
            _max_days(visit, "visa.sg.visit_course.max_course_days"),
            _documents(
                visit,
                "visa.sg.visit_course.visa",
                "visa.sg.visit_course.documents",
                ("visa.sg.visit_course.max_course_days",),
            ),
            kinds=courses,
        ),
        _route(
            stp,
            "Student's Pass",
            "SG",
            "for foreigners pursuing full-time studies at an institution in Singapore; sgcq "
            "gives it to full-time students only",
            _simple(f"{stp}.student", "a full-time student", _stp_student),
            _simple(f"{stp}.institution", "studies held in Singapore", _stp_institution),
            _documents(stp, "visa.sg.student_pass.visa", "visa.sg.student_pass.documents", ()),
            kinds=courses,
        ),
    )
