"""``sgcq serve`` as a user starts it: a child process listening on loopback."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

from sgcq.cli import COMMANDS, _serve

MAIN = "import sys; from sgcq.cli import main; sys.exit(main(sys.argv[1:]))"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_is_a_command() -> None:
    """The command is registered through COMMANDS."""
    assert _serve in COMMANDS


def test_sgcq_serve_answers_on_its_port() -> None:
    """The process serves /health and /scenarios until it is stopped."""
    port = _free_port()
    cmd = [sys.executable, "-c", MAIN, "serve", "--port", str(port), "--solvers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
                    health = json.loads(r.read())
                break
            except OSError:
                assert time.monotonic() < deadline, "sgcq serve did not answer in 60 s"
                time.sleep(0.1)
        assert health == {"status": "ok", "pending": 0, "capacity": 17, "solvers": 1}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/scenarios", timeout=30) as r:
            assert "ntu-ydpg-2020" in [s["name"] for s in json.loads(r.read())["scenarios"]]
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert b"sgcq service ready: 1 solvers, queue 16" in err
    assert b"GET /health 200 0 bytes" in err


def test_without_the_extra_the_error_names_it() -> None:
    """With Starlette missing, ``sgcq serve`` exits 1 and says what to install."""
    code = "import sys; sys.modules['starlette'] = None; " + MAIN.removeprefix("import sys; ")
    done = subprocess.run(
        [sys.executable, "-c", code, "serve"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2  # input the command cannot use: the extra is missing
    assert done.stderr == (
        "sgcq: error: the HTTP service needs starlette, which is not installed; "
        'install it with: pip install "sgcq[server]"\n'
    )
    # The rest of the command line works without it.
    done = subprocess.run(
        [sys.executable, "-c", code, "schema", "money"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and json.loads(done.stdout)["title"] == "sgcq money document"
