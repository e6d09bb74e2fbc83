"""Big runs for the view benchmarks, written into a real store through its writer.

Running 100,000 real tasks to measure a chart would measure the engine instead; these runs
go through the same ``Store.create_run`` / ``Store.record`` path the engine uses (the
writer process, group commits, ``task_runs`` + ``events`` + ``performance_metrics``), with
timings, lanes, values and costs drawn from a seeded generator.

Two shapes, as in issue 18: ``sweep`` (prepare -> N points -> collect) and ``layered``
(L layers of W tasks, each depending on two tasks of the layer before).
"""

from __future__ import annotations

import random
import time
from typing import Any

from quantumflow.store.records import TaskEvent
from quantumflow.store.store import Store


def sweep_spec(n: int, name: str = "sweep") -> dict[str, Any]:
    """prepare -> point_0 .. point_{n-3} -> collect (``n`` tasks in all)."""
    points = max(1, n - 2)
    tasks: list[dict[str, Any]] = [
        {"id": "prepare", "kind": "classical", "fn": "constant", "inputs": {"value": 0}}
    ]
    tasks += [
        {
            "id": f"point_{i}",
            "kind": "classical",
            "fn": "constant",
            "inputs": {"value": i, "theta": round(i / points * 3.14159, 6)},
            "depends_on": ["prepare"],
        }
        for i in range(points)
    ]
    tasks.append(
        {
            "id": "collect",
            "kind": "classical",
            "fn": "constant",
            "inputs": {"value": 1},
            "depends_on": [f"point_{i}" for i in range(points)],
        }
    )
    return {"name": name, "policies": {"max_concurrency": 8}, "tasks": tasks}


def layered_spec(n: int, width: int = 1000, name: str = "layered") -> dict[str, Any]:
    """``n // width`` layers of ``width`` tasks ``L{l}_q{i}``; each depends on two tasks
    of the layer before."""
    layers = max(1, n // width)
    tasks: list[dict[str, Any]] = []
    for layer in range(layers):
        for i in range(width):
            deps = (
                []
                if layer == 0
                else sorted({f"L{layer - 1}_q{i}", f"L{layer - 1}_q{(i * 7 + 3) % width}"})
            )
            tasks.append(
                {
                    "id": f"L{layer}_q{i}",
                    "kind": "classical",
                    "fn": "constant",
                    "inputs": {"value": i},
                    "depends_on": deps,
                }
            )
    return {"name": name, "policies": {"max_concurrency": 8}, "tasks": tasks}


def fake_run(
    store: Store,
    spec: dict[str, Any],
    *,
    seed: int = 0,
    lanes: int = 8,
    finished: float = 1.0,
    fail_rate: float = 0.01,
) -> str:
    """A run of ``spec`` whose first ``finished`` fraction of tasks ran (queued, running,
    then succeeded or failed) on ``lanes`` workers; the rest stay pending. Returns its id."""
    rnd = random.Random(seed)
    ids = [t["id"] for t in spec["tasks"]]
    run_id = store.create_run(spec=spec, task_ids=ids)
    t0 = time.time()
    store.start_run(run_id, {"policy": "heft", "workers": lanes})  # started_at: now
    free = [t0 + 0.01] * lanes
    done = int(len(ids) * finished)
    batch: list[TaskEvent] = []
    for i, tid in enumerate(ids[:done]):
        lane = min(range(lanes), key=free.__getitem__)
        queued = free[lane] - rnd.random() * 0.05
        start = free[lane]
        dur = rnd.lognormvariate(-3.0, 1.2)
        end = start + dur
        free[lane] = end
        ok = rnd.random() >= fail_rate
        status = "succeeded" if ok else "failed"
        metrics: dict[str, Any] = {
            "started_at": start,
            "queued_at": queued,
            "wall_s": dur,
            "worker": f"lane-{lane}",
            "cost_usd": round(dur * 0.01, 6),
        }
        if ok:
            metrics["value"] = -1.0 + (i % 97) / 50.0 + rnd.gauss(0, 0.05)
        batch += [
            TaskEvent(run_id, tid, "queued", 1, queued),
            TaskEvent(run_id, tid, "running", 1, start),
            TaskEvent(run_id, tid, status, 1, end, None if ok else "boom", None, False, metrics),
        ]
        if len(batch) >= 6000:
            store.record(batch)
            batch = []
    store.record(batch)
    store.flush()
    if done == len(ids):
        store.finish_run(run_id, "succeeded")
    return run_id
