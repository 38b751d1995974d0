"""The exit codes of ``sgcq``: bad data 2, internal errors 70, Ctrl-C 130 (a real signal)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sgcq.cli import ExitCode, main

# A terminal's process: SIGINT raises KeyboardInterrupt (a runner started in
# the background hands its children SIGINT ignored).
_MAIN = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from sgcq.cli import main; sys.exit(main())"
)


def test_exit_codes_are_distinct() -> None:
    """Every outcome of a command has a code of its own, and bad input is 2 like argparse's."""
    assert [int(c) for c in ExitCode] == [0, 1, 2, 70, 130]


def test_bad_data_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file with a bad value, an unreadable file and an unknown scenario all exit 2."""
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"schema_version": 1, "kind": "money", "amount": "1", "amount": "2"}')
    assert main(["validate", str(bad)]) == ExitCode.BAD_INPUT
    assert "amount: key given more than once" in capsys.readouterr().err
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'schema_version = 1\nkind = "money"\namount = "caf\xe9"\n')
    assert main(["validate", str(latin)]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert str(latin) in err and "not UTF-8 text at line 3" in err
    assert main(["show", "no-such-scenario"]) == ExitCode.BAD_INPUT


def test_internal_error_asks_for_a_report_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug (an exception that is not an SgcqError) exits 70 with a request for a bug report."""

    def broken(_target: str) -> object:
        raise RuntimeError("the index is off by one")

    monkeypatch.setattr("sgcq.cli._show.load_scenario_target", broken)
    assert main(["show", "yes-2020"]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: the index is off by one" in err
    assert "bug in sgcq" in err and "-v" in err
    assert "Traceback" not in err


def test_internal_error_traceback_with_verbose(tmp_path: Path) -> None:
    """With -v the traceback of an internal error is logged to standard error."""
    script = (
        "import sys, sgcq.cli._show as s\n"
        "def broken(_t): raise RuntimeError('the index is off by one')\n"
        "s.load_scenario_target = broken\n"
        "from sgcq.cli import main\n"
        "sys.exit(main(['-v', 'show', 'yes-2020']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == ExitCode.INTERNAL
    assert "Traceback" in done.stderr and "RuntimeError: the index is off by one" in done.stderr


def test_keyboard_interrupt_in_process_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A KeyboardInterrupt raised by a command exits 130 with a short message."""

    def interrupted(_target: str) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("sgcq.cli._show.load_scenario_target", interrupted)
    assert main(["show", "yes-2020"]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "sgcq: interrupted\n"


def test_main_leaves_sigint_to_python() -> None:
    """After a command (CP-SAT included), SIGINT raises KeyboardInterrupt again, unblocked."""
    # The handler the process had (Python's own, or SIG_IGN when the test
    # runner was started in the background) is the one it has afterwards.
    before = signal.getsignal(signal.SIGINT)
    assert main(["list"]) == ExitCode.OK
    assert signal.getsignal(signal.SIGINT) is before
    if hasattr(signal, "pthread_sigmask"):
        assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
def test_ctrl_c_during_match_exits_130() -> None:
    """A real SIGINT while `sgcq match` solves stops it: exit 130, a short message, no report.

    Without the CLI's own handling, CP-SAT catches the signal, stops early
    and `sgcq match` prints a normal report and exits 0.
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", _MAIN, "-v", "match", "ntu-ydpg-2020", "--time-limit", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            if "solving with" in line:
                break
        time.sleep(0.3)  # into the Lagrangian stage or CP-SAT
        os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert any("solving with" in line for line in seen)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert err.strip().endswith("sgcq: interrupted")
    assert "Traceback" not in err
    assert "Placed" not in out


def test_the_sigint_waiter_holds_every_log_handler() -> None:
    """Once the waiter holds the handlers, another thread's log line waits for them."""
    import io
    import logging
    import threading

    from sgcq.cli import _hold_log_handlers

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    log = logging.getLogger("sgcq.tests.hold")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    held: list[threading.RLock] = []
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        held.extend(_hold_log_handlers())
        taken.set()
        done.wait(10)
        for lock in held:
            lock.release()

    holder = threading.Thread(target=hold)
    writer = threading.Thread(target=lambda: log.warning("after the message"))
    try:
        holder.start()
        assert taken.wait(10)
        assert any(handler.lock is lock for lock in held)
        writer.start()
        writer.join(0.3)
        assert writer.is_alive() and stream.getvalue() == ""  # waiting on the handler's lock
    finally:
        done.set()
        holder.join(10)
        if writer.ident is not None:
            writer.join(10)
        log.removeHandler(handler)
    assert stream.getvalue() == "after the message\n"
