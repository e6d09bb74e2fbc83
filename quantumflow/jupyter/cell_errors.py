"""Read a ``%%qflow`` cell into a spec, with errors that point at the cell's lines.

Errors read like qsharp's cell errors: one short line per problem, naming the cell line,
the task and the field, and quoting the line. No traceback.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from ..errors import Problem, SpecError
from ..spec import WorkflowSpec
from ..spec.loader import spec_from_dict

#: Line numbers are shown as Jupyter numbers them: the ``%%qflow`` line is line 1.
BODY_OFFSET = 2


class CellError(Exception):
    """A cell that is not a valid workflow; ``str()`` is the message shown to the user."""


def parse_cell(text: str) -> WorkflowSpec:
    """The cell body (YAML or JSON) as a spec.

    Raises:
        CellError: bad YAML/JSON or a field of the wrong shape, located in the cell.
    """
    if not text.strip():
        raise CellError("the cell is empty: write a workflow in YAML (name, tasks) below %%qflow")
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except json.JSONDecodeError as err:
        raise CellError(_line_msg(text, err.lineno - 1, f"invalid JSON: {err.msg}")) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        line = mark.line if mark is not None else None
        raise CellError(_line_msg(text, line, f"invalid YAML: {problem}")) from None
    if not isinstance(data, dict):
        raise CellError("a workflow must be a mapping with 'name' and 'tasks'")
    try:
        return spec_from_dict(data)
    except SpecError as err:
        raise CellError(describe(err, text)) from None


def describe(err: SpecError, text: str) -> str:
    """Every problem of ``err``, each located at its line in the cell when it can be."""
    lines = [f"invalid workflow ({len(err.problems)} problem{'s' * (len(err.problems) != 1)}):"]
    root = _compose(text)
    for p in err.problems:
        lines.append("  " + _line_msg(text, locate(root, p), str(p)))
    return "\n".join(lines)


def _compose(text: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = yaml.compose(text)
        return node
    except yaml.YAMLError:
        return None


def _line_msg(text: str, line: int | None, message: str) -> str:
    if line is None:
        return message
    source = text.splitlines()[line].strip() if line < len(text.splitlines()) else ""
    quoted = f"  ->  {source[:80]}" if source else ""
    return f"line {line + BODY_OFFSET}: {message}{quoted}"


def _get(node: yaml.Node | None, key: str) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(key node, value node) of ``key`` in a mapping node."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None, None


def locate(root: yaml.Node | None, problem: Problem) -> int | None:
    """The 0-based body line a problem is about (its field, else its task), or None."""
    if root is None:
        return None
    node: yaml.Node | None = root
    if problem.task is not None:
        _, tasks = _get(root, "tasks")
        node = _find_task(tasks, problem.task)
        if node is None:
            return None
    best = node.start_mark.line if node is not None and node is not root else None
    for part in (problem.field or "").split("."):
        if not part:
            break
        if isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            best = node.start_mark.line
            continue
        key, value = _get(node, part)
        if key is None:
            break
        best, node = key.start_mark.line, value
    return best


def _find_task(tasks: yaml.Node | None, name: str) -> yaml.Node | None:
    if not isinstance(tasks, yaml.SequenceNode):
        return None
    items: list[yaml.Node] = tasks.value
    if name.startswith("#") and name[1:].isdigit():
        index = int(name[1:])
        return items[index] if index < len(items) else None
    for item in items:
        _, ident = _get(item, "id")
        if isinstance(ident, yaml.ScalarNode) and ident.value == name:
            return item
    return None


def apply_overrides(
    spec: WorkflowSpec, *, name: str | None = None, backend: str | None = None
) -> WorkflowSpec:
    """The spec with its name and/or every quantum task's backend replaced."""
    update: dict[str, Any] = {}
    if name:
        update["name"] = name
    if backend:
        update["tasks"] = [
            t.with_changes(backend=backend) if t.kind == "quantum" else t for t in spec.tasks
        ]
    return spec.with_changes(**update) if update else spec
