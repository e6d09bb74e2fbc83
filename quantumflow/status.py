"""Run and task status names, defined once (layer 0).

The store checks them, the engine and the API speak them, the CLI and the widgets show
them, and the lab extension gets them generated (``labextension/src/generated/status.ts``,
written by ``python -m quantumflow.api.typescript``; ``make lint`` fails when it is stale).
"""

from __future__ import annotations

from typing import Final, Literal, get_args

TaskStatus = Literal[
    "pending",
    "queued",
    "running",
    "retrying",
    "succeeded",
    "failed",
    "skipped",
    "cancelled",
    "cached",
]
RunStatus = Literal[
    "pending",
    "running",
    "succeeded",
    "failed",
    "cancelled",
    "budget_exceeded",
    "interrupted",
    "store_error",
]

TASK_STATUSES: Final[tuple[str, ...]] = get_args(TaskStatus)
RUN_STATUSES: Final[tuple[str, ...]] = get_args(RunStatus)

#: Task states after which a task never changes again (within one run attempt).
TASK_TERMINAL: Final = frozenset({"succeeded", "failed", "skipped", "cancelled", "cached"})
#: Run states after which a run never changes again (``resume`` starts a new attempt).
#: ``store_error``: the store could not take all of the run's task rows and events (disk
#: full, read-only, corrupt); ``quantumflow resume`` completes the run once it can.
RUN_TERMINAL: Final = frozenset(
    {"succeeded", "failed", "cancelled", "budget_exceeded", "interrupted", "store_error"}
)
#: Task states whose attempt is recorded in ``performance_metrics``.
TASK_MEASURED: Final = frozenset({"succeeded", "failed", "retrying", "cached", "cancelled"})
