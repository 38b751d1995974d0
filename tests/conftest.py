"""Shared test setup: Hypothesis profiles ("ci" when HYPOTHESIS_PROFILE=ci, else "dev")."""

from sgcq.testing.profiles import load_profile

load_profile()
