"""Regression tests for the hard edges of issue 16, one test named after each defect.

Every malformed input is refused with its path (or file, line and column),
and nothing is silently changed on the way in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sgcq.errors import (
    CaseError,
    DocumentError,
    ModelValidationError,
    ParameterError,
    SgcqError,
)
from sgcq.matching import Settings
from sgcq.models import Candidate, Money, Position
from sgcq.rules.cases import load_cases
from sgcq.rules.parameters import load_parameters
from sgcq.scenarios import load_scenario
from sgcq.serialization import load, loads_json, loads_toml, to_data


def _candidate_data() -> dict[str, Any]:
    return to_data(load_scenario("nus-ytp-2019").candidates[0])


def _position_data() -> dict[str, Any]:
    return to_data(load_scenario("nus-ytp-2019").positions[0])


def _refused(data: dict[str, Any]) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        loads_json(json.dumps(data))
    return info.value


# --- silent change of data ------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text"), [("languages", "en"), ("schemes_used", "yes"), ("skills", "ai")]
)
def test_string_where_a_set_is_expected_is_not_split_into_characters(field: str, text: str) -> None:
    """`languages = "en"` used to become {'e', 'n'}; `schemes_used = "yes"` re-opened YES."""
    data = _candidate_data()
    data[field] = text
    error = _refused(data)
    assert error.paths == (field,)
    assert f"expected a list, got str {text!r}" in str(error)


def test_string_where_position_fields_are_expected_is_not_split() -> None:
    """`fields = "ai"` used to become {'a', 'i'} and change the field quotas."""
    data = _position_data()
    data["fields"] = "ai"
    assert _refused(data).paths == ("fields",)


def test_string_where_a_tuple_is_expected_is_refused_in_toml() -> None:
    """A string where a list of candidates is expected is refused, in TOML too."""
    text = 'schema_version = 1\nkind = "rate_table"\nrates = "SGD"\n'
    with pytest.raises(DocumentError) as info:
        loads_toml(text)
    assert info.value.paths == ("rates",)


def test_table_where_a_list_is_expected_is_not_read_as_its_keys() -> None:
    """A table where a list is expected used to become the list of its keys."""
    data = _candidate_data()
    data["languages"] = {"en": 1, "zh": 2}
    assert _refused(data).paths == ("languages",)


def test_duplicate_json_keys_are_an_error_with_their_path() -> None:
    """A key given twice used to keep the last value silently (a preference rank could change)."""
    data = _candidate_data()
    text = json.dumps(data).replace('"preferences": {', '"preferences": {"ytp-big-data": 3, ', 1)
    assert '"ytp-big-data": 3, "ytp-big-data"' in text
    with pytest.raises(DocumentError) as info:
        loads_json(text)
    assert info.value.paths == ("preferences.ytp-big-data",)
    assert "key given more than once" in str(info.value)


def test_duplicate_top_level_json_key_is_an_error() -> None:
    """The envelope and top-level fields are checked too."""
    text = '{"schema_version": 1, "kind": "money", "amount": "1", "amount": "2", "currency": "SGD"}'
    with pytest.raises(DocumentError) as info:
        loads_json(text)
    assert info.value.paths == ("amount",)


def test_duplicate_set_items_are_an_error_with_their_path() -> None:
    """Duplicate items of a set field used to be merged without a word."""
    data = _candidate_data()
    data["modes"] = ["on_site", "remote", "on_site"]
    error = _refused(data)
    assert error.paths == ("modes[2]",)
    assert "duplicate item" in str(error)


def test_repeated_start_dates_are_refused() -> None:
    """A position's start dates are distinct: a repeated one is an error, not merged."""
    data = _position_data()
    data["starts"]["dates"] = ["2019-12-16", "2019-12-16"]
    assert _refused(data).paths == ("starts.dates",)


# --- escapes: every parse failure is an SgcqError naming the file ---------------------


