"""What earlier runs teach the estimator: measured seconds from ``performance_metrics``.

A :class:`History` holds, per key, the newest measured seconds of successful, non-cached
attempts: quantum rows per backend (with their circuit features), classical rows per
``fn`` and per ``(fn, task id)``. Snapshots are cached per store. When new rows appear
(one ``max(id)`` query), only those rows are read and put in front of the cached lists, so
a run pays for the rows written since the last one, not for the whole table (rebuilding a
5,000-row window cost 11-18 µs per task of every run). The ``fn`` is read with SQL's own
JSON functions, so classical rows are not decoded in Python.
"""

from __future__ import annotations

import statistics
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from ..store.dbapi import loads_json
from .features import CircuitFeatures, row_features

if TYPE_CHECKING:
    from ..store.dbapi import Tx
    from ..store.store import Store

#: Newest rows read when a store's history is first loaded in this process.
LIMIT = 5000
#: Seconds kept per fn (the newest).
PER_KEY = 50
#: Seconds kept per (fn, task id) (the newest): a task's last few runs say how it runs now,
#: and every run recomputes the median of each of its tasks (50 values cost 3 µs a task).
PER_TASK = 9
#: Rows kept per quantum backend (the newest).
PER_BACKEND = LIMIT // 4
#: (fn, task id) keys kept (the most recently seen).
MAX_TASK_KEYS = 50_000

_FN = {
    "sqlite": "json_extract(extra, '$.fn')",
    "postgresql": "extra ->> 'fn'",
}
_COLUMNS = "id, task_id, backend, qubits, gates_before, shots, sweep_size, wall_s"
_SUCCEEDED = "status = 'succeeded' AND cache_hit = ? AND wall_s IS NOT NULL"

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class History:
    """Measured seconds of earlier attempts, newest first per key."""

    quantum: dict[str, list[tuple[CircuitFeatures, float]]] = field(default_factory=dict)
    by_fn: dict[str, list[float]] = field(default_factory=dict)
    by_task: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    #: Rows read from the store to make this snapshot's newest part (0: it was made from
    #: the timings a finished run of this process noted, without reading them back).
    read_back: int = 0
    _medians: dict[tuple[str, str], float | None] = field(default_factory=dict, repr=False)

    def classical_seconds(self, fn: str, task_id: str) -> float | None:
        """Median seconds of the same ``fn`` (same task id first), or None if never run."""
        key = (fn, task_id)
        if key in self._medians:  # a snapshot never changes: each median once
            return self._medians[key]
        rows = self.by_task.get(key) or self.by_fn.get(fn)
        seconds = statistics.median(rows) if rows else None
        self._medians[key] = seconds
        return seconds


#: store URL -> (newest metrics row id read, snapshot)
_cache: dict[str, tuple[int, History]] = {}
#: store URL -> (the snapshot id they follow, what runs of this process committed after it:
#: (fn, task id, wall seconds), newest first)
_own: dict[str, tuple[int, list[tuple[str, str, float]]]] = {}
_lock = threading.Lock()


def snapshot_id(store: Store) -> int | None:
    """The newest metrics row id in the cached snapshot of ``store`` (None: none cached);
    what :func:`note_run` needs from the time a run was planned."""
    with _lock:
        hit = _cache.get(store.url)
    return None if hit is None else hit[0]


def note_run(store: Store, classical: list[tuple[str, str, float]], since: int | None) -> None:
    """Remember what a run of this process has just committed to ``store``.

    ``classical`` holds the run's successful, non-cached classical attempts as ``(fn, task
    id, wall seconds)``, newest first; ``since`` is :func:`snapshot_id` when the run was
    planned. The next :func:`load_history` puts them into the snapshot without reading
    them back (1.3 ms for a 500-task run) when the snapshot is still that one and they are
    exactly the rows written since (one ``COUNT``); otherwise (other writers, quantum rows,
    a failed batch) it reads the new rows as usual.
    """
    with _lock:
        hit = _cache.get(store.url)
        if hit is None or since is None or hit[0] != since:
            return
        noted = _own.get(store.url)
        earlier = noted[1] if noted is not None and noted[0] == since else []
        _own[store.url] = (since, classical + earlier)


