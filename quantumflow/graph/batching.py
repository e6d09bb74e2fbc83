"""Which quantum tasks may share one native SDK call (pure: nothing is started).

Tasks are compatible when one native call can carry them all with the results each would
get alone: the same backend and backend slot, the same shots, noise and transpile options,
and the same seed policy (seeded or not). :func:`batch_keys` gives each batchable task a key;
equal keys form a batch group. A task is left out when ``batch: false`` (or
``policies.batching: false`` and no ``batch: true``), when it runs in no SDK worker and on no
batching backend, or when it is classical. The engine turns groups into the Rust
dispatcher's batch groups, with limits from the cost model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..spec import QuantumTask, WorkflowSpec
from .routes import Route


@dataclass(frozen=True)
class BatchKey:
    """What makes tasks compatible, and what the limits depend on.

    Attributes:
        text: equal texts may share a call.
        backend: the backend's name.
        remote: a cloud backend (jobs queue at the provider).
        shots: the tasks' shot count.
        seeded: the tasks set a seed.
    """

    text: str
    backend: str
    remote: bool
    shots: int | None
    seeded: bool


def batch_keys(
    spec: WorkflowSpec, routes: Mapping[int, Route], resource: Sequence[int] | None
) -> list[BatchKey | None]:
    """Per task, its :class:`BatchKey`, or None when it always runs alone.

    Args:
        spec: the workflow.
        routes: per quantum task index, its route (SDK worker or in-process, slot).
        resource: per task, its dispatcher resource (None: no limits); members of one
            group must hold the same one.
    """
    if not routes:  # no quantum task: nothing to batch (and no registry to load)
        return [None] * len(spec.tasks)
    from ..backends import registry

    default = spec.policies.batching
    out: list[BatchKey | None] = []
    for i, task in enumerate(spec.tasks):
        route = routes.get(i)
        wanted = task.batch if isinstance(task, QuantumTask) and task.batch is not None else default
        if not isinstance(task, QuantumTask) or not wanted or route is None:
            out.append(None)
            continue
        if not registry.batches(task.backend):
            out.append(None)  # cirq.google, or a plugin without run_batch
            continue
        remote = route.sdk is None and route.slot is not None  # waits in a provider's queue
        text = json.dumps(
            [task.backend, resource[i] if resource else 0, task.shots, task.seed is None,
             task.noise, task.transpile],
            sort_keys=True, default=str,
        )  # fmt: skip
        out.append(BatchKey(text, task.backend, remote, task.shots, task.seed is not None))
    return out
