"""Small, escaped HTML pieces for the ``_repr_html_`` views of sgcq objects.

Every object with a rich view in a notebook (a scenario, a cohort, a
problem, a result, a verdict, a trace) builds it from these pieces, so the
views look alike and every piece of text is escaped once, here: ids, names
and messages are user data. The pieces are plain strings with no styling
beyond a few inline rules, so a view reads the same in Jupyter, VS Code and
a static HTML export. It lives in the bottom layer so that every layer can
use it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

__all__ = ["Cell", "esc", "html_table", "note", "plural", "section", "short", "view"]

#: A table cell: any value, shown with ``str``; ``None`` shows as an empty cell.
Cell = object

# One rule set per view, scoped to it: readable outside Jupyter too (an HTML export, a
# browser); where a notebook drops <style> from untrusted output, its own table style applies.
_STYLE = (
    "<style>.sgcq td,.sgcq th{padding:0.15em 0.7em;text-align:left;vertical-align:top}"
    ".sgcq caption{text-align:left;font-weight:bold;padding-top:0.4em}</style>"
)
_TABLE = 'style="border-collapse:collapse;margin:0.2em 0 0.6em 0;font-size:0.9em"'


def esc(value: object) -> str:
    """Return ``str(value)`` escaped for HTML text and attributes (``None``: empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def plural(count: int, noun: str) -> str:
    """Return ``"1 cohort"``, ``"2 cohorts"``: the count and the noun, plural unless one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def short(text: str, limit: int = 120) -> str:
    """Return ``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    caption: str | None = None,
    limit: int | None = None,
    more: str = "",
) -> str:
    """Return an HTML table of ``rows`` under ``headers``, every cell escaped.

    Parameters
    ----------
    headers
        The column names.
    rows
        The rows, each as long as ``headers``.
    caption
        A caption above the table, if any.
    limit
        Show at most this many rows, then one row saying how many more there are.
    more
        Where to find the rows left out (e.g. ``"sgcq.frames.unplaced(result)"``).
    """
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body: list[str] = []
    count = 0
    for row in rows:
        count += 1
        if limit is not None and count > limit:
            continue
        body.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    if limit is not None and count > limit:
        rest = f"… {count - limit} more" + (f" ({more})" if more else "")
        body.append(f'<tr><td colspan="{len(headers)}">{esc(rest)}</td></tr>')
    cap = f"<caption>{esc(caption)}</caption>"
    return (
        f"<table {_TABLE}>"
        + (cap if caption else "")
        + f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def note(text: str) -> str:
    """Return one escaped paragraph."""
    return f'<p style="margin:0.2em 0">{esc(text)}</p>'


def section(title: str, body: str, *, open: bool = True) -> str:
    """Return a collapsible section (``<details>``) titled ``title`` around ``body`` (HTML)."""
    state = " open" if open else ""
    return f"<details{state}><summary>{esc(title)}</summary>{body}</details>"


def view(kind: str, title: str, *parts: str) -> str:
    """Return the outer block of a view: a bold escaped title, then ``parts`` (HTML).

    The block's class is ``sgcq sgcq-<kind>``, so a test or a style sheet can find it.
    """
    return (
        f'<div class="sgcq sgcq-{esc(kind)}">{_STYLE}'
        f'<p style="margin:0.2em 0"><strong>{esc(title)}</strong></p>' + "".join(parts) + "</div>"
    )
