"""``/api/performance``: a workflow's run statistics and per-task metrics from the store."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from ..context import ApiContext, get_context
from ..schemas import ErrorResponse, TaskPerformance, WorkflowPerformance

router = APIRouter(prefix="/performance", tags=["performance"])
Ctx = Annotated[ApiContext, Depends(get_context)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse}}
PAGE = 1000


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def metric_row(row: dict[str, Any]) -> dict[str, Any]:
    """A ``TaskMetrics`` dict: known fields normalised, the store's other columns kept."""
    out = {k: v for k, v in row.items() if not isinstance(v, float) or math.isfinite(v)}
    wall = _finite(row.get("wall_s"))
    if wall is None:
        started, finished = _finite(row.get("started_at")), _finite(row.get("finished_at"))
        if started is not None and finished is not None:
            wall = finished - started
    out["wall_s"] = wall
    return out


def _all_runs(ctx: ApiContext, workflow_id: str) -> list[Any]:
    runs: list[Any] = []
    while True:
        page = ctx.store.list_runs(workflow_id=workflow_id, limit=PAGE, offset=len(runs))
        runs.extend(page)
        if len(page) < PAGE:
            return runs


def _aggregate(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    walls: dict[str, list[float]] = defaultdict(list)
    order: dict[str, None] = {}
    for row in rows:
        order.setdefault(row["task_id"])
        if row.get("wall_s") is not None:
            walls[row["task_id"]].append(row["wall_s"])
    out = []
    for task_id in order:
        w = walls.get(task_id, [])
        out.append(
            {
                "task_id": task_id,
                "samples": len(w),
                "mean_wall_s": sum(w) / len(w) if w else None,
                "min_wall_s": min(w) if w else None,
                "max_wall_s": max(w) if w else None,
            }
        )
    return out


@router.get("/{workflow_id}", response_model=WorkflowPerformance, responses=NOT_FOUND)
def workflow_performance(workflow_id: str, ctx: Ctx) -> dict[str, Any]:
    """Run counts and mean run time across the workflow's runs, task duration statistics,
    and the latest run's per-task metrics."""
    ctx.store.get_workflow(workflow_id)
    runs = _all_runs(ctx, workflow_id)
    durations = [
        r.finished_at - r.started_at
        for r in runs
        if r.started_at is not None and r.finished_at is not None
    ]
    rows = [metric_row(m) for m in ctx.store.task_metrics(workflow_id=workflow_id)]
    latest = runs[0].id if runs else None
    return {
        "workflow_id": workflow_id,
        "runs": len(runs),
        "runs_by_status": dict(Counter(r.status for r in runs)),
        "mean_run_s": sum(durations) / len(durations) if durations else None,
        "latest_run_id": latest,
        "latest": [r for r in rows if r.get("run_id") == latest],
        "tasks": _aggregate(rows),
    }


@router.get("/{workflow_id}/{task_id}", response_model=TaskPerformance, responses=NOT_FOUND)
def task_performance(workflow_id: str, task_id: str, ctx: Ctx) -> dict[str, Any]:
    """One task's metrics in every run of the workflow, oldest first."""
    ctx.store.get_workflow(workflow_id)
    rows = [metric_row(m) for m in ctx.store.task_metrics(workflow_id=workflow_id, task_id=task_id)]
    rows.sort(key=lambda r: _finite(r.get("started_at")) or _finite(r.get("queued_at")) or 0.0)
    return {"workflow_id": workflow_id, "task_id": task_id, "history": rows}
