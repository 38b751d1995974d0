"""The ``testing`` extra: a clear error when pytest or Hypothesis is missing."""

from __future__ import annotations

import importlib

from sgcq.errors import MissingExtraError

__all__ = ["EXTRA", "require"]

#: The extra that installs what :mod:`sgcq.testing` needs (``pip install "sgcq[testing]"``).
EXTRA = "testing"


def require(package: str, feature: str) -> None:
    """Raise :class:`~sgcq.errors.MissingExtraError` if ``package`` cannot be imported.

    Parameters
    ----------
    package
        ``"hypothesis"`` or ``"pytest"``.
    feature
        The part of :mod:`sgcq.testing` that needs it, named in the message.
    """
    try:
        importlib.import_module(package)
    except ImportError:
        raise MissingExtraError(feature, package, EXTRA) from None
