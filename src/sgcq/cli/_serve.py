"""``sgcq serve``: the HTTP service (needs the ``server`` extra)."""

from __future__ import annotations

import argparse
from typing import TextIO

__all__ = ["register"]


def _cmd_serve(args: argparse.Namespace, _out: TextIO) -> int:
    # Imported here: the command line works without the server extra, and
    # only this command needs it (MissingExtraError names the extra).
    from sgcq.service import ServiceSettings, serve

    settings = ServiceSettings(
        max_body_bytes=args.max_body_bytes,
        solvers=args.solvers,
        queue=args.queue,
        time_limit=args.time_limit,
        max_time_limit=max(args.max_time_limit, args.time_limit),
        max_solver_workers=args.max_solver_workers,
    )
    serve(settings, host=args.host, port=args.port, log_level="debug" if args.verbose else "info")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` to the command line's subcommands.

    Parameters
    ----------
    sub
        The subcommands of the ``sgcq`` parser.
    """
    defaults = {
        "max_body_bytes": 8 * 1024 * 1024,
        "solvers": 2,
        "queue": 16,
        "time_limit": 30.0,
        "max_time_limit": 120.0,
        "max_solver_workers": 1,
    }
    p = sub.add_parser(
        "serve",
        help="serve validation, rules and matching over HTTP (needs sgcq[server])",
        description="Serve sgcq over HTTP (docs/http.md). Needs: pip install 'sgcq[server]'.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    p.add_argument(
        "--max-body-bytes", type=int, default=defaults["max_body_bytes"], help="413 above this"
    )
    p.add_argument("--solvers", type=int, default=defaults["solvers"], help="requests at once")
    p.add_argument(
        "--queue", type=int, default=defaults["queue"], help="requests waiting; 503 above this"
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=defaults["time_limit"],
        help="seconds a solve gets when its settings give none (30)",
    )
    p.add_argument(
        "--max-time-limit",
        type=float,
        default=defaults["max_time_limit"],
        help="the most seconds a request may ask for (120)",
    )
    p.add_argument(
        "--max-solver-workers",
        type=int,
        default=defaults["max_solver_workers"],
        help="the most CP-SAT workers a request may ask for (1)",
    )
    p.set_defaults(handler=_cmd_serve)
