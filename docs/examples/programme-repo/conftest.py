"""Load the CI Hypothesis profile (derandomized, bounded) when HYPOTHESIS_PROFILE=ci."""

from sgcq.testing.profiles import load_profile

load_profile()
