"""Shared test setup.

- Hypothesis profiles ("ci" when HYPOTHESIS_PROFILE=ci, else "dev"). A third
  profile, ``fuzz``, runs the fuzz tests (``tests/serialization/test_fuzz.py``)
  and every other property test with many more examples, random each run, and
  keeps failures in the example database so that the next run replays them
  first::

      HYPOTHESIS_PROFILE=fuzz python -m pytest -p no:cacheprovider tests/serialization/test_fuzz.py

  ``SGCQ_FUZZ_EXAMPLES`` sets the number of examples per test of that profile.
- Every document a test writes (``to_data``, and through it ``dump``,
  ``dumps_json`` and ``dumps_toml``) is checked against its kind's JSON Schema
  (:func:`sgcq.serialization.json_schema`) with ``jsonschema``; the fixture
  ``schema_errors`` gives the same check to tests.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, settings

from sgcq.serialization import documents, json_schema
from sgcq.testing.profiles import load_profile

#: Examples per test under the ``fuzz`` profile (about ten minutes for the fuzz tests).
FUZZ_MAX_EXAMPLES = int(os.environ.get("SGCQ_FUZZ_EXAMPLES", "2000"))

settings.register_profile(
    "fuzz",
    parent=settings.get_profile("default"),
    max_examples=FUZZ_MAX_EXAMPLES,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

load_profile()


@functools.cache
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema(kind))


def as_json(value: Any) -> Any:
    """Return a document as JSON would hold it: TOML dates and times as ISO strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def schema_problems(data: Any) -> list[str]:
    """Return every way ``data`` breaks the schema of its ``kind``, with JSON paths."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str):
        return ["document has no kind"]
    errors = _validator(kind).iter_errors(as_json(data))
    return sorted(f"{e.json_path}: {e.message}" for e in errors)


@pytest.fixture
def schema_errors() -> Callable[[Any], list[str]]:
    """Return the checker: a document -> the ways it breaks its kind's schema."""
    return schema_problems


@pytest.fixture(autouse=True, scope="session")
def _documents_match_their_schema() -> Iterator[None]:
    original = documents.to_data

    @functools.wraps(original)
    def checked(obj: Any) -> dict[str, Any]:
        data = original(obj)
        problems = schema_problems(data)
        assert not problems, f"{data['kind']} document breaks its schema: {problems}"
        return data

    documents.to_data = checked
    try:
        yield
    finally:
        documents.to_data = original
