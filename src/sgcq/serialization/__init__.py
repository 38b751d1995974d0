"""Reading and writing sgcq models: JSON and TOML documents, and CSV import.

One cattrs converter (:func:`make_converter`, :func:`configure_converter`)
serves every format, and one static table of document kinds (:data:`KINDS`)
says which class each document's ``kind`` names. The formats have a module
each:

- :mod:`sgcq.serialization.documents`: lossless JSON and TOML documents with
  a ``schema_version`` and a ``kind`` (:func:`dump`, :func:`load`,
  :func:`dumps_json`, :func:`loads_toml`, ...);
- :mod:`sgcq.serialization.csv`: candidates, positions and preferences from
  spreadsheet exports (:func:`read_candidates_csv`, ...);
- JSON Schema (draft 2020-12) of every document kind: :func:`json_schema`.

Every name is importable from here. See ``docs/decisions/0005-serialization.md``.

Examples
--------
>>> from sgcq.models import Money
>>> text = dumps_json(Money("1500", "SGD"))
>>> print(text)
{
  "schema_version": 1,
  "kind": "money",
  "amount": "1500",
  "currency": "SGD"
}
>>> loads_json(text, Money) == Money("1500", "SGD")
True
"""

from sgcq.serialization._converter import configure_converter, converter, make_converter
from sgcq.serialization._kinds import KINDS, register_kind
from sgcq.serialization._schema import JSON_SCHEMA_DIALECT, json_schema
from sgcq.serialization.csv import (
    CANDIDATE_COLUMNS,
    CSV_LIST_SEPARATOR,
    POSITION_COLUMNS,
    attach_preferences,
    documents_cell,
    iter_candidates_csv,
    iter_positions_csv,
    parse_documents_cell,
    read_candidates_csv,
    read_positions_csv,
    read_preferences_csv,
)
from sgcq.serialization.documents import (
    SCHEMA_VERSION,
    dump,
    dumps_json,
    dumps_toml,
    from_data,
    load,
    loads_json,
    loads_toml,
    structure_fields,
    to_data,
)
from sgcq.serialization.spreadsheets import scenario_from_files

__all__ = [
    "CANDIDATE_COLUMNS",
    "CSV_LIST_SEPARATOR",
    "JSON_SCHEMA_DIALECT",
    "KINDS",
    "POSITION_COLUMNS",
    "SCHEMA_VERSION",
    "attach_preferences",
    "configure_converter",
    "converter",
    "documents_cell",
    "dump",
    "dumps_json",
    "dumps_toml",
    "from_data",
    "iter_candidates_csv",
    "iter_positions_csv",
    "json_schema",
    "load",
    "loads_json",
    "loads_toml",
    "make_converter",
    "parse_documents_cell",
    "read_candidates_csv",
    "read_positions_csv",
    "read_preferences_csv",
    "register_kind",
    "scenario_from_files",
    "structure_fields",
    "to_data",
]
