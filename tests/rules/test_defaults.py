"""Tests for :mod:`sgcq.rules.defaults`: sgcq's own rule sets, one module per rule family."""

from __future__ import annotations

import ast
import importlib
import pickle
import pkgutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import sgcq
from sgcq.models import DateRange, Scenario
from sgcq.rules import (
    AllOf,
    Check,
    Context,
    Rule,
    RuleBook,
    RuleSet,
    RuleSetKind,
    option_context,
)
from sgcq.rules import defaults as defaults_package
from sgcq.rules.defaults import default_rule_sets

ROOT = Path(__file__).resolve().parents[2]
SRC = Path(sgcq.__file__).resolve().parent

# Written down from the code before the split into one module per family
# (sgcq/rules/defaults.py at 4fa2b42): every rule set with its kind, and the
# ids of its rules depth first.
_V, _E, _F = RuleSetKind.VISA_ROUTE, RuleSetKind.VISA_EXEMPTION, RuleSetKind.FEASIBILITY
_N, _T = RuleSetKind.NORM, RuleSetKind.ENTITLEMENT
EXPECTED: list[tuple[str, RuleSetKind, list[str]]] = [
    (
        "visa.cn.s2",
        _V,
        [
            "visa.cn.s2.conditions",
            "visa.cn.s2.host_zone",
            "visa.cn.s2.host_registered",
            "visa.cn.s2.student",
            "visa.cn.s2.foreign_college",
            "visa.cn.s2.max_stay",
            "visa.cn.s2.documents",
        ],
    ),
    (
        "visa.cn.internship",
        _V,
        [
            "visa.cn.internship.conditions",
            "visa.cn.internship.well_known_host",
            "visa.cn.internship.student",
            "visa.cn.internship.foreign_college",
            "visa.cn.internship.max_stay",
            "visa.cn.internship.documents",
        ],
    ),
    (
        "visa.cn.yes",
        _V,
        [
            "visa.cn.yes.conditions",
            "visa.cn.yes.citizen",
            "visa.cn.yes.education",
            "visa.cn.yes.age",
            "visa.cn.yes.once",
            "visa.cn.yes.max_stay",
            "visa.cn.yes.documents",
        ],
    ),
    (
        "visa.cn.work",
        _V,
        [
            "visa.cn.work.conditions",
            "visa.cn.work.degree",
            "visa.cn.work.experience",
            "visa.cn.work.documents",
        ],
    ),
    ("visa.cn.x2", _V, ["visa.cn.x2.conditions", "visa.cn.x2.max_stay", "visa.cn.x2.documents"]),
    ("visa.cn.f", _V, ["visa.cn.f.conditions", "visa.cn.f.documents"]),
    (
        "visa.sg.tep",
        _V,
        [
            "visa.sg.tep.conditions",
            "visa.sg.tep.student",
            "visa.sg.tep.acceptable_institution",
            "visa.sg.tep.once",
            "visa.sg.tep.max_stay",
            "visa.sg.tep.documents",
        ],
    ),
    (
        "visa.sg.twp",
        _V,
        [
            "visa.sg.twp.conditions",
            "visa.sg.twp.student",
            "visa.sg.twp.local_college",
            "visa.sg.twp.once",
            "visa.sg.twp.max_stay",
            "visa.sg.twp.documents",
        ],
    ),
    (
        "visa.sg.whp",
        _V,
        [
            "visa.sg.whp.conditions",
            "visa.sg.whp.age",
            "visa.sg.whp.university",
            "visa.sg.whp.max_stay",
            "visa.sg.whp.documents",
        ],
    ),
    (
        "visa.sg.ep",
        _V,
        [
            "visa.sg.ep.conditions",
            "visa.sg.ep.salary",
            "visa.sg.ep.qualification",
            "visa.sg.ep.documents",
        ],
    ),
    (
        "visa.sg.visit_course",
        _V,
        [
            "visa.sg.visit_course.conditions",
            "visa.sg.visit_course.max_stay",
            "visa.sg.visit_course.documents",
        ],
    ),
    (
        "visa.sg.student_pass",
        _V,
        [
            "visa.sg.student_pass.conditions",
            "visa.sg.student_pass.institution",
            "visa.sg.student_pass.documents",
        ],
    ),
    ("visa.my.out_of_scope", _V, ["visa.my.out_of_scope.scope"]),
    ("visa.th.out_of_scope", _V, ["visa.th.out_of_scope.scope"]),
    ("visa.au.out_of_scope", _V, ["visa.au.out_of_scope.scope"]),
    ("visa.exempt.remote", _E, ["visa.exempt.remote.mode"]),
    ("visa.exempt.national", _E, ["visa.exempt.national.nationality"]),
    (
        "placement.feasibility",
        _F,
        [
            "placement.feasibility.conditions",
            "placement.available",
            "placement.position_duration",
            "placement.candidate_duration",
            "placement.programme_duration",
            "placement.mode_accepted",
        ],
    ),
    ("mode.measure", _F, ["mode.measure.checks"]),
    (
        "programme.cofounder",
        _F,
        [
            "programme.cofounder.conditions",
            "programme.cofounder.citizen",
            "programme.cofounder.sending_university",
        ],
    ),
    ("remote.norms", _N, ["remote.norms.check"]),
    ("housing.cover", _T, ["housing.cover.split"]),
    ("allowance.cost", _T, ["allowance.cost.total"]),
]

