"""A run's time series for the big-run dashboard: tasks finished, money spent and worker
lanes' busy and queue seconds per time bucket, aggregated by the database.

The window runs from the run's start to its end, or to ``now`` while it runs, cut into at
most :data:`MAX_BUCKETS` round-width buckets (:func:`bucket_width`); answers are kept per
run version like every aggregate (``agg_cache.py``). Tested with the other aggregates
against a plain-Python reference (``tests/store/test_aggregates.py``).
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.engine import Connection, Engine

from ..status import TASK_TERMINAL
from .agg_cache import CachedReads, cached_read, runs_header

#: Most time buckets a time series is cut into (the lanes' Gantt: LANE_BUCKETS).
MAX_BUCKETS = 240
LANE_BUCKETS = 120
_IN_TERMINAL = ", ".join(f"'{s}'" for s in sorted(TASK_TERMINAL))  # fixed names, not input


def floor_sql(conn: Connection, expr: str) -> str:
    """SQL for ``floor(expr)`` of a non-negative ``expr`` (SQLite: CAST truncates; PostgreSQL's
    CAST rounds, so FLOOR there)."""
    if conn.dialect.name == "sqlite":
        return f"CAST(({expr}) AS INTEGER)"
    return f"CAST(FLOOR({expr}) AS BIGINT)"


def _time_bucket(conn: Connection, expr: str) -> str:
    """SQL for the time bucket ``floor(expr)``, those past ``:cap`` (the most buckets a
    window is cut into, so never before its last) counted in ``:cap``: a live run whose
    workers' clocks run ahead of ``now`` still answers at most ``cap`` rows per series.
    A constant, not the window's last bucket, which moves with ``now`` and would make
    every call of a live run a new query to the cache."""
    least = "MIN" if conn.dialect.name == "sqlite" else "LEAST"
    return f"{least}({floor_sql(conn, expr)}, :cap)"


def _window(q: CachedReads, run_id: str, now: float) -> tuple[float | None, float]:
    """The run's time span: its start (None before it started) to its end, or ``now``."""
    row = q.first(
        f"SELECT started_at, finished_at FROM {runs_header(q.conn)} WHERE id = :r",  # noqa: S608
        {"r": run_id},
    )
    if row is None or row[0] is None:
        return None, now
    start, end = float(row[0]), row[1]
    return start, max(start, float(end) if end is not None else now)


def bucket_width(span: float, buckets: int = MAX_BUCKETS) -> float:
    """A round bucket width (1, 2 or 5 times a power of ten seconds) that cuts ``span`` into
    at most ``buckets`` buckets."""
    raw = max(span, 1e-3) / max(1, buckets)
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if step * power >= raw:
            return float(step * power)
    return float(10 * power)


