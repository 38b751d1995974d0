"""Fixtures for the matching tests (helpers live in ``matching_helpers``)."""

from __future__ import annotations

import pytest
from matching_helpers import TEST_SETTINGS

from sgcq.matching import Settings


@pytest.fixture
def settings() -> Settings:
    """Reproducible solver settings: one worker, seed 0, deterministic limit."""
    return TEST_SETTINGS