# The family modules in evaluation order, each with the rule sets it gives.
FAMILIES = {
    "visa_into_china": (
        "visa.cn.s2",
        "visa.cn.internship",
        "visa.cn.yes",
        "visa.cn.work",
        "visa.cn.x2",
        "visa.cn.f",
    ),
    "visa_into_singapore": (
        "visa.sg.tep",
        "visa.sg.twp",
        "visa.sg.whp",
        "visa.sg.ep",
        "visa.sg.visit_course",
        "visa.sg.student_pass",
    ),
    "visa_elsewhere": ("visa.my.out_of_scope", "visa.th.out_of_scope", "visa.au.out_of_scope"),
    "visa_exemptions": ("visa.exempt.remote", "visa.exempt.national"),
    "placement_feasibility": ("placement.feasibility", "mode.measure"),
    "programme_eligibility": ("programme.cofounder",),
    "remote_norms": ("remote.norms",),
    "housing_cover": ("housing.cover",),
    "allowance": ("allowance.cost",),
}


def _rules(rule: Rule) -> Iterator[Rule]:
    """Yield ``rule``'s sub-rules depth first (not ``rule`` itself)."""
    children: tuple[Rule, ...]
    if isinstance(rule, RuleSet):
        children = (rule.rule,)
    elif isinstance(rule, AllOf):
        children = rule.rules
    else:
        assert isinstance(rule, Check), f"unexpected rule type in the defaults: {rule!r}"
        children = ()
    for child in children:
        yield child
        yield from _rules(child)


def test_rule_ids_and_order_are_unchanged() -> None:
    """The default rule sets, their kinds and every rule id come in the order written down."""
    got = [(rs.id, rs.kind, [r.id for r in _rules(rs)]) for rs in default_rule_sets()]
    assert got == EXPECTED


def test_default_rule_sets_are_the_families_in_order() -> None:
    """default_rule_sets() is each family module's rule_sets(), in the families' order."""
    ids: list[str] = []
    for name, expected in FAMILIES.items():
        module = importlib.import_module(f"sgcq.rules.defaults.{name}")
        got = tuple(rs.id for rs in module.rule_sets())
        assert got == expected, name
        ids.extend(got)
    assert tuple(ids) == tuple(rs.id for rs in default_rule_sets())
    assert RuleBook.default().ids() == tuple(ids)


def test_family_modules_are_named_as_the_docs_pages() -> None:
    """Each public module of sgcq.rules.defaults has the name of a page under docs/rules."""
    modules = {
        m.name
        for m in pkgutil.iter_modules(defaults_package.__path__)
        if not m.name.startswith("_")
    }
    pages = {
        p.stem.replace("-", "_")
        for p in (ROOT / "docs" / "rules").glob("*.md")
        if p.stem not in ("index", "writing-rules")
    }
    assert modules == pages == set(FAMILIES)


def _contexts(scenarios: list[Scenario]) -> Iterator[Context]:
    for s in scenarios:
        for c in s.candidates[:4]:
            for p in s.positions[:4]:
                stay = DateRange.of_months(c.available.start, 3)
                for as_of in (None, date(2019, 6, 1)):
                    yield option_context(s, c, p, stay, as_of=as_of)


def test_every_default_rule_pickles_and_evaluates_the_same(
    nus: Scenario, ntu: Scenario, yes: Scenario, suss: Scenario
) -> None:
    """Every rule set and every rule in it pickles (rules go to worker processes) unchanged."""
    contexts = list(_contexts([nus, ntu, yes, suss]))
    for rs in default_rule_sets():
        copy = pickle.loads(pickle.dumps(rs))
        assert [r.id for r in _rules(copy)] == [r.id for r in _rules(rs)]
        for rule in _rules(rs):
            if isinstance(rule, Check):
                test = pickle.loads(pickle.dumps(rule.test))
                assert test == rule.test, rule.id
        for ctx in contexts:
            assert copy.evaluate(ctx) == rs.evaluate(ctx)


def _module_file(name: str) -> Path | None:
    parts = name.split(".")[1:]
    for path in (SRC.joinpath(*parts, "__init__.py"), SRC.joinpath(*parts).with_suffix(".py")):
        if path.is_file():
            return path
    return None


def _imports(name: str) -> set[str]:
    """Return the sgcq modules ``name`` imports, at any level (functions included)."""
    path = _module_file(name)
    assert path is not None, name
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        else:
            continue
        found.update(t for t in targets if t.startswith("sgcq") and _module_file(t))
    return found


@pytest.mark.parametrize(
    ("start", "reached"),
    [
        ("sgcq.rules.defaults", "sgcq.rules.defaults._conditions"),
        ("sgcq.rules._rule_set", "sgcq.rules.engine"),
    ],
)
def test_the_defaults_never_import_the_book(start: str, reached: str) -> None:
    """Nothing the default rules import, directly or not, imports the book: no cycle."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_imports(name))
    assert reached in seen  # the walk follows the imports
    assert "sgcq.rules.book" not in seen
    assert "sgcq.rules" not in seen  # the package imports the book
