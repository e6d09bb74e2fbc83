"""The performance monitor: how every task attempt ran, and where a run's time went.

Per attempt, :func:`attempt_metrics` completes the engine's timing (queued/started, wall
and CPU seconds) with the worker's peak memory, the classical ``fn``, and for quantum
tasks the fields the backends put in their result metadata: backend, qubits, depth and
gate counts before/after transpilation, shots, sweep size, the transpile/queue/execute
split, the remote job id and the money spent. The engine hands the dict to the store with
the attempt's final event (``TaskEvent.metrics``), so it rides the store's batched writes:
no extra transaction per task.

Per run, :func:`run_summary` reads those rows back: makespan, the critical path actually
taken, and utilisation per resource.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Mapping
from typing import Any

_WORKER = f"{socket.gethostname()[:200]}:{os.getpid()}"


def worker_name() -> str:
    """``host:pid`` of this process, as recorded in the ``worker`` metric."""
    return _WORKER


def peak_rss_bytes() -> int | None:
    """Peak resident memory of this process so far (None where not measurable)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)  # macOS: bytes; Linux: KiB


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
        base["worker"] = _WORKER
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


def spent_usd(backend: str, metrics: Mapping[str, Any]) -> float:
    """Money one attempt cost, from the price tables (0 for local and fake backends)."""
    from .cost.prices import price_for

    price = price_for(backend)
    if price is None:
        return 0.0
    shots, points = int(metrics.get("shots") or 0), int(metrics.get("sweep_size") or 1)
    qpu_s = metrics.get("execute_s")
    if not isinstance(qpu_s, int | float) or qpu_s <= 0:
        qpu_s = price.qpu_seconds(shots=shots, points=points)
    return round(price.usd(shots=shots, points=points, qpu_seconds=float(qpu_s)), 6)


def run_summary(store: Any, run_id: str) -> dict[str, Any]:
    """Where a run's time went: makespan, critical path taken, utilisation per resource.

    Returns:
        ``makespan_s``, ``critical_path`` (task ids, in order), ``critical_path_s``,
        ``busy_s`` (sum of attempt wall time), ``cpu_s``, ``cost_usd``, ``retries``,
        ``cache_hits``, ``resources`` (name -> ``{busy_s, tasks, peak_parallel,
        utilisation}``) and ``lanes`` (``max_concurrency``, ``utilisation``).

    Raises:
        RunNotFoundError: no such run.
    """
    return summarise(store.get_run(run_id), store.task_metrics(run_id=run_id))


def summarise(record: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """:func:`run_summary` from a ``RunRecord`` and its ``performance_metrics`` rows."""
    from .spec import WorkflowSpec

    spec = WorkflowSpec.parse(record.spec)
    spans = {
        tid: (t.started_at, t.finished_at)
        for tid, t in record.tasks.items()
        if t.started_at is not None and t.finished_at is not None and t.status != "skipped"
    }
    start = record.started_at or min((s for s, _ in spans.values()), default=None)
    end = record.finished_at or max((f for _, f in spans.values()), default=None)
    makespan = (end - start) if start is not None and end is not None else 0.0
    path = _critical_path(spec, spans)
    resources: dict[str, dict[str, Any]] = {}
    intervals: dict[str, list[tuple[float, float]]] = {}
    for row in rows:
        if row.get("started_at") is None or row.get("finished_at") is None:
            continue
        task = _task(spec, row["task_id"])
        names = [task.backend if task is not None and task.kind == "quantum" else "classical"]
        names += list(task.resources) if task is not None else []
        for name in names:
            intervals.setdefault(name, []).append((row["started_at"], row["finished_at"]))
    for name, spans_r in intervals.items():
        busy = sum(f - s for s, f in spans_r)
        peak = _peak_parallel(spans_r)
        resources[name] = {
            "busy_s": busy,
            "tasks": len(spans_r),
            "peak_parallel": peak,
            "utilisation": busy / (makespan * peak) if makespan > 0 and peak else None,
        }
    busy_total = sum(float(r.get("wall_s") or 0.0) for r in rows)
    lanes = max(1, min(spec.policies.max_concurrency, len(spec.tasks) or 1))
    return {
        "run_id": record.id,
        "status": record.status,
        "makespan_s": makespan,
        "critical_path": path,
        "critical_path_s": sum(spans[t][1] - spans[t][0] for t in path),
        "busy_s": busy_total,
        "cpu_s": sum(float(r.get("cpu_s") or 0.0) for r in rows),
        "cost_usd": sum(float(r.get("cost_usd") or 0.0) for r in rows),
        "retries": sum(1 for r in rows if r.get("status") == "retrying"),
        "cache_hits": sum(1 for r in rows if r.get("cache_hit")),
        "resources": resources,
        "lanes": {
            "max_concurrency": lanes,
            "utilisation": busy_total / (makespan * lanes) if makespan > 0 else None,
        },
    }


def _task(spec: Any, task_id: str) -> Any:
    try:
        return spec.task(task_id)
    except KeyError:
        return None


def _critical_path(spec: Any, spans: Mapping[str, tuple[float, float]]) -> list[str]:
    """Walk back from the last task to finish through the upstream task that finished last:
    the chain of waits that actually set the makespan."""
    if not spans:
        return []
    from .spec import upstream_of

    ups = {t.id: upstream_of(t) for t in spec.tasks}
    current: str | None = max(spans, key=lambda t: spans[t][1])
    path: list[str] = []
    while current is not None:
        path.append(current)
        done = [u for u in ups.get(current, []) if u in spans]
        current = max(done, key=lambda u: spans[u][1]) if done else None
    return path[::-1]


def _peak_parallel(spans: list[tuple[float, float]]) -> int:
    edges = sorted([(s, 1) for s, _ in spans] + [(f, -1) for _, f in spans])
    peak = level = 0
    for _, step in edges:
        level += step
        peak = max(peak, level)
    return peak
