"""The store: workflows, runs, task states, metrics, outputs and the results cache.

SQLite (default, WAL) or any SQLAlchemy URL such as PostgreSQL. What a run writes is plain
SQL on DB-API connections (``dbapi.py``, ``run_sql.py``, ``events_sql.py``), task events
through a group-commit writer (a process for SQLite, ``writer_process.py``; a thread
otherwise, ``writer.py``); reads for the API and CLI are SQLAlchemy Core (``queries.py``);
Alembic migrations run when the store is opened and its schema is not the newest.
See ``docs/internals.md`` (contract) and ``docs/user-guide/store.md`` (user guide).
"""

from __future__ import annotations

from ..status import RUN_STATUSES, RUN_TERMINAL, TASK_STATUSES, TASK_TERMINAL
from .records import EventRecord, RunRecord, TaskEvent, TaskRunRecord, WorkflowRecord
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
