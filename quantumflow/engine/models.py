"""What the engine hands back: :class:`Run` (a finished run) and :class:`RunHandle` (a live one)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from ..spec import WorkflowSpec

if TYPE_CHECKING:
    from ..store.shared import DbLike
    from ..store.store import Store


@dataclass(slots=True)
class TaskResult:
    """One task of a run.

    Attributes:
        status: ``pending``, ``running``, ``retrying``, ``succeeded``, ``failed``,
            ``skipped``, ``cancelled`` or ``cached``.
        attempts: attempts started in this run (0 when reused or skipped).
        duration: seconds of the last attempt (None if it never ran).
        error: the error message of the last failed attempt.
        cache_hit: the output came from the result cache or an earlier run.
    """

    status: str = "pending"
    attempts: int = 0
    duration: float | None = None
    error: str | None = None
    cache_hit: bool = False
    started_at: float | None = None
    finished_at: float | None = None


@dataclass
class Run:
    """A run as the engine finished it.

    Attributes:
        id: the run id in the store.
        status: ``succeeded``, ``failed`` or ``cancelled``.
        outputs: task id -> output, for every task that produced one.
        tasks: task id -> :class:`TaskResult`.
        spec: the workflow that ran.
        params: the effective parameters (spec params overridden by run params).
        error: the first task error, for a failed run.
        store: the store the run was recorded in (None for a Run made by hand).
    """

    id: str
    status: str
    spec: WorkflowSpec
    outputs: dict[str, Any] = field(default_factory=dict)
    tasks: dict[str, TaskResult] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    started_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    store: Store | None = field(default=None, repr=False, compare=False)

    @property
    def duration(self) -> float | None:
        """Wall-clock seconds from start to finish."""
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    def plan_to_networkx(self, *, db: DbLike = None) -> Any:
        """The run's plan as a ``networkx.DiGraph``: the workflow's tasks and dependencies,
        each task with ``predicted_s``, ``actual_s``, ``planned_start_s``,
        ``actual_start_s``, ``ratio``, ``status`` and ``slot`` (see
        :func:`quantumflow.cost.plan_graph.plan_graph`).

        Args:
            db: the store to read the run from (default: the one it was recorded in).

        Raises:
            QuantumFlowError: networkx is not installed (``pip install
                'quantumflow[networkx]'``).
            RunNotFoundError: the store does not hold this run.
        """
        from ..cost.plan_graph import plan_graph
        from ..store.shared import shared_store

        store = self.store if db is None and self.store is not None else shared_store(db)
        return plan_graph(store, self.id)

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for t in self.tasks.values():
            counts[t.status] = counts.get(t.status, 0) + 1
        summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        return f"Run(id={self.id!r}, status={self.status!r}, tasks: {summary})"


class RunHandle:
    """A run going on in a background thread (from ``quantumflow.engine.start``)."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self._done = threading.Event()
        self._cancel = threading.Event()
        self._result: Run | None = None
        self._error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def wait(self, timeout: float | None = None) -> Run:
        """Block until the run ends and return it.

        Raises:
            TimeoutError: still running after ``timeout`` seconds.
            QuantumFlowError: whatever stopped the run from finishing.
        """
        if not self._done.wait(timeout):
            raise TimeoutError(f"run {self.run_id} still running after {timeout} s")
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    def cancel(self) -> None:
        """Ask the run to stop; running tasks are abandoned, the rest are cancelled."""
        self._cancel.set()

    def done(self) -> bool:
        """True once the run has ended."""
        return self._done.is_set()

    @property
    def cancel_event(self) -> threading.Event:
        """Set when cancellation was asked for (the engine polls it)."""
        return self._cancel

    def _finish(self, result: Run | None, error: BaseException | None) -> None:
        self._result, self._error = result, error
        self._done.set()


class MetricEvent(NamedTuple):
    """What ``on_event`` gets when a running task calls ``quantumflow.report``: the store
    keeps the same as an ``events`` row of kind ``metric`` with ``data``."""

    run_id: str
    task_id: str
    data: dict[str, Any]
    at: float
    kind: str = "metric"
