"""What earlier runs teach the estimator: measured seconds from ``performance_metrics``.

A :class:`History` is a snapshot of the newest successful, non-cached attempts: quantum
rows keyed by backend (with their circuit features), classical rows keyed by ``fn`` and by
``(fn, task id)``. Snapshots are cached per store; when new rows appear (one ``max(id)``
query) only those rows are read and merged with the cached ones, so a run no longer pays
for re-reading and decoding the whole window (that cost ~70 ms per run once the table held
5,000 rows: most of a 500-task chain's time).
"""

from __future__ import annotations

import statistics
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from .features import CircuitFeatures, row_features

#: Newest rows read per snapshot.
LIMIT = 5000
#: Rows per key kept (the newest).
PER_KEY = 50


@dataclass
class History:
    """Measured seconds of earlier attempts."""

    quantum: dict[str, list[tuple[CircuitFeatures, float]]] = field(default_factory=dict)
    by_fn: dict[str, list[float]] = field(default_factory=dict)
    by_task: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    def classical_seconds(self, fn: str, task_id: str) -> float | None:
        """Median seconds of the same ``fn`` (same task id first), or None if never run."""
        rows = self.by_task.get((fn, task_id)) or self.by_fn.get(fn)
        return statistics.median(rows) if rows else None


_cache: dict[str, tuple[int, list[dict[str, Any]], History]] = {}
_lock = threading.Lock()


def load_history(store: Any) -> History:
    """The history in ``store`` (cached; refreshed with the rows written since)."""
    from ..store.tables import performance_metrics as pm

    with store.engine.connect() as conn:
        newest = conn.execute(sa.select(sa.func.max(pm.c.id))).scalar() or 0
        with _lock:
            hit = _cache.get(store.url)
        if hit is not None and hit[0] == newest:
            return hit[2]
        # rows newer than the snapshot only; a smaller max(id) means rows were deleted
        since = hit[0] if hit is not None and hit[0] < newest else 0
        query = (
            sa.select(
                pm.c.task_id,
                pm.c.backend,
                pm.c.qubits,
                pm.c.gates_before,
                pm.c.shots,
                pm.c.sweep_size,
                pm.c.wall_s,
                pm.c.extra,
            )
            .where(
                pm.c.id > since,
                pm.c.status == "succeeded",
                pm.c.cache_hit.is_(False),
                pm.c.wall_s.is_not(None),
            )
            .order_by(pm.c.id.desc())
            .limit(LIMIT)
        )
        fresh = [dict(r._mapping) for r in conn.execute(query)]
    rows = (fresh + hit[1])[:LIMIT] if since and hit is not None else fresh
    history = _build(rows)
    with _lock:
        _cache[store.url] = (newest, rows, history)
    return history


def _build(rows: list[dict[str, Any]]) -> History:
    quantum: dict[str, list[tuple[CircuitFeatures, float]]] = defaultdict(list)
    by_fn: dict[str, list[float]] = defaultdict(list)
    by_task: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in rows:  # newest first
        wall = float(row["wall_s"])
        extra = row.get("extra") if isinstance(row.get("extra"), dict) else {}
        if row["backend"]:
            feats = row_features(row)
            if feats is not None and len(quantum[row["backend"]]) < LIMIT // 4:
                quantum[row["backend"]].append((feats, wall))
            continue
        fn = extra.get("fn") if extra else None
        if not isinstance(fn, str):
            continue
        if len(by_fn[fn]) < PER_KEY:
            by_fn[fn].append(wall)
        key = (fn, str(row["task_id"]))
        if len(by_task[key]) < PER_KEY:
            by_task[key].append(wall)
    return History(dict(quantum), dict(by_fn), dict(by_task))


def forget(store: Any) -> None:
    """Drop the cached snapshot of ``store`` (tests, after deleting rows)."""
    with _lock:
        _cache.pop(store.url, None)
