"""``sgcq plan``: the least beds, budget or seats that place a target; marginal values.

``--resource budget`` searches the allowance budget, or with ``--payer ID``
the budget of another payer (the housing payer, the visa sponsor).
"""

from __future__ import annotations

import argparse
from typing import TextIO

from sgcq.cli._common import UsageError, load_scenario_target
from sgcq.cli._sweep import add_common, within_of

__all__ = ["register"]


def _cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    from sgcq.matching import Problem, Settings
    from sgcq.planning import least_capacity, marginal_values

    if args.resource == "seats" and (args.position is None) == (args.field is None):
        raise UsageError("--resource seats needs --position or --field (exactly one)")
    if args.resource != "seats" and (args.position or args.field):
        raise UsageError("--position and --field go with --resource seats")
    if args.month and args.resource != "beds":
        raise UsageError("--month goes with --resource beds")
    if args.payer and args.resource != "budget":
        raise UsageError("--payer goes with --resource budget")
    problem = Problem.from_scenario(load_scenario_target(args.scenario), args.cohort)
    within = within_of(args.set, problem)
    settings = Settings(deterministic_time_limit=args.limit, workers=1)
    answer = least_capacity(
        problem,
        args.target,
        args.resource,
        month=args.month,
        position=args.position,
        field=args.field,
        payer=args.payer,
        step=args.step,
        within=within,
        settings=settings,
    )
    if not within.is_base:
        out.write(f"With {within.describe()}:\n")
    out.write(answer.describe() + "\n")
    for probe in answer.probes:
        out.write(
            f"  {probe.amount.normalize():f}: {probe.status}, placed {probe.placed}, "
            f"bound {probe.bound} -> {probe.verdict}\n"
        )
    if args.marginal:
        out.write("\nMarginal values (Lagrangian multipliers, each checked by a re-solve):\n")
        for mv in marginal_values(problem, within=within, settings=settings, search=False):
            out.write(f"  {mv.describe()}\n")
    return 0 if answer.amount is not None else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``plan`` to the command line's subcommands.

    Parameters
    ----------
    sub
        The subcommands of the ``sgcq`` parser.
    """
    p = sub.add_parser(
        "plan", help="find the least beds, budget or seats that place a target number"
    )
    add_common(p)
    p.add_argument(
        "--target",
        type=int,
        metavar="N",
        help="how many to place (default: everyone with an eligible option)",
    )
    p.add_argument("--resource", choices=("beds", "budget", "seats"), default="beds")
    p.add_argument("--month", metavar="YYYY-MM", help="beds: this month only (else all, scaled)")
    p.add_argument("--position", help="seats: added to this position")
    p.add_argument("--field", help="seats: added to every position of this field")
    p.add_argument(
        "--payer",
        metavar="ID",
        help="budget: this payer's budget (housing payer, visa sponsor), not the allowances'",
    )
    p.add_argument(
        "--step",
        metavar="AMOUNT",
        help="the search's unit (1 bed, 0.01 of a scale, 1 unit of money, 1 seat)",
    )
    p.add_argument(
        "--marginal",
        action="store_true",
        help="also print what one more placement is worth in each limit",
    )
    p.set_defaults(handler=_cmd_plan)
