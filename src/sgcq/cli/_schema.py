"""``sgcq schema``: print the JSON Schema of a document kind."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from sgcq.cli._common import UsageError
from sgcq.serialization import KINDS, json_schema
from sgcq.serialization._schema import file_format_names

__all__ = ["register", "schema_names", "write_schema"]


def schema_names() -> list[str]:
    """Return every name ``sgcq schema`` accepts: the document kinds and rule-data formats.

    Returns
    -------
    list of str
        Sorted names.
    """
    return sorted((*KINDS, *file_format_names()))


def write_schema(kind: str, out: TextIO) -> int:
    """Write the JSON Schema of ``kind`` to ``out`` as indented JSON.

    Parameters
    ----------
    kind
        A document kind or rule-data format.
    out
        Where to write.

    Returns
    -------
    int
        0, the exit code.
    """
    out.write(json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n")
    return 0


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    if args.list:
        out.write("".join(f"{name}\n" for name in schema_names()))
        return 0
    if args.kind is None:
        raise UsageError("say which kind: sgcq schema KIND (sgcq schema --list names them)")
    return write_schema(args.kind, out)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``schema`` to the command line's subcommands.

    Parameters
    ----------
    sub
        The subcommands of the ``sgcq`` parser.
    """
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema (2020-12) of a document kind",
        description="Print the JSON Schema (draft 2020-12) of a document kind to standard output.",
    )
    p.add_argument("kind", metavar="KIND", nargs="?", choices=schema_names())
    p.add_argument("--list", action="store_true", help="list the kinds that have a schema")
    p.set_defaults(handler=_cmd_schema)
