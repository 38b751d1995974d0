"""Hypothesis settings profiles for sgcq's tests and for tests of code built on sgcq.

Two profiles are registered by :func:`register_profiles`:

``"ci"``
    Derandomized (the same examples on every run), a bounded number of
    examples, no deadline (shared CI machines are slow and uneven), the
    reproduction blob printed on failure, and the ``too_slow`` health check
    suppressed because whole scenarios are costly to generate. No example
    database is used, so runs do not depend on earlier runs.
``"dev"``
    Random, with more examples and a generous deadline, for local work.

Neither profile suppresses the ``filter_too_much`` health check: a test whose
``assume`` (or a strategy's ``filter``) rejects most inputs fails with
``FailedHealthCheck`` under both, instead of passing on a handful of examples.
Draw what the test needs instead (:func:`sgcq.testing.strategies.options`
gives options the rules can always evaluate).

Hypothesis is imported only when a function here is called, so importing
:mod:`sgcq.testing` does not need it; calling one without it raises
:class:`~sgcq.errors.MissingExtraError` (``pip install "sgcq[testing]"``).

Examples
--------
In a ``conftest.py``::

    from sgcq.testing.profiles import load_profile

    load_profile()  # HYPOTHESIS_PROFILE=ci selects the CI profile
"""

from __future__ import annotations

import os
from datetime import timedelta

from sgcq.testing._extra import require

__all__ = [
    "CI_MAX_EXAMPLES",
    "DEFAULT_PROFILE",
    "DEV_MAX_EXAMPLES",
    "PROFILE_ENV_VAR",
    "load_profile",
    "register_profiles",
]

#: Environment variable that names the profile :func:`load_profile` loads.
PROFILE_ENV_VAR = "HYPOTHESIS_PROFILE"
#: The profile loaded when neither an argument nor the environment names one.
DEFAULT_PROFILE = "dev"
#: Examples per test under the ``"ci"`` profile.
CI_MAX_EXAMPLES = 50
#: Examples per test under the ``"dev"`` profile.
DEV_MAX_EXAMPLES = 200


def register_profiles() -> None:
    """Register the ``"ci"`` and ``"dev"`` Hypothesis profiles.

    Calling it again re-registers the same settings, so it is safe to call
    from several ``conftest.py`` files.

    Examples
    --------
    >>> from hypothesis import settings
    >>> register_profiles()
    >>> settings.get_profile("ci").derandomize
    True
    """
    require("hypothesis", "sgcq.testing.profiles.register_profiles")
    from hypothesis import HealthCheck, settings

    # Without an explicit parent a profile inherits from whatever profile is
    # loaded now, so re-registering after loading "ci" would make "dev"
    # derandomized too.
    base = settings.get_profile("default")
    settings.register_profile(
        "ci",
        parent=base,
        derandomize=True,
        database=None,
        max_examples=CI_MAX_EXAMPLES,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile(
        "dev",
        parent=base,
        max_examples=DEV_MAX_EXAMPLES,
        deadline=timedelta(seconds=1),
        print_blob=True,
    )


def load_profile(name: str | None = None) -> str:
    """Register sgcq's profiles and load one of them (or any registered profile).

    Parameters
    ----------
    name
        The profile to load; ``None`` takes it from the ``HYPOTHESIS_PROFILE``
        environment variable, and ``"dev"`` if that is unset or empty.

    Returns
    -------
    str
        The name of the profile loaded.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        If no profile of that name is registered.
    MissingExtraError
        If Hypothesis is not installed.
    """
    require("hypothesis", "sgcq.testing.profiles.load_profile")
    from hypothesis import settings

    register_profiles()
    chosen = name or os.environ.get(PROFILE_ENV_VAR) or DEFAULT_PROFILE
    settings.load_profile(chosen)
    return chosen
