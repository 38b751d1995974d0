"""The pytest plugin and the safety of rule case files, run in real pytest sessions (pytester).

Every test starts an inner pytest session in a temporary project, as a user's
CI would: the plugin is loaded from its ``pytest11`` entry point and reads
the project's configuration.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sgcq.errors import CaseError, UnsafeCaseError
from sgcq.rules.cases import load_cases, parse_cases

pytest_plugins = ["pytester"]

HEADER = 'schema_version = 1\nkind = "rule_cases"\n'

PASSING = """
[[cases]]
id = "passes"
scenario = "nus-ytp-2019"
candidate = "nus-c01"
position = "ytp-big-data"
start = 2019-12-16
rule = "visa.cn.s2"
expect = "eligible"
"""

FAILING = """
[[cases]]
id = "fails"
description = "the S2 route is open, so this expectation is wrong"
scenario = "nus-ytp-2019"
candidate = "nus-c01"
position = "ytp-big-data"
start = 2019-12-16
rule = "visa.cn.s2"
expect = "ineligible"
codes = ["visa.cn.s2.stay_too_long"]
"""

LOCAL_PARAMETERS = """schema_version = 1
kind = "parameters"
[parameters."visa.cn.s2.max_stay_days"]
type = "int"
values = [{ start = 2019-01-01, value = 30, reference = { source = "memo", date = 2019-01-01 } }]
"""

# A module whose import leaves a trace: a refused case file must never import it.
MARKER_MODULE = """
from pathlib import Path
Path(__file__).with_name("IMPORTED").write_text("imported")
from sgcq.rules import default_rulebook
def book():
    return default_rulebook()
"""


def _configure(pytester: pytest.Pytester, **options: str) -> None:
    lines = "\n".join(f"{k} = {v}" for k, v in options.items())
    pytester.makeini(f"[pytest]\n{lines}\n")


def _write(pytester: pytest.Pytester, name: str, text: str) -> Path:
    path = pytester.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- collection only where configured ----------------------------------------------


def test_installed_but_unconfigured_project_collects_nothing(pytester: pytest.Pytester) -> None:
    """A project with sgcq installed and a rules_*.toml file, but no sgcq option, runs no case."""
    _write(pytester, "rules_mine.toml", HEADER + PASSING + FAILING)
    _write(pytester, "checks.rulecases.toml", HEADER + FAILING)
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.no_fnmatch_line("*rules_mine.toml*")
    result.stdout.no_fnmatch_line("*sgcq rule cases*")


def test_cases_are_collected_only_in_the_configured_folders(pytester: pytest.Pytester) -> None:
    """sgcq_rule_cases names the folders; a case file elsewhere is not a test."""
    _configure(pytester, sgcq_rule_cases="cases")
    _write(pytester, "cases/rules_mine.toml", HEADER + PASSING)
    _write(pytester, "cases/deeper/more.rulecases.toml", HEADER + PASSING)
    _write(pytester, "elsewhere/rules_other.toml", HEADER + FAILING)
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["sgcq rule cases: cases", "*cases/rules_mine.toml::passes PASSED*"]
    )
    result.stdout.no_fnmatch_line("*rules_other*")


def test_only_files_named_as_case_files_are_collected(pytester: pytest.Pytester) -> None:
    """In a configured folder, other TOML files (parameters, scenarios) are left alone."""
    _configure(pytester, sgcq_rule_cases=".")
    _write(pytester, "rules_mine.toml", HEADER + PASSING)
    _write(pytester, "parameters.toml", LOCAL_PARAMETERS)
    _write(pytester, "rules_mine.txt", "not TOML")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


# --- failure text -------------------------------------------------------------------


def test_failure_text_starts_with_the_first_difference(pytester: pytest.Pytester) -> None:
    """The report, the -ra summary and the JUnit XML message all start with what differed."""
    _configure(pytester, sgcq_rule_cases=".")
    path = _write(pytester, "rules_mine.toml", HEADER + PASSING + FAILING)
    junit = pytester.path / "junit.xml"
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-ra", f"--junitxml={junit}", "-o", "junit_family=xunit1"
    )
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.lines
    # The failure section: the first line under the header is the first difference.
    header = next(i for i, line in enumerate(out) if "rule case fails" in line and "_" in line)
    assert out[header + 1] == "expected ineligible, got eligible (and 1 more)"
    assert out[header + 2] == "  - expected reason codes not given: visa.cn.s2.stay_too_long"
    assert (
        out[header + 3].startswith("  in rule case ")
        and "rules_mine.toml::fails" in out[header + 3]
    )
    assert "the S2 route is open" in out[header + 4]
    # The short summary (what -ra and CI logs show) carries the difference.
    result.stdout.fnmatch_lines(
        ["FAILED rules_mine.toml::fails - expected ineligible, got eligible (and 1 more)"]
    )
    # JUnit XML, which CI annotations read: the message is the difference, at the case's line.
    case = ET.parse(junit).getroot().find(".//testcase[@name='fails']")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "expected ineligible, got eligible (and 1 more)"
    assert (failure.text or "").startswith("expected ineligible, got eligible")
    line = path.read_text(encoding="utf-8").splitlines().index('id = "fails"')
    assert (case.get("file"), case.get("line")) == ("rules_mine.toml", str(line))  # 0-based


def test_case_that_cannot_run_fails_with_its_reason_first(pytester: pytest.Pytester) -> None:
    """An unknown candidate fails the case; the summary names it."""
    _configure(pytester, sgcq_rule_cases=".")
    _write(pytester, "rules_mine.toml", HEADER + PASSING.replace("nus-c01", "nobody"))
    result = pytester.runpytest("-p", "no:cacheprovider", "-ra")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["FAILED rules_mine.toml::passes - *no candidate with id 'nobody'*"]
    )


# --- did you mean -------------------------------------------------------------------


def test_unknown_case_key_suggests_the_nearest() -> None:
    """A misspelt key names itself and the key it probably meant."""
    with pytest.raises(CaseError, match=r"unknown keys 'expcet' \(did you mean 'expect'\?\)"):
        parse_cases(HEADER + PASSING.replace("expect =", "expcet ="), source="x.toml")


def test_unknown_top_level_key_suggests_the_nearest() -> None:
    """The same for the file's own keys."""
    with pytest.raises(
        CaseError, match=r"x.toml: unknown top-level keys 'parameter' \(did you mean"
    ):
        parse_cases(HEADER + 'parameter = ["p.toml"]\n' + PASSING, source="x.toml")


