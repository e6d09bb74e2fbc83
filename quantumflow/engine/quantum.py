"""Quantum attempts along their planned routes (:mod:`quantumflow.graph.routes`): in a warm
SDK worker process (abortable), or in the engine's thread for cloud backends and plugins.

Cloud jobs go through :func:`quantumflow.backends.remote.run_remote`: their references are
handed to ``record_jobs`` (the store commits them) before the engine waits, jobs an earlier
process submitted are re-attached (``reattach``, from ``resume``), and a run's jobs on a
backend with execution modes share one IBM Runtime ``Batch`` or ``Session`` (``modes``),
closed when the run ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..graph.routes import Route
from ..spec import QuantumTask

if TYPE_CHECKING:
    from ..backends.base import ExecutionMode

log = logging.getLogger(__name__)


class QuantumCall:
    """One quantum attempt in an SDK worker; ``abort()`` kills that worker.

    ``aborted`` is set first, so a call aborted before it reached a worker never starts.
    ``stats`` is what the worker measured (``cpu_s``, ``peak_mem_bytes``, ``worker``).
    """

    __slots__ = ("aborted", "pool", "stats")

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.aborted = False
        self.stats: dict[str, Any] | None = None

    def abort(self) -> None:
        """Kill the worker running this call (timeout, cancellation)."""
        self.aborted = True
        self.pool.abort(self)


class BatchCall(QuantumCall):
    """The attempts of one batch in one SDK worker call: ``abort()`` (a member's timeout or
    cancellation) kills the worker only once every member has been abandoned, so the
    others still get their results."""

    __slots__ = ("_left", "_lock")

    def __init__(self, pool: Any, members: int) -> None:
        super().__init__(pool)
        self._left = members
        self._lock = threading.Lock()

    def abort(self) -> None:
        """One member no longer waits; the last one stops the worker (if there is one)."""
        with self._lock:
            self._left -= 1
            last = self._left <= 0
        if last and self.pool is not None:
            super().abort()


#: Receives ``{task index: (attempt, job record)}`` before the engine waits on the jobs.
RecordJobs = Callable[[dict[int, tuple[int, dict[str, Any]]]], None]


class QuantumRunner:
    """Runs the quantum attempts of one run along the routes planned for it.

    Args:
        routes: per quantum task index, its route.
        modes: backend name -> the run's execution mode there (cloud backends with modes).
        reattach: task index -> the job record an earlier process stored (``resume``).
        record_jobs: commits job records before anything waits on them.
    """

    def __init__(
        self,
        routes: Mapping[int, Route],
        *,
        modes: Mapping[str, ExecutionMode] | None = None,
        reattach: Mapping[int, dict[str, Any]] | None = None,
        record_jobs: RecordJobs | None = None,
    ) -> None:
        self.routes = dict(routes)
        # SDK routes hold one slot per worker of their SDK
        self.workers_per_sdk = max((r.slots for r in self.routes.values() if r.sdk), default=1)
        self._pool: Any = None
        self.modes = dict(modes or {})
        self.reattach = dict(reattach or {})
        self.record_jobs = record_jobs
        self._lock = threading.Lock()

    @property
    def sdks(self) -> set[str]:
        """The SDKs whose workers this run uses."""
        return {r.sdk for r in self.routes.values() if r.sdk is not None}

    def pool(self) -> Any:
        """The shared SDK worker pool (covering this run's SDKs)."""
        if self._pool is None:
            from ..executors import sdk_workers

            self._pool = sdk_workers.shared_pool(self.sdks, per_sdk=self.workers_per_sdk)
        return self._pool

    def in_worker(self, index: int) -> bool:
        """Whether task ``index`` runs in an SDK worker (else in this process)."""
        r = self.routes.get(index)
        return r is not None and r.sdk is not None

    def prepare(self, index: int) -> QuantumCall | None:
        """The abortable handle of an attempt that runs in a worker, else None."""
        return QuantumCall(self.pool()) if self.in_worker(index) else None

    def is_remote(self, index: int) -> bool:
        """Whether task ``index`` runs on a cloud backend (its job is recorded first)."""
        r = self.routes.get(index)
        return r is not None and r.remote

    def execute(
        self,
        task: QuantumTask,
        handle: QuantumCall | None,
        *,
        inputs: Mapping[str, Any],
        params: Mapping[str, Any],
        key: tuple[int, int] | None = None,
    ) -> Any:
        """Run one attempt (in the worker ``handle`` was prepared for, or in-process);
        ``key`` is the attempt's ``(task index, attempt)``."""
        if handle is not None:
            return handle.pool.execute(task, inputs=inputs, params=params, token=handle)
        if key is not None and self.is_remote(key[0]):
            (out,) = self._remote([key], [task], [inputs], params)
            if isinstance(out, BaseException):
                raise out
            return out
        from ..backends import execute_quantum_task

        return execute_quantum_task(task, inputs=inputs, params=params)

    def _remote(
        self,
        keys: Sequence[tuple[int, int]],
        tasks: Sequence[QuantumTask],
        inputs: Sequence[Mapping[str, Any]],
        params: Mapping[str, Any],
    ) -> list[Any]:
        from ..backends.remote import run_remote

        with self._lock:  # a recorded job is re-attached once, by the first attempt
            attach = [self.reattach.pop(i, None) for i, _ in keys]

        def submitted(records: dict[int, dict[str, Any]]) -> None:
            if self.record_jobs is not None:
                self.record_jobs({keys[p][0]: (keys[p][1], rec) for p, rec in records.items()})

        return list(
            run_remote(
                tasks,
                inputs,
                params=params,
                mode=self.modes.get(tasks[0].backend),
                attach=attach,
                on_submit=submitted,
            )
        )

    def close(self) -> None:
        """End the run's provider contexts (IBM Batch/Session); errors are logged."""
        if not self.modes:
            return
        from ..backends import get_backend

        for name, mode in self.modes.items():
            try:
                close = getattr(get_backend(name), "close_mode", None)
                if close is not None:
                    close(mode.key)
            except Exception:
                log.warning("could not close the %s %s on %s", mode.kind, mode.key, name)

    def prepare_batch(self, index: int, members: int) -> BatchCall:
        """The handle of a batch whose tasks route like task ``index`` (one worker call)."""
        return BatchCall(self.pool() if self.in_worker(index) else None, members)

    def execute_batch(
        self,
        tasks: Sequence[QuantumTask],
        handle: BatchCall,
        *,
        inputs: Sequence[Mapping[str, Any]],
        params: Mapping[str, Any],
        keys: Sequence[tuple[int, int]],
    ) -> list[Any]:
        """Run a batch as one call; per task its output dict or its exception (raises only
        when the whole call failed, e.g. its worker died). ``keys``: the attempts."""
        if handle.pool is not None:
            out: list[Any] = handle.pool.execute_batch(
                tasks, inputs=inputs, params=params, token=handle
            )
            return out
        if self.is_remote(keys[0][0]):
            return self._remote(keys, tasks, inputs, params)
        from ..backends.batch import execute_quantum_batch

        return list(execute_quantum_batch(tasks, inputs, params=params))
