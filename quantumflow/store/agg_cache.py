"""Answers of the big-run aggregates kept while the run's rows cannot have changed.

Every write that changes a started run's ``task_runs`` or ``performance_metrics`` rows
commits an ``events`` row in the same transaction (``events_sql.write_batch``; a run's
start, finish and reported metrics too), and ``events.id`` only grows. So a run's
*version* -- its ``status``, ``started_at``, ``finished_at`` and the id of its last event,
read in one statement -- names one state of its rows, and a query's answer can be reused
for as long as the version stays the same: for ever once a run has finished (a finished
run is immutable; ``resume`` starts it again, which changes its status and adds an event),
and between two events of a live run (a view polled by several tabs, or again before the
next state change, costs one indexed read instead of a scan of 10^5 rows). A live run
stays live: its first event after an answer changes the version, and the next call reads
the database again.

Not cached: a run that is still ``pending`` (its task rows are written by the writer
without an event of their own) and a run that does not exist. The version is read first,
in the transaction of the queries it keys, so a kept answer is never older than its key
(on SQLite one snapshot holds both; PostgreSQL's statements may see a newer commit, which
only makes the answer newer than the version it is kept under).

Entries are kept per engine (dropped with it), at most :data:`MAX_ENTRIES` of them, the
least recently used going first.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..status import RUN_TERMINAL
from .db import read_tx
from .run_frame import (
    MAX_DELTA_SHARE,
    MIN_DELTA,
    AttemptFrame,
    TaskFrame,
    Version,
    changed_tasks,
    load_attempts,
    load_tasks,
    refresh_attempts,
    refresh_tasks,
)

#: Answers kept per engine (a 10^5-task run's states string is the biggest: ~100 kB).
MAX_ENTRIES = 256

#: Rows kept in frames per engine (a 10^5-task frame holds ~12 MB, its ids most of it).
MAX_FRAME_TASKS = 1_000_000

#: PostgreSQL's work_mem for the aggregates' read transactions (see :func:`cached_read`).
WORK_MEM = "32MB"

T = TypeVar("T")

_LAST_EVENT = sa.text("SELECT MAX(id) FROM events WHERE run_id = :r")

_lock = threading.Lock()
_caches: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, Any]] = weakref.WeakKeyDictionary()
Frame = TaskFrame | AttemptFrame
F = TypeVar("F", TaskFrame, AttemptFrame)
_frames: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple[str, str], Frame]] = (
    weakref.WeakKeyDictionary()
)
#: Locks a frame's reader holds (one of them, by the run and kind): views that ask at once
#: wait for one read instead of making one each.
_reading = tuple(threading.Lock() for _ in range(64))


def run_version(conn: Connection, run_id: str) -> Version | None:
    """The run's version (see the module docstring), or None when its answers must not be
    kept (no such run, or one whose task rows may still be arriving)."""
    # two statements: SQLite answers MAX(id) from the index's end only in a query of its own
    last = conn.execute(_LAST_EVENT, {"r": run_id}).scalar()
    row = conn.execute(
        sa.text(f"SELECT status, started_at, finished_at FROM {runs_header(conn)} WHERE id = :r"),  # noqa: S608
        {"r": run_id},
    ).first()
    if row is None or row[0] == "pending" or row[1] is None:
        return None
    return (*row, last)


def runs_header(conn: Connection) -> str:
    """The ``FROM`` of a read of a run's status, times, name or error: on SQLite its
    covering index (migration 0006), so that the spec stored before them in the row is
    not walked through; the table elsewhere (PostgreSQL keeps big values out of line)."""
    return "runs INDEXED BY ix_runs_header" if conn.dialect.name == "sqlite" else "runs"


class CachedReads:
    """The queries of one read transaction, answered from the cache where the run's
    version allows (see :func:`cached_read`)."""

    def __init__(self, conn: Connection, engine: Engine, run_id: str) -> None:
        self.conn = conn
        self.version = run_version(conn, run_id)
        self.run_id = run_id
        self._prefix: Hashable = (run_id, self.version)
        self.engine = engine

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or its answer kept under ``key`` at this version of the run."""
        if self.version is None:
            return compute()
        full = (self._prefix, key)
        with _lock:
            cache = _caches.get(self.engine)
            if cache is not None and full in cache:
                cache.move_to_end(full)
                found: T = cache[full]
                return found
        value = compute()
        with _lock:
            cache = _caches.setdefault(self.engine, OrderedDict())
            cache[full] = value
            while len(cache) > MAX_ENTRIES:
                cache.popitem(last=False)
        return value

    def frame(self) -> TaskFrame:
        """The run's task rows at this version (``run_frame.py``)."""
        return self._kept("tasks", load_tasks, refresh_tasks)

    def attempts(self) -> AttemptFrame:
        """The run's attempts (``performance_metrics`` rows) at this version."""
        return self._kept("attempts", load_attempts, refresh_attempts)

    def _kept(self, kind: str, load: Callable[..., F], refresh: Callable[..., F | None]) -> F:
        """The kept frame of ``kind`` at this version: as it is, refreshed from the tasks
        its new events name, or read whole when that cannot be exact; a newer one kept by
        a view that read the run a moment later serves too (its answers are only newer).
        One reader at a time per run: views asking at once wait for one read, not make one
        each (and a run's two frames are read one after the other, not fighting for the
        GIL)."""
        version, run_id, conn = self.version, self.run_id, self.conn
        if version is None:  # pending or missing: its rows may change without an event
            return load(conn, run_id, None)
        key = (run_id, kind)
        with _reading[hash(run_id) % len(_reading)]:
            with _lock:
                kept = cast("F | None", _frames.get(self.engine, OrderedDict()).get(key))
            if kept is not None and kept.version is not None:
                last, now = _last_event(kept.version), _last_event(version)
                if kept.version == version or (last > now and _goes_on(version, kept.version)):
                    return kept
            frame = None
            if kept is not None and kept.version is not None and _goes_on(kept.version, version):
                tasks = changed_tasks(conn, run_id, last, now) if now > last else None
                if tasks is not None and tasks <= max(MIN_DELTA, MAX_DELTA_SHARE * kept.size):
                    frame = refresh(kept, conn, run_id, (last, now), version)
            if frame is None:
                frame = load(conn, run_id, version)
            _keep_frame(self.engine, key, frame)
            return frame

    def all(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """The rows of ``sql`` (fixed text from the caller's module) as plain tuples."""
        key = (sql, tuple(sorted(params.items())))
        return self.memo(key, lambda: [tuple(r) for r in self.conn.execute(sa.text(sql), params)])

    def first(self, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of ``sql``, or None."""
        rows = self.all(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: dict[str, Any]) -> Any:
        """The first column of the first row of ``sql``, or None."""
        row = self.first(sql, params)
        return row[0] if row else None


def _keep_frame(engine: Engine, key: tuple[str, str], frame: Frame) -> None:
    """Keep ``frame`` (under its run and kind) unless a newer one is kept; at most
    :data:`MAX_FRAME_TASKS` rows, the least recently used frame going first."""
    with _lock:
        frames = _frames.setdefault(engine, OrderedDict())
        old = frames.get(key)
        if old is not None and _last_event(old.version) > _last_event(frame.version):
            return
        frames[key] = frame
        frames.move_to_end(key)
        total = sum(f.size for f in frames.values())
        while total > MAX_FRAME_TASKS and len(frames) > 1:
            _, dropped = frames.popitem(last=False)
            total -= dropped.size


def _goes_on(before: Version, after: Version) -> bool:
    """Whether the run at ``after`` is the run at ``before`` with more events: the same
    start, and the same status or a running run's end. A resume (an ended run running
    again) may have rewritten any row: its frames are read whole."""
    ended = before[0] == "running" and after[0] in RUN_TERMINAL
    return bool(before[1] == after[1] and (before[0] == after[0] or ended))


def _last_event(version: Version | None) -> int:
    return int(version[3] or 0) if version is not None else -1


@contextmanager
def cached_read(engine: Engine, run_id: str) -> Iterator[CachedReads]:
    """A read transaction whose queries about ``run_id`` are kept at its version."""
    with read_tx(engine) as conn:
        if conn.dialect.name == "postgresql":
            # PostgreSQL cannot tell how many buckets a GROUP BY of an expression makes and
            # assumes one per row: within the default 4 MB it sorts 10^5 rows (on disk)
            # instead of hashing a few hundred buckets. Local to this read transaction.
            conn.execute(sa.text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
        yield CachedReads(conn, engine, run_id)


def memo(engine: Engine, run_id: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` (which may read the store in transactions of its own: they start
    after the version is read, so they see it or newer), kept at the run's version."""
    with cached_read(engine, run_id) as q:
        return q.memo(key, compute)


def clear(engine: Engine | None = None, *, frames: bool = True) -> None:
    """Forget the kept answers and, unless ``frames`` is false, the kept frames (of
    ``engine``, or of every engine). Without frames: what the first call after a change
    of a live run costs (the frame refreshed from the changed rows, every answer
    computed again)."""
    with _lock:
        for kept in (_caches, _frames) if frames else (_caches,):
            if engine is None:
                kept.clear()
            else:
                kept.pop(engine, None)


def kept_frame(engine: Engine, run_id: str, kind: str = "tasks") -> Frame | None:
    """The frame of ``kind`` (``tasks`` or ``attempts``) kept for ``run_id``, if any (for
    tests)."""
    with _lock:
        return _frames.get(engine, OrderedDict()).get((run_id, kind))


def entries(engine: Engine) -> Sequence[Hashable]:
    """The keys kept for ``engine``, least recently used first (for tests)."""
    with _lock:
        return list(_caches.get(engine, ()))
