"""Short reprs and HTML views (``_repr_html_``) of the big sgcq objects.

The HTML is parsed with :mod:`html.parser`: every view is well formed, has
its tables, and shows user data (a candidate called ``<script>``) as text.
"""

from __future__ import annotations

import pickle
from datetime import date
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgcq.matching import (
    Assignment,
    BedUse,
    Blocker,
    BlockerKind,
    Explanation,
    LevelValue,
    Problem,
    RankCount,
    Result,
    Settings,
    SolvePath,
    Status,
    UnplacedReason,
    solve,
)
from sgcq.models import Citation, Mode, Money, YearMonth
from sgcq.rules import Outcome, Reason, RuleBook, Trace, Verdict, explain_option
from sgcq.rules.parameters import default_parameters
from sgcq.scenarios import load_scenario

EVIL = "<script>alert('x')</script>"
VOID = {"br", "hr", "img", "meta", "input", "link", "col", "wbr"}


class _Tree(HTMLParser):
    """Collects the tags, checks that they nest, and keeps each table's cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.classes: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for k, val in attrs_:
            if k == "class" and val:
                self.classes.extend(val.split())
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(markup: str) -> _Tree:
    tree = _Tree()
    tree.feed(markup)
    tree.close()
    assert tree.stack == [], f"unclosed tags {tree.stack}"
    return tree


def _table(tree: _Tree, header: str) -> list[list[str]]:
    """Return the rows (header row first) of the table whose first header cell is ``header``."""
    for t in tree.tables:
        if t and t[0] and t[0][0] == header:
            return t
    raise AssertionError(f"no table headed {header!r} in {[t[0] for t in tree.tables if t]}")


@pytest.fixture(scope="module")
def bundled() -> tuple[object, Problem, Result]:
    scenario = load_scenario("ntu-ydpg-2020")
    problem = Problem.from_scenario(scenario)
    result = solve(problem, Settings(workers=1, seed=1, deterministic_time_limit=5.0))
    return scenario, problem, result


def _handmade() -> Result:
    """A result with known numbers and a hostile candidate id."""
    stay = (date(2020, 9, 1), date(2020, 12, 1))
    return Result(
        status=Status.FEASIBLE,
        path=SolvePath.CP_SAT,
        levels=(LevelValue("placed", 2, 2, True), LevelValue("candidate_welfare", 7, 8, False)),
        gap=0.125,
        wall_time=0.5,
        assignments=(
            Assignment("a1", "p1", *stay, Mode.ON_SITE, 1, cost=Money("100", "SGD")),
            Assignment(EVIL, "p2", *stay, Mode.REMOTE, 2, cost=Money("50.5", "SGD")),
        ),
        unplaced=(
            Explanation(
                "u<b>1</b>",
                False,
                (
                    UnplacedReason(
                        "p1",
                        date(2020, 9, 1),
                        blockers=(Blocker(BlockerKind.SEATS_FULL, "p1's 1 seat taken by <a1>"),),
                    ),
                ),
            ),
        ),
        rank_distribution=(RankCount(1, 1), RankCount(2, 1)),
        beds_used=(BedUse(YearMonth(2020, 9), 2, 3), BedUse(YearMonth(2020, 10), 2, None)),
        budget_used=Money("150.5", "SGD"),
        budget=Money("1000", "SGD"),
        message="found <something>",
    )


# --- reprs ---------------------------------------------------------------------------


def test_result_repr_is_one_short_line() -> None:
    """The repr has the status, the path, placed/total, each level, unplaced and the budget."""
    assert repr(_handmade()) == (
        "<Result feasible by cp_sat: placed 2/3, candidate_welfare 7 (gap 12.5%), "
        "unplaced 1, budget SGD 150.50 of 1,000.00>"
    )


def test_result_without_solution_repr_says_why() -> None:
    """An infeasible result's repr has its message, cut short."""
    r = Result(Status.INFEASIBLE, SolvePath.CP_SAT, wall_time=0.25, message="x " * 200)
    text = repr(r)
    assert text.startswith("<Result infeasible by cp_sat, 0.25 s: x x") and text.endswith("…>")
    assert len(text) < 160


def test_big_objects_have_short_reprs(bundled: tuple[object, Problem, Result]) -> None:
    """The bundled scenario, its cohort, problem, result, explanations, verdict, trace and rule
    book all have one-line reprs under 300 characters (they were up to 1.9 MB)."""
    scenario, problem, result = bundled
    assert isinstance(scenario, type(load_scenario("nus-ytp-2019")))
    cand = scenario.candidates[1]
    pos = scenario.position_index[result.assignment_of(cand.id).position]  # type: ignore[union-attr]
    trace = explain_option(scenario, cand, pos, result.assignment_of(cand.id).stay)  # type: ignore[union-attr]
    objects = {
        "Scenario": scenario,
        "Cohort": scenario.cohorts[0],
        "Problem": problem,
        "Constraints": problem.constraints,
        "Result": result,
        "Explanation": result.unplaced[0],
        "Trace": trace,
        "Verdict": trace.verdict,
        "RuleBook": RuleBook.default(),
        "ParameterSet": default_parameters(),
    }
    for name, obj in objects.items():
        text = repr(obj)
        assert text.startswith(f"<{name} ") or text.startswith(f"<{name}:"), text
        assert text.endswith(">") and "\n" not in text and len(text) < 300, (name, len(text))
    assert repr(scenario).startswith("<Scenario ntu-ydpg-2020: 120 candidates, 60 positions")
    assert f"placed {result.placed}/120" in repr(result)


