"""The group-commit writer: task events are queued and committed in batches by one thread.

``GroupWriter.put`` only appends to a list. A daemon thread wakes when the first event
arrives, waits up to ``window_s`` for more (or until ``max_batch`` are queued, or someone
calls ``flush``), then commits everything queued in one transaction. A crash therefore
loses at most the events of the current window; ``flush`` returns only once they are
committed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable

from quantumflow.errors import StoreError

from .committer import Committer
from .dbapi import Db
from .events_sql import EventRow
from .records import TaskEvent
from .run_sql import RunOp

log = logging.getLogger(__name__)

#: Wake the writer at once when this many events are queued.
MAX_BATCH = 1024
#: Otherwise wait this long after the first queued event to gather more.
WINDOW_S = 0.003


class GroupWriter:
    """Batches :class:`TaskEvent` s into few transactions on a background thread."""

    def __init__(self, db: Db, *, max_batch: int = MAX_BATCH, window_s: float = WINDOW_S) -> None:
        self._db = db
        self._max_batch = max_batch
        self._window_s = window_s
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._committer = Committer(self._db)  # its per-attempt times are this process's
        self._cond = threading.Condition()
        self._pending: list[EventRow | RunOp] = []
        self._enqueued = 0
        self._committed = 0
        self._flushing = 0
        self._closed = False
        self._errors: list[str] = []
        self._thread: threading.Thread | None = None

    def put(self, events: Iterable[TaskEvent]) -> None:
        """Queue events for the next group commit (never blocks on the database)."""
        self.put_rows(list(events))  # a TaskEvent is an EventRow (a named tuple)

    def put_rows(self, batch: list[EventRow | RunOp]) -> None:
        """Queue event rows and run operations, in order, for the next group commit."""
        if self._pid != os.getpid():  # forked: the parent's thread and lock are not ours
            self._reset()
        if not batch:
            return
        with self._cond:
            if self._closed:
                raise StoreError("the store is closed")
            was_empty = not self._pending
            self._pending.extend(batch)
            self._enqueued += len(batch)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="quantumflow-store-writer", daemon=True
                )
                self._thread.start()
            if was_empty or len(self._pending) >= self._max_batch:
                self._cond.notify_all()

    def flush(self) -> None:
        """Block until every event queued so far is committed.

        Raises:
            StoreError: a batch could not be written (the events of that batch are lost).
        """
        if self._pid != os.getpid() or self._thread is None:
            return
        with self._cond:
            target = self._enqueued
            self._flushing += 1
            self._cond.notify_all()
            try:
                while self._committed < target and self._thread.is_alive():
                    self._cond.wait(0.5)
            finally:
                self._flushing -= 1
            errors, self._errors = self._errors, []
        if errors:
            raise StoreError(f"could not record task events: {errors[0]}")

    def lost(self, run_id: str) -> str | None:
        """Why some of ``run_id``'s rows are not in the database (None: they all are, as
        far as this writer has committed)."""
        return self._committer.failed.get(run_id)

    def close(self) -> None:
        """Flush, then stop the thread."""
        try:
            self.flush()
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()
            if self._thread is not None and self._pid == os.getpid():
                self._thread.join(timeout=10)

    def _take(self) -> list[EventRow | RunOp] | None:
        with self._cond:
            while not self._pending:
                if self._closed:
                    return None
                self._cond.wait()
            deadline = time.monotonic() + self._window_s
            while (
                len(self._pending) < self._max_batch
                and not self._flushing
                and not self._closed
                and (left := deadline - time.monotonic()) > 0
            ):
                self._cond.wait(left)
            batch, self._pending = self._pending, []
            return batch

    def _loop(self) -> None:
        while (batch := self._take()) is not None:
            failure = self._committer.commit(batch)
            with self._cond:
                if failure is not None:
                    self._errors.append(failure.message)
                self._committed += len(batch)
                self._cond.notify_all()
