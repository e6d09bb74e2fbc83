"""The engine: validate -> plan (Rust) -> dispatch (Rust decides, executors act) -> record.

See ``docs/internals.md`` (Engine) for the contract and ``docs/user-guide/running.md``.
"""

from __future__ import annotations

from ..executors.functions import resolve_function
from .api import cancel, delete_run, delete_workflow, open_db, rerun, resume, run, start
from .inputs import TaskInputError
from .models import Run, RunHandle, TaskResult
from .validate import ValidatedWorkflow, validate

__all__ = [
    "Run",
    "RunHandle",
    "TaskInputError",
    "TaskResult",
    "ValidatedWorkflow",
    "cancel",
    "delete_run",
    "delete_workflow",
    "open_db",
    "rerun",
    "resolve_function",
    "resume",
    "run",
    "start",
    "validate",
]
