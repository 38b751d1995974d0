"""Solver settings: validated, frozen, readable from TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

from sgcq.matching import Settings, SolvePath
from sgcq.models import ModelValidationError
from sgcq.serialization import dumps_json, loads_json


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"time_limit": 0}, "time_limit"),
        ({"time_limit": float("nan")}, "time_limit"),
        ({"deterministic_time_limit": -1.0}, "deterministic_time_limit"),
        ({"workers": 0}, "workers"),
        ({"workers": True}, "workers"),
        ({"seed": -1}, "seed"),
        ({"log": "yes"}, "log"),
        ({"path": "simplex"}, "path"),
        ({"relative_gap": 1.0}, "relative_gap"),
    ],
)
def test_bad_values_name_the_setting(kwargs: dict[str, object], path: str) -> None:
    """Each bad value raises a ModelValidationError whose path is the setting."""
    with pytest.raises(ModelValidationError) as info:
        Settings(**kwargs)  # type: ignore[arg-type]
    assert info.value.paths == (path,)


def test_from_dict_refuses_unknown_keys() -> None:
    """A misspelt key is refused, not ignored."""
    with pytest.raises(ModelValidationError, match="timelimit"):
        Settings.from_dict({"timelimit": 3})


def test_from_toml_reads_a_settings_table(tmp_path: Path) -> None:
    """A [settings] table is read, with integer seconds accepted as floats."""
    f = tmp_path / "solver.toml"
    f.write_text('[settings]\ntime_limit = 30\nworkers = 2\npath = "cp_sat"\n')
    s = Settings.from_toml(f)
    assert s == Settings(time_limit=30.0, workers=2, path=SolvePath.CP_SAT)


def test_from_toml_names_the_file_on_error(tmp_path: Path) -> None:
    """A bad value in a file is reported with the file name in the path."""
    f = tmp_path / "solver.toml"
    f.write_text("workers = 0\n")
    with pytest.raises(ModelValidationError, match=r"solver\.toml"):
        Settings.from_toml(f)


def test_settings_round_trip_as_json() -> None:
    """Settings are a document kind and survive JSON."""
    s = Settings(time_limit=5.0, seed=4, path=SolvePath.FLOW, relative_gap=0.01)
    assert loads_json(dumps_json(s), Settings) == s
