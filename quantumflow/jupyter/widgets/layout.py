"""The DAG as the RunWidget draws it: nodes placed by level, big graphs folded into groups.

A workflow of a few hundred tasks is drawn task by task. Past ``max_nodes`` tasks are folded
into groups (the task's ``group`` field, else its id without a trailing number, so
``point_17`` joins ``point``) and each node carries how many tasks it stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...spec import WorkflowSpec, upstream_of

#: Above this many tasks the graph is drawn by group.
MAX_NODES = 150
_TRAILING_NUMBER = re.compile(r"[_\-.]?\d+$")


@dataclass
class Graph:
    """What the widget's ``graph`` trait holds, plus the task -> node map kept in Python."""

    nodes: list[dict[str, Any]]
    edges: list[list[str]]
    grouped: bool
    node_of: dict[str, str] = field(default_factory=dict)

    def to_trait(self) -> dict[str, Any]:
        """The JSON sent to the browser (the task -> node map stays here)."""
        return {"nodes": self.nodes, "edges": self.edges, "grouped": self.grouped}


def _levels(spec: WorkflowSpec) -> dict[str, int]:
    """Longest-path depth of each task from the roots (cycles, if any, are cut)."""
    ups = {t.id: [u for u in upstream_of(t) if u != t.id] for t in spec.tasks}
    level: dict[str, int] = {}
    for start in ups:
        stack: list[tuple[str, bool]] = [(start, False)]
        visiting: set[str] = set()
        while stack:
            node, expanded = stack.pop()
            if node in level:
                continue
            parents = [u for u in ups.get(node, []) if u in ups]
            if expanded:
                visiting.discard(node)
                level[node] = 1 + max((level.get(u, -1) for u in parents), default=-1)
                continue
            visiting.add(node)
            stack.append((node, True))
            stack.extend((u, False) for u in parents if u not in level and u not in visiting)
    return level


def group_key(task_id: str, group: str | None) -> str:
    """The node a task is folded into when the graph is drawn by group."""
    if group:
        return group
    return _TRAILING_NUMBER.sub("", task_id) or task_id


def build_graph(spec: WorkflowSpec, *, max_nodes: int = MAX_NODES) -> Graph:
    """Lay the spec's DAG out by levels (columns) and rows, folding big graphs into groups."""
    levels = _levels(spec)
    if len(spec.tasks) <= max_nodes:
        return _fold(spec, levels, {t.id: t.id for t in spec.tasks}, grouped=False)
    node_of = {t.id: group_key(t.id, t.group) for t in spec.tasks}
    if len(set(node_of.values())) > max_nodes:  # still too many: one node per kind and level
        node_of = {t.id: f"{t.kind}@{levels[t.id]}" for t in spec.tasks}
    return _fold(spec, levels, node_of, grouped=True)


def _fold(
    spec: WorkflowSpec, levels: dict[str, int], node_of: dict[str, str], *, grouped: bool
) -> Graph:
    info: dict[str, dict[str, Any]] = {}
    for t in spec.tasks:
        nid = node_of[t.id]
        node = info.setdefault(
            nid,
            {
                "id": nid,
                "kind": t.kind,
                "detail": t.backend if t.kind == "quantum" else t.fn,
                "level": levels[t.id],
                "size": 0,
            },
        )
        node["size"] += 1
        node["level"] = min(node["level"], levels[t.id])
        if node["kind"] != t.kind:
            node["kind"] = "mixed"
    edges: dict[tuple[str, str], None] = {}
    for t in spec.tasks:
        for u in upstream_of(t):
            a, b = node_of.get(u), node_of[t.id]
            if a is not None and a != b:
                edges[(a, b)] = None
    rows: dict[int, int] = {}
    for node in sorted(info.values(), key=lambda n: n["level"]):
        node["row"] = rows.get(node["level"], 0)
        rows[node["level"]] = node["row"] + 1
    return Graph(list(info.values()), [list(e) for e in edges], grouped, node_of)
