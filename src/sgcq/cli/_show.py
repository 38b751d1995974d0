"""``sgcq show`` and ``sgcq list``: describe a scenario, list the bundled ones."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from sgcq.cli._common import load_scenario_target
from sgcq.models import Programme, Role, Scenario
from sgcq.scenarios import list_scenarios, load_scenario

__all__ = ["describe_scenario", "register"]

_SHOWN_IDS = 8


def _ids(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_SHOWN_IDS])
    if len(ids) > _SHOWN_IDS:
        shown += f" and {len(ids) - _SHOWN_IDS} more"
    return shown


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {n}" for key, n in sorted(counter.items()))


def _describe_programme(p: Programme) -> list[str]:
    lines = [f"  {p.id}: {p.name} [{p.kind.value}, {p.direction.value}]"]
    if p.partners:
        partners = ", ".join(f"{x.organisation} ({x.role.value})" for x in p.partners)
        lines.append(f"    partners: {partners}")
    benefits = []
    if p.benefits.allowance:
        benefits.append("allowance")
    housing = p.benefits.housing
    if housing is not None:
        what = "housing and meals" if housing.includes_meals else "housing"
        priced = [
            f"{label} {rate}"
            for label, rate in (
                ("a night", housing.bed_night),
                ("meals a day", housing.meals_per_day),
            )
            if rate is not None
        ]
        at = f" ({', '.join(priced)})" if priced else ""
        benefits.append(f"{what} for up to {housing.max_months} months paid by {housing.payer}{at}")
    if p.benefits.visa_support is not None:
        fee = f" ({p.benefits.visa_fee} a visa)" if p.benefits.visa_fee is not None else ""
        benefits.append(f"visa support by {p.benefits.visa_support}{fee}")
    if benefits:
        lines.append(f"    benefits: {'; '.join(benefits)}")
    if p.duration is not None:
        lines.append(f"    duration: {p.duration}")
    lines.extend(
        f"    year cap: at most {cap.maximum} {cap.dimension.value} {cap.key} "
        + ("a year" if cap.year is None else f"in {cap.year}")
        + " across cohorts"
        for cap in p.year_caps
    )
    lines.extend(f"    target: {t}" for t in p.targets)
    lines.extend(
        f"    funding: {' = '.join(str(m) for m in f.amounts)} over {f.period}" for f in p.funding
    )
    return lines


def describe_scenario(scenario: Scenario) -> str:
    """Return a readable, multi-line description of ``scenario``.

    It lists the organisations by role, the programmes with their partners
    and benefits, the cohorts with intake, size, quotas, beds and budget,
    and counts of candidates, positions, seats and fields.

    Parameters
    ----------
    scenario
        Any scenario.

    Returns
    -------
    str
        The description, without a trailing newline.
    """
    s = scenario
    lines = [f"Scenario {s.id}: {s.name}" + (" (illustrative data)" if s.illustrative else "")]
    if s.as_of is not None:
        lines.append(f"As of: {s.as_of.isoformat()}")
    if s.description:
        lines.append(s.description)
    lines.append("")
    lines.append(f"Organisations ({len(s.organisations)}) by role:")
    for role in Role:
        ids = [o.id for o in s.organisations if o.has_role(role)]
        if ids:
            lines.append(f"  {role.value} ({len(ids)}): {_ids(ids)}")
    lines.append(f"Programmes ({len(s.programmes)}):")
    for programme in s.programmes:
        lines.extend(_describe_programme(programme))
    lines.append(f"Cohorts ({len(s.cohorts)}):")
    for c in s.cohorts:
        lines.append(f"  {c.id} (programme {c.programme}): intake {c.intake}")
        sizes = [
            f"{label} {value}"
            for label, value in (
                ("target", c.target_size),
                ("min", c.min_size),
                ("max", c.max_size),
            )
            if value is not None
        ]
        if sizes:
            lines.append(f"    size: {', '.join(sizes)}")
        if c.quotas:
            quotas = []
            for q in c.quotas:
                bounds = []
                if q.minimum is not None:
                    bounds.append(f">= {q.minimum}")
                if q.maximum is not None:
                    bounds.append(f"<= {q.maximum}")
                quotas.append(f"{q.dimension.value} {q.key} {' and '.join(bounds)}")
            lines.append(f"    quotas: {'; '.join(quotas)}")
        if c.beds:
            lines.append("    beds: " + ", ".join(f"{b.month} {b.beds}" for b in c.beds))
        if c.allowance_budget is not None:
            lines.append(f"    allowance budget: {c.allowance_budget}")
        for pb in c.payer_budgets:
            lines.append(f"    {pb.payer} budget: {pb.budget}")
        members = len(s.candidates_of(c.id))
        lines.append(f"    candidates: {members}")
    universities = Counter(c.university for c in s.candidates if c.university is not None)
    line = f"Candidates: {len(s.candidates)} (by university: {_counts(universities)}"
    affiliations = Counter(
        c.affiliation for c in s.candidates if c.university is None and c.affiliation is not None
    )
    if affiliations:
        line += f"; by affiliation, without a university: {_counts(affiliations)}"
    lines.append(line + ")")
    seats = sum(pos.seats for pos in s.positions)
    modes = Counter(pos.mode.value for pos in s.positions)
    lines.append(f"Positions: {len(s.positions)} with {seats} seats (by mode: {_counts(modes)})")
    fields: Counter[str] = Counter()
    for pos in s.positions:
        for f in pos.fields:
            fields[f] += pos.seats
    lines.append(f"Seats by field: {_counts(fields)}")
    if s.placements:
        lines.append(f"Placements: {len(s.placements)}")
    if s.measures:
        lines.append("Measures:")
        lines.extend(
            f"  {m.id}: {m.country} closes {m.closes_text} {m.period_text}: {m.description}"
            for m in s.measures
        )
    if s.citations:
        lines.append("Citations:")
        lines.extend(f"  {c}" for c in s.citations)
    if s.notes:
        lines.append(f"Notes: {s.notes}")
    return "\n".join(lines)


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    out.write(describe_scenario(load_scenario_target(args.scenario)) + "\n")
    return 0


def _cmd_list(_args: argparse.Namespace, out: TextIO) -> int:
    names = list_scenarios()
    width = max((len(n) for n in names), default=0)
    for name in names:
        out.write(f"{name:<{width}}  {load_scenario(name).name}\n")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``show`` and ``list`` to the command line's subcommands.

    Parameters
    ----------
    sub
        The subcommands of the ``sgcq`` parser.
    """
    p = sub.add_parser("show", help="describe a bundled scenario or a scenario file")
    p.add_argument("scenario", metavar="SCENARIO", help="a bundled name or a .toml/.json path")
    p.set_defaults(handler=_cmd_show)
    p = sub.add_parser("list", help="list the bundled scenarios")
    p.set_defaults(handler=_cmd_list)
