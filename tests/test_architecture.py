"""The package's shape (docs/architecture.md): no import cycles, no hidden imports.

``lint-imports`` (in ``make lint``) holds the layers; these tests hold what a layers
contract cannot see.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "quantumflow"


def test_no_import_cycle_among_modules() -> None:
    graph = grimp.build_graph("quantumflow")
    edges = nx.DiGraph(
        (m, imported)
        for m in graph.modules
        for imported in graph.find_modules_directly_imported_by(m)
    )
    cycles = list(nx.simple_cycles(edges))
    assert cycles == [], f"import cycles: {sorted(cycles, key=len)[:5]}"


def _constant_imports(path: Path) -> list[str]:
    """``importlib.import_module("quantumflow...")`` calls with a literal name in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
        ):
            text = ast.unparse(node.args[0])
            if "quantumflow" in text or text.strip("'\"f").startswith("."):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {text}")
    return found


def test_no_hidden_imports_of_our_own_modules() -> None:
    # A module named in a string is an edge the layers contract (and a reader) cannot see:
    # import it plainly (deferred, inside the function, when it is heavy).
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _constant_imports(path)]
    assert found == []
