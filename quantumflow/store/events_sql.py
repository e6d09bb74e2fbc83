"""SQL for one group commit of task events: ``task_runs`` updates, ``events`` rows and
``performance_metrics`` rows, each as a single executemany.

This is the hot path (one row per task state change), so the Core statements are compiled
once per dialect and run with ``exec_driver_sql`` on plain parameter tuples/dicts: the
bound parameters are the same, but SQLAlchemy's per-row parameter processing (which costs
more than SQLite's own work) is skipped. JSON columns therefore get JSON text, made here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from .db import dumps as _dumps
from .records import TASK_TERMINAL, TaskEvent
from .scrub import scrub
from .tables import METRIC_COLUMNS, events, performance_metrics, task_runs

#: Statuses that end one attempt and so get a ``performance_metrics`` row.
_METRIC_STATUSES = frozenset({"succeeded", "failed", "retrying", "cached", "cancelled"})
_METRIC_KEYS = sorted(METRIC_COLUMNS)

_update_task: sa.Update = (
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


_insert_event = events.insert().values(
    {c: sa.bindparam(c) for c in ("run_id", "task_id", "kind", "data", "at")}
)
_METRIC_NAMES = [c.name for c in performance_metrics.c if c.name != "id"]
_JSON_METRICS = ("gates_before", "gates_after", "extra")


def _metrics_insert(dialect: str) -> Any:
    mod: Any = postgresql if dialect == "postgresql" else sqlite if dialect == "sqlite" else None
    values: dict[str, Any] = {c: sa.bindparam(c) for c in _METRIC_NAMES}
    if mod is None:  # other databases: plain insert; a duplicate attempt would fail loudly
        return performance_metrics.insert().values(values)
    stmt = mod.insert(performance_metrics).values(values)
    cols = {c: stmt.excluded[c] for c in _METRIC_NAMES}
    return stmt.on_conflict_do_update(index_elements=["run_id", "task_id", "attempt"], set_=cols)


class _Raw:
    """A Core statement compiled for one dialect, run as a driver-level executemany."""

    def __init__(self, stmt: Any, conn: Connection) -> None:
        compiled = stmt.compile(dialect=conn.dialect)
        self.sql = str(compiled)
        self.order: list[str] | None = list(compiled.positiontup) if compiled.positional else None

    def run(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.order is None:
            conn.exec_driver_sql(self.sql, rows)  # type: ignore[arg-type]
        elif list(rows[0]) == self.order:  # rows are built in statement order: cheap
            conn.exec_driver_sql(self.sql, [tuple(r.values()) for r in rows])
        else:
            order = self.order
            conn.exec_driver_sql(self.sql, [tuple(r[k] for k in order) for r in rows])


_compiled: dict[str, tuple[_Raw, _Raw, _Raw]] = {}


def _statements(conn: Connection) -> tuple[_Raw, _Raw, _Raw]:
    name = conn.dialect.name
    if name not in _compiled:
        _compiled[name] = (
            _Raw(_update_task, conn),
            _Raw(_insert_event, conn),
            _Raw(_metrics_insert(name), conn),
        )
    return _compiled[name]


#: Event payloads hold only str/int/bool: the plain encoder, built once, is enough.
_encode_event = json.JSONEncoder(separators=(",", ":")).encode


def _json(value: Any) -> str | None:
    return None if value is None else _dumps(value)


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
            {  # in the compiled statement's parameter order (see _Raw.run)
                "b_status": status,
                "b_attempt": ev.attempt,
                "b_error": ev.error,
                "b_ref": ev.output_ref,
                "b_cache": ev.cache_hit,
                "b_queued": ev.at if status == "queued" else None,
                "b_started": ev.at if status == "running" else None,
                "b_finished": ev.at if terminal else None,
                "b_run": ev.run_id,
                "b_task": ev.task_id,
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
            {
                "run_id": ev.run_id,
                "task_id": ev.task_id,
                "kind": "task",
                "data": _encode_event(data),
                "at": ev.at,
            }
        )
        if status in _METRIC_STATUSES:
            queued_at, started_at = timing.pop(key, (None, None))
            if started_at is not None or ev.metrics or status == "cached":
                metrics.append(_metric_row(ev, queued_at, started_at))
    update, insert_event, insert_metrics = _statements(conn)
    update.run(conn, updates)
    insert_event.run(conn, rows)
    insert_metrics.run(conn, metrics)


def _metric_row(ev: TaskEvent, queued_at: float | None, started_at: float | None) -> dict[str, Any]:
    given = scrub(dict(ev.metrics or {}))
    queued_at = given.pop("queued_at", queued_at)
    started_at = given.pop("started_at", started_at)
    row: dict[str, Any] = dict.fromkeys(_METRIC_NAMES)  # statement order
    row.update({k: given.pop(k, None) for k in _METRIC_KEYS})
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
    for key in _JSON_METRICS:
        row[key] = _json(row[key])
    return row
