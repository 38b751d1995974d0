"""Test support for sgcq and for code built on it.

* :mod:`sgcq.testing.strategies` holds public Hypothesis strategies for every
  model, valid by construction, up to whole consistent
  :class:`~sgcq.models.Scenario` objects, and matching inputs: scenarios and
  synthetic problems feasible by construction, and cases infeasible on purpose.
* :mod:`sgcq.testing.profiles` registers the ``"ci"`` and ``"dev"``
  Hypothesis profiles; :func:`load_profile` picks one from the
  ``HYPOTHESIS_PROFILE`` environment variable.
* :mod:`sgcq.testing.checks` holds solver-independent checks of rule
  verdicts and matchings, for use in tests: ``check_result`` for matching
  results, ``blocking_pairs`` and ``assert_stable`` for stability, and the
  rule-property helpers.
* :mod:`sgcq.testing.plugin` is a pytest plugin (registered as an entry point)
  that runs rule case files (``rules_*.toml``, ``*.rulecases.toml``) as tests.

Importing this package does not import Hypothesis; the strategies module does,
so it needs the ``test`` extra (``pip install sgcq[test]``).

Examples
--------
In a ``conftest.py``::

    from sgcq.testing import load_profile

    load_profile()
"""

from sgcq.testing.profiles import load_profile, register_profiles

__all__ = ["load_profile", "register_profiles"]
