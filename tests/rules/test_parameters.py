"""Tests for :mod:`sgcq.rules.parameters`: dated values, references, files, staleness."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sgcq.models import Citation
from sgcq.rules import (
    Parameter,
    ParameterError,
    ParameterSet,
    ParameterValue,
    default_parameters,
    load_parameters,
)
from sgcq.rules.parameters import ParameterKind, parse_parameters

CITE = Citation("test source", date(2020, 1, 1))

HEADER = 'schema_version = 1\nkind = "parameters"\n'


def _param() -> Parameter:
    return Parameter(
        "demo.limit",
        "a limit",
        "days",
        ParameterKind.INT,
        (
            ParameterValue(date(2021, 1, 1), None, CITE),
            ParameterValue(date(2019, 1, 1), 90, CITE),
            ParameterValue(date(2020, 1, 1), 180, CITE),
        ),
    )


def test_values_sorted_and_looked_up_as_of() -> None:
    """The history is sorted by start and the value in force is the latest started."""
    p = _param()
    assert [v.start.year for v in p.values] == [2019, 2020, 2021]
    assert p.at(date(2019, 6, 1)) == 90
    assert p.at(date(2020, 1, 1)) == 180
    assert p.at(date(2020, 12, 31)) == 180
    assert p.lookup(date(2018, 12, 31)) is None


def test_not_yet_in_force_and_repealed_raise_clear_errors() -> None:
    """Before the first value and after a repeal, at() names the parameter and the date."""
    p = _param()
    with pytest.raises(ParameterError, match=r"'demo.limit' is not yet in force on 2018-12-31"):
        p.at(date(2018, 12, 31))
    with pytest.raises(ParameterError, match=r"'demo.limit' was repealed on 2021-01-01"):
        p.at(date(2021, 6, 1))
    assert p.lookup(date(2021, 6, 1)) is not None


def test_two_values_on_one_day_refused() -> None:
    """Two values starting on the same day are ambiguous."""
    with pytest.raises(ParameterError, match="two values starting on one day"):
        Parameter(
            "x",
            "",
            "",
            ParameterKind.INT,
            (ParameterValue(date(2020, 1, 1), 1, CITE), ParameterValue(date(2020, 1, 1), 2, CITE)),
        )


def test_default_parameters_hold_the_rule_numbers_with_citations() -> None:
    """The bundled files hold the numbers of DOMAIN.md, each value with a dated reference."""
    p = default_parameters()
    on = date(2020, 7, 1)
    assert p.value("visa.cn.s2.max_stay_days", on) == 180
    assert p.value("visa.cn.yes.min_age", on) == 18
    assert p.value("visa.cn.yes.work_permit_min_days", on) == 90
    assert p.value("visa.cn.yes.max_years_since_graduation", on) == 1
    assert p.value("visa.cn.yes.max_stay_months", on) == 6
    assert p.value("housing.default_cover_months", on) == 6
    assert p.value("remote.min_hours_per_week", on) == 20
    assert p.value("remote.max_hours_per_week", on) == 30
    assert p.value("visa.sg.tep.min_monthly_salary", on) == Decimal(3000)
    assert p.parameter("visa.cn.s2.in_force").first.start == date(2019, 12, 13)
    assert p.parameter("visa.cn.internship.in_force").first.start == date(2019, 8, 1)
    assert p.parameter("visa.cn.yes.in_force").first.start == date(2020, 1, 1)
    for name in p.names():
        for v in p.parameter(name).values:
            assert v.reference.source
            assert isinstance(v.reference.date, date)


def test_lookup_is_cached_and_pickles() -> None:
    """Lookups are cached per set; a pickled set is equal and starts with an empty cache."""
    p = default_parameters()
    first = p.lookup("visa.cn.s2.max_stay_days", date(2020, 1, 1))
    assert p.lookup("visa.cn.s2.max_stay_days", date(2020, 1, 1)) is first
    copy = pickle.loads(pickle.dumps(p))
    assert copy == p
    assert copy.value("visa.cn.s2.max_stay_days", date(2020, 1, 1)) == 180


def test_override_replaces_whole_histories() -> None:
    """override() replaces a parameter of the same name and keeps the others."""
    base = default_parameters()
    mine = ParameterSet({"visa.cn.s2.max_stay_days": attrs_evolve_name(_param())})
    merged = base.override(mine)
    assert merged.value("visa.cn.s2.max_stay_days", date(2019, 6, 1)) == 90
    assert merged.value("visa.cn.yes.min_age", date(2020, 6, 1)) == 18
    assert base.value("visa.cn.s2.max_stay_days", date(2020, 6, 1)) == 180


def attrs_evolve_name(p: Parameter) -> Parameter:
    """Return ``p`` renamed to visa.cn.s2.max_stay_days."""
    return Parameter("visa.cn.s2.max_stay_days", p.description, p.unit, p.kind, p.values)


def test_stale_report() -> None:
    """Parameters whose latest value is older than the age are listed by name."""
    p = ParameterSet({"demo.limit": _param()})
    assert p.stale(date(2021, 6, 1), 365) == []
    (report,) = p.stale(date(2023, 1, 2), 365)
    assert report.name == "demo.limit"
    assert report.latest == date(2021, 1, 1)
    assert report.age_days == 731
    assert report.reference == CITE
    names = [s.name for s in default_parameters().stale(date(2026, 1, 1), 365)]
    assert "visa.cn.s2.in_force" in names and names == sorted(names)


def test_parse_a_user_file(tmp_path: Path) -> None:
    """A user's file with a repeal and a decimal value reads back as written."""
    f = tmp_path / "mine.toml"
    f.write_text(
        HEADER
        + """
[parameters."my.rate"]
description = "a rate"
unit = "share"
type = "decimal"
values = [
  { start = 2020-01-01, value = "0.5", reference = { source = "memo", date = 2019-12-01 } },
  { start = 2022-01-01, repealed = true, reference = { source = "memo 2", date = 2021-12-01 } },
]
""",
        encoding="utf-8",
    )
    ps = load_parameters(f)
    assert ps.value("my.rate", date(2020, 5, 1)) == Decimal("0.5")
    with pytest.raises(ParameterError, match="repealed on 2022-01-01"):
        ps.value("my.rate", date(2022, 5, 1))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[parameters."a"]\ntype = "int"\nvalues = []\n', r"parameters.'a'.values: give at least"),
        (
            '[parameters."a"]\ntype = "decimal"\nvalues = [{ start = 2020-01-01, value = 0.1, '
            'reference = { source = "s", date = 2020-01-01 } }]\n',
            r"values\[0\].value: expected a decimal value, got 0.1",
        ),
        (
            '[parameters."a"]\ntype = "int"\nvalues = [{ start = 2020-01-01, value = 1 }]\n',
            r"values\[0\].reference: every value needs a reference",
        ),
        (
            '[parameters."a"]\ntype = "float"\nvalues = []\n',
            r"parameters.'a'.type: expected one of",
        ),
        (
            '[parameters."a"]\ntype = "int"\nvalues = [{ start = "soon", value = 1, '
            'reference = { source = "s", date = 2020-01-01 } }]\n',
            r"values\[0\].start: expected a date",
        ),
        (
            '[parameters."a"]\ntype = "int"\ncolour = "red"\nvalues = []\n',
            r"unknown keys \['colour'\]",
        ),
    ],
)
def test_bad_files_name_file_and_path(body: str, message: str) -> None:
    """Every problem names the file, the parameter and the key."""
    with pytest.raises(ParameterError, match=message) as info:
        parse_parameters(HEADER + body, source="mine.toml")
    assert str(info.value).startswith("mine.toml: ")


def test_missing_envelope_and_unreadable_file(tmp_path: Path) -> None:
    """A file without the envelope, or that does not exist, is refused with its name."""
    with pytest.raises(ParameterError, match=r"x\.toml: expected schema_version = 1"):
        parse_parameters("[parameters]\n", source="x.toml")
    with pytest.raises(ParameterError, match="cannot read"):
        load_parameters(tmp_path / "absent.toml")
    with pytest.raises(ParameterError, match="no parameter named 'nope'"):
        default_parameters().parameter("nope")
