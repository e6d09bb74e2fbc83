"""Where a run's time went: makespan, the critical path actually taken, utilisation.

Read back from the ``performance_metrics`` rows the engine wrote with each attempt
(:mod:`quantumflow.engine.metrics`): ``quantumflow perf``, ``GET /api/runs/{id}/plan``
and :func:`quantumflow.cost.compare.plan_vs_actual` show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..spec import WorkflowSpec, upstream_of

if TYPE_CHECKING:
    from ..store.records import RunRecord
    from ..store.store import Store


def run_summary(store: Store, run_id: str) -> dict[str, Any]:
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


def summarise(record: RunRecord, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """:func:`run_summary` from a ``RunRecord`` and its ``performance_metrics`` rows."""
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


def _task(spec: WorkflowSpec, task_id: str) -> Any:
    try:
        return spec.task(task_id)
    except KeyError:
        return None


def _critical_path(spec: WorkflowSpec, spans: Mapping[str, tuple[float, float]]) -> list[str]:
    """Walk back from the last task to finish through the upstream task that finished last:
    the chain of waits that actually set the makespan."""
    if not spans:
        return []
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
