"""Tests of the sgcq.testing.strategies package: every strategy valid, its names unchanged."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgcq.testing import strategies as sst

#: Every public strategy with default knobs (the scenario one small, to stay fast).
ALL: dict[str, st.SearchStrategy[Any]] = {
    "allowances": sst.allowances(),
    "benefits": sst.benefits(),
    "candidates": sst.candidates(position_ids=["p0", "p1"], cohort_ids=["k0"]),
    "citations": sst.citations(),
    "cohorts": sst.cohorts(),
    "counts": sst.counts(),
    "date_ranges": sst.date_ranges(),
    "duration_bounds": sst.duration_bounds(),
    "durations": sst.durations(),
    "exchange_rates": sst.exchange_rates(),
    "fundings": sst.fundings(),
    "housing_terms": sst.housing_terms(),
    "hybrid_splits": sst.hybrid_splits(),
    "infeasible_matching_cases": sst.infeasible_matching_cases(max_candidates=3),
    "locations": sst.locations(),
    "matching_cases": sst.matching_cases(max_candidates=3),
    "measures": sst.measures(),
    "money": sst.money(),
    "monthly_beds": sst.monthly_beds(),
    "observations": sst.observations(on=date(2021, 12, 31), currency="SGD"),
    "options": sst.options(max_candidates=2, max_positions=2),
    "organisations": sst.organisations(),
    "partners": sst.partners(),
    "placements": sst.placements(),
    "positions": sst.positions(candidate_ids=["c0"], programme_ids=["prog0"]),
    "problems": sst.problems(max_candidates=3),
    "programmes": sst.programmes(),
    "quota_limits": sst.quota_limits(),
    "quotas": sst.quotas(),
    "rankings": sst.rankings(["a", "b", "c"]),
    "rate_tables": sst.rate_tables(),
    "scenarios": sst.scenarios(max_candidates=2, max_positions=2),
    "shares": sst.shares(),
    "start_dates": sst.start_dates(),
    "start_rules": sst.start_rules(),
    "start_windows": sst.start_windows(),
    "status_changes": sst.status_changes(),
    "study_statuses": sst.study_statuses(),
    "documents": sst.documents(),
    "targets": sst.targets(),
    "year_months": sst.year_months(),
}


def test_every_model_strategy_is_exercised() -> None:
    """Each public strategy that builds a model appears in ALL."""
    scalars = {"dates", "identifiers", "names", "timestamps"}
    public = {n for n in sst.__all__ if n[0].islower()} - scalars
    assert public == set(ALL)


@pytest.mark.parametrize("name", sorted(ALL))
@given(data=st.data())
def test_generated_objects_pass_validation_again(name: str, data: st.DataObject) -> None:
    """Rebuilding a generated attrs object through its constructor re-validates it unchanged."""
    obj = data.draw(ALL[name])
    assert attrs.has(type(obj))
    assert attrs.evolve(obj) == obj


def test_the_module_imports_without_pytest() -> None:
    """sgcq.testing.strategies needs Hypothesis but not pytest."""
    code = "import sys; sys.modules['pytest'] = None; import sgcq.testing.strategies"
    subprocess.run([sys.executable, "-c", code], check=True)


#: The names sgcq.testing.strategies exported before it became a package (issue 9),
#: plus OptionCase and options() (issue 12), DOCUMENT_KINDS and documents() (issue 15),
#: PLACING_KINDS and observations() (issue 15), measures() (issue 14).
EXPORTED = [
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

#: Where each name is defined: one module per module of sgcq.models, plus text and matching.
LAYOUT = {
    "candidates": [
        "DOCUMENT_KINDS",
        "FIELD_TAGS",
        "LANGUAGE_TAGS",
        "SKILL_TAGS",
        "candidates",
        "documents",
        "study_statuses",
    ],
    "citations": ["citations"],
    "cohorts": ["cohorts", "counts", "monthly_beds", "quota_limits", "quotas", "shares"],
    "dates": [
        "MAX_DATE",
        "MIN_DATE",
        "TIMEZONES",
        "date_ranges",
        "dates",
        "duration_bounds",
        "durations",
        "timestamps",
        "year_months",
    ],
    "matching": [
        "INFEASIBLE_KINDS",
        "MatchingCase",
        "infeasible_matching_cases",
        "matching_cases",
        "problems",
    ],
    "measures": ["measures"],
    "modes": ["hybrid_splits"],
    "options": ["OptionCase", "options"],
    "money": ["CURRENCIES", "exchange_rates", "money", "rate_tables"],
    "parties": ["COUNTRIES", "locations", "organisations"],
    "placements": ["placements", "status_changes"],
    "positions": ["allowances", "positions", "start_dates", "start_rules", "start_windows"],
    "preferences": ["rankings"],
    "programmes": [
        "PLACING_KINDS",
        "benefits",
        "fundings",
        "housing_terms",
        "observations",
        "partners",
        "programmes",
        "targets",
    ],
    "scenario": ["scenarios"],
    "text": ["identifiers", "names"],
}


def test_the_package_exports_exactly_the_names_it_had() -> None:
    """The package's __all__ is the old module's, and every name is the object, not a module."""
    assert sst.__all__ == EXPORTED
    namespace: dict[str, object] = {}
    exec(f"from sgcq.testing.strategies import {', '.join(EXPORTED)}", namespace)
    for name in EXPORTED:
        assert namespace[name] is getattr(sst, name)
        # A module named like a strategy (dates, money, ...) must not shadow it.
        assert not isinstance(getattr(sst, name), types.ModuleType), name


@pytest.mark.parametrize("module", sorted(LAYOUT))
def test_each_module_exports_its_share_in_sorted_order(module: str) -> None:
    """Every module has a sorted __all__; the package re-exports those very objects."""
    mod = importlib.import_module(f"sgcq.testing.strategies._{module}")
    assert mod.__all__ == LAYOUT[module] == sorted(mod.__all__)
    for name in mod.__all__:
        assert getattr(mod, name) is getattr(sst, name)


def test_the_modules_partition_the_package() -> None:
    """Every exported name lives in exactly one module, and every strategy module is listed."""
    names = [n for ns in LAYOUT.values() for n in ns]
    assert sorted(names) == sorted(EXPORTED) and len(names) == len(set(names))
    package = Path(sst.__file__).parent
    # The modules are private (a module would shadow the strategy of its name);
    # _draws and _knobs hold shared helpers, not strategies.
    helpers = {"__init__", "_draws", "_knobs"}
    modules = {p.stem[1:] for p in package.glob("_*.py") if p.stem not in helpers}
    assert modules == set(LAYOUT)
    assert not [p for p in package.glob("*.py") if not p.stem.startswith("_")]


def test_importing_the_strategies_does_not_import_the_matcher() -> None:
    """The model strategies load without sgcq.matching and OR-Tools; problems() loads them."""
    code = (
        "import sys; import sgcq.testing.strategies as s; "
        "print('sgcq.matching' in sys.modules, 'ortools' in sys.modules); "
        "s.problems(max_candidates=1).example(); "
        "print('sgcq.matching' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.split() == ["False", "False", "True"]
