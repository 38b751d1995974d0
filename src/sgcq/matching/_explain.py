"""From a solution (option index per candidate) to a :class:`Result` with explanations (private).

Everything here is plain Python over the solution: what each row has left,
blocking pairs, and the explanation of every unplaced candidate. None of it
uses the solver, so the explanations state what adding an option to *this*
solution would break.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction

from sgcq.matching._index import UNPLACED, Index, QuotaRow
from sgcq.matching._limits import Usage
from sgcq.matching._stability import blocking_for, blocking_pairs
from sgcq.matching.elements import Exclusion, Stability
from sgcq.matching.result import (
    Assignment,
    BedUse,
    Blocker,
    BlockerKind,
    Explanation,
    LevelValue,
    PayerTotal,
    RankCount,
    Result,
    Status,
    UnplacedReason,
)
from sgcq.matching.settings import SolvePath
from sgcq.models import Money

__all__ = ["Blockers", "build_result", "explain"]

# Seconds per candidate of a wall-clock limit that the explanations leave for
# the rest of the result (its validation and counts).
RESULT_RESERVE = 75e-6


def _share_exceeds(count: int, share: Fraction, placed: int) -> bool:
    return count > share * placed


# --- explanations ------------------------------------------------------------------


class Blockers:
    """Finds what adding an option to a solution would break.

    Everything that does not depend on the option (full months, hosts at
    their cap, quotas at their bound, the cohort at its maximum) is worked
    out once per solution, and blockers are shared between options, so
    explaining every option of every unplaced candidate stays linear.
    """

    def __init__(self, ix: Index, chosen: list[int], usage: Usage | None = None) -> None:
        self.ix = ix
        self.chosen = chosen
        self.loads = loads = usage if usage is not None else Usage(ix, chosen)
        #: The options held at each position.
        self.held: list[list[int]] = [[] for _ in ix.pos_ids]
        for i in chosen:
            if i != UNPLACED:
                self.held[ix.pos_of[i]].append(i)
        self.full_months = {
            m: Blocker(
                BlockerKind.BEDS_FULL,
                f"beds full in {ix.months[m]} ({loads.beds[m]} of {limit} used)",
                month=ix.months[m],
            )
            for m, limit in ix.bed_limit.items()
            if loads.beds[m] + 1 > limit
        }
        self.full_hosts = {
            h: Blocker(
                BlockerKind.HOST_CAP,
                f"host {ix.host_ids[h]} is at its cap of {cap} placements",
                subject=ix.host_ids[h],
            )
            for h, cap in ix.host_cap.items()
            if loads.at_host[h] + 1 > cap
        }
        after = loads.placed + 1
        self.quota_rules = []
        for q, cnt in zip(ix.quotas, loads.quota_count, strict=True):
            members = tuple(_quota_blockers(q, cnt, True, after))
            others = tuple(_quota_blockers(q, cnt, False, after))
            if members or others:
                self.quota_rules.append((q.member_set, members, others))
        max_size = ix.problem.constraints.max_size
        self.at_max = (
            Blocker(BlockerKind.MAX_SIZE, f"the cohort is at its maximum size {max_size}")
            if max_size is not None and after > max_size
            else None
        )
        self.seats: dict[tuple[int, int], Blocker] = {}
        self.ordered: dict[int, list[int]] = {}

    def of(self, i: int) -> list[Blocker]:
        """Return what adding option ``i`` (of an unplaced candidate) would break."""
        ix = self.ix
        loads = self.loads
        o = ix.options[i]
        p = ix.pos_of[i]
        out: list[Blocker] = []
        if i in ix.forbidden:
            out.append(Blocker(BlockerKind.FORBIDDEN, f"{o.candidate}-{o.position} is forbidden"))
        cap = ix.cap[p]
        held = self.held[p]
        if cap is not None and len(held) + 1 > cap:
            ordered = self.ordered.get(p)
            if ordered is None:
                ordered = self.ordered[p] = sorted(
                    held, key=lambda k: (ix.prank[k], ix.cand_ids[ix.cand_of[k]])
                )
            ranks = [ix.prank[k] for k in ordered]
            better = bisect.bisect_left(ranks, ix.prank[i]) if ix.ranks_candidates[p] else 0
            seats = self.seats.get((p, better))
            if seats is None:
                seats = self.seats[(p, better)] = _seats_blocker(ix, p, ordered, better, cap)
            out.append(seats)
        host = self.full_hosts.get(ix.host_of_pos[p])
        if host is not None:
            out.append(host)
        for m in ix.opt_months[i]:
            month = self.full_months.get(m)
            if month is not None:
                out.append(month)
        for member_set, members, others in self.quota_rules:
            out.extend(members if i in member_set else others)
        if ix.budget is not None and loads.cost + ix.cost[i] > ix.budget:
            unit = ix.cost_unit
            left = Decimal(ix.budget - loads.cost) * unit
            need = Decimal(ix.cost[i]) * unit
            cur = ix.problem.currency
            # Money as the report writes it everywhere (``CNY 1,234.00``).
            left_text, need_text = (
                (str(Money(left, cur)), str(Money(need, cur)))
                if cur is not None
                else (str(left), str(need))
            )
            out.append(
                Blocker(
                    BlockerKind.BUDGET,
                    f"budget exhausted: {left_text} left, the stay costs {need_text}",
                )
            )
        for k, r in enumerate(ix.payer_row):
            if r < 0:
                continue
            hi = ix.rows[r].hi
            assert hi is not None
            used = loads.payer_cost[k]
            if used + ix.payer_cost[k][i] > hi:
                unit = ix.payer_unit[k]
                cur = ix.payer_currency[k]
                left_money = Money(Decimal(hi - used) * unit, cur)
                need_money = Money(Decimal(ix.payer_cost[k][i]) * unit, cur)
                out.append(
                    Blocker(
                        BlockerKind.BUDGET,
                        f"budget of {ix.payers[k]} exhausted: {left_money} left, "
                        f"the stay costs {need_money}",
                        subject=ix.payers[k],
                    )
                )
        if self.at_max is not None:
            out.append(self.at_max)
        if not out and ix.problem.stability is Stability.STRICT:
            # Checked last and only when nothing else blocks: it is the costly one.
            out.extend(_stability_blockers(ix, self.chosen, self.held, i))
        return out


def _seats_blocker(ix: Index, p: int, ordered: list[int], better_count: int, cap: int) -> Blocker:
    """Return the SEATS_FULL blocker of position ``p`` whose ``ordered`` holders are full.

    ``ordered`` is sorted best first for the host; the first ``better_count``
    of them are ranked strictly above the candidate being explained.
    """
    pid = ix.pos_ids[p]
    names = tuple(ix.cand_ids[ix.cand_of[k]] for k in ordered)
    seats = f"{cap} seat" + ("s" if cap != 1 else "")
    if not ix.ranks_candidates[p]:
        return Blocker(
            BlockerKind.SEATS_FULL,
            f"{pid}'s {seats} taken by {', '.join(names)} (the host does not rank candidates)",
            subject=pid,
            candidates=names,
        )
    better = names[:better_count]
    if len(better) == len(names):
        why = "all ranked higher by the host"
    elif better:
        why = f"the host ranks {', '.join(better)} higher"
    else:
        why = "none ranked higher by the host"
    return Blocker(
        BlockerKind.SEATS_FULL,
        f"{pid}'s {seats} taken by {', '.join(names)} ({why})",
        subject=pid,
        candidates=names,
        preferred=better,
    )


def _quota_blockers(q: QuotaRow, cnt: int, member: bool, after: int) -> list[Blocker]:
    out: list[Blocker] = []
    label = q.label()
    if member:
        if q.max_count is not None and cnt + 1 > q.max_count:
            out.append(
                Blocker(
                    BlockerKind.QUOTA_MAX,
                    f"quota for {label} reached ({cnt} of at most {q.max_count})",
                    subject=q.key,
                )
            )
        if q.max_share is not None and _share_exceeds(cnt + 1, q.max_share, after):
            out.append(
                Blocker(
                    BlockerKind.QUOTA_MAX,
                    f"quota for {label} reached ({cnt} placed; {cnt + 1} of {after} would "
                    f"exceed the share {float(q.max_share):.0%})",
                    subject=q.key,
                )
            )
    elif q.min_share is not None and cnt < q.min_share * after:
        out.append(
            Blocker(
                BlockerKind.QUOTA_MIN,
                f"minimum share {float(q.min_share):.0%} for {label} would be broken "
                f"({cnt} of {after})",
                subject=q.key,
            )
        )
    return out


def _stability_blockers(
    ix: Index, chosen: list[int], at_pos: list[list[int]], i: int
) -> list[Blocker]:
    # Only pairs at the option's position can start blocking when one more
    # candidate takes a seat there (the candidate's own pairs concern positions
    # it stays out of); compare them before and after.
    p = ix.pos_of[i]
    held = [list(h) for h in at_pos]
    others = {ix.cand_of[k] for k in ix.by_pos[p]} - {ix.cand_of[i]}
    before = sum(len(blocking_for(ix, c, chosen[c], held)) for c in others)
    held[p].append(i)
    new = [b for c in sorted(others) for b in blocking_for(ix, c, chosen[c], held)]
    if len(new) <= before:
        return []
    first = new[0]
    return [
        Blocker(
            BlockerKind.STABILITY,
            f"placing here would let {first.candidate} and {first.position} block ({first.reason})",
            subject=first.candidate,
        )
    ]


def explain(
    ix: Index, chosen: list[int], status: Status, *, deadline: float | None = None
) -> tuple[Explanation, ...]:
    """Return an explanation for every unplaced candidate, sorted by candidate.

    After ``deadline`` (a ``time.perf_counter()`` reading; ``None``: none) the
    remaining candidates' eligible options are no longer examined: their
    explanations keep only the rule reasons of their exclusions. Checking
    what blocks each option is the costly part on large problems, and a
    wall-clock limit covers the explanations too.
    """
    finder = Blockers(ix, chosen)
    proof = "proven optimal" if status is Status.OPTIMAL else "not proven optimal"
    not_chosen = Blocker(
        BlockerKind.NOT_CHOSEN,
        "no constraint blocks this option; the objective "
        f"({' > '.join(ob.value for ob in ix.problem.objectives)}, {proof}) left it empty",
    )
    excluded: dict[str, list[Exclusion]] = defaultdict(list)
    for x in ix.problem.exclusions:
        excluded[x.candidate].append(x)
    out: list[Explanation] = []
    for c in sorted(range(len(ix.cand_ids)), key=lambda k: ix.cand_ids[k]):
        if chosen[c] != UNPLACED:
            continue
        cid = ix.cand_ids[c]
        reasons: list[UnplacedReason] = []
        if deadline is None or time.perf_counter() < deadline:
            for i in ix.by_cand[c]:
                o = ix.options[i]
                found = finder.of(i) or [not_chosen]
                reasons.append(UnplacedReason(o.position, o.start, tuple(found)))
        for x in excluded.get(cid, []):
            reasons.append(UnplacedReason(x.position, x.start, (), x.reasons))
        out.append(Explanation(cid, not ix.by_cand[c], tuple(reasons)))
    return tuple(out)


# --- the result ----------------------------------------------------------------


def build_result(
    ix: Index,
    chosen: list[int] | None,
    status: Status,
    path: SolvePath,
    levels: tuple[LevelValue, ...],
    started: float,
    message: str,
    *,
    deadline: float | None = None,
) -> Result:
    """Assemble a :class:`Result` from a solution (``None`` when there is none).

    ``started`` is the ``time.perf_counter()`` reading when solving began; the
    wall time includes building the explanations. Past ``deadline`` (the end
    of a wall-clock limit) the remaining unplaced candidates' options are not
    examined (see :func:`explain`), and the message says how many.
    """
    problem = ix.problem
    budget = problem.constraints.budget
    if chosen is None:
        return Result(
            status=status,
            path=path,
            levels=levels,
            gap=None,
            wall_time=time.perf_counter() - started,
            budget=budget,
            message=message,
        )
    assignments = []
    ranks: Counter[int | None] = Counter()
    for c in sorted(range(len(ix.cand_ids)), key=lambda k: ix.cand_ids[k]):
        i = chosen[c]
        if i == UNPLACED:
            continue
        o = ix.options[i]
        ranks[o.candidate_rank] += 1
        assignments.append(
            Assignment(
                candidate=o.candidate,
                position=o.position,
                start=o.stay.start,
                end=o.stay.end,
                mode=o.mode,
                candidate_rank=o.candidate_rank,
                position_rank=o.position_rank,
                allowance=o.allowance,
                cost=o.cost,
                covered=o.covered,
                uncovered=o.uncovered,
                payer_costs=o.payer_costs,
            )
        )
    loads = Usage(ix, chosen)
    months = sorted(set(loads.beds) | set(ix.bed_limit), key=ix.months.__getitem__)
    beds = tuple(BedUse(ix.months[m], loads.beds[m], ix.bed_limit.get(m)) for m in months)
    budget_used = None
    if ix.has_cost and problem.currency is not None:
        budget_used = Money(Decimal(loads.cost).scaleb(ix.cost_unit.adjusted()), problem.currency)
    payer_totals = tuple(
        PayerTotal(
            payer,
            Money(
                Decimal(loads.payer_cost[k]).scaleb(ix.payer_unit[k].adjusted()),
                ix.payer_currency[k],
            ),
            problem.constraints.payer_budget(payer),
        )
        for k, payer in enumerate(ix.payers)
    )
    dist = tuple(
        RankCount(r, ranks[r])
        for r in sorted(ranks, key=lambda r: (r is None, r if r is not None else 0))
    )
    gap = max((lv.gap for lv in levels), default=0.0)
    # The explanations stop early enough for what follows them (the result's
    # validation and counts: about 57 microseconds a candidate measured at
    # 40,000 candidates), so a solve ends within its wall-clock limit.
    until = None if deadline is None else deadline - RESULT_RESERVE * len(ix.cand_ids)
    unplaced = explain(ix, chosen, status, deadline=until)
    # An explained option always has a blocker (at least NOT_CHOSEN).
    short = sum(1 for e in unplaced if not e.ineligible and not any(r.blockers for r in e.reasons))
    if short:
        message = (
            f"{message}; the time limit ran out while explaining: the eligible options of "
            f"{short} unplaced candidates were not examined (a longer or a deterministic "
            "limit explains them all)"
        )
    pairs = blocking_pairs(ix, chosen)
    return Result(
        status=status,
        path=path,
        levels=levels,
        gap=gap,
        wall_time=time.perf_counter() - started,
        assignments=tuple(assignments),
        unplaced=unplaced,
        blocking_pairs=pairs,
        rank_distribution=dist,
        beds_used=beds,
        budget_used=budget_used,
        budget=budget,
        message=message,
        payer_totals=payer_totals,
    )
