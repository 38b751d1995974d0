"""Shared test setup: Hypothesis profiles ("ci" when HYPOTHESIS_PROFILE=ci, else "dev").

A third profile, ``fuzz``, runs the fuzz tests (``tests/serialization/test_fuzz.py``)
and every other property test with many more examples, random each run, and
keeps failures in the example database so that the next run replays them
first::

    HYPOTHESIS_PROFILE=fuzz python -m pytest -p no:cacheprovider tests/serialization/test_fuzz.py

``SGCQ_FUZZ_EXAMPLES`` sets the number of examples per test of that profile.
"""

import os

from hypothesis import HealthCheck, settings

from sgcq.testing.profiles import load_profile

#: Examples per test under the ``fuzz`` profile (about ten minutes for the fuzz tests).
FUZZ_MAX_EXAMPLES = int(os.environ.get("SGCQ_FUZZ_EXAMPLES", "2000"))

settings.register_profile(
    "fuzz",
    parent=settings.get_profile("default"),
    max_examples=FUZZ_MAX_EXAMPLES,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

load_profile()
