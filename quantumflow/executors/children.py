"""Worker processes that die with the process that started them.

A simulation in an SDK worker or a CPU-bound call in a process worker does not read its
pipe while it works, so it cannot notice that its parent is gone: it would run on at 100 %
CPU, re-parented to PID 1. Two guards, both set up by the child as it starts
(:func:`die_with_parent`):

- Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``, so the kernel kills the child when its
  parent dies, whatever the child is doing. The kernel's "parent" is the *thread* that
  forked, so every child is started from one long-lived thread of this process
  (:func:`start_child`), never from a pool thread that may exit.
- Everywhere: a *lifeline*, a pipe whose write end only the parent holds. A thread of the
  child blocks reading it; when the parent dies the read sees end of input and the thread
  kills the child. This needs the child's interpreter lock, which a simulator may hold
  for a while, so on Linux it is the fallback, elsewhere the only guard.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1
_jobs: queue.SimpleQueue[tuple[Callable[[], Any], queue.SimpleQueue[tuple[bool, Any]]]] | None = (
    None
)
_jobs_lock = threading.Lock()


def _spawner_loop(jobs: queue.SimpleQueue[Any]) -> None:
    while True:
        fn, answer = jobs.get()
        try:
            answer.put((True, fn()))
        except BaseException as err:  # handed to the caller's thread
            answer.put((False, err))


def _after_fork() -> None:
    global _jobs, _jobs_lock  # a forked child has no spawner thread
    _jobs, _jobs_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_after_fork)


def start_child(start: Callable[[], T]) -> T:
    """Call ``start`` (which starts a child process) on this process's spawner thread, a
    daemon thread that lives as long as the process, so that the kernel's parent-death
    signal fires when the process dies, not when the calling thread ends."""
    global _jobs  # noqa: PLW0603
    with _jobs_lock:
        if _jobs is None:
            _jobs = queue.SimpleQueue()
            threading.Thread(
                target=_spawner_loop, args=(_jobs,), name="qf-spawner", daemon=True
            ).start()
        jobs = _jobs
    answer: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
    jobs.put((start, answer))
    ok, value = answer.get()
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


class Lifeline:
    """The parent's end of a lifeline: ``child_fd`` goes to the child (``pass_fds``), the
    write end stays here, open until :meth:`close` (when the child is gone)."""

    def __init__(self) -> None:
        read, write = os.pipe()  # both close-on-exec: only pass_fds hands one on
        self.child_fd = read
        self._write: int | None = write

    def handed_over(self) -> None:
        """The child has started (it holds its own copy of the read end)."""
        with contextlib.suppress(OSError):
            os.close(self.child_fd)
        self.child_fd = -1

    def close(self) -> None:
        """Let go of the write end (the child, if still alive, then exits)."""
        fds, self._write = [self.child_fd, self._write], None
        self.child_fd = -1
        for fd in fds:
            if fd is not None and fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)


def die_with_parent(parent_pid: int, lifeline_fd: int | None = None) -> None:
    """In a child process, as it starts: arrange to be killed when ``parent_pid`` dies.

    Exits at once if the parent is already gone (it may have died before this ran).
    """
    if sys.platform == "linux":
        _set_parent_death_signal()
    if os.getppid() != parent_pid:
        os._exit(1)
    if lifeline_fd is not None and lifeline_fd >= 0:
        threading.Thread(
            target=_watch, args=(lifeline_fd,), name="qf-lifeline", daemon=True
        ).start()


def _set_parent_death_signal() -> None:
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _watch(fd: int) -> None:
    with contextlib.suppress(OSError):
        while os.read(fd, 1):  # the parent never writes: this returns at its end
            pass
    os.kill(os.getpid(), signal.SIGKILL)
