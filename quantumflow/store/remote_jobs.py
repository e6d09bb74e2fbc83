"""Remote job records: which provider job a task's attempt is waiting on.

A cloud job outlives the process that submitted it, so the engine writes its reference
here, committed, *before* waiting on it; ``resume`` reads the latest record of each task
and re-attaches to the job instead of submitting (and paying for) it again. Records are
``events`` rows of kind ``job`` (``data``: ``attempt``, ``backend``, ``job_id``, ``ref``),
so they also show in a run's event log; they carry no status, so readers of task and run
states skip them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from .dbapi import Db, dumps, loads_json

KIND = "job"
_INSERT = "INSERT INTO events (run_id, task_id, kind, data, at) VALUES (?, ?, ?, ?, ?)"
_SELECT = "SELECT task_id, data FROM events WHERE run_id = ? AND kind = ? ORDER BY id"


def record(db: Db, run_id: str, jobs: Mapping[str, Mapping[str, Any]]) -> None:
    """Commit one record per task id in ``jobs`` (task id -> job record)."""
    now = time.time()
    rows = [(run_id, task_id, KIND, dumps(dict(job)), now) for task_id, job in jobs.items()]
    with db.write() as tx:
        tx.many(_INSERT, rows)


def latest(db: Db, run_id: str) -> dict[str, dict[str, Any]]:
    """Task id -> its newest job record."""
    with db.read() as tx:
        rows = tx.rows(_SELECT, (run_id, KIND))
    out: dict[str, dict[str, Any]] = {}
    for task_id, data in rows:
        value = loads_json(data)
        if isinstance(value, dict) and isinstance(task_id, str):
            out[task_id] = value
    return out
