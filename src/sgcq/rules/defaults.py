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
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs

from sgcq.models import Mode, Money, RateNotFoundError
from sgcq.rules._dates import admits, plus_months
from sgcq.rules.allowance import allowance_cost
from sgcq.rules.book import RuleSet, RuleSetKind
from sgcq.rules.engine import Check, Context, Rule, all_of
from sgcq.rules.housing import split_cover
from sgcq.rules.verdicts import Fact, Outcome, Verdict

__all__ = ["default_rule_sets"]

_OK = Outcome.ELIGIBLE
_NO = Outcome.INELIGIBLE
_UNKNOWN = Outcome.UNDETERMINED

Test = Callable[[Context], Verdict]


_OK_VERDICTS: dict[tuple[str, date], Verdict] = {}


def _ok(ctx: Context, rule: str) -> Verdict:
    # Verdicts are immutable: share one per rule and date (bounded, so a long
    # run over many dates cannot grow it without limit).
    key = (rule, ctx.as_of)
    found = _OK_VERDICTS.get(key)
    if found is None:
        if len(_OK_VERDICTS) > 100_000:
            _OK_VERDICTS.clear()
        found = _OK_VERDICTS[key] = Verdict(rule, _OK, ctx.as_of)
    return found


def _no(
    ctx: Context, rule: str, code: str, message: str, cite: str, *facts: tuple[str, str]
) -> Verdict:
    # The verdict is a function of its arguments, the date and the parameters,
    # and the same failure recurs across many options: build it once.
    key = (rule, code, message, cite, ctx.as_of, facts)

    def build() -> Verdict:
        reason = ctx.reason(code, message, cite, *(Fact(n, v) for n, v in facts))
        return Verdict(rule, _NO, ctx.as_of, (reason,))

    return ctx.parameters.memo(key, build)


# --- condition factories ---------------------------------------------------------


@attrs.frozen
class _Student:
    route: str
    cite: str

    def __call__(self, ctx: Context) -> Verdict:
        route = self.route
        cite = self.cite
        rid = f"{route}.student"
        until = ctx.candidate.study.enrolled_full_time_until
        if until is None or until < ctx.stay.last_day:
            shown = until.isoformat() if until else "not enrolled"
            return _no(
                ctx,
                rid,
                f"{route}.not_a_student",
                f"the route needs a full-time student for the whole stay {ctx.stay}; "
                f"enrolled until {shown}",
                cite,
                ("candidate.study.enrolled_full_time_until", shown),
            )
        return _ok(ctx, rid)


def _student(route: str, cite: str) -> Check:
    rid = f"{route}.student"
    return Check(rid, _Student(route, cite), "enrolled full time for the whole stay")


@attrs.frozen
class _ForeignCollege:
    route: str
    country: str
    cite: str

    def __call__(self, ctx: Context) -> Verdict:
        route = self.route
        country = self.country
        cite = self.cite
        rid = f"{route}.foreign_college"
        uni = ctx.university
        if uni is None:
            return Verdict(rid, _UNKNOWN, ctx.as_of, (), ("candidate.university",))
        if uni.location.country == country:
            return _no(
                ctx,
                rid,
                f"{route}.college_not_foreign",
                f"the route is for students of foreign colleges; {uni.id} is in {country}",
                cite,
                ("university.location.country", uni.location.country),
            )
        return _ok(ctx, rid)


def _foreign_college(route: str, country: str, cite: str) -> Check:
    rid = f"{route}.foreign_college"
    return Check(
        rid, _ForeignCollege(route, country, cite), f"enrolled at a college outside {country}"
    )


@attrs.frozen
class _MaxDays:
    route: str
    param: str

    def __call__(self, ctx: Context) -> Verdict:
        route = self.route
        param = self.param
        rid = f"{route}.max_stay"
        limit = ctx.int_param(param)
        if ctx.stay.days > limit:
            return _no(
                ctx,
                rid,
                f"{route}.stay_too_long",
                f"the stay {ctx.stay} is {ctx.stay.days} days; the route allows {limit}",
                param,
                ("stay.days", str(ctx.stay.days)),
            )
        return _ok(ctx, rid)


