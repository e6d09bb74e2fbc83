"""What a run writes and reads while it runs: the run row, its task rows, its status, the
cancel flag, the results cache and the schedule, as plain SQL on a :class:`~.dbapi.Db`.

Each function is one transaction; every value is a bound parameter. Column names match
``tables.py`` (the tests run these statements on SQLite and PostgreSQL).

Two run-level writes are not transactions of their own but :data:`RunOp` s, which the
store queues with the task events: a run's ``pending`` task rows and its start (status and
plan). The group-commit writer applies them (:func:`apply_op`) in order with the events,
so the engine does not wait for those commits before its first task runs.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import time
import uuid
from collections.abc import Mapping
from typing import Any, Protocol, TypeAlias

from quantumflow.errors import RunNotFoundError, StoreError

from ..status import RUN_STATUSES, RUN_TERMINAL
from .dbapi import Db, Tx, dumps
from .scrub import may_hold_secrets, scrub

log = logging.getLogger(__name__)

_INSERT_RUN = (
    "INSERT INTO runs (id, workflow_id, name, status, spec, params, created_at,"
    " cancel_requested, host, pid, budget_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
#: ``DO NOTHING``: ``resume`` queues a run's task rows again in case they were never written.
_INSERT_TASK = (
    "INSERT INTO task_runs (run_id, task_id, position, status, grp) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (run_id, task_id) DO NOTHING"
)
_INSERT_EVENT = "INSERT INTO events (run_id, task_id, kind, data, at) VALUES (?, ?, ?, ?, ?)"
_RUN_RUNNING = (
    "UPDATE runs SET status = ?, error = ?, started_at = COALESCE(started_at, ?),"
    " finished_at = NULL WHERE id = ?"
)
_RUN_FINISHED = "UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?"
_RUN_STATUS = "UPDATE runs SET status = ?, error = ? WHERE id = ?"
_REQUEST_CANCEL = "UPDATE runs SET cancel_requested = ? WHERE id = ?"
_CANCEL_FLAG = "SELECT cancel_requested FROM runs WHERE id = ?"
_RUN_EXISTS = "SELECT 1 FROM runs WHERE id = ?"
_CACHE_GET = "SELECT output_ref FROM results WHERE key = ?"
_CACHE_PUT = (
    "INSERT INTO results (key, output_ref, created_at) VALUES (?, ?, ?)"
    " ON CONFLICT (key) DO NOTHING"
)
_SCHEDULE_DELETE = "DELETE FROM schedules WHERE run_id = ?"
_SCHEDULE_INSERT = "INSERT INTO schedules (run_id, plan, created_at) VALUES (?, ?, ?)"


def new_id() -> str:
    """A fresh random id (12 hex digits: short enough to type, unique enough to share)."""
    return uuid.uuid4().hex[:12]


class SpecSource(Protocol):
    """Anything with a canonical plain form: a :class:`~quantumflow.spec.WorkflowSpec`."""

    def to_dict(self) -> dict[str, Any]:
        """The plain dict stored for it."""


#: What the store takes as a workflow: a spec object, or its plain dict.
SpecData: TypeAlias = SpecSource | Mapping[str, Any]


def spec_json(spec: SpecData) -> tuple[dict[str, Any], str]:
    """A WorkflowSpec (or an already plain dict) as a scrubbed plain dict and its JSON text."""
    to_dict = getattr(spec, "to_dict", None)
    raw = to_dict() if callable(to_dict) else spec
    if not isinstance(raw, dict):
        raise StoreError(f"expected a WorkflowSpec or a dict, got {type(spec).__name__}")
    text = dumps(raw)
    if not may_hold_secrets(text):  # a big spec's walk costs more than this test
        return dict(raw), text
    clean = dict(scrub(raw))
    return clean, dumps(clean)


def budget_of(spec: Mapping[str, Any]) -> float | None:
    """The spec's ``policies.budget.usd`` as a finite float (a number or a numeric string),
    else None: kept in ``runs.budget_usd`` so the cost view never parses the spec."""
    value: Any = spec
    for key in ("policies", "budget", "usd"):
        value = value.get(key) if isinstance(value, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        budget = float(value)
    except ValueError:
        return None
    return budget if math.isfinite(budget) else None


def check_run_status(status: str) -> None:
    if status not in RUN_STATUSES:
        raise StoreError(f"unknown run status {status!r}; one of {', '.join(RUN_STATUSES)}")


def create_run(
    db: Db,
    spec: SpecData,
    task_ids: list[str],
    workflow_id: str | None,
    params: dict[str, Any] | None,
) -> str:
    data, text = spec_json(spec)
    if len(set(task_ids)) != len(task_ids):
        raise StoreError("create_run: task_ids contains duplicates")
    run_id = new_id()
    now = time.time()
    row = (
        run_id,
        workflow_id,
        str(data.get("name") or "unnamed")[:200],
        "pending",
        text,
        dumps(scrub(dict(params or {}))),
        now,
        False,
        socket.gethostname()[:255],
        os.getpid(),
        budget_of(data),
    )
    with db.write() as tx:
        try:
            tx.run(_INSERT_RUN, row)
        except db.integrity as err:  # a workflow_id that does not exist
            raise StoreError(f"cannot create the run: {err}") from err
        tx.run(_INSERT_EVENT, (run_id, None, "run", '{"status":"pending"}', now))
    return run_id


#: A run-level write queued with the task events (see the module docstring):
#: ``("tasks", run_id, [task id, ...], [group, ...])``, ``("start", run_id, schedule JSON, at)`` or
#: ``("finish", run_id, status, error, at)``. Plain tuples of str/float/list, like the
#: events, for the writer process's pipe.
RunOp = tuple[Any, ...]


def tasks_op(run_id: str, task_ids: list[str], groups: list[str]) -> RunOp:
    """Insert the run's ``pending`` task rows with their groups (existing ones are kept)."""
    return ("tasks", run_id, task_ids, groups)


