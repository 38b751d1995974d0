"""``sgcq --version --verbose``: the versions of sgcq and its dependencies."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from sgcq._versions import show_versions

__all__ = ["Parser"]


class Parser(argparse.ArgumentParser):
    """The ``sgcq`` parser: ``--version`` with ``-v``/``--verbose`` prints every version.

    argparse's ``--version`` action exits as soon as it is read, before a
    ``-v`` after it, so the pair is looked for among the options before the
    command, in either order.
    """

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Print every version and exit for ``--version --verbose``; else parse as usual."""
        argv = list(sys.argv[1:] if args is None else args)
        head: list[str] = []
        for arg in argv:
            if not arg.startswith("-"):
                break
            head.append(arg)
        top = any(isinstance(a, argparse._VersionAction) for a in self._actions)
        if top and "--version" in head and ("-v" in head or "--verbose" in head):
            show_versions(sys.stdout)
            self.exit(0)
        return super().parse_known_args(args, namespace)
