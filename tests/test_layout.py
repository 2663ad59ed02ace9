"""The package's layout: one package per pipeline stage, imports only downwards, no cycles.

Every ``import`` of a ``sotegraph`` module is read from the source (also those inside
functions and under ``TYPE_CHECKING``): a lazy import is still a dependency. The package root
``sotegraph/__init__.py`` is the public facade over all stages and is left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import sotegraph

ROOT = Path(sotegraph.__file__).parent

#: The stages from the bottom up; a module may import its own stage and those below it.
STAGES: list[set[str]] = [
    {
        "errors",
        "_version",
        "vocab",
        "namespaces",
        "resources",
        "facts",
        "terms",
        "values",
        "_html",
        "_gc",
        "_xml",
    },
    {"_query_headers"},
    {"read"},
    {"nlp"},
    {"reference"},
    {"extract"},
    {"parallel"},
    {"resolve"},
    {"privacy"},
    {"rdf"},
    {"validate"},
    {"store"},
    {"queries"},
    {"network"},
    {"export", "rdfio", "view", "maps", "report"},
    {"builder"},
    {"evaluate"},
    {"cli", "__main__"},
]


def _stage(unit: str) -> int:
    for i, units in enumerate(STAGES):
        if unit in units:
            return i
    raise AssertionError(f"sotegraph.{unit} is in no stage of tests/test_layout.py: place it")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The ``sotegraph`` modules a source file imports (resolved to module names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    this = _module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "sotegraph"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "sotegraph":
                continue
            for a in node.names:  # "from sotegraph.nlp import voikko" imports a module
                sub = f"{mod}.{a.name}"
                out.add(sub if _is_module(sub) else mod)
    return {m for m in out if m != this}


def _is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (ROOT / rel).with_suffix(".py").is_file() or (ROOT / rel / "__init__.py").is_file()


def _graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in sorted(ROOT.rglob("*.py")):
        if path == ROOT / "__init__.py":
            continue
        name = _module_name(path)
        g.add_node(name)
        for target in _imports(path):
            if target != "sotegraph":
                g.add_edge(name, target)
    return g


def _unit(module: str) -> str:
    return module.split(".")[1]


def test_every_module_is_in_a_stage() -> None:
    for module in _graph():
        _stage(_unit(module))


def test_imports_only_go_down_the_pipeline() -> None:
    upward = [
        f"{a} (stage {_stage(_unit(a))}) imports {b} (stage {_stage(_unit(b))})"
        for a, b in _graph().edges
        if _stage(_unit(a)) < _stage(_unit(b))
    ]
    assert not upward, "imports against the pipeline:\n" + "\n".join(sorted(upward))


def test_no_import_cycle() -> None:
    cycles = [c for c in nx.strongly_connected_components(_graph()) if len(c) > 1]
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in cycles)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The import reader finds lazy imports inside functions (so the checks above can fail)."""
    src = tmp_path / "m.py"
    src.write_text("def f():\n    from sotegraph.builder import build\n    return build\n")
    assert "sotegraph.builder" in _imports_of_text(src)


def _imports_of_text(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.module
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("sotegraph")
    }


@pytest.mark.parametrize("module", ["sotegraph.store", "sotegraph.read", "sotegraph.extract"])
def test_stage_packages_import_alone(module: str) -> None:
    """Each stage package imports by itself (no hidden reliance on import order)."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
