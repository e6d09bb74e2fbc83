"""Which execution mode a cloud backend's jobs of one run use (pure: nothing is started).

IBM Quantum groups jobs in a ``Batch`` (independent jobs the provider may schedule
together and in parallel) or a ``Session`` (the device is held between the jobs of an
iterative chain, so the next iteration does not wait in the queue again). The planner
looks at the graph: when one of a backend's tasks depends, directly or through other
tasks, on another of its tasks (a VQE or QAOA loop unrolled into a chain), that backend's
jobs go in a ``Session``; otherwise (a fan-out) in a ``Batch``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from ..spec import QuantumTask
from .routes import Route
from .validate import ValidatedWorkflow

Mode = Literal["batch", "session"]


def _chained(members: set[int], upstream: Sequence[Sequence[int]], order: Sequence[int]) -> bool:
    """Whether some member has another member among its ancestors."""
    below = [False] * len(upstream)  # some member is an ancestor of this task
    for v in order:
        below[v] = any(below[u] or u in members for u in upstream[v])
        if below[v] and v in members:
            return True
    return False


def runtime_modes(vw: ValidatedWorkflow, routes: Mapping[int, Route]) -> dict[str, Mode]:
    """Backend name -> the mode of its jobs, for backends that have modes (their adapter
    can open a Batch or a Session; built-in: ``qiskit.ibm``)."""
    if not routes:  # no quantum task (and no registry to load)
        return {}
    from ..backends import registry

    by_backend: dict[str, set[int]] = {}
    for i, task in enumerate(vw.spec.tasks):
        if isinstance(task, QuantumTask) and i in routes and registry.has_modes(task.backend):
            by_backend.setdefault(task.backend, set()).add(i)
    if not by_backend:
        return {}
    order = vw.dag.topological_order()
    return {
        name: ("session" if _chained(members, vw.upstream, order) else "batch")
        for name, members in by_backend.items()
    }
