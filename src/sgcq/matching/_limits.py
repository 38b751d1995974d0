"""What a solution uses of every row, kept up to date one option at a time (private).

:class:`Usage` is the one accumulator: repair and the greedy add and drop
options through it, the explanations read what is left of each limit from it,
and :func:`violations` checks a whole solution against every row.
"""

from __future__ import annotations

from collections import Counter

from sgcq.matching._index import UNPLACED, Index, Row, RowKind

__all__ = ["Usage", "violations"]


class Usage:
    """The activity of every row of an index for a solution, updated by :meth:`add`.

    Parameters
    ----------
    ix
        The indexed problem.
    chosen
        A starting solution (option index per candidate, -1 unplaced), or
        ``None`` for the empty one.
    """

    def __init__(self, ix: Index, chosen: list[int] | None = None) -> None:
        self.ix = ix
        self.chosen = [UNPLACED] * len(ix.cand_ids)
        #: The part of each row's activity that comes from its members.
        self.act = [0] * len(ix.rows)
        self.placed = 0
        #: Total cost in minor units (with or without a budget row).
        self.cost = 0
        #: Total cost of each other payer, in that payer's unit.
        self.payer_cost = [0] * len(ix.payers)
        #: Beds held per month index (every month, limited or not).
        self.beds: Counter[int] = Counter()
        self.at_host: Counter[int] = Counter()
        #: Chosen members of each quota.
        self.quota_count = [0] * len(ix.quotas)
        # Rows that adding any option moves (through the number placed) and
        # that only rise with it: checked by fits() whatever the option.
        self._placed_rows = [
            r
            for r, row in enumerate(ix.rows)
            if row.placed_coef > 0 and row.hi is not None and not row.redundant
        ]
        #: Rows with a lower limit that some assignment can break.
        self.lower_rows = [
            r for r, row in enumerate(ix.rows) if row.lo is not None and not row.redundant
        ]
        # Lower rows that adding an option can push down (minimum shares):
        # keeps() guards them.
        self._guarded = [r for r in self.lower_rows if not ix.rows[r].monotone]
        if chosen is not None:
            for i in chosen:
                if i != UNPLACED:
                    self.add(i)

    def touched(self, i: int) -> list[tuple[int, int]]:
        """Return the rows option ``i`` is a member of, with its coefficient in each."""
        ix = self.ix
        out: list[tuple[int, int]] = []
        p = ix.pos_of[i]
        r = ix.seat_row[p]
        if r >= 0:
            out.append((r, 1))
        r = ix.host_row.get(ix.host_of_pos[p], -1)
        if r >= 0:
            out.append((r, 1))
        for m in ix.opt_months[i]:
            r = ix.bed_row.get(m, -1)
            if r >= 0:
                out.append((r, 1))
        if ix.budget_row >= 0 and ix.cost[i]:
            out.append((ix.budget_row, ix.cost[i]))
        r = ix.pin_row.get(ix.cand_of[i], -1)
        if r >= 0 and ix.rows[r].contains(i):
            out.append((r, 1))
        if ix.forbidden_row >= 0 and i in ix.forbidden:
            out.append((ix.forbidden_row, 1))
        for r in ix.member_rows:
            row = ix.rows[r]
            if row.contains(i):
                coef = row.coef
                out.append((r, coef if isinstance(coef, int) else row.coef_of(i)))
        return out

    def activity(self, r: int) -> int:
        """Return row ``r``'s activity for the current solution."""
        return self.act[r] + self.ix.rows[r].placed_coef * self.placed

    def fits(self, i: int) -> bool:
        """Whether option ``i`` can be added without breaking a rising upper limit.

        Lower limits (minimum sizes, counts and shares) and rows that adding an
        option can also relax (maximum shares) are not checked here; repair
        restores maximum shares afterwards.
        """
        ix = self.ix
        if i in ix.forbidden or self.chosen[ix.cand_of[i]] != UNPLACED:
            return False
        rows = ix.rows
        act = self.act
        # The mapped kinds first, inline: this runs for every option the
        # greedy tries (over a million on the largest benchmark).
        p = ix.pos_of[i]
        r = ix.seat_row[p]
        if r >= 0 and act[r] + 1 > rows[r].hi:  # type: ignore[operator]
            return False
        r = ix.host_row.get(ix.host_of_pos[p], -1)
        if r >= 0 and act[r] + 1 > rows[r].hi:  # type: ignore[operator]
            return False
        bed_row = ix.bed_row
        if bed_row:
            for m in ix.opt_months[i]:
                r = bed_row.get(m, -1)
                if r >= 0 and act[r] + 1 > rows[r].hi:  # type: ignore[operator]
                    return False
        r = ix.budget_row
        if r >= 0 and act[r] + ix.cost[i] > rows[r].hi:  # type: ignore[operator]
            return False
        placed = self.placed + 1
        for r in ix.member_rows:
            row = rows[r]
            hi = row.hi
            if (
                hi is not None
                and row.monotone
                and row.contains(i)
                and act[r] + row.coef_of(i) + row.placed_coef * placed > hi
            ):
                return False
        for r in self._placed_rows:
            row = rows[r]
            hi = row.hi
            assert hi is not None  # only rows with an upper limit are listed
            if row.monotone and act[r] + row.placed_coef * placed > hi:
                return False
        return True

    def change(self, r: int, i: int, sign: int = 1) -> int:
        """Return how much adding (``sign=-1``: removing) option ``i`` moves row ``r``."""
        row = self.ix.rows[r]
        member = row.coef_of(i) if row.members and row.contains(i) else 0
        return sign * (member + row.placed_coef)

    def keeps(self, i: int) -> bool:
        """Whether adding option ``i`` keeps every met minimum that it could break met."""
        return self.blocking(i) is None

    def blocking(self, i: int) -> int | None:
        """Return a met minimum that adding option ``i`` would break, or ``None``."""
        return self._breaks(i, 1, self._guarded)

    def keeps_without(self, i: int) -> bool:
        """Whether removing option ``i`` keeps every met minimum met."""
        return self._breaks(i, -1, self.lower_rows) is None

    def _breaks(self, i: int, sign: int, among: list[int]) -> int | None:
        """Return the first of the rows ``among`` that is met and that the move would break."""
        rows = self.ix.rows
        for r in among:
            lo = rows[r].lo
            assert lo is not None
            a = self.activity(r)
            if a >= lo and a + self.change(r, i, sign) < lo:
                return r
        return None

    def add(self, i: int, sign: int = 1) -> None:
        """Add option ``i`` to the solution (``sign=-1``: remove it)."""
        ix = self.ix
        self.chosen[ix.cand_of[i]] = i if sign > 0 else UNPLACED
        act = self.act
        for r, c in self.touched(i):
            act[r] += sign * c
        self.placed += sign
        self.cost += sign * ix.cost[i]
        if ix.payers:
            pc = self.payer_cost
            for k, per in enumerate(ix.payer_cost):
                pc[k] += sign * per[i]
        self.at_host[ix.host_of_pos[ix.pos_of[i]]] += sign
        for m in ix.opt_months[i]:
            self.beds[m] += sign
        for k, q in enumerate(ix.quotas):
            if i in q.member_set:
                self.quota_count[k] += sign

    def broken(self, r: int) -> bool:
        """Whether row ``r`` is broken by the current solution."""
        row = self.ix.rows[r]
        a = self.activity(r)
        return (row.hi is not None and a > row.hi) or (row.lo is not None and a < row.lo)