def test_unknown_key_with_nothing_near_lists_the_known_keys() -> None:
    """A key like no other gets no guess, but the list of known keys."""
    with pytest.raises(CaseError, match=r"unknown keys 'colour'; known: absent_codes, as_of"):
        parse_cases(HEADER + PASSING + 'colour = "red"\n', source="x.toml")


def test_misspelt_key_fails_collection_with_the_suggestion(pytester: pytest.Pytester) -> None:
    """Through the plugin, the file is a collection error with the suggestion."""
    _configure(pytester, sgcq_rule_cases=".")
    _write(pytester, "rules_mine.toml", HEADER + PASSING.replace("candidate =", "candidat ="))
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*'candidat' (did you mean 'candidate'?)*"])


# --- paths confined to the case file's folder --------------------------------------


def test_case_file_naming_an_outside_path_is_refused(tmp_path: Path) -> None:
    """scenario_file and parameters may not leave the case file's folder, by .. or absolutely."""
    folder = tmp_path / "cases"
    folder.mkdir()
    (tmp_path / "outside.toml").write_text(LOCAL_PARAMETERS, encoding="utf-8")
    bodies = {
        "parameters-dotdot": 'parameters = ["../outside.toml"]\n' + PASSING,
        "parameters-absolute": f'parameters = ["{tmp_path / "outside.toml"}"]\n' + PASSING,
        "scenario-file": PASSING.replace(
            'scenario = "nus-ytp-2019"', 'scenario_file = "../outside.toml"'
        ),
    }
    for name, body in bodies.items():
        path = folder / f"rules_{name}.toml"
        path.write_text(HEADER + body, encoding="utf-8")
        with pytest.raises(UnsafeCaseError, match="is outside the case file's folder") as info:
            load_cases(path)
        assert str(info.value).startswith(str(path)), name
        assert "sgcq_case_paths" in str(info.value)


def test_case_file_naming_a_path_through_a_symlink_out_is_refused(tmp_path: Path) -> None:
    """A link inside the folder that points outside is resolved, and refused."""
    folder = tmp_path / "cases"
    folder.mkdir()
    (tmp_path / "outside.toml").write_text(LOCAL_PARAMETERS, encoding="utf-8")
    (folder / "link.toml").symlink_to(tmp_path / "outside.toml")
    path = folder / "rules_link.toml"
    path.write_text(HEADER + 'parameters = ["link.toml"]\n' + PASSING, encoding="utf-8")
    with pytest.raises(UnsafeCaseError, match=r"'link\.toml' is outside"):
        load_cases(path)


