"""A WorkflowSpec as a networkx ``DiGraph`` and back (networkx is an optional extra).

The graph holds the whole spec, so ``from_networkx(to_networkx(spec)) == spec``:

- ``g.graph``: the workflow's own fields as in its ``.qflow`` file (``name``, ``params``,
  ``policies``, ``description``, ``version``), and ``layout`` for positions of ids that
  are not tasks (present when the spec has a layout);
- a node per task, in spec order, keyed by task id; its attributes are the task's fields
  as in the file (``kind``, ``fn``/``backend``/``circuit``, ``inputs``, …) without ``id``
  and ``depends_on``, plus ``pos = (x, y)`` from the layout (what ``nx.draw`` takes);
- an edge ``u -> v`` per dependency: ``inputs`` lists the inputs of ``v`` that read ``u``'s
  output, ``depends_on`` is True when ``v`` names ``u`` in its ``depends_on``.

Building a spec from a graph made with networkx: every edge that no input of its target
references becomes a ``depends_on`` entry. Node or graph attributes that are no spec field
are an error naming them, except those listed in ``g.graph["annotations"]`` (a run's
plan graph lists its timing attributes there, so it converts back to its workflow).
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from ..errors import QuantumFlowError, SpecError
from .models import Ref, WorkflowSpec, parse_input

#: ``g.graph`` keys that are no spec field, for graphs annotated beyond the spec.
ANNOTATIONS = "annotations"
_HEADER = tuple(
    f.name for f in dataclasses.fields(WorkflowSpec) if f.name not in ("tasks", "layout")
)


def import_networkx() -> Any:
    """The networkx module, or an error that says which extra installs it."""
    try:
        import networkx
    except ModuleNotFoundError as err:
        raise QuantumFlowError(
            "networkx is not installed: pip install 'quantumflow[networkx]'"
        ) from err
    return networkx


def to_networkx(spec: WorkflowSpec) -> Any:
    """The workflow as a ``networkx.DiGraph`` (see the module docstring for its shape).

    Raises:
        QuantumFlowError: networkx is not installed.
        SpecError: a task depends on a task the workflow does not have.
    """
    nx = import_networkx()
    data = spec.to_dict()  # containers are fresh copies: the graph shares nothing with spec
    layout = dict(spec.layout or {})
    g = nx.DiGraph(**{k: data[k] for k in _HEADER if k in data})
    for task in data.get("tasks", []):
        attrs = {k: v for k, v in task.items() if k not in ("id", "depends_on")}
        pos = layout.pop(task["id"], None)
        if pos is not None:
            attrs["pos"] = (pos.x, pos.y)
        g.add_node(task["id"], **attrs)
    for task in spec.tasks:
        for up in task.depends_on:
            _edge(g, spec, up, task.id).update(depends_on=True)
        for name, value in task.inputs.items():
            ref = parse_input(value)
            if isinstance(ref, Ref):
                _edge(g, spec, ref.task, task.id).setdefault("inputs", []).append(name)
    if spec.layout is not None:
        g.graph["layout"] = {k: {"x": p.x, "y": p.y} for k, p in layout.items()}
    return g


def _edge(g: Any, spec: WorkflowSpec, up: str, down: str) -> dict[str, Any]:
    if up not in g:
        raise SpecError(f"task '{down}' depends on '{up}', which is not a task of '{spec.name}'")
    if not g.has_edge(up, down):
        g.add_edge(up, down)
    attrs: dict[str, Any] = g.edges[up, down]
    return attrs


def from_networkx(g: Any) -> WorkflowSpec:
    """A spec from a directed graph shaped as :func:`to_networkx` makes them.

    Raises:
        SpecError: the graph is not directed, a node is not a task id or has no ``kind``,
            an attribute is no spec field, or a task field is wrong (naming task and field).
    """
    if not g.is_directed() or g.is_multigraph():
        raise SpecError("a workflow graph must be a networkx DiGraph (directed, one edge per pair)")
    skip = set(g.graph.get(ANNOTATIONS, ()))
    unknown = sorted(set(g.graph) - set(_HEADER) - {"layout", ANNOTATIONS} - skip)
    if unknown:
        raise SpecError(f"graph attribute(s) {', '.join(unknown)} are no workflow field")
    if "name" not in g.graph:
        raise SpecError("the graph has no workflow name: set g.graph['name']")
    data: dict[str, Any] = {k: copy.deepcopy(g.graph[k]) for k in _HEADER if k in g.graph}
    layout: dict[str, Any] | None = (
        copy.deepcopy(g.graph["layout"]) if "layout" in g.graph else None
    )
    tasks = []
    for node, raw in g.nodes(data=True):
        if not isinstance(node, str):
            raise SpecError(f"node {node!r} is not a task id (task ids are strings)")
        attrs = {k: copy.deepcopy(v) for k, v in raw.items() if k not in skip}
        if "kind" not in attrs:
            raise SpecError(f"node '{node}' has no 'kind' (classical or quantum)")
        pos = attrs.pop("pos", None)
        if pos is not None:
            layout = {} if layout is None else layout
            layout[node] = _position(node, pos)
        refs = {
            ref.task
            for value in (attrs.get("inputs") or {}).values()
            if isinstance(ref := parse_input(value), Ref)
        }
        deps = [
            up for up, _, e in g.in_edges(node, data=True) if e.get("depends_on") or up not in refs
        ]
        tasks.append({"id": node, **attrs, **({"depends_on": deps} if deps else {})})
    data["tasks"] = tasks
    if layout is not None:
        data["layout"] = layout
    return WorkflowSpec.parse(data)


def _position(node: str, pos: Any) -> dict[str, Any]:
    if isinstance(pos, dict) and set(pos) == {"x", "y"}:
        return dict(pos)
    try:
        x, y = pos
    except (TypeError, ValueError):
        raise SpecError(f"node '{node}': pos must be (x, y), got {pos!r}") from None
    return {"x": x, "y": y}
