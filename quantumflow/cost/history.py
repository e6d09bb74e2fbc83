"""What earlier runs teach the estimator: measured seconds from ``performance_metrics``.

A :class:`History` is a snapshot of the newest successful, non-cached attempts: quantum
rows keyed by backend (with their circuit features), classical rows keyed by ``fn`` and by
``(fn, task id)``. Snapshots are cached per store and rebuilt when new rows appear (one
``max(id)`` query), so planning a big workflow reads the table once.
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


_cache: dict[str, tuple[int, History]] = {}
_lock = threading.Lock()


def load_history(store: Any) -> History:
    """The history in ``store`` (cached until a new metrics row is written)."""
    from ..store.tables import performance_metrics as pm

    with store.engine.connect() as conn:
        newest = conn.execute(sa.select(sa.func.max(pm.c.id))).scalar() or 0
        with _lock:
            hit = _cache.get(store.url)
            if hit is not None and hit[0] == newest:
                return hit[1]
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
            .where(pm.c.status == "succeeded", pm.c.cache_hit.is_(False), pm.c.wall_s.is_not(None))
            .order_by(pm.c.id.desc())
            .limit(LIMIT)
        )
        rows = [dict(r._mapping) for r in conn.execute(query)]
    history = _build(rows)
    with _lock:
        _cache[store.url] = (newest, history)
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
