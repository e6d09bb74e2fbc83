"""The store's records: frozen dataclasses (and the :class:`TaskEvent` named tuple) handed
to and returned by :class:`Store`.

Times are UNIX seconds (float). Status names are plain strings, defined once in
:mod:`quantumflow.status`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class _TaskEventFields(NamedTuple):
    run_id: str
    task_id: str
    status: str
    attempt: int
    at: float
    error: str | None
    output_ref: str | None
    cache_hit: bool
    metrics: dict[str, Any] | None


class TaskEvent(_TaskEventFields):
    """One task state change, as the engine reports it to ``Store.record``.

    A named tuple (the engine makes two per task: a frozen dataclass cost 1 µs each, and
    the writer sends plain tuples on).

    Attributes:
        run_id: the run this task belongs to.
        task_id: the task's id in the spec.
        status: one of :data:`TASK_STATUSES`.
        attempt: 1 for the first try, 2 after the first retry, ...
        at: when it happened (UNIX seconds; default: now).
        error: the error message for ``failed``/``retrying``.
        output_ref: what ``Store.put_output`` returned, for ``succeeded``/``cached``.
        cache_hit: the output came from the results cache.
        metrics: per-attempt measurements (``cpu_s``, ``peak_mem_bytes``, ``worker``,
            quantum fields such as ``qubits``, ``depth``, ``shots``, ``backend``, ...);
            keys without a column are kept in the ``extra`` JSON column.
    """

    __slots__ = ()

    def __new__(  # noqa: PLR0917 - the record's fields, as before
        cls,
        run_id: str,
        task_id: str,
        status: str,
        attempt: int = 1,
        at: float | None = None,
        error: str | None = None,
        output_ref: str | None = None,
        cache_hit: bool = False,
        metrics: dict[str, Any] | None = None,
    ) -> TaskEvent:
        when = time.time() if at is None else at
        fields = (run_id, task_id, status, attempt, when, error, output_ref, cache_hit, metrics)
        return tuple.__new__(cls, fields)


@dataclass(frozen=True)
class WorkflowRecord:
    """A saved workflow."""

    id: str
    name: str
    spec: dict[str, Any]
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class TaskRunRecord:
    """One task of one run, as last recorded."""

    task_id: str
    status: str
    attempts: int
    error: str | None
    output_ref: str | None
    cache_hit: bool
    queued_at: float | None
    started_at: float | None
    finished_at: float | None

    @property
    def duration(self) -> float | None:
        """Seconds from (last) start to finish, or None while unfinished."""
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at


@dataclass(frozen=True)
class RunRecord:
    """One run of a workflow. ``tasks`` is empty when loaded by ``list_runs``."""

    id: str
    workflow_id: str | None
    name: str
    status: str
    spec: dict[str, Any]
    params: dict[str, Any]
    error: str | None
    created_at: float
    started_at: float | None
    finished_at: float | None
    cancel_requested: bool
    host: str | None
    pid: int | None
    tasks: dict[str, TaskRunRecord] = field(default_factory=dict)


@dataclass(frozen=True)
class EventRecord:
    """One persisted event (task state change or run status), ordered by ``id``."""

    id: int
    run_id: str
    task_id: str | None
    kind: str
    data: dict[str, Any]
    at: float
