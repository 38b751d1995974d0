"""The example programme repository, run as its CI would run it, in a temporary copy.

``docs/examples/programme-repo`` installs with ``pip install "sgcq[testing]"``
(its requirements file) and holds, besides its passing suite, a property that
is wrong on purpose. Under the ``ci`` profile that property must fail, on every
run, with the difference as the first line of the failure. The passing suite
is run by ``tests/test_docs.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "programme-repo"
FAILING = "failing/test_deliberately_failing.py::test_the_pay_floor_never_refuses_what_sgcq_accepts"
FIRST_LINE = (
    "sgcq.errors.CheckError: rule option: adding the programme's pay floor turned "
    "eligible into ineligible (reasons: mine.pay_floor."
)


def _copy(tmp_path: Path) -> Path:
    repo = tmp_path / "programme-repo"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
    return repo


def _pytest(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pytest in ``repo`` as its CI would: the installed plugin, the ci profile."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci", "COLUMNS": "400"}
    for name in ("PYTEST_ADDOPTS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_PLUGINS"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_example_repository_installs_with_the_testing_extra() -> None:
    """Its requirements are sgcq with the testing extra, and its README says so."""
    assert (EXAMPLE / "requirements.txt").read_text(encoding="utf-8").split() == ["sgcq[testing]"]
    assert 'pip install "sgcq[testing]"' in (EXAMPLE / "README.md").read_text(encoding="utf-8")


def test_deliberately_failing_property_fails_under_the_ci_profile(tmp_path: Path) -> None:
    """The wrong property fails (every option drawn is evaluable, so it cannot pass vacuously)."""
    repo = _copy(tmp_path)
    junit = tmp_path / "junit.xml"
    result = _pytest(repo, "-ra", f"--junitxml={junit}", "failing")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "1 failed" in result.stdout, out
    # The -ra summary line, which CI logs show, carries the first line of the failure.
    assert f"FAILED {FAILING} - {FIRST_LINE}" in result.stdout, out
    # JUnit XML (CI annotations): the failure's message starts with the same line.
    failure = ET.parse(junit).getroot().find(".//testcase/failure")
    assert failure is not None
    assert (failure.get("message") or "").startswith(FIRST_LINE), failure.get("message")
    # Hypothesis shrank it to an example that anyone can read and reproduce.
    assert "@reproduce_failure(" in result.stdout, out