def test_short_reprs_keep_equality_hashing_and_pickling(
    bundled: tuple[object, Problem, Result],
) -> None:
    """Replacing the repr changes nothing else: equal copies, equal hashes, pickles back."""
    scenario, problem, result = bundled
    for obj in (scenario, problem, result, result.unplaced[0], problem.constraints):
        back = pickle.loads(pickle.dumps(obj))
        assert back == obj and back is not obj
        assert repr(back) == repr(obj)
    assert attrs.evolve(result, message="other") != result
    v = Verdict("r", Outcome.ELIGIBLE, date(2020, 1, 1))
    assert hash(v) == hash(Verdict("r", Outcome.ELIGIBLE, date(2020, 1, 1)))
    assert hash(Trace(v)) == hash(Trace(v))


def test_verdict_str_lists_reasons_with_citations() -> None:
    """``str(verdict)`` is readable: the outcome, each reason's code, message and source."""
    cite = Citation("Embassy guidance", date(2013, 9, 1), "S2")
    v = Verdict(
        "visa.cn.s2",
        Outcome.INELIGIBLE,
        date(2020, 7, 1),
        (Reason("visa.cn.s2.stay_too_long", "184 days; the route allows 180", cite),),
        ("date_of_birth",),
    )
    assert str(v) == (
        "visa.cn.s2: ineligible as of 2020-07-01\n"
        "  - [visa.cn.s2.stay_too_long] 184 days; the route allows 180 "
        "(source: Embassy guidance, 2013-09-01 (S2))\n"
        "  missing inputs: date_of_birth"
    )
    assert repr(v) == (
        "<Verdict visa.cn.s2 ineligible as of 2020-07-01: visa.cn.s2.stay_too_long; "
        "missing date_of_birth>"
    )


def test_trace_str_is_the_rendered_tree(bundled: tuple[object, Problem, Result]) -> None:
    """``str(trace)`` is :meth:`Trace.render`, one rule per line, children indented."""
    scenario, _, result = bundled
    a = result.assignments[0]
    cand = scenario.candidate(a.candidate)  # type: ignore[attr-defined]
    trace = explain_option(scenario, cand, scenario.position(a.position), a.stay)  # type: ignore[arg-type, attr-defined]
    assert str(trace) == trace.render()
    lines = str(trace).splitlines()
    assert lines[0].startswith("option: eligible") and lines[1].startswith("  ")
    assert len(lines) == len(list(trace.walk()))


# --- HTML ---------------------------------------------------------------------------


def test_result_html_has_its_tables_and_escapes_user_data() -> None:
    """The view shows levels, ranks, beds, budget and the unplaced with their first reason;
    every piece of user data is text, never markup."""
    markup = _handmade()._repr_html_()
    tree = parse(markup)
    assert "script" not in tree.tags and "b" not in tree.tags and "a" not in tree.tags
    assert "sgcq-result" in tree.classes
    text = "".join(tree.text)
    assert "found <something>" in text
    assert _table(tree, "objective")[1:] == [
        ["placed", "2", "2", "yes", "0.00%"],
        ["candidate_welfare", "7", "8", "no", "12.50%"],
    ]
    assert _table(tree, "candidate rank")[1:] == [["1", "1"], ["2", "1"]]
    assert _table(tree, "month")[1:] == [
        ["2020-09", "2", "3", "1"],
        ["2020-10", "2", "no limit", ""],
    ]
    budget = dict((row[0], row[1]) for row in _table(tree, "budget")[1:])
    assert budget["used"] == "SGD 150.50" and budget["remaining"] == "SGD 849.50"
    assert _table(tree, "candidate")[1:] == [
        ["u<b>1</b>", "not placed", "p1 from 2020-09-01: p1's 1 seat taken by <a1>"]
    ]


def test_result_html_is_compact_for_the_bundled_cohort(
    bundled: tuple[object, Problem, Result],
) -> None:
    """120 candidates: the unplaced table stops at 25 rows and says how many more."""
    _, _, result = bundled
    markup = result._repr_html_()
    assert len(markup) < 20_000
    tree = parse(markup)
    rows = _table(tree, "candidate")[1:]
    n = len(result.unplaced)
    assert n > 25
    assert len(rows) == 26 and rows[-1][0].startswith(f"… {n - 25} more")


