"""Every workflow the repository ships as an example: each example notebook's workflows
(``%%qflow`` cells, ``load_spec`` calls and DSL code) and every ``.qflow`` file.

Notebook code is executed statement by statement up to the workflow, never a run: a
statement that calls ``run(...)`` is skipped, so nothing is simulated.
"""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path
from typing import Any

from quantumflow.dsl import Workflow
from quantumflow.jupyter.cell_errors import parse_cell
from quantumflow.spec import WorkflowSpec, load_spec

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _runs_something(stmt: ast.stmt) -> bool:
    for node in ast.walk(stmt):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("run", "start", "rerun", "resume"):
                return True
    return False


def _from_code(source: str, ns: dict[str, Any]) -> list[WorkflowSpec]:
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    tainted: set[str] = set()  # names bound by a skipped statement (a run and its results)
    for stmt in tree.body:
        names = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        bound = {
            n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        if _runs_something(stmt) or names & tainted:
            tainted |= bound
            continue
        try:
            exec(compile(ast.Module([stmt], []), "<notebook>", "exec"), ns)
        except NameError:  # needs a value an earlier, skipped cell computed (an estimate)
            tainted |= bound
    found: list[WorkflowSpec] = []
    for value in ns.values():
        if isinstance(value, Workflow):
            found.append(value.spec)
        elif isinstance(value, WorkflowSpec):
            found.append(value)
    return found


def notebook_workflows(path: Path) -> list[WorkflowSpec]:
    """The workflows one notebook builds, in cell order (each spec once)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    specs: list[WorkflowSpec] = []
    ns: dict[str, Any] = {}  # one namespace per notebook, like its kernel's
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if source.startswith("%%qflow"):
            specs.append(parse_cell(source.split("\n", 1)[1]))
        elif "Workflow(" in source or "load_spec(" in source:
            specs.extend(_from_code(source, ns))
    unique: list[WorkflowSpec] = []
    for spec in specs:
        if all(spec != other for other in unique):
            unique.append(spec)
    return unique


def qflow_files() -> list[Path]:
    """Every ``.qflow`` file tracked in the repository."""
    listed = subprocess.run(
        ["git", "ls-files", "*.qflow"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / p for p in listed]


def example_workflows() -> list[tuple[str, WorkflowSpec]]:
    """``(label, spec)`` for every example workflow (label: file and workflow name)."""
    out = [(f"{nb.name}:{s.name}", s) for nb in NOTEBOOKS for s in notebook_workflows(nb)]
    out += [(p.name, load_spec(p)) for p in qflow_files()]
    return out


def with_layout(spec: WorkflowSpec) -> WorkflowSpec:
    """``spec`` as the designer saves it: a position per task (integers and fractions)."""
    layout = {t.id: {"x": 180 * i, "y": 40.5 * (i % 3) - 12.25} for i, t in enumerate(spec.tasks)}
    return WorkflowSpec.parse({**spec.to_dict(), "layout": layout})
