"""Rule cases as data: an input, a date, and the verdict and reasons expected.

A case file is TOML (``docs/rules/writing-rules.md``)::

    schema_version = 1
    kind = "rule_cases"

    [[cases]]
    id = "s2-nus-december-2019"
    scenario = "nus-ytp-2019"        # a bundled scenario, or scenario_file = "x.toml"
    candidate = "nus-c01"
    position = "ytp-big-data"
    # mode = "remote"                # one of a multi-mode position's modes (Position.in_mode)
    start = 2019-12-16               # with end, months or days; else stay_for's stay
    end = 2020-01-20
    rule = "visa.cn.s2"              # a rule set or rule id, "option" or "visa"
    expect = "eligible"
    codes = ["visa.cn.s2.open"]      # reason codes that must all appear

A file may name the rule book to use with ``rulebook = "package.module:name"``
(a :class:`~sgcq.rules.RuleBook` or a function returning one) and layer
parameter files on it with ``parameters = ["my-parameters.toml"]`` (paths
relative to the case file). :func:`run_case` evaluates a case and says
precisely what did not match; its message starts with the first difference.
The pytest plugin :mod:`sgcq.testing.plugin` collects ``rules_*.toml`` and
``*.rulecases.toml`` files as tests where the project asks it to.

A case file is data, and reading one never runs code nor reads files the
reader did not allow:

* ``scenario_file`` and ``parameters`` must stay inside the case file's
  folder (after ``..`` and symbolic links are resolved), or inside one of the
  folders given as ``allowed_paths``;
* ``rulebook`` may name only a module listed in ``allowed_modules``
  (``"myprogramme.rules"``, or ``"myprogramme.*"`` for every module of a
  package); with none listed, a file that names a rule book is refused.

Either breach is an :class:`~sgcq.errors.UnsafeCaseError` naming the file and
the key, raised when the file is read, before anything is imported.
"""

from __future__ import annotations

import difflib
import functools
import importlib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from sgcq.errors import CaseError, UnsafeCaseError
from sgcq.models import (
    Candidate,
    DateRange,
    Duration,
    DurationUnit,
    Mode,
    Position,
    Programme,
    Scenario,
    SgcqError,
)
from sgcq.rules.book import RuleBook, UnknownRuleError
from sgcq.rules.engine import Context, find_rule
from sgcq.rules.evaluate import OPTION_RULE, default_rulebook, evaluate_option, option_context
from sgcq.rules.stays import stay_for
from sgcq.rules.verdicts import Outcome, Verdict
from sgcq.serialization._toml import TomlReadError, parse_toml, read_toml

__all__ = [
    "VISA_RULE",
    "CaseError",
    "CaseResult",
    "RuleCase",
    "UnsafeCaseError",
    "evaluate_case",
    "load_cases",
    "parse_cases",
    "run_case",
]

#: The rule id of a case that checks the visa requirement of the position's country.
VISA_RULE = "visa"


@attrs.frozen
class RuleCase:
    """One rule case.

    Parameters
    ----------
    id
        Unique within its file.
    source
        The file it was read from (``"<string>"`` if none).
    rule
        A rule set id, a rule id inside one, ``"option"`` (:func:`evaluate_option`)
        or ``"visa"`` (the visa requirement of the position's country).
    expect
        The expected outcome.
    candidate, position
        Ids in the scenario.
    start
        The stay's first day.
    mode
        The mode to assess a position open in several modes in
        (:meth:`~sgcq.models.Position.in_mode`); ``None`` for its first mode.
    scenario
        Name of a bundled scenario, or ``None`` with ``scenario_file``.
    scenario_file
        Path of a scenario document.
    end, months, days
        The stay's end, or its length; at most one. With none, the stay is
        :func:`~sgcq.rules.stay_for`'s.
    as_of
        The evaluation date (the stay's start by default).
    documents
        The candidate's documents, if the case is about them.
    codes
        Reason codes that must all appear.
    absent_codes
        Reason codes that must not appear.
    missing
        Missing inputs that must all be named.
    facts
        Fact name to value; each must appear in some reason.
    description
        What the case shows.
    rulebook
        ``"module:name"`` of the rule book, or ``None`` for the default.
    parameter_files
        Parameter files layered on the rule book.
    """

    id: str
    source: str
    rule: str
    expect: Outcome
    candidate: str
    position: str
    start: date
    mode: Mode | None = None
    scenario: str | None = None
    scenario_file: Path | None = None
    end: date | None = None
    months: int | None = None
    days: int | None = None
    as_of: date | None = None
    documents: frozenset[str] | None = None
    codes: tuple[str, ...] = ()
    absent_codes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    facts: Mapping[str, str] = attrs.field(factory=dict, converter=dict)
    description: str = ""
    rulebook: str | None = None
    parameter_files: tuple[Path, ...] = ()

    @property
    def name(self) -> str:
        """``file::id`` for messages."""
        return f"{self.source}::{self.id}"