def test_scenario_and_cohort_html(bundled: tuple[object, Problem, Result]) -> None:
    """The scenario view counts, lists cohorts and programmes; a hostile name is text."""
    scenario, _, _ = bundled
    tree = parse(scenario._repr_html_())  # type: ignore[attr-defined]
    counts = dict((r[0], r[1]) for r in _table(tree, "")[1:])
    assert counts["candidates"] == "120" and counts["positions"] == "60"
    assert _table(tree, "cohort")[1][0] == "ntu-ydpg-2020-h2"
    evil = attrs.evolve(scenario, name=EVIL, description=EVIL)  # type: ignore[misc]
    tree = parse(evil._repr_html_())
    assert "script" not in tree.tags and EVIL in "".join(tree.text)
    cohort = parse(scenario.cohorts[0]._repr_html_())  # type: ignore[attr-defined]
    assert len(_table(cohort, "month")) == 1 + len(scenario.cohorts[0].beds)  # type: ignore[attr-defined]
    assert len(_table(cohort, "dimension")) == 1 + len(scenario.cohorts[0].quotas)  # type: ignore[attr-defined]


def test_problem_and_explanation_html(bundled: tuple[object, Problem, Result]) -> None:
    """The problem view has its counts and side constraints; an explanation its reasons."""
    _, problem, result = bundled
    tree = parse(problem._repr_html_())
    counts = dict((r[0], r[1]) for r in _table(tree, "")[1:])
    assert counts["options"] == str(len(problem.options))
    kinds = {r[0] for r in _table(tree, "constraint")[1:]}
    assert {"size", "beds", "budget", "field quota"} <= kinds
    codes = _table(tree, "reason code")
    assert sum(int(r[1]) for r in codes[1:] if r[1].isdigit()) <= sum(
        len(x.reasons) for x in problem.exclusions
    )
    e = result.unplaced[0]
    rows = _table(parse(e._repr_html_()), "position")[1:]
    assert rows[0][0] == e.reasons[0].position and rows[0][2] == "blocked"


def test_verdict_and_trace_html_show_codes_messages_and_citations(
    bundled: tuple[object, Problem, Result],
) -> None:
    """A verdict's view is its reasons table; a trace's is the rule tree, one row per rule,
    with each reason's message and citation shown once, where it arose."""
    cite = Citation("A <b>source</b>", date(2019, 1, 1))
    v = Verdict("r", Outcome.INELIGIBLE, date(2020, 1, 1), (Reason("r.no", EVIL, cite),))
    tree = parse(v._repr_html_())
    assert "script" not in tree.tags and "b" not in tree.tags
    assert _table(tree, "code")[1:] == [["r.no", EVIL, "source: A <b>source</b>, 2019-01-01"]]
    assert "sgcq-verdict" in tree.classes

    scenario, _, _ = bundled
    cand = scenario.candidates[0]  # type: ignore[attr-defined]
    pos = scenario.positions[20]  # type: ignore[attr-defined]
    stay = next(o.stay for o in problem_options(scenario, cand.id))
    trace = explain_option(scenario, cand, pos, stay)  # type: ignore[arg-type]
    tree = parse(trace._repr_html_())
    rows = _table(tree, "rule")[1:]
    nodes = list(trace.walk())
    assert len(rows) == len(nodes)
    assert [r[0].strip("\u00a0") for r in rows] == [t.rule for t in nodes]
    assert rows[1][0].startswith("\u00a0\u00a0")
    assert [r[1] for r in rows] == [t.outcome.value for t in nodes]
    # every reason of a leaf shows its message, and the root repeats none of them
    leaves = [(r, t) for r, t in zip(rows, nodes, strict=True) if not t.children]
    for row, t in leaves:
        for reason in t.verdict.reasons:
            assert reason.message in row[3]
    # The root shows only reasons of its own (the programme kind whose rules
    # applied), never one that arose in a branch below it.
    below = {r.message for _, t in leaves for r in t.verdict.reasons}
    assert not any(message in rows[0][3] for message in below) or not trace.children


def problem_options(scenario: object, candidate: str) -> list[object]:
    """Return the options of ``candidate`` in the bundled problem (any stay will do)."""
    from sgcq.rules import evaluate_candidate

    s = scenario
    return [o for o in evaluate_candidate(s, s.candidate(candidate)) if o.stay is not None]  # type: ignore[arg-type, attr-defined]


ALLOWED = {"div", "style", "p", "strong", "table", "caption", "thead", "tbody", "tr", "th", "td"}


@given(user=st.text(), message=st.text())
def test_any_user_text_is_shown_as_text(user: str, message: str) -> None:
    """Whatever an id or a message holds, the views parse, use only their own tags, and show
    the id exactly as given (property)."""
    r = attrs.evolve(
        _handmade(),
        unplaced=(
            Explanation(
                user, True, (UnplacedReason("p1", None, rule_reasons=(Reason("x.y", message),)),)
            ),
        ),
        message=message,
    )
    tree = parse(r._repr_html_())
    assert set(tree.tags) <= ALLOWED
    rows = _table(tree, "candidate")[1:]
    assert [row[0] for row in rows] == [user]
    v = Verdict(user or "r", Outcome.INELIGIBLE, date(2020, 1, 1), (Reason(user, message),))
    tree = parse(v._repr_html_())
    assert set(tree.tags) <= ALLOWED
    assert _table(tree, "code")[1][:2] == [user, message]
