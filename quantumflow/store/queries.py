"""Repository functions: the SQL behind :class:`~quantumflow.store.Store` that a run does
not need while it runs (workflows, reads for the API and CLI, calibrations).

SQLAlchemy Core only, every value a bound parameter. Each function is one transaction.
What a run writes is in ``run_sql.py``; task events in ``events_sql.py``.
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from quantumflow.errors import RunNotFoundError, WorkflowNotFoundError

from .db import read_tx, write_tx
from .records import (
    EventRecord,
    RunRecord,
    TaskRunRecord,
    WorkflowRecord,
)
from .run_sql import new_id, spec_json
from .scrub import scrub
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

if TYPE_CHECKING:
    from .run_sql import SpecData


def spec_dict(spec: SpecData) -> dict[str, Any]:
    """A WorkflowSpec (or an already plain dict) as a scrubbed plain dict."""
    return spec_json(spec)[0]


# ------------------------------------------------------------------------- workflows
def save_workflow(engine: Engine, spec: SpecData, workflow_id: str | None) -> str:
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


def delete_run(engine: Engine, run_id: str) -> list[str] | None:
    """Delete a run with its task rows, events, metrics and schedule, in one transaction.

    Returns:
        The artifact references (``sha256:``) its tasks held that no other task row and
        no cache entry uses (their files may go), or None when there was no such run.
    """
    with write_tx(engine) as conn:
        held = conn.execute(
            sa.select(task_runs.c.output_ref)
            .where(task_runs.c.run_id == run_id, task_runs.c.output_ref.like("sha256:%"))
            .distinct()
        )
        refs = [r.output_ref for r in held]
        # tables without a foreign key to runs (and SQLite files opened without
        # foreign_keys=ON): each explicitly
        for table in (task_runs, schedules, events, performance_metrics):
            conn.execute(table.delete().where(table.c.run_id == run_id))
        if not conn.execute(runs.delete().where(runs.c.id == run_id)).rowcount:
            return None
        used: set[str] = set()
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            for table in (task_runs, results):
                rows = conn.execute(
                    sa.select(table.c.output_ref).where(table.c.output_ref.in_(chunk))
                )
                used.update(r.output_ref for r in rows)
        return [r for r in refs if r not in used]


# ------------------------------------------------------------------------- runs
#: RunRecord's fields that are ``runs`` columns (a new column needs only a RunRecord field).
_RUN_FIELDS = tuple(f.name for f in dataclasses.fields(RunRecord) if f.name != "tasks")


def _run(row: sa.Row[Any], tasks: dict[str, TaskRunRecord] | None = None) -> RunRecord:
    values = {name: row._mapping[name] for name in _RUN_FIELDS}
    values["cancel_requested"] = bool(values["cancel_requested"])  # 0/1 on SQLite
    return RunRecord(**values, tasks=tasks or {})


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


def get_run_header(engine: Engine, run_id: str) -> RunRecord:
    """The run row without its task rows (a 10^5-task run's header is one row)."""
    with read_tx(engine) as conn:
        row = conn.execute(runs.select().where(runs.c.id == run_id)).first()
    if row is None:
        raise RunNotFoundError(run_id)
    return _run(row)


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
    return _events(engine, events.c.run_id == run_id, events.c.id > after_id, limit=limit)


def _events(engine: Engine, *where: Any, limit: int) -> list[EventRecord]:
    """The first ``limit`` events matching ``where``, oldest first."""
    query = events.select().where(*where).order_by(events.c.id).limit(max(0, limit))
    with read_tx(engine) as conn:
        return [
            EventRecord(r.id, r.run_id, r.task_id, r.kind, r.data, r.at)
            for r in conn.execute(query)
        ]


def task_events(engine: Engine, run_id: str, task_id: str, limit: int) -> list[EventRecord]:
    return _events(engine, events.c.run_id == run_id, events.c.task_id == task_id, limit=limit)


def task_row(engine: Engine, run_id: str, task_id: str) -> TaskRunRecord | None:
    t = task_runs.c
    query = sa.select(
        t.task_id, t.status, t.attempts, t.error, t.output_ref, t.cache_hit,
        t.queued_at, t.started_at, t.finished_at,
    ).where(t.run_id == run_id, t.task_id == task_id)  # fmt: skip
    with read_tx(engine) as conn:
        r = conn.execute(query).first()
    return None if r is None else TaskRunRecord(*r)


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


# ------------------------------------------------------------------------- plans, calibrations
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