def _max_days(route: str, param: str) -> Check:
    rid = f"{route}.max_stay"
    return Check(rid, _MaxDays(route, param), "stay within the day limit")


@attrs.frozen
class _MaxMonths:
    route: str
    param: str

    def __call__(self, ctx: Context) -> Verdict:
        route = self.route
        param = self.param
        rid = f"{route}.max_stay"
        limit = ctx.int_param(param)
        latest = plus_months(ctx.stay.start, limit)
        if ctx.stay.end > latest:
            return _no(
                ctx,
                rid,
                f"{route}.stay_too_long",
                f"the stay {ctx.stay} ends after {latest.isoformat()}, "
                f"{limit} months from its start",
                param,
                ("stay.end", ctx.stay.end.isoformat()),
            )
        return _ok(ctx, rid)


def _max_months(route: str, param: str) -> Check:
    rid = f"{route}.max_stay"
    return Check(rid, _MaxMonths(route, param), "stay within the month limit")


@attrs.frozen
class _Age:
    route: str
    low: str | None
    high: str | None

    def __call__(self, ctx: Context) -> Verdict:
        route = self.route
        low = self.low
        high = self.high
        rid = f"{route}.age"
        age = ctx.candidate.age_on(ctx.stay.start)
        if age is None:
            return Verdict(rid, _UNKNOWN, ctx.as_of, (), ("candidate.date_of_birth",))
        fact = ("candidate.age_at_start", str(age))
        if low is not None and age < ctx.int_param(low):
            return _no(
                ctx,
                rid,
                f"{route}.too_young",
                f"aged {age} at the start; the route needs {ctx.int_param(low)} or over",
                low,
                fact,
            )
        if high is not None and age > ctx.int_param(high):
            return _no(
                ctx,
                rid,
                f"{route}.too_old",
                f"aged {age} at the start; the route allows up to {ctx.int_param(high)}",
                high,
                fact,
            )
        return _ok(ctx, rid)


def _age(route: str, low: str | None, high: str | None) -> Check:
    rid = f"{route}.age"
    return Check(rid, _Age(route, low, high), "age at the start within limits")


@attrs.frozen
class _Once:
    route: str
    param: str

    def __call__(self, ctx: Context) -> Verdict:
        route = self.route
        param = self.param
        rid = f"{route}.once"
        scheme = ctx.str_param(param)
        if scheme in ctx.candidate.schemes_used:
            return _no(
                ctx,
                rid,
                f"{route}.already_used",
                f"the scheme {scheme!r} may be used once and the candidate has used it",
                param,
                ("candidate.schemes_used", ", ".join(sorted(ctx.candidate.schemes_used))),
            )
        return _ok(ctx, rid)


def _once(route: str, param: str) -> Check:
    rid = f"{route}.once"
    return Check(rid, _Once(route, param), "scheme used once only")


@attrs.frozen
class _Documents:
    route: str
    visa: str
    documents: str
    limits: tuple[str, ...]
    extra: Callable[[Context], tuple[tuple[str, ...], str | None]] | None = None

    def __call__(self, ctx: Context) -> Verdict:
        more: tuple[str, ...] = ()
        more_cite: str | None = None
        if self.extra is not None:
            more, more_cite = self.extra(ctx)
        if ctx.documents is None:
            # Without known documents the verdict depends only on the date and
            # the parameters: build it once per date.
            key = (self.route, self.visa, self.documents, self.limits, ctx.as_of, more, more_cite)
            return ctx.parameters.memo(key, lambda: self._build(ctx, more, more_cite))
        return self._build(ctx, more, more_cite)

    def _build(self, ctx: Context, more: tuple[str, ...], more_cite: str | None) -> Verdict:
        route = self.route
        rid = f"{route}.documents"
        needed = (*ctx.list_param(self.documents), *more)
        cite = more_cite if more and more_cite else self.documents
        facts = [Fact("visa", ctx.str_param(self.visa), "parameter")]
        facts.extend(Fact(f"document:{d}", "needed", "parameter") for d in needed)
        for name in self.limits:
            value = ctx.param(name)
            shown = ", ".join(value) if isinstance(value, tuple) else str(value)
            facts.append(Fact(name, shown, "parameter"))
        if ctx.documents is not None:
            missing = tuple(f"document:{d}" for d in needed if d not in ctx.documents)
            if missing:
                reason = ctx.reason(
                    f"{route}.documents_missing",
                    f"the route needs documents the candidate lacks: {', '.join(missing)}",
                    cite,
                    *facts,
                )
                return Verdict(rid, _UNKNOWN, ctx.as_of, (reason,), missing)
        reason = ctx.reason(
            f"{route}.open",
            f"{ctx.str_param(self.visa)} route open; documents: {', '.join(needed) or 'none'}",
            cite,
            *facts,
        )
        return Verdict(rid, _OK, ctx.as_of, (reason,))


