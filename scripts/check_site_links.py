"""Check every relative link and resource of a built site: each must name a file in it.

``mkdocs build --strict`` checks the links written in Markdown; this checks
the built HTML, which also holds the links of the rendered notebooks and of the
API reference. Run after the build (``.ci/run`` does)::

    python scripts/check_site_links.py site

Exits 1, listing each broken link with the page it is on, if any is broken.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.links.append(value)


def broken_links(site: Path) -> list[str]:
    """Return ``page: link`` for every relative link of ``site`` that names no file."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # external, or a fragment of the same page
            path = unquote(parts.path)
            # 404.html links from the site's root, where it is served.
            base = site if path.startswith("/") else page.parent
            target = (base / path.lstrip("/")).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
    return broken


def main(argv: list[str]) -> int:
    """Check the site folder named by ``argv[0]``; return the exit code."""
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: check_site_links.py SITE_DIR", file=sys.stderr)
        return 2
    broken = broken_links(Path(argv[0]))
    for line in broken:
        print(f"broken link: {line}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
