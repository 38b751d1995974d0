"""A scenario: everything one planning exercise needs, checked as a whole."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import cached_property
from typing import TypeVar

import attrs

from sgcq.models import _html
from sgcq.models import _validate as v
from sgcq.models.candidates import Candidate
from sgcq.models.citations import Citation
from sgcq.models.cohorts import Cohort
from sgcq.models.errors import FieldError, ModelValidationError
from sgcq.models.measures import Measure
from sgcq.models.money import RateTable
from sgcq.models.parties import SENDING_ROLES, Organisation, Role
from sgcq.models.placements import Placement
from sgcq.models.positions import Position
from sgcq.models.programmes import Programme

__all__ = ["Scenario"]

T = TypeVar("T")


def _index(items: Iterable[T], key: str = "id") -> dict[str, T]:
    return {getattr(i, key): i for i in items}


@attrs.frozen(repr=False)
class Scenario:
    """Organisations, programmes, cohorts, candidates, positions and placements.

    Construction checks every cross-reference (a candidate's university exists
    and is a sending university, an affiliation is a sending employer or
    government body, preferences name real positions, and so on)
    and reports *all* problems at once, each with its path.

    Parameters
    ----------
    id, name
        Identifier and display name.
    description
        What the scenario is for.
    illustrative
        True when numbers in it are invented (seat counts, allowances, beds,
        budgets: the sources give none); ``notes`` should say which.
    notes
        Free text.
    as_of
        The date the scenario is evaluated at by default.
    organisations, programmes, cohorts, candidates, positions, placements
        The data.
    rates
        Exchange rates for any conversion the scenario needs.
    citations
        The documents the scenario's facts come from.
    measures
        Dated per-country measures that close a mode of work (on site,
        remote, hybrid), each with its reference; the rule ``mode.measure``
        reads them (decision 0021). Ids are unique and each measure's country
        is one the scenario's organisations, positions or segments are in.
    """

    id: str = attrs.field(validator=v.identifier)
    name: str = attrs.field(validator=v.text)
    description: str = attrs.field(default="", validator=v.instance_of(str))
    illustrative: bool = attrs.field(default=False, validator=v.instance_of(bool))
    notes: str = attrs.field(default="", validator=v.instance_of(str))
    as_of: date | None = attrs.field(default=None, validator=v.optional(v.instance_of(date)))
    organisations: tuple[Organisation, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Organisation)
    )
    programmes: tuple[Programme, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Programme)
    )
    cohorts: tuple[Cohort, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Cohort)
    )
    candidates: tuple[Candidate, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Candidate)
    )
    positions: tuple[Position, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Position)
    )
    placements: tuple[Placement, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Placement)
    )
    rates: RateTable = attrs.field(factory=RateTable, validator=v.instance_of(RateTable))
    citations: tuple[Citation, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Citation)
    )
    measures: tuple[Measure, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Measure)
    )

    def __attrs_post_init__(self) -> None:
        errors: list[FieldError] = []
        for name in (
            "organisations",
            "programmes",
            "cohorts",
            "candidates",
            "positions",
            "measures",
        ):
            try:
                v.unique_ids(name, getattr(self, name))
            except ModelValidationError as e:
                errors.extend(e.errors)
        orgs = _index(self.organisations)
        progs = _index(self.programmes)
        cohorts = _index(self.cohorts)
        cands = _index(self.candidates)
        poss = _index(self.positions)

        def need(path: str, ref: str | None, table: Mapping[str, object], what: str) -> bool:
            if ref is not None and ref not in table:
                errors.append(FieldError(path, f"unknown {what} {ref!r}"))
                return False
            return True

        def need_role(path: str, ref: str, role: Role) -> None:
            if need(path, ref, orgs, "organisation") and not orgs[ref].has_role(role):
                errors.append(FieldError(path, f"{ref!r} does not have the role {role.value}"))

        for i, p in enumerate(self.programmes):
            for j, partner in enumerate(p.partners):
                need(
                    f"programmes[{i}].partners[{j}].organisation",
                    partner.organisation,
                    orgs,
                    "organisation",
                )
            if p.benefits.housing is not None:
                need(
                    f"programmes[{i}].benefits.housing.payer",
                    p.benefits.housing.payer,
                    orgs,
                    "organisation",
                )
            need(
                f"programmes[{i}].benefits.visa_support",
                p.benefits.visa_support,
                orgs,
                "organisation",
            )
        for i, c in enumerate(self.cohorts):
            need(f"cohorts[{i}].programme", c.programme, progs, "programme")
        for i, cand in enumerate(self.candidates):
            if cand.university is not None:
                need_role(f"candidates[{i}].university", cand.university, Role.SENDING_UNIVERSITY)
            if cand.affiliation is not None:
                path = f"candidates[{i}].affiliation"
                if need(path, cand.affiliation, orgs, "organisation") and not (
                    orgs[cand.affiliation].roles & (SENDING_ROLES - {Role.SENDING_UNIVERSITY})
                ):
                    errors.append(
                        FieldError(
                            path,
                            f"{cand.affiliation!r} has neither the role sending_employer nor "
                            "sending_government",
                        )
                    )
            need(f"candidates[{i}].cohort", cand.cohort, cohorts, "cohort")
            for pid in cand.preferences:
                need(f"candidates[{i}].preferences[{pid}]", pid, poss, "position")
        for i, pos in enumerate(self.positions):
            need_role(f"positions[{i}].host", pos.host, Role.HOST_COMPANY)
            need(f"positions[{i}].programme", pos.programme, progs, "programme")
            if pos.allowance is not None:
                need(f"positions[{i}].allowance.payer", pos.allowance.payer, orgs, "organisation")
            if pos.candidate_preferences is not None:
                for cid in pos.candidate_preferences:
                    need(f"positions[{i}].candidate_preferences[{cid}]", cid, cands, "candidate")
        for i, pl in enumerate(self.placements):
            need(f"placements[{i}].candidate", pl.candidate, cands, "candidate")
            need(f"placements[{i}].position", pl.position, poss, "position")
            need(f"placements[{i}].cohort", pl.cohort, cohorts, "cohort")
        if self.measures:
            errors.extend(self._check_measures())
        if errors:
            raise ModelValidationError(errors)

    def _check_measures(self) -> list[FieldError]:
        # A measure for a country the scenario never places anyone in is most
        # likely a mistyped code ("MA" for Malaysia): it would silently close nothing.
        known = {o.location.country for o in self.organisations}
        for p in self.positions:
            known.add(p.location.country)
            if p.segments is not None:
                known.update(s.location.country for s in p.segments.segments if s.location)
        return [
            FieldError(
                f"measures[{i}].country",
                f"unknown country {m.country!r}: no organisation, position or segment of the "
                f"scenario is in it (known: {', '.join(sorted(known)) or 'none'})",
            )
            for i, m in enumerate(self.measures)
            if m.country not in known
        ]

    @cached_property
    def organisation_index(self) -> dict[str, Organisation]:
        """Organisations by id."""
        return _index(self.organisations)

    @cached_property
    def programme_index(self) -> dict[str, Programme]:
        """Programmes by id."""
        return _index(self.programmes)

    @cached_property
    def cohort_index(self) -> dict[str, Cohort]:
        """Cohorts by id."""
        return _index(self.cohorts)

    @cached_property
    def candidate_index(self) -> dict[str, Candidate]:
        """Candidates by id."""
        return _index(self.candidates)

    @cached_property
    def position_index(self) -> dict[str, Position]:
        """Positions by id."""
        return _index(self.positions)

    def organisation(self, id: str) -> Organisation:
        """Return the organisation ``id`` (``KeyError`` naming it if absent)."""
        return _lookup(self.organisation_index, id, "organisation")

    def programme(self, id: str) -> Programme:
        """Return the programme ``id``."""
        return _lookup(self.programme_index, id, "programme")

    def cohort(self, id: str) -> Cohort:
        """Return the cohort ``id``."""
        return _lookup(self.cohort_index, id, "cohort")

    def candidate(self, id: str) -> Candidate:
        """Return the candidate ``id``."""
        return _lookup(self.candidate_index, id, "candidate")

    def position(self, id: str) -> Position:
        """Return the position ``id``."""
        return _lookup(self.position_index, id, "position")

    def candidates_of(self, cohort: str) -> tuple[Candidate, ...]:
        """Return the candidates of ``cohort`` (those with no cohort belong to every cohort)."""
        return tuple(c for c in self.candidates if c.cohort in (None, cohort))

    def positions_of(self, programme: str) -> tuple[Position, ...]:
        """Return the positions of ``programme`` (those with no programme belong to every one)."""
        return tuple(p for p in self.positions if p.programme in (None, programme))

    def summary(self) -> str:
        """Return a short, readable description of the scenario's contents."""
        lines = [
            f"Scenario {self.id}: {self.name}"
            + (" (illustrative data)" if self.illustrative else ""),
            f"  organisations: {len(self.organisations)}  programmes: {len(self.programmes)}  "
            f"cohorts: {len(self.cohorts)}",
            f"  candidates: {len(self.candidates)}  positions: {len(self.positions)} "
            f"({sum(p.seats for p in self.positions)} seats)  placements: {len(self.placements)}",
        ]
        if self.measures:
            lines.append(f"  measures: {len(self.measures)}")
        if self.description:
            lines.append(f"  {self.description}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        seats = sum(p.seats for p in self.positions)
        as_of = f", as of {self.as_of}" if self.as_of else ""
        return (
            f"<Scenario {self.id}: {_html.plural(len(self.candidates), 'candidate')}, "
            f"{_html.plural(len(self.positions), 'position')} ({_html.plural(seats, 'seat')}), "
            f"{_html.plural(len(self.cohorts), 'cohort')}, "
            f"{_html.plural(len(self.programmes), 'programme')}, "
            f"{_html.plural(len(self.organisations), 'organisation')}, "
            f"{_html.plural(len(self.placements), 'placement')}{as_of}>"
        )

    def _repr_html_(self) -> str:
        """Return the notebook view: counts, cohorts, programmes, universities and hosts."""
        counts = [
            ("organisations", len(self.organisations)),
            ("programmes", len(self.programmes)),
            ("cohorts", len(self.cohorts)),
            ("candidates", len(self.candidates)),
            ("positions", len(self.positions)),
            ("seats", sum(p.seats for p in self.positions)),
            ("placements", len(self.placements)),
        ]
        universities: dict[str, int] = {}
        for c in self.candidates:
            universities[c.sending_party] = universities.get(c.sending_party, 0) + 1
        hosts: dict[str, list[int]] = {}
        for p in self.positions:
            n = hosts.setdefault(p.host, [0, 0])
            n[0] += 1
            n[1] += p.seats
        notes = [
            _html.note(_html.short(self.description, 300)) if self.description else "",
            _html.note(f"as of {self.as_of}") if self.as_of else "",
            _html.note("illustrative data (see the notes)") if self.illustrative else "",
        ]
        return _html.view(
            "scenario",
            f"Scenario {self.id}: {self.name}",
            *notes,
            _html.html_table(("", "count"), counts),
            _html.html_table(
                ("cohort", "programme", "intake", "size", "quotas", "bed months", "budget"),
                (
                    (
                        c.id,
                        c.programme,
                        c.intake,
                        c._size_text(),
                        len(c.quotas),
                        len(c.beds),
                        c.allowance_budget,
                    )
                    for c in self.cohorts
                ),
                caption="Cohorts",
            ),
            _html.html_table(
                ("programme", "name", "kind", "direction"),
                ((p.id, p.name, p.kind.value, p.direction.value) for p in self.programmes),
                caption="Programmes",
            ),
            _html.html_table(
                ("sending party", "candidates"),
                sorted(universities.items()),
                caption="Candidates by sending party",
                limit=12,
            ),
            _html.html_table(
                ("host", "positions", "seats"),
                ((h, n[0], n[1]) for h, n in sorted(hosts.items())),
                caption="Positions by host",
                limit=12,
            ),
            _html.html_table(
                ("measure", "country", "closes", "in force", "description"),
                (
                    (m.id, m.country, m.closes_text, m.period_text, _html.short(m.description))
                    for m in self.measures
                ),
                caption="Measures",
                limit=12,
            )
            if self.measures
            else "",
        )


def _lookup(table: dict[str, T], key: str, what: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise KeyError(f"no {what} with id {key!r}") from None
