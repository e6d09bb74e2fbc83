"""Local worker processes for CPU-bound Python, with hard timeouts (the worker is killed).

Each worker process is driven by one parent thread over a pipe. A call is pickled as
``(fn_path, kwargs)``; the worker imports the function once and keeps it warm. When the
engine abandons a call (timeout, cancel), the process running it is killed with SIGKILL
and a fresh one takes its place.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import threading
import traceback
from concurrent.futures import Future
from multiprocessing.connection import Connection
from typing import Any

from ..config import TrustState, restore_trust, trust_state
from ..errors import QuantumFlowError
from .base import Call, call_function
from .children import die_with_parent, start_child

log = logging.getLogger(__name__)


class WorkerLostError(QuantumFlowError):
    """A worker process died while running a call (killed on purpose or crashed)."""

    exit_code = 1

    def __init__(self, task: str, *, abandoned: bool) -> None:
        self.task = task
        self.abandoned = abandoned
        why = (
            "was stopped (timeout or cancel)" if abandoned else "crashed (killed or out of memory)"
        )
        super().__init__(f"task '{task}': its worker process {why}")


def _worker_main(
    conn: Connection,
    parent: int = 0,
    lifeline: Connection | None = None,
    trust: TrustState | None = None,
) -> None:  # pragma: no cover - runs in the child
    if parent:  # never outlive the engine (children.py)
        die_with_parent(parent, None if lifeline is None else lifeline.fileno())
    if trust is not None:  # the engine's module allow-list and files root (config.py)
        restore_trust(trust)
    conn.send(("ready", os.getpid()))  # started: the parent may time calls from here on
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if msg is None:
            return
        fn_path, kwargs = msg
        try:
            reply: tuple[str, Any] = ("ok", call_function(fn_path, kwargs))
            conn.send(reply)
        except BaseException as err:  # sent back to the parent
            text = "".join(traceback.format_exception_only(type(err), err)).strip()
            try:
                conn.send(("err", err))
            except Exception:  # unpicklable error: send its text
                conn.send(("err", RuntimeError(text)))


class _Driver(threading.Thread):
    """One parent thread per worker process: sends calls, waits for replies, restarts."""

    def __init__(self, pool: ProcessExecutor, number: int) -> None:
        super().__init__(name=f"qf-proc-{number}", daemon=True)
        self.pool = pool
        self.proc: Any = None
        self.conn: Connection | None = None
        self.current: Call | None = None
        self.lock = threading.Lock()
        self.lifeline: Connection | None = None  # the child exits when this end closes
        self.starting = False  # launched, its "ready" not read yet

    def _spawn(self) -> None:
        self.launch()
        self.await_ready()

    def launch(self) -> None:
        """Start a worker process (call with ``lock`` held); :meth:`await_ready` waits for it."""
        parent, child = self.pool.ctx.Pipe()
        life_read, life_write = self.pool.ctx.Pipe(duplex=False)
        proc = self.pool.ctx.Process(
            target=_worker_main,
            args=(child, os.getpid(), life_read, trust_state()),
            daemon=True,
        )
        start_child(proc.start)  # from a thread that lives as long as this process
        child.close()
        life_read.close()
        if self.lifeline is not None:
            self.lifeline.close()
        self.proc, self.conn, self.lifeline = proc, parent, life_write
        self.starting = True

    def await_ready(self) -> None:
        """Wait until the launched process has imported what it needs (call with ``lock``
        held). One that dies starting is reported by the call sent to it next."""
        if not self.starting:
            return
        self.starting = False
        assert self.conn is not None
        with contextlib.suppress(EOFError, OSError):
            self.conn.recv()  # ("ready", pid)

    def kill(self) -> None:
        with self.lock:
            if self.proc is not None and self.proc.is_alive():
                self.proc.kill()

    def run(self) -> None:
        while True:
            item = self.pool.queue.get()
            if item is None:
                break
            call, fut = item
            if self.pool.take_abandoned(call) or not fut.set_running_or_notify_cancel():
                self.pool.forget(call)
                continue
            self._run_one(call, fut)
            self.pool.forget(call)
        self._stop()

    def _run_one(self, call: Call, fut: Future[Any]) -> None:
        with self.lock:
            if self.proc is None or not self.proc.is_alive():
                self._spawn()
            else:
                self.await_ready()  # launched by ``warm``
            self.current = call
        assert self.conn is not None
        try:
            self.conn.send((call.fn_path, call.kwargs))
            status, value = self.conn.recv()
        except (EOFError, OSError):
            abandoned = id(call) in self.pool.abandoned
            fut.set_exception(WorkerLostError(call.task_id, abandoned=abandoned))
            with self.lock:
                self.proc = None
            return
        except BaseException as err:  # e.g. kwargs that cannot be pickled
            fut.set_exception(err)
            return
        finally:
            self.current = None
        if status == "ok":
            fut.set_result(value)
        else:
            fut.set_exception(value)

    def _stop(self) -> None:
        with self.lock:
            if self.conn is not None:
                with contextlib.suppress(OSError):
                    self.conn.send(None)
            if self.proc is not None:
                self.proc.join(timeout=2)
                if self.proc.is_alive():
                    self.proc.kill()
                    self.proc.join()
            if self.lifeline is not None:
                self.lifeline.close()
                self.lifeline = None


class ProcessExecutor:
    """A pool of warm local worker processes (``spawn`` start method).

    Args:
        workers: number of worker processes (default: the CPU count).
        start_method: multiprocessing start method (``spawn`` or ``forkserver``).
    """

    name = "processes"
    inline = False

    def __init__(self, *, workers: int | None = None, start_method: str = "spawn") -> None:
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        if self.workers < 1:
            raise ValueError("workers must be >= 1")
        self.ctx: Any = mp.get_context(start_method)
        self.queue: queue.SimpleQueue[tuple[Call, Future[Any]] | None] = queue.SimpleQueue()
        # ids of abandoned Call objects still queued or running (keys repeat across runs;
        # the object is alive until its driver is done with it)
        self.abandoned: set[int] = set()
        self._live: dict[int, Call] = {}  # submitted, not yet done (keeps ids unique)
        self._drivers: list[_Driver] = []
        self._lock = threading.Lock()
        self._closed = False

    def _ensure_started(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("executor is shut down")
            if not self._drivers:
                self._drivers = [_Driver(self, i) for i in range(self.workers)]
                for d in self._drivers:
                    d.start()

    def warm(self, count: int) -> None:
        """Start ``count`` worker processes now (together) and wait until they can take
        calls, so that a task's timeout never includes a Python interpreter starting."""
        self._ensure_started()
        chosen = self._drivers[:count]
        for driver in chosen:
            with driver.lock:
                if driver.proc is None or not driver.proc.is_alive():
                    driver.launch()
        for driver in chosen:
            with driver.lock:
                driver.await_ready()

    def submit(self, call: Call) -> Future[Any]:
        """Queue ``call`` for the next free worker process."""
        self._ensure_started()
        fut: Future[Any] = Future()
        with self._lock:
            self._live[id(call)] = call
        self.queue.put((call, fut))
        return fut

    def take_abandoned(self, call: Call) -> bool:
        """True if ``call`` was abandoned before it started."""
        with self._lock:
            return id(call) in self.abandoned

    def forget(self, call: Call) -> None:
        """The driver is done with ``call``."""
        with self._lock:
            self._live.pop(id(call), None)
            self.abandoned.discard(id(call))

    def abandon(self, call: Call) -> None:
        """Kill the worker running ``call`` (or drop it if it has not started)."""
        with self._lock:
            if id(call) not in self._live:
                return  # already finished
            self.abandoned.add(id(call))
        for d in self._drivers:
            if d.current is call:
                log.debug("killing worker %s running %s", d.name, call.task_id)
                d.kill()

    def shutdown(self, *, cancel: bool = False) -> None:
        """Stop the workers; ``cancel=True`` kills those still running a call."""
        with self._lock:
            self._closed = True
            drivers = list(self._drivers)
        if cancel:
            for d in drivers:
                current = d.current
                if current is not None:
                    self.abandon(current)
        for _ in drivers:
            self.queue.put(None)
        for d in drivers:
            d.join(timeout=10)
