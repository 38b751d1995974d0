"""Hypothesis strategies for every sgcq model, valid by construction.

Every strategy here produces objects that pass the models' own validation, and
:func:`scenarios` builds whole :class:`~sgcq.models.Scenario` objects whose
cross-references all resolve. Keyword arguments ("knobs") narrow what is
drawn: sizes, date bounds, currencies, modes, roles, the ids that references
may point at. A knob that cannot be satisfied raises
:class:`hypothesis.errors.InvalidArgument` when the strategy is built.

Ids are short and numbered (``"u0"`` universities, ``"h0"`` hosts, ``"o0"``
other organisations, ``"prog0"`` programmes, ``"k0"`` cohorts, ``"c0"``
candidates, ``"p0"`` positions) and every size shrinks towards zero, so a
failing example shrinks to something small and readable.

Import the strategies from this package (its private modules mirror
:mod:`sgcq.models`, one per model module, plus one for identifiers and names
and one for the matching inputs: scenarios feasible by construction with a
witness assignment, cases infeasible on purpose, and synthetic
:class:`~sgcq.matching.Problem` objects). The modules are private so that a
module never shadows the strategy of the same name (``money``, ``dates``, ...).

The package needs Hypothesis (the ``testing`` extra: ``pip install
"sgcq[testing]"``; without it, importing the package raises
:class:`~sgcq.errors.MissingExtraError` saying so) but not pytest, and it does
not import :mod:`sgcq.matching` (nor OR-Tools) until a problem is drawn.

:func:`options` draws options (a candidate, a position and a stay in one
scenario) that the rule book can always evaluate, so a property over verdicts
checks one in every example.

Examples
--------
>>> from hypothesis import given
>>> from sgcq.testing import strategies as sst
>>> @given(sst.money(currencies=("SGD",)))
... def test_adding_zero(m):
...     assert m + m.zero("SGD") == m
>>> test_adding_zero()
"""

from sgcq.testing._extra import require

require("hypothesis", "sgcq.testing.strategies")

# The imports below need Hypothesis, checked above.
from sgcq.testing.strategies._candidates import (  # noqa: E402
    DOCUMENT_KINDS,
    FIELD_TAGS,
    LANGUAGE_TAGS,
    SKILL_TAGS,
    candidates,
    documents,
    study_statuses,
)
from sgcq.testing.strategies._citations import citations  # noqa: E402
from sgcq.testing.strategies._cohorts import (  # noqa: E402
    cohorts,
    counts,
    monthly_beds,
    quota_limits,
    quotas,
    shares,
)
from sgcq.testing.strategies._dates import (  # noqa: E402
    MAX_DATE,
    MIN_DATE,
    TIMEZONES,
    date_ranges,
    dates,
    duration_bounds,
    durations,
    timestamps,
    year_months,
)
from sgcq.testing.strategies._matching import (  # noqa: E402
    INFEASIBLE_KINDS,
    MatchingCase,
    infeasible_matching_cases,
    matching_cases,
    problems,
)
from sgcq.testing.strategies._measures import measures  # noqa: E402
from sgcq.testing.strategies._modes import hybrid_splits  # noqa: E402
from sgcq.testing.strategies._money import CURRENCIES, exchange_rates, money, rate_tables  # noqa: E402
from sgcq.testing.strategies._options import OptionCase, options  # noqa: E402
from sgcq.testing.strategies._parties import COUNTRIES, locations, organisations  # noqa: E402
from sgcq.testing.strategies._placements import placements, status_changes  # noqa: E402
from sgcq.testing.strategies._positions import (  # noqa: E402
    allowances,
    positions,
    start_dates,
    start_rules,
    start_windows,
)
from sgcq.testing.strategies._preferences import rankings  # noqa: E402
from sgcq.testing.strategies._programmes import (  # noqa: E402
    PLACING_KINDS,
    benefits,
    fundings,
    housing_terms,
    observations,
    partners,
    programmes,
    targets,
)
from sgcq.testing.strategies._scenario import scenarios  # noqa: E402
from sgcq.testing.strategies._text import identifiers, names  # noqa: E402

__all__ = [
    "COUNTRIES",
    "CURRENCIES",
    "DOCUMENT_KINDS",
    "FIELD_TAGS",
    "INFEASIBLE_KINDS",
    "LANGUAGE_TAGS",
    "MAX_DATE",
    "MIN_DATE",
    "PLACING_KINDS",
    "SKILL_TAGS",
    "TIMEZONES",
    "MatchingCase",
    "OptionCase",
    "allowances",
    "benefits",
    "candidates",
    "citations",
    "cohorts",
    "counts",
    "date_ranges",
    "dates",
    "documents",
    "duration_bounds",
    "durations",
    "exchange_rates",
    "fundings",
    "housing_terms",
    "hybrid_splits",
    "identifiers",
    "infeasible_matching_cases",
    "locations",
    "matching_cases",
    "measures",
    "money",
    "monthly_beds",
    "names",
    "observations",
    "options",
    "organisations",
    "partners",
    "placements",
    "positions",
    "problems",
    "programmes",
    "quota_limits",
    "quotas",
    "rankings",
    "rate_tables",
    "scenarios",
    "shares",
    "start_dates",
    "start_rules",
    "start_windows",
    "status_changes",
    "study_statuses",
    "targets",
    "timestamps",
    "year_months",
]
