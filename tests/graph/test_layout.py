"""The layered drawing of big workflows (quantumflow/graph/layout.py)."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.errors import CycleError
from quantumflow.graph.layout import MAX_ASPECT, layout
from quantumflow.spec.groups import BIG_GRAPH


def layered(layers: int, width: int) -> dict[str, Any]:
    tasks = [
        {"id": f"L{lv}_q{i}", "kind": "classical", "fn": "constant", "inputs": {"value": i},
         "depends_on": [f"L{lv - 1}_q{i}"] if lv else []}
        for lv in range(layers)
        for i in range(width)
    ]  # fmt: skip
    return {"name": "layered", "tasks": tasks}


@pytest.mark.parametrize(("layers", "width"), [(3, 200), (60, 20), (1, 700)])
def test_every_task_has_its_own_place_inside_its_groups_box(layers: int, width: int) -> None:
    d = layout(layered(layers, width))
    n = layers * width
    assert d["tasks"] == n and d["big"] is (n > BIG_GRAPH)
    assert len({(x, y) for x, y in zip(d["x"], d["y"], strict=True)}) == n
    assert [g["name"] for g in d["groups"]] == [f"L{lv}_q" for lv in range(layers)]
    for t in range(n):
        box = d["groups"][d["group"][t]]
        assert box["x"] <= d["x"][t] < box["x"] + box["w"]
        assert box["y"] <= d["y"][t] < box["y"] + box["h"]
    boxes = d["groups"]
    for a in range(len(boxes)):  # blocks never overlap
        for b in range(a + 1, len(boxes)):
            p, q = boxes[a], boxes[b]
            assert (p["x"] + p["w"] <= q["x"] or q["x"] + q["w"] <= p["x"]
                    or p["y"] + p["h"] <= q["y"] or q["y"] + q["h"] <= p["y"])  # fmt: skip


def test_a_deep_dag_wraps_into_bands_instead_of_a_strip() -> None:
    d = layout(layered(60, 20))
    width = max(g["x"] + g["w"] for g in d["groups"])
    height = max(g["y"] + g["h"] for g in d["groups"])
    assert width <= MAX_ASPECT * height
    # levels still read left to right, then down
    first = d["groups"][0]
    assert (first["x"], first["y"]) == (0.0, 0.0)


def test_a_cycle_is_refused() -> None:
    spec = {"name": "c", "tasks": [
        {"id": "a", "kind": "classical", "fn": "constant", "depends_on": ["b"]},
        {"id": "b", "kind": "classical", "fn": "constant", "depends_on": ["a"]},
    ]}  # fmt: skip
    with pytest.raises(CycleError):
        layout(spec)
