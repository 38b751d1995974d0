"""Tests of the error hierarchy: paths, rendering, prefixing and pickling."""

from __future__ import annotations

import pickle

import pytest

from sgcq import errors as public_errors
from sgcq.errors import CsvError, DocumentError, SchemaVersionError
from sgcq.models.errors import (
    CurrencyMismatchError,
    FieldError,
    ModelValidationError,
    RateNotFoundError,
    SgcqError,
    TransitionError,
    join_path,
)


@pytest.mark.parametrize(
    ("prefix", "path", "joined"),
    [
        ("candidates[2]", "available.start", "candidates[2].available.start"),
        ("candidates", "[2]", "candidates[2]"),
        ("", "seats", "seats"),
        ("positions[0]", "", "positions[0]"),
    ],
)
def test_join_path(prefix: str, path: str, joined: str) -> None:
    """Paths join with a dot, or directly before an index."""
    assert join_path(prefix, path) == joined


def test_model_validation_error_renders_one_or_many() -> None:
    """One problem renders as 'path: message'; several as a counted list."""
    one = ModelValidationError([FieldError("seats", "must be positive, got -1")])
    assert str(one) == "seats: must be positive, got -1"
    two = ModelValidationError([FieldError("a", "x"), FieldError("b", "y")])
    assert str(two) == "2 invalid values:\n  - a: x\n  - b: y"
    assert two.prefixed("positions[3]").paths == ("positions[3].a", "positions[3].b")
    assert two.paths == ("a", "b")


def test_document_error_names_the_source() -> None:
    """A DocumentError starts with the file name."""
    err = DocumentError([FieldError("positions[3].seats", "must be positive")], "s.toml")
    assert str(err) == "s.toml: positions[3].seats: must be positive"


@pytest.mark.parametrize(
    "error",
    [
        FieldError("a.b", "bad"),
        ModelValidationError([FieldError("a", "x"), FieldError("b", "y")]),
        DocumentError([FieldError("a", "x")], "f.json"),
        SchemaVersionError([FieldError("schema_version", "missing")], "f.toml"),
        CsvError("c.csv", 3, "seats", "bad"),
        CurrencyMismatchError("SGD vs CNY"),
        RateNotFoundError("none"),
        TransitionError("no"),
    ],
)
def test_errors_pickle_and_derive_from_the_root(error: SgcqError) -> None:
    """Every error is an SgcqError and survives pickling with the same message."""
    assert isinstance(error, SgcqError)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error)


def test_public_errors_module_reexports_the_model_errors() -> None:
    """sgcq.errors exposes the same classes as sgcq.models.errors."""
    assert public_errors.ModelValidationError is ModelValidationError
    assert issubclass(DocumentError, ModelValidationError)
    assert issubclass(SchemaVersionError, DocumentError)
