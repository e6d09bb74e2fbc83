"""The store: workflows, runs, task states, metrics, outputs and the results cache.

SQLAlchemy Core over SQLite (default, WAL) or any SQLAlchemy URL such as PostgreSQL;
Alembic migrations run when the store is opened. See ``docs/internals.md`` (contract) and
``docs/user-guide/store.md`` (user guide).
"""

from __future__ import annotations

from .records import (
    RUN_STATUSES,
    RUN_TERMINAL,
    TASK_STATUSES,
    TASK_TERMINAL,
    EventRecord,
    RunRecord,
    TaskEvent,
    TaskRunRecord,
    WorkflowRecord,
)
from .serialize import OutputSerializationError
from .store import Store, open_store

__all__ = [
    "RUN_STATUSES",
    "RUN_TERMINAL",
    "TASK_STATUSES",
    "TASK_TERMINAL",
    "EventRecord",
    "OutputSerializationError",
    "RunRecord",
    "Store",
    "TaskEvent",
    "TaskRunRecord",
    "WorkflowRecord",
    "open_store",
]