@attrs.frozen
class CaseResult:
    """The outcome of running a case.

    Parameters
    ----------
    case
        The case.
    verdict
        The verdict the rules gave (``None`` if the case could not be run).
    problems
        What did not match, one line each; empty when the case passed.
    """

    case: RuleCase
    verdict: Verdict | None
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Whether the verdict matched every expectation."""
        return not self.problems

    @property
    def headline(self) -> str:
        """The first difference, and how many more there are: one line, for summaries.

        Empty when the case passed.
        """
        if not self.problems:
            return ""
        first = self.problems[0].splitlines()[0]
        more = len(self.problems) - 1
        return first if not more else f"{first} (and {more} more)"

    def message(self) -> str:
        """Return a readable report: what differed first, the case, and the verdict's reasons.

        The first line is :attr:`headline`, so a one-line summary of a failed
        case (pytest's ``-ra``, a CI annotation) shows the difference; the
        other differences follow, then the case and the reasons the rules gave.
        """
        lines = [self.headline or "passed"]
        lines.extend(f"  - {p}" for p in self.problems[1:])
        lines.append(f"  in rule case {self.case.name} ({self.case.rule})")
        if self.case.description:
            lines.append(f"  {self.case.description}")
        if self.verdict is not None:
            lines.append(f"  verdict: {self.verdict.outcome.value} as of {self.verdict.as_of}")
            for r in self.verdict.reasons:
                lines.append(f"    {r.code}: {r.message}")
            if self.verdict.missing:
                lines.append(f"    missing: {', '.join(self.verdict.missing)}")
        return "\n".join(lines)


_CASE_KEYS = frozenset(
    {
        "id",
        "description",
        "scenario",
        "scenario_file",
        "candidate",
        "position",
        "mode",
        "start",
        "end",
        "months",
        "days",
        "as_of",
        "rule",
        "documents",
        "expect",
        "codes",
        "absent_codes",
        "missing",
        "facts",
    }
)


def _date(raw: Any, where: str) -> date:
    if isinstance(raw, date) and not hasattr(raw, "hour"):
        return raw
    raise CaseError(f"{where}: expected a date like 2019-12-16, got {raw!r}")


def _opt_date(raw: Any, where: str) -> date | None:
    return None if raw is None else _date(raw, where)


def _strs(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise CaseError(f"{where}: expected a list of strings, got {raw!r}")
    return tuple(raw)


def _opt_int(raw: Any, where: str) -> int | None:
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
        raise CaseError(f"{where}: expected a positive integer, got {raw!r}")
    return raw


def _text(item: Mapping[str, Any], key: str, where: str, required: bool = True) -> str | None:
    raw = item.get(key)
    if raw is None and not required:
        return None
    if not isinstance(raw, str) or not raw:
        raise CaseError(f"{where}.{key}: expected text, got {raw!r}")
    return raw


_FILE_KEYS = frozenset({"schema_version", "kind", "cases", "rulebook", "parameters"})


def _unknown_keys(keys: Iterable[str], known: frozenset[str], where: str, what: str) -> None:
    """Raise :class:`CaseError` naming each unknown key, with the nearest known key."""
    unknown = sorted(set(keys) - known)
    if not unknown:
        return
    parts = []
    for key in unknown:
        close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
        parts.append(f"{key!r} (did you mean {close[0]!r}?)" if close else repr(key))
    raise CaseError(
        f"{where}: unknown {what} {', '.join(parts)}; known: {', '.join(sorted(known))}"
    )


@attrs.frozen
class _Policy:
    """What a case file may reach: its folder (plus ``roots``) and the listed modules."""

    base: Path
    roots: tuple[Path, ...]
    modules: tuple[str, ...]

    @classmethod
    def of(
        cls, base: Path | None, allowed_paths: Iterable[str | Path], allowed_modules: Iterable[str]
    ) -> _Policy:
        folder = (base if base is not None else Path.cwd()).resolve()
        roots = tuple(Path(r).resolve() for r in allowed_paths)
        return cls(folder, roots, tuple(allowed_modules))

    def path(self, raw: str, where: str) -> Path:
        """Return ``raw`` resolved against the case file's folder, if it stays inside."""
        resolved = (self.base / raw).resolve()
        for root in (self.base, *self.roots):
            if resolved == root or root in resolved.parents:
                return resolved
        raise UnsafeCaseError(
            f"{where}: {raw!r} is outside the case file's folder {self.base}; "
            "case files may name files only inside their folder (allow more folders "
            "with the pytest option sgcq_case_paths, or allowed_paths=)"
        )

    def rulebook(self, spec: str, where: str) -> str:
        """Return ``spec`` if it is ``module:name`` and the module is allowed."""
        module, _, name = spec.partition(":")
        if not module or not name:
            raise CaseError(f"{where}: expected 'package.module:name', got {spec!r}")
        for allowed in self.modules:
            if module == allowed or (allowed.endswith(".*") and module.startswith(allowed[:-1])):
                return spec
        listed = ", ".join(self.modules) if self.modules else "none"
        raise UnsafeCaseError(
            f"{where}: module {module!r} is not allowed (allowed: {listed}); a case file "
            "imports only modules the project lists (the pytest option "
            "sgcq_rulebook_modules, or allowed_modules=)"
        )


def _case(
    item: Any, i: int, source: str, policy: _Policy, file_keys: Mapping[str, Any]
) -> RuleCase:
    where = f"{source}: cases[{i}]"
    if not isinstance(item, dict):
        raise CaseError(f"{where}: expected a table")
    _unknown_keys(item, _CASE_KEYS, where, "keys")
    cid = _text(item, "id", where)
    assert cid is not None
    where = f"{source}: case {cid!r}"
    try:
        expect = Outcome(item.get("expect"))
    except ValueError:
        known = ", ".join(o.value for o in Outcome)
        raise CaseError(
            f"{where}.expect: expected one of {known}, got {item.get('expect')!r}"
        ) from None
    scenario = _text(item, "scenario", where, required=False)
    scenario_file_raw = _text(item, "scenario_file", where, required=False)
    if (scenario is None) == (scenario_file_raw is None):
        raise CaseError(f"{where}: give exactly one of scenario and scenario_file")
    scenario_file = None
    if scenario_file_raw is not None:
        scenario_file = policy.path(scenario_file_raw, f"{where}.scenario_file")
    lengths = [k for k in ("end", "months", "days") if item.get(k) is not None]
    if len(lengths) > 1:
        raise CaseError(f"{where}: give at most one of end, months and days, not {lengths}")
    facts = item.get("facts", {})
    if not isinstance(facts, dict) or not all(isinstance(v, str) for v in facts.values()):
        raise CaseError(f"{where}.facts: expected a table of strings")
    documents = item.get("documents")
    mode_raw = _text(item, "mode", where, required=False)
    try:
        mode = None if mode_raw is None else Mode(mode_raw)
    except ValueError:
        known = ", ".join(m.value for m in Mode)
        raise CaseError(f"{where}.mode: expected one of {known}, got {mode_raw!r}") from None
    rulebook = file_keys.get("rulebook")
    params = _strs(file_keys.get("parameters"), f"{source}: parameters")
    parameter_files = tuple(policy.path(p, f"{source}: parameters") for p in params)
    return RuleCase(
        id=cid,
        source=source,
        rule=_text(item, "rule", where) or "",
        expect=expect,
        candidate=_text(item, "candidate", where) or "",
        position=_text(item, "position", where) or "",
        start=_date(item.get("start"), f"{where}.start"),
        mode=mode,
        scenario=scenario,
        scenario_file=scenario_file,
        end=_opt_date(item.get("end"), f"{where}.end"),
        months=_opt_int(item.get("months"), f"{where}.months"),
        days=_opt_int(item.get("days"), f"{where}.days"),
        as_of=_opt_date(item.get("as_of"), f"{where}.as_of"),
        documents=None if documents is None else frozenset(_strs(documents, f"{where}.documents")),
        codes=_strs(item.get("codes"), f"{where}.codes"),
        absent_codes=_strs(item.get("absent_codes"), f"{where}.absent_codes"),
        missing=_strs(item.get("missing"), f"{where}.missing"),
        facts=facts,
        description=str(item.get("description", "")),
        rulebook=rulebook if isinstance(rulebook, str) else None,
        parameter_files=parameter_files,
    )


def parse_cases(
    text: str,
    *,
    source: str = "<string>",
    base: Path | None = None,
    allowed_paths: Iterable[str | Path] = (),
    allowed_modules: Iterable[str] = (),
) -> list[RuleCase]:
    r"""Read the cases in a case file's text.

    Parameters
    ----------
    text
        TOML with ``schema_version = 1``, ``kind = "rule_cases"`` and ``[[cases]]``.
    source
        Named in messages.
    base
        The folder relative paths are resolved against and confined to (the
        current directory when ``None``).
    allowed_paths
        Further folders that ``scenario_file`` and ``parameters`` may name
        files in.
    allowed_modules
        Modules that ``rulebook`` may name: a module (``"myprogramme.rules"``)
        or every module of a package (``"myprogramme.*"``).

    Returns
    -------
    list of RuleCase
        In file order.

    Raises
    ------
    CaseError
        Naming the file, the case and the key that is wrong; an unknown key
        comes with the nearest known key ("did you mean 'expect'?").
    UnsafeCaseError
        If a path leaves the allowed folders or ``rulebook`` names a module
        that is not allowed.

    Examples
    --------
    >>> text = 'schema_version = 1\nkind = "rule_cases"\nrulebook = "os:system"\n'
    >>> parse_cases(text, source="mine.toml")
    Traceback (most recent call last):
    ...
    sgcq.errors.UnsafeCaseError: mine.toml: rulebook: module 'os' is not allowed ...
    """
    try:
        doc = parse_toml(text, source=source)
    except TomlReadError as e:
        raise CaseError(str(e)) from None
    return _cases(doc, source, _Policy.of(base, allowed_paths, allowed_modules))


def _cases(doc: dict[str, Any], source: str, policy: _Policy) -> list[RuleCase]:
    if doc.get("schema_version") != 1 or doc.get("kind") != "rule_cases":
        raise CaseError(f"{source}: expected schema_version = 1 and kind = 'rule_cases'")
    _unknown_keys(doc, _FILE_KEYS, source, "top-level keys")
    spec = doc.get("rulebook")
    if spec is not None:
        if not isinstance(spec, str):
            raise CaseError(f"{source}: rulebook: expected 'package.module:name', got {spec!r}")
        policy.rulebook(spec, f"{source}: rulebook")
    raw = doc.get("cases", [])
    if not isinstance(raw, list):
        raise CaseError(f"{source}: cases: expected an array of tables")
    cases = [_case(item, i, source, policy, doc) for i, item in enumerate(raw)]
    ids = [c.id for c in cases]
    dup = sorted({x for x in ids if ids.count(x) > 1})
    if dup:
        raise CaseError(f"{source}: case ids repeat: {', '.join(dup)}")
    return cases


def load_cases(
    path: str | Path,
    *,
    allowed_paths: Iterable[str | Path] = (),
    allowed_modules: Iterable[str] = (),
) -> list[RuleCase]:
    """Read a case file; paths in it are confined to its folder.

    Parameters
    ----------
    path
        The case file.
    allowed_paths, allowed_modules
        As for :func:`parse_cases`.

    Returns
    -------
    list of RuleCase
        In file order.

    Raises
    ------
    CaseError
        If the file cannot be read or a case is wrong (see :func:`parse_cases`).
    UnsafeCaseError
        If it names a file outside its folder (and ``allowed_paths``) or a
        module not in ``allowed_modules``.
    """
    p = Path(path)
    try:
        doc = read_toml(p)
    except TomlReadError as e:
        raise CaseError(str(e)) from None
    return _cases(doc, str(p), _Policy.of(p.parent, allowed_paths, allowed_modules))


@functools.lru_cache(maxsize=32)
def _bundled(name: str) -> Scenario:
    from sgcq.scenarios import load_scenario

    return load_scenario(name)


@functools.lru_cache(maxsize=32)
def _scenario_file(path: Path) -> Scenario:
    from sgcq.serialization import load

    return load(path, Scenario)


@functools.lru_cache(maxsize=32)
def _rulebook(spec: str | None, parameter_files: tuple[Path, ...]) -> RuleBook:
    if spec is None:
        book = default_rulebook()
    else:
        module, _, name = spec.partition(":")
        if not name:
            raise CaseError(f"rulebook {spec!r}: expected 'package.module:name'")
        obj = getattr(importlib.import_module(module), name)
        book = obj() if callable(obj) and not isinstance(obj, RuleBook) else obj
        if not isinstance(book, RuleBook):
            raise CaseError(f"rulebook {spec!r} is not a RuleBook")
    return book.with_parameter_files(parameter_files)


def _stay(
    case: RuleCase, candidate: Candidate, position: Position, programme: Programme | None
) -> DateRange:
    if case.end is not None:
        return DateRange(case.start, case.end)
    if case.months is not None:
        return Duration(case.months, DurationUnit.MONTHS).range_from(case.start)
    if case.days is not None:
        return Duration(case.days, DurationUnit.DAYS).range_from(case.start)
    stay = stay_for(candidate, position, case.start, programme)
    if stay is None:
        raise CaseError(f"{case.name}: no stay fits from {case.start}; give end, months or days")
    return stay


def _in_country(ctx: Context, country: str | None) -> Context:
    # A route into another country than the position's (a stay in segments on
    # site in two countries) reads the stay's days in its own country.
    if country is None or country == ctx.position.location.country:
        return ctx
    return attrs.evolve(ctx, country=country)


def evaluate_case(case: RuleCase) -> Verdict:
    """Return the verdict the rules give for ``case``'s input.

    Raises
    ------
    CaseError
        If the scenario, an id or the rule is unknown.
    """
    try:
        scenario = (
            _bundled(case.scenario)
            if case.scenario is not None
            else _scenario_file(case.scenario_file or Path())
        )
        candidate = scenario.candidate(case.candidate)
        position = scenario.position(case.position)
        if case.mode is not None:
            position = position.in_mode(case.mode)
        book = _rulebook(case.rulebook, case.parameter_files)
    except (KeyError, SgcqError, ImportError, AttributeError) as e:
        # str() of a KeyError is the repr of its key; its message reads better.
        text = e.args[0] if isinstance(e, KeyError) and e.args else e
        raise CaseError(f"{case.name}: {text}") from None
    programme = scenario.programme_index.get(position.programme) if position.programme else None
    stay = _stay(case, candidate, position, programme)
    if case.rule == OPTION_RULE and case.documents is None:
        return evaluate_option(scenario, candidate, position, stay, as_of=case.as_of, rulebook=book)
    ctx: Context = option_context(
        scenario,
        candidate,
        position,
        stay,
        as_of=case.as_of,
        rulebook=book,
        documents=case.documents,
    )
    if case.rule == VISA_RULE:
        return book.visa_rule(position.location.country).evaluate(ctx)
    try:
        rule_set = book.rule_set(case.rule)
        return rule_set.evaluate(_in_country(ctx, rule_set.country))
    except UnknownRuleError:
        pass
    for rs in book.rule_sets:
        found = find_rule(rs.rule, case.rule)
        if found is not None:
            return found.evaluate(_in_country(ctx, rs.country))
    raise CaseError(f"{case.name}: no rule or rule set {case.rule!r}")


def run_case(case: RuleCase) -> CaseResult:
    """Run ``case`` and compare the verdict with what it expects.

    Returns
    -------
    CaseResult
        ``passed`` when the outcome matches, every expected code, missing
        input and fact appears and no absent code does; otherwise
        ``problems`` says what differed.
    """
    try:
        verdict = evaluate_case(case)
    except CaseError as e:
        # The report names the case on its own line; the problem need not repeat it.
        text = str(e).removeprefix(f"{case.name}: ")
        return CaseResult(case, None, (text,))
    problems: list[str] = []
    if verdict.outcome is not case.expect:
        problems.append(f"expected {case.expect.value}, got {verdict.outcome.value}")
    codes = set(verdict.codes)
    lacking = [c for c in case.codes if c not in codes]
    if lacking:
        problems.append(f"expected reason codes not given: {', '.join(lacking)}")
    extra = [c for c in case.absent_codes if c in codes]
    if extra:
        problems.append(f"reason codes given that should not be: {', '.join(extra)}")
    unnamed = [m for m in case.missing if m not in verdict.missing]
    if unnamed:
        problems.append(f"expected missing inputs not named: {', '.join(unnamed)}")
    facts = {(f.name, f.value) for r in verdict.reasons for f in r.facts}
    names = {f.name: f.value for r in verdict.reasons for f in r.facts}
    for name, value in case.facts.items():
        if (name, value) not in facts:
            got = names.get(name)
            problems.append(
                f"expected fact {name} = {value!r}, got "
                + (repr(got) if got is not None else "no such fact")
            )
    return CaseResult(case, verdict, tuple(problems))
