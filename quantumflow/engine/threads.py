"""Engine threads reused across runs: a run's lanes, dispatch thread and event flusher.

Starting a thread costs ~0.1-2 ms (``Thread.start`` waits until the new thread holds the
GIL, which busy threads make slow); a run started six. :func:`spawn` hands the job to an
idle daemon thread left by an earlier run, starting one only when none is idle. A job that
never returns (a timed-out call in a retired lane) keeps its thread, as before; a thread
whose job returned parks for the next run (at most :data:`MAX_IDLE` park).

Each engine thread asks the kernel for precise timers (:data:`TIMER_SLACK_NS`): Linux
otherwise lets a thread's timed waits (``time.sleep``, a poll with a timeout) end up to
50 us late, which a task that sleeps or polls on a lane pays on every wait.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable

from .._native.scheduler import precise_timers

log = logging.getLogger(__name__)

#: Idle threads kept for later runs; more exit when their job returns.
MAX_IDLE = 64
_IDLE_NAME = "qf-idle"
#: Timer slack of the engine's threads, in nanoseconds (Linux's default is 50,000).
TIMER_SLACK_NS = 1_000

_idle: list[_Worker] = []
_lock = threading.Lock()


def _after_fork() -> None:
    # the parent's threads do not exist in a forked child (and its lock may be held)
    global _lock  # noqa: PLW0603
    _lock = threading.Lock()
    _idle.clear()


os.register_at_fork(after_in_child=_after_fork)


class _Worker:
    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[tuple[Callable[[], object], str]] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name=_IDLE_NAME, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        precise_timers(TIMER_SLACK_NS)
        me = threading.current_thread()
        while True:
            fn, name = self.jobs.get()
            me.name = name
            try:
                fn()
            except BaseException:  # the engine's jobs catch their own errors; be safe
                log.exception("engine thread %s failed", name)
                return
            me.name = _IDLE_NAME
            if not _park(self):
                return


def _park(worker: _Worker) -> bool:
    with _lock:
        if len(_idle) >= MAX_IDLE:
            return False
        _idle.append(worker)
        return True


def spawn(fn: Callable[[], object], name: str) -> None:
    """Run ``fn()`` on a daemon thread called ``name`` (an idle one when there is one)."""
    with _lock:
        worker = _idle.pop() if _idle else None
    if worker is None:
        worker = _Worker()
    worker.jobs.put((fn, name))