def _describe(ix: Index, usage: Usage, r: int, row: Row) -> str:
    """Return one line on how the solution breaks row ``r``."""
    a = usage.activity(r)
    placed = usage.placed
    kind = row.kind
    if kind is RowKind.SEATS:
        return f"{ix.pos_ids[row.at]}: {a} placed, {row.hi} seats"
    if kind is RowKind.HOST_CAP:
        return f"{row.label}: {a} placed, cap {row.hi}"
    if kind is RowKind.BEDS:
        return f"beds {ix.months[row.at]}: {a} used, {row.hi} available"
    if kind is RowKind.BUDGET:
        return f"budget: {a} units of {ix.cost_unit} used, {row.hi} available"
    if kind is RowKind.PAYER_BUDGET:
        k = row.at
        unit = ix.payer_unit[k]
        cur = ix.payer_currency[k]
        return f"budget of {ix.payers[k]}: {a} units of {unit} {cur} used, {row.hi} available"
    if kind is RowKind.MAX_SIZE:
        return f"cohort size {placed} above maximum {row.hi}"
    if kind is RowKind.MIN_SIZE:
        return f"cohort size {placed} below minimum {row.lo}"
    if kind is RowKind.PIN:
        return f"pin of {ix.cand_ids[row.at]} not honoured"
    if kind is RowKind.QUOTA:
        q = ix.quotas[row.at]
        cnt = usage.quota_count[row.at]
        if row.placed_coef:
            side = "above" if row.hi is not None and a > row.hi else "below"
            share = q.max_share if side == "above" else q.min_share
            return f"quota {q.label()}: {cnt} {side} share {share} of {placed}"
        if row.hi is not None and a > row.hi:
            return f"quota {q.label()}: {cnt} above maximum {row.hi}"
        return f"quota {q.label()}: {cnt} below minimum {row.lo}"
    bounds = f"[{'' if row.lo is None else row.lo}, {'' if row.hi is None else row.hi}]"
    return f"{row.label}: {a} outside {bounds}"


def violations(ix: Index, chosen: list[int]) -> list[str]:
    """Return one line per violated constraint of a solution (empty when feasible)."""
    out: list[str] = []
    per_cand: Counter[int] = Counter(ix.cand_of[i] for i in chosen if i != UNPLACED)
    for c, k in per_cand.items():
        if k > 1:
            out.append(f"{ix.cand_ids[c]} placed {k} times")
    usage = Usage(ix)
    for i in chosen:
        if i != UNPLACED:
            usage.add(i)
    for r, row in enumerate(ix.rows):
        if row.kind is RowKind.FORBIDDEN:
            for i in sorted(ix.forbidden.intersection(chosen)):
                o = ix.options[i]
                out.append(f"forbidden pair {o.candidate}-{o.position} placed")
        elif usage.broken(r):
            out.append(_describe(ix, usage, r, row))
    return out
