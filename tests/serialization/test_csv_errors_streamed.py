"""CSV problems as they are found: ``on_error`` sees a bad row at once, ``fail_fast`` stops reading.

The large files are generated lazily by a source that counts the lines the
reader takes from it, so the tests assert how far reading went, not how
long it took.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgcq.errors import CsvError, MultiCsvError
from sgcq.scenarios import load_scenario
from sgcq.serialization import (
    read_candidates_csv,
    read_positions_csv,
    read_preferences_csv,
    scenario_from_files,
)

HEADER = (
    "id,university,nationalities,discipline,available_start,available_end,"
    "duration_min,duration_max,modes,enrolled_full_time_until\n"
)


def row(line: int, bad: bool = False) -> str:
    """The candidate on ``line`` of the file (the header is line 1); a bad start date if ``bad``."""
    start = "2020-13-01" if bad else "2020-07-01"
    return (
        f"c{line},ntu,SG,computer-science,{start},2021-01-01,3 months,6 months,on_site,2021-05-31\n"
    )


class CountingSource:
    """A text file of ``rows`` candidates made line by line as it is read; counts the lines taken.

    It has ``read`` (so the readers take it for an open text file) and is
    an iterator of lines, which is how the CSV module reads a file.
    """

    name = "big.csv"

    def __init__(self, rows: int, bad: frozenset[int]) -> None:
        self.rows = rows
        self.bad = bad
        #: Lines handed to the reader so far (the header included).
        self.taken = 0
        self._lines = self._make()

    def _make(self) -> Iterator[str]:
        yield HEADER
        for line in range(2, self.rows + 2):
            yield row(line, line in self.bad)

    def read(self, size: int = -1) -> str:
        """Only ``read(0)`` is called (to tell text from bytes)."""
        assert size == 0
        return ""

    def __iter__(self) -> CountingSource:
        return self

    def __next__(self) -> str:
        text = next(self._lines)
        self.taken += 1
        return text


class _SeenError(Exception):
    """Raised by an ``on_error`` to stop reading once it has what it needs."""


def test_a_bad_row_10_of_200k_reaches_on_error_before_row_1000_is_read() -> None:
    """``on_error`` is handed the row-10 problem while fewer than 1,000 lines have been read."""
    source = CountingSource(200_000, frozenset({10}))
    seen: list[tuple[CsvError, int]] = []

    def on_error(error: CsvError) -> None:
        seen.append((error, source.taken))
        raise _SeenError  # the caller has what it wanted: stop the read here

    with pytest.raises(_SeenError):
        read_candidates_csv(source, on_error=on_error)
    ((error, taken),) = seen
    assert (error.file, error.row, error.column) == ("big.csv", 10, "available_start")
    assert "is not a date" in error.message
    assert taken < 1_000


def test_fail_fast_reads_no_further_than_the_cap() -> None:
    """With ``fail_fast`` and one error allowed, reading stops at row 10 of 200,000.

    The reader takes the ten lines up to the bad row and one more (to say
    whether anything was left unread), and the error says that the rest of
    the file was not read, with "at least" before the count.
    """
    source = CountingSource(200_000, frozenset({10, 500}))
    with pytest.raises(MultiCsvError) as info:
        read_candidates_csv(source, max_errors=1, fail_fast=True)
    assert source.taken == 11
    assert [e.row for e in info.value.errors] == [10]
    assert info.value.cut == {"big.csv": 10}
    assert info.value.more == 0
    text = str(info.value)
    assert text.startswith("at least 1 problem in big.csv:")
    assert "reading stopped after row 10 at the error limit" in text
    assert "the rest of the file was not read" in text


def test_fail_fast_with_several_errors_stops_at_the_last_kept() -> None:
    """``max_errors=3``: the first three bad rows are kept, the fourth is never read."""
    source = CountingSource(10_000, frozenset({10, 20, 30, 40}))
    handed: list[int | None] = []
    with pytest.raises(MultiCsvError) as info:
        read_candidates_csv(
            source, max_errors=3, fail_fast=True, on_error=lambda e: handed.append(e.row)
        )
    assert [e.row for e in info.value.errors] == [10, 20, 30] == handed
    assert source.taken == 31
    assert "at least 3 problems" in str(info.value)


def test_fail_fast_at_the_last_row_reads_the_whole_file_and_counts_exactly() -> None:
    """When the cap is reached on the last row nothing is left unread: the count is exact."""
    source = CountingSource(9, frozenset({10}))
    with pytest.raises(CsvError) as info:
        read_candidates_csv(source, max_errors=1, fail_fast=True)
    assert type(info.value) is CsvError and info.value.row == 10
    assert "at least" not in str(info.value)


def test_on_error_gets_every_problem_kept_or_counted() -> None:
    """Without ``fail_fast`` the whole file is read: ``on_error`` gets all five problems.

    The raised error keeps the first two and counts the other three exactly.
    """
    source = CountingSource(60, frozenset({3, 11, 20, 33, 61}))
    handed: list[CsvError] = []
    with pytest.raises(MultiCsvError) as info:
        read_candidates_csv(source, max_errors=2, on_error=handed.append)
    assert [e.row for e in handed] == [3, 11, 20, 33, 61]
    assert list(info.value.errors) == handed[:2]
    assert info.value.more == 3 and info.value.cut == {}
    assert source.taken == 61
    assert "5 problems in big.csv" in str(info.value)
    assert "at least" not in str(info.value)


def test_summary_leaves_the_problems_out() -> None:
    """``MultiCsvError.summary()`` is the count and how reading ended, without the rows."""
    source = CountingSource(100, frozenset({5, 6, 7}))
    with pytest.raises(MultiCsvError) as info:
        read_candidates_csv(source, max_errors=2, fail_fast=True)
    summary = info.value.summary()
    assert summary.splitlines()[0] == "at least 2 problems in big.csv"
    assert "row 5," not in summary and "not read" in summary


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 40),
    bad=st.sets(st.integers(2, 41), max_size=8),
    cap=st.integers(1, 5),
    fail_fast=st.booleans(),
)
def test_streamed_errors_match_the_raised_ones(
    rows: int, bad: set[int], cap: int, fail_fast: bool
) -> None:
    """Any file: ``on_error`` sees the problems in file order, the error keeps the first ``cap``.

    Without ``fail_fast`` every line is read and the rest are counted
    exactly; with it reading ends one line after the cap-th problem, and
    only a file with lines left unread says "at least".
    """
    bad = {b for b in bad if b <= rows + 1}
    source = CountingSource(rows, frozenset(bad))
    handed: list[CsvError] = []
    try:
        got = read_candidates_csv(
            source, max_errors=cap, fail_fast=fail_fast, on_error=handed.append
        )
    except CsvError as exc:
        error = exc
    else:
        assert not bad and not handed and len(got) == rows
        return
    kept = list(error.errors) if isinstance(error, MultiCsvError) else [error]
    assert [e.row for e in handed] == [e.row for e in kept] + [e.row for e in handed[cap:]]
    assert kept == handed[:cap]
    order = sorted(bad)
    if not fail_fast or len(bad) < cap:
        assert [e.row for e in handed] == order
        assert source.taken == rows + 1
        assert not isinstance(error, MultiCsvError) or error.more == len(bad) - len(kept)
        assert "at least" not in str(error)
        return
    last = order[cap - 1]
    assert [e.row for e in handed] == order[:cap]
    assert source.taken == min(last + 1, rows + 1)
    unread = last < rows + 1
    cut = error.cut if isinstance(error, MultiCsvError) else {}
    assert cut == ({"big.csv": last} if unread else {})
    assert ("at least" in str(error)) is unread


POSITIONS = (
    "id,host,title,fields,seats,mode,country,city,duration_min,duration_max,start_dates\n"
    "p1,ytp-host,Intern,big-data,0,on_site,CN,Chongqing,5 weeks,5 weeks,2019-12-16\n"
    "p2,ytp-host,Intern,big-data,1,onsite,CN,Chongqing,5 weeks,5 weeks,2019-12-16\n"
)


def test_positions_and_preferences_stream_too() -> None:
    """The positions and preferences readers take ``on_error`` and ``fail_fast`` as well."""
    handed: list[CsvError] = []
    with pytest.raises(MultiCsvError) as info:
        read_positions_csv(io.StringIO(POSITIONS), on_error=handed.append)
    assert [(e.row, e.column) for e in handed] == [(2, "seats"), (3, "mode")]
    prefs = "candidate,position,rank\nc1,p1,0\nc1,p2,x\nc2,p1,1\n"
    with pytest.raises(MultiCsvError) as info:
        read_preferences_csv(io.StringIO(prefs), max_errors=1, fail_fast=True)
    assert [e.row for e in info.value.errors] == [2]
    assert info.value.cut == {"<stream>": 2}


def test_scenario_from_files_fail_fast_reads_no_file_after_a_cut_one(tmp_path: Path) -> None:
    """A candidates file cut short at its cap leaves the later files unread, and says so.

    Their rows would otherwise be checked against ids that were never read.
    """
    cands = tmp_path / "c.csv"
    cands.write_text(HEADER + "".join(row(n, n in (3, 4)) for n in range(2, 8)))
    pos = tmp_path / "p.csv"
    pos.write_text(POSITIONS)
    prefs = tmp_path / "cp.csv"
    prefs.write_text("candidate,position,rank\nnobody,p1,1\n")
    handed: list[CsvError] = []
    with pytest.raises(MultiCsvError) as info:
        scenario_from_files(
            load_scenario("nus-ytp-2019"),
            candidates=cands,
            positions=pos,
            preferences=prefs,
            max_errors=1,
            fail_fast=True,
            on_error=handed.append,
        )
    assert [(Path(e.file).name, e.row) for e in handed] == [("c.csv", 3)]
    assert info.value.cut == {str(cands): 3, str(pos): None, str(prefs): None}
    assert f"{pos}: not read" in str(info.value)
    # Without fail fast every file is read and every problem reported.
    with pytest.raises(MultiCsvError) as info:
        scenario_from_files(
            load_scenario("nus-ytp-2019"), candidates=cands, positions=pos, preferences=prefs
        )
    files = {Path(e.file).name for e in info.value.errors}
    assert files == {"c.csv", "p.csv", "cp.csv"}


_MAIN = "import sys; from sgcq.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 candidates with a bad start date on row 10 (a minute or more to read in full)."""
    path = tmp_path_factory.mktemp("big") / "big.csv"
    with path.open("w") as f:
        f.write(HEADER)
        f.writelines(row(n, n == 10) for n in range(2, 200_002))
    return path


