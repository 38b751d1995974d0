"""Tests for rule cases as data (:mod:`sgcq.rules.cases`) and the pytest plugin."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from sgcq.rules import CaseError, load_cases, run_case
from sgcq.rules.cases import parse_cases
from sgcq.testing.plugin import is_case_file

_FOLDER = resources.files("sgcq").joinpath("data").joinpath("rules").joinpath("cases")
_FILES = sorted(str(e) for e in _FOLDER.iterdir() if e.name.endswith(".toml"))
_CASES = [c for f in _FILES for c in load_cases(f)]

HEADER = 'schema_version = 1\nkind = "rule_cases"\n'


@pytest.mark.parametrize("case", _CASES, ids=[c.id for c in _CASES])
def test_bundled_case(case: object) -> None:
    """Every bundled rule case gives the verdict, reasons and facts it expects."""
    result = run_case(case)  # type: ignore[arg-type]
    assert result.passed, result.message()


def test_bundled_cases_cover_every_default_rule_set() -> None:
    """Every default rule set has at least one case, and so does the combined option verdict."""
    from sgcq.rules import default_rulebook

    rules = {c.rule for c in _CASES}
    assert set(default_rulebook().ids()) | {"option", "visa"} <= rules


def test_seed_facts_present() -> None:
    """The issue's seed facts are among the bundled cases."""
    ids = {c.id for c in _CASES}
    assert {
        "s2-nus-interns-december-2019",
        "s2-same-host-as-of-2019-12-01",
        "s2-host-outside-pilot-ftz",
        "remote-needs-no-visa",
        "chinese-national-needs-no-visa",
        "housing-seven-months-from-2020-08-31",
    } <= ids


def test_mismatch_message_says_what_differs() -> None:
    """A case whose expectation is wrong fails with the outcome, codes and facts that differ."""
    (case,) = parse_cases(
        HEADER
        + """
[[cases]]
id = "wrong"
scenario = "nus-ytp-2019"
candidate = "nus-c01"
position = "ytp-big-data"
start = 2019-12-16
rule = "visa.cn.s2"
expect = "ineligible"
codes = ["visa.cn.s2.stay_too_long"]
absent_codes = ["visa.cn.s2.open"]
missing = ["nothing"]
facts = { "visa.cn.s2.max_stay_days" = "90" }
""",
        source="demo.toml",
    )
    result = run_case(case)
    assert not result.passed
    text = result.message()
    assert "rule case demo.toml::wrong (visa.cn.s2)" in text
    assert "expected ineligible, got eligible" in text
    assert "expected reason codes not given: visa.cn.s2.stay_too_long" in text
    assert "reason codes given that should not be: visa.cn.s2.open" in text
    assert "expected missing inputs not named: nothing" in text
    assert "expected fact visa.cn.s2.max_stay_days = '90', got '180'" in text
    assert "visa.cn.s2.open: S2" in text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "[[cases]]\nid = 'a'\n",
            r"expect: expected one of eligible, ineligible, undetermined, not_applicable",
        ),
        (
            "[[cases]]\nid = 'a'\nexpect = 'eligible'\nrule = 'x'\ncandidate = 'c'\n"
            "position = 'p'\nstart = 2020-01-01\n",
            "give exactly one of scenario and scenario_file",
        ),
        ("[[cases]]\nid = 'a'\ncolour = 'red'\n", r"unknown keys 'colour'; known: "),
        (
            "[[cases]]\nid = 'a'\nexpect = 'eligible'\nrule = 'x'\ncandidate = 'c'\n"
            "position = 'p'\nstart = 2020-01-01\nscenario = 's'\nend = 2020-02-01\nmonths = 1\n",
            "give at most one of end, months and days",
        ),
        (
            "[[cases]]\nid = 'a'\nexpect = 'eligible'\nrule = 'x'\ncandidate = 'c'\n"
            "position = 'p'\nstart = 2020-01-01\nscenario = 's'\n"
            "[[cases]]\nid = 'a'\nexpect = 'eligible'\nrule = 'x'\ncandidate = 'c'\n"
            "position = 'p'\nstart = 2020-01-01\nscenario = 's'\n",
            "case ids repeat: a",
        ),
    ],
)
def test_bad_case_files(body: str, message: str) -> None:
    """A bad case names the file, the case and the key."""
    with pytest.raises(CaseError, match=message) as info:
        parse_cases(HEADER + body, source="bad.toml")
    assert str(info.value).startswith("bad.toml")


