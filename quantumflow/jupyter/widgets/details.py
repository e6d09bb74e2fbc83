"""What the RunWidget shows when a task is clicked: its state, times, metrics, the start of
its output and its last log lines, read from the store for that one task (the panel's Run
tab, for a widget that has no REST API to ask).

The browser asks with a custom message ``{"type": "details", "task": ID}``; the kernel
answers ``{"type": "details", "task": ID, "detail": {...}}`` (:func:`task_details`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...store.store import Store

#: Characters of the output's JSON the widget shows (the rest: ``output_truncated``).
OUTPUT_PREVIEW = 2000
#: Log lines (task events) the widget shows, the most recent.
LOG_LINES = 20


def task_details(store: Store, run_id: str, task_id: str) -> dict[str, Any]:
    """One task of a run, as the widget's details pane shows it (``error`` set when there
    is no such task or the store could not be read)."""
    try:
        row = store.task_row(run_id, task_id)
        if row is None:
            return {"error": f"run '{run_id}' has no task '{task_id}'"}
        metrics = store.task_metrics(run_id=run_id, task_id=task_id)
        events = store.task_events(run_id, task_id, limit=1000)[-LOG_LINES:]
        output = _preview(store, row.output_ref)
    except Exception as exc:  # a closed or deleted store: say so in the pane
        return {"error": f"could not read task '{task_id}': {type(exc).__name__}: {exc}"}
    last = metrics[-1] if metrics else {}
    return {
        "status": row.status,
        "attempts": row.attempts,
        "error": row.error,
        "cache_hit": row.cache_hit,
        "queued_at": row.queued_at,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "duration_s": row.duration,
        "worker": last.get("worker"),
        "cpu_s": last.get("cpu_s"),
        "peak_mem_bytes": last.get("peak_mem_bytes"),
        **output,
        "log": [
            {
                "id": e.id,
                "run_id": run_id,
                "task_id": task_id,
                "kind": e.kind,
                "at": e.at,
                "data": e.data if isinstance(e.data, dict) else {},
            }
            for e in events
        ],
    }


def _preview(store: Store, ref: str | None) -> dict[str, Any]:
    if ref is None:
        return {"output": None, "output_truncated": False}
    text = json.dumps(store.get_output(ref), default=str, sort_keys=True)
    return {"output": text[:OUTPUT_PREVIEW], "output_truncated": len(text) > OUTPUT_PREVIEW}
