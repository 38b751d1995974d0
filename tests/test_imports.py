"""The import graph of ``src/sgcq``: no cycles, layers that run downhill.

Every ``import`` statement counts, at module level or inside a function (a
function-level import hides a cycle, it does not remove it), and so do
imports under ``TYPE_CHECKING``. The graph is read from the source with
``ast``, without importing anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "sgcq"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """Return the sgcq module ``name`` refers to (a module or the package defining it)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> tuple[set[str], set[str]]:
    """Return the sgcq modules and the top-level third-party packages ``module`` imports."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    ours: set[str] = set()
    theirs: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            # "from a import b" imports a.b when b is a module, else a.
            names = [f"{base}.{alias.name}" for alias in node.names] or [base]
        for name in names:
            if name == "sgcq" or name.startswith("sgcq."):
                target = _resolve(name)
                if target is not None and target != module:
                    ours.add(target)
            else:
                theirs.add(name.split(".")[0])
    return ours, theirs


GRAPH = {m: _imports(m)[0] for m in MODULES}
THIRD_PARTY = {m: _imports(m)[1] for m in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_is_read() -> None:
    """The walk sees the package: known edges are there, function-level imports included."""
    assert "sgcq.matching.solve" in GRAPH
    assert "sgcq.matching.stages.cpsat" in GRAPH["sgcq.matching.solve"]
    assert "sgcq.models.errors" in GRAPH["sgcq.errors"]


def test_a_cycle_would_be_found() -> None:
    """The cycle finder is not vacuous: it reports a planted two-module cycle."""
    planted = {k: set(v) for k, v in GRAPH.items()}
    planted["sgcq.models.money"].add("sgcq.matching.solve")
    found = _cycles(planted)
    assert any("sgcq.models.money" in c and "sgcq.matching.solve" in c for c in found)


def test_no_import_cycle_anywhere() -> None:
    """No module imports, directly or through others, a module that imports it back."""
    assert _cycles(GRAPH) == []


#: The notebook layer: DataFrames, plots and the helper that imports their optional libraries.
NOTEBOOK = {"frames", "plot", "_optional"}
#: Every layer above matching: no lower layer imports any of them.
UPPER = NOTEBOOK | {"service", "planning"}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "sgcq"


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        (
            "models",
            {"rules", "matching", "serialization", "testing", "cli", "scenarios", "errors"} | UPPER,
        ),
        ("serialization", {"rules", "matching", "testing", "cli"} | UPPER),
        (
            "errors",
            {"rules", "matching", "serialization", "testing", "cli", "scenarios"} | UPPER,
        ),
        ("rules", {"matching", "testing", "cli"} | UPPER),
        ("matching", {"testing", "cli"} | UPPER),
        ("planning", {"testing", "cli", "scenarios", "service"} | NOTEBOOK),
        # DataFrames may be plotted; plots never make DataFrames' module import them.
        ("frames", {"plot", "cli", "testing", "service"}),
    ],
)
def test_layers_run_downhill(layer: str, forbidden: set[str]) -> None:
    """Each layer imports only the layers below it."""
    bad = sorted(
        (m, t)
        for m, targets in GRAPH.items()
        if _layer(m) == layer
        for t in targets
        if _layer(t) in forbidden
    )
    assert bad == []


def test_models_import_nothing_of_ours_but_themselves() -> None:
    """``sgcq.models`` is the bottom layer."""
    bad = sorted(
        (m, t)
        for m, targets in GRAPH.items()
        if m.startswith("sgcq.models")
        for t in targets
        if not t.startswith("sgcq.models")
    )
    assert bad == []


def test_only_matching_imports_ortools() -> None:
    """OR-Tools stays behind ``sgcq.matching``."""
    users = sorted(m for m, pkgs in THIRD_PARTY.items() if "ortools" in pkgs)
    assert users, "the walk found no OR-Tools import at all"
    assert all(m.startswith("sgcq.matching.") for m in users), users


def test_only_the_notebook_layer_imports_pandas_and_matplotlib() -> None:
    """pandas and matplotlib are optional: only sgcq.frames, sgcq.plot and sgcq._optional name
    them, and only under TYPE_CHECKING or through sgcq._optional.require."""
    users = sorted(m for m, pkgs in THIRD_PARTY.items() if {"pandas", "matplotlib"} & pkgs)
    assert users and set(users) <= {"sgcq.frames", "sgcq.plot"}, users
    for module in users:
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        guarded = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
            for n in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                if any(n.split(".")[0] in {"pandas", "matplotlib"} for n in names):
                    assert id(node) in guarded, (module, ast.unparse(node))


def test_the_service_is_a_top_layer_the_cli_reaches_lazily() -> None:
    """Only the cli imports ``sgcq.service``, and only inside ``sgcq serve``'s handler."""
    users = sorted(m for m, targets in GRAPH.items() for t in targets if _layer(t) == "service")
    assert [m for m in users if _layer(m) != "service"] == ["sgcq.cli._serve"]
    tree = ast.parse(MODULES["sgcq.cli._serve"].read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert not any("service" in (getattr(n, "module", "") or "") for n in top)
