"""What the commands share: the usage error, loading a scenario by name or path."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sgcq.errors import UsageError
from sgcq.models import Scenario
from sgcq.scenarios import UnknownScenarioError, list_scenarios, load_scenario
from sgcq.serialization import load

if TYPE_CHECKING:
    from sgcq.matching import Settings

__all__ = ["UsageError", "default_settings", "load_scenario_target"]

logger = logging.getLogger("sgcq.cli")


def load_scenario_target(target: str) -> Scenario:
    """Return the bundled scenario named ``target`` or the scenario in the file ``target``.

    Parameters
    ----------
    target
        A bundled scenario's name or a ``.toml``/``.json`` path.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    UnknownScenarioError
        If ``target`` is neither a bundled name nor a file.
    """
    if target in list_scenarios():
        logger.debug("loading bundled scenario %s", target)
        return load_scenario(target)
    path = Path(target)
    if path.suffix.lower() in (".toml", ".json") or path.exists():
        logger.debug("loading scenario file %s", path)
        result: Scenario = load(path, Scenario)
        return result
    raise UnknownScenarioError(target, list_scenarios())


def default_settings() -> Settings:
    """Return the settings of a command that was given none: one worker, seed 0, 60 s.

    Returns
    -------
    Settings
        One worker and a deterministic limit, so the same input gives the same report.
    """
    from sgcq.matching import Settings

    return Settings(deterministic_time_limit=60.0, workers=1, seed=0)
