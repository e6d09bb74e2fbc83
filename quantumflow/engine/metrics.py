"""The metrics of one finished attempt, handed to the store with its final event.

:func:`attempt_metrics` completes the engine's timing (queued/started, wall and CPU seconds)
with the worker's peak memory, the classical ``fn``, and for quantum tasks the fields the
backends put in their result metadata: backend, qubits, depth and gate counts
before/after transpilation, shots, sweep size, the transpile/queue/execute split, the remote
job id and the money spent. The engine hands the dict to the store with the attempt's final
event (``TaskEvent.metrics``), so it rides the store's batched writes: no extra transaction
per task. Where a run's time went is read back by :func:`quantumflow.cost.report.run_summary`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..cost.prices import spent_usd
from ..executors.measure import peak_rss_bytes, worker_name


def attempt_metrics(
    task: Any, value: Any, base: dict[str, Any], *, local: bool, cached: bool = False
) -> dict[str, Any]:
    """Complete the engine's ``base`` metrics of one finished attempt (in place).

    Args:
        task: the spec task.
        value: its output (None when the attempt failed).
        base: ``started_at``, ``wall_s``, ``cpu_s`` (and ``queued_at``) from the engine.
        local: the attempt ran in this process (peak memory and worker are then known).
        cached: the output came from the result cache (nothing was spent).
    """
    if local:
        base["peak_mem_bytes"] = peak_rss_bytes()
        base["worker"] = worker_name()
    objective = objective_of(value)
    if objective is not None:
        base["value"] = objective
    if task.kind == "classical":
        base["fn"] = task.fn  # lands in ``extra``; the estimator's history is keyed by it
        return base
    base["backend"] = task.backend
    base["shots"] = task.shots
    meta = value.get("metadata") if isinstance(value, Mapping) else None
    if isinstance(meta, Mapping):
        base.update(quantum_fields(meta))
    sweep = value.get("sweep") if isinstance(value, Mapping) else None
    points = len(sweep.get("points", ())) if isinstance(sweep, Mapping) else 1
    base["sweep_size"] = max(1, points)
    base["cost_usd"] = 0.0 if cached else spent_usd(task.backend, base)
    return base


#: Keys of a dict output read as its objective, in this order.
OBJECTIVE_KEYS = ("objective", "value", "energy", "loss", "cost", "fun", "expectation")


def _finite(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if not isinstance(value, int | float):
        item = getattr(value, "item", None)  # a numpy scalar
        if not callable(item) or getattr(value, "shape", None) != ():
            return None
        value = item()
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
    f = float(value)
    return f if math.isfinite(f) else None


def objective_of(value: Any) -> float | None:
    """The one number a sweep plot shows for an output (``performance_metrics.value``).

    A finite number itself; for a dict, the first of :data:`OBJECTIVE_KEYS` that holds a
    number, else its ``expectations`` when they hold exactly one number; None otherwise.
    """
    direct = _finite(value)
    if direct is not None or not isinstance(value, Mapping):
        return direct
    for key in OBJECTIVE_KEYS:
        found = _finite(value.get(key))
        if found is not None:
            return found
    expectations = value.get("expectations")
    if isinstance(expectations, Mapping) and len(expectations) == 1:
        return _finite(next(iter(expectations.values())))
    return None


def quantum_fields(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The metrics columns a backend's result metadata fills."""
    out: dict[str, Any] = {}
    for key in ("qubits", "depth", "job_id"):
        if meta.get(key) is not None:
            out[key] = meta[key]
    if isinstance(meta.get("gates"), Mapping):
        out["gates_before"] = dict(meta["gates"])
    transpiled = meta.get("transpiled")
    if isinstance(transpiled, Mapping):
        if isinstance(transpiled.get("gates"), Mapping):
            out["gates_after"] = dict(transpiled["gates"])
        if transpiled.get("depth") is not None:
            out["depth_after"] = transpiled["depth"]
    timings = meta.get("timings")
    if isinstance(timings, Mapping):
        for part in ("transpile", "queue", "execute"):
            if isinstance(timings.get(part), int | float):
                out[f"{part}_s"] = float(timings[part])
    return out
