"""The ``testing`` extra: what it installs, and the error when a part of it is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sgcq.errors import MissingExtraError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def _run_without(package: str, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter where importing ``package`` fails."""
    blocked = f"import sys; sys.modules[{package!r}] = None\n"
    return subprocess.run(
        [sys.executable, "-c", blocked + code],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_testing_extra_installs_pytest_and_hypothesis() -> None:
    """pip install "sgcq[testing]" brings both; the project's own test extra includes it."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    names = {r.split(">")[0].split("=")[0].split("[")[0].strip() for r in extras["testing"]}
    assert names == {"pytest", "hypothesis"}
    assert "sgcq[testing]" in extras["test"]


@pytest.mark.parametrize(
    ("package", "module"),
    [
        ("hypothesis", "sgcq.testing.strategies"),
        ("pytest", "sgcq.testing.plugin"),
    ],
)
def test_importing_without_the_extra_names_the_extra(package: str, module: str) -> None:
    """Importing a part of the toolkit without its package raises MissingExtraError."""
    code = (
        "from sgcq.errors import MissingExtraError\n"
        "try:\n"
        f"    import {module}\n"
        "except MissingExtraError as e:\n"
        "    assert isinstance(e, ImportError) and e.name == e.package\n"
        "    print(e)\n"
        "else:\n"
        "    raise SystemExit('imported')\n"
    )
    result = _run_without(package, code)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == (
        f"{module} needs {package}, which is not installed; "
        'install it with: pip install "sgcq[testing]"'
    )


def test_loading_a_profile_without_hypothesis_names_the_extra() -> None:
    """sgcq.testing and its checks import without Hypothesis; load_profile() names the extra."""
    code = (
        "import sgcq.testing, sgcq.testing.checks\n"
        "try:\n"
        "    sgcq.testing.load_profile()\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    result = _run_without("hypothesis", code)
    assert result.returncode == 0, result.stderr
    assert "needs hypothesis" in result.stdout and 'pip install "sgcq[testing]"' in result.stdout


def test_missing_extra_error_pickles() -> None:
    """The error survives pickling with its parts."""
    import pickle

    error = MissingExtraError("sgcq.testing.strategies", "hypothesis", "testing")
    back = pickle.loads(pickle.dumps(error))
    assert (back.feature, back.package, back.extra, str(back)) == (
        error.feature,
        error.package,
        error.extra,
        str(error),
    )
