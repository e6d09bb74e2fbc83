"""Repository functions: the synchronous SQL behind :class:`~quantumflow.store.Store`.

SQLAlchemy Core only, every value a bound parameter. Each function is one transaction.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from quantumflow.errors import RunNotFoundError, StoreError, WorkflowNotFoundError

from .db import dumps, read_tx, write_tx
from .records import (
    RUN_STATUSES,
    RUN_TERMINAL,
    EventRecord,
    RunRecord,
    TaskRunRecord,
    WorkflowRecord,
)
from .scrub import may_hold_secrets, scrub
from .tables import (
    calibrations,
    events,
    performance_metrics,
    results,
    runs,
    schedules,
    task_runs,
    workflows,
)

__all__ = ["RUN_TERMINAL"]


def new_id() -> str:
    """A fresh random id (12 hex digits: short enough to type, unique enough to share)."""
    return uuid.uuid4().hex[:12]


def spec_dict(spec: Any) -> dict[str, Any]:
    """A WorkflowSpec (or an already plain dict) as a scrubbed plain dict."""
    return _spec_json(spec)[0]


def _spec_json(spec: Any) -> tuple[dict[str, Any], str | None]:
    """:func:`spec_dict` and, when nothing was scrubbed, its JSON text (``dumps`` of the
    same dict): the text the test for secrets made, so a big spec is encoded once."""
    to_dict = getattr(spec, "to_dict", None)
    raw = to_dict() if callable(to_dict) else spec
    if not isinstance(raw, dict):
        raise StoreError(f"expected a WorkflowSpec or a dict, got {type(spec).__name__}")
    text = dumps(raw)
    if not may_hold_secrets(text):  # a big spec's walk costs more than this test
        return dict(raw), text
    return dict(scrub(raw)), None


# ------------------------------------------------------------------------- workflows
def save_workflow(engine: Engine, spec: Any, workflow_id: str | None) -> str:
    data = spec_dict(spec)
    name = str(data.get("name") or "unnamed")[:200]
    now = time.time()
    wid = workflow_id or new_id()
    with write_tx(engine) as conn:
        changed = conn.execute(
            workflows.update()
            .where(workflows.c.id == wid)
            .values(name=name, spec=data, updated_at=now)
        ).rowcount
        if not changed:
            conn.execute(
                workflows.insert().values(
                    id=wid, name=name, spec=data, created_at=now, updated_at=now
                )
            )
    return wid


def _workflow(row: sa.Row[Any]) -> WorkflowRecord:
    return WorkflowRecord(row.id, row.name, row.spec, row.created_at, row.updated_at)


def get_workflow(engine: Engine, workflow_id: str) -> WorkflowRecord:
    with read_tx(engine) as conn:
        row = conn.execute(workflows.select().where(workflows.c.id == workflow_id)).first()
    if row is None:
        raise WorkflowNotFoundError(workflow_id)
    return _workflow(row)


def list_workflows(engine: Engine) -> list[WorkflowRecord]:
    query = workflows.select().order_by(workflows.c.updated_at.desc(), workflows.c.id)
    with read_tx(engine) as conn:
        return [_workflow(r) for r in conn.execute(query)]


def delete_workflow(engine: Engine, workflow_id: str) -> bool:
    with write_tx(engine) as conn:
        # Detach runs explicitly: SQLite files opened elsewhere may lack foreign_keys=ON.
        conn.execute(
            runs.update().where(runs.c.workflow_id == workflow_id).values(workflow_id=None)
        )
        return bool(conn.execute(workflows.delete().where(workflows.c.id == workflow_id)).rowcount)


# ------------------------------------------------------------------------- runs
def check_run_status(status: str) -> None:
    if status not in RUN_STATUSES:
        raise StoreError(f"unknown run status {status!r}; one of {', '.join(RUN_STATUSES)}")


def create_run(
    engine: Engine,
    spec: Any,
    task_ids: list[str],
    workflow_id: str | None,
    params: dict[str, Any] | None,
) -> str:
    data, text = _spec_json(spec)
    if len(set(task_ids)) != len(task_ids):
        raise StoreError("create_run: task_ids contains duplicates")
    run_id = new_id()
    now = time.time()
    with write_tx(engine) as conn:
        # SQLite keeps a JSON column as the serializer's text: bind the text already made
        # (the same ``dumps`` of the same dict) instead of encoding a big spec again.
        stored: Any = data
        if text is not None and conn.dialect.name == "sqlite":
            stored = sa.type_coerce(text, sa.Text)
        conn.execute(
            runs.insert().values(
                id=run_id,
                workflow_id=workflow_id,
                name=str(data.get("name") or "unnamed")[:200],
                status="pending",
                spec=stored,
                params=scrub(dict(params or {})),
                created_at=now,
                cancel_requested=False,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
            )
        )
        if task_ids:
            _insert_tasks(conn, run_id, task_ids)
        conn.execute(
            events.insert().values(
                run_id=run_id, task_id=None, kind="run", data={"status": "pending"}, at=now
            )
        )
    return run_id


_TASK_ROW = ("run_id", "task_id", "position", "status")
_task_insert_sql: dict[str, tuple[str, bool]] = {}


def _insert_tasks(conn: sa.Connection, run_id: str, task_ids: list[str]) -> None:
    """One driver-level executemany of the ``pending`` task rows (a run may have 10^5)."""
    name = conn.dialect.name
    if name not in _task_insert_sql:
        stmt = task_runs.insert().values({c: sa.bindparam(c) for c in _TASK_ROW})
        compiled = stmt.compile(dialect=conn.dialect)
        order = list(compiled.positiontup or []) if compiled.positional else []
        if compiled.positional and order != list(_TASK_ROW):
            raise StoreError(f"unexpected parameter order for task rows: {order}")
        _task_insert_sql[name] = (str(compiled), bool(compiled.positional))
    sql, positional = _task_insert_sql[name]
    if positional:
        conn.exec_driver_sql(sql, [(run_id, t, i, "pending") for i, t in enumerate(task_ids)])
    else:
        rows = [
            dict(zip(_TASK_ROW, (run_id, t, i, "pending"), strict=True))
            for i, t in enumerate(task_ids)
        ]
        conn.exec_driver_sql(sql, rows)  # type: ignore[arg-type]


def set_run_status(engine: Engine, run_id: str, status: str, error: str | None) -> None:
    with write_tx(engine) as conn:
        _set_run_status(conn, run_id, status, error)


def _set_run_status(conn: sa.Connection, run_id: str, status: str, error: str | None) -> None:
    now = time.time()
    values: dict[str, Any] = {"status": status, "error": error}
    if status == "running":
        values["started_at"] = sa.func.coalesce(runs.c.started_at, now)
        values["finished_at"] = None
    elif status in RUN_TERMINAL:
        values["finished_at"] = now
    if not conn.execute(runs.update().where(runs.c.id == run_id).values(**values)).rowcount:
        raise RunNotFoundError(run_id)
    data = {"status": status} if error is None else {"status": status, "error": error}
    conn.execute(events.insert().values(run_id=run_id, task_id=None, kind="run", data=data, at=now))


def start_run(engine: Engine, run_id: str, plan: dict[str, Any]) -> None:
    """``set_run_status(run_id, "running")`` and ``save_schedule(run_id, plan)`` in one
    transaction (one commit instead of two when a run starts)."""
    with write_tx(engine) as conn:
        _set_run_status(conn, run_id, "running", None)
        _save_schedule(conn, run_id, plan)


def request_cancel(engine: Engine, run_id: str) -> None:
    with write_tx(engine) as conn:
        stmt = runs.update().where(runs.c.id == run_id).values(cancel_requested=True)
        if not conn.execute(stmt).rowcount:
            raise RunNotFoundError(run_id)


def cancel_requested(engine: Engine, run_id: str) -> bool:
    with read_tx(engine) as conn:
        value = conn.execute(sa.select(runs.c.cancel_requested).where(runs.c.id == run_id)).first()
    if value is None:
        raise RunNotFoundError(run_id)
    return bool(value[0])


def _run(row: sa.Row[Any], tasks: dict[str, TaskRunRecord] | None = None) -> RunRecord:
    return RunRecord(
        id=row.id,
        workflow_id=row.workflow_id,
        name=row.name,
        status=row.status,
        spec=row.spec,
        params=row.params,
        error=row.error,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        cancel_requested=bool(row.cancel_requested),
        host=row.host,
        pid=row.pid,
        tasks=tasks or {},
    )


def get_run(engine: Engine, run_id: str) -> RunRecord:
    with read_tx(engine) as conn:
        row = conn.execute(runs.select().where(runs.c.id == run_id)).first()
        if row is None:
            raise RunNotFoundError(run_id)
        task_rows = conn.execute(
            task_runs.select().where(task_runs.c.run_id == run_id).order_by(task_runs.c.position)
        ).all()
    tasks = {
        t.task_id: TaskRunRecord(
            task_id=t.task_id,
            status=t.status,
            attempts=t.attempts,
            error=t.error,
            output_ref=t.output_ref,
            cache_hit=bool(t.cache_hit),
            queued_at=t.queued_at,
            started_at=t.started_at,
            finished_at=t.finished_at,
        )
        for t in task_rows
    }
    return _run(row, tasks)


def list_runs(
    engine: Engine, workflow_id: str | None, status: str | None, limit: int, offset: int
) -> list[RunRecord]:
    query = runs.select().order_by(runs.c.created_at.desc(), runs.c.id.desc())
    if workflow_id is not None:
        query = query.where(runs.c.workflow_id == workflow_id)
    if status is not None:
        query = query.where(runs.c.status == status)
    query = query.limit(max(0, limit)).offset(max(0, offset))
    with read_tx(engine) as conn:
        return [_run(r) for r in conn.execute(query)]


def events_since(engine: Engine, run_id: str, after_id: int, limit: int) -> list[EventRecord]:
    query = (
        events.select()
        .where(events.c.run_id == run_id, events.c.id > after_id)
        .order_by(events.c.id)
        .limit(max(0, limit))
    )
    with read_tx(engine) as conn:
        return [
            EventRecord(r.id, r.run_id, r.task_id, r.kind, r.data, r.at)
            for r in conn.execute(query)
        ]


def task_metrics(
    engine: Engine, workflow_id: str | None, run_id: str | None, task_id: str | None
) -> list[dict[str, Any]]:
    pm = performance_metrics
    query = (
        sa.select(pm, runs.c.workflow_id)
        .join(runs, runs.c.id == pm.c.run_id, isouter=True)
        .order_by(pm.c.id)
    )
    if workflow_id is not None:
        query = query.where(runs.c.workflow_id == workflow_id)
    if run_id is not None:
        query = query.where(pm.c.run_id == run_id)
    if task_id is not None:
        query = query.where(pm.c.task_id == task_id)
    with read_tx(engine) as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


# ------------------------------------------------------------------------- cache, plans
def cache_lookup(engine: Engine, key: str) -> str | None:
    with read_tx(engine) as conn:
        return conn.execute(sa.select(results.c.output_ref).where(results.c.key == key)).scalar()


def cache_store(engine: Engine, key: str, output_ref: str) -> None:
    with write_tx(engine) as conn:
        exists = conn.execute(sa.select(results.c.key).where(results.c.key == key)).first()
        if exists is None:
            conn.execute(
                results.insert().values(key=key, output_ref=output_ref, created_at=time.time())
            )


def save_schedule(engine: Engine, run_id: str, plan: dict[str, Any]) -> None:
    with write_tx(engine) as conn:
        _save_schedule(conn, run_id, plan)


def _save_schedule(conn: sa.Connection, run_id: str, plan: dict[str, Any]) -> None:
    conn.execute(schedules.delete().where(schedules.c.run_id == run_id))
    try:
        conn.execute(schedules.insert().values(run_id=run_id, plan=plan, created_at=time.time()))
    except sa.exc.IntegrityError as err:
        raise RunNotFoundError(run_id) from err


def get_schedule(engine: Engine, run_id: str) -> dict[str, Any] | None:
    with read_tx(engine) as conn:
        value = conn.execute(sa.select(schedules.c.plan).where(schedules.c.run_id == run_id))
        return value.scalar()


def save_calibration(engine: Engine, backend: str, model: dict[str, Any]) -> None:
    with write_tx(engine) as conn:
        conn.execute(
            calibrations.insert().values(
                backend=backend, model=scrub(model), created_at=time.time()
            )
        )


def latest_calibration(engine: Engine, backend: str) -> dict[str, Any] | None:
    query = (
        sa.select(calibrations.c.model)
        .where(calibrations.c.backend == backend)
        .order_by(calibrations.c.created_at.desc(), calibrations.c.id.desc())
        .limit(1)
    )
    with read_tx(engine) as conn:
        return conn.execute(query).scalar()
