"""The shared pieces of the default rules: verdict helpers and condition factories.

A factory such as :func:`_student` returns a :class:`~sgcq.rules.engine.Check`
whose test is a frozen attrs class (not a closure), so that every rule pickles
with the rule book into worker processes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs

from sgcq.models import Degree, ProgrammeKind, RateNotFoundError
from sgcq.rules._dates import plus_months
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.engine import Check, Context, Rule, all_of
from sgcq.rules.verdicts import Fact, Outcome, Reason, Verdict

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
        days = ctx.presence
        if until is None or until < days.last_day:
            shown = until.isoformat() if until else "not enrolled"
            return _no(
                ctx,
                rid,
                f"{route}.not_a_student",
                f"the route needs a full-time student for the whole stay in the country "
                f"{days}; enrolled until {shown}",
                cite,
                ("candidate.study.enrolled_full_time_until", shown),
                ("stay.in_country", str(days)),
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


@attrs.frozen
class _LocalCollege:
    route: str
    country: str
    cite: str

    def __call__(self, ctx: Context) -> Verdict:
        route = self.route
        country = self.country
        rid = f"{route}.local_college"
        uni = ctx.university
        if uni is None:
            return Verdict(rid, _UNKNOWN, ctx.as_of, (), ("candidate.university",))
        if uni.location.country != country:
            return _no(
                ctx,
                rid,
                f"{route}.college_not_local",
                f"the route is for students of educational institutions in {country}; "
                f"{uni.id} is in {uni.location.country}",
                self.cite,
                ("university.location.country", uni.location.country),
            )
        return _ok(ctx, rid)


def _local_college(route: str, country: str, cite: str) -> Check:
    rid = f"{route}.local_college"
    return Check(
        rid, _LocalCollege(route, country, cite), f"enrolled at an institution in {country}"
    )


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
        days = ctx.presence
        if days.days > limit:
            return _no(
                ctx,
                rid,
                f"{route}.stay_too_long",
                f"the stay in the country {days} is {days.days} days; the route allows {limit}",
                param,
                ("stay.days", str(days.days)),
                ("stay.in_country", str(days)),
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
        days = ctx.presence
        latest = plus_months(days.start, limit)
        if days.end > latest:
            return _no(
                ctx,
                rid,
                f"{route}.stay_too_long",
                f"the stay in the country {days} ends after {latest.isoformat()}, "
                f"{limit} months from its start",
                param,
                ("stay.end", days.end.isoformat()),
                ("stay.in_country", str(days)),
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
        age = ctx.candidate.age_on(ctx.presence.start)
        if age is None:
            return Verdict(rid, _UNKNOWN, ctx.as_of, (), ("candidate.date_of_birth",))
        # The age is personal (derived from the date of birth): the verdict
        # records only the band it decided on, never the age itself.
        if low is not None and age < ctx.int_param(low):
            least = ctx.int_param(low)
            return _no(
                ctx,
                rid,
                f"{route}.too_young",
                f"younger than {least} at the start; the route needs {least} or over",
                low,
                ("candidate.age_at_start", f"under {least}"),
            )
        if high is not None and age > ctx.int_param(high):
            most = ctx.int_param(high)
            return _no(
                ctx,
                rid,
                f"{route}.too_old",
                f"older than {most} at the start; the route allows up to {most}",
                high,
                ("candidate.age_at_start", f"over {most}"),
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
        if ctx.documents is None and not ctx.candidate.documents:
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
        elif ctx.candidate.documents:
            found = self._from_record(ctx, needed, cite, facts)
            if found is not None:
                return found
        reason = ctx.reason(
            f"{route}.open",
            f"{ctx.str_param(self.visa)} route open; documents: {', '.join(needed) or 'none'}",
            cite,
            *facts,
        )
        return Verdict(rid, _OK, ctx.as_of, (reason,))

    def _from_record(
        self, ctx: Context, needed: tuple[str, ...], cite: str, facts: list[Fact]
    ) -> Verdict | None:
        """Check the candidate's recorded documents against the stay in the country."""
        rid = f"{self.route}.documents"
        days = ctx.presence
        reasons: list[Reason] = []
        missing: list[str] = []
        absent = [d for d in needed if ctx.candidate.document(d) is None]
        if absent:
            missing.extend(f"document:{d}" for d in absent)
            reasons.append(
                ctx.reason(
                    f"{self.route}.documents_missing",
                    "the route needs documents the candidate's record lacks: "
                    + ", ".join(f"document:{d}" for d in absent),
                    cite,
                    *facts,
                )
            )
        for d in needed:
            doc = ctx.candidate.document(d)
            if doc is None or doc.valid_through(days.start, days.last_day):
                continue
            missing.append(f"document:{d}")
            # A document's dates are personal: the reason and its fact say only
            # on which side of the stay they fall, which the verdict reveals anyway.
            if doc.issued_on is not None and doc.issued_on > days.start:
                code = f"{self.route}.document_not_yet_issued"
                text = (
                    f"the candidate's {d} is issued after the stay in the country {days} "
                    f"starts on {days.start.isoformat()}"
                )
                fact = Fact(f"candidate.documents.{d}.issued_on", "after the stay starts")
            else:
                assert doc.expires_on is not None
                code = f"{self.route}.document_expired"
                text = (
                    f"the candidate's {d} expires before the stay in the country {days} "
                    f"ends on {days.last_day.isoformat()}"
                )
                fact = Fact(f"candidate.documents.{d}.expires_on", "before the stay ends")
            reasons.append(
                ctx.reason(code, text, cite, fact, Fact("stay.in_country", str(days)), *facts)
            )
        if not reasons:
            return None
        return Verdict(rid, _UNKNOWN, ctx.as_of, tuple(reasons), tuple(missing))


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


