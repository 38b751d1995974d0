"""The problem as integers: the one place ids become ints and back (private).

Every solve stage works on these flat lists; a solution is a list giving, per
candidate index, the chosen option index or ``-1``.

Every linear side constraint is one :class:`Row`,
``lo <= sum(coef * x[members]) + placed_coef * placed <= hi``, built here once
and read by every stage (CP-SAT writes the rows, the Lagrangian relaxation
prices them, min-cost flow and deferred acceptance refuse the kinds they cannot
hold, :mod:`sgcq.matching._limits` checks and accumulates them). Adding a side
constraint is a field in :class:`~sgcq.matching.Constraints`, a
:class:`RowKind` and its rows in :meth:`Index._build_rows`
(``docs/architecture.md``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from enum import Enum
from fractions import Fraction

from sgcq.matching.elements import MatchCandidate, MatchPosition, Option, cost_unit
from sgcq.matching.problem import Problem
from sgcq.models import Count, Money, Quota, QuotaDimension, Share, YearMonth, minor_unit

__all__ = [
    "UNPLACED",
    "Index",
    "QuotaRow",
    "Row",
    "RowKind",
    "in_quota",
    "minor_units",
    "position_counts",
]

UNPLACED = -1


def minor_units(money: Money, *, floor: bool = False, unit: Decimal | None = None) -> int:
    """Return ``money`` in integer units (half-even, or floor for limits).

    ``unit`` is the currency's minor unit unless given (the budget row uses
    :func:`~sgcq.matching.elements.cost_unit`, in which every cost is whole).
    """
    step = minor_unit(money.currency) if unit is None else unit
    units = money.amount.scaleb(-step.adjusted())
    if floor:
        return int(units.to_integral_value(rounding=ROUND_FLOOR))
    return int(units.to_integral_value(rounding=ROUND_HALF_EVEN))


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
        "year",
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
        year: int | None = None,
    ) -> None:
        self.dimension = dimension
        self.year = year
        self.key = key
        self.members = members
        self.member_set = frozenset(members)
        self.min_count = min_count
        self.max_count = max_count
        self.min_share = min_share
        self.max_share = max_share

    def label(self) -> str:
        """Return e.g. ``university nus`` (``direction sg_to_cq in 2020`` for one year)."""
        year = "" if self.year is None else f" in {self.year}"
        return f"{self.dimension.value} {self.key}{year}"


class RowKind(str, Enum):
    """What a :class:`Row` stands for (stages decide by kind which rows they can hold)."""

    SEATS = "seats"
    HOST_CAP = "host_caps"
    MIN_SIZE = "min_size"
    MAX_SIZE = "max_size"
    QUOTA = "quotas"
    BEDS = "beds"
    BUDGET = "budget"
    PAYER_BUDGET = "payer_budgets"
    PIN = "pins"
    FORBIDDEN = "forbidden"


#: Kinds whose rows an option reaches through a direct map (seat_row, host_row,
#: bed_row, budget_row, pin_row, forbidden_row) or through the number placed;
#: the rows of every other kind are found by membership.
_MAPPED = frozenset(
    {
        RowKind.SEATS,
        RowKind.HOST_CAP,
        RowKind.BEDS,
        RowKind.BUDGET,
        RowKind.PIN,
        RowKind.FORBIDDEN,
        RowKind.MIN_SIZE,
        RowKind.MAX_SIZE,
    }
)


def in_quota(dimension: QuotaDimension, key: str, c: MatchCandidate, p: MatchPosition) -> bool:
    """Whether a placement of ``c`` in ``p`` counts towards a quota on ``dimension`` and ``key``."""
    if dimension is QuotaDimension.UNIVERSITY:
        return c.university == key
    if dimension is QuotaDimension.NATIONALITY:
        return key in c.nationalities
    return position_counts(p, dimension, key)


def position_counts(p: MatchPosition, dimension: QuotaDimension, key: str) -> bool:
    """Whether a placement in ``p`` counts towards a quota on a position's attribute."""
    if dimension is QuotaDimension.FIELD:
        return key in p.fields
    if dimension is QuotaDimension.HOST:
        return p.host == key
    if dimension is QuotaDimension.POSITION:
        return p.id == key
    if dimension is QuotaDimension.HOST_COUNTRY:
        return p.country == key
    if dimension is QuotaDimension.DIRECTION:
        return p.direction == key
    return False


