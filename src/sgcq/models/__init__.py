"""The domain model: plain, frozen, validated data with no I/O.

Every class here is an immutable attrs class whose constructor validates its
fields and raises :class:`~sgcq.models.errors.ModelValidationError` naming the
bad value's path. Instances are hashable, picklable and round-trip through
:mod:`sgcq.serialization` without loss.
"""

from sgcq.models.candidates import Candidate, Degree, Document, StudyStatus, personal_fields
from sgcq.models.citations import Citation, Confidence
from sgcq.models.cohorts import (
    Cohort,
    Count,
    MonthlyBeds,
    PayerBudget,
    Quota,
    QuotaDimension,
    QuotaLimit,
    Share,
    YearCap,
)
from sgcq.models.dates import (
    DateRange,
    Duration,
    DurationBounds,
    DurationUnit,
    MonthRounding,
    YearMonth,
    add_months,
    months_between,
)
from sgcq.models.errors import (
    CurrencyMismatchError,
    FieldError,
    ModelValidationError,
    RateNotFoundError,
    SgcqError,
    TransitionError,
)
from sgcq.models.measures import Measure, closing_measures, measure_closes
from sgcq.models.modes import HybridSplit, Mode, Phase, SegmentPlan, SegmentSpec, StaySegment
from sgcq.models.money import (
    CURRENCY_MINOR_UNITS,
    ExchangeRate,
    Money,
    RateTable,
    Rounding,
    minor_unit,
)
from sgcq.models.parties import (
    KNOWN_ZONES,
    SENDING_ROLES,
    ZONE_CHONGQING_PILOT_FTZ,
    ZONE_XIANTAO_BIG_DATA_VALLEY,
    EducationKind,
    Location,
    Organisation,
    Role,
)
from sgcq.models.placements import (
    OPEN_STATUSES,
    TRANSITIONS,
    Placement,
    PlacementLink,
    PlacementStatus,
    StatusChange,
)
from sgcq.models.positions import Allowance, Position, StartDates, StartRule, StartWindow
from sgcq.models.preferences import Ranking
from sgcq.models.programmes import (
    Benefits,
    Direction,
    Funding,
    HousingTerms,
    Partner,
    Programme,
    ProgrammeKind,
)
from sgcq.models.scenario import Scenario
from sgcq.models.targets import (
    Comparator,
    Indicator,
    Observation,
    Quantity,
    Target,
    parse_requirement,
)

__all__ = [
    "CURRENCY_MINOR_UNITS",
    "KNOWN_ZONES",
    "OPEN_STATUSES",
    "SENDING_ROLES",
    "TRANSITIONS",
    "ZONE_CHONGQING_PILOT_FTZ",
    "ZONE_XIANTAO_BIG_DATA_VALLEY",
    "Allowance",
    "Benefits",
    "Candidate",
    "Citation",
    "Cohort",
    "Comparator",
    "Confidence",
    "Count",
    "CurrencyMismatchError",
    "DateRange",
    "Degree",
    "Direction",
    "Document",
    "Duration",
    "DurationBounds",
    "DurationUnit",
    "EducationKind",
    "ExchangeRate",
    "FieldError",
    "Funding",
    "HousingTerms",
    "HybridSplit",
    "Indicator",
    "Location",
    "Measure",
    "Mode",
    "ModelValidationError",
    "Money",
    "MonthRounding",
    "MonthlyBeds",
    "Observation",
    "Organisation",
    "Partner",
    "PayerBudget",
    "Phase",
    "Placement",
    "PlacementLink",
    "PlacementStatus",
    "Position",
    "Programme",
    "ProgrammeKind",
    "Quantity",
    "Quota",
    "QuotaDimension",
    "QuotaLimit",
    "Ranking",
    "RateNotFoundError",
    "RateTable",
    "Role",
    "Rounding",
    "Scenario",
    "SegmentPlan",
    "SegmentSpec",
    "SgcqError",
    "Share",
    "StartDates",
    "StartRule",
    "StartWindow",
    "StatusChange",
    "StaySegment",
    "StudyStatus",
    "Target",
    "TransitionError",
    "YearCap",
    "YearMonth",
    "add_months",
    "closing_measures",
    "measure_closes",
    "minor_unit",
    "months_between",
    "parse_requirement",
    "personal_fields",
]
