"""The loaders' return types follow the class argument, under ``mypy --strict``.

A user's script is type-checked with the project's own mypy settings: with
a class, ``load``, ``loads_json``, ``loads_toml`` and ``from_data`` return an
instance of it; without one they return ``object``, which a strict user
narrows with ``isinstance``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api", reason="mypy comes with the dev extra")

ROOT = Path(__file__).resolve().parents[2]

USER_SCRIPT = """\
from pathlib import Path
from typing import Any

from typing_extensions import assert_type

from sgcq.models import Money, Scenario
from sgcq.serialization import (
    KINDS, dumps_json, dumps_toml, from_data, load, loads_json, loads_toml, to_data,
)


def summarise(path: Path) -> str:
    scenario = load(path, Scenario)
    assert_type(scenario, Scenario)
    return scenario.summary()


def amounts() -> list[Money]:
    text = dumps_json(Money("1500", "SGD"))
    a = loads_json(text, Money)
    b = loads_toml(dumps_toml(Money("2", "SGD")), Money)
    c = from_data(to_data(a), Money)
    assert_type(a, Money)
    assert_type(b, Money)
    assert_type(c, Money)
    return [a, b, c]


def anything(path: str) -> str:
    doc = load(path)
    assert_type(doc, object)
    assert_type(loads_json("{}"), object)
    assert_type(loads_toml(""), object)
    assert_type(from_data({}), object)
    if isinstance(doc, Scenario):
        return doc.summary()
    return type(doc).__name__


def by_kind(path: str, kind: str) -> object:
    cls = KINDS.get(kind)
    return load(path, cls)
"""

WRONG_SCRIPT = """\
from sgcq.models import Money, Scenario
from sgcq.serialization import load


def wrong(path: str) -> Money:
    return load(path, Scenario)


def untyped(path: str) -> str:
    return load(path).summary()
"""


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for both runs: the second checks sgcq's modules from it."""
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(tmp_path: Path, cache: Path, text: str) -> tuple[str, int]:
    script = tmp_path / "user_script.py"
    script.write_text(text, encoding="utf-8")
    out, err, status = api.run(
        [
            "--strict",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(cache),
            "--no-error-summary",
            str(script),
        ]
    )
    return out + err, status


def test_a_user_script_passes_mypy_strict(tmp_path: Path, cache: Path) -> None:
    """The return types follow the class argument; no annotation is needed."""
    out, status = _mypy(tmp_path, cache, USER_SCRIPT)
    assert status == 0, out


def test_wrong_uses_are_caught(tmp_path: Path, cache: Path) -> None:
    """The test can fail: a Scenario is not a Money, and object has no summary()."""
    out, status = _mypy(tmp_path, cache, WRONG_SCRIPT)
    assert status == 1, out
    assert 'Incompatible return value type (got "Scenario", expected "Money")' in out
    assert '"object" has no attribute "summary"' in out
