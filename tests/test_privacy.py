"""Personal data: a value planted in every personal field appears in no output sgcq makes.

The planted candidate is too young for the YES scheme, so the age derived
from the birth date is used by a rule and would appear in the exclusion's
reason if it leaked.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import attrs
import pytest

from sgcq.cli import main
from sgcq.errors import DocumentError
from sgcq.matching import Problem, Settings, render_report, solve
from sgcq.models import Candidate, DateRange, Document, Scenario, personal_fields
from sgcq.rules import evaluate_option, explain_option, visa_routes
from sgcq.scenarios import load_scenario
from sgcq.serialization import dump, dumps_json, dumps_toml, loads_json, to_data

NAME = "Quentin Plantedname"
BIRTH = date(2006, 5, 17)  # 14 when the 2020 stays start: under the scheme's 18
NATIONALITY = "TV"  # Tuvalu: no position, rule or parameter names it
# Documents issued long before and expiring before the 2020 stays end, so that
# the visa route that needs the letter reports it expired (and would show the
# date if it leaked).
ISSUED = date(2011, 4, 23)
EXPIRES = date(2020, 8, 19)


def _planted() -> tuple[Scenario, Candidate]:
    scenario = load_scenario("yes-2020")
    victim = attrs.evolve(
        scenario.candidates[0],
        name=NAME,
        date_of_birth=BIRTH,
        nationalities=frozenset({"SG", NATIONALITY}),
        documents=(
            Document("passport", ISSUED, EXPIRES),
            Document("well_known_enterprise_invitation_letter", ISSUED, EXPIRES),
        ),
    )
    return attrs.evolve(scenario, candidates=(victim, *scenario.candidates[1:])), victim


def _leaks(text: str) -> list[str]:
    """Return every planted value, or value derived from one, found in ``text``."""
    needles = (NAME, "Plantedname", BIRTH.isoformat(), ISSUED.isoformat(), EXPIRES.isoformat())
    found = [needle for needle in needles if needle in text]
    found += re.findall(rf"\b{NATIONALITY}\b", text)
    found += re.findall(r"aged \d+ at the start", text)
    # a nationality named in a rule's message ("a national of CN needs no visa")
    found += re.findall(r"\bnationals? of [A-Z]{2}\b", text)
    # the age itself, as the value of the age fact in any format
    found += re.findall(r"age_at_start\W+(?:value\W+)?\d", text)
    return found


def test_personal_fields_are_the_planted_ones() -> None:
    """The test plants a value in every field marked personal (a candidate's and a document's)."""
    assert sorted(personal_fields(Candidate)) == ["date_of_birth", "name", "nationalities"]
    assert sorted(personal_fields(Document)) == ["expires_on", "issued_on"]
    _, victim = _planted()
    assert {(d.issued_on, d.expires_on) for d in victim.documents} == {(ISSUED, EXPIRES)}


def test_reprs_hide_personal_and_derived_values() -> None:
    """Reprs of the candidate, the scenario and the problem show none of the values."""
    scenario, victim = _planted()
    problem = Problem.from_scenario(scenario)
    texts = (repr(victim), repr(victim.documents[0]), repr(scenario), repr(problem))
    for text in (*texts, problem.summary()):
        assert _leaks(text) == []
    assert all(d.issued_on is None for d in victim.redacted().documents)


def test_documents_and_report_hold_no_personal_value() -> None:
    """Problems and results, as objects, JSON, TOML and the report, hold no planted value."""
    scenario, victim = _planted()
    problem = Problem.from_scenario(scenario)
    excluded = [e for e in problem.exclusions if e.candidate == victim.id]
    codes = {r.code for e in excluded for r in e.reasons}
    assert "visa.cn.yes.too_young" in codes  # the derived age was used
    assert "visa.cn.internship.document_expired" in codes  # and the planted expiry
    facts = [f for e in excluded for r in e.reasons for f in r.facts]
    assert ("candidate.age_at_start", "under 18") in {(f.name, f.value) for f in facts}
    result = solve(problem, Settings(workers=1, seed=0, deterministic_time_limit=20.0))
    outputs = {
        "problem repr": repr(problem),
        "problem json": dumps_json(problem),
        "problem toml": dumps_toml(problem),
        "result repr": repr(result),
        "result json": dumps_json(result),
        "result toml": dumps_toml(result),
        "result summary": result.summary(),
        "report": render_report(result, problem, explanations=100),
    }
    assert {k: _leaks(v) for k, v in outputs.items() if _leaks(v)} == {}


def test_cli_output_and_result_file_hold_no_personal_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sgcq show`, `sgcq validate` and `sgcq -v match -o` print and write no planted value."""
    scenario, _ = _planted()
    path = dump(scenario, tmp_path / "planted.toml")
    out = tmp_path / "result.json"
    assert main(["show", str(path)]) == 0
    assert main(["validate", str(path)]) == 0
    assert main(["-v", "match", str(path), "-o", str(out)]) in (0, 1)
    captured = capsys.readouterr()
    assert _leaks(captured.out) == [] and _leaks(captured.err) == []
    assert _leaks(out.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("date_of_birth", "2006-02-30 Plantedname"),
        ("date_of_birth", ["Quentin Plantedname"]),
        ("name", ["Quentin Plantedname"]),
        ("name", {"first": "Quentin Plantedname"}),
        ("nationalities", ["Plantedname"]),
        ("nationalities", "Quentin Plantedname"),
        ("nationalities", ["SG", "SG", "Plantedname"]),
        ("documents", [{"kind": "passport", "issued_on": "2011-04-31 Plantedname"}]),
        ("documents", [{"kind": "passport", "expires_on": ["Plantedname"]}]),
        (
            "documents",
            [{"kind": "passport", "issued_on": "2020-08-19", "expires_on": "2011-04-23"}],
        ),
    ],
)
def test_errors_do_not_echo_malformed_personal_values(field: str, bad: object) -> None:
    """A malformed personal value is reported by its path, without the value."""
    _, victim = _planted()
    data = to_data(victim)
    data[field] = bad
    with pytest.raises(DocumentError) as info:
        loads_json(json.dumps(data))
    message = str(info.value)
    assert field in message and "personal data" in message
    assert _leaks(message) == [] and "Planted" not in message and "2011" not in message