def test_non_utf8_document_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 used to raise UnicodeDecodeError from load()."""
    for suffix in (".json", ".toml"):
        path = tmp_path / f"latin{suffix}"
        path.write_bytes(b'{"a":\n "caf\xe9"}' if suffix == ".json" else b'a = "caf\xe9"\n')
        with pytest.raises(DocumentError) as info:
            load(path)
        assert str(info.value).startswith(str(path))
        line = 2 if suffix == ".json" else 1
        assert f"not UTF-8 text at line {line}" in str(info.value)


def test_non_utf8_settings_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    """Settings.from_toml on a Latin-1 file raises a ModelValidationError naming it."""
    path = tmp_path / "settings.toml"
    path.write_bytes(b"# caf\xe9\nworkers = 1\n")
    with pytest.raises(ModelValidationError) as info:
        Settings.from_toml(path)
    assert str(path) in str(info.value) and "not UTF-8 text at line 1" in str(info.value)


def test_non_utf8_case_and_parameter_files_are_refused_naming_the_file(tmp_path: Path) -> None:
    """load_cases and load_parameters refuse Latin-1 files with their own errors."""
    path = tmp_path / "rules_x.toml"
    path.write_bytes(b"# caf\xe9\n")
    with pytest.raises(CaseError, match="not UTF-8 text at line 1"):
        load_cases(path)
    with pytest.raises(ParameterError, match="not UTF-8 text at line 1"):
        load_parameters(path)


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
def test_nesting_1000_deep_is_refused(depth: int) -> None:
    """1,000 nested lists used to raise RecursionError; any depth over 64 is refused."""
    json_text = (
        '{"schema_version": 1, "kind": "money", "amount": ' + "[" * depth + "]" * depth + "}"
    )
    with pytest.raises(DocumentError) as info:
        loads_json(json_text, source="deep.json")
    assert str(info.value).startswith("deep.json")
    toml_text = 'schema_version = 1\nkind = "money"\namount = ' + "[" * depth + "]" * depth + "\n"
    with pytest.raises(DocumentError) as info:
        loads_toml(toml_text, source="deep.toml")
    assert str(info.value).startswith("deep.toml")


def test_nesting_beyond_the_limit_names_the_path() -> None:
    """A nest the parser can read but deeper than MAX_NESTING is refused at its path."""
    deep: Any = "x"
    for _ in range(70):
        deep = [deep]
    data = {"schema_version": 1, "kind": "money", "amount": deep, "currency": "SGD"}
    with pytest.raises(DocumentError) as info:
        loads_json(json.dumps(data))
    (path,) = info.value.paths
    assert path.startswith("amount[0][0]") and "nested more than 64 deep" in str(info.value)


def test_integer_literal_over_4300_digits_is_refused() -> None:
    """An integer of 5,000 digits used to raise a bare ValueError from the parser."""
    digits = "9" * 5000
    with pytest.raises(DocumentError, match="at line 2, column 12: a number has too many digits"):
        loads_json('{"schema_version": 1, "kind": "money",\n "amount": ' + digits + "}")
    with pytest.raises(DocumentError, match="at line 3, column 10: a number has too many digits"):
        loads_toml(f'schema_version = 1\nkind = "money"\namount = {digits}\n')


def test_lone_surrogate_in_json_is_refused() -> None:
    """JSON can spell a lone surrogate, which no UTF-8 file (nor TOML) can hold."""
    text = '{"schema_version": 1, "kind": "money", "amount": "1", "currency": "\\ud800"}'
    with pytest.raises(DocumentError) as info:
        loads_json(text)
    assert info.value.paths == ("currency",)


# --- bounds ---------------------------------------------------------------------


def test_money_of_1e26_does_not_crash_str() -> None:
    """Money of 10^26 used to crash str() (and so `sgcq show`); now it is refused, by path."""
    with pytest.raises(ModelValidationError) as info:
        Money(10**26, "SGD")
    assert info.value.paths == ("amount",)
    text = '{"schema_version": 1, "kind": "money", "amount": "1e26", "currency": "SGD"}'
    with pytest.raises(DocumentError) as doc:
        loads_json(text)
    assert doc.value.paths == ("amount",)
    assert str(Money(10**15, "SGD")) == "SGD 1,000,000,000,000,000.00"
    assert str(Money("-1e15", "JPY")) == "JPY -1,000,000,000,000,000"


@pytest.mark.parametrize(
    ("where", "value", "path"),
    [
        (("seats",), 10**7, "seats"),
        (("seats",), 2**63, "seats"),
        (("duration", "maximum", "value"), 10**6, "duration.maximum.value"),
        (("starts", "dates"), ["9999-12-31"], "starts.dates[0]"),
        (("starts", "dates"), ["1899-12-31"], "starts.dates[0]"),
    ],
)
def test_huge_seats_durations_and_dates_near_9999_are_refused(
    where: tuple[str, ...], value: Any, path: str
) -> None:
    """Huge seats, durations and dates near 9999 used to pass validate and crash match."""
    data = _position_data()
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    error = _refused(data)
    assert error.paths == (path,)
    assert "sgcq.models.limits" in str(error)


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("preferences", {"ytp-big-data": 10**7}, "preferences[ytp-big-data]"),
        ("priority", 10**7, "priority"),
        ("available", {"start": "2020-01-01", "end": "9999-12-31"}, "available.end"),
    ],
)
def test_huge_ranks_priorities_and_late_dates_of_candidates_are_refused(
    field: str, value: Any, path: str
) -> None:
    """Ranks, priorities and availability dates are bounded like seats."""
    data = _candidate_data()
    data[field] = value
    assert _refused(data).paths == (path,)


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_limit", 10**400), ("time_limit", 1e300), ("workers", 10**12), ("seed", 2**63)],
)
def test_huge_solver_settings_are_refused(field: str, value: Any) -> None:
    """A time limit of 10^400 used to raise OverflowError; huge worker counts reached CP-SAT."""
    text = json.dumps({"schema_version": 1, "kind": "match_settings", field: value})
    with pytest.raises(DocumentError) as info:
        loads_json(text)
    assert info.value.paths == (field,)


def test_bounds_are_checked_when_models_are_built_in_python() -> None:
    """The same bounds apply to models made in code, not only to files."""
    position = load_scenario("nus-ytp-2019").positions[0]
    import attrs

    with pytest.raises(ModelValidationError):
        attrs.evolve(position, seats=10**7)
    candidate = load_scenario("nus-ytp-2019").candidates[0]
    with pytest.raises(ModelValidationError):
        attrs.evolve(candidate, priority=10**9)
    assert isinstance(position, Position) and isinstance(candidate, Candidate)


def test_every_refusal_is_an_sgcq_error() -> None:
    """The errors above are all SgcqErrors, so one except clause catches bad input."""
    assert issubclass(DocumentError, SgcqError) and issubclass(CaseError, SgcqError)


def test_an_empty_or_dotted_unknown_key_still_has_a_path() -> None:
    """An unknown key "" used to be reported at the empty path (found by the fuzz profile)."""
    with pytest.raises(DocumentError) as info:
        loads_json('{"schema_version": 1, "kind": "match_settings", "": 1, "a.b": 2}')
    assert info.value.paths == ("['']", "['a.b']")