def test_cli_prints_the_row_10_error_while_it_is_still_reading(big_file: Path) -> None:
    """`sgcq validate` writes the row-10 problem to standard error before reading on.

    The first line of standard error arrives while the process still has
    almost the whole file to read (it is still running); it is then stopped.
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", _MAIN, "validate", str(big_file), "--kind", "candidates"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        running = proc.poll() is None
    finally:
        proc.kill()
        proc.communicate()
    assert first.startswith(f"sgcq: {big_file}, row 10, column 'available_start': ")
    assert running


def test_cli_fail_fast_stops_at_the_first_error(big_file: Path) -> None:
    """`sgcq validate --fail-fast --max-errors 1` prints the problem, the summary, exits 2."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _MAIN,
            "validate",
            str(big_file),
            "--kind",
            "candidates",
            "--fail-fast",
            "--max-errors",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"sgcq: {big_file}, row 10, column 'available_start'")
    assert lines[1] == f"sgcq: error: at least 1 problem in {big_file} (each is shown above)"
    assert "the rest of the file was not read" in lines[2]
    assert len(lines) == 3 and done.stdout == ""


def test_cli_shows_max_errors_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--max-errors 2` writes two problems, one line saying the rest are counted, the total."""
    from sgcq.cli import main

    f = tmp_path / "c.csv"
    f.write_text(HEADER + "".join(row(n, n % 2 == 0) for n in range(2, 12)))
    assert main(["validate", str(f), "--kind", "candidates", "--max-errors", "2"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.split(",")[1] for line in err[:2]] == [" row 2", " row 4"]
    assert err[2] == f"sgcq: {f}: further problems are counted, not shown"
    assert err[3] == f"sgcq: error: 5 problems in {f} (each is shown above)"
    assert len(err) == 4
    assert main(["validate", str(f), "--kind", "candidates", "--max-errors", "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err
