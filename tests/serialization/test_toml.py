"""Tests of the one TOML reader (sgcq.serialization._toml) and of every caller's errors."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from sgcq.errors import DocumentError, ModelValidationError
from sgcq.matching import Settings
from sgcq.rules import CaseError, load_cases, load_parameters
from sgcq.rules.cases import parse_cases
from sgcq.rules.parameters import ParameterError, parse_parameters
from sgcq.serialization import load, loads_toml
from sgcq.serialization._toml import TomlReadError, parse_toml, read_text, read_toml


def test_a_good_file_reads_as_a_dict(tmp_path: Path) -> None:
    """A file reads like its text; Windows line ends read as plain ones."""
    file = tmp_path / "a.toml"
    file.write_bytes(b'a = 1\r\n[b]\r\nc = """x\r\ny"""\r\n')
    assert read_toml(file) == {"a": 1, "b": {"c": "x\ny"}}
    assert read_toml(str(file)) == read_toml(file) == parse_toml(read_text(file))


def test_a_package_resource_reads_with_its_own_name() -> None:
    """A Traversable (a bundled file) is read too, named as the caller says."""
    folder = resources.files("sgcq").joinpath("data").joinpath("scenarios")
    entry = folder.joinpath("nus-ytp-2019.toml")
    assert read_toml(entry, source="bundled")["kind"] == "scenario"
    with pytest.raises(TomlReadError, match=r"^bundled: cannot read the file"):
        read_toml(folder.joinpath("absent.toml"), source="bundled")


def test_a_syntax_error_names_the_source_line_and_column() -> None:
    """The parser's position is kept as attributes and in the message."""
    with pytest.raises(TomlReadError) as info:
        parse_toml("a = 1\nb = \n", source="mine.toml")
    err = info.value
    assert (err.source, err.line, err.column) == ("mine.toml", 2, 5)
    assert str(err) == "mine.toml: not valid TOML at line 2, column 5: Invalid value"


def test_a_syntax_error_without_a_position_still_names_the_source() -> None:
    """An error at the end of the text has no line from the parser; the source is still named."""
    with pytest.raises(TomlReadError) as info:
        parse_toml('a = "open', source="mine.toml")
    assert info.value.line is None
    assert str(info.value).startswith("mine.toml: not valid TOML: Unterminated string")


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    """An OSError becomes a TomlReadError naming the file and the reason."""
    file = tmp_path / "absent.toml"
    with pytest.raises(TomlReadError) as info:
        read_toml(file)
    assert str(info.value) == f"{file}: cannot read the file: No such file or directory"
    with pytest.raises(TomlReadError, match="cannot read the file"):
        read_toml(tmp_path)


def test_a_file_that_is_not_utf8_names_the_file_and_line(tmp_path: Path) -> None:
    """A UnicodeDecodeError becomes a TomlReadError naming the file and the line of the bad byte."""
    file = tmp_path / "latin1.toml"
    file.write_bytes('a = 1\nb = 2\nc = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(TomlReadError) as info:
        read_toml(file)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{file}: not UTF-8 text at line 3: ")


# --- every caller raises its own error type, naming the file --------------------

PARAMETERS = 'schema_version = 1\nkind = "parameters"\n'
CASES = 'schema_version = 1\nkind = "rule_cases"\n'

#: (reader of a file, the error it documents, a valid file's text).
FILE_READERS: dict[str, tuple[Callable[[Path], Any], type[Exception], str]] = {
    "load": (load, DocumentError, 'schema_version = 1\nkind = "money"\n'),
    "load_parameters": (load_parameters, ParameterError, PARAMETERS),
    "load_cases": (load_cases, CaseError, CASES),
    "Settings.from_toml": (Settings.from_toml, ModelValidationError, "seed = 1\nworkers = 1\n"),
}


@pytest.mark.parametrize("reader", sorted(FILE_READERS))
def test_every_reader_refuses_a_file_that_is_not_utf8(tmp_path: Path, reader: str) -> None:
    """Regression: a non-UTF-8 file was a bare UnicodeDecodeError; now it is the reader's error."""
    read, error, text = FILE_READERS[reader]
    file = tmp_path / "latin1.toml"
    file.write_bytes((text + "# caf\xe9\n").encode("latin-1"))
    with pytest.raises(error) as info:
        read(file)
    assert not isinstance(info.value, UnicodeDecodeError)
    assert str(file) in str(info.value) and "not UTF-8 text at line 3" in str(info.value)


@pytest.mark.parametrize("reader", sorted(FILE_READERS))
def test_every_reader_names_the_file_of_a_syntax_error(tmp_path: Path, reader: str) -> None:
    """Bad TOML is the reader's own error, with the file, line and column."""
    read, error, text = FILE_READERS[reader]
    file = tmp_path / "bad.toml"
    file.write_text(text + "x = \n", encoding="utf-8")
    with pytest.raises(error) as info:
        read(file)
    assert str(file) in str(info.value)
    assert "not valid TOML at line 3, column 5: Invalid value" in str(info.value)


@pytest.mark.parametrize("reader", sorted(FILE_READERS))
def test_every_reader_names_a_missing_file(tmp_path: Path, reader: str) -> None:
    """A file that cannot be read is the reader's own error, naming it."""
    read, error, _ = FILE_READERS[reader]
    file = tmp_path / "absent.toml"
    with pytest.raises(error) as info:
        read(file)
    assert str(file) in str(info.value) and "cannot read the file" in str(info.value)


@pytest.mark.parametrize("reader", sorted(FILE_READERS))
def test_every_reader_reads_a_good_file(tmp_path: Path, reader: str) -> None:
    """The valid texts used above are valid, so the errors above come from the bad bytes."""
    read, _, text = FILE_READERS[reader]
    file = tmp_path / "good.toml"
    file.write_text(text + ("amount = 1\ncurrency = 'SGD'\n" if reader == "load" else ""))
    assert read(file) is not None


@pytest.mark.parametrize(
    ("parse", "error"),
    [
        (lambda t: loads_toml(t, source="s.toml"), DocumentError),
        (lambda t: parse_parameters(t, source="s.toml"), ParameterError),
        (lambda t: parse_cases(t, source="s.toml"), CaseError),
    ],
)
def test_every_text_parser_names_the_source_line_and_column(
    parse: Callable[[str], Any], error: type[Exception]
) -> None:
    """The text entry points report syntax errors the same way, as their own error type."""
    with pytest.raises(error) as info:
        parse("a = 1\nb = \n")
    assert str(info.value) == "s.toml: not valid TOML at line 2, column 5: Invalid value"