def throughput(engine: Engine, run_id: str, *, now: float) -> dict[str, Any]:
    """Tasks finished per time bucket and status, from the run's start.

    Returns ``start`` (epoch seconds), ``width`` (seconds per bucket), ``buckets`` (count)
    and ``series``: status -> tasks finished in each bucket.
    """
    with cached_read(engine, run_id) as q:
        start, end = _window(q, run_id, now)
        if start is None:
            return {"start": None, "width": 1.0, "buckets": 0, "series": {}}
        width = bucket_width(end - start)
        n = int((end - start) // width) + 1
        b = _time_bucket(q.conn, "(finished_at - :t0) / :w")
        rows = q.all(
            f"SELECT {b} AS b, status, COUNT(*) FROM task_runs"  # noqa: S608 - fixed SQL
            f" WHERE run_id = :r AND finished_at IS NOT NULL AND finished_at >= :t0"
            f" AND status IN ({_IN_TERMINAL}) GROUP BY b, status",
            {"r": run_id, "t0": start, "w": width, "cap": MAX_BUCKETS},
        )
    series: dict[str, list[int]] = {}
    for bucket, status, count in rows:
        i = min(int(bucket), n - 1)
        series.setdefault(str(status), [0] * n)[i] += int(count)
    return {"start": start, "width": width, "buckets": n, "series": series}


def cost_burn(engine: Engine, run_id: str, *, now: float) -> dict[str, Any]:
    """Money spent (USD) per time bucket and its running total, from ``cost_usd`` of each
    attempt by when it finished. Returns ``start``, ``width``, ``spent`` (per bucket),
    ``cumulative`` and ``total``."""
    with cached_read(engine, run_id) as q:
        start, end = _window(q, run_id, now)
        if start is None:
            return {"start": None, "width": 1.0, "spent": [], "cumulative": [], "total": 0.0}
        width = bucket_width(end - start)
        n = int((end - start) // width) + 1
        b = _time_bucket(q.conn, "(finished_at - :t0) / :w")
        rows = q.all(
            f"SELECT {b} AS b, SUM(cost_usd) FROM performance_metrics"  # noqa: S608
            f" WHERE run_id = :r AND cost_usd IS NOT NULL AND finished_at IS NOT NULL"
            f" AND finished_at >= :t0 GROUP BY b",
            {"r": run_id, "t0": start, "w": width, "cap": MAX_BUCKETS},
        )
    spent = [0.0] * n
    for bucket, usd in rows:
        spent[min(int(bucket), n - 1)] += float(usd or 0.0)
    cumulative: list[float] = []
    total = 0.0
    for s in spent:
        total += s
        cumulative.append(total)
    return {
        "start": start,
        "width": width,
        "spent": spent,
        "cumulative": cumulative,
        "total": total,
    }


def lanes(engine: Engine, run_id: str, *, now: float, limit: int = 2000) -> dict[str, Any]:
    """Which worker lane ran what: per lane, attempts, busy seconds and, per time bucket,
    busy seconds and queue seconds (each attempt counted in the bucket it started in);
    with at most ``limit`` attempts in the run, each attempt's interval too.

    Returns ``start``, ``width``, ``buckets``, ``lanes`` (``lane``, ``attempts``, ``busy_s``,
    ``run`` and ``queue`` per bucket) and ``intervals`` (``[lane index, task, group,
    queued_at, started_at, finished_at, status]``, or null past ``limit``).
    """
    lane = "COALESCE(worker, '')"
    with cached_read(engine, run_id) as q:
        start, end = _window(q, run_id, now)
        if start is None:
            return {"start": start, "width": 1.0, "buckets": 0, "lanes": [], "intervals": []}
        width = bucket_width(end - start, LANE_BUCKETS)
        n = int((end - start) // width) + 1
        b = _time_bucket(q.conn, "(started_at - :t0) / :w")
        rows = q.all(
            f"SELECT {lane} AS lane, {b} AS b, COUNT(*), SUM(finished_at - started_at),"  # noqa: S608
            f" SUM(CASE WHEN queued_at IS NOT NULL AND started_at > queued_at"
            f" THEN started_at - queued_at ELSE 0 END)"
            f" FROM performance_metrics WHERE run_id = :r AND started_at IS NOT NULL"
            f" AND started_at >= :t0 GROUP BY lane, b",
            {"r": run_id, "t0": start, "w": width, "cap": LANE_BUCKETS},
        )
        attempts = q.scalar(
            "SELECT COUNT(*) FROM performance_metrics WHERE run_id = :r", {"r": run_id}
        )
        detail = None
        if attempts <= limit:
            detail = q.all(
                f"SELECT {lane}, pm.task_id, tr.grp, pm.queued_at, pm.started_at,"  # noqa: S608
                " pm.finished_at, pm.status FROM performance_metrics pm"
                " LEFT JOIN task_runs tr ON tr.run_id = pm.run_id AND tr.task_id = pm.task_id"
                " WHERE pm.run_id = :r AND pm.started_at IS NOT NULL ORDER BY pm.started_at",
                {"r": run_id},
            )
    by_lane: dict[str, dict[str, Any]] = {}
    for name, bucket, count, busy, queue in rows:
        entry = by_lane.setdefault(
            name, {"lane": name, "attempts": 0, "busy_s": 0.0, "run": [0.0] * n, "queue": [0.0] * n}
        )
        i = min(int(bucket), n - 1)
        entry["attempts"] += int(count)
        entry["busy_s"] += float(busy or 0.0)
        entry["run"][i] += float(busy or 0.0)
        entry["queue"][i] += float(queue or 0.0)
    ordered = sorted(by_lane.values(), key=lambda e: e["lane"])
    index = {e["lane"]: i for i, e in enumerate(ordered)}
    intervals = None
    if detail is not None:
        intervals = [
            [index.get(r[0], -1), r[1], r[2], r[3], r[4], r[5], r[6]]
            for r in detail
            if r[0] in index
        ]
    return {"start": start, "width": width, "buckets": n, "lanes": ordered, "intervals": intervals}