class Row:
    """One linear side constraint ``lo <= sum(coef * x[members]) + placed_coef * placed <= hi``.

    ``coef`` is one coefficient for every member or one per member; ``placed``
    is the number of candidates placed. ``group`` names the quota a row
    belongs to (rows of one quota share their members). ``redundant`` is true
    when no assignment can break the row (every stage leaves such rows out).
    """

    __slots__ = (
        "at",
        "coef",
        "coef_at",
        "group",
        "hi",
        "high",
        "kind",
        "label",
        "lo",
        "low",
        "member_set",
        "members",
        "monotone",
        "placed_coef",
        "redundant",
    )

    def __init__(
        self,
        kind: RowKind,
        label: str,
        members: list[int],
        *,
        coef: int | list[int] = 1,
        placed_coef: int = 0,
        lo: int | None = None,
        hi: int | None = None,
        at: int = -1,
        group: int | None = None,
        candidates: int = 0,
    ) -> None:
        self.kind = kind
        self.label = label
        self.members = members
        self.member_set: frozenset[int] | None = None
        self.coef = coef
        self.coef_at: dict[int, int] | None = None
        self.placed_coef = placed_coef
        self.lo = lo
        self.hi = hi
        #: The index of what the row is about (position, host, month, quota,
        #: candidate), or -1.
        self.at = at
        self.group = group
        unit = coef >= 0 if isinstance(coef, int) else all(c >= 0 for c in coef)
        #: Whether adding an option never lowers the row's activity.
        self.monotone = unit and placed_coef >= 0
        #: The least and largest activity any assignment can give (ignoring
        #: that each candidate takes at most one option).
        self.low, self.high = self._extremes(candidates)
        self.redundant = (hi is None or self.high <= hi) and (lo is None or self.low >= lo)

    def coefficient(self, k: int) -> int:
        """Return the coefficient of the row's ``k``-th member."""
        return self.coef if isinstance(self.coef, int) else self.coef[k]

    def coef_of(self, i: int) -> int:
        """Return the coefficient of option ``i`` (a member) in the row."""
        coef = self.coef
        if isinstance(coef, int):
            return coef
        if self.coef_at is None:
            self.coef_at = dict(zip(self.members, coef, strict=True))
        return self.coef_at[i]

    def contains(self, i: int) -> bool:
        """Whether option ``i`` is a member (a set is built on first use)."""
        if self.member_set is None:
            self.member_set = frozenset(self.members)
        return i in self.member_set

    def _extremes(self, candidates: int) -> tuple[int, int]:
        """Return the least and largest activity any assignment can give."""
        coef = self.coef
        m = len(self.members)
        if isinstance(coef, int):
            top, bottom = max(coef, 0) * m, min(coef, 0) * m
        else:
            top = sum(c for c in coef if c > 0)
            bottom = sum(c for c in coef if c < 0)
        pc = self.placed_coef
        if not pc:
            return bottom, top
        if not m:
            return min(0, pc * candidates), max(0, pc * candidates)
        # A count of members with the number placed: 0 <= count <= placed.
        unit = coef if isinstance(coef, int) else max(coef)
        most = min(m, candidates)
        corners = [0, pc * candidates, (unit + pc) * most, unit * most + pc * candidates]
        return min(corners), max(corners)

    def activity(self, x: list[int] | set[int], placed: int) -> int:
        """Return the row's activity for the chosen options ``x`` (a set of option indices)."""
        on = x if isinstance(x, set) else set(x)
        coef = self.coef
        if isinstance(coef, int):
            total = coef * sum(1 for i in self.members if i in on)
        else:
            total = sum(c for i, c in zip(self.members, coef, strict=True) if i in on)
        return total + self.placed_coef * placed


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
        costs = [o.cost for o in options if o.cost is not None]
        #: The unit of :attr:`cost` and :attr:`budget`: the currency's minor unit,
        #: or finer when a cost needs it, so that no cost is rounded.
        self.cost_unit = cost_unit(costs, problem.currency) if problem.currency else Decimal(1)
        # Options of one position and stay length share their cost: convert
        # each distinct amount once.
        in_units: dict[Decimal, int] = {}
        self.cost = [0] * len(options)
        for i, o in enumerate(options):
            if o.cost is not None:
                units = in_units.get(o.cost.amount)
                if units is None:
                    units = in_units[o.cost.amount] = minor_units(o.cost, unit=self.cost_unit)
                self.cost[i] = units
        self.has_cost = bool(costs)
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
        self.budget: int | None = None
        if cons.budget is not None:
            # A budget above every cost together is the same limit as that
            # total, and keeps a huge budget (1e999990) from becoming an
            # integer of a million digits in every sum the stages form.
            total = sum(self.cost)
            if cons.budget.amount >= Decimal(total).scaleb(self.cost_unit.adjusted()):
                self.budget = total
            else:
                self.budget = minor_units(cons.budget, floor=True, unit=self.cost_unit)
        # One budget row per other payer with a budget (housing payer, visa
        # sponsor): costs in each payer's own unit, exact like the allowances.
        #: The payers with a cost or a budget, sorted; per payer its currency,
        #: unit, cost per option (in that unit) and budget (None: unlimited).
        self.payers: list[str] = list(problem.payers)
        self.payer_currency: list[str] = []
        self.payer_unit: list[Decimal] = []
        self.payer_cost: list[list[int]] = []
        self.payer_budget: list[int | None] = []
        for payer in self.payers:
            currency = problem.payer_currency(payer)
            assert currency is not None  # a payer has a cost or a budget
            amounts = [pc.cost for o in options for pc in o.payer_costs if pc.payer == payer]
            unit = cost_unit(amounts, currency)
            in_payer: dict[Decimal, int] = {}
            per = [0] * len(options)
            for i, o in enumerate(options):
                for pc in o.payer_costs:
                    if pc.payer == payer:
                        units = in_payer.get(pc.cost.amount)
                        if units is None:
                            units = in_payer[pc.cost.amount] = minor_units(pc.cost, unit=unit)
                        per[i] = units
            self.payer_currency.append(currency)
            self.payer_unit.append(unit)
            self.payer_cost.append(per)
            limit = cons.payer_budget(payer)
            hi: int | None = None
            if limit is not None:
                total = sum(per)
                if limit.amount >= Decimal(total).scaleb(unit.adjusted()):
                    hi = total
                else:
                    hi = minor_units(limit, floor=True, unit=unit)
            self.payer_budget.append(hi)
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
        self.rows: list[Row] = []
        #: Per kind, the indices of its rows in :attr:`rows`.
        self.rows_of_kind: dict[RowKind, list[int]] = defaultdict(list)
        #: Fast ways from an option to its rows: the seat row of each position
        #: (-1: none), the host-cap row of each host, the bed row of each month,
        #: the budget row (-1: none); every other row with members is found
        #: by membership (:attr:`member_rows`).
        self.seat_row = [-1] * len(self.pos_ids)
        self.host_row: dict[int, int] = {}
        self.bed_row: dict[int, int] = {}
        self.budget_row = -1
        #: The row of each payer's budget (-1: none), by payer index.
        self.payer_row = [-1] * len(self.payers)
        self.pin_row: dict[int, int] = {}
        self.forbidden_row = -1
        self.member_rows: list[int] = []
        self._build_rows()

    def _add(self, row: Row) -> int:
        r = len(self.rows)
        self.rows.append(row)
        self.rows_of_kind[row.kind].append(r)
        return r

    def _build_rows(self) -> None:
        """Write every side constraint as rows, in the order CP-SAT adds them.

        The order is part of the model: seats, host caps, cohort size,
        quotas, beds, budget, pins, forbidden pairs.
        """
        cons = self.problem.constraints
        n_c = len(self.cand_ids)
        add = self._add
        for p, opts in enumerate(self.by_pos):
            cap = self.cap[p]
            if cap is not None:
                self.seat_row[p] = add(
                    Row(RowKind.SEATS, self.pos_ids[p], opts, hi=cap, at=p, candidates=n_c)
                )
        if self.host_cap:
            by_host: dict[int, list[int]] = defaultdict(list)
            for p, opts in enumerate(self.by_pos):
                if self.host_of_pos[p] in self.host_cap:
                    by_host[self.host_of_pos[p]].extend(opts)
            for h, cap in self.host_cap.items():
                label = f"host {self.host_ids[h]}"
                row = Row(RowKind.HOST_CAP, label, by_host[h], hi=cap, at=h, candidates=n_c)
                self.host_row[h] = add(row)
        if cons.min_size is not None:
            add(
                Row(
                    RowKind.MIN_SIZE,
                    "minimum cohort size",
                    [],
                    placed_coef=1,
                    lo=cons.min_size,
                    candidates=n_c,
                )
            )
        if cons.max_size is not None:
            add(
                Row(
                    RowKind.MAX_SIZE,
                    "maximum cohort size",
                    [],
                    placed_coef=1,
                    hi=cons.max_size,
                    candidates=n_c,
                )
            )
        for k, q in enumerate(self.quotas):
            label = f"quota for {q.label()}"
            # (coef, placed_coef, lo, hi) per bound: counts, then shares as
            # den * count - num * placed compared with 0.
            bounds: list[tuple[int, int, int | None, int | None]] = []
            if q.max_count is not None:
                bounds.append((1, 0, None, q.max_count))
            if q.min_count is not None:
                bounds.append((1, 0, q.min_count, None))
            if q.max_share is not None:
                bounds.append((q.max_share.denominator, -q.max_share.numerator, None, 0))
            if q.min_share is not None:
                bounds.append((q.min_share.denominator, -q.min_share.numerator, 0, None))
            for unit, placed_coef, lo, hi in bounds:
                row = Row(
                    RowKind.QUOTA,
                    label,
                    q.members,
                    coef=unit,
                    placed_coef=placed_coef,
                    lo=lo,
                    hi=hi,
                    at=k,
                    group=k,
                    candidates=n_c,
                )
                row.member_set = q.member_set
                add(row)
        for m, limit in self.bed_limit.items():
            row = Row(
                RowKind.BEDS,
                f"beds in {self.months[m]}",
                self.bed_opts.get(m, []),
                hi=limit,
                at=m,
                candidates=n_c,
            )
            self.bed_row[m] = add(row)
        if self.budget is not None:
            used = [i for i, c in enumerate(self.cost) if c]
            coef = [self.cost[i] for i in used]
            self.budget_row = add(
                Row(RowKind.BUDGET, "budget", used, coef=coef, hi=self.budget, candidates=n_c)
            )
        for k, hi in enumerate(self.payer_budget):
            if hi is None:
                continue
            per = self.payer_cost[k]
            used = [i for i, c in enumerate(per) if c]
            row = Row(
                RowKind.PAYER_BUDGET,
                f"budget of {self.payers[k]}",
                used,
                coef=[per[i] for i in used],
                hi=hi,
                at=k,
                candidates=n_c,
            )
            self.payer_row[k] = add(row)
        for c, opts in self.pins:
            label = f"pin of {self.cand_ids[c]}"
            self.pin_row[c] = add(Row(RowKind.PIN, label, opts, lo=1, hi=1, at=c, candidates=n_c))
        if self.forbidden:
            self.forbidden_row = add(
                Row(
                    RowKind.FORBIDDEN,
                    "forbidden pairs",
                    sorted(self.forbidden),
                    hi=0,
                    candidates=n_c,
                )
            )
        self.member_rows = [
            r for r, row in enumerate(self.rows) if row.members and row.kind not in _MAPPED
        ]

    def _quota_row(self, q: Quota) -> QuotaRow:
        options = self.options
        dim = q.dimension
        if dim is QuotaDimension.UNIVERSITY:
            univ = {c.id for c in self.problem.candidates if c.university == q.key}
            members = [i for i, o in enumerate(options) if o.candidate in univ]
        elif dim is QuotaDimension.NATIONALITY:
            of = {c.id for c in self.problem.candidates if q.key in c.nationalities}
            members = [i for i, o in enumerate(options) if o.candidate in of]
        else:
            tagged = {p.id for p in self.problem.positions if position_counts(p, dim, q.key)}
            members = [i for i, o in enumerate(options) if o.position in tagged]
        if q.year is not None:
            members = [i for i in members if options[i].start.year == q.year]

        def split(limit: object) -> tuple[int | None, Fraction | None]:
            if limit is None:
                return None, None
            if isinstance(limit, Count):
                return limit.value, None
            assert isinstance(limit, Share)
            return None, Fraction(limit.value)

        lo_c, lo_s = split(q.minimum)
        hi_c, hi_s = split(q.maximum)
        return QuotaRow(q.dimension, q.key, members, lo_c, hi_c, lo_s, hi_s, q.year)

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
