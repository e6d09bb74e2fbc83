"""Coalesce many state changes into few widget updates (at most one per ``interval``).

Every change calls :meth:`Coalescer.poke`; the first poke after a quiet spell schedules one
flush ``interval`` after the previous flush, later pokes ride along with it. So a
10,000-task run that changes state 50,000 times in ten seconds sends about a hundred
updates, and the last state always gets out (no change is left unsent).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

#: Default spacing of updates: at most 10 per second.
INTERVAL_S = 0.1


class Coalescer:
    """Calls ``flush`` at most once per ``interval`` seconds while pokes keep arriving."""

    def __init__(self, flush: Callable[[], None], *, interval: float = INTERVAL_S) -> None:
        self._flush = flush
        self.interval = interval
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._last = 0.0
        self.flushes = 0
        self.pokes = 0

    def poke(self) -> None:
        """Note a change; a flush follows within ``interval`` seconds."""
        with self._lock:
            self.pokes += 1
            if self._timer is not None:
                return
            delay = max(0.0, self._last + self.interval - time.monotonic())
            self._timer = threading.Timer(delay, self._fire)
            self._timer.daemon = True
            self._timer.name = "quantumflow-widget-flush"
            self._timer.start()

    def _fire(self) -> None:
        # Clearing the timer and stamping the flush happen under one lock: a poke that
        # slips in between would otherwise measure its delay from the previous flush and
        # schedule a second flush straight after this one.
        with self._lock:
            self._timer = None
            self._last = time.monotonic()
        self._run_flush()

    def flush_now(self) -> None:
        """Flush at once (used for the final state when a run ends)."""
        with self._lock:
            self._last = time.monotonic()
        self._run_flush()

    def _run_flush(self) -> None:
        with self._flush_lock:
            with self._lock:
                self.flushes += 1
            try:
                self._flush()
            except Exception:  # a display problem must never break the run
                log.exception("widget update failed")

    def cancel(self) -> None:
        """Drop a scheduled flush (the widget is going away)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
