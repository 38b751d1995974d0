"""The scenarios bundled with sgcq: list them, find their files, load them.

The scenarios are TOML documents in ``sgcq/data/scenarios/``, written by
``scripts/make_scenarios.py`` (deterministic; CI checks that the files are up
to date). Their facts carry citations; the numbers the sources do not give are
invented and the scenarios say so (``Scenario.illustrative``). See
``docs/scenarios.md``.

Examples
--------
>>> "ntu-ydpg-2020" in list_scenarios()
True
>>> len(load_scenario("nus-ytp-2019").candidates)
19
"""

from __future__ import annotations

import sys
from importlib import resources

from sgcq.errors import DocumentError, FieldError, UnknownScenarioError
from sgcq.models import Scenario
from sgcq.serialization import from_data
from sgcq.serialization._toml import TomlReadError, read_toml

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover - exercised on Python 3.10 only
    from importlib.abc import Traversable

__all__ = [
    "UnknownScenarioError",
    "list_scenarios",
    "load_scenario",
    "scenario_path",
]

_PACKAGE = "sgcq.data.scenarios"
_SUFFIX = ".toml"


def _directory() -> Traversable:
    return resources.files("sgcq").joinpath("data").joinpath("scenarios")


def list_scenarios() -> tuple[str, ...]:
    """Return the names of the bundled scenarios, sorted.

    Returns
    -------
    tuple of str
        Names such as ``"ntu-ydpg-2020"`` (file names without ``.toml``).
    """
    return tuple(
        sorted(
            entry.name[: -len(_SUFFIX)]
            for entry in _directory().iterdir()
            if entry.is_file() and entry.name.endswith(_SUFFIX)
        )
    )


def scenario_path(name: str) -> Traversable:
    """Return the resource of the bundled scenario ``name``.

    The result is a :class:`~importlib.resources.abc.Traversable`; inside an
    ordinary installation it is a :class:`pathlib.Path`, so ``str()`` of it is
    the file's path.

    Raises
    ------
    UnknownScenarioError
        If there is no such scenario; the message lists the known names.
    """
    known = list_scenarios()
    if name not in known:
        raise UnknownScenarioError(name, known)
    return _directory().joinpath(name + _SUFFIX)


def load_scenario(name: str) -> Scenario:
    """Load and validate the bundled scenario ``name``.

    Parameters
    ----------
    name
        One of :func:`list_scenarios`.

    Returns
    -------
    Scenario
        The scenario, with every cross-reference checked.

    Raises
    ------
    UnknownScenarioError
        If there is no such scenario.
    DocumentError
        If the file is not a valid scenario document (a damaged installation).
    """
    path = scenario_path(name)
    source = f"{_PACKAGE}/{name}{_SUFFIX}"
    try:
        data = read_toml(path, source=source)
    except TomlReadError as e:
        raise DocumentError([FieldError("", e.message)], source) from None
    return from_data(data, Scenario, source=source)
