"""The plan next to the run: predicted vs actual seconds per task, makespan, critical path.

The engine saves the HEFT plan in the ``schedules`` table before the first task starts
(``order``, ``start``, ``finish`` aligned lists, ``makespan``, ``critical_path``); the
monitor's ``run_summary`` says what happened. This module lines the two up for the API,
the dashboard and ``quantumflow estimate --run``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store.store import Store


def plan_vs_actual(store: Store, run_id: str) -> dict[str, Any]:
    """Planned and actual timing of a run.

    Returns:
        ``run_id``, ``status``, ``predicted_makespan_s``, ``actual_makespan_s``,
        ``makespan_ratio`` (actual / predicted), ``planned_critical_path``,
        ``actual_critical_path``, and ``tasks``: id -> ``{predicted_s, actual_s,
        planned_start_s, actual_start_s, ratio}`` (start times relative to the run start;
        ``actual_*`` None for tasks that did not run). ``plan`` is False when no plan was
        saved (the other predicted fields are then None).

    Raises:
        RunNotFoundError: no such run.
    """
    from .report import run_summary

    summary = run_summary(store, run_id)
    record = store.get_run(run_id)
    plan = store.get_schedule(run_id) or {}
    order = plan.get("order", [])
    planned = {
        tid: (float(s), float(f))
        for tid, s, f in zip(order, plan.get("start", []), plan.get("finish", []), strict=False)
    }
    origin = record.started_at
    tasks: dict[str, dict[str, Any]] = {}
    for tid, tr in record.tasks.items():
        p = planned.get(tid)
        actual = tr.duration if tr.status in ("succeeded", "failed", "cached") else None
        predicted = (p[1] - p[0]) if p else None
        start = tr.started_at - origin if tr.started_at and origin and actual is not None else None
        tasks[tid] = {
            "predicted_s": predicted,
            "actual_s": actual,
            "planned_start_s": p[0] if p else None,
            "actual_start_s": start,
            "ratio": actual / predicted if actual is not None and predicted else None,
            "status": tr.status,
        }
    predicted_ms = plan.get("makespan")
    actual_ms = summary["makespan_s"]
    return {
        "run_id": run_id,
        "status": record.status,
        "plan": bool(plan),
        "policy": plan.get("policy"),
        "workers": plan.get("workers"),
        "predicted_makespan_s": predicted_ms,
        "actual_makespan_s": actual_ms,
        "makespan_ratio": actual_ms / predicted_ms if predicted_ms else None,
        "planned_critical_path": plan.get("critical_path"),
        "actual_critical_path": summary["critical_path"],
        "critical_path_s": summary["critical_path_s"],
        "tasks": tasks,
        "resources": summary["resources"],
        "lanes": summary["lanes"],
    }