def test_paths_inside_the_folder_and_allowed_folders_are_read(tmp_path: Path) -> None:
    """A file in the folder (or a sub-folder) is fine; allowed_paths admits one more folder."""
    folder, shared = tmp_path / "cases", tmp_path / "shared"
    (folder / "sub").mkdir(parents=True)
    shared.mkdir()
    (folder / "sub" / "local.toml").write_text(LOCAL_PARAMETERS, encoding="utf-8")
    (shared / "common.toml").write_text(LOCAL_PARAMETERS, encoding="utf-8")
    inside = folder / "rules_in.toml"
    inside.write_text(HEADER + 'parameters = ["sub/../sub/local.toml"]\n' + PASSING, "utf-8")
    (case,) = load_cases(inside)
    assert case.parameter_files == ((folder / "sub" / "local.toml").resolve(),)
    shared_case = folder / "rules_shared.toml"
    shared_case.write_text(HEADER + 'parameters = ["../shared/common.toml"]\n' + PASSING, "utf-8")
    with pytest.raises(UnsafeCaseError):
        load_cases(shared_case)
    (case,) = load_cases(shared_case, allowed_paths=[shared])
    assert case.parameter_files == ((shared / "common.toml").resolve(),)


def test_outside_path_fails_collection_unless_the_project_allows_it(
    pytester: pytest.Pytester,
) -> None:
    """Through the plugin: refused by default, read when sgcq_case_paths names the folder."""
    _write(pytester, "shared/local.toml", LOCAL_PARAMETERS)
    body = HEADER + 'parameters = ["../shared/local.toml"]\n' + FAILING
    _write(pytester, "cases/rules_mine.toml", body)
    _configure(pytester, sgcq_rule_cases="cases")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*'../shared/local.toml' is outside the case file's folder*"])
    _configure(pytester, sgcq_rule_cases="cases", sgcq_case_paths="shared")
    # With the memo's 30-day limit the stay is too long: the case (expecting that) passes.
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


# --- code references only to listed modules ----------------------------------------


def test_case_file_naming_an_unlisted_module_is_refused(tmp_path: Path) -> None:
    """rulebook = 'module:callable' is refused unless the module is listed, before any import."""
    (tmp_path / "sneaky.py").write_text(MARKER_MODULE, encoding="utf-8")
    path = tmp_path / "rules_sneaky.toml"
    path.write_text(HEADER + 'rulebook = "sneaky:book"\n' + PASSING, encoding="utf-8")
    with pytest.raises(UnsafeCaseError, match="module 'sneaky' is not allowed") as info:
        load_cases(path)
    assert "sgcq_rulebook_modules" in str(info.value)
    with pytest.raises(UnsafeCaseError, match=r"module 'os' is not allowed \(allowed: mine\)"):
        parse_cases(HEADER + 'rulebook = "os:system"\n', allowed_modules=["mine"])
    with pytest.raises(UnsafeCaseError, match="module 'mine_too' is not allowed"):
        parse_cases(HEADER + 'rulebook = "mine_too:book"\n', allowed_modules=["mine.*"])
    assert not (tmp_path / "IMPORTED").exists()


def test_listed_module_and_package_pattern_are_accepted() -> None:
    """An exact module name, or 'package.*' for the package's modules."""
    text = HEADER + 'rulebook = "mine.rules:book"\n' + PASSING
    (case,) = parse_cases(text, allowed_modules=["mine.rules"])
    assert case.rulebook == "mine.rules:book"
    (case,) = parse_cases(text, allowed_modules=["mine.*"])
    assert case.rulebook == "mine.rules:book"
    with pytest.raises(CaseError, match=r"expected 'package\.module:name'"):
        parse_cases(HEADER + 'rulebook = "mine.rules"\n', allowed_modules=["mine.rules"])


def test_unlisted_module_fails_collection_and_is_never_imported(
    pytester: pytest.Pytester,
) -> None:
    """Through the plugin: the module is imported only once the project lists it."""
    _write(pytester, "sneaky.py", MARKER_MODULE)
    _write(pytester, "rules_mine.toml", HEADER + 'rulebook = "sneaky:book"\n' + PASSING)
    _configure(pytester, sgcq_rule_cases=".", pythonpath=".")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*module 'sneaky' is not allowed (allowed: none)*"])
    assert not (pytester.path / "IMPORTED").exists()
    _configure(pytester, sgcq_rule_cases=".", pythonpath=".", sgcq_rulebook_modules="sneaky")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert (pytester.path / "IMPORTED").exists()
