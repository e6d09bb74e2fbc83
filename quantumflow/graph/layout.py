"""A layered drawing of a big workflow, computed once per graph (never in the browser).

Columns are the Rust core's topological levels (:meth:`Dag.levels`); each task group
(:func:`~quantumflow.spec.groups.group_of`) is a block: its tasks sit in a grid, one
sub-column per level the group spans, in spec order. Blocks that start on the same level
share a column and wrap into more columns when the column would get much taller than wide.
Units are node spacings: the renderer scales them. The result is plain JSON (arrays, not
objects per task) so 10^5 tasks cost a few MB once, and :func:`graph_key` names it, so the
API keeps it with the spec's other stored data and hands it out again without recomputing.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .._native import scheduler
from ..errors import CycleError
from ..spec import WorkflowSpec, upstream_of
from ..spec.groups import BIG_GRAPH, task_groups
from ..spec.models import Ref, parse_input

#: Bump when the drawing changes: cached layouts of the old version are then recomputed.
LAYOUT_VERSION = 2
#: Level columns wrap into bands once the drawing is this many times wider than tall (a
#: deep DAG would otherwise be a thin strip on a screen).
MAX_ASPECT = 3.0
#: Space between two blocks (and two columns), in node spacings.
GAP = 3.0


@dataclass
class GraphShape:
    """A workflow's graph in index form: ids, groups, kinds and edges (``dst`` depends on
    ``src``), and the positions the designer saved (``layout``), if any."""

    ids: list[str]
    groups: list[str]
    kinds: list[str]
    src: list[int] = field(default_factory=list)
    dst: list[int] = field(default_factory=list)
    saved: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: per task, its inputs that are plain numbers (a sweep's coordinates)
    numbers: list[dict[str, float]] = field(default_factory=list)


def _numbers(inputs: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, value in inputs.items() if isinstance(inputs, dict) else ():
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            out[str(name)] = float(value)
    return out


def _raw_upstream(task: dict[str, Any]) -> list[str]:
    """:func:`upstream_of` for a task as plain JSON (a stored run's spec)."""
    seen: dict[str, None] = dict.fromkeys(
        x for x in task.get("depends_on") or () if isinstance(x, str)
    )
    inputs = task.get("inputs")
    for value in inputs.values() if isinstance(inputs, dict) else ():
        parsed = parse_input(value)
        if isinstance(parsed, Ref):
            seen.setdefault(parsed.task)
    return list(seen)


def graph_shape(spec: WorkflowSpec | dict[str, Any]) -> GraphShape:
    """The graph of ``spec``, a parsed spec or its plain JSON (references to unknown tasks
    are left out)."""
    if isinstance(spec, WorkflowSpec):
        tasks: list[Any] = list(spec.tasks)
        ups = [upstream_of(t) for t in tasks]
        ids = [t.id for t in tasks]
        kinds = [t.kind for t in tasks]
        saved = {k: (p.x, p.y) for k, p in (spec.layout or {}).items()}
        numbers = [_numbers(t.inputs) for t in tasks]
    else:
        tasks = [t for t in spec.get("tasks") or () if isinstance(t, dict)]
        ups = [_raw_upstream(t) for t in tasks]
        ids = [str(t.get("id")) for t in tasks]
        kinds = [str(t.get("kind", "classical")) for t in tasks]
        numbers = [_numbers(t.get("inputs")) for t in tasks]
        raw = spec.get("layout")
        saved = {
            str(k): (float(p["x"]), float(p["y"]))
            for k, p in (raw.items() if isinstance(raw, dict) else ())
            if isinstance(p, dict)
            and isinstance(p.get("x"), int | float)
            and isinstance(p.get("y"), int | float)
        }
    index = {tid: i for i, tid in enumerate(ids)}
    shape = GraphShape(ids, task_groups(tasks, ids), kinds, saved=saved, numbers=numbers)
    for i, up in enumerate(ups):
        for name in up:
            j = index.get(name)
            if j is not None and j != i:
                shape.src.append(j)
                shape.dst.append(i)
    return shape


def graph_key(shape: GraphShape) -> str:
    """A name for the drawing of ``shape`` (same ids, groups and edges: same key)."""
    h = hashlib.sha256(f"layout-v{LAYOUT_VERSION}\0{len(shape.ids)}\0".encode())
    h.update("\0".join(shape.ids).encode())
    h.update(b"\1")
    h.update("\0".join(shape.groups).encode())
    h.update(b"\1")
    h.update(",".join(map(str, shape.src)).encode())
    h.update(b"\1")
    h.update(",".join(map(str, shape.dst)).encode())
    if _complete(shape):
        h.update(repr([shape.saved[t] for t in shape.ids]).encode())
    h.update(repr(shape.numbers).encode())
    return h.hexdigest()


def _complete(shape: GraphShape) -> bool:
    """The designer saved a position for every task: the drawing is the user's."""
    return bool(shape.saved) and all(tid in shape.saved for tid in shape.ids)


def _axes(members: list[int], numbers: list[dict[str, float]]) -> list[str]:
    """Up to two number inputs that every task of a group has and that vary across it:
    the coordinates of a parameter sweep."""
    if len(members) < 2 or not numbers:
        return []
    common = set(numbers[members[0]])
    for t in members[1:]:
        common &= numbers[t].keys()
        if not common:
            return []
    varying = [k for k in sorted(common) if len({numbers[t][k] for t in members}) > 1]
    return varying[:2]


def _levels(shape: GraphShape) -> list[int]:
    try:
        dag = scheduler.Dag(len(shape.ids), shape.src, shape.dst)
    except scheduler.GraphCycleError as err:
        raise CycleError([shape.ids[i] for i in err.cycle]) from err
    return dag.levels()


def _block(
    members: Sequence[int], level: list[int]
) -> tuple[list[tuple[int, float, float]], float, float]:
    """Place a group's tasks: one sub-column set per level it spans, each a near-square
    grid in spec order. Returns (task, x, y) relative to the block, its width and height."""
    by_level: dict[int, list[int]] = {}
    for t in members:
        by_level.setdefault(level[t], []).append(t)
    placed: list[tuple[int, float, float]] = []
    x0 = 0.0
    height = 0.0
    for lvl in sorted(by_level):
        row = by_level[lvl]
        cols = max(1, math.ceil(math.sqrt(len(row))))
        for k, t in enumerate(row):
            placed.append((t, x0 + k % cols, float(k // cols)))
        x0 += cols + (1 if len(by_level) > 1 else 0)
        height = max(height, float(math.ceil(len(row) / cols)))
    width = x0 - (1 if len(by_level) > 1 else 0)
    return placed, max(width, 1.0), max(height, 1.0)


def _place(
    n: int, members: list[list[int]], glevel: list[int], level: list[int]
) -> tuple[list[float], list[float], list[dict[str, float]]]:
    """Positions of every task and each group's box: groups that start on the same level
    share a column, wrapping into another past about twice the square root of its tasks."""
    xs = [0.0] * n
    ys = [0.0] * n
    boxes: list[dict[str, float]] = [{} for _ in members]
    columns: dict[int, list[int]] = {}
    for g, lvl in enumerate(glevel):
        columns.setdefault(lvl, []).append(g)
    x = 0.0
    for lvl in sorted(columns):
        blocks = [(g, *_block(members[g], level)) for g in columns[lvl]]
        tasks_here = sum(len(members[g]) for g in columns[lvl])
        limit = max(*(h for *_, h in blocks), 2.0 * math.sqrt(tasks_here))
        y = 0.0
        col_w = 0.0
        for g, placed, w, h in blocks:
            if y > 0 and y + h > limit:
                x += col_w + GAP
                y, col_w = 0.0, 0.0
            for t, dx, dy in placed:
                xs[t] = x + dx
                ys[t] = y + dy
            boxes[g] = {"x": x, "y": y, "w": w, "h": h}
            y += h + GAP
            col_w = max(col_w, w)
        x += col_w + GAP
    _wrap(xs, ys, boxes, members)
    return xs, ys, boxes


def _wrap(
    xs: list[float], ys: list[float], boxes: list[dict[str, float]], members: list[list[int]]
) -> None:
    """Fold columns of groups into bands, left to right then down as text reads, when the
    drawing is more than :data:`MAX_ASPECT` times wider than tall (in place)."""
    if not boxes:
        return
    width = max(b["x"] + b["w"] for b in boxes)
    height = max(b["y"] + b["h"] for b in boxes)
    if width <= MAX_ASPECT * height:
        return
    target = max(*(b["w"] for b in boxes), math.sqrt(width * height * MAX_ASPECT / 2))
    starts = sorted({b["x"] for b in boxes})
    shift: dict[float, tuple[float, float]] = {}
    band_x0, band_y = starts[0], 0.0
    for x in starts:
        if x - band_x0 > 0 and x + max(b["w"] for b in boxes if b["x"] == x) - band_x0 > target:
            band_x0, band_y = x, band_y + height + 2 * GAP
        shift[x] = (band_x0, band_y)
    for g, box in enumerate(boxes):
        dx, dy = shift[box["x"]]
        for t in members[g]:
            xs[t] -= dx
            ys[t] += dy
        box["x"] -= dx
        box["y"] += dy


def _saved(
    shape: GraphShape, members: list[list[int]]
) -> tuple[list[float], list[float], list[dict[str, float]]]:
    """The designer's own positions (pixels / 100) and the groups' boxes around them."""
    xs = [shape.saved[tid][0] / 100.0 for tid in shape.ids]
    ys = [shape.saved[tid][1] / 100.0 for tid in shape.ids]
    boxes = []
    for m in members:
        gx = [xs[t] for t in m]
        gy = [ys[t] for t in m]
        boxes.append(
            {"x": min(gx), "y": min(gy), "w": max(gx) - min(gx) + 1, "h": max(gy) - min(gy) + 1}
        )
    return xs, ys, boxes


def layout(spec: WorkflowSpec | dict[str, Any] | GraphShape, *, key: str = "") -> dict[str, Any]:
    """The drawing of a spec (parsed, plain JSON, or its :func:`graph_shape`) as plain JSON;
    ``key``: its :func:`graph_key` when the caller has it (a quarter second at 10^5 tasks).

    Keys: ``key`` (:func:`graph_key`), ``tasks``, ``big`` (more than
    :data:`~quantumflow.spec.groups.BIG_GRAPH` tasks), ``ids``, ``kinds`` (one letter per
    task: ``c`` classical, ``q`` quantum), ``x``/``y`` per task, ``group`` (index into
    ``groups``) per task, ``groups`` (``name``, ``size``, ``level``, ``axes``, box
    ``x``/``y``/``w``/``h``), ``edges`` (flat ``[src, dst, ...]`` task indices),
    ``group_edges`` (``[a, b, count]`` group indices), ``levels``, and ``axes``: for the
    number inputs that vary within a group (a sweep's coordinates; the group lists their
    names), each task's value.

    Raises:
        CycleError: the dependencies contain a cycle.
    """
    shape = spec if isinstance(spec, GraphShape) else graph_shape(spec)
    n = len(shape.ids)
    level = _levels(shape)
    names: dict[str, int] = {}
    gidx = [names.setdefault(g, len(names)) for g in shape.groups]
    members: list[list[int]] = [[] for _ in names]
    for t, g in enumerate(gidx):
        members[g].append(t)
    glevel = [min(level[t] for t in m) for m in members]
    xs, ys, boxes = (
        _saved(shape, members) if _complete(shape) else _place(n, members, glevel, level)
    )
    group_edges: dict[tuple[int, int], int] = {}
    edges: list[int] = []
    for s, d in zip(shape.src, shape.dst, strict=True):
        edges += (s, d)
        a, b = gidx[s], gidx[d]
        if a != b:
            group_edges[(a, b)] = group_edges.get((a, b), 0) + 1
    axes: dict[str, list[float | None]] = {}
    group_axes: list[list[str]] = []
    for m in members:
        group_axes.append(_axes(m, shape.numbers))
        for name in group_axes[-1]:
            column = axes.setdefault(name, [None] * n)
            for t in m:
                column[t] = shape.numbers[t][name]
    groups = [
        {"name": name, "size": len(members[g]), "level": glevel[g], "axes": group_axes[g]}
        | boxes[g]
        for name, g in names.items()
    ]
    return {
        "key": key or graph_key(shape),
        "tasks": n,
        "big": n > BIG_GRAPH,
        "ids": shape.ids,
        "kinds": "".join("q" if k == "quantum" else "c" for k in shape.kinds),
        "x": [round(v, 2) for v in xs],
        "y": [round(v, 2) for v in ys],
        "group": gidx,
        "groups": groups,
        "axes": axes,
        "edges": edges,
        "group_edges": [[a, b, c] for (a, b), c in group_edges.items()],
        "levels": (max(level) + 1) if level else 0,
    }
