"""Drawings of workflows for the views: computed once per graph, kept in the store.

:func:`layout_text` answers the JSON text of :func:`quantumflow.graph.layout.layout` for a
spec; the text is kept in the store's ``layouts`` table under the graph's key (and, for a
run, under ``run:<id>`` pointing at that key, so opening a run again reads one row instead
of walking its spec), and the last few in memory. The views fetch it once and then only
recolour tasks.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

import yaml

from ..config import files_root
from ..errors import Problem, SpecError
from ..graph.layout import graph_key, graph_shape, layout
from ..spec import WorkflowSpec
from ..store import layouts
from ..store.store import Store

#: Drawings kept in memory (each is a few MB at 10^5 tasks).
MEMORY = 6
#: Largest workflow file drawn from a path (a 10^5-task spec is about 10 MB).
MAX_FILE_BYTES = 256 * 2**20

_lock = threading.Lock()
_memory: OrderedDict[str, str] = OrderedDict()


def _remember(key: str, text: str) -> None:
    with _lock:
        _memory[key] = text
        _memory.move_to_end(key)
        while len(_memory) > MEMORY:
            _memory.popitem(last=False)


def _recall(key: str) -> str | None:
    with _lock:
        text = _memory.get(key)
        if text is not None:
            _memory.move_to_end(key)
        return text


def _check(spec: dict[str, Any]) -> None:
    """Refuse what cannot be drawn: no task list, a task without an id, an id twice."""
    tasks = spec.get("tasks")
    if not isinstance(tasks, list):
        raise SpecError(Problem("a workflow needs a list of tasks", field="tasks"))
    seen: set[str] = set()
    for i, task in enumerate(tasks):
        tid = task.get("id") if isinstance(task, dict) else None
        if not isinstance(tid, str) or not tid:
            raise SpecError(Problem("a task needs an id", task=f"#{i}", field="id"))
        if tid in seen:
            raise SpecError(Problem("duplicate task id", task=tid, field="id"))
        seen.add(tid)


def layout_text(store: Store, spec: WorkflowSpec | dict[str, Any]) -> tuple[str, str]:
    """The drawing of ``spec`` as JSON text, and its key.

    Raises:
        SpecError: the spec has no task list, a task has no id, or two share one.
        CycleError: the dependencies contain a cycle.
    """
    if isinstance(spec, dict):
        _check(spec)
    shape = graph_shape(spec)
    key = graph_key(shape)
    text = _recall(key) or layouts.get_layout(store.engine, key)
    if text is None:
        text = json.dumps(layout(shape, key=key), separators=(",", ":"))
        layouts.save_layout(store.engine, key, len(shape.ids), text)
    _remember(key, text)
    return text, key


def run_layout_text(store: Store, run_id: str) -> str:
    """The drawing of the spec ``run_id`` ran (``RunNotFoundError`` when there is none)."""
    pointer = f"run:{run_id}"
    key = _recall(pointer) or layouts.get_layout(store.engine, pointer)
    if key is not None:
        text = _recall(key) or layouts.get_layout(store.engine, key)
        if text is not None:
            _remember(key, text)
            return text
    header = store.get_run_header(run_id)
    spec = header.spec if isinstance(header.spec, dict) else {"tasks": []}
    text, key = layout_text(store, spec)
    layouts.save_layout(store.engine, pointer, 0, key)
    _remember(pointer, key)
    return text


def file_layout_text(store: Store, path: str) -> str:
    """The drawing of a workflow file under the server's files root (what the designer
    shows for a ``.qflow`` too big to send in a request body).

    Raises:
        SpecError: no files root, a path outside it, no such file, too big, or not a
            workflow (JSON or YAML with a task list).
    """
    root = files_root()
    if root is None:
        raise SpecError(
            Problem("this server has no files root: send the spec instead", field="path")
        )
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise SpecError(Problem(f"no workflow file '{path}' under the server's root", field="path"))
    if target.stat().st_size > MAX_FILE_BYTES:
        raise SpecError(
            Problem(f"'{path}' is larger than {MAX_FILE_BYTES >> 20} MiB", field="path")
        )
    try:
        text = target.read_text(encoding="utf-8")
        data = json.loads(text) if target.suffix in (".qflow", ".json") else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as err:
        raise SpecError(Problem(f"cannot read '{path}': {err}", field="path")) from err
    if not isinstance(data, dict):
        raise SpecError(Problem(f"'{path}' is not a workflow (no task list)", field="path"))
    return layout_text(store, data)[0]
