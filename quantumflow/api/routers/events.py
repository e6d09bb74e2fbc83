"""``GET /api/runs/{run_id}/events``: a run's persisted events as Server-Sent Events.

The stream reads the store's ``events`` table, so runs started by any process (this server,
the CLI, a notebook kernel) stream the same way. Each message's SSE ``id`` is the event's
id: a client that reconnects with ``Last-Event-ID`` (or ``?after=``) loses nothing. Plain
messages (type ``message``) carry a ``RunEvent`` JSON; when the run has finished and every
event was sent, one ``event: end`` message carries ``{"run_id", "status"}`` and the stream
closes. A comment line is sent every few seconds while nothing happens (keeps proxies and
Jupyter's activity tracking alive).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from ...status import RUN_TERMINAL
from ..context import ApiContext, get_context
from ..schemas import ErrorResponse
from .convert import event_json

router = APIRouter(prefix="/runs", tags=["events"])
Ctx = Annotated[ApiContext, Depends(get_context)]

POLL_S = 0.1
STATUS_EVERY_S = 0.5
HEARTBEAT_S = 10.0
BATCH = 500


def _message(event: dict[str, Any]) -> bytes:
    return f"id: {event['id']}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n".encode()


def _last_id(header: str | None, after: int) -> int:
    if header and header.strip().isdigit():
        return max(after, int(header.strip()))
    return after


async def _stream(ctx: ApiContext, run_id: str, after: int) -> AsyncIterator[bytes]:
    store = ctx.store
    yield b"retry: 1000\n\n"
    last_sent = time.monotonic()
    last_status = 0.0
    finished: str | None = None
    while True:
        batch = await run_in_threadpool(store.events_since, run_id, after_id=after, limit=BATCH)
        for record in batch:
            yield _message(event_json(record))
        if batch:
            after = batch[-1].id
            last_sent = time.monotonic()
            if len(batch) == BATCH:
                continue
        if finished is not None:
            # One more read after the terminal status was seen: events committed just before
            # the run's final status are already in the batch above.
            end = {"run_id": run_id, "status": finished, "last_event_id": after}
            yield f"event: end\ndata: {json.dumps(end)}\n\n".encode()
            return
        now = time.monotonic()
        if now - last_status >= STATUS_EVERY_S:
            last_status = now
            status = await run_in_threadpool(_run_status, ctx, run_id)
            if status in RUN_TERMINAL:
                finished = status
                continue
        if now - last_sent >= HEARTBEAT_S:
            last_sent = now
            yield b": keep-alive\n\n"
        await asyncio.sleep(POLL_S)


def _run_status(ctx: ApiContext, run_id: str) -> str:
    status: str = ctx.store.get_run(run_id).status
    return status


@router.get(
    "/{run_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "A stream of RunEvent"},
        404: {"model": ErrorResponse},
    },
)
async def run_events(
    run_id: str,
    ctx: Ctx,
    after: Annotated[int, Query(ge=0, le=2**62, description="Send events with a larger id.")] = 0,
    last_event_id: Annotated[str | None, Header(max_length=32)] = None,
) -> StreamingResponse:
    """Follow a run's events live (SSE); ends with ``event: end`` once the run finishes."""
    await run_in_threadpool(ctx.store.get_run, run_id)  # 404 before streaming starts
    return StreamingResponse(
        _stream(ctx, run_id, _last_id(last_event_id, after)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
