"""The placement scheduler: build a problem, solve it, explain the result.

:class:`Problem` turns a scenario's cohort (or synthetic data) into sparse
options and exclusions with reasons; :func:`solve` runs min-cost flow or
deferred acceptance when one is exact for the problem, and otherwise the
Lagrangian bound with a greedy solution and then CP-SAT (the solve stages of
:mod:`sgcq.matching.stages`), and returns a :class:`Result` that explains
every unplaced candidate. See ``docs/matching.md``; ``docs/architecture.md``
says which module does what.
"""

from sgcq.matching.errors import (
    MatchingError,
    ModelInvalidError,
    StartError,
    UnsupportedPathError,
)
from sgcq.matching.problem import (
    DEFAULT_OBJECTIVES,
    Constraints,
    CostPart,
    Evaluator,
    Exclusion,
    ForbiddenPair,
    HostCap,
    MatchCandidate,
    MatchPosition,
    Objective,
    Option,
    PayerCost,
    Pin,
    Problem,
    Stability,
)
from sgcq.matching.rematch import AuditRecord, Changes, Move, SeatChange, audit_record, rematch
from sgcq.matching.report import render_report
from sgcq.matching.result import (
    Assignment,
    BedUse,
    Blocker,
    BlockerKind,
    BlockingPair,
    Explanation,
    LevelValue,
    PayerTotal,
    RankCount,
    Result,
    Status,
    UnplacedReason,
)
from sgcq.matching.rounds import (
    ROUND_OBJECTIVES,
    WITHDREW,
    CandidateStanding,
    OfferLine,
    OfferRound,
    Response,
    RoundRecord,
    Standing,
    WaitlistEntry,
    offer_round,
    withdrew,
)
from sgcq.matching.settings import Settings, SolvePath
from sgcq.matching.solve import choose_path, match_scenario, solve

__all__ = [
    "DEFAULT_OBJECTIVES",
    "ROUND_OBJECTIVES",
    "WITHDREW",
    "Assignment",
    "AuditRecord",
    "BedUse",
    "Blocker",
    "BlockerKind",
    "BlockingPair",
    "CandidateStanding",
    "Changes",
    "Constraints",
    "CostPart",
    "Evaluator",
    "Exclusion",
    "Explanation",
    "ForbiddenPair",
    "HostCap",
    "LevelValue",
    "MatchCandidate",
    "MatchPosition",
    "MatchingError",
    "ModelInvalidError",
    "Move",
    "Objective",
    "OfferLine",
    "OfferRound",
    "Option",
    "PayerCost",
    "PayerTotal",
    "Pin",
    "Problem",
    "RankCount",
    "Response",
    "Result",
    "RoundRecord",
    "SeatChange",
    "Settings",
    "SolvePath",
    "Stability",
    "Standing",
    "StartError",
    "Status",
    "UnplacedReason",
    "UnsupportedPathError",
    "WaitlistEntry",
    "audit_record",
    "choose_path",
    "match_scenario",
    "offer_round",
    "rematch",
    "render_report",
    "solve",
    "withdrew",
]
