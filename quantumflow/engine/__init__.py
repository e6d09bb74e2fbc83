"""The engine: validate -> plan (Rust) -> dispatch (Rust decides, executors act) -> record.

See ``docs/internals.md`` (Engine) for the contract and ``docs/user-guide/running.md``.
"""

from __future__ import annotations

from ..executors.functions import resolve_function
from ..graph.inputs import TaskInputError
from ..graph.validate import ValidatedWorkflow, validate
from .api import cancel, delete_run, delete_workflow, open_db, rerun, resume, run, start
from .models import Run, RunHandle, TaskResult

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
