"""Strategies for whole scenarios whose every cross-reference resolves.

Mirrors :mod:`sgcq.models.scenario`: it draws every other model through the
strategies of the other modules and ties their references together.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import TypeVar

import attrs
from hypothesis import strategies as st

from sgcq.models import Cohort, Mode, Placement, Ranking, RateTable, Role, Scenario
from sgcq.testing.strategies._candidates import candidates
from sgcq.testing.strategies._citations import citations
from sgcq.testing.strategies._cohorts import cohorts
from sgcq.testing.strategies._dates import MAX_DATE, MIN_DATE
from sgcq.testing.strategies._draws import free_text, in_order, maybe
from sgcq.testing.strategies._knobs import cached, check_currencies, check_dates, require
from sgcq.testing.strategies._measures import measures
from sgcq.testing.strategies._money import CURRENCIES, rate_tables
from sgcq.testing.strategies._parties import organisations
from sgcq.testing.strategies._placements import placements
from sgcq.testing.strategies._positions import positions
from sgcq.testing.strategies._programmes import PLACING_KINDS, programmes
from sgcq.testing.strategies._text import identifiers, names

__all__ = ["scenarios"]

T = TypeVar("T")


def _numbered(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(n))


def _renumbered(prefix: str, items: Iterable[T]) -> tuple[T, ...]:
    # Ids follow list positions, so deleting an item while shrinking keeps the
    # ids small and dense ("c0", "c1", ...) and references by index valid.
    return tuple(attrs.evolve(x, id=f"{prefix}{i}") for i, x in enumerate(items))  # type: ignore[misc]


def _only(ranking: Ranking | None, keep: Collection[str]) -> Ranking | None:
    if ranking is None:
        return None
    return Ranking({k: r for k, r in ranking.ranks if k in keep})


@cached
@st.composite
def _scenarios(
    draw: st.DrawFn,
    sizes: tuple[int, ...],
    max_ties: int,
    currencies: tuple[str, ...],
    modes: tuple[Mode, ...],
    min_date: date,
    max_date: date,
) -> Scenario:
    # Each collection is one st.lists draw, so the shrinker can delete whole
    # items.
    n_uni, n_host, n_other, n_prog, n_cohort, n_cand, n_pos, n_placed, n_measures = sizes

    def listed(strategy: st.SearchStrategy[T], low: int, high: int) -> list[T]:
        return draw(st.lists(strategy, min_size=low, max_size=high))

    uni_ids, host_ids = _numbered("u", n_uni), _numbered("h", n_host)

    # Positions, candidates and placements come first, organisations,
    # programmes and cohorts last; early items refer to ids that *may* exist
    # and references to ids that were not drawn are dropped or moved to
    # "u0"/"h0" (always drawn) at the end. So deleting an item while shrinking
    # leaves the draws before it untouched.
    prog_ids, cohort_ids = _numbered("prog", n_prog), _numbered("k", n_cohort if n_prog else 0)
    position = positions(
        id="p",
        host_ids=host_ids,
        candidate_ids=_numbered("c", n_cand),
        programme_ids=prog_ids,
        payer_ids=uni_ids + host_ids + _numbered("o", n_other),
        modes=modes,
        currencies=currencies,
        max_ties=max_ties,
        min_date=min_date,
        max_date=max_date,
    )
    poss = _renumbered("p", listed(position, 0, n_pos))
    pos_ids = tuple(p.id for p in poss)
    candidate = candidates(
        id="c",
        university_ids=uni_ids,
        position_ids=pos_ids,
        cohort_ids=cohort_ids,
        modes=modes,
        max_ties=max_ties,
        min_date=min_date,
        max_date=max_date,
    )
    cands = _renumbered("c", listed(candidate, 0, n_cand))
    cand_ids = tuple(c.id for c in cands)
    placed: list[Placement] = []
    if cand_ids and pos_ids:
        placement = placements(
            candidate_ids=cand_ids,
            position_ids=pos_ids,
            modes=modes,
            min_date=min_date,
            max_date=max_date,
        )
        placed = listed(placement, 0, n_placed)
    sending, host = frozenset({Role.SENDING_UNIVERSITY}), frozenset({Role.HOST_COMPANY})
    unis = _renumbered(
        "u", listed(organisations(id="u", roles=sending, extra_roles=False), 1, n_uni)
    )
    hosts = _renumbered(
        "h", listed(organisations(id="h", roles=host, extra_roles=False), 1, n_host)
    )
    others = _renumbered("o", listed(organisations(id="o"), 0, n_other))
    orgs = unis + hosts + others
    roles_of = {o.id: o.roles for o in orgs}
    # Positions and cohorts refer to the programmes: RESEARCH places no one, so
    # the scenarios' programmes are of the placing kinds.
    programme = programmes(
        id="prog",
        roles_of=roles_of,
        currencies=currencies,
        min_date=min_date,
        max_date=max_date,
        kinds=PLACING_KINDS,
    )
    progs = _renumbered("prog", listed(programme, 0, n_prog))
    cohs: tuple[Cohort, ...] = ()
    if progs:
        cohort = cohorts(
            id="k",
            programme_ids=tuple(p.id for p in progs),
            university_ids=tuple(u.id for u in unis),
            currencies=currencies,
            min_date=min_date,
            max_date=max_date,
        )
        cohs = _renumbered("k", listed(cohort, 0, n_cohort))
    drawn_progs, drawn_cohorts = {p.id for p in progs}, {k.id for k in cohs}
    drawn_orgs = {o.id for o in orgs}
    poss = tuple(
        attrs.evolve(
            p,
            host=p.host if p.host in drawn_orgs else "h0",
            candidate_preferences=_only(p.candidate_preferences, cand_ids),
            programme=p.programme if p.programme in drawn_progs else None,
            allowance=p.allowance
            if p.allowance is None or p.allowance.payer in drawn_orgs
            else attrs.evolve(p.allowance, payer="h0"),
        )
        for p in poss
    )
    cands = tuple(
        attrs.evolve(
            c,
            university=c.university if c.university in drawn_orgs else "u0",
            cohort=c.cohort if c.cohort in drawn_cohorts else None,
        )
        for c in cands
    )
    # Measures come last and name only countries a drawn party or position is in.
    countries = sorted(
        {o.location.country for o in orgs}
        | {p.location.country for p in poss}
        | {
            seg.location.country
            for p in poss
            if p.segments is not None
            for seg in p.segments.segments
            if seg.location is not None
        }
    )
    shut = _renumbered(
        "m",
        listed(measures(countries=countries, min_date=min_date, max_date=max_date), 0, n_measures),
    )
    rates = (
        draw(rate_tables(currencies=currencies, max_size=3, min_date=min_date, max_date=max_date))
        if len(currencies) >= 2
        else RateTable()
    )
    return Scenario(
        id=draw(identifiers("s")),
        name=draw(names()),
        description=draw(free_text()),
        illustrative=draw(st.booleans()),
        notes=draw(free_text()),
        as_of=draw(maybe(st.dates(min_date, max_date))),
        organisations=orgs,
        programmes=progs,
        cohorts=cohs,
        candidates=cands,
        positions=poss,
        placements=tuple(placed),
        rates=rates,
        citations=tuple(listed(citations(min_date=min_date, max_date=max_date), 0, 2)),
        measures=shut,
    )


@cached
def scenarios(
    *,
    max_universities: int = 2,
    max_hosts: int = 2,
    max_others: int = 1,
    max_programmes: int = 2,
    max_cohorts: int = 2,
    max_candidates: int = 4,
    max_positions: int = 4,
    max_placements: int = 2,
    max_measures: int = 1,
    max_ties: int = 2,
    currencies: Sequence[str] = CURRENCIES,
    modes: Collection[Mode] = tuple(Mode),
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
) -> st.SearchStrategy[Scenario]:
    """Whole scenarios whose every cross-reference is valid.

    Universities (``"u0"``..) play ``sending_university``, hosts (``"h0"``..)
    ``host_company``, other organisations (``"o0"``..) any roles; programme
    partners name organisations in roles they play; cohorts name programmes;
    candidates name universities, cohorts and (in their rankings) positions;
    positions name hosts, programmes, allowance payers and (in their rankings)
    candidates; placements name candidates and positions; measures name
    countries the scenario's parties or positions are in. At least one
    university and one host are always present.

    Parameters
    ----------
    max_universities, max_hosts, max_others, max_programmes, max_cohorts
        Most organisations of each kind, programmes and cohorts.
    max_candidates, max_positions, max_placements
        Most candidates, positions and placements.
    max_measures
        Most dated measures (``"m0"``..), each in a country an organisation,
        a position or a segment of the scenario is in.
    max_ties
        The most ids sharing a rank in any ranking.
    currencies
        Currencies of money in the scenario; with two or more a rate table is drawn.
    modes
        Modes of candidates, positions and placements.
    min_date, max_date
        Bounds of every date in the scenario.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(scenarios(max_candidates=2, max_positions=2))
    ... def test_refs(s):
    ...     assert all(s.position(p) for c in s.candidates for p in c.preferences)
    >>> test_refs()
    """
    for name, value in {
        "universities": max_universities,
        "hosts": max_hosts,
        "others": max_others,
        "programmes": max_programmes,
        "cohorts": max_cohorts,
        "candidates": max_candidates,
        "positions": max_positions,
        "placements": max_placements,
        "measures": max_measures,
    }.items():
        require(0 <= value <= 10, f"max_{name} must be in 0..10, got {value}")
    require(max_universities >= 1, "a scenario needs at least one university")
    require(max_hosts >= 1, "a scenario needs at least one host")
    require(bool(modes), "give at least one mode")
    check_dates(min_date, max_date, room=1)
    sizes = (
        max_universities,
        max_hosts,
        max_others,
        max_programmes,
        max_cohorts,
        max_candidates,
        max_positions,
        max_placements,
        max_measures,
    )
    return _scenarios(
        sizes,
        max_ties,
        check_currencies(currencies),
        in_order(Mode, modes),
        min_date,
        max_date,
    )
