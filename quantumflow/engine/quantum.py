"""Quantum attempts along their planned routes (:mod:`quantumflow.graph.routes`): in a warm
SDK worker process (abortable), or in the engine's thread for cloud backends and plugins.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from ..graph.routes import Route
from ..spec import QuantumTask


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


class QuantumRunner:
    """Runs the quantum attempts of one run along the routes planned for it."""

    def __init__(self, routes: Mapping[int, Route]) -> None:
        self.routes = dict(routes)
        # SDK routes hold one slot per worker of their SDK
        self.workers_per_sdk = max((r.slots for r in self.routes.values() if r.sdk), default=1)
        self._pool: Any = None

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

    def execute(
        self,
        task: QuantumTask,
        handle: QuantumCall | None,
        *,
        inputs: Mapping[str, Any],
        params: Mapping[str, Any],
    ) -> Any:
        """Run one attempt (in the worker ``handle`` was prepared for, or in-process)."""
        if handle is not None:
            return handle.pool.execute(task, inputs=inputs, params=params, token=handle)
        from ..backends import execute_quantum_task

        return execute_quantum_task(task, inputs=inputs, params=params)

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
    ) -> list[Any]:
        """Run a batch as one call; per task its output dict or its exception (raises only
        when the whole call failed, e.g. its worker died)."""
        if handle.pool is not None:
            out: list[Any] = handle.pool.execute_batch(
                tasks, inputs=inputs, params=params, token=handle
            )
            return out
        from ..backends.batch import execute_quantum_batch

        return list(execute_quantum_batch(tasks, inputs, params=params))
