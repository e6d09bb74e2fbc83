"""``/api/runs``: history, one run's tasks, its plan vs actual, cancel, re-run, task logs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status

from ...status import RUN_TERMINAL, RunStatus
from ..context import ApiContext, get_context
from ..costs import run_costs
from ..errors import ConflictError, TaskNotFoundError
from ..outputs import DEFAULT_MAX_BYTES, LIMIT_MAX_BYTES, task_output
from ..schemas import (
    CancelResult,
    Deleted,
    ErrorResponse,
    RerunRequest,
    RunAccepted,
    RunDetail,
    RunPage,
    RunPlan,
    RunSummary,
    TaskLogs,
    TaskOutput,
)
from .convert import event_json, run_detail, run_summary

router = APIRouter(prefix="/runs", tags=["runs"])
Ctx = Annotated[ApiContext, Depends(get_context)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse}}


@router.get("", response_model=RunPage)
def list_runs(
    ctx: Ctx,
    workflow_id: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[RunStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> RunPage:
    """Runs, newest first, optionally of one workflow and/or in one status."""
    rows = ctx.store.list_runs(
        workflow_id=workflow_id, status=status, limit=limit + 1, offset=offset
    )
    costs = run_costs(ctx.store, [r.id for r in rows[:limit]])
    items = [
        RunSummary.model_validate(run_summary(r, cost_usd=costs.get(r.id))) for r in rows[:limit]
    ]
    return RunPage(items=items, limit=limit, offset=offset, has_more=len(rows) > limit)


@router.get("/{run_id}", response_model=RunDetail, responses=NOT_FOUND)
def get_run(run_id: str, ctx: Ctx) -> dict[str, Any]:
    """A run with every task's status, attempts, timing, error and an output preview.

    Also carries the spec the run ran (so an inline-spec run can be opened in the designer)
    and ``cost_usd``, the sum of its recorded task costs.
    """
    run = ctx.store.get_run(run_id)
    return run_detail(run, ctx.store, cost_usd=run_costs(ctx.store, [run_id]).get(run_id))


@router.get("/{run_id}/plan", response_model=RunPlan, responses=NOT_FOUND)
def get_run_plan(run_id: str, ctx: Ctx) -> dict[str, Any]:
    """The plan the engine stored before the run next to what the run did.

    Predicted vs actual seconds per task, predicted vs actual makespan, the planned
    critical path vs the one actually taken, and utilisation per resource. ``plan`` is
    false (predicted fields null) for runs that stored no plan.
    """
    from ...cost import plan_vs_actual

    return plan_vs_actual(ctx.store, run_id)


@router.delete(
    "/{run_id}",
    response_model=Deleted,
    responses={**NOT_FOUND, 409: {"model": ErrorResponse}},
)
def delete_run(run_id: str, ctx: Ctx) -> Deleted:
    """Delete a run with its task rows, events, metrics and the output files nothing else
    uses. Answers 409 while it is still running (cancel it first)."""
    from ...engine import delete_run as delete

    delete(run_id, db=ctx.store)
    return Deleted(id=run_id, deleted=True)


@router.post(
    "/{run_id}/cancel",
    response_model=CancelResult,
    responses={**NOT_FOUND, 409: {"model": ErrorResponse}},
)
def cancel_run(run_id: str, ctx: Ctx) -> CancelResult:
    """Ask a running run to stop (works for runs started by any process).

    Answers 409 when the run has already finished.
    """
    run = ctx.store.get_run(run_id)
    if run.status in RUN_TERMINAL:
        raise ConflictError(f"run '{run_id}' already finished ({run.status})")
    ctx.cancel(run_id)
    return CancelResult.model_validate(
        {"run_id": run_id, "cancel_requested": True, "status": run.status}
    )


@router.post(
    "/{run_id}/rerun",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RunAccepted,
    responses={**NOT_FOUND, 422: {"model": ErrorResponse}},
)
def rerun(run_id: str, body: RerunRequest, ctx: Ctx) -> RunAccepted:
    """Re-run ``from_task`` and everything downstream as a new run; upstream from the store."""
    from ...errors import Problem, SpecError

    run = ctx.store.get_run(run_id)
    if body.from_task not in run.tasks:
        raise SpecError(
            Problem(f"run '{run_id}' has no task '{body.from_task}'", field="from_task")
        )
    new_id = ctx.rerun(run_id, from_task=body.from_task, executor=body.executor)
    return RunAccepted(run_id=new_id, workflow_id=run.workflow_id, status="pending")


@router.post(
    "/{run_id}/resume",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RunAccepted,
    responses={**NOT_FOUND, 409: {"model": ErrorResponse}},
)
def resume_run(run_id: str, ctx: Ctx) -> RunAccepted:
    """Continue an interrupted or failed run (same run id) in this server's process.

    Tasks that succeeded are not executed again; a cloud task that was waiting on its
    provider's job is re-attached to that job, not submitted again. Answers 409 when the
    run succeeded already or is still running in a live process.
    """
    run = ctx.store.get_run(run_id)
    if run.status == "succeeded":
        raise ConflictError(f"run '{run_id}' already succeeded; nothing to resume")
    ctx.resume(run_id)
    return RunAccepted(run_id=run_id, workflow_id=run.workflow_id, status="running")


@router.get("/{run_id}/tasks/{task_id}/logs", response_model=TaskLogs, responses=NOT_FOUND)
def task_logs(
    run_id: str,
    task_id: str,
    ctx: Ctx,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> TaskLogs:
    """A task's events (state changes, retries, errors, log lines), oldest first."""
    if ctx.store.task_row(run_id, task_id) is None:
        ctx.store.get_run_header(run_id)  # 404 naming the run when there is none
        raise TaskNotFoundError(f"run '{run_id}' has no task '{task_id}'")
    entries = [event_json(e) for e in ctx.store.task_events(run_id, task_id, limit)]
    return TaskLogs.model_validate({"run_id": run_id, "task_id": task_id, "entries": entries})


@router.get(
    "/{run_id}/tasks/{task_id}/output",
    response_model=TaskOutput,
    responses={**NOT_FOUND, 413: {"model": ErrorResponse}},
)
def get_task_output(
    run_id: str,
    task_id: str,
    ctx: Ctx,
    max_bytes: Annotated[
        int,
        Query(ge=1, le=LIMIT_MAX_BYTES, description="Refuse (413) outputs larger than this."),
    ] = DEFAULT_MAX_BYTES,
) -> dict[str, Any]:
    """A task's full output as plain JSON (the run view shows only a short preview).

    Answers 404 when the task has no output (not finished, failed, skipped) and 413 when
    its JSON is larger than ``max_bytes`` (default 1 MiB, at most 16 MiB).
    """
    return task_output(ctx.store, run_id, task_id, max_bytes=max_bytes)
