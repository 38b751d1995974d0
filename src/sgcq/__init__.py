"""sgcq: plan and place candidates in Singapore–Chongqing talent programmes.

The package has three layers that show in its folders:

* :mod:`sgcq.models`: frozen, validated domain data (no I/O);
* :mod:`sgcq.rules`: effective-dated eligibility and entitlement rules that say why;
* :mod:`sgcq.matching`: the CP-SAT placement scheduler.

:mod:`sgcq.serialization` reads and writes JSON, TOML and CSV;
:mod:`sgcq.scenarios` lists and loads the bundled scenarios;
:mod:`sgcq.testing` ships Hypothesis strategies and checkers for users' CI.
:func:`show_versions` prints the versions a bug report needs.
"""

from sgcq._versions import __version__, show_versions
from sgcq.models.errors import SgcqError

__all__ = ["SgcqError", "__version__", "show_versions"]
