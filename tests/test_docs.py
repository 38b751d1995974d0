"""The documentation's examples run as written.

Every ```python block of the README and of ``docs/`` runs (blocks of one page
in order, sharing a namespace, in a temporary working directory where every
block fenced with a ``title="NAME"``, such as ```toml title="mine.toml", is
written first as the file NAME), and the
example programme repository in ``docs/examples/programme-repo`` passes its
own test suite, as a user's CI would run it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
FILE = re.compile(r'^```\w+ title="([^"/]+)"\n(.*?)^```', re.S | re.M)
EXAMPLE_REPO = ROOT / "docs" / "examples" / "programme-repo"


def _pages_with_code() -> list[Path]:
    return [p for p in PAGES if BLOCK.search(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", _pages_with_code(), ids=lambda p: str(p.relative_to(ROOT)))
def test_python_examples_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each page's Python examples run without error, in order (an error fails the test)."""
    monkeypatch.chdir(tmp_path)
    text = page.read_text(encoding="utf-8")
    for name, body in FILE.findall(text):
        (tmp_path / name).write_text(body, encoding="utf-8")
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    ran = 0
    for i, match in enumerate(BLOCK.finditer(text)):
        code = compile(match.group(1), f"{page.relative_to(ROOT)}[block {i}]", "exec")
        exec(code, namespace)  # an example that raises fails the test
        ran += 1
    assert ran == len(BLOCK.findall(text)) > 0


def test_example_programme_repository_passes() -> None:
    """The example repository's rule cases and property tests pass as a user would run them."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci"}
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=EXAMPLE_REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Three rule cases from the TOML file and four property tests (failing/ is left out:
    # tests/testing/test_example_repo.py runs it).
    assert "7 passed" in result.stdout, result.stdout


def test_testing_page_shows_the_example_files_as_they_are() -> None:
    """The files quoted on the testing page are the example repository's files, verbatim."""
    page = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    quoted = re.findall(r'^```\w+ title="([^"]+)"\n(.*?)^```', page, re.S | re.M)
    assert len(quoted) == 7
    for name, body in quoted:
        assert body == (EXAMPLE_REPO / name).read_text(encoding="utf-8"), name


def test_every_match_scenario_call_in_the_docs_is_executed() -> None:
    """A call of ``match_scenario`` written anywhere in the docs sits in a block that runs.

    The matching guide once said, in prose, that ``match_scenario`` takes
    ``stability=`` and friends; no block ran such a call, so nothing failed.
    The guide now shows those arguments in executed code, and a call written in
    a ``py`` fragment, another fence or inline code fails here.
    """
    executed = 0
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        blocks = [m.span() for m in BLOCK.finditer(text)]
        for call in re.finditer(r"match_scenario\(", text):
            inside = any(start <= call.start() < end for start, end in blocks)
            assert inside, f"{page.relative_to(ROOT)}: match_scenario( outside a ```python block"
            executed += 1
    assert executed >= 3
