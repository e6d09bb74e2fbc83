"""The run's batch groups: compatible quantum tasks (:mod:`quantumflow.graph.batching`) with
limits from the cost model (:mod:`quantumflow.cost.batching`), as the Rust dispatcher's
``batch_group``/``batch_max``/``batch_window_s``, and as the plan shows them.

The dispatcher decides at run time which ready tasks start together (a group's members that
are ready at once, up to its size, waiting at most its window for members about to become
ready); the plan only predicts how many batches a group needs if all its members are ready
together (a fan-out).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..cost.batching import batch_limit
from ..graph.batching import BatchKey, batch_keys
from ..graph.routes import Route
from ..spec import WorkflowSpec


@dataclass(frozen=True)
class BatchPlan:
    """Batch groups of one run.

    Attributes:
        group: per task, its group ``1..=G`` (0: runs alone).
        max_size: per group (index ``group - 1``), the most members in one batch.
        window_s: per group, how long a partial batch waits for imminent members.
        keys: per group, what its members share.
        members: per group, how many tasks it has.
    """

    group: list[int]
    max_size: list[int]
    window_s: list[float]
    keys: list[BatchKey]
    members: list[int]

    def describe(self) -> list[dict[str, Any]]:
        """The plan's ``batching`` entry: one item per group."""
        return [
            {
                "backend": k.backend,
                "shots": k.shots,
                "seeded": k.seeded,
                "tasks": n,
                "max_size": m,
                "window_ms": round(w * 1000, 3),
                "predicted_batches": math.ceil(n / m),
            }
            for k, n, m, w in zip(
                self.keys, self.members, self.max_size, self.window_s, strict=True
            )
        ]


def plan_batches(
    spec: WorkflowSpec,
    routes: Mapping[int, Route],
    resource: Sequence[int] | None,
    costs: Sequence[float],
    capacities: Sequence[int] | None = None,
) -> BatchPlan | None:
    """Group the batchable tasks (None when no group has two members). ``resource`` and
    ``capacities``: each task's slot and each slot's capacity (a group's batches run as
    many at once as its slot allows)."""
    keys = batch_keys(spec, routes, resource)
    index: dict[str, int] = {}
    found: list[BatchKey] = []
    members: list[list[int]] = []
    for i, key in enumerate(keys):
        if key is None:
            continue
        g = index.get(key.text)
        if g is None:
            g = index[key.text] = len(found)
            found.append(key)
            members.append([])
        members[g].append(i)
    kept = [(k, m) for k, m in zip(found, members, strict=True) if len(m) > 1]
    if not kept:
        return None  # a task alone in its group runs like any task
    found, members = [k for k, _ in kept], [m for _, m in kept]
    group = [0] * len(keys)
    max_size: list[int] = []
    window: list[float] = []
    pol = spec.policies
    for g, (key, tasks) in enumerate(zip(found, members, strict=True)):
        for t in tasks:
            group[t] = g + 1
        size, wait = batch_limit(
            [costs[t] for t in tasks],
            remote=key.remote,
            window_ms=pol.batch_window_ms,
            max_size=pol.batch_max_size,
            workers=_concurrent(tasks[0], routes, resource, capacities),
        )
        max_size.append(size)
        window.append(wait)
    return BatchPlan(group, max_size, window, found, [len(m) for m in members])


def _concurrent(
    task: int,
    routes: Mapping[int, Route],
    resource: Sequence[int] | None,
    capacities: Sequence[int] | None,
) -> int:
    """How many batches of ``task``'s group can run at once: its slot's capacity (the
    SDK's worker processes unless ``policies.resources`` says otherwise)."""
    if resource is not None and capacities is not None and resource[task] > 0:
        return max(1, capacities[resource[task]])
    r = routes.get(task)
    return max(1, r.slots) if r is not None else 1
