"""What the big-run views read: a drawing of the graph, every task's state, and the
dashboard's aggregates, each counted on the server over the run's frame
(``store/aggregates.py``, ``store/run_frame.py``), so a 100,000-task run never sends
100,000 rows to the browser. Tables of tasks come in pages.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...errors import RunNotFoundError
from ...status import TASK_STATUSES
from ...store import agg_cache, agg_time, aggregates
from ..context import ApiContext, get_context
from ..graphs import file_layout_text, layout_text, run_layout_text
from ..results import read_results
from ..schemas import ErrorResponse
from ..view_schemas import (
    CostBurn,
    DurationHistogram,
    GraphLayout,
    Lanes,
    Objective,
    RunProgress,
    RunResults,
    RunStates,
    TaskRowPage,
    Throughput,
)

router = APIRouter(tags=["views"])
Ctx = Annotated[ApiContext, Depends(get_context)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse}}
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def _json(text: str) -> Response:
    return Response(content=text, media_type="application/json")


def _header(ctx: ApiContext, run_id: str) -> SimpleNamespace:
    """The run's name, status and error (404 for an unknown run), without its spec."""
    brief = aggregates.run_brief(ctx.store.engine, run_id)
    if brief is None:
        raise RunNotFoundError(run_id)
    return SimpleNamespace(**brief)


@router.get(
    "/runs/{run_id}/graph",
    response_model=GraphLayout,
    responses=NOT_FOUND,
    response_class=Response,
)
async def run_graph(run_id: str, ctx: Ctx) -> Response:
    """The drawing of the graph the run ran: positions, groups and edges per task (computed
    once per graph, then kept in the store)."""
    return _json(await run_in_threadpool(run_layout_text, ctx.store, run_id))


@router.post(
    "/workflows/graph",
    response_model=GraphLayout,
    responses={422: {"model": ErrorResponse}},
    response_class=Response,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/WorkflowSpec"}}
            },
        }
    },
)
async def workflow_graph(spec: Annotated[dict[str, Any], Body()], ctx: Ctx) -> Response:
    """The drawing of a spec (the designer's, before it is saved or run). Only ids,
    groups, references and number inputs are read; answers 422 for a cycle (naming it), a
    task without an id, or an id used twice."""
    text, _ = await run_in_threadpool(layout_text, ctx.store, spec)
    return _json(text)


@router.get(
    "/files/graph",
    response_model=GraphLayout,
    responses={422: {"model": ErrorResponse}},
    response_class=Response,
)
async def workflow_file_graph(
    ctx: Ctx, path: Annotated[str, Query(min_length=1, max_length=4096)]
) -> Response:
    """The drawing of a workflow file (``.qflow``, JSON or YAML) under the server's files
    root: how the designer draws a file too big for a request body."""
    return _json(await run_in_threadpool(file_layout_text, ctx.store, path))


@router.get("/runs/{run_id}/states", response_model=RunStates, responses=NOT_FOUND)
def run_states(run_id: str, ctx: Ctx) -> dict[str, Any]:
    """Every task's status as one digit per task (spec order), and the id of the last
    event they include: follow ``/runs/{id}/events?after=`` that id to stay current."""
    header = _header(ctx, run_id)
    codes, last = aggregates.states_vector(ctx.store.engine, run_id)
    return {
        "run_id": run_id,
        "name": header.name,
        "status": header.status,
        "error": header.error,
        "statuses": list(TASK_STATUSES),
        "codes": codes,
        "last_event_id": last,
    }


@router.get("/runs/{run_id}/progress", response_model=RunProgress, responses=NOT_FOUND)
def run_progress(run_id: str, ctx: Ctx, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Tasks per status, overall and for a page of groups (by name), with ETAs."""
    header = _header(ctx, run_id)
    found = aggregates.progress(
        ctx.store.engine, run_id, limit=limit, offset=offset, now=time.time()
    )
    return {**found, "run_id": run_id, "status": header.status, "limit": limit, "offset": offset}


@router.get("/runs/{run_id}/durations", response_model=DurationHistogram, responses=NOT_FOUND)
def run_durations(run_id: str, ctx: Ctx) -> dict[str, Any]:
    """Finished tasks' run times, four log-spaced bins per decade."""
    _header(ctx, run_id)
    return aggregates.duration_histogram(ctx.store.engine, run_id)


@router.get("/runs/{run_id}/throughput", response_model=Throughput, responses=NOT_FOUND)
def run_throughput(run_id: str, ctx: Ctx) -> dict[str, Any]:
    """Tasks finished per time bucket and status, from the run's start."""
    _header(ctx, run_id)
    return agg_time.throughput(ctx.store.engine, run_id, now=time.time())


@router.get("/runs/{run_id}/cost", response_model=CostBurn, responses=NOT_FOUND)
def run_cost(run_id: str, ctx: Ctx) -> dict[str, Any]:
    """Money spent over time and in all, against the run's budget (``policies.budget.usd``)."""
    _header(ctx, run_id)
    burn = agg_time.cost_burn(ctx.store.engine, run_id, now=time.time())
    return {**burn, "budget_usd": aggregates.run_budget(ctx.store.engine, run_id)}


@router.get("/runs/{run_id}/lanes", response_model=Lanes, responses=NOT_FOUND)
def run_lanes(run_id: str, ctx: Ctx) -> dict[str, Any]:
    """Which worker lane ran what: busy and queue seconds per lane and time bucket, and
    each attempt's interval for runs of at most 2,000 attempts."""
    _header(ctx, run_id)
    return agg_time.lanes(ctx.store.engine, run_id, now=time.time())


@router.get("/runs/{run_id}/slowest", response_model=TaskRowPage, responses=NOT_FOUND)
def run_slowest(run_id: str, ctx: Ctx, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    """Finished tasks by run time, longest first (a page)."""
    _header(ctx, run_id)
    return aggregates.slowest(ctx.store.engine, run_id, limit=limit, offset=offset)


@router.get("/runs/{run_id}/failures", response_model=TaskRowPage, responses=NOT_FOUND)
def run_failures(run_id: str, ctx: Ctx, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    """Failed tasks in spec order with their errors (a page)."""
    _header(ctx, run_id)
    return aggregates.failures(ctx.store.engine, run_id, limit=limit, offset=offset)


@router.get("/runs/{run_id}/objective", response_model=Objective, responses=NOT_FOUND)
def run_objective(
    run_id: str,
    ctx: Ctx,
    group: Annotated[str | None, Query(max_length=200)] = None,
    bins: Annotated[int, Query(ge=10, le=2000)] = 400,
) -> dict[str, Any]:
    """A sweep's objective (each output's scalar value) over one group's tasks in spec
    order; groups bigger than ``bins`` come binned (count, min, mean, max per bin)."""
    _header(ctx, run_id)
    return aggregates.objective(ctx.store.engine, run_id, group=group, bins=bins)


@router.get("/runs/{run_id}/results", response_model=RunResults, responses=NOT_FOUND)
def run_results(run_id: str, ctx: Ctx) -> dict[str, Any]:
    """What the run's tasks produced, ready to draw: numbers as table rows, counts as sorted
    histograms (top outcomes and "other"), sweeps, optimiser traces and reported metrics
    (``quantumflow.report``, e.g. a loss) as series. Reads the last 40 outputs."""
    _header(ctx, run_id)
    engine = ctx.store.engine
    return agg_cache.memo(
        engine,
        run_id,
        "results",
        lambda: read_results(
            aggregates.recent_outputs(engine, run_id),
            ctx.store.get_output,
            aggregates.metric_events(engine, run_id),
        ),
    )
