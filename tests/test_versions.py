"""``sgcq.show_versions()`` and ``sgcq --version --verbose``, for bug reports."""

from __future__ import annotations

import io
import json
import platform
from importlib import metadata

import pytest

import sgcq
from sgcq.cli import main


def test_versions_name_sgcq_python_and_the_core_dependencies() -> None:
    """The report holds sgcq's, Python's, OR-Tools', attrs' and cattrs' versions."""
    report = sgcq._versions.versions()
    assert report["sgcq"]["sgcq"] == sgcq.__version__
    assert report["sgcq"]["python"].startswith(platform.python_version())
    deps = report["dependencies"]
    for name in ("ortools", "attrs", "cattrs"):
        assert deps[name] == metadata.version(name)


def test_every_extra_is_reported() -> None:
    """Each extra of pyproject.toml has a section; its packages have a version or say so."""
    report = sgcq._versions.versions()
    extras = metadata.metadata("sgcq").get_all("Provides-Extra") or []
    assert extras
    for extra in extras:
        section = report[f"extra {extra}"]
        assert section
        for name, version in section.items():
            expected = _installed(name)
            assert version == expected, name


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def test_show_versions_writes_text_or_json() -> None:
    """Aligned text by default, one JSON object with as_json."""
    out = io.StringIO()
    sgcq.show_versions(out)
    text = out.getvalue()
    assert text.startswith("sgcq\n  sgcq ")
    assert f"ortools{' ' * 16}{metadata.version('ortools')}" in text
    out = io.StringIO()
    sgcq.show_versions(out, as_json=True)
    assert json.loads(out.getvalue()) == sgcq._versions.versions()


@pytest.mark.parametrize("argv", [["--version", "--verbose"], ["-v", "--version"]])
def test_cli_version_verbose(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """``--version`` with ``-v`` in either order prints the whole report and exits 0."""
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("sgcq\n")
    assert "cattrs" in out and "extra test" in out


def test_cli_version_alone_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Plain ``--version`` stays one line."""
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"sgcq {sgcq.__version__}\n"
