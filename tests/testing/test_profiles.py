"""Tests of sgcq.testing.profiles: the "ci" and "dev" Hypothesis profiles."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.errors import InvalidArgument

from sgcq.testing import load_profile, register_profiles
from sgcq.testing.profiles import CI_MAX_EXAMPLES, DEV_MAX_EXAMPLES, PROFILE_ENV_VAR


def test_ci_profile_is_derandomized_bounded_and_without_deadline() -> None:
    """The ci profile replays the same bounded examples with no deadline and prints blobs."""
    register_profiles()
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.deadline is None
    assert ci.max_examples == CI_MAX_EXAMPLES <= 100
    assert ci.print_blob and HealthCheck.too_slow in ci.suppress_health_check


def test_dev_profile_runs_more_examples() -> None:
    """The dev profile is random and runs more examples than ci."""
    register_profiles()
    dev = settings.get_profile("dev")
    assert not dev.derandomize and dev.max_examples == DEV_MAX_EXAMPLES > CI_MAX_EXAMPLES


@pytest.fixture
def restore_profile() -> Iterator[str]:
    """Load the session's profile again after a test that loads another one."""
    current = os.environ.get(PROFILE_ENV_VAR) or "dev"
    yield current
    settings.load_profile(current)


@pytest.mark.parametrize(("env", "expected"), [("ci", "ci"), ("", "dev"), (None, "dev")])
def test_load_profile_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, restore_profile: str, env: str | None, expected: str
) -> None:
    """HYPOTHESIS_PROFILE selects the profile; unset or empty means dev."""
    if env is None:
        monkeypatch.delenv(PROFILE_ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(PROFILE_ENV_VAR, env)
    assert load_profile() == expected
    assert settings.default.max_examples == settings.get_profile(expected).max_examples


def test_an_explicit_name_wins_and_unknown_names_raise(
    monkeypatch: pytest.MonkeyPatch, restore_profile: str
) -> None:
    """load_profile(name) ignores the environment; an unknown profile raises InvalidArgument."""
    monkeypatch.setenv(PROFILE_ENV_VAR, "dev")
    assert load_profile("ci") == "ci" and settings.default.derandomize
    with pytest.raises(InvalidArgument):
        load_profile("no-such-profile")


def test_importing_sgcq_testing_does_not_import_hypothesis() -> None:
    """The package's __init__ is light: Hypothesis loads only when a profile is used."""
    code = "import sys, sgcq.testing; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("profile", ["ci", "dev"])
def test_shipped_profiles_fail_a_test_that_filters_out_most_inputs(
    profile: str, restore_profile: str
) -> None:
    """filter_too_much is not suppressed: a mostly-rejecting assume fails the health check.

    A property that skips most of its inputs would otherwise pass on a handful
    of examples; under both shipped profiles it fails instead.
    """
    from hypothesis import assume, given
    from hypothesis import strategies as st
    from hypothesis.errors import FailedHealthCheck

    load_profile(profile)
    assert HealthCheck.filter_too_much not in settings.default.suppress_health_check

    @given(st.integers(0, 1_000_000))
    def mostly_rejected(x: int) -> None:
        assume(x % 97 == 0)

    with pytest.raises(FailedHealthCheck, match="filtering out a lot of inputs"):
        mostly_rejected()
