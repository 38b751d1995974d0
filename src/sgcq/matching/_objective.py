"""The whole lexicographic objective as integers: levels, groups, weights, values, bounds (private).

A level's value is a sum over the chosen options of a per-option coefficient
(PLACED, PRIORITY_PLACED, the two welfares, COST, DISRUPTION), or the number of
blocking pairs. Levels that are sums over options are folded into one weighted
score when the weights stay exact (``docs/decisions/0010-objective-levels.md``);
CP-SAT solves the resulting groups one after another, min-cost flow and the
Lagrangian relaxation maximise one folded score. Everything a stage needs to
know about the objective is here.
"""

from __future__ import annotations

from typing import cast

from sgcq.matching._index import UNPLACED, Index
from sgcq.matching._stability import blocking_pairs
from sgcq.matching.elements import Objective, Stability
from sgcq.matching.result import LevelValue

__all__ = [
    "FLOW_LIMIT",
    "LIMIT",
    "PER_OPTION_LEVELS",
    "exact_levels",
    "folded_group_values",
    "group_values",
    "level_coefficients",
    "level_groups",
    "level_range",
    "level_value",
    "lex_weights",
    "maximised",
    "objective_levels",
    "per_option_score",
    "value",
]

#: Levels whose value is a sum over chosen options of a non-negative coefficient.
PER_OPTION_LEVELS = frozenset(
    {
        Objective.PLACED,
        Objective.PRIORITY_PLACED,
        Objective.CANDIDATE_WELFARE,
        Objective.POSITION_WELFARE,
        Objective.COST,
        Objective.DISRUPTION,
        Objective.MODE_PREFERENCE,
    }
)

#: Largest combined objective magnitude accepted when folding levels together
#: for CP-SAT (exact in a double) and for min-cost flow (whose cost scaling
#: multiplies costs by the number of nodes, so it needs more headroom).
LIMIT = 2**53
FLOW_LIMIT = 2**40


def objective_levels(ix: Index) -> list[Objective]:
    """Return the levels to solve: MIN_BLOCKING puts BLOCKING_PAIRS first unless listed."""
    levels = list(ix.problem.objectives)
    if ix.problem.stability is Stability.MIN_BLOCKING and Objective.BLOCKING_PAIRS not in levels:
        levels.insert(0, Objective.BLOCKING_PAIRS)
    return levels


def _coefficients(ix: Index, objective: Objective) -> list[int]:
    """Return the per-option coefficient of a level (DISRUPTION and BLOCKING excluded)."""
    if objective is Objective.PLACED:
        return [1] * len(ix.options)
    if objective is Objective.PRIORITY_PLACED:
        return [ix.priority[c] for c in ix.cand_of]
    if objective is Objective.CANDIDATE_WELFARE:
        w = ix.worst_crank + 1
        return [w - r for r in ix.crank]
    if objective is Objective.POSITION_WELFARE:
        w = ix.worst_prank + 1
        return [w - r for r in ix.prank]
    if objective is Objective.COST:
        return list(ix.cost)
    if objective is Objective.MODE_PREFERENCE:
        # A placement scores the number of modes its position lists after the chosen one.
        modes = [p.modes for p in ix.problem.positions]
        out = []
        for o, p in zip(ix.options, ix.pos_of, strict=True):
            listed = modes[p]
            out.append(len(listed) - 1 - listed.index(o.mode) if o.mode in listed else 0)
        return out
    raise ValueError(f"{objective.value} has no per-option coefficients")


def level_coefficients(ix: Index, objective: Objective) -> list[int]:
    """Return non-negative per-option coefficients of a per-option level (cached; read only).

    DISRUPTION is expressed as the number of earlier placements an option
    keeps (maximised); every other level by its own coefficient.
    """
    key = ("coefficients", objective)
    if key not in ix.memo:
        if objective is Objective.DISRUPTION:
            kept = [0] * len(ix.options)
            for opts in ix.previous:
                for i in opts:
                    kept[i] += 1
            ix.memo[key] = kept
        else:
            ix.memo[key] = _coefficients(ix, objective)
    return cast("list[int]", ix.memo[key])


def value(ix: Index, objective: Objective, chosen: list[int]) -> int:
    """Return a level's value for a solution."""
    picked = [i for i in chosen if i != UNPLACED]
    if objective is Objective.DISRUPTION:
        at = set(picked)
        return sum(1 for opts in ix.previous if not at.intersection(opts))
    if objective is Objective.BLOCKING_PAIRS:
        return len(blocking_pairs(ix, chosen))
    coef = level_coefficients(ix, objective)
    return sum(coef[i] for i in picked)


def level_range(ix: Index, objective: Objective) -> int:
    """Return the largest value a per-option level can take: each candidate's best, summed."""
    key = ("range", objective)
    if key not in ix.memo:
        coef = level_coefficients(ix, objective)
        ix.memo[key] = sum(max(coef[i] for i in opts) for opts in ix.by_cand if opts)
    return cast(int, ix.memo[key])


def maximised(objective: Objective) -> bool:
    """Whether the per-option coefficients of a level are maximised."""
    return objective.maximise or objective is Objective.DISRUPTION


def lex_weights(ix: Index, levels: list[Objective], limit: int = LIMIT) -> list[int] | None:
    """Return weights that make a weighted sum of ``levels`` lexicographic, or ``None``.

    With ``R_l`` the largest value level ``l`` can take (each candidate's
    largest coefficient, summed), the weight of level ``j`` is the product of
    ``R_l + 1`` over the later levels; the later levels together then move the
    sum by less than one unit of level ``j``. ``None`` when the product would
    pass ``limit``.
    """
    ranges = [level_range(ix, obj) for obj in levels]
    weights = [1] * len(levels)
    acc = 1
    for j in range(len(levels) - 1, -1, -1):
        weights[j] = acc
        acc *= ranges[j] + 1
        if acc > limit:
            return None
    return weights


