"""SQL for one group commit of task events: ``task_runs`` updates, ``events`` rows and
``performance_metrics`` rows, each as a single executemany."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from .records import TASK_TERMINAL, TaskEvent
from .scrub import scrub
from .tables import METRIC_COLUMNS, events, performance_metrics, task_runs

#: Statuses that end one attempt and so get a ``performance_metrics`` row.
_METRIC_STATUSES = frozenset({"succeeded", "failed", "retrying", "cached", "cancelled"})
_METRIC_KEYS = sorted(METRIC_COLUMNS)

_update_task = (
    task_runs.update()
    .where(task_runs.c.run_id == sa.bindparam("b_run"))
    .where(task_runs.c.task_id == sa.bindparam("b_task"))
    .values(
        status=sa.bindparam("b_status"),
        attempts=sa.bindparam("b_attempt"),
        error=sa.bindparam("b_error"),
        output_ref=sa.func.coalesce(sa.bindparam("b_ref"), task_runs.c.output_ref),
        cache_hit=sa.bindparam("b_cache"),
        queued_at=sa.func.coalesce(sa.bindparam("b_queued", type_=sa.Float), task_runs.c.queued_at),
        started_at=sa.func.coalesce(
            sa.bindparam("b_started", type_=sa.Float), task_runs.c.started_at
        ),
        finished_at=sa.bindparam("b_finished", type_=sa.Float),
    )
)

Timing = dict[tuple[str, str, int], list[float | None]]


def _metrics_insert(conn: Connection) -> Any:
    dialect = conn.dialect.name
    mod: Any = postgresql if dialect == "postgresql" else sqlite if dialect == "sqlite" else None
    if mod is None:  # other databases: plain insert; a duplicate attempt would fail loudly
        return performance_metrics.insert()
    stmt = mod.insert(performance_metrics)
    cols = {c.name: stmt.excluded[c.name] for c in performance_metrics.c if c.name != "id"}
    return stmt.on_conflict_do_update(index_elements=["run_id", "task_id", "attempt"], set_=cols)


def write_batch(conn: Connection, batch: Sequence[TaskEvent], timing: Timing) -> None:
    """Write ``batch`` in the caller's transaction.

    ``timing`` remembers queued/started times per attempt across batches so the metrics
    row written when the attempt ends carries them; finished attempts are removed from it.
    """
    updates: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    for ev in batch:
        status = ev.status
        terminal = status in TASK_TERMINAL
        key = (ev.run_id, ev.task_id, ev.attempt)
        if status == "queued":
            timing[key] = [ev.at, None]
        elif status == "running":
            timing.setdefault(key, [None, None])[1] = ev.at
        updates.append(
            {
                "b_run": ev.run_id,
                "b_task": ev.task_id,
                "b_status": status,
                "b_attempt": ev.attempt,
                "b_error": ev.error,
                "b_ref": ev.output_ref,
                "b_cache": ev.cache_hit,
                "b_queued": ev.at if status == "queued" else None,
                "b_started": ev.at if status == "running" else None,
                "b_finished": ev.at if terminal else None,
            }
        )
        data: dict[str, Any] = {"status": status, "attempt": ev.attempt}
        if ev.error is not None:
            data["error"] = ev.error
        if ev.output_ref is not None and len(ev.output_ref) < 200:
            data["output_ref"] = ev.output_ref
        if ev.cache_hit:
            data["cache_hit"] = True
        rows.append(
            {"run_id": ev.run_id, "task_id": ev.task_id, "kind": "task", "data": data, "at": ev.at}
        )
        if status in _METRIC_STATUSES:
            queued_at, started_at = timing.pop(key, (None, None))
            if started_at is not None or ev.metrics or status == "cached":
                metrics.append(_metric_row(ev, queued_at, started_at))
    conn.execute(_update_task, updates)
    conn.execute(events.insert(), rows)
    if metrics:
        conn.execute(_metrics_insert(conn), metrics)


def _metric_row(ev: TaskEvent, queued_at: float | None, started_at: float | None) -> dict[str, Any]:
    given = scrub(dict(ev.metrics or {}))
    queued_at = given.pop("queued_at", queued_at)
    started_at = given.pop("started_at", started_at)
    row: dict[str, Any] = {k: given.pop(k, None) for k in _METRIC_KEYS}
    if row["wall_s"] is None and started_at is not None:
        row["wall_s"] = ev.at - started_at
    row.update(
        run_id=ev.run_id,
        task_id=ev.task_id,
        attempt=ev.attempt,
        status=ev.status,
        queued_at=queued_at,
        started_at=started_at,
        finished_at=ev.at,
        retries=max(0, ev.attempt - 1),
        cache_hit=ev.cache_hit or ev.status == "cached",
        extra=given or None,
    )
    return row
