"""The documentation site's sources: every public package has an API page; the link checker works.

The site itself is built strictly by ``.ci/run`` (``mkdocs build --strict``,
then ``scripts/check_site_links.py`` on the result), which needs the
``[docs]`` extra; these tests need nothing but the standard library.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "sgcq"
REFERENCE = ROOT / "docs" / "reference"


def _public_packages() -> set[str]:
    """``sgcq`` and each public module or package directly under it."""
    names = {"sgcq"}
    for path in SRC.iterdir():
        name = path.stem if path.suffix == ".py" else path.name
        if name.startswith("_"):
            continue
        if path.suffix == ".py" or (path / "__init__.py").is_file():
            names.add(f"sgcq.{name}")
    return names


def test_every_public_package_has_an_api_page() -> None:
    """Each public package of ``src/sgcq`` is rendered by a ``::: name`` block of docs/reference."""
    rendered = {
        m.group(1)
        for page in REFERENCE.glob("*.md")
        for m in re.finditer(r"^::: (\S+)", page.read_text(encoding="utf-8"), re.M)
    }
    missing = _public_packages() - rendered
    assert not missing, f"add a docs/reference page with '::: NAME' for {sorted(missing)}"
    assert {"sgcq.models", "sgcq.rules", "sgcq.matching"} <= rendered


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_site_links", ROOT / "scripts" / "check_site_links.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_site_links", module)
    spec.loader.exec_module(module)
    return module


def test_the_link_checker_finds_broken_links(tmp_path: Path) -> None:
    """Links to missing pages or files are reported with their page; good ones are not."""
    site = tmp_path / "site"
    (site / "guide").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "assets" / "app.css").write_text("", encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="guide/">ok</a> <a href="guide/#part">ok</a> <a href="missing/">bad</a>'
        '<link href="assets/app.css"> <img src="assets/gone.png"> <a href="#top">ok</a>'
        '<a href="https://example.org/x">external</a>',
        encoding="utf-8",
    )
    (site / "guide" / "index.html").write_text(
        '<a href="../">ok</a> <a href="../index.html">ok</a> <a href="../nowhere.html">bad</a>',
        encoding="utf-8",
    )
    (site / "404.html").write_text('<a href="/guide/">ok</a> <a href="/gone/">bad</a>')
    checker = _checker()
    assert checker.broken_links(site) == [
        "404.html: /gone/",
        "guide/index.html: ../nowhere.html",
        "index.html: missing/",
        "index.html: assets/gone.png",
    ]
    assert checker.main([str(site)]) == 1
    (site / "index.html").write_text('<a href="guide/">ok</a>', encoding="utf-8")
    (site / "guide" / "index.html").write_text('<a href="../">ok</a>', encoding="utf-8")
    (site / "404.html").write_text('<a href="/">ok</a>', encoding="utf-8")
    assert checker.main([str(site)]) == 0
