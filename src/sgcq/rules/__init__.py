"""Effective-dated eligibility and entitlement rules that say why.

* :mod:`sgcq.rules.parameters`: parameters as data, with dated values and references;
* :mod:`sgcq.rules.engine`: the evaluation context, rules, combinators and traces;
* :mod:`sgcq.rules.book`: rule sets chosen by date and the rule book;
* :mod:`sgcq.rules.defaults`: sgcq's own rule sets;
* :mod:`sgcq.rules.evaluate`: :func:`evaluate_option` and :func:`visa_routes`;
* :mod:`sgcq.rules.entitlements`: housing cover and allowance totals with reasons;
* :mod:`sgcq.rules.cases`: rule cases as data;
* :mod:`sgcq.rules.targets`: :func:`progress`, each target's state and projection on a date.

See ``docs/rules/index.md``.
"""

from sgcq.rules.allowance import allowance_cost, month_fractions
from sgcq.rules.book import RuleBook, RuleSet, RuleSetKind, UnknownRuleError, VisaRoutes
from sgcq.rules.cases import CaseError, CaseResult, RuleCase, load_cases, run_case
from sgcq.rules.engine import (
    AllOf,
    AnyOf,
    Check,
    Context,
    Exceptions,
    Not,
    Override,
    Presence,
    Rule,
    RuleConflictError,
    Trace,
    all_of,
    any_of,
    exceptions,
    find_rule,
    not_,
    replace_rule,
)
from sgcq.rules.entitlements import (
    AllowanceTotals,
    HousingCover,
    budget_check,
    cohort_allowance,
    default_housing_terms,
    housing_cover,
    payer_amounts,
    placement_allowance,
    uncovered_cost,
    visa_needed,
)
from sgcq.rules.evaluate import (
    OptionVerdict,
    RouteResult,
    VisaAssessment,
    default_rulebook,
    evaluate_candidate,
    evaluate_option,
    explain_option,
    kind_reason,
    option_context,
    visa_countries,
    visa_routes,
)
from sgcq.rules.housing import CoverSplit, bed_months, split_cover
from sgcq.rules.parameters import (
    Parameter,
    ParameterError,
    ParameterSet,
    ParameterValue,
    StaleParameter,
    default_parameters,
    load_parameters,
)
from sgcq.rules.stays import shorter_stays, stay_for
from sgcq.rules.targets import (
    IndicatorStatus,
    ProgressReport,
    ProgressState,
    Projection,
    TargetProgress,
    progress,
    target_progress,
)
from sgcq.rules.tasks import Task, TaskKind, tasks_for, tasks_to_csv, tasks_to_ical
from sgcq.rules.verdicts import Fact, Outcome, Reason, Verdict

__all__ = [
    "AllOf",
    "AllowanceTotals",
    "AnyOf",
    "CaseError",
    "CaseResult",
    "Check",
    "Context",
    "CoverSplit",
    "Exceptions",
    "Fact",
    "HousingCover",
    "IndicatorStatus",
    "Not",
    "OptionVerdict",
    "Outcome",
    "Override",
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "ParameterValue",
    "Presence",
    "ProgressReport",
    "ProgressState",
    "Projection",
    "Reason",
    "RouteResult",
    "Rule",
    "RuleBook",
    "RuleCase",
    "RuleConflictError",
    "RuleSet",
    "RuleSetKind",
    "StaleParameter",
    "TargetProgress",
    "Task",
    "TaskKind",
    "Trace",
    "UnknownRuleError",
    "Verdict",
    "VisaAssessment",
    "VisaRoutes",
    "all_of",
    "allowance_cost",
    "any_of",
    "bed_months",
    "budget_check",
    "cohort_allowance",
    "default_housing_terms",
    "default_parameters",
    "default_rulebook",
    "evaluate_candidate",
    "evaluate_option",
    "exceptions",
    "explain_option",
    "find_rule",
    "housing_cover",
    "kind_reason",
    "load_cases",
    "load_parameters",
    "month_fractions",
    "not_",
    "option_context",
    "payer_amounts",
    "placement_allowance",
    "progress",
    "replace_rule",
    "run_case",
    "shorter_stays",
    "split_cover",
    "stay_for",
    "target_progress",
    "tasks_for",
    "tasks_to_csv",
    "tasks_to_ical",
    "uncovered_cost",
    "visa_countries",
    "visa_needed",
    "visa_routes",
]
