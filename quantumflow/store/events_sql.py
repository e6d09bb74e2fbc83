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
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .db import dumps as _dumps
from .records import TASK_TERMINAL, TaskEvent
from .scrub import is_secret_key, scrub
from .tables import METRIC_COLUMNS, events, performance_metrics, task_runs

#: Statuses that end one attempt and so get a ``performance_metrics`` row.
_METRIC_STATUSES = frozenset({"succeeded", "failed", "retrying", "cached", "cancelled"})
#: Metric keys already seen not to name a secret (the engine sends the same few each time).
_safe_keys: set[str] = set(METRIC_COLUMNS | {"started_at", "queued_at", "fn"})


def _plain(metrics: dict[str, Any]) -> bool:
    """True when :func:`scrub` would change nothing: no secret-named key, no nesting."""
    for key, value in metrics.items():
        if isinstance(value, dict | list):
            return False
        if key not in _safe_keys:
            if not isinstance(key, str) or is_secret_key(key):
                return False
            if len(_safe_keys) < 10_000:
                _safe_keys.add(key)
    return True


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
    mod: Any = None
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql as mod
    elif dialect == "sqlite":
        from sqlalchemy.dialects import sqlite as mod
    values: dict[str, Any] = {c: sa.bindparam(c) for c in _METRIC_NAMES}
    if mod is None:  # other databases: plain insert; a duplicate attempt would fail loudly
        return performance_metrics.insert().values(values)
    stmt = mod.insert(performance_metrics).values(values)
    cols = {c: stmt.excluded[c] for c in _METRIC_NAMES}
    return stmt.on_conflict_do_update(index_elements=["run_id", "task_id", "attempt"], set_=cols)


#: Rows per multi-row ``INSERT ... VALUES (...), (...)`` on SQLite (26 columns x 200 is well
#: under SQLite's 32,766 bound parameters).
CHUNK = 200


class _Raw:
    """A Core statement compiled for one dialect, run as a driver-level executemany.

    On SQLite an INSERT also gets a multi-row form: one statement step per :data:`CHUNK`
    rows instead of one per row, which saves the per-row statement reset and the release
    and re-acquisition of the GIL around each step (costly while worker threads run).
    """

    def __init__(self, stmt: Any, conn: Connection) -> None:
        compiled = stmt.compile(dialect=conn.dialect)
        self.sql = str(compiled)
        self.order: list[str] | None = list(compiled.positiontup) if compiled.positional else None
        self.multi: str | None = None
        if conn.dialect.name == "sqlite" and self.order and self.sql.startswith("INSERT"):
            head, _, tail = self.sql.partition(" VALUES (")
            close = tail.index(")")
            group = "(" + tail[: close + 1]
            self.multi = head + " VALUES " + ", ".join([group] * CHUNK) + tail[close + 1 :]

    def run(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.order is None:
            conn.exec_driver_sql(self.sql, rows)  # type: ignore[arg-type]
            return
        if list(rows[0]) == self.order:  # rows are built in statement order: cheap
            params = [tuple(r.values()) for r in rows]
        else:
            order = self.order
            params = [tuple(r[k] for k in order) for r in rows]
        full = len(params) - len(params) % CHUNK if self.multi is not None else 0
        for start in range(0, full, CHUNK):
            flat = tuple(chain.from_iterable(params[start : start + CHUNK]))
            conn.exec_driver_sql(self.multi, flat)  # type: ignore[arg-type]
        if full < len(params):
            conn.exec_driver_sql(self.sql, params[full:])


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

    Every event gets its ``events`` row; ``task_runs`` gets one update per task per batch
    (the batch's events for a task folded in order: the same row as one update per event,
    at half the cost when ``running`` and ``succeeded`` land in one commit).
    ``timing`` remembers queued/started times per attempt across batches so the metrics
    row written when the attempt ends carries them; finished attempts are removed from it.
    """
    updates: dict[tuple[str, str], dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    for ev in batch:
        status = ev.status
        at = ev.at
        key = (ev.run_id, ev.task_id, ev.attempt)
        if status == "queued":
            timing[key] = [at, None]
        elif status == "running":
            timing.setdefault(key, [None, None])[1] = at
        row = updates.get(key[:2])
        if row is None:
            updates[key[:2]] = {  # in the compiled statement's parameter order (_Raw.run)
                "b_status": status,
                "b_attempt": ev.attempt,
                "b_error": ev.error,
                "b_ref": ev.output_ref,
                "b_cache": ev.cache_hit,
                "b_queued": at if status == "queued" else None,
                "b_started": at if status == "running" else None,
                "b_finished": at if status in TASK_TERMINAL else None,
                "b_run": ev.run_id,
                "b_task": ev.task_id,
            }
        else:  # fold: the later event wins; coalesced columns keep the last non-null
            row["b_status"] = status
            row["b_attempt"] = ev.attempt
            row["b_error"] = ev.error
            row["b_cache"] = ev.cache_hit
            row["b_finished"] = at if status in TASK_TERMINAL else None
            if ev.output_ref is not None:
                row["b_ref"] = ev.output_ref
            if status == "queued":
                row["b_queued"] = at
            elif status == "running":
                row["b_started"] = at
        rows.append(
            {
                "run_id": ev.run_id,
                "task_id": ev.task_id,
                "kind": "task",
                "data": _event_data(ev),
                "at": at,
            }
        )
        if status in _METRIC_STATUSES:
            queued_at, started_at = timing.pop(key, (None, None))
            if started_at is not None or ev.metrics or status == "cached":
                metrics.append(_metric_row(ev, queued_at, started_at))
    update, insert_event, insert_metrics = _statements(conn)
    update.run(conn, list(updates.values()))
    insert_event.run(conn, rows)
    insert_metrics.run(conn, metrics)


_quote = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


def _event_data(ev: TaskEvent) -> str:
    """The ``events.data`` JSON text (what ``_encode_event`` makes, without its overhead)."""
    if ev.error is not None:
        data: dict[str, Any] = {"status": ev.status, "attempt": ev.attempt, "error": ev.error}
        if ev.output_ref is not None and len(ev.output_ref) < 200:
            data["output_ref"] = ev.output_ref
        if ev.cache_hit:
            data["cache_hit"] = True
        return _encode_event(data)
    text = f'{{"status":{_quote(ev.status)},"attempt":{int(ev.attempt)}'
    if ev.output_ref is not None and len(ev.output_ref) < 200:
        text += f',"output_ref":{_quote(ev.output_ref)}'
    return text + (',"cache_hit":true}' if ev.cache_hit else "}")


def _metric_row(ev: TaskEvent, queued_at: float | None, started_at: float | None) -> dict[str, Any]:
    raw = ev.metrics or {}
    given = dict(raw) if _plain(raw) else scrub(dict(raw))
    queued_at = given.pop("queued_at", queued_at)
    started_at = given.pop("started_at", started_at)
    row: dict[str, Any] = dict.fromkeys(_METRIC_NAMES)  # statement order
    for k in [k for k in given if k in METRIC_COLUMNS]:  # usually 2-3 keys of 16
        row[k] = given.pop(k)
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
        if row[key] is not None:
            row[key] = _dumps(row[key])
    return row