@attrs.frozen
class _MinDegree:
    route: str
    param: str

    def __call__(self, ctx: Context) -> Verdict:
        rid = f"{self.route}.degree"
        degree = ctx.candidate.degree
        if degree is None:
            return Verdict(rid, _UNKNOWN, ctx.as_of, (), ("candidate.degree",))
        need = Degree(ctx.str_param(self.param))
        if degree.level < need.level:
            return _no(
                ctx,
                rid,
                f"{self.route}.degree_too_low",
                f"the route needs a {need.value} degree or higher; the candidate holds "
                f"{degree.value}",
                self.param,
                ("candidate.degree", degree.value),
            )
        return _ok(ctx, rid)


def _min_degree(route: str, param: str) -> Check:
    return Check(f"{route}.degree", _MinDegree(route, param), "degree at least the minimum")


@attrs.frozen
class _MinExperience:
    route: str
    param: str

    def __call__(self, ctx: Context) -> Verdict:
        rid = f"{self.route}.experience"
        months = ctx.candidate.experience_months
        if months is None:
            return Verdict(rid, _UNKNOWN, ctx.as_of, (), ("candidate.experience_months",))
        need = ctx.int_param(self.param)
        if months < need:
            return _no(
                ctx,
                rid,
                f"{self.route}.too_little_experience",
                f"the route needs {need} months of relevant work experience; the candidate "
                f"has {months}",
                self.param,
                ("candidate.experience_months", str(months)),
            )
        return _ok(ctx, rid)


def _min_experience(route: str, param: str) -> Check:
    return Check(
        f"{route}.experience", _MinExperience(route, param), "work experience at least the minimum"
    )


@attrs.frozen
class _MinSalary:
    """The position's monthly pay against a dated floor, converted at the stay's start."""

    route: str
    floor: str
    currency: str

    def __call__(self, ctx: Context) -> Verdict:
        rid = f"{self.route}.salary"
        floor = ctx.param(self.floor)
        currency = ctx.str_param(self.currency)
        allowance = ctx.position.allowance
        code = f"{self.route}.salary_too_low"
        if allowance is None:
            return _no(
                ctx,
                rid,
                code,
                f"the position pays nothing; the route needs at least {currency} {floor} a month",
                self.floor,
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
        if not isinstance(floor, Decimal) or monthly.amount < floor:
            return _no(
                ctx,
                rid,
                code,
                f"the position pays {monthly} a month; the route needs at least {currency} {floor}",
                self.floor,
                ("position.allowance.monthly", str(monthly)),
            )
        return _ok(ctx, rid)


def _min_salary(route: str, floor: str, currency: str) -> Check:
    return Check(
        f"{route}.salary", _MinSalary(route, floor, currency), "monthly pay at least the floor"
    )


def _simple(rid: str, description: str, test: Test) -> Check:
    return Check(rid, test, description)


def _route(
    id: str,
    title: str,
    country: str,
    description: str,
    *conditions: Rule,
    kinds: frozenset[ProgrammeKind] = frozenset({ProgrammeKind.INTERNSHIP}),
) -> RuleSet:
    return RuleSet(
        id,
        title,
        RuleSetKind.VISA_ROUTE,
        all_of(f"{id}.conditions", *conditions),
        f"{id}.in_force",
        country,
        description,
        kinds,
    )
