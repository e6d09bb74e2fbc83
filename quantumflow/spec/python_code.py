"""A WorkflowSpec as Python DSL code that rebuilds it exactly (the designer's "Export as Python").

:func:`export_python` writes a module that uses :class:`quantumflow.dsl.Workflow`: one
``wf.classical``/``wf.quantum`` call per task in spec order, references as the handles the
calls return, parameters as ``wf.param(...)`` and the designer's positions as
``wf.place(...)``. Executing the code gives a ``wf`` whose ``spec`` equals the input,
field for field (``tests/spec/test_python_code.py`` round-trips every example notebook's
workflow). Task functions are written as their ``module:function`` strings, so the code
runs without importing the user's modules.

The code is text only: nothing here imports the DSL (it lives in a higher layer).
"""

from __future__ import annotations

import json
import keyword
import math
import re
from typing import Any

from ..errors import SpecError
from .models import ParamRef, Ref, WorkflowSpec, parse_input

#: Lines longer than this are broken, one argument or item per line (ruff's default).
LINE = 88
_INDENT = "    "
#: Names the generated code uses itself: a task variable never takes one of them.
_RESERVED = frozenset({"wf", "Workflow", "TaskOutput"})
#: Top-level spec fields the ``Workflow(...)`` call writes (others make export fail loudly).
_HEADER = ("version", "name", "description", "params", "policies", "tasks", "layout")
#: Text a triple-quoted literal spells exactly: no backslash, no control character but
#: newline and tab.
_PLAIN = re.compile(r"[^\\\x00-\x08\x0b-\x1f\x7f]*")
#: Per kind: the task fields given positionally or by their own keyword, not as options.
_OWN = {"classical": ("id", "kind", "fn"), "quantum": ("id", "kind", "backend", "circuit")}


def export_python(spec: WorkflowSpec) -> str:
    """Python DSL code that rebuilds ``spec`` (run it: ``wf.spec`` equals ``spec``).

    Args:
        spec: a parsed workflow (as from :func:`quantumflow.spec.load_spec`).

    Returns:
        The source of a module that binds ``wf``, a :class:`quantumflow.dsl.Workflow`.

    Raises:
        SpecError: a value that Python code cannot spell exactly (e.g. NaN), naming its
            task and field, or a spec field this exporter does not know.
    """
    data = spec.to_dict()
    unknown = sorted(set(data) - set(_HEADER))
    if unknown:
        raise SpecError(f"cannot export field(s) {', '.join(unknown)} as Python")
    names = _variable_names([t.id for t in spec.tasks])
    header = [_lit(spec.name, "name")]
    for key in ("params", "policies", "description"):
        if key in data:
            header.append(f"{key}={_fmt(data[key], 1, key)}")
    if data.get("layout") == {}:
        header.append("layout={}")
    body: list[str] = []
    defined: set[str] = set()
    for raw in data.get("tasks", []):
        body.append(_task_call(raw, names, defined))
        defined.add(raw["id"])
    layout = data.get("layout") or {}
    if layout:
        body.append(f"{_INDENT}# designer positions (the spec's layout)")
        for task_id, pos in layout.items():
            target = names[task_id] if task_id in names else _lit(task_id, "layout")
            args = [target, f"x={_fmt(pos['x'], 1, 'layout')}", f"y={_fmt(pos['y'], 1, 'layout')}"]
            body.append(_call(f"{_INDENT}wf.place", args, 1))
    uses_forward = any("TaskOutput(" in line for line in body)
    imports = "TaskOutput, Workflow" if uses_forward else "Workflow"
    opening = _call("with Workflow", header, 0) + " as wf:"
    lines = [
        f"# Workflow {spec.name!r}, exported from QuantumFlow: this code rebuilds its spec.",
        f"from quantumflow.dsl import {imports}",
        "",
        opening,
        *(body or [f"{_INDENT}pass"]),
    ]
    return "\n".join(lines) + "\n"


def module_name(name: str) -> str:
    """A Python module name for a workflow's code: ``"QAOA max-cut"`` -> ``qaoa_max_cut``."""
    stem = re.sub(r"\W+", "_", name.lower()).strip("_")
    if not stem:
        return "workflow"
    return stem if stem.isidentifier() and not keyword.iskeyword(stem) else f"workflow_{stem}"


