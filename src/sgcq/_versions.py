"""The versions of sgcq, Python and every dependency, for bug reports.

Read from the installed distributions' metadata (:mod:`importlib.metadata`):
nothing is imported, so the report works even when a dependency is broken,
and OR-Tools stays behind :mod:`sgcq.matching`.
"""

from __future__ import annotations

import json
import platform
import re
import sys
from importlib import metadata
from typing import TextIO

__all__ = ["__version__", "show_versions", "versions"]

try:
    __version__ = metadata.version("sgcq")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _requirements() -> dict[str, list[str]]:
    """Return sgcq's requirements by extra (``""`` for the core), in declared order."""
    try:
        lines = metadata.requires("sgcq") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        lines = []
    out: dict[str, list[str]] = {"": []}
    for line in lines:
        m = _NAME.match(line)
        if m is None:  # pragma: no cover - metadata lines always start with a name
            continue
        name = m.group(1)
        extra = _EXTRA.search(line)
        group = out.setdefault(extra.group(1) if extra else "", [])
        if name.lower() != "sgcq" and name not in group:
            group.append(name)
    return out


def versions() -> dict[str, dict[str, str]]:
    """Return the versions a bug report needs.

    Returns
    -------
    dict
        ``"sgcq"``: sgcq, Python and the platform; ``"dependencies"``: each
        core requirement; ``"extra NAME"``: each optional extra's
        requirements, with ``"not installed"`` for those missing.

    Examples
    --------
    >>> report = versions()
    >>> sorted(report["sgcq"])
    ['platform', 'python', 'sgcq']
    >>> "ortools" in report["dependencies"] and "attrs" in report["dependencies"]
    True
    """
    requirements = _requirements()
    out: dict[str, dict[str, str]] = {
        "sgcq": {
            "sgcq": __version__,
            "python": f"{platform.python_version()} ({platform.python_implementation()})",
            "platform": platform.platform(),
        },
        "dependencies": {name: _installed(name) for name in requirements.pop("")},
    }
    for extra in sorted(requirements):
        out[f"extra {extra}"] = {name: _installed(name) for name in requirements[extra]}
    return out


def show_versions(file: TextIO | None = None, *, as_json: bool = False) -> None:
    """Print sgcq's, Python's and every dependency's version, for a bug report.

    ``sgcq --version --verbose`` prints the same.

    Parameters
    ----------
    file
        Where to write; standard output by default.
    as_json
        Write one JSON object (see :func:`versions`) instead of aligned text.

    Examples
    --------
    >>> show_versions()  # doctest: +ELLIPSIS
    sgcq
      sgcq                   ...
      python                 3...
    ...
    dependencies
      attrs                  ...
    ...
    """
    out = sys.stdout if file is None else file
    report = versions()
    if as_json:
        out.write(json.dumps(report, indent=2) + "\n")
        return
    for section, entries in report.items():
        out.write(f"{section}\n")
        for name, version in entries.items():
            out.write(f"  {name:<22} {version}\n")