def _documents(
    route: str,
    visa: str,
    documents: str,
    limits: tuple[str, ...],
    extra: Callable[[Context], tuple[tuple[str, ...], str | None]] | None = None,
) -> Check:
    """Return the route's last check, naming the visa, its documents and limits."""
    return Check(
        f"{route}.documents",
        _Documents(route, visa, documents, limits, extra),
        "the visa, its documents and limits",
    )


def _simple(rid: str, description: str, test: Test) -> Check:
    return Check(rid, test, description)


# --- into China -------------------------------------------------------------------


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
    if on is None or on > ctx.stay.start:
        shown = on.isoformat() if on else "never"
        return _no(
            ctx,
            rid,
            "visa.cn.s2.host_not_registered",
            f"the host {host.id} has not registered for the internship-visa scheme by "
            f"{ctx.stay.start.isoformat()} (registered: {shown})",
            "visa.cn.s2.host_registration",
            ("host.visa_scheme_registered_on", shown),
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
    if study.enrolled_full_time_until is not None and ctx.stay.start <= (
        study.enrolled_full_time_until
    ):
        return _ok(ctx, rid)
    years = ctx.int_param("visa.cn.yes.max_years_since_graduation")
    grad = study.graduated_on
    if grad is not None and grad <= ctx.stay.start <= plus_months(grad, 12 * years):
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
    if ctx.stay.days >= ctx.int_param("visa.cn.yes.work_permit_min_days"):
        return ctx.list_param("visa.cn.yes.long_stay_documents"), "visa.cn.yes.work_permit_min_days"
    return (), None


# --- into Singapore ----------------------------------------------------------------


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


# --- exemptions ---------------------------------------------------------------------


def _remote(ctx: Context) -> Verdict:
    rid = "visa.exempt.remote.mode"
    if ctx.position.mode is Mode.REMOTE:
        return Verdict(
            rid,
            _OK,
            ctx.as_of,
            (
                ctx.reason(
                    "visa.exempt.remote.no_visa_needed",
                    "a remote placement needs no visa",
                    "visa.exempt.remote.in_force",
                    Fact("position.mode", ctx.position.mode.value),
                ),
            ),
        )
    return _no(
        ctx,
        rid,
        "visa.exempt.remote.not_remote",
        f"the placement is {ctx.position.mode.value}, not remote",
        "visa.exempt.remote.in_force",
    )


def _national(ctx: Context) -> Verdict:
    rid = "visa.exempt.national.nationality"
    country = ctx.position.location.country
    if country in ctx.candidate.nationalities:
        return Verdict(
            rid,
            _OK,
            ctx.as_of,
            (
                ctx.reason(
                    "visa.exempt.national.no_visa_needed",
                    f"a national of {country} needs no visa to work there",
                    "visa.exempt.national.in_force",
                    Fact("position.location.country", country),
                ),
            ),
        )
    return _no(
        ctx,
        rid,
        "visa.exempt.national.not_a_national",
        f"the candidate is not a national of {country}",
        "visa.exempt.national.in_force",
    )


# --- feasibility and norms -----------------------------------------------------------

_F = "placement.feasibility.in_force"


def _available(ctx: Context) -> Verdict:
    rid = "placement.available"
    if not ctx.candidate.available.contains_range(ctx.stay):
        return _no(
            ctx,
            rid,
            "placement.not_available",
            f"the stay {ctx.stay} is not within the candidate's availability "
            f"{ctx.candidate.available}",
            _F,
            ("candidate.available", str(ctx.candidate.available)),
        )
    return _ok(ctx, rid)


@attrs.frozen
class _DurationFits:
    """Check that the stay fits the position's, candidate's or programme's duration bounds.

    A frozen class rather than three near-identical functions (or a closure,
    which would not pickle with the rule book).
    """

    side: str  # "position", "candidate" or "programme"

    def __call__(self, ctx: Context) -> Verdict:
        rid = f"placement.{self.side}_duration"
        if self.side == "programme":
            prog = ctx.programme
            bounds = prog.duration if prog is not None else None
            whose = f"programme {prog.id}'s" if prog is not None else ""
        else:
            bounds = ctx.position.duration if self.side == "position" else ctx.candidate.duration
            whose = f"the {self.side}'s"
        if bounds is None or admits(bounds, ctx.stay):
            return _ok(ctx, rid)
        return _no(
            ctx,
            rid,
            f"placement.duration_outside_{self.side}",
            f"the stay {ctx.stay} does not fit {whose} duration {bounds}",
            _F,
            (f"{self.side}.duration", str(bounds)),
        )


_position_duration = _DurationFits("position")
_candidate_duration = _DurationFits("candidate")
_programme_duration = _DurationFits("programme")


def _mode(ctx: Context) -> Verdict:
    rid = "placement.mode_accepted"
    if ctx.position.mode not in ctx.candidate.modes:
        return _no(
            ctx,
            rid,
            "placement.mode_not_accepted",
            f"the candidate does not accept {ctx.position.mode.value} placements",
            _F,
            ("candidate.modes", ", ".join(sorted(m.value for m in ctx.candidate.modes))),
        )
    return _ok(ctx, rid)


def _remote_norms(ctx: Context) -> Verdict:
    rid = "remote.norms.check"
    if ctx.position.mode is not Mode.REMOTE:
        return _ok(ctx, rid)
    reasons = []
    lo, hi = ctx.int_param("remote.min_months"), ctx.int_param("remote.max_months")
    if not (plus_months(ctx.stay.start, lo) <= ctx.stay.end <= plus_months(ctx.stay.start, hi)):
        reasons.append(
            ctx.reason(
                "remote.norms.duration_outside_norm",
                f"remote internships run {lo} to {hi} months; the stay is {ctx.stay}",
                "remote.min_months",
                Fact("stay", str(ctx.stay)),
            )
        )
    hours = ctx.position.hours_per_week
    hlo, hhi = (
        ctx.int_param("remote.min_hours_per_week"),
        ctx.int_param("remote.max_hours_per_week"),
    )
    if not (hlo <= hours <= hhi):
        reasons.append(
            ctx.reason(
                "remote.norms.hours_outside_norm",
                f"remote internships take {hlo} to {hhi} hours a week; the position has {hours}",
                "remote.min_hours_per_week",
                Fact("position.hours_per_week", str(hours)),
            )
        )
    if reasons:
        return Verdict(rid, _NO, ctx.as_of, tuple(reasons))
    return _ok(ctx, rid)


# --- entitlements ----------------------------------------------------------------


def _housing(ctx: Context) -> Verdict:
    rid = "housing.cover.split"
    cite = "housing.cover.in_force"
    pos = ctx.position
    if pos.mode is Mode.REMOTE:
        return _no(ctx, rid, "housing.cover.remote", "a remote placement has no housing", cite)
    if not pos.housing_cover:
        return _no(
            ctx,
            rid,
            "housing.cover.not_offered",
            f"position {pos.id} has no housing-and-meals cover",
            cite,
        )
    terms = ctx.programme.benefits.housing if ctx.programme is not None else None
    if terms is None:
        return _no(
            ctx,
            rid,
            "housing.cover.no_terms",
            "the position's programme has no housing terms",
            cite,
        )
    split = split_cover(pos, ctx.stay, terms)
    if split.covered is None:
        return _no(
            ctx,
            rid,
            "housing.cover.used_up",
            f"no on-site day falls in the {terms.max_months} covered months",
            cite,
        )
    facts = (
        Fact("covered", str(split.covered)),
        Fact("covered_days", str(split.covered_days)),
        Fact("payer", terms.payer),
        Fact("max_months", str(terms.max_months)),
    )
    reasons = [
        ctx.reason(
            "housing.cover.covered",
            f"housing and meals covered for {split.covered} by {terms.payer}",
            cite,
            *facts,
        )
    ]
    if split.uncovered is not None:
        reasons.append(
            ctx.reason(
                "housing.cover.uncovered_tail",
                f"the on-site days {split.uncovered} are after the cover ends",
                cite,
                Fact("uncovered", str(split.uncovered)),
                Fact("uncovered_days", str(split.uncovered_days)),
            )
        )
    return Verdict(rid, _OK, ctx.as_of, tuple(reasons))


def _allowance(ctx: Context) -> Verdict:
    rid = "allowance.cost.total"
    cite = "allowance.proration"
    allowance = ctx.position.allowance
    if allowance is None:
        return _no(
            ctx, rid, "allowance.none", f"position {ctx.position.id} pays no allowance", cite
        )
    total: Money = allowance_cost(allowance.monthly, ctx.stay)
    return Verdict(
        rid,
        _OK,
        ctx.as_of,
        (
            ctx.reason(
                "allowance.cost",
                f"allowance for {ctx.stay}: {total} paid by {allowance.payer}",
                cite,
                Fact("total", str(total)),
                Fact("monthly", str(allowance.monthly)),
                Fact("payer", allowance.payer),
            ),
        ),
    )


def _route(id: str, title: str, country: str, description: str, *conditions: Rule) -> RuleSet:
    return RuleSet(
        id,
        title,
        RuleSetKind.VISA_ROUTE,
        all_of(f"{id}.conditions", *conditions),
        f"{id}.in_force",
        country,
        description,
    )


def default_rule_sets() -> tuple[RuleSet, ...]:
    """Return sgcq's default rule sets, in evaluation order.

    Returns
    -------
    tuple of RuleSet
        Visa routes into China (``visa.cn.s2``, ``visa.cn.internship``,
        ``visa.cn.yes``) and into Singapore (``visa.sg.tep``, ``visa.sg.twp``,
        ``visa.sg.whp``), the exemptions (``visa.exempt.remote``,
        ``visa.exempt.national``), ``placement.feasibility``,
        ``remote.norms``, ``housing.cover`` and ``allowance.cost``.
    """
    s2 = "visa.cn.s2"
    nia = "visa.cn.internship"
    yes = "visa.cn.yes"
    tep, twp, whp = "visa.sg.tep", "visa.sg.twp", "visa.sg.whp"
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
        RuleSet(
            "visa.exempt.remote",
            "Remote placements need no visa",
            RuleSetKind.VISA_EXEMPTION,
            _simple("visa.exempt.remote.mode", "the placement is remote", _remote),
            "visa.exempt.remote.in_force",
        ),
        RuleSet(
            "visa.exempt.national",
            "Nationals need no visa",
            RuleSetKind.VISA_EXEMPTION,
            _simple("visa.exempt.national.nationality", "a national of the country", _national),
            "visa.exempt.national.in_force",
        ),
        RuleSet(
            "placement.feasibility",
            "Placement feasibility",
            RuleSetKind.FEASIBILITY,
            all_of(
                "placement.feasibility.conditions",
                _simple("placement.available", "available for the whole stay", _available),
                _simple("placement.position_duration", "fits the position", _position_duration),
                _simple("placement.candidate_duration", "fits the candidate", _candidate_duration),
                _simple("placement.programme_duration", "fits the programme", _programme_duration),
                _simple("placement.mode_accepted", "mode accepted", _mode),
            ),
            "placement.feasibility.in_force",
        ),
        RuleSet(
            "remote.norms",
            "Remote internship norms",
            RuleSetKind.NORM,
            _simple("remote.norms.check", "3-6 months, 20-30 hours a week", _remote_norms),
            "remote.norms.in_force",
        ),
        RuleSet(
            "housing.cover",
            "Housing and meals cover",
            RuleSetKind.ENTITLEMENT,
            _simple("housing.cover.split", "covered and uncovered days", _housing),
            "housing.cover.in_force",
        ),
        RuleSet(
            "allowance.cost",
            "Allowance cost",
            RuleSetKind.ENTITLEMENT,
            _simple("allowance.cost.total", "allowance for the stay", _allowance),
            "allowance.in_force",
        ),
    )
