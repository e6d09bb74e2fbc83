"""Whole-workflow estimates: per-task seconds and USD, Rust-planned makespan, critical path.

``estimate_workflow`` is what ``quantumflow estimate``, ``POST /api/estimate`` and
``%%qflow estimate`` show; ``estimate_costs``/``estimate_task_seconds`` are what the
engine's plan step feeds to the Rust scheduler.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..graph.routes import Route, plan_routes
from ..spec import QuantumTask
from .estimator import Estimator, TaskLike
from .prices import price_for

if TYPE_CHECKING:
    from .._native.scheduler import Dag, Plan
    from ..graph.validate import ValidatedWorkflow
    from ..spec import WorkflowSpec
    from ..spec.loader import SpecLike
    from ..store.shared import DbLike
    from ..store.store import Store


def estimate_costs(tasks: Sequence[TaskLike], *, store: Store | None = None) -> list[float]:
    """Predicted seconds per task, in order (what the engine's plan step ranks with)."""
    return Estimator(store).seconds(tasks)


def estimate_task_seconds(task: TaskLike, *, store: Store | None = None) -> float:
    """Predicted seconds of one task."""
    return Estimator(store).seconds([task])[0]


def estimate_workflow(
    spec: SpecLike,
    *,
    db: DbLike = None,
    workers: int | None = None,
    params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Predicted time and money of a workflow, per task and in total.

    Args:
        spec: a WorkflowSpec, dict, path or YAML text.
        db: the store whose calibrations and history are used (None: the default store).
        workers: parallel slots to plan over (default: ``policies.max_concurrency``).
        params: run parameters (as for ``run``).

    Returns:
        ``total_seconds`` (sum of task seconds), ``total_usd``, ``makespan_seconds`` (the
        Rust HEFT plan over ``workers`` slots), ``critical_path`` (task ids), ``tasks``
        (id -> ``{seconds, usd, source, ...}``), ``workers``, ``budget`` and
        ``within_budget`` (None without a budget), ``prices`` (sources of the prices used).

    Raises:
        SpecError: the workflow is invalid.
    """
    from .._native import scheduler
    from ..graph.validate import validate
    from ..spec.loader import load_spec
    from ..store.shared import shared_store as open_db

    vw = validate(load_spec(spec), params=params, check_imports=False)
    store = open_db(db)
    estimator = Estimator(store)
    tasks: dict[str, dict[str, Any]] = {}
    costs: list[float] = []
    prices: dict[str, dict[str, str]] = {}
    for task in vw.spec.tasks:
        est = estimator.task(task)
        tasks[task.id] = est.to_dict()
        costs.append(max(est.seconds, 1e-6))
        if isinstance(task, QuantumTask) and (price := price_for(task.backend)) is not None:
            prices[task.backend] = {"source": price.source, "as_of": price.as_of}
    slots = max(1, min(workers or vw.spec.policies.max_concurrency, len(costs) or 1))
    dag = scheduler.Dag(len(costs), vw.src, vw.dst, costs)
    routes = plan_routes(vw.spec.tasks)
    plan = _plan(vw, dag, lanes=slots, routes=routes)
    modes = session_costs(vw, routes, plan, tasks)
    extra_usd = sum(m["usd"] - m["task_usd"] for m in modes.values() if m["mode"] == "session")
    total_usd = round(sum(t["usd"] for t in tasks.values()) + extra_usd, 6)
    out: dict[str, Any] = {
        "workflow": vw.spec.name,
        "total_seconds": sum(costs),
        "total_usd": total_usd,
        "makespan_seconds": plan.makespan,
        "critical_path": [vw.ids[i] for i in plan.critical_path],
        "workers": slots,
        "tasks": tasks,
        "prices": prices,
    }
    if modes:
        out["runtime_modes"] = modes
    out.update(budget_verdict(vw.spec, plan.makespan, total_usd))
    return out


def session_costs(
    vw: ValidatedWorkflow, routes: dict[int, Route], plan: Plan, tasks: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Per cloud backend with execution modes, its mode and, for a ``session``, the time
    it is held (its tasks' span in the plan, classical steps between them included) and
    what that costs: a session is billed for the time the device is held, so it costs the
    larger of the span at the device's per-second price and its jobs' own prices."""
    from ..graph.modes import runtime_modes

    out: dict[str, dict[str, Any]] = {}
    for name, kind in runtime_modes(vw, routes).items():
        mine = [i for i, t in enumerate(vw.spec.tasks) if getattr(t, "backend", None) == name]
        task_usd = sum(tasks[vw.ids[i]]["usd"] for i in mine)
        entry: dict[str, Any] = {"mode": kind, "task_usd": task_usd, "usd": task_usd}
        if kind == "session":
            span = max(plan.finish[i] for i in mine) - min(plan.start[i] for i in mine)
            price = price_for(name)
            held = span * price.per_second if price is not None else 0.0
            entry.update(seconds=span, usd=max(task_usd, held))
        out[name] = entry
    return out


def _plan(vw: ValidatedWorkflow, dag: Dag, *, lanes: int, routes: dict[int, Route]) -> Plan:
    """The Rust plan the engine makes for this workflow: over ``lanes`` slots and the same
    per-resource limits (SDK worker slots, ``policies.resources``), so the estimate's
    makespan and critical path are what the run stores as its plan."""
    from ..graph.resources import make_slots

    limits = make_slots(vw.spec, routes, lanes=lanes)
    if limits is None:
        return dag.plan(workers=lanes)
    return dag.plan(resource=limits.resource, capacities=limits.capacities)


def budget_verdict(spec: WorkflowSpec, makespan: float, usd: float) -> dict[str, Any]:
    """``budget`` (the policy, or None) and ``within_budget`` (None without a budget)."""
    budget = spec.policies.budget
    if budget is None or (budget.seconds is None and budget.usd is None):
        return {"budget": None, "within_budget": None}
    over_s = budget.seconds is not None and makespan > budget.seconds
    over_usd = budget.usd is not None and usd > budget.usd
    return {
        "budget": {"seconds": budget.seconds, "usd": budget.usd},
        "within_budget": not (over_s or over_usd),
    }
