"""Fixtures for the rules tests: the bundled scenarios, loaded once."""

from __future__ import annotations

import pytest

from sgcq.models import Scenario
from sgcq.rules import RuleBook, default_rulebook
from sgcq.scenarios import load_scenario


@pytest.fixture(scope="session")
def nus() -> Scenario:
    """The first S2 interns: 19 NUS students, December 2019."""
    return load_scenario("nus-ytp-2019")


@pytest.fixture(scope="session")
def ntu() -> Scenario:
    """The NTU–WiseNet–YDPG internships of the second half of 2020."""
    return load_scenario("ntu-ydpg-2020")


@pytest.fixture(scope="session")
def yes() -> Scenario:
    """The YES scheme in both directions, 2020."""
    return load_scenario("yes-2020")


@pytest.fixture(scope="session")
def suss() -> Scenario:
    """SUSS overseas (remote and on-site) internships and co-founder matching, 2021."""
    return load_scenario("suss-overseas-2021")


@pytest.fixture(scope="session")
def book() -> RuleBook:
    """The default rule book."""
    return default_rulebook()