def load_history(store: Store) -> History:
    """The history in ``store`` (cached; refreshed with the rows written since)."""
    with _lock:
        hit = _cache.get(store.url)
        own = _own.pop(store.url, None)
    db = store.db
    fn_sql = _FN.get(db.dialect, "extra")  # elsewhere: the JSON text, decoded below
    with db.read() as tx:
        newest = tx.value("SELECT MAX(id) FROM performance_metrics") or 0
        if hit is not None and hit[0] == newest:
            return hit[1]
        # rows newer than the snapshot only; a smaller max(id) means rows were deleted
        since = hit[0] if hit is not None and hit[0] < newest else 0
        if own and since and own[0] == since and _count_since(tx, since) == len(own[1]):
            fresh = History({}, *_classical(own[1]))  # the run's own rows, not read back
        else:
            rows = tx.rows(
                f"SELECT {_COLUMNS}, {fn_sql} FROM performance_metrics"  # noqa: S608 - constants
                f" WHERE id > ? AND {_SUCCEEDED} ORDER BY id DESC LIMIT ?",
                (since, False, LIMIT),
            )
            fresh = _build(rows, decode_fn=fn_sql == "extra")
    history = _merge(fresh, hit[1]) if since and hit is not None else fresh
    with _lock:
        _cache[store.url] = (int(newest), history)
    return history


def _count_since(tx: Tx, since: int) -> int:
    sql = f"SELECT COUNT(*) FROM performance_metrics WHERE id > ? AND {_SUCCEEDED}"  # noqa: S608
    return int(tx.value(sql, (since, False)) or 0)


def _classical(
    rows: Iterable[tuple[str, str, float]],
) -> tuple[dict[str, list[float]], dict[tuple[str, str], list[float]]]:
    """``(fn, task id, wall seconds)`` rows, newest first, as the capped per-fn and per-task
    lists (what the store's rows and a run's noted timings both become)."""
    by_fn: dict[str, list[float]] = defaultdict(list)
    by_task: dict[tuple[str, str], list[float]] = defaultdict(list)
    for fn, task_id, wall in rows:
        if len(by_fn[fn]) < PER_KEY:
            by_fn[fn].append(wall)
        key = (fn, task_id)
        if len(by_task[key]) < PER_TASK:
            by_task[key].append(wall)
    return dict(by_fn), dict(by_task)


def _build(rows: list[tuple[Any, ...]], *, decode_fn: bool) -> History:
    quantum: dict[str, list[tuple[CircuitFeatures, float]]] = defaultdict(list)
    classical: list[tuple[str, str, float]] = []
    for _id, task_id, backend, qubits, gates, shots, sweep, wall_s, fn_col in rows:  # newest 1st
        wall = float(wall_s)
        if backend:
            row = {
                "qubits": qubits,
                "gates_before": loads_json(gates),
                "shots": shots,
                "sweep_size": sweep,
            }
            feats = row_features(row)
            if feats is not None and len(quantum[backend]) < PER_BACKEND:
                quantum[backend].append((feats, wall))
            continue
        fn = fn_col
        if decode_fn:
            extra = loads_json(fn_col)
            fn = extra.get("fn") if isinstance(extra, dict) else None
        if isinstance(fn, str):
            classical.append((fn, str(task_id), wall))
    by_fn, by_task = _classical(classical)
    return History(dict(quantum), by_fn, by_task, read_back=len(rows))


def _merge(new: History, old: History) -> History:
    """``new`` rows in front of ``old`` ones, per key, within the caps."""
    return History(
        _merge_lists(new.quantum, old.quantum, PER_BACKEND),
        _merge_lists(new.by_fn, old.by_fn, PER_KEY),
        _merge_lists(new.by_task, old.by_task, PER_TASK, max_keys=MAX_TASK_KEYS),
        read_back=new.read_back,
    )


def _merge_lists(
    new: dict[K, list[V]], old: dict[K, list[V]], cap: int, *, max_keys: int | None = None
) -> dict[K, list[V]]:
    merged = dict(old)  # one C-level copy; only the keys with new rows are rebuilt
    for k, v in new.items():
        merged[k] = (v + merged.pop(k, []))[:cap]  # re-inserted: newest keys last
    if max_keys is not None and len(merged) > max_keys:  # drop the keys seen longest ago
        for k in list(islice(merged, len(merged) - max_keys)):
            del merged[k]
    return merged


def forget(store: Store) -> None:
    """Drop the cached snapshot of ``store`` (tests, after deleting rows)."""
    with _lock:
        _cache.pop(store.url, None)
        _own.pop(store.url, None)
