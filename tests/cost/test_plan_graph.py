"""A run's plan as a networkx graph, with predicted and actual times per task."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from quantumflow.cost import plan_vs_actual
from quantumflow.dsl import Workflow
from quantumflow.engine import run
from quantumflow.errors import RunNotFoundError
from quantumflow.spec import WorkflowSpec

from .conftest import ctask, wf


def test_plan_graph_carries_predicted_and_actual_times(store: Any, db_url: str) -> None:
    spec = wf(
        ctask("a", inputs={"s": 0.2}),
        ctask("b", inputs={"s": 0.05}, depends_on=["a"]),
        ctask("c", inputs={"s": 0.02}, depends_on=["a"]),
        policies={"max_concurrency": 2},
    )
    run(spec, db=store)  # history: the second plan predicts from the first run
    r = run(spec, db=store)
    g = r.plan_to_networkx()
    assert isinstance(g, nx.DiGraph) and set(g.edges) == {("a", "b"), ("a", "c")}
    report = plan_vs_actual(store, r.id)
    for task_id in "abc":
        node = g.nodes[task_id]
        assert node["actual_s"] == pytest.approx(r.tasks[task_id].duration)
        assert node["predicted_s"] == report["tasks"][task_id]["predicted_s"] > 0
        assert node["status"] == "succeeded" and node["slot"] in (0, 1)
    assert g.nodes["b"]["planned_start_s"] == pytest.approx(g.nodes["a"]["predicted_s"], rel=1e-3)
    assert g.nodes["b"]["actual_start_s"] >= g.nodes["a"]["actual_s"]
    assert g.graph["run_id"] == r.id and g.graph["run_status"] == "succeeded"
    assert g.graph["planned_critical_path"] == ["a", "b"]
    assert g.graph["predicted_makespan_s"] > 0 and g.graph["actual_makespan_s"] > 0
    # networkx tools work on it: the largest gap between plan and run
    worst = max(g.nodes, key=lambda t: g.nodes[t]["ratio"])
    assert g.nodes[worst]["ratio"] == max(t["ratio"] for t in report["tasks"].values())
    # the annotations are listed, so the graph reads back as the workflow that ran
    assert Workflow.from_networkx(g).spec == WorkflowSpec.parse(spec)
    # the same graph from another handle on the store (db=)
    assert nx.utils.graphs_equal(r.plan_to_networkx(db=db_url), g)
    with pytest.raises(RunNotFoundError):
        r.plan_to_networkx(db=f"{db_url}-other")
