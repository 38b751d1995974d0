"""MkDocs hooks of the documentation site (``mkdocs.yml`` names this file).

Two jobs:

1. **Sections fill themselves.** Each section of :data:`SECTIONS` gets, after
   the pages ``mkdocs.yml`` lists in it (in that order), every other page that
   matches its pattern, sorted by path and titled by its own first heading. A
   new decision, rule page, guide, reference page or tutorial is in the nav
   without editing ``mkdocs.yml``, and the strict build still fails on a page
   that is in no section.
2. **Tutorials are executed.** Every ``tutorials/*.ipynb`` is run by a Jupyter
   kernel in a fresh scratch directory by ``scripts/notebook_runner.py`` (as
   ``tests/test_tutorials.py`` runs them), with a timeout per cell, and
   the executed copy is what mkdocs-jupyter renders. A failing cell fails the
   build with the cell's traceback; the notebooks in ``docs/`` are left as they
   are (without outputs). An execution the tests saved from the same cells
   (``SGCQ_EXECUTED_NOTEBOOKS``, as ``.ci/run`` sets it) is rendered instead
   of running the notebook twice. For a quick preview,
   ``SGCQ_DOCS_NO_EXECUTE=1`` skips the execution; it is a warning, so a
   strict build refuses it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from nbclient.exceptions import CellExecutionError

# scripts/notebook_runner.py: mkdocs puts this file's folder on the path while it loads it.
from notebook_runner import execute, executed_copy

log = logging.getLogger("mkdocs.hooks.sgcq")

#: Section title -> the pages (relative to ``docs/``) that belong to it.
SECTIONS = {
    "Guides": "*.md",
    "Rules": "rules/*.md",
    "Tutorials": "tutorials/*.ipynb",
    "API reference": "reference/*.md",
    "Decisions": "decisions/[0-9][0-9][0-9][0-9]-*.md",
}
#: Pages that match a section's pattern but are placed elsewhere.
ELSEWHERE = {"index.md"}

_scratch: list[Path] = []


def _listed(nav: Any) -> set[str]:
    """Every page path named anywhere in a nav (sub)tree."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_listed(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_listed(v) for v in nav))
    return set()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Append the unlisted pages of each section to it."""
    docs = Path(config.docs_dir)
    nav = config.nav or []
    listed = _listed(nav) | ELSEWHERE
    for entry in nav:
        if not isinstance(entry, dict):
            continue
        for title, pages in entry.items():
            pattern = SECTIONS.get(title)
            if pattern is None or not isinstance(pages, list):
                continue
            found = sorted(
                p.relative_to(docs).as_posix()
                for p in docs.glob(pattern)
                if p.is_file() and fnmatch(p.relative_to(docs).as_posix(), pattern)
            )
            pages.extend(page for page in found if page not in listed)
    return config


def _execute(source: Path, into: Path) -> Path:
    """Run one notebook in a scratch working directory; return the executed copy."""
    workdir = Path(tempfile.mkdtemp(prefix=f"sgcq-{source.stem}-"))
    _scratch.append(workdir)
    notebook = executed_copy(source)
    if notebook is not None:
        log.info("%s: rendering the execution saved by the tests", source.name)
        return _write(notebook, into / "tutorials" / source.name)
    log.info("executing %s", source.name)
    try:
        notebook = execute(source, workdir)
    except CellExecutionError as error:
        raise PluginError(f"a cell of {source} failed:\n{error}") from error
    return _write(notebook, into / "tutorials" / source.name)  # its src_uri under ``into``


def _write(notebook: Any, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target


@event_priority(100)  # before mkdocs-jupyter wraps the notebook files
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Replace each tutorial notebook by its executed copy."""
    notebooks = [f for f in files if fnmatch(f.src_uri, SECTIONS["Tutorials"]) and f.abs_src_path]
    if os.environ.get("SGCQ_DOCS_NO_EXECUTE"):
        log.warning("SGCQ_DOCS_NO_EXECUTE is set: the tutorials are shown without outputs")
        return files
    if not notebooks:
        return files
    out = Path(tempfile.mkdtemp(prefix="sgcq-tutorials-"))
    _scratch.append(out)
    for file in notebooks:
        assert file.abs_src_path is not None
        executed = _execute(Path(file.abs_src_path), out)
        files.remove(file)
        # A plain File whose source folder is the scratch one (mkdocs-jupyter's
        # wrapper cannot read File.generated's in-memory files).
        assert executed == out / file.src_uri
        files.append(
            File(
                file.src_uri,
                src_dir=str(out),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        )
    return files


def on_post_build(config: MkDocsConfig) -> None:
    """Remove the scratch directories."""
    while _scratch:
        shutil.rmtree(_scratch.pop(), ignore_errors=True)


def on_build_error(error: Exception) -> None:
    """Remove the scratch directories after a failed build too."""
    while _scratch:
        shutil.rmtree(_scratch.pop(), ignore_errors=True)
