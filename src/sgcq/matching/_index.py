"""Integer indices over a problem: the one place ids become ints and back (private).

Every solver path works on these flat lists; a solution is a list giving, per
candidate index, the chosen option index or ``-1``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from sgcq.matching.problem import Objective, Option, Problem
from sgcq.models import Count, Money, Quota, QuotaDimension, Share, YearMonth, minor_unit

__all__ = ["Index", "QuotaRow", "minor_units"]

UNPLACED = -1


def minor_units(money: Money, *, floor: bool = False) -> int:
    """Return ``money`` in integer minor units (half-even, or floor for limits)."""
    units = money.amount / minor_unit(money.currency)
    if floor:
        return int(units.to_integral_value(rounding=ROUND_FLOOR))
    return int(units.quantize(Decimal(1)))


class QuotaRow:
    """One quota as integers: the options it counts and its bounds."""

    __slots__ = (
        "dimension",
        "key",
        "max_count",
        "max_share",
        "member_set",
        "members",
        "min_count",
        "min_share",
    )

    def __init__(
        self,
        dimension: QuotaDimension,
        key: str,
        members: list[int],
        min_count: int | None,
        max_count: int | None,
        min_share: Fraction | None,
        max_share: Fraction | None,
    ) -> None:
        self.dimension = dimension
        self.key = key
        self.members = members
        self.member_set = frozenset(members)
        self.min_count = min_count
        self.max_count = max_count
        self.min_share = min_share
        self.max_share = max_share

    def label(self) -> str:
        """Return e.g. ``university nus``."""
        return f"{self.dimension.value} {self.key}"


class Index:
    """Flat integer views of a :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        #: Per-problem results of pure functions of the index (objective
        #: coefficients, ranges, folded scores), computed once per solve.
        self.memo: dict[tuple[object, ...], object] = {}
        cons = problem.constraints
        self.cand_ids = [c.id for c in problem.candidates]
        self.pos_ids = [p.id for p in problem.positions]
        cand_at = {c: i for i, c in enumerate(self.cand_ids)}
        pos_at = {p: i for i, p in enumerate(self.pos_ids)}
        self.cand_at = cand_at
        self.pos_at = pos_at
        options = problem.options
        self.options: tuple[Option, ...] = options
        n_opt = len(options)
        self.cand_of = [cand_at[o.candidate] for o in options]
        self.pos_of = [pos_at[o.position] for o in options]
        self.by_cand: list[list[int]] = [[] for _ in self.cand_ids]
        self.by_pos: list[list[int]] = [[] for _ in self.pos_ids]
        for i in range(n_opt):
            self.by_cand[self.cand_of[i]].append(i)
            self.by_pos[self.pos_of[i]].append(i)
        worst_c = max((o.candidate_rank or 0 for o in options), default=0)
        worst_p = max((o.position_rank or 0 for o in options), default=0)
        #: Effective ranks: an unranked option counts as the worst rank (at least 1).
        self.worst_crank = max(worst_c, 1)
        self.worst_prank = max(worst_p, 1)
        self.crank = [
            o.candidate_rank if o.candidate_rank is not None else self.worst_crank for o in options
        ]
        self.prank = [
            o.position_rank if o.position_rank is not None else self.worst_prank for o in options
        ]
        for opts in self.by_cand:
            opts.sort(key=lambda i: (self.crank[i], self.pos_of[i], options[i].start))
        self.priority = [c.priority for c in problem.candidates]
        self.cost = [minor_units(o.cost) if o.cost is not None else 0 for o in options]
        self.has_cost = any(o.cost is not None for o in options)
        seats = [p.seats for p in problem.positions]
        if cons.one_to_one:
            seats = [1] * len(seats)
        #: Capacity used for stability (seats, or 1 one-to-one).
        self.stable_cap = seats
        #: Capacity enforced (None: unlimited when seats are off).
        self.cap: list[int | None] = (
            list(seats) if cons.seats or cons.one_to_one else [None] * len(seats)
        )
        self.ranks_candidates = [p.ranks_candidates for p in problem.positions]
        hosts = sorted({p.host for p in problem.positions})
        self.host_ids = hosts
        host_at = {h: i for i, h in enumerate(hosts)}
        self.host_of_pos = [host_at[p.host] for p in problem.positions]
        self.host_cap: dict[int, int] = {
            host_at[h.host]: h.cap for h in cons.host_caps if h.host in host_at
        }
        # Months become ints once: hashing YearMonth objects millions of times
        # dominated large builds. Options built from a scenario share their
        # bed-month tuples, so they are converted once per distinct tuple.
        self.months: list[YearMonth] = []
        month_at: dict[YearMonth, int] = {}
        converted: dict[int, tuple[int, ...]] = {}
        self.opt_months: list[tuple[int, ...]] = []
        for o in options:
            key = id(o.bed_months)
            ids = converted.get(key)
            if ids is None:
                out = []
                for m in o.bed_months:
                    if m not in month_at:
                        month_at[m] = len(self.months)
                        self.months.append(m)
                    out.append(month_at[m])
                ids = converted[key] = tuple(out)
            self.opt_months.append(ids)
        for b in cons.beds:
            if b.month not in month_at:
                month_at[b.month] = len(self.months)
                self.months.append(b.month)
        self.month_at = month_at
        self.bed_limit: dict[int, int] = {month_at[b.month]: b.beds for b in cons.beds}
        self.bed_opts: dict[int, list[int]] = defaultdict(list)
        for i, months in enumerate(self.opt_months):
            for k in months:
                self.bed_opts[k].append(i)
        self.budget = minor_units(cons.budget, floor=True) if cons.budget is not None else None
        self.forbidden = set()
        banned = {(f.candidate, f.position) for f in cons.forbidden}
        if banned:
            self.forbidden = {
                i for i, o in enumerate(options) if (o.candidate, o.position) in banned
            }
        self.pins: list[tuple[int, list[int]]] = []
        for pin in cons.pins:
            c = cand_at[pin.candidate]
            opts = [
                i
                for i in self.by_cand[c]
                if options[i].position == pin.position
                and (pin.start is None or options[i].start == pin.start)
            ]
            self.pins.append((c, opts))
        self.quotas = [self._quota_row(q) for q in cons.quotas]
        self.previous: list[list[int]] = []
        for prev in problem.previous:
            c_at = cand_at.get(prev.candidate)
            if c_at is None:
                self.previous.append([])
                continue
            self.previous.append(
                [
                    i
                    for i in self.by_cand[c_at]
                    if options[i].position == prev.position
                    and (prev.start is None or options[i].start == prev.start)
                ]
            )

    def _quota_row(self, q: Quota) -> QuotaRow:
        options = self.options
        if q.dimension is QuotaDimension.UNIVERSITY:
            univ = {c.id for c in self.problem.candidates if c.university == q.key}
            members = [i for i, o in enumerate(options) if o.candidate in univ]
        else:
            tagged = {p.id for p in self.problem.positions if q.key in p.fields}
            members = [i for i, o in enumerate(options) if o.position in tagged]

        def split(limit: object) -> tuple[int | None, Fraction | None]:
            if limit is None:
                return None, None
            if isinstance(limit, Count):
                return limit.value, None
            assert isinstance(limit, Share)
            return None, Fraction(limit.value)

        lo_c, lo_s = split(q.minimum)
        hi_c, hi_s = split(q.maximum)
        return QuotaRow(q.dimension, q.key, members, lo_c, hi_c, lo_s, hi_s)

    # --- objective coefficients ---------------------------------------------

    def coefficients(self, objective: Objective) -> list[int]:
        """Return the per-option coefficient of a level (DISRUPTION and BLOCKING excluded)."""
        if objective is Objective.PLACED:
            return [1] * len(self.options)
        if objective is Objective.PRIORITY_PLACED:
            return [self.priority[c] for c in self.cand_of]
        if objective is Objective.CANDIDATE_WELFARE:
            w = self.worst_crank + 1
            return [w - r for r in self.crank]
        if objective is Objective.POSITION_WELFARE:
            w = self.worst_prank + 1
            return [w - r for r in self.prank]
        if objective is Objective.COST:
            return list(self.cost)
        raise ValueError(f"{objective.value} has no per-option coefficients")

    def value(self, objective: Objective, chosen: list[int]) -> int:
        """Return a level's value for a solution."""
        picked = [i for i in chosen if i != UNPLACED]
        if objective is Objective.DISRUPTION:
            at = set(picked)
            return sum(1 for opts in self.previous if not at.intersection(opts))
        if objective is Objective.BLOCKING_PAIRS:
            from sgcq.matching._extract import blocking_pairs

            return len(blocking_pairs(self, chosen))
        coef = self.coefficients(objective)
        return sum(coef[i] for i in picked)

    def strict_preferences(self) -> bool:
        """Whether both sides rank strictly (no ties, every host ranks) over the options."""
        for opts in self.by_cand:
            seen: dict[int, int] = {}
            for i in opts:
                p = self.pos_of[i]
                r = self.crank[i]
                if seen.get(r, p) != p or self.options[i].candidate_rank is None:
                    return False
                seen[r] = p
        for p, opts in enumerate(self.by_pos):
            if not self.ranks_candidates[p]:
                if opts:
                    return False
                continue
            seen = {}
            for i in opts:
                c = self.cand_of[i]
                r = self.prank[i]
                if seen.get(r, c) != c:
                    return False
                seen[r] = c
        return True
