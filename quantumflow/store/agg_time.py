"""A run's time series for the big-run dashboard: tasks finished, money spent and worker
lanes' busy and queue seconds per time bucket.

The window runs from the run's start to its end, or to ``now`` while it runs, cut into at
most :data:`MAX_BUCKETS` round-width buckets (:func:`bucket_width`). The series are
counted over the run's frame (``run_frame.py``: its rows as arrays, refreshed from the
rows that changed); a finished run's answers are kept (``agg_cache.py``), a live run's
window moves with ``now``, so they are counted again each call (about a millisecond at
10^5 tasks). Tested with the other aggregates against a plain-Python reference
(``tests/store/test_aggregates.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from sqlalchemy.engine import Engine

from ..status import TASK_STATUSES
from .agg_cache import CachedReads, cached_read, runs_header
from .run_frame import AttemptFrame, Floats, Ints

#: Most time buckets a time series is cut into (the lanes' Gantt: LANE_BUCKETS).
MAX_BUCKETS = 240
LANE_BUCKETS = 120

T = TypeVar("T")


class _Window:
    """A run's time span cut into buckets: its start to its end, or to ``now``."""

    def __init__(self, q: CachedReads, run_id: str, now: float, buckets: int) -> None:
        row = q.first(
            f"SELECT started_at, finished_at FROM {runs_header(q.conn)} WHERE id = :r",  # noqa: S608
            {"r": run_id},
        )
        self.q = q
        self.start: float | None = None  # None before the run started
        self.t0 = 0.0
        self.final = row is not None and row[1] is not None
        self.width, self.n = 1.0, 0
        if row is not None and row[0] is not None:
            self.start = self.t0 = float(row[0])
            end = max(self.t0, float(row[1]) if row[1] is not None else now)
            self.width = bucket_width(end - self.t0, buckets)
            self.n = int((end - self.t0) // self.width) + 1

    def of(self, times: Floats) -> Ints:
        """The bucket of each time at or after the start; those past the last bucket (a live
        run whose workers' clocks run ahead of ``now``) in the last one."""
        b: Ints = np.minimum(np.floor((times - self.t0) / self.width), self.n - 1).astype(np.int64)
        return b

    def answer(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, kept when the window cannot move (the run has ended)."""
        if not self.final:
            return compute()
        return self.q.memo((key, self.start, self.width, self.n), compute)


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
        w = _Window(q, run_id, now, MAX_BUCKETS)
        if w.start is None:
            return {"start": None, "width": 1.0, "buckets": 0, "series": {}}

        def count() -> dict[str, list[int]]:
            frame = q.frame()
            done = frame.terminal() & (frame.finished >= w.t0)  # NaN compares false
            k, n = len(TASK_STATUSES), w.n
            grid = np.bincount(frame.status[done] * n + w.of(frame.finished[done]), minlength=k * n)
            rows = grid.reshape(k, n).tolist()
            return {TASK_STATUSES[s]: row for s, row in enumerate(rows) if any(row)}

        series = w.answer("throughput", count)
    return {"start": w.start, "width": w.width, "buckets": w.n, "series": series}


def cost_burn(engine: Engine, run_id: str, *, now: float) -> dict[str, Any]:
    """Money spent (USD) per time bucket and its running total, from ``cost_usd`` of each
    attempt by when it finished. Returns ``start``, ``width``, ``spent`` (per bucket),
    ``cumulative`` and ``total``."""
    with cached_read(engine, run_id) as q:
        w = _Window(q, run_id, now, MAX_BUCKETS)
        if w.start is None:
            return {"start": None, "width": 1.0, "spent": [], "cumulative": [], "total": 0.0}

        def add() -> list[float]:
            a = q.attempts()
            paid = ~np.isnan(a.cost) & (a.finished >= w.t0)
            spent = np.bincount(w.of(a.finished[paid]), weights=a.cost[paid], minlength=w.n)
            return [float(x) for x in spent.tolist()]

        spent = w.answer("cost", add)
    cumulative: list[float] = []
    total = 0.0
    for x in spent:
        total += x
        cumulative.append(total)
    return {
        "start": w.start,
        "width": w.width,
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
    with cached_read(engine, run_id) as q:
        w = _Window(q, run_id, now, LANE_BUCKETS)
        if w.start is None:
            return {"start": None, "width": 1.0, "buckets": 0, "lanes": [], "intervals": []}
        ordered = w.answer("lanes", lambda: _lane_buckets(q.attempts(), w))
        detail = None
        if q.attempts().size <= limit:
            detail = q.all(
                "SELECT COALESCE(pm.worker, ''), pm.task_id, tr.grp, pm.queued_at,"
                " pm.started_at, pm.finished_at, pm.status FROM performance_metrics pm"
                " LEFT JOIN task_runs tr ON tr.run_id = pm.run_id AND tr.task_id = pm.task_id"
                " WHERE pm.run_id = :r AND pm.started_at IS NOT NULL ORDER BY pm.started_at",
                {"r": run_id},
            )
    index = {e["lane"]: i for i, e in enumerate(ordered)}
    intervals = None
    if detail is not None:
        intervals = [
            [index.get(r[0], -1), r[1], r[2], r[3], r[4], r[5], r[6]]
            for r in detail
            if r[0] in index
        ]
    return {
        "start": w.start,
        "width": w.width,
        "buckets": w.n,
        "lanes": ordered,
        "intervals": intervals,
    }


def _lane_buckets(a: AttemptFrame, w: _Window) -> list[dict[str, Any]]:
    """Per lane (by name) that started an attempt in the window: attempts, busy seconds,
    and busy and queue seconds per bucket."""
    rows = np.flatnonzero(a.started >= w.t0)
    lane, started = a.lane[rows], a.started[rows]
    busy = np.nan_to_num(a.finished[rows] - started)  # an attempt without an end: none
    queued = a.queued[rows]
    wait = np.where(~np.isnan(queued) & (started > queued), started - queued, 0.0)
    cell = lane * w.n + w.of(started)
    size = len(a.lanes) * w.n
    attempts = np.bincount(lane, minlength=len(a.lanes)).tolist()
    run = np.bincount(cell, weights=busy, minlength=size).reshape(-1, w.n)
    queue = np.bincount(cell, weights=wait, minlength=size).reshape(-1, w.n)
    out = [
        {
            "lane": a.lanes[k],
            "attempts": attempts[k],
            "busy_s": float(run[k].sum()),
            "run": run[k].tolist(),
            "queue": queue[k].tolist(),
        }
        for k in range(len(a.lanes))
        if attempts[k]
    ]
    return sorted(out, key=lambda e: e["lane"])