def test_model_errors_do_not_echo_malformed_personal_values() -> None:
    """Building a candidate in Python with a bad personal value does not echo it either."""
    _, victim = _planted()
    with pytest.raises(Exception, match="personal data") as info:
        attrs.evolve(victim, nationalities=frozenset({"Plantedname"}))
    assert "Planted" not in str(info.value)
    with pytest.raises(Exception, match="personal data") as info:
        attrs.evolve(victim, name="   ")
    with pytest.raises(Exception, match="personal data") as info:
        attrs.evolve(victim, date_of_birth="Plantedname")  # type: ignore[arg-type]
    assert "Planted" not in str(info.value)


_CSV_HEADER = (
    "id,nationalities,discipline,available_start,available_end,duration_min,duration_max,"
    "modes,enrolled_full_time_until,name,date_of_birth"
)


def _csv_row(n: int, nationalities: str = "SG", birth: str = "2001-01-01") -> str:
    return (
        f"c{n},{nationalities},computer-science,2020-07-01,2021-01-01,3 months,6 months,"
        f"on_site,2021-05-31,{NAME},{birth}"
    )


def test_streamed_csv_errors_do_not_echo_personal_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Malformed personal cells are named by row and column only, as found and in the summary.

    The problems handed to ``on_error`` one by one, the raised error, and
    what `sgcq validate` writes as it reads (each problem, then the summary,
    with and without ``--fail-fast``) hold no planted value.
    """
    from sgcq.errors import CsvError
    from sgcq.serialization import read_candidates_csv

    f = tmp_path / "c.csv"
    rows = [
        _csv_row(2, birth=f"{BIRTH.isoformat()}x"),
        _csv_row(3, nationalities="Plantedname"),
        _csv_row(4, nationalities=f"SG;;{NATIONALITY}"),
        _csv_row(5, birth="Plantedname"),
    ]
    f.write_text("\n".join([_CSV_HEADER, *rows]) + "\n", encoding="utf-8")
    handed: list[CsvError] = []
    with pytest.raises(CsvError) as info:
        read_candidates_csv(f, on_error=handed.append)
    assert [(e.row, e.column) for e in handed] == [
        (2, "date_of_birth"),
        (3, "nationalities"),
        (4, "nationalities"),
        (5, "date_of_birth"),
    ]
    texts = [str(e) for e in handed] + [str(info.value)]
    assert [t for t in texts if _leaks(t) or "Planted" in t] == []
    for extra in ([], ["--fail-fast", "--max-errors", "2"]):
        assert main(["validate", str(f), "--kind", "candidates", *extra]) == 2
        captured = capsys.readouterr()
        assert "row 2, column 'date_of_birth'" in captured.err
        assert _leaks(captured.err) == [] and "Planted" not in captured.err
        assert _leaks(captured.out) == []


@pytest.mark.parametrize(
    ("scenario", "candidate", "position", "start", "code"),
    [
        # a Chinese national in China: the exemption applies
        ("ntu-ydpg-2020", "ntu-c070", "ntu-p02", date(2020, 9, 1), "no_visa_needed"),
        # a Singaporean in China: it does not
        ("nus-ytp-2019", "nus-c01", "ytp-big-data", date(2019, 12, 16), "not_a_national"),
    ],
)
def test_visa_exemption_messages_do_not_name_the_nationality(
    scenario: str, candidate: str, position: str, start: date, code: str
) -> None:
    """The national exemption's reasons say "the host country", never the candidate's nationality.

    Its message, the verdict, the visa assessment and the full trace are searched.
    """
    sc = load_scenario(scenario)
    c, p = sc.candidate(candidate), sc.position(position)
    stay = DateRange.of_months(start, 3)
    verdict = evaluate_option(sc, c, p, stay)
    routes = visa_routes(sc, c, p, stay)
    trace = explain_option(sc, c, p, stay)
    every = [r for t in trace.walk() for r in t.verdict.reasons]
    reasons = [r for r in every if r.code == f"visa.exempt.national.{code}"]
    assert reasons, trace
    assert all("the host country" in r.message for r in reasons)
    texts = [str(r) for r in every] + [r.message for r in routes.verdict.reasons]
    texts += [repr(verdict), repr(routes), repr(trace), str(trace)]
    assert [t for t in texts if _leaks(t)] == []