def per_option_score(ix: Index, levels: list[Objective], limit: int = LIMIT) -> list[int] | None:
    """Return one maximised per-option score equivalent to ``levels`` in order, or ``None``.

    Cached per problem; callers must not modify the list.
    """
    key = ("score", tuple(levels), limit)
    if key not in ix.memo:
        ix.memo[key] = _per_option_score(ix, levels, limit)
    return cast("list[int] | None", ix.memo[key])


def _per_option_score(ix: Index, levels: list[Objective], limit: int) -> list[int] | None:
    weights = lex_weights(ix, levels, limit)
    if weights is None:
        return None
    score = [0] * len(ix.options)
    for obj, w in zip(levels, weights, strict=True):
        sign = 1 if maximised(obj) else -1
        coef = level_coefficients(ix, obj)
        for i, c in enumerate(coef):
            if c:
                score[i] += sign * w * c
    return score


def level_groups(
    ix: Index, levels: list[Objective] | None = None, limit: int = LIMIT
) -> list[list[Objective]]:
    """Return the levels grouped into the weighted solves CP-SAT runs one after another.

    ``levels`` defaults to :func:`objective_levels`; a group's folded score
    stays within ``limit`` (the MIP stage asks for less than CP-SAT).
    """
    if levels is None:
        levels = objective_levels(ix)
    groups: list[list[Objective]] = []
    for obj in levels:
        last = groups[-1] if groups else None
        if (
            last is not None
            and obj in PER_OPTION_LEVELS
            and all(o in PER_OPTION_LEVELS for o in last)
            and lex_weights(ix, [*last, obj], limit) is not None
        ):
            last.append(obj)
        else:
            groups.append([obj])
    return groups


def exact_levels(ix: Index, chosen: list[int], proven: bool) -> tuple[LevelValue, ...]:
    """Return every level's value; proven levels have their value as bound.

    Unproven levels get the trivial bound (the level's range when maximised, 0
    when minimised).
    """
    out = []
    for obj in objective_levels(ix):
        got = value(ix, obj, chosen)
        if proven:
            out.append(LevelValue(obj.value, got, got, True))
        else:
            trivial = level_range(ix, obj) if obj.maximise else 0
            out.append(LevelValue(obj.value, got, max(trivial, got) if obj.maximise else 0, False))
    return tuple(out)


def group_values(
    ix: Index,
    group: list[Objective],
    weights: list[int],
    chosen: list[int],
    bound: int | None,
    proven: bool,
) -> list[LevelValue]:
    """Return the values and bounds of a folded group's levels.

    ``bound`` bounds the group's weighted (maximised) score; each level's
    bound follows from it and the values of the levels before it.
    """
    values = []
    prefix = 0
    # The most the levels after each one can take off the weighted sum: only
    # minimised levels (costs) count negatively.
    after = [0] * len(group)
    for j in range(len(group) - 1, 0, -1):
        obj = group[j]
        drop = 0
        if obj is not Objective.BLOCKING_PAIRS and not maximised(obj):
            drop = weights[j] * level_range(ix, obj)
        after[j - 1] = after[j] + drop
    for j, (obj, w) in enumerate(zip(group, weights, strict=True)):
        remaining = None if bound is None else bound - prefix
        values.append(level_value(ix, obj, chosen, proven, remaining, w, after[j]))
        if obj is not Objective.BLOCKING_PAIRS:
            coef = level_coefficients(ix, obj)
            raw = sum(coef[i] for i in chosen if i != UNPLACED)
            prefix += (1 if maximised(obj) else -1) * w * raw
    return values


def level_value(
    ix: Index,
    obj: Objective,
    chosen: list[int],
    proven: bool,
    remaining: int | None,
    weight: int,
    later: int | None = None,
) -> LevelValue:
    """Return a level's value and bound.

    ``remaining`` is the group's weighted bound minus the weighted values
    of the group's earlier levels (``None``: no bound known). A solution
    at least as good lexicographically has this level's weighted
    coefficient sum at most ``remaining + later``, where ``later`` is the
    most the group's later levels can take off the sum (less than one
    weight; ``weight - 1`` when not given), which gives the bound.
    """
    got = value(ix, obj, chosen)
    if proven:
        return LevelValue(obj.value, got, got, True)
    if obj is Objective.BLOCKING_PAIRS:
        b = max(0, -remaining) if remaining is not None else 0
        return LevelValue(obj.value, got, min(b, got), False)
    top = level_range(ix, obj)
    slack = weight - 1 if later is None else later
    best = top if remaining is None else (remaining + slack) // weight
    if obj is Objective.DISRUPTION:
        b = len(ix.previous) - min(best, top)
    elif maximised(obj):
        b = min(best, top)
    else:
        b = max(-best, 0) if remaining is not None else 0
    b = max(b, got) if obj.maximise else min(b, got)
    return LevelValue(obj.value, got, b, False)


def folded_group_values(
    ix: Index, chosen: list[int], bound: int | None, proven: bool
) -> list[LevelValue]:
    """Return the first group's values (bounded by ``bound``) and every later level's value.

    For a solution found without CP-SAT's per-group solves (the Lagrangian
    stage): only the first group has a bound; the later levels are not proven.
    """
    levels = objective_levels(ix)
    first = level_groups(ix, levels)[0]
    weights = lex_weights(ix, first)
    assert weights is not None  # only foldable groups get here
    values = group_values(ix, first, weights, chosen, bound, proven)
    done = {v.objective for v in values}
    values += [level_value(ix, o, chosen, False, None, 1) for o in levels if o.value not in done]
    return values
