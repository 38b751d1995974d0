"""A pytest plugin that runs rule case files as tests.

Files named ``rules_*.toml`` or ``*.rulecases.toml`` are collected; each
``[[cases]]`` entry becomes one test item named after its ``id``. A failing
item reports what differed (outcome, reason codes, missing inputs, facts) and
the reasons the rules gave. The file format is in
:mod:`sgcq.rules.cases` and ``docs/rules/writing-rules.md``.

An installed sgcq registers it as a ``pytest11`` entry point, so it is on
wherever sgcq is installed; with plugin autoloading off
(``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1``) enable it with ``-p sgcq.testing.plugin``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sgcq.errors import RuleCaseMismatchError
from sgcq.rules.cases import CaseError, RuleCase, load_cases, run_case

__all__ = [
    "RuleCaseFile",
    "RuleCaseItem",
    "RuleCaseMismatchError",
    "is_case_file",
    "pytest_collect_file",
]


def is_case_file(path: Path) -> bool:
    """Return whether pytest should collect ``path`` as a rule case file."""
    name = path.name
    return name.endswith(".rulecases.toml") or (
        name.startswith("rules_") and name.endswith(".toml")
    )


class RuleCaseItem(pytest.Item):
    """One rule case as a test item."""

    def __init__(self, *, case: RuleCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        """Run the case; raise :class:`RuleCaseMismatchError` when it does not match."""
        result = run_case(self.case)
        if not result.passed:
            raise RuleCaseMismatchError(result.message())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """Return the mismatch report instead of a traceback."""
        if isinstance(excinfo.value, (RuleCaseMismatchError, CaseError)):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Return the file, no line, and ``rule case <id>``."""
        return self.path, None, f"rule case {self.case.id}"


class RuleCaseFile(pytest.File):
    """A rule case file; yields one :class:`RuleCaseItem` per case."""

    def collect(self) -> Iterator[RuleCaseItem]:
        """Read the file and yield its cases (a bad file fails collection with its message)."""
        try:
            cases = load_cases(self.path)
        except CaseError as e:
            raise self.CollectError(str(e)) from None
        for case in cases:
            yield RuleCaseItem.from_parent(self, name=case.id, case=case)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> RuleCaseFile | None:
    """Collect ``rules_*.toml`` and ``*.rulecases.toml`` files as rule case files."""
    if is_case_file(file_path):
        result: RuleCaseFile = RuleCaseFile.from_parent(parent, path=file_path)
        return result
    return None
