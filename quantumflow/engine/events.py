"""The engine's event sink: task events go to ``on_event`` at once and to the store in batches.

Worker threads only append to a deque (thread-safe, no lock, well under a microsecond); a
flusher thread hands what has gathered to ``Store.record`` every ``interval_s``, where the
store's writer group-commits it. A crash loses at most the last few milliseconds of state
changes (2 ms while events flow, up to 20 ms after a quiet spell), which ``resume``
repairs (unfinished tasks run again).
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .threads import spawn

if TYPE_CHECKING:
    from ..store.store import Store

log = logging.getLogger(__name__)

INTERVAL_S = 0.002
IDLE_S = 0.02
#: A worker thread that queues this many events hands them over itself (busy workers can
#: keep the flusher thread from the GIL for the 5 ms switch interval and more). Small
#: hand-overs keep the store's writer committing while the run goes on: on a 500-task
#: chain, 256 left it 300-700 events behind at the end, which the run then waited for.
HANDOVER = 64


class EventSink:
    """Collects :class:`~quantumflow.store.TaskEvent` s for one run.

    Args:
        store: the store (its ``record`` is called with batches).
        on_event: called in the emitting thread with each event (errors are logged).
        interval_s: how often the flusher hands events to the store.
    """

    def __init__(
        self,
        store: Store,
        on_event: Callable[[Any], None] | None,
        *,
        interval_s: float = INTERVAL_S,
    ) -> None:
        self._store = store
        self._on_event = on_event
        self._interval = interval_s
        self._queue: collections.deque[Any] = collections.deque()
        self._stop = threading.Event()
        self._wake = threading.Event()  # the flusher's sleep: put() when backed off, close()
        self._backed_off = False
        self._stopped = threading.Event()  # the flusher returned
        self._draining = threading.Lock()  # one hand-over at a time keeps events in order
        spawn(self._loop, "qf-events")

    def put(self, event: Any) -> None:
        """Queue one event for the store and tell ``on_event``."""
        q = self._queue
        q.append(event)
        if len(q) >= HANDOVER:  # the flusher may wait ms for the GIL: hand over from here
            # Blocking: when the flusher holds the hand-over lock but waits for the GIL,
            # waiting here lets it finish; skipping left the queue to grow until the end.
            self._drain()
        if self._backed_off:  # events flow again: wake the flusher now, not in up to 20 ms
            self._backed_off = False
            self._wake.set()
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:
                log.exception("on_event callback failed (the run goes on)")

    def _drain(self, *, block: bool = True) -> int:
        if not self._draining.acquire(blocking=block):
            return 0  # another thread is handing over
        try:
            q = self._queue
            n = len(q)
            if n:
                pop = q.popleft
                self._store.record([pop() for _ in range(n)])
            return n
        finally:
            self._draining.release()

    def _loop(self) -> None:
        # While events flow, hand them over every interval; while idle (long tasks, or the
        # run still starting), back off to IDLE_S so a quiet run does not wake this thread
        # 500 times a second; the next put() wakes it at once.
        wait = self._interval
        try:
            while True:
                self._backed_off = wait > self._interval
                if not (self._backed_off and self._queue):
                    self._wake.wait(wait)  # put() (when backed off) and close() set it
                self._backed_off = False
                self._wake.clear()
                if self._stop.is_set():
                    return
                try:
                    moved = self._drain()
                except Exception:
                    log.exception("could not hand task events to the store")
                    moved = 0
                wait = self._interval if moved else min(wait * 2, IDLE_S)
        finally:
            self._stopped.set()

    def close(self, *, flush: bool = True) -> None:
        """Stop the flusher and hand over what is left; with ``flush``, also wait until the
        store committed it (without: the caller's next store write flushes)."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._wake.set()
        self._stopped.wait()
        self._drain()
        if flush:
            self._store.flush()
