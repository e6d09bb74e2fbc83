"""Where a quantum attempt runs, and which backend slot it holds.

Local simulators run in warm per-SDK worker processes
(:mod:`quantumflow.executors.sdk_workers`): each SDK is imported once per worker, bundles
its own OpenMP runtime and holds the GIL while simulating, so keeping them out of the
engine's process (and apart from each other) is what keeps small circuits cheap. Cloud
backends and third-party plugins run in the engine's worker thread, which only waits on
the provider. ``QUANTUMFLOW_QUANTUM_WORKERS=0`` runs everything in-process.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import load_settings
from ..spec import QuantumTask


@dataclass(frozen=True)
class Route:
    """How one quantum task runs.

    Attributes:
        sdk: the SDK worker it runs in; None = in the engine's thread.
        slot: the backend slot it holds (a dispatcher resource), None = no backend limit.
        slots: how many tasks may hold ``slot`` at once unless ``policies.resources`` says.
    """

    sdk: str | None
    slot: str | None
    slots: int


def route(task: QuantumTask, *, workers_per_sdk: int) -> Route:
    """Where ``task`` runs: local simulators in SDK workers, cloud and plugins in-process.

    Local simulators hold one slot of ``sdk:<SDK>`` (as many as there are workers of that
    SDK); a cloud backend one slot of its own name (the provider's queue depth, e.g. 3 for
    IBM Quantum); a plugin the slots its ``capabilities().max_jobs`` says, if any.
    """
    registry = importlib.import_module("quantumflow.backends.registry")
    fam = registry.resolve_family(task.backend)
    if isinstance(fam, registry.Family):
        if fam.remote:
            return Route(None, task.backend, max(1, fam.jobs))
        if workers_per_sdk <= 0:
            return Route(None, None, 0)
        return Route(fam.sdk, f"sdk:{fam.sdk}", workers_per_sdk)
    try:  # plugins run in this process anyway; loading one here costs nothing extra
        jobs = getattr(registry.get_backend(task.backend).capabilities(), "max_jobs", None)
    except Exception:  # validation reported it; the attempt will fail with the reason
        jobs = None
    return Route(None, task.backend, int(jobs)) if jobs else Route(None, None, 0)


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


def plan_routes(tasks: Sequence[Any]) -> dict[int, Route]:
    """Per quantum task index, its :class:`Route` (``QUANTUMFLOW_QUANTUM_WORKERS`` read now)."""
    quantum = [(i, t) for i, t in enumerate(tasks) if isinstance(t, QuantumTask)]
    if not quantum:
        return {}
    per_sdk = load_settings().quantum_workers
    return {i: route(t, workers_per_sdk=per_sdk) for i, t in quantum}


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
            sdk_workers = importlib.import_module("quantumflow.executors.sdk_workers")
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
        backends = importlib.import_module("quantumflow.backends")
        return backends.execute_quantum_task(task, inputs=inputs, params=params)
