"""Tests of the sgcq.testing.checks package: its names unchanged, split in two modules."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from pathlib import Path

import pytest

from sgcq.testing import checks

#: The names sgcq.testing.checks exported before it became a package (issue 9),
#: and year_cap_violations since (issue 15).
EXPORTED = [
    "BlockingPair",
    "CheckError",
    "Violation",
    "assert_constant_between",
    "assert_no_worse",
    "assert_reasons_cited",
    "assert_stable",
    "blocking_pairs",
    "check_result",
    "constraint_violations",
    "preferences_of",
    "year_cap_violations",
]

#: Where each name is defined: the rule checks and the matching oracle.
LAYOUT = {
    "matching": [
        "BlockingPair",
        "Violation",
        "assert_stable",
        "blocking_pairs",
        "check_result",
        "constraint_violations",
        "preferences_of",
        "year_cap_violations",
    ],
    "rules": ["CheckError", "assert_constant_between", "assert_no_worse", "assert_reasons_cited"],
}


def test_the_package_exports_exactly_the_names_it_had() -> None:
    """The package's __all__ is the old module's, and each name imports from the package."""
    assert checks.__all__ == EXPORTED
    namespace: dict[str, object] = {}
    exec(f"from sgcq.testing.checks import {', '.join(EXPORTED)}", namespace)
    for name in EXPORTED:
        assert namespace[name] is getattr(checks, name)
        assert not isinstance(namespace[name], types.ModuleType), name


@pytest.mark.parametrize("module", sorted(LAYOUT))
def test_each_module_exports_its_share_in_sorted_order(module: str) -> None:
    """Both modules have a sorted __all__; the package re-exports those very objects."""
    mod = importlib.import_module(f"sgcq.testing.checks.{module}")
    assert mod.__all__ == LAYOUT[module] == sorted(mod.__all__)
    for name in mod.__all__:
        assert getattr(mod, name) is getattr(checks, name)


def test_the_modules_partition_the_package() -> None:
    """Every exported name lives in exactly one module, and every public module is listed."""
    names = [n for ns in LAYOUT.values() for n in ns]
    assert sorted(names) == sorted(EXPORTED) and len(names) == len(set(names))
    package = Path(checks.__file__).parent
    public = {p.stem for p in package.glob("*.py") if not p.stem.startswith("_")}
    assert public == set(LAYOUT)


def test_the_matching_checks_raise_the_rule_checks_error() -> None:
    """One CheckError for both modules, so `pytest.raises(CheckError)` catches either."""
    from sgcq.testing.checks import matching, rules

    with pytest.raises(rules.CheckError, match="blocking pair c1-p1"):
        matching.assert_stable({"c1": {"p1": 1}}, {"p1": None}, {"p1": 1}, {"c1": None})
    assert issubclass(rules.CheckError, AssertionError)


def test_importing_the_checks_does_not_import_the_matcher() -> None:
    """The rule checks and blocking_pairs load without sgcq.matching and OR-Tools."""
    code = (
        "import sys; from sgcq.testing.checks import assert_reasons_cited, blocking_pairs; "
        "print('sgcq.matching' in sys.modules, 'ortools' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.split() == ["False", "False"]