def test_unknown_ids_fail_the_case_not_the_run() -> None:
    """An unknown candidate, scenario or rule makes the case fail with a readable problem."""
    (case,) = parse_cases(
        HEADER + "[[cases]]\nid = 'a'\nscenario = 'nus-ytp-2019'\ncandidate = 'nobody'\n"
        "position = 'ytp-ai'\nstart = 2019-12-16\nrule = 'visa.cn.s2'\nexpect = 'eligible'\n",
        source="x.toml",
    )
    result = run_case(case)
    assert result.verdict is None and "no candidate with id 'nobody'" in result.problems[0]
    (case,) = parse_cases(
        HEADER + "[[cases]]\nid = 'a'\nscenario = 'nus-ytp-2019'\ncandidate = 'nus-c01'\n"
        "position = 'ytp-ai'\nstart = 2019-12-16\nrule = 'no.such.rule'\nexpect = 'eligible'\n",
        source="x.toml",
    )
    assert "no rule or rule set 'no.such.rule'" in run_case(case).problems[0]


def test_case_files_are_recognised() -> None:
    """The plugin collects rules_*.toml and *.rulecases.toml, nothing else."""
    assert is_case_file(Path("rules_visa.toml"))
    assert is_case_file(Path("mine.rulecases.toml"))
    assert not is_case_file(Path("parameters.toml"))
    assert not is_case_file(Path("rules_visa.txt"))


_USER_CASES = """schema_version = 1
kind = "rule_cases"
parameters = ["local.toml"]

[[cases]]
id = "passes"
scenario = "nus-ytp-2019"
candidate = "nus-c01"
position = "ytp-big-data"
start = 2019-12-16
rule = "visa.cn.s2"
expect = "ineligible"
codes = ["visa.cn.s2.stay_too_long"]

[[cases]]
id = "fails"
scenario = "nus-ytp-2019"
candidate = "nus-c01"
position = "ytp-big-data"
start = 2019-12-16
rule = "visa.cn.s2"
expect = "eligible"
"""

_LOCAL = """schema_version = 1
kind = "parameters"
[parameters."visa.cn.s2.max_stay_days"]
type = "int"
values = [{ start = 2019-01-01, value = 30, reference = { source = "memo", date = 2019-01-01 } }]
"""


def _run_pytest(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run pytest in ``folder`` as a user would: the installed entry point loads the plugin.

    The folder's configuration asks the plugin to collect its case files (it
    collects nothing otherwise: tests/testing/test_plugin.py).
    """
    (folder / "pytest.ini").write_text("[pytest]\nsgcq_rule_cases = .\n", encoding="utf-8")
    args = ["-p", "no:cacheprovider", "-q", "--rootdir", str(folder)]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args, str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_plugin_collects_and_reports(tmp_path: Path) -> None:
    """The plugin runs a user's case file with their parameter file; a failure reads clearly."""
    (tmp_path / "rules_mine.toml").write_text(_USER_CASES, encoding="utf-8")
    (tmp_path / "local.toml").write_text(_LOCAL, encoding="utf-8")
    result = _run_pytest(tmp_path)
    out = result.stdout
    assert result.returncode == 1, out
    assert "1 failed, 1 passed" in out
    assert "rules_mine.toml::fails (visa.cn.s2)" in out
    assert "expected eligible, got ineligible" in out


def test_plugin_reports_a_bad_file(tmp_path: Path) -> None:
    """A case file that cannot be read is a collection error naming the file."""
    (tmp_path / "broken.rulecases.toml").write_text(
        'schema_version = 1\nkind = "nope"\n', encoding="utf-8"
    )
    result = _run_pytest(tmp_path)
    assert result.returncode != 0
    assert "broken.rulecases.toml: expected schema_version = 1" in result.stdout
