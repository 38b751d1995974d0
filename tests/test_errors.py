"""Tests of :mod:`sgcq.errors`: every error class of sgcq is importable from it."""

from __future__ import annotations

import importlib
import json
import pickle
import pkgutil
import subprocess
import sys
from types import ModuleType

import pytest

import sgcq
from sgcq import errors

# Error classes still defined outside sgcq.errors on this branch, each with the
# reason. The marker is strict: once the class becomes a re-export the test
# passes, the xfail turns into a failure, and the entry must be removed.

# Errors that do not derive from SgcqError, each with the reason.
_NOT_SGCQ_ERRORS = {
    # The pytest plugin's "this rule case failed" signal: a plain AssertionError
    # like any failed test, so that an application's ``except SgcqError`` never
    # catches a test failure and pytest reports it as a failure, not an error.
    "RuleCaseMismatchError",
}


def _all_modules() -> list[ModuleType]:
    """Import and return every module of the sgcq package."""
    names = [sgcq.__name__]
    names.extend(
        m.name
        for m in pkgutil.walk_packages(sgcq.__path__, prefix="sgcq.")
        if m.name.rpartition(".")[2] != "__main__"
    )
    return [importlib.import_module(n) for n in names]


def _subclasses(cls: type[BaseException]) -> list[type[BaseException]]:
    out: list[type[BaseException]] = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_subclasses(sub))
    return out


def _defined_errors() -> list[type[BaseException]]:
    """Return every public exception class defined in sgcq, found by walking the package."""
    _all_modules()
    found = {
        cls
        for cls in _subclasses(BaseException)
        if (cls.__module__ == "sgcq" or cls.__module__.startswith("sgcq."))
        # Private classes (cli's _UsageError) are not part of the API.
        and not cls.__name__.startswith("_")
        and "<locals>" not in cls.__qualname__
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


DEFINED = _defined_errors()


def _params() -> list[object]:
    """Return DEFINED as parameters, each named by where it is defined."""
    return [pytest.param(cls, id=f"{cls.__module__}.{cls.__qualname__}") for cls in DEFINED]


def test_the_walk_finds_the_errors_of_every_layer() -> None:
    """The walk is not empty: it finds errors of models, rules, matching, testing and scenarios."""
    modules = {cls.__module__ for cls in DEFINED}
    assert {"sgcq.errors", "sgcq.models.errors"} <= modules
    names = {cls.__name__ for cls in DEFINED}
    assert {"SgcqError", "UnknownRuleError", "MatchingError", "CheckError"} <= names
    assert {"UnknownScenarioError", "RuleCaseMismatchError", "CaseError"} <= names
    assert "_UsageError" not in names


@pytest.mark.parametrize("cls", _params())
def test_every_error_is_importable_from_sgcq_errors(cls: type[BaseException]) -> None:
    """Every error class defined in sgcq is the same object in sgcq.errors, listed in __all__."""
    assert getattr(errors, cls.__name__, None) is cls
    assert cls.__name__ in errors.__all__


@pytest.mark.parametrize("cls", _params())
def test_every_error_derives_from_sgcq_error(cls: type[BaseException]) -> None:
    """Every error is an SgcqError, except the plugin's rule case mismatch (an AssertionError)."""
    if cls.__name__ in _NOT_SGCQ_ERRORS:
        assert issubclass(cls, AssertionError)
        assert not issubclass(cls, errors.SgcqError)
    else:
        assert issubclass(cls, errors.SgcqError)


def test_all_is_sorted_and_lists_only_exception_classes() -> None:
    """sgcq.errors.__all__ is sorted and every name in it is an exception class."""
    assert list(errors.__all__) == sorted(errors.__all__)
    for name in errors.__all__:
        value = getattr(errors, name)
        assert isinstance(value, type) and issubclass(value, BaseException), name


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("sgcq", "SgcqError"),
        ("sgcq.models", "SgcqError"),
        ("sgcq.models.errors", "ModelValidationError"),
        ("sgcq.matching", "MatchingError"),
        ("sgcq.matching", "ModelInvalidError"),
        ("sgcq.matching", "UnsupportedPathError"),
        ("sgcq.matching.errors", "MatchingError"),
        ("sgcq.matching.errors", "ModelInvalidError"),
        ("sgcq.matching.errors", "UnsupportedPathError"),
        ("sgcq.rules", "CaseError"),
        ("sgcq.rules", "ParameterError"),
        ("sgcq.rules", "RuleConflictError"),
        ("sgcq.rules", "UnknownRuleError"),
        ("sgcq.rules.book", "UnknownRuleError"),
        ("sgcq.rules.cases", "CaseError"),
        ("sgcq.rules.engine", "RuleConflictError"),
        ("sgcq.rules.parameters", "ParameterError"),
        ("sgcq.scenarios", "UnknownScenarioError"),
        ("sgcq.testing.plugin", "RuleCaseMismatchError"),
    ],
)
def test_old_import_paths_give_the_same_class(module: str, name: str) -> None:
    """Every import path of an error that worked before still works and gives the same class."""
    mod = importlib.import_module(module)
    assert getattr(mod, name) is getattr(errors, name)
    assert name in mod.__all__


@pytest.mark.parametrize(
    "error",
    [
        errors.CaseError("cases.toml: case 'a': bad"),
        errors.CheckError(["seats: 3 placed, 2 seats"]),
        errors.CheckError(["one", "two"]),
        errors.MatchingError("no"),
        errors.ModelInvalidError("bad bounds"),
        errors.ParameterError("no parameter 'x'"),
        errors.RuleCaseMismatchError("outcome: eligible, expected ineligible"),
        errors.RuleConflictError("visa: priority 10: a, b"),
        errors.UnknownRuleError("no rule 'x'"),
        errors.UnknownScenarioError("nope", ("a", "b")),
        errors.UnsupportedPathError("stability"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle_with_their_message(error: BaseException) -> None:
    """An error survives pickling: same class (found at sgcq.errors), same message."""
    data = pickle.dumps(error)
    back = pickle.loads(data)
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert type(error).__module__ == "sgcq.errors"


def test_sgcq_errors_imports_no_upper_layer() -> None:
    """Importing sgcq.errors in a fresh interpreter loads none of rules, matching, testing."""
    code = (
        "import json, sys, sgcq.errors; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('sgcq.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded = json.loads(out)
    for upper in ("sgcq.rules", "sgcq.matching", "sgcq.testing", "sgcq.serialization"):
        assert not any(m == upper or m.startswith(upper + ".") for m in loaded), (upper, loaded)
    assert "sgcq.errors" in loaded
