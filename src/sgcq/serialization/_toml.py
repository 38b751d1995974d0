"""The one TOML reader: a file or a text in, a dict out, or an error naming the file.

Documents, parameter files, rule-case files, the bundled scenarios and solver
settings are all read here, so that a file that cannot be read, is not UTF-8
or is not valid TOML gets the same clear message everywhere, naming the file
and, where the parser gives them, the line and column. Each caller turns
:class:`TomlReadError` into the error type it documents. :func:`read_text`
is the same file reading without the parsing (JSON documents use it).
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

# From the bottom layer, so that every layer's errors (sgcq.errors included)
# may sit above the one reader that rules and matching also use.
from sgcq.errors import TomlReadError

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable

    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    from importlib.abc import Traversable

    import tomli as tomllib

__all__ = ["TomlReadError", "long_number_at", "parse_toml", "read_text", "read_toml"]

# tomllib before 3.14 (and tomli before 2.1) put the position in the message only.
_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$", re.S)


def parse_toml(text: str, *, source: str = "<string>") -> dict[str, Any]:
    """Parse a TOML text.

    Parameters
    ----------
    text
        The TOML text.
    source
        Named in the error.

    Returns
    -------
    dict
        The parsed document.

    Raises
    ------
    TomlReadError
        If the text is not valid TOML: ``not valid TOML at line L, column C: ...``;
        also for arrays or tables nested too deeply for the parser and for
        integers with more digits than Python converts (no position known).
    """
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line: int | None = getattr(exc, "lineno", None)
        column: int | None = getattr(exc, "colno", None)
        msg: str = getattr(exc, "msg", str(exc))
        if line is None and (m := _POSITION.match(str(exc))):
            msg, line, column = m["msg"], int(m["line"]), int(m["column"])
        where = f" at line {line}, column {column}" if line is not None else ""
        raise TomlReadError(source, f"not valid TOML{where}: {msg}", line, column) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise TomlReadError(source, "not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as exc:
        # An integer literal longer than Python converts (sys.get_int_max_str_digits()).
        line, column = long_number_at(text)
        where = f" at line {line}, column {column}" if line is not None else ""
        problem = "a number has too many digits" if "digits" in str(exc) else str(exc)
        raise TomlReadError(source, f"not valid TOML{where}: {problem}", line, column) from None
    return data


_LONG_NUMBER = re.compile(r"\d{4301,}")


def long_number_at(text: str) -> tuple[int | None, int | None]:
    """Return the line and column (1-based) of the first run of over 4,300 digits in ``text``.

    Python refuses to convert longer integer literals; the parsers then say
    nothing about where the number is.
    """
    match = _LONG_NUMBER.search(text)
    if match is None:
        return None, None
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1


def read_text(path: str | os.PathLike[str] | Traversable, *, source: str | None = None) -> str:
    """Read a UTF-8 text file, with newlines read as text mode reads them.

    Parameters
    ----------
    path
        A file path, or a package resource (:class:`~importlib.resources.abc.Traversable`).
    source
        Named in the error; the path by default.

    Returns
    -------
    str
        The file's text.

    Raises
    ------
    TomlReadError
        If the file cannot be read (``cannot read the file: ...``) or is not
        UTF-8 (``not UTF-8 text at line L: ...``).
    """
    name = _name(path, source)
    try:
        data = _read_bytes(path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise TomlReadError(name, f"cannot read the file: {reason}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TomlReadError(name, f"not UTF-8 text at line {line}: {exc.reason}", line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_toml(
    path: str | os.PathLike[str] | Traversable, *, source: str | None = None
) -> dict[str, Any]:
    """Read and parse a UTF-8 TOML file.

    Parameters
    ----------
    path
        A file path, or a package resource (:class:`~importlib.resources.abc.Traversable`).
    source
        Named in the error; the path by default.

    Returns
    -------
    dict
        The parsed document.

    Raises
    ------
    TomlReadError
        If the file cannot be read, is not UTF-8 (see :func:`read_text`) or is
        not valid TOML (see :func:`parse_toml`).
    """
    return parse_toml(read_text(path, source=source), source=_name(path, source))


def _name(path: str | os.PathLike[str] | Traversable, source: str | None) -> str:
    if source is not None:
        return source
    if isinstance(path, (str, os.PathLike)):
        return os.fspath(path)
    return str(path)


def _read_bytes(path: str | os.PathLike[str] | Traversable) -> bytes:
    if isinstance(path, (str, os.PathLike)):
        with open(path, "rb") as handle:
            return handle.read()
    return path.read_bytes()
