"""A pytest plugin that runs rule case files as tests, where the project asks it to.

An installed sgcq registers this plugin as a ``pytest11`` entry point, but it
collects nothing until the project's pytest configuration names the folders
that hold its case files. In ``pyproject.toml``::

    [tool.pytest.ini_options]
    sgcq_rule_cases = ["tests"]                  # folders whose case files are tests
    sgcq_rulebook_modules = ["myprogramme.rules"]  # modules a case file may name
    sgcq_case_paths = ["data"]                   # further folders case files may read

Files named ``rules_*.toml`` or ``*.rulecases.toml`` inside a ``sgcq_rule_cases``
folder are collected; each ``[[cases]]`` entry becomes one test item named
after its ``id``. A case file may read files only inside its own folder (and
the ``sgcq_case_paths`` folders), and name a rule book only in a module of
``sgcq_rulebook_modules``; anything else fails the file's collection with an
:class:`~sgcq.errors.UnsafeCaseError` before any code is imported.

A failing item's report starts with the first difference (``expected
ineligible, got eligible``), which is also the one-line message that
``pytest -ra`` and JUnit XML (and so CI annotations) show; then come the other
differences, the case and the reasons the rules gave. The file format is in
:mod:`sgcq.rules.cases` and ``docs/rules/writing-rules.md``.

With plugin autoloading off (``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1``) enable it
with ``-p sgcq.testing.plugin``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sgcq.testing._extra import require

require("pytest", "sgcq.testing.plugin")

# The imports below need pytest, checked above.
import pytest  # noqa: E402
from _pytest._code.code import ReprFileLocation, TerminalRepr  # noqa: E402

from sgcq.errors import RuleCaseMismatchError  # noqa: E402
from sgcq.rules.cases import CaseError, CaseResult, RuleCase, load_cases, run_case  # noqa: E402

if TYPE_CHECKING:
    from _pytest._io import TerminalWriter

__all__ = [
    "CASE_PATHS_OPTION",
    "MODULES_OPTION",
    "RULE_CASES_OPTION",
    "CaseFailure",
    "RuleCaseFile",
    "RuleCaseItem",
    "RuleCaseMismatchError",
    "is_case_file",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_report_header",
]

#: The ini option naming the folders (or files) whose rule case files are collected.
RULE_CASES_OPTION = "sgcq_rule_cases"
#: The ini option listing the modules a case file's ``rulebook`` may name.
MODULES_OPTION = "sgcq_rulebook_modules"
#: The ini option naming further folders a case file may read files in.
CASE_PATHS_OPTION = "sgcq_case_paths"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the plugin's ini options (none is set by default: nothing is collected)."""
    parser.addini(
        RULE_CASES_OPTION,
        "sgcq: folders (or files) whose rules_*.toml and *.rulecases.toml files run as "
        "tests, relative to the configuration file; none by default",
        type="paths",
        default=[],
    )
    parser.addini(
        MODULES_OPTION,
        "sgcq: modules a rule case file may name as its rulebook ('pkg.module', or "
        "'pkg.*' for a package's modules); none by default",
        type="linelist",
        default=[],
    )
    parser.addini(
        CASE_PATHS_OPTION,
        "sgcq: further folders a rule case file may read scenario and parameter files "
        "in, besides its own folder",
        type="paths",
        default=[],
    )


def _paths(config: pytest.Config, name: str) -> list[Path]:
    value = config.getini(name)
    return [Path(p).resolve() for p in value]


def _inside(path: Path, folders: Sequence[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def is_case_file(path: Path) -> bool:
    """Return whether ``path`` is named like a rule case file.

    Only files inside a folder of the ``sgcq_rule_cases`` option are
    collected (:func:`pytest_collect_file`).

    Examples
    --------
    >>> is_case_file(Path("tests/rules_pay.toml")), is_case_file(Path("pyproject.toml"))
    (True, False)
    """
    name = path.name
    return name.endswith(".rulecases.toml") or (
        name.startswith("rules_") and name.endswith(".toml")
    )


class CaseFailure(TerminalRepr):
    """How a failed rule case shows: the whole report, and its first line as the crash message.

    Parameters
    ----------
    text
        The report (:meth:`~sgcq.rules.CaseResult.message`); it starts with the
        first difference.
    path, lineno
        The case file and the 1-based line of the case's ``id``.
    headline
        One line: the first difference (and how many more).
    """

    def __init__(self, text: str, path: Path, lineno: int, headline: str) -> None:
        self.text = text
        # pytest's -ra summary and its JUnit XML take their one-line message from here.
        self.reprcrash = ReprFileLocation(str(path), lineno, headline)

    def toterminal(self, tw: TerminalWriter) -> None:
        """Write the report."""
        for line in self.text.splitlines():
            tw.line(line)


def _line_of(path: Path, case_id: str) -> int:
    """Return the 1-based line of ``id = "<case_id>"`` in ``path`` (1 if not found)."""
    pattern = re.compile(r"^\s*id\s*=\s*([\"'])" + re.escape(case_id) + r"\1")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((i for i, line in enumerate(lines, 1) if pattern.match(line)), 1)


class RuleCaseItem(pytest.Item):
    """One rule case as a test item."""

    def __init__(self, *, case: RuleCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.result: CaseResult | None = None

    def runtest(self) -> None:
        """Run the case; raise :class:`RuleCaseMismatchError` when it does not match."""
        self.result = run_case(self.case)
        if not self.result.passed:
            raise RuleCaseMismatchError(self.result.message())

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        """Return the mismatch report, first difference first, instead of a traceback."""
        if isinstance(excinfo.value, RuleCaseMismatchError) and self.result is not None:
            return CaseFailure(
                self.result.message(),
                self.path,
                _line_of(self.path, self.case.id),
                self.result.headline,
            )
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Return the file, the case's line (0-based) and ``rule case <id>``."""
        return self.path, _line_of(self.path, self.case.id) - 1, f"rule case {self.case.id}"


class RuleCaseFile(pytest.File):
    """A rule case file; yields one :class:`RuleCaseItem` per case."""

    def collect(self) -> Iterator[RuleCaseItem]:
        """Read the file and yield its cases (a bad or unsafe file fails collection)."""
        config = self.config
        try:
            cases = load_cases(
                self.path,
                allowed_paths=_paths(config, CASE_PATHS_OPTION),
                allowed_modules=config.getini(MODULES_OPTION),
            )
        except CaseError as e:
            raise self.CollectError(str(e)) from None
        for case in cases:
            yield RuleCaseItem.from_parent(self, name=case.id, case=case)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> RuleCaseFile | None:
    """Collect case files inside the ``sgcq_rule_cases`` folders; nothing when it is unset."""
    if not is_case_file(file_path):
        return None
    if not _inside(file_path.resolve(), _paths(parent.config, RULE_CASES_OPTION)):
        return None
    result: RuleCaseFile = RuleCaseFile.from_parent(parent, path=file_path)
    return result


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say which folders the plugin collects rule cases from, when it collects any."""
    folders = config.getini(RULE_CASES_OPTION)
    if not folders:
        return None
    root = config.rootpath
    shown = []
    for f in folders:
        p = Path(f)
        shown.append(str(p.relative_to(root)) if root in p.parents or p == root else str(p))
    return f"sgcq rule cases: {', '.join(shown)}"