def _task_call(raw: dict[str, Any], names: dict[str, str], defined: set[str]) -> str:
    task_id, kind = raw["id"], raw["kind"]
    where = f"task '{task_id}'"
    args = [_lit(task_id, where)]
    if kind == "classical":
        args.append(f"fn={_lit(raw['fn'], where)}")
    else:
        circuit = raw["circuit"]
        source = circuit["qasm"] if set(circuit) == {"qasm"} else circuit
        args.append(f"backend={_lit(raw['backend'], where)}")
        args.append(f"circuit={_fmt(source, 2, where + ' circuit')}")
    if raw.get("depends_on"):
        deps = [_handle(d, None, names, defined) for d in raw["depends_on"]]
        args.append(f"depends_on=[{', '.join(deps)}]")
    if raw.get("inputs"):
        items = [
            f"{_lit(k, where)}: {_input(v, names, defined, f'{where} input {k!r}')}"
            for k, v in raw["inputs"].items()
        ]
        args.append("inputs=" + _wrap("{", items, "}", 2))
    for key, value in raw.items():
        if key not in _OWN[kind] and key not in ("depends_on", "inputs"):
            args.append(f"{key}={_fmt(value, 2, f'{where} field {key}')}")
    return _call(f"{_INDENT}{names[task_id]} = wf.{kind}", args, 1)


def _input(value: Any, names: dict[str, str], defined: set[str], where: str) -> str:
    """An input as the DSL takes it: a handle for a reference, ``wf.param`` for a param.

    Only the exact stored forms become handles: ``{ref: "t.k"}`` and ``{param: "p"}``
    (the DSL writes exactly these back); anything else is a literal, written as stored.
    """
    parsed = parse_input(value)
    if isinstance(parsed, Ref) and value == {"ref": parsed.task + _dot(parsed.key)}:
        return _handle(parsed.task, parsed.key, names, defined)
    if isinstance(parsed, ParamRef):
        return f"wf.param({_lit(parsed.name, where)})"
    return _fmt(value, 3, where)


def _dot(key: str | None) -> str:
    return f".{key}" if key is not None else ""


def _handle(task_id: str, key: str | None, names: dict[str, str], defined: set[str]) -> str:
    """The variable of an earlier task (``var["key"]``); a later or unknown task's output
    is spelled ``TaskOutput(...)`` (spec order is kept, so a reference may point forward)."""
    if task_id in defined:
        var = names[task_id]
        return var if key is None else f"{var}[{_lit(key, task_id)}]"
    if key is None:
        return f"TaskOutput({_lit(task_id, task_id)})"
    return f"TaskOutput({_lit(task_id, task_id)}, {_lit(key, task_id)})"


def _variable_names(ids: list[str]) -> dict[str, str]:
    """A distinct Python identifier per task id (``-`` -> ``_``, keywords get ``_``)."""
    out: dict[str, str] = {}
    taken: set[str] = set(_RESERVED)
    for task_id in ids:
        base = re.sub(r"\W", "_", task_id)
        if keyword.iskeyword(base) or base in _RESERVED or not base.isidentifier():
            base += "_"
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        out[task_id] = name
    return out


def _lit(value: str, where: str) -> str:
    return _fmt(value, 0, where)


def _fmt(value: Any, depth: int, where: str) -> str:
    """``value`` as a Python literal; containers too long for one line are broken."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SpecError(f"{where}: {value!r} cannot be written in a workflow")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise SpecError(f"{where}: mapping keys must be strings")
        items = [
            f"{_fmt(k, depth + 1, where)}: {_fmt(v, depth + 1, where)}" for k, v in value.items()
        ]
        return _wrap("{", items, "}", depth)
    if isinstance(value, list):
        return _wrap("[", [_fmt(v, depth + 1, where) for v in value], "]", depth)
    raise SpecError(f"{where}: a {type(value).__name__} cannot be written as a literal")


def _string(text: str) -> str:
    """A string literal; multi-line text (QASM) as a triple-quoted block where that is exact."""
    if text.endswith("\n") and '"""' not in text and _PLAIN.fullmatch(text):
        return '"""\\\n' + text + '"""'
    return json.dumps(text, ensure_ascii=False)


def _wrap(open_: str, items: list[str], close: str, depth: int) -> str:
    one = open_ + ", ".join(items) + close
    if len(one) + depth * len(_INDENT) <= LINE and "\n" not in one:
        return one
    inner = _INDENT * (depth + 1)
    return open_ + "\n" + "".join(f"{inner}{i},\n" for i in items) + _INDENT * depth + close


def _call(head: str, args: list[str], depth: int) -> str:
    one = f"{head}({', '.join(args)})"
    if len(one) <= LINE and "\n" not in one:
        return one
    inner = _INDENT * (depth + 1)
    return f"{head}(\n" + "".join(f"{inner}{a},\n" for a in args) + _INDENT * depth + ")"
