"""Griffe extensions of the API reference: attrs signatures and Sphinx roles.

``mkdocs.yml`` names this file under the Python handler's ``extensions``.

**attrs classes get their ``__init__``.** Most sgcq classes are attrs classes,
whose ``__init__`` attrs writes at import time; Griffe reads the source and
would see none, so the reference would show no signature and warn that every
documented parameter is missing from it. :class:`AttrsInit` gives each such
class the ``__init__`` attrs generates: the init fields in attrs' order, under
their init names (``_x`` is ``x``), keyword-only where attrs says so, with the
annotations and defaults written in the source.

**Sphinx roles become cross-references.**

sgcq's numpydoc docstrings name other objects with Sphinx roles
(``:class:`Problem```, ``:func:`~sgcq.rules.evaluate_option```, ``:mod:`...```),
which mkdocstrings would print as they are. :class:`SphinxRoles` rewrites
each role, once the package is loaded, into a link to the object's entry in
the API reference:

- the target is looked up as written (``sgcq.models.Money``), then relative
  to the object whose docstring names it and each object around it (so
  ``:meth:`from_cohort``` in a class, ``:func:`solve``` in its module);
- ``~`` shows the last component only, as in Sphinx;
- a target outside sgcq (``pathlib.Path``, ``AssertionError``) shows as code;
- a target that names nothing is a warning (a strict build fails);
- a target that exists but has no entry of its own in the reference (a private
  module) shows as code without a link.

A paragraph ending in reST's ``::`` (a literal block follows) ends in ``:``,
as Sphinx shows it; the indented block after it is a code block in Markdown.
"""

from __future__ import annotations

import builtins
import importlib.util
import re
from collections.abc import Iterator
from typing import Any

import attrs
import griffe

LITERAL = re.compile(r"(\S)::$", re.M)
ROLE = re.compile(r":(?:py:)?(class|func|meth|attr|mod|data|exc|obj|const):`([^`]+)`")


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    """The object and every object defined inside it (not the imported ones)."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            yield from _objects(member)


def _field_default(member: griffe.Object | griffe.Alias | None) -> str | griffe.Expr:
    """The default of an attrs field as the source writes it."""
    value = getattr(member, "value", None)
    if isinstance(value, griffe.ExprCall) and str(value.function).split(".")[-1] in {
        "field",
        "ib",
        "attrib",
    }:
        for argument in value.arguments:
            if isinstance(argument, griffe.ExprKeyword) and argument.name == "default":
                return argument.value  # type: ignore[no-any-return]
            if isinstance(argument, griffe.ExprKeyword) and argument.name == "factory":
                return griffe.ExprCall(function=argument.value, arguments=[])
        return "..."
    if value is None:
        return "..."
    return value  # type: ignore[no-any-return]


class AttrsInit(griffe.Extension):
    """Give every attrs class the ``__init__`` attrs generates for it."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Add the generated ``__init__`` to each attrs class of the package."""
        for obj in _objects(pkg):
            if isinstance(obj, griffe.Class) and "__init__" not in obj.members:
                self._add_init(obj)

    def _add_init(self, cls: griffe.Class) -> None:
        try:
            runtime = griffe.dynamic_import(cls.path)
        except ImportError:
            return
        if not (isinstance(runtime, type) and attrs.has(runtime)):
            return
        members = {**cls.inherited_members, **cls.members}
        parameters = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
        for field in attrs.fields(runtime):
            if not field.init:
                continue
            member = members.get(field.name)
            parameters.append(
                griffe.Parameter(
                    field.alias,
                    annotation=getattr(member, "annotation", None),
                    kind=griffe.ParameterKind.keyword_only
                    if field.kw_only
                    else griffe.ParameterKind.positional_or_keyword,
                    default=None if field.default is attrs.NOTHING else _field_default(member),
                )
            )
        init = griffe.Function(
            "__init__",
            lineno=0,
            endlineno=0,
            parent=cls,
            parameters=griffe.Parameters(*parameters),
            returns="None",
        )
        cls.set_member("__init__", init)


def _lookup(loader: griffe.GriffeLoader, path: str) -> griffe.Object | griffe.Alias | None:
    try:
        found = loader.modules_collection[path]
    except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    return found  # type: ignore[no-any-return]


def _resolve(loader: griffe.GriffeLoader, scope: griffe.Object, target: str) -> str | None:
    """The canonical path ``target`` names, seen from ``scope``, or ``None``."""
    candidates = [target]
    here: griffe.Object | None = scope
    while here is not None:
        candidates.append(f"{here.path}.{target}")
        here = here.parent
    for path in candidates:
        found = _lookup(loader, path)
        if found is None:
            continue
        try:
            return str(found.canonical_path)
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return path
    return None


def _outside(target: str) -> bool:
    """Whether a target names a builtin or an object of another package."""
    head = target.split(".", 1)[0]
    if head == "sgcq":
        return False
    if hasattr(builtins, head):
        return True
    try:
        return importlib.util.find_spec(head) is not None
    except (ImportError, ValueError):
        return False


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles into autorefs cross-references, and ``::`` into ``:``."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Rewrite the roles of every docstring of the loaded package."""
        for obj in _objects(pkg):
            if obj.docstring is None:
                continue

            def replace(match: re.Match[str], obj: griffe.Object = obj) -> str:
                text = match.group(2).strip()
                target = text.lstrip("~.").removesuffix("()")
                shown = target.rsplit(".", 1)[-1] if text.startswith("~") else target
                if text.endswith("()"):
                    shown += "()"
                path = _resolve(loader, obj, target)
                if path is None and _outside(target):
                    return f"`{shown}`"
                if path is None:
                    griffe.logger.warning("%s: %s names nothing in sgcq", obj.path, match.group(0))
                    return f"`{shown}`"
                return f'<autoref identifier="{path}" optional><code>{shown}</code></autoref>'

            # "text::" before an indented block is reST's literal block; in
            # Markdown the indented block is code already, so it reads "text:".
            value = LITERAL.sub(r"\1:", obj.docstring.value)
            obj.docstring.value = ROLE.sub(replace, value)
