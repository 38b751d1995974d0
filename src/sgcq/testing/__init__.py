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

The toolkit needs pytest and Hypothesis: install it with the ``testing``
extra, ``pip install "sgcq[testing]"``. Importing this package (and the
checks) needs neither; importing :mod:`sgcq.testing.strategies` or the
plugin, or loading a profile, without the package it needs raises
:class:`~sgcq.errors.MissingExtraError` (an :class:`ImportError`) that names
the extra.

Examples
--------
In a ``conftest.py``::

    from sgcq.testing import load_profile

    load_profile()
"""

from sgcq.testing.profiles import load_profile, register_profiles

__all__ = ["load_profile", "register_profiles"]
