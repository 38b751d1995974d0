"""The matching guide's examples run and print what the guide shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "matching.md"


def test_guide_examples_run_and_print_what_is_shown() -> None:
    """Every python block runs in order; each printed block that follows one matches it."""
    text = GUIDE.read_text(encoding="utf-8")
    pieces = re.findall(r"```(python|text)\n(.*?)```", text, re.S)
    namespace: dict[str, object] = {}
    printed = ""
    for kind, body in pieces:
        if kind == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(body, str(GUIDE), "exec"), namespace)
            printed = out.getvalue()
        else:
            # Wall times vary; everything else must match.
            def norm(s: str) -> str:
                return re.sub(r"in \d+\.\d+ s", "in _ s", s).strip()

            assert norm(body) == norm(printed)