def start_op(run_id: str, plan: dict[str, Any]) -> RunOp:
    """Mark the run ``running`` (started now) and store its planned schedule."""
    return ("start", run_id, dumps(plan), time.time())


def finish_op(run_id: str, status: str, error: str | None) -> RunOp:
    """Give the run its terminal ``status`` (finished now), after the events before it."""
    if status not in RUN_TERMINAL:
        raise StoreError(f"not a terminal run status: {status!r}")
    return ("finish", run_id, status, error, time.time())


def metric_op(run_id: str, task_id: str, data: dict[str, Any]) -> RunOp:
    """A value a running task reported (``quantumflow.report``): an ``events`` row of kind
    ``metric``, written in order with the task's state changes."""
    return ("metric", run_id, task_id, dumps(data), time.time())


def apply_op(tx: Tx, op: RunOp) -> None:
    """Apply one :data:`RunOp` in the writer's transaction. A run that no longer exists is
    logged, not raised: an error here would drop the task events committed with it."""
    kind, run_id = op[0], op[1]
    if kind == "tasks":
        if tx.value(_RUN_EXISTS, (run_id,)) is None:
            log.warning("run %s was deleted before its task rows were written", run_id)
            return
        _insert_tasks(tx, run_id, op[2], op[3])
    elif kind == "start":
        plan, at = op[2], op[3]
        if not _set_run_status(tx, run_id, "running", None, at):
            log.warning("run %s was deleted before it started; its start is not recorded", run_id)
            return
        _save_schedule(tx, run_id, plan, at)
    elif kind == "metric":
        tx.run(_INSERT_EVENT, (run_id, op[2], "metric", op[3], op[4]))
    elif kind == "finish":
        if not _set_run_status(tx, run_id, op[2], op[3], op[4]):
            log.warning("run %s was deleted before it finished (%s)", run_id, op[2])
    else:
        raise StoreError(f"unknown run operation {kind!r}")


def _insert_tasks(tx: Tx, run_id: str, task_ids: list[str], groups: list[str]) -> None:
    """The ``pending`` task rows (a run may have 10^5), as multi-row INSERTs on SQLite."""
    rows = [
        (run_id, t, i, "pending", g) for i, (t, g) in enumerate(zip(task_ids, groups, strict=True))
    ]
    tx.insert(_INSERT_TASK, rows)


def set_run_status(db: Db, run_id: str, status: str, error: str | None) -> None:
    with db.write() as tx:
        if not _set_run_status(tx, run_id, status, error, time.time()):
            raise RunNotFoundError(run_id)


def _set_run_status(tx: Tx, run_id: str, status: str, error: str | None, at: float) -> bool:
    """Write the status (and its ``run`` event) as of ``at``; False when the run is missing
    (callers raise, or log when an error would drop the task events committed with it)."""
    if status == "running":
        changed = tx.run(_RUN_RUNNING, (status, error, at, run_id))
    elif status in RUN_TERMINAL:
        changed = tx.run(_RUN_FINISHED, (status, error, at, run_id))
    else:
        changed = tx.run(_RUN_STATUS, (status, error, run_id))
    if not changed:
        return False
    data = {"status": status} if error is None else {"status": status, "error": error}
    tx.run(_INSERT_EVENT, (run_id, None, "run", dumps(data), at))
    return True


def request_cancel(db: Db, run_id: str) -> None:
    with db.write() as tx:
        if not tx.run(_REQUEST_CANCEL, (True, run_id)):
            raise RunNotFoundError(run_id)


def cancel_requested(db: Db, run_id: str) -> bool:
    with db.read() as tx:
        rows = tx.rows(_CANCEL_FLAG, (run_id,))
    if not rows:
        raise RunNotFoundError(run_id)
    return bool(rows[0][0])


def cache_lookup(db: Db, key: str) -> str | None:
    with db.read() as tx:
        value = tx.value(_CACHE_GET, (key,))
    return None if value is None else str(value)


def cache_store(db: Db, key: str, output_ref: str) -> None:
    with db.write() as tx:
        tx.run(_CACHE_PUT, (key, output_ref, time.time()))


def save_schedule(db: Db, run_id: str, plan: dict[str, Any]) -> None:
    with db.write() as tx:
        try:
            _save_schedule(tx, run_id, dumps(plan), time.time())
        except tx.integrity as err:  # the run's foreign key: no such run
            raise RunNotFoundError(run_id) from err


def _save_schedule(tx: Tx, run_id: str, plan_json: str, at: float) -> None:
    """Replace the run's schedule with ``plan_json`` (its JSON text), saved as of ``at``."""
    tx.run(_SCHEDULE_DELETE, (run_id,))
    tx.run(_SCHEDULE_INSERT, (run_id, plan_json, at))
