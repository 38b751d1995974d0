"""Every example in a docstring of ``src/sgcq`` runs and prints what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import sgcq

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(sgcq.__path__, "sgcq.")
    # The plugin needs pytest's own start-up to import cleanly.
    if m.name != "sgcq.testing.plugin"
)


def test_the_walk_finds_the_examples() -> None:
    """The walk is not empty: modules known to have examples are in it."""
    assert {"sgcq.matching.solve", "sgcq.serialization", "sgcq.models.money"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    """The module's examples give the output they show."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
