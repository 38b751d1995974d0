"""Local search on a feasible solution: augmenting paths and cheaper stays (private).

:func:`improve` raises the folded score of a solution that meets every
constraint and keeps it feasible. It is what closes most of the gap between
the greedy and the Lagrangian bound on problems where seats, the budget and
beds bind together (issue 18):

* **Augmenting paths on seats.** An unplaced candidate takes an option at a
  full position; an occupant of that position moves to another of its
  options, which may displace another occupant, and so on until a position
  with a free seat is reached (Kuhn's algorithm, with the positions visited
  in a round shared by the searches of that round). The greedy fills popular
  positions with candidates who could have gone elsewhere; these paths move
  them.
* **Better options for the placed (welfare, when asked for).** Once the
  placements are made, the same paths start from placed candidates: one takes an option
  that scores more at another position, occupants move on along the path;
  everyone on it stays placed, so the number placed never falls and the
  score (welfare, at the same placements) rises (issue 17).
* **Cheaper stays to make room.** When the path's last option does not fit
  because the budget or a month's beds are full, placed candidates (not on
  the path, not pinned) move to options that use less of that row, the
  cheapest loss of score per unit freed first, while the path still gains.

Every move is applied through :class:`~sgcq.matching._limits.Usage` and
undone unless the solution still fits every upper limit, keeps every lower
limit and maximum share, and scores strictly more; so the result is never
worse than its start, and the search ends. The work is bounded: each round
visits every position at most once per search, rounds stop when none gains,
and ``rounds`` and ``deadline`` cap them, as does a count of steps of work
(``WORK_PER_OPTION`` per option: the options a path looks at and the moves a
shortfall reads). Without a wall-clock ``deadline`` the result depends only
on the input, so solves with a deterministic limit repeat exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sgcq.matching._index import UNPLACED, Index, RowKind
from sgcq.matching._limits import Usage

__all__ = ["improve"]

#: The longest chain of displaced occupants one augmenting path may have.
MAX_DEPTH = 32
#: How many candidate moves one shortfall of budget or beds may try (gone ones not counted).
MOVES_PER_SHORTFALL = 400
#: Rounds of augmenting searches at most (a round that gains nothing ends it).
MAX_ROUNDS = 50
#: Steps of work (options looked at on a path, moves read for a shortfall)
#: the search may take per option of the problem. The cap holds when there is
#: no wall-clock deadline (a deterministic limit), so the search's time is
#: bounded by the problem's size; it counts steps, not seconds, so results
#: repeat exactly. The instances of ``benchmarks/`` end far below it.
WORK_PER_OPTION = 100

_Step = tuple[int, int]  # (candidate, the option it takes)


class _Search:
    """The state of one local search: a :class:`Usage`, who sits where, the moves."""

    def __init__(self, ix: Index, chosen: list[int], score: list[int]) -> None:
        self.ix = ix
        self.score = score
        self.state = Usage(ix, chosen)
        self.chosen = self.state.chosen
        self.pinned = {c for c, _ in ix.pins}
        self.occupants: list[list[int]] = [[] for _ in ix.pos_ids]
        for c, i in enumerate(self.chosen):
            if i != UNPLACED:
                self.occupants[ix.pos_of[i]].append(c)
        forbidden = ix.forbidden
        # Each candidate's options, best score first (ties in the index's order).
        self.options = [
            sorted((i for i in opts if i not in forbidden), key=lambda i: -score[i])
            for opts in ix.by_cand
        ]
        rows = ix.rows
        # Rows a move can break that fits() does not check: lower limits
        # (minimum counts, shares, sizes, pins) and maximum shares.
        self.checked = [
            r
            for r, row in enumerate(rows)
            if not row.redundant
            and (row.lo is not None or (row.hi is not None and not row.monotone))
        ]
        self.moves: dict[int, list[tuple[float, int, int, int]]] = {}
        self.move_at: dict[int, int] = {}
        #: Per row, how many gone moves the scans have passed over since the
        #: list was last compacted.
        self.skipped: dict[int, int] = {}
        #: Steps of work done, and the most allowed (see WORK_PER_OPTION).
        self.work = 0
        self.max_work = WORK_PER_OPTION * max(1, len(ix.cand_of))

    # -- seats -------------------------------------------------------------

    def free_seat(self, p: int) -> bool:
        """Whether position ``p`` has a seat left (or no seat limit)."""
        r = self.ix.seat_row[p]
        if r < 0:
            return True
        hi = self.ix.rows[r].hi
        return hi is None or self.state.act[r] < hi

    def path(self, c: int, depth: int, visited: bytearray) -> list[_Step] | None:
        """Return an augmenting path that gives ``c`` a new option, or ``None``."""
        ix = self.ix
        cur = self.chosen[c]
        here = ix.pos_of[cur] if cur != UNPLACED else -1
        self.work += len(self.options[c])
        for j in self.options[c]:
            p = ix.pos_of[j]
            if visited[p] or p == here:
                continue
            visited[p] = 1
            if self.free_seat(p):
                return [(c, j)]
            if depth < MAX_DEPTH:
                for e in self.occupants[p]:
                    if e in self.pinned:
                        continue
                    rest = self.path(e, depth + 1, visited)
                    if rest is not None:
                        return [(c, j), *rest]
        return None

    # -- applying and undoing ----------------------------------------------

    def move(self, log: list[tuple[int, int]], i: int, sign: int) -> None:
        """Add (``sign=-1``: remove) option ``i`` and record it in ``log``."""
        self.state.add(i, sign)
        log.append((sign, i))
        c = self.ix.cand_of[i]
        if sign > 0:
            self.occupants[self.ix.pos_of[i]].append(c)
        else:
            self.occupants[self.ix.pos_of[i]].remove(c)

    def undo(self, log: list[tuple[int, int]]) -> None:
        """Undo the moves in ``log``, last first."""
        for sign, i in reversed(log):
            self.state.add(i, -sign)
            c = self.ix.cand_of[i]
            if sign > 0:
                self.occupants[self.ix.pos_of[i]].remove(c)
            else:
                self.occupants[self.ix.pos_of[i]].append(c)

    def full_row(self, i: int) -> int | None:
        """Return the budget or bed row that option ``i`` does not fit into, if one."""
        ix = self.ix
        state = self.state
        rows = ix.rows
        r = ix.budget_row
        if r >= 0:
            hi = rows[r].hi
            if hi is not None and state.act[r] + ix.cost[i] > hi:
                return r
        for k, r in enumerate(ix.payer_row):
            if r >= 0:
                hi = rows[r].hi
                if hi is not None and state.act[r] + ix.payer_cost[k][i] > hi:
                    return r
        for m in ix.opt_months[i]:
            r = ix.bed_row.get(m, -1)
            if r >= 0:
                hi = rows[r].hi
                if hi is not None and state.act[r] + 1 > hi:
                    return r
        return None

    def use(self, r: int, i: int) -> int:
        """Return how much of row ``r`` (budget or beds) option ``i`` uses."""
        ix = self.ix
        if r == ix.budget_row:
            return ix.cost[i]
        row = ix.rows[r]
        if row.kind is RowKind.PAYER_BUDGET:
            return ix.payer_cost[row.at][i]
        return 1 if ix.rows[r].at in ix.opt_months[i] else 0

    def make_moves(self, r: int) -> list[tuple[float, int, int, int]]:
        """Return the moves that free row ``r``, cheapest loss per unit freed first.

        Built once per round and row: ``(loss per unit, candidate, from, to)``
        for every placed, unpinned candidate and every option of theirs at
        the same position or one with a free seat that uses less of ``r``.
        """
        if r in self.moves:
            return self.moves[r]
        ix = self.ix
        score = self.score
        out: list[tuple[float, int, int, int]] = []
        for d, cur in enumerate(self.chosen):
            if cur == UNPLACED or d in self.pinned:
                continue
            held = self.use(r, cur)
            if held <= 0:
                continue
            p = ix.pos_of[cur]
            for j in self.options[d]:
                freed = held - self.use(r, j)
                if freed > 0 and (ix.pos_of[j] == p or self.free_seat(ix.pos_of[j])):
                    out.append(((score[cur] - score[j]) / freed, d, cur, j))
        out.sort()
        self.moves[r] = out
        self.move_at[r] = 0
        return out

    def make_room(
        self,
        log: list[tuple[int, int]],
        j: int,
        on_path: set[int],
        gain: int,
        cursor: dict[int, int],
    ) -> int | None:
        """Move placed candidates to options that free room for ``j``; return the gain left.

        Returns ``None`` (with the moves still in ``log``, for the caller to
        undo) when no affordable set of moves makes ``j`` fit. Candidates
        moved are added to ``on_path``, so each moves at most once per path
        and the search ends. ``cursor`` holds, per row, how far this path's
        search has read that row's moves: the next shortfall reads on from
        there, not again from the start.
        """
        state = self.state
        ix = self.ix
        score = self.score
        while not state.fits(j):
            r = self.full_row(j)
            if r is None:
                return None  # a seat, host cap, quota or size limit: no move frees it
            moves = self.make_moves(r)
            k = self.move_at[r]
            while k < len(moves) and self.chosen[moves[k][1]] != moves[k][2]:
                k += 1  # moves whose candidate has moved on are gone for this round
            self.move_at[r] = k
            k = max(k, cursor.get(r, 0))
            # Moves that are gone (the candidate moved on, or the seat it would
            # take is full) are passed over cheaply; only the moves actually
            # tried count towards the limit.
            tries = MOVES_PER_SHORTFALL
            moved = False
            gone = 0
            while k < len(moves) and tries > 0:
                _, d, cur, alt = moves[k]
                k += 1
                if d in on_path or self.chosen[d] != cur:
                    gone += 1
                    continue
                if ix.pos_of[alt] != ix.pos_of[cur] and not self.free_seat(ix.pos_of[alt]):
                    gone += 1
                    continue
                tries -= 1
                loss = score[cur] - score[alt]
                if loss >= gain:
                    continue
                self.move(log, cur, -1)
                if state.fits(alt):
                    self.move(log, alt, 1)
                    gain -= loss
                    # Each candidate moves at most once per path: the moves of
                    # different rows could otherwise undo each other forever.
                    on_path.add(d)
                    moved = True
                    break
                self.move(log, cur, 1)  # it does not fit: back where it was
            cursor[r] = k
            self.skipped[r] = self.skipped.get(r, 0) + gone
            self.work += gone + MOVES_PER_SHORTFALL - tries
            if not moved:
                return None
        return gain

    def compact(self) -> None:
        """Drop the gone moves from every list that scans have passed over often.

        Called between paths, when the solution is the committed one: a move
        is gone when its candidate has moved on or the seat it would take is
        full. Without this, each shortfall reads past the same gone moves
        again, which at 40,000 candidates is most of the search's time.
        """
        ix = self.ix
        for r, moves in self.moves.items():
            if self.skipped.get(r, 0) <= max(1000, len(moves) // 4):
                continue
            moves[:] = [
                m
                for m in moves
                if self.chosen[m[1]] == m[2]
                and (ix.pos_of[m[3]] == ix.pos_of[m[2]] or self.free_seat(ix.pos_of[m[3]]))
            ]
            self.move_at[r] = 0
            self.skipped[r] = 0

    def apply(self, steps: list[_Step]) -> bool:
        """Apply an augmenting path if the result is feasible and scores more; say if it did."""
        score = self.score
        olds = [self.chosen[c] for c, _ in steps]
        gain = sum(score[j] for _, j in steps) - sum(score[o] for o in olds if o != UNPLACED)
        if gain <= 0:
            return False
        self.compact()
        log: list[tuple[int, int]] = []
        for o in olds:
            if o != UNPLACED:
                self.move(log, o, -1)
        on_path = {c for c, _ in steps}
        cursor: dict[int, int] = {}
        # The last step takes the free seat; each earlier one takes the seat
        # the next step vacated.
        for _, j in reversed(steps):
            left = self.make_room(log, j, on_path, gain, cursor)
            if left is None:
                self.undo(log)
                return False
            gain = left
            self.move(log, j, 1)
        if gain <= 0 or any(self.state.broken(r) for r in self.checked):
            self.undo(log)
            return False
        return True

    def spent(self, deadline: float | None, stop: Callable[[], bool] | None) -> bool:
        """Whether the search must end: its work cap, the deadline or a stop request."""
        return (
            self.work >= self.max_work
            or (deadline is not None and time.perf_counter() > deadline)
            or (stop is not None and stop())
        )

    def round(self, deadline: float | None, stop: Callable[[], bool] | None) -> int:
        """Search once from every unplaced candidate; return how many were placed."""
        self.moves.clear()
        self.move_at.clear()
        self.skipped.clear()
        ix = self.ix
        visited = bytearray(len(ix.pos_ids))
        free = [
            c for c in range(len(ix.cand_ids)) if self.chosen[c] == UNPLACED and self.options[c]
        ]
        free.sort(key=lambda c: (-self.score[self.options[c][0]], c))
        gained = 0
        for c in free:
            if self.spent(deadline, stop):
                break
            steps = self.path(c, 0, visited)
            if steps is not None and self.apply(steps):
                gained += 1
        return gained

    def welfare_round(self, deadline: float | None, stop: Callable[[], bool] | None) -> int:
        """Search once from every placed candidate for a better option; return the gains.

        The same augmenting paths, started from a placed candidate: it takes
        an option that scores more at another position, occupants move on
        along the path, and the move is kept only if the whole solution
        still meets every constraint and scores strictly more (the number
        placed never falls: every candidate on the path stays placed).
        """
        self.moves.clear()
        self.move_at.clear()
        self.skipped.clear()
        ix = self.ix
        score = self.score
        visited = bytearray(len(ix.pos_ids))
        placed = [
            c
            for c in range(len(ix.cand_ids))
            if self.chosen[c] != UNPLACED
            and c not in self.pinned
            and self.options[c]
            and score[self.options[c][0]] > score[self.chosen[c]]
        ]
        # The largest possible gain first.
        placed.sort(key=lambda c: (-(score[self.options[c][0]] - score[self.chosen[c]]), c))
        gained = 0
        for c in placed:
            if self.spent(deadline, stop):
                break
            steps = self.path(c, 0, visited)
            if steps is not None and self.apply(steps):
                gained += 1
        return gained


def improve(
    ix: Index,
    chosen: list[int],
    score: list[int],
    *,
    deadline: float | None = None,
    rounds: int = MAX_ROUNDS,
    stop: Callable[[], bool] | None = None,
    work_per_option: int = WORK_PER_OPTION,
    welfare: bool = False,
) -> list[int]:
    """Return a solution that scores at least as much as ``chosen`` and stays feasible.

    Parameters
    ----------
    ix
        The indexed problem.
    chosen
        A solution that meets every constraint (option per candidate, -1
        unplaced).
    score
        The maximised per-option score (the folded first level group).
    deadline
        A :func:`time.perf_counter` value after which no new search starts.
    rounds
        The most rounds of augmenting searches.
    stop
        Asked before each search; when it returns true the search ends with
        what it has (a progress callback's stop, Ctrl-C).
    work_per_option
        Steps of work allowed per option of the problem; the search ends
        with what it has once they are spent.
    welfare
        Whether, after the placement rounds, paths also start from placed
        candidates for score alone (the number placed stays).

    Returns
    -------
    list[int]
        The improved solution (a new list; ``chosen`` is not changed).
    """
    search = _Search(ix, list(chosen), score)
    search.max_work = work_per_option * max(1, len(ix.cand_of))
    for _ in range(rounds):
        if search.spent(deadline, stop) or search.round(deadline, stop) == 0:
            break
    # Then the same paths from placed candidates, for score alone (welfare,
    # once the placements are as the rounds above left them).
    for _ in range(rounds if welfare else 0):
        if search.spent(deadline, stop) or search.welfare_round(deadline, stop) == 0:
            break
    return search.chosen
