"""Where each quantum task runs and which backend slot it holds (pure: nothing is started).

Local simulators run in warm per-SDK worker processes (:mod:`quantumflow.executors.sdk_workers`):
each SDK is imported once per worker, bundles its own OpenMP runtime and holds the GIL while
simulating, so keeping them out of the engine's process (and apart from each other) is what
keeps small circuits cheap. Cloud backends and third-party plugins run in the engine's worker
thread, which only waits on the provider. ``QUANTUMFLOW_QUANTUM_WORKERS=0`` runs everything
in-process. The engine (:mod:`quantumflow.engine.quantum`) carries the routes out; the cost
estimator plans with the same routes.
"""

from __future__ import annotations

from collections.abc import Sequence
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
        remote: a cloud backend: its jobs wait in the provider's queue (the engine records
            their ids before waiting, so ``resume`` can re-attach).
    """

    sdk: str | None
    slot: str | None
    slots: int
    remote: bool = False


def route(task: QuantumTask, *, workers_per_sdk: int) -> Route:
    """Where ``task`` runs: local simulators (and local plugins that declare an ``sdk``) in
    SDK workers; cloud backends and other plugins in-process.

    Local simulators hold one slot of ``sdk:<SDK>`` (as many as there are workers of that
    SDK); a cloud backend one slot of its own name (the provider's queue depth, e.g. 3 for
    IBM Quantum); a plugin the slots its ``capabilities().max_jobs`` says, if any.
    """
    from ..backends import registry  # importlib.metadata: only when there are quantum tasks

    fam = registry.resolve_family(task.backend)
    if isinstance(fam, registry.Family) and fam.remote:
        return Route(None, task.backend, max(1, fam.jobs), remote=True)
    sdk = registry.local_sdk(task.backend)  # a local simulator's, or a plugin's own SDK
    if sdk is not None:
        if workers_per_sdk <= 0:
            return Route(None, None, 0)
        return Route(sdk, f"sdk:{sdk}", workers_per_sdk)
    try:  # plugins run in this process anyway; loading one here costs nothing extra
        caps = registry.get_backend(task.backend).capabilities()
        jobs = getattr(caps, "max_jobs", None)
        remote = bool(getattr(caps, "remote", False))
    except Exception:  # validation reported it; the attempt will fail with the reason
        jobs, remote = None, False
    if jobs:
        return Route(None, task.backend, int(jobs), remote=remote)
    return Route(None, None, 0, remote=remote)


def plan_routes(tasks: Sequence[Any]) -> dict[int, Route]:
    """Per quantum task index, its :class:`Route` (``QUANTUMFLOW_QUANTUM_WORKERS`` read now)."""
    quantum = [(i, t) for i, t in enumerate(tasks) if isinstance(t, QuantumTask)]
    if not quantum:
        return {}
    per_sdk = load_settings().quantum_workers
    return {i: route(t, workers_per_sdk=per_sdk) for i, t in quantum}
