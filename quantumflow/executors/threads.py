"""The default executor: run each call in the engine's own worker thread (no hop per task).

Threads suit light Python and code that waits (cloud jobs, I/O). CPU-bound pure Python
holds the GIL: use the ``processes`` executor for that.
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from typing import Any

from .base import Call, call_function


class ThreadExecutor:
    """In-thread executor: ``submit`` runs the call in the calling thread.

    The engine runs ``workers`` threads of its own and calls tasks from them, so a trivial
    task costs a function call, not a thread switch. A call past its timeout cannot be
    stopped (Python threads cannot be killed): the engine abandons it, replaces the thread
    and ignores the late result.

    Args:
        workers: threads the engine runs tasks on (default: ``max_concurrency`` of the run,
            else the CPU count).
    """

    name = "threads"
    inline = True

    def __init__(self, *, workers: int | None = None) -> None:
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        if self.workers < 1:
            raise ValueError("workers must be >= 1")

    def submit(self, call: Call) -> Future[Any]:
        """Run ``call`` now, in this thread; return a finished future."""
        fut: Future[Any] = Future()
        try:
            fut.set_result(call_function(call.fn_path, call.kwargs))
        except BaseException as err:  # the future carries the user's error
            fut.set_exception(err)
        return fut

    def abandon(self, call: Call) -> None:
        """Nothing to stop: the engine replaces the busy thread and drops the result."""

    def shutdown(self, *, cancel: bool = False) -> None:
        """Nothing to release: the threads belong to the engine."""
