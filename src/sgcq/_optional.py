"""Import an optional library, or say which sgcq extra installs it.

Every optional import of sgcq (pandas for :mod:`sgcq.frames`, matplotlib for
:mod:`sgcq.plot`) goes through :func:`require`, so a missing library always
raises :class:`~sgcq.errors.MissingExtraError` with the ``pip install``
line to run, and the library is imported only when a function needs it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from sgcq.errors import MissingExtraError

__all__ = ["MissingExtraError", "require"]


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Return the imported ``module``, or raise naming the extra that installs it.

    Parameters
    ----------
    module
        The module to import, e.g. ``"pandas"`` or ``"matplotlib.pyplot"``.
    extra
        The sgcq extra that installs it, e.g. ``"pandas"``.
    feature
        What needs it, for the message, e.g. ``"sgcq.frames"``.

    Raises
    ------
    MissingExtraError
        If the module (or the package it belongs to) cannot be imported.
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        top = module.split(".")[0]
        if e.name is not None and e.name.split(".")[0] != top:
            raise  # the library is there, but one of its own imports failed
        raise MissingExtraError(feature, top, extra) from e
