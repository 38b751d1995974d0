"""On-site placements in Malaysia, Thailand and Australia: an explicit out-of-scope verdict.

The SUSS programmes place interns with hosts in these countries, remote or on
site depending on each country's measures, but none of sgcq's sources gives a
rule on entering or working there. Rather than an UNDETERMINED verdict for
want of rules, each country has a route that is INELIGIBLE with the cited
reason ``visa.<cc>.out_of_scope.not_modelled``, so the matcher places such a
position remote (or not at all) and the report says why. Nationals of the
country still need no visa (``visa.exempt.national``).

Documented in ``docs/rules/visa-elsewhere.md``; the parameters are in
``sgcq/data/rules/parameters/visa-elsewhere.toml``.
"""

from __future__ import annotations

import attrs

from sgcq.models import ProgrammeKind
from sgcq.rules._rule_set import RuleSet, RuleSetKind
from sgcq.rules.defaults._conditions import _no
from sgcq.rules.engine import Check, Context
from sgcq.rules.verdicts import Verdict

__all__ = ["COUNTRIES", "rule_sets"]

#: The countries the SUSS programmes name hosts in, besides Singapore and China.
COUNTRIES: tuple[tuple[str, str], ...] = (
    ("MY", "Malaysia"),
    ("TH", "Thailand"),
    ("AU", "Australia"),
)


@attrs.frozen
class _OutOfScope:
    route: str
    country: str
    name: str

    def __call__(self, ctx: Context) -> Verdict:
        return _no(
            ctx,
            f"{self.route}.scope",
            f"{self.route}.not_modelled",
            f"entering {self.name} to work or study on site is outside sgcq's rules: its "
            f"sources give no entry or work rule for {self.name}",
            f"{self.route}.in_force",
            ("position.location.country", self.country),
            ("position.mode", ctx.position.mode.value),
        )


def rule_sets() -> tuple[RuleSet, ...]:
    """Return the out-of-scope routes, one per country of :data:`COUNTRIES`.

    Returns
    -------
    tuple of RuleSet
        ``visa.my.out_of_scope``, ``visa.th.out_of_scope`` and ``visa.au.out_of_scope``.
    """
    out: list[RuleSet] = []
    for code, name in COUNTRIES:
        rid = f"visa.{code.lower()}.out_of_scope"
        out.append(
            RuleSet(
                rid,
                f"On site in {name}: outside sgcq's rules",
                RuleSetKind.VISA_ROUTE,
                Check(f"{rid}.scope", _OutOfScope(rid, code, name), "no rules for the country"),
                f"{rid}.in_force",
                code,
                f"an explicit, cited out-of-scope verdict for on-site placements in {name}",
                frozenset(ProgrammeKind),
            )
        )
    return tuple(out)
