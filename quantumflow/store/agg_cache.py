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
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .db import read_tx

#: Answers kept per engine (a 10^5-task run's states string is the biggest: ~100 kB).
MAX_ENTRIES = 256

#: PostgreSQL's work_mem for the aggregates' read transactions (see :func:`cached_read`).
WORK_MEM = "32MB"

T = TypeVar("T")
Version = tuple[Any, ...]

_LAST_EVENT = sa.text("SELECT MAX(id) FROM events WHERE run_id = :r")

_lock = threading.Lock()
_caches: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, Any]] = weakref.WeakKeyDictionary()


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
        self._prefix: Hashable = (run_id, self.version)
        self._engine = engine

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or its answer kept under ``key`` at this version of the run."""
        if self.version is None:
            return compute()
        full = (self._prefix, key)
        with _lock:
            cache = _caches.get(self._engine)
            if cache is not None and full in cache:
                cache.move_to_end(full)
                found: T = cache[full]
                return found
        value = compute()
        with _lock:
            cache = _caches.setdefault(self._engine, OrderedDict())
            cache[full] = value
            while len(cache) > MAX_ENTRIES:
                cache.popitem(last=False)
        return value

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


def clear(engine: Engine | None = None) -> None:
    """Forget the kept answers (of ``engine``, or of every engine): what a benchmark does
    to measure the first call after a run changed."""
    with _lock:
        if engine is None:
            _caches.clear()
        else:
            _caches.pop(engine, None)


def entries(engine: Engine) -> Sequence[Hashable]:
    """The keys kept for ``engine``, least recently used first (for tests)."""
    with _lock:
        return list(_caches.get(engine, ()))
