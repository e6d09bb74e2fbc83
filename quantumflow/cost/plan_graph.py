"""A run's plan as a networkx graph: the workflow's DAG with predicted and actual times.

Built from what the store holds (the saved HEFT schedule and the task rows), through
:func:`quantumflow.cost.compare.plan_vs_actual`; ``Run.plan_to_networkx()`` calls it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..spec import WorkflowSpec
from ..spec.nxgraph import ANNOTATIONS, to_networkx

if TYPE_CHECKING:
    from ..store.store import Store

#: Node attributes added to the workflow graph, per task (seconds; starts relative to the
#: run's start; None where the task has no plan or did not run).
NODE_TIMES = ("predicted_s", "actual_s", "planned_start_s", "actual_start_s", "ratio", "status")
#: Graph attributes added: the run and its makespans and critical paths.
GRAPH_TIMES = (
    "run_id",
    "run_status",
    "predicted_makespan_s",
    "actual_makespan_s",
    "planned_critical_path",
    "actual_critical_path",
)


def plan_graph(store: Store, run_id: str) -> Any:
    """The run's workflow as a ``networkx.DiGraph`` with its plan and actual timing.

    Each task node carries :data:`NODE_TIMES` and ``slot`` (the planned worker lane); the
    graph carries :data:`GRAPH_TIMES`. ``quantumflow.dsl.Workflow.from_networkx`` reads it
    back as the workflow (these attributes are listed in ``g.graph["annotations"]``).

    Raises:
        RunNotFoundError: no such run.
        QuantumFlowError: networkx is not installed.
    """
    from .compare import plan_vs_actual

    record = store.get_run(run_id)
    g = to_networkx(WorkflowSpec.parse(record.spec))
    report = plan_vs_actual(store, run_id)
    schedule = store.get_schedule(run_id) or {}
    slots = dict(zip(schedule.get("order", []), schedule.get("slot", []), strict=False))
    for task_id, attrs in g.nodes(data=True):
        times = report["tasks"].get(task_id, {})
        attrs.update({k: times.get(k) for k in NODE_TIMES}, slot=slots.get(task_id))
    g.graph.update(
        run_id=run_id,
        run_status=report["status"],
        predicted_makespan_s=report["predicted_makespan_s"],
        actual_makespan_s=report["actual_makespan_s"],
        planned_critical_path=report["planned_critical_path"],
        actual_critical_path=report["actual_critical_path"],
    )
    g.graph[ANNOTATIONS] = [*NODE_TIMES, "slot", *GRAPH_TIMES]
    return g
