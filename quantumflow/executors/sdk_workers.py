"""Warm per-SDK worker processes for quantum tasks.

Quantum simulators hold the GIL and each SDK ships its own OpenMP runtime, so running
Qiskit Aer, qsim and PennyLane Lightning in one process inflates small-circuit latency
several-fold. A :class:`SdkWorkerPool` keeps up to ``per_sdk`` processes per SDK (started
when a call needs one) and imports the SDK once in each. A wide circuit (14 qubits or
more, where simulators start to use threads) runs alone with every core (:mod:`.alone`);
other calls run side by side, each with ``cores // workers`` threads, so they never
oversubscribe the machine (:meth:`SdkWorkerPool.budget`). Tasks travel as plain JSON-able
data; results come back as the backends' output dict.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from .. import errors
from .._cache import IdentityCache
from ..backends.sdks import SDKS as KNOWN_SDKS
from ..backends.sdks import warm_modules
from ..config import restore_trust, trust_state
from ..errors import BackendError, TaskTimeoutError
from ..spec import QuantumTask
from .alone import SharedOrAlone, runs_alone
from .children import Lifeline, die_with_parent, start_child

log = logging.getLogger(__name__)

SDKS = tuple(KNOWN_SDKS)
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "QSIM_NUM_THREADS")


def with_threads(msg: tuple[Any, ...], threads: int) -> tuple[Any, ...]:
    """A task or batch message with the call's thread budget appended (its last item)."""
    return (*msg, threads)


def _worker_main(conn: Connection, sdk: str, threads: int) -> None:
    # thread counts must be set before the SDK (and its OpenMP runtime) is imported
    for var in _THREAD_VARS:
        os.environ[var] = str(threads)
    import importlib

    for module in warm_modules(sdk):
        with contextlib.suppress(ImportError):  # an SDK part may be absent (e.g. qsim)
            importlib.import_module(module)
    import time

    from ..backends import execute_quantum_task
    from . import sdk_batch
    from .measure import peak_rss_bytes, worker_name

    conn.send(("ready", os.getpid()))
    tasks: dict[str, QuantumTask] = {}  # validated once per distinct task (JSON text key)

    def parse(task_json: str) -> QuantumTask:
        task = tasks.get(task_json)
        if task is None:
            if len(tasks) > 256:
                tasks.clear()
            task = tasks[task_json] = QuantumTask.parse_json(task_json)
        return task

    while True:
        try:
            msg = conn.recv()
        except EOFError:  # the engine's process is gone
            return
        if msg is None:
            return
        if msg == "ping":
            conn.send(("ok", {"pid": os.getpid(), "threads": threads, "sdk": sdk}))
            continue
        *body, budget = msg  # the call's thread budget (SdkWorkerPool.budget), last
        msg = tuple(body)
        if sdk_batch.is_batch(msg):
            try:
                conn.send(sdk_batch.run_in_worker(msg, parse, budget))
            except Exception as exc:  # the batch as a whole failed: every member fails
                conn.send(("err", "BackendError", f"{type(exc).__name__}: {exc}", "backend"))
            continue
        task_json, inputs, params = msg
        try:
            task = parse(task_json)
            cpu = time.process_time()
            out = execute_quantum_task(task, inputs=inputs, params=params, threads=budget)
            stats = {
                "cpu_s": time.process_time() - cpu,
                "peak_mem_bytes": peak_rss_bytes(),
                "worker": worker_name(),
            }
            conn.send(("ok", out, stats))
        except errors.QuantumFlowError as exc:
            conn.send(("err", type(exc).__name__, str(exc), errors.error_class_of(exc)))
        except Exception as exc:  # anything else becomes a BackendError in the parent
            conn.send(("err", "BackendError", f"{type(exc).__name__}: {exc}", "backend"))


def _child(fd: int, sdk: str, threads: int, parent: int = 0, lifeline: int = -1) -> None:
    """Entry point of a worker process (``python -c``; see :meth:`_Worker.start`)."""
    if parent:
        die_with_parent(parent, lifeline)  # never outlive the engine (children.py)
    conn = Connection(fd)
    sys.path[:], trust = conn.recv()  # the engine's import path (user circuit callables)
    restore_trust(trust)  # and its module allow-list and files root (config.py)
    _worker_main(conn, sdk, threads)


@dataclass
class _Worker:
    sdk: str
    threads: int
    proc: subprocess.Popen[bytes] | None = None
    conn: Connection | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)  # one call at a time
    # guards ``token`` and killing: abort() kills only while the token's call is in flight
    state: threading.Lock = field(default_factory=threading.Lock)
    token: object = None
    lifeline: Lifeline | None = None

    def start(self) -> None:
        # A fresh interpreter, not multiprocessing's spawn: spawn re-runs the user's
        # __main__ script in the child, which breaks every script without a main guard.
        parent, child = socket.socketpair()
        lifeline = Lifeline()
        code = (
            "from quantumflow.executors.sdk_workers import _child; "
            f"_child({child.fileno()}, {self.sdk!r}, {self.threads}, {os.getpid()}, "
            f"{lifeline.child_fd})"
        )

        def popen() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                [sys.executable, "-c", code],
                pass_fds=(child.fileno(), lifeline.child_fd),
                stdin=subprocess.DEVNULL,
            )

        try:
            self.proc = start_child(popen)  # from a thread that lives as long as we do
        except BaseException:
            lifeline.close()
            raise
        finally:
            child.close()
        lifeline.handed_over()
        self.lifeline = lifeline
        self.conn = Connection(parent.detach())
        try:
            self.conn.send((list(sys.path), trust_state()))
            ready = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise BackendError(  # killed while starting, say: the retry starts another
                f"the {self.sdk} worker process failed to start", retryable=True
            ) from None
        log.debug("%s worker ready (pid %s, %d threads)", self.sdk, ready[1], self.threads)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        with self.state:  # abort() must not kill a process object being closed here
            proc, conn, lifeline = self.proc, self.conn, self.lifeline
            self.proc = None
            self.conn = None
            self.lifeline = None
        if proc is not None:
            proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(5)
        if conn is not None:
            conn.close()
        if lifeline is not None:
            lifeline.close()


class SdkWorkerPool:
    """Warm processes per SDK; ``execute`` routes a quantum task to a free one of its SDK.

    Args:
        sdks: which SDK workers this pool may start (default: qiskit, cirq, pennylane).
        cores: cores to share between workers (default: this machine's).
        threads: the OpenMP thread count a worker starts with (default: every core). It is
            a ceiling: Aer never runs more threads than it, whatever ``max_parallel_threads``
            says. Each call's budget (:meth:`budget`) sets Aer's and qsim's threads below it.
        per_sdk: worker processes per SDK (default 1), each started when first needed.
    """

    def __init__(
        self,
        *,
        sdks: Iterable[str] = SDKS,
        cores: int | None = None,
        threads: int | None = None,
        per_sdk: int = 1,
    ) -> None:
        self.sdks = tuple(sdks)
        self.per_sdk = max(1, per_sdk)
        self.cores = max(1, cores or os.cpu_count() or 1)
        self.threads = threads or self.cores
        self._gate = SharedOrAlone()  # a big simulation runs alone (alone.py)
        self._workers = {
            s: [_Worker(s, self.threads) for _ in range(self.per_sdk)] for s in self.sdks
        }
        self._json: IdentityCache[QuantumTask, str] = IdentityCache(QuantumTask.dump_json)

    def warm(self, sdks: Iterable[str] | None = None) -> None:
        """Start workers now (imports are paid here instead of on the first task)."""
        for sdk in sdks or self.sdks:
            for w in self._workers[sdk]:
                with w.lock:
                    if not w.alive():
                        w.start()

    def sdk_of(self, task: QuantumTask) -> str:
        """The worker a task goes to (its backend's SDK)."""
        from ..backends.registry import local_sdk

        sdk = local_sdk(task.backend) or ""
        if sdk not in self._workers:
            raise BackendError(f"no SDK worker for backend '{task.backend}'", backend=task.backend)
        return sdk

    def ping(self, sdk: str) -> dict[str, Any]:
        """The worker's pid, thread count and SDK (starts it if needed)."""
        return self._call(sdk, "ping", timeout=None, task_id="ping", token=None)  # type: ignore[no-any-return]

    def execute(
        self,
        task: QuantumTask,
        *,
        inputs: Mapping[str, Any],
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        token: object = None,
    ) -> dict[str, Any]:
        """Run ``task`` in a warm worker of its SDK and return the backends' output dict.

        Args:
            token: any object naming this call for :meth:`abort` (e.g. the engine's attempt).

        Raises:
            TaskTimeoutError: past ``timeout`` (the worker is killed and restarted lazily).
            BackendError: (or the subclass raised in the worker) on failure; also when the
                call was aborted (its worker was killed).
        """
        msg = (self._task_json(task), dict(inputs), dict(params or {}))
        sdk = self.sdk_of(task)
        alone = runs_alone([task])
        with self._gate.hold(alone=alone):
            msg = with_threads(msg, self.budget(alone=alone))
            return self._call(sdk, msg, timeout=timeout, task_id=task.id, token=token)  # type: ignore[no-any-return]

    def execute_batch(
        self,
        tasks: Sequence[QuantumTask],
        *,
        inputs: Sequence[Mapping[str, Any]],
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        token: object = None,
    ) -> list[dict[str, Any] | BackendError]:
        """Run compatible ``tasks`` (one SDK) as one batch in one worker call: per task its
        output dict or its error. Raises like :meth:`execute` when the call as a whole
        fails (worker died or was aborted, timeout)."""
        from . import sdk_batch

        sdk = self.sdk_of(tasks[0])
        msg = sdk_batch.message([self._task_json(t) for t in tasks], inputs, params or {})
        alone = runs_alone(tasks)
        with self._gate.hold(alone=alone):
            msg = with_threads(msg, self.budget(alone=alone))
            entries = self._call(sdk, msg, timeout=timeout, task_id=tasks[0].id, token=token)
        return [e[1] if e[0] == "ok" else worker_error(e) for e in entries]

    def abort(self, token: object) -> bool:
        """Kill the worker running the call named ``token`` (timeout or cancellation).

        The waiting :meth:`execute` raises ``BackendError``; the worker restarts lazily on
        its next task. Returns False when no call with that token is in flight.
        """
        for workers in self._workers.values():
            for w in workers:
                with w.state:
                    if w.token is token and token is not None and w.proc is not None:
                        log.info("killing the %s worker (pid %s)", w.sdk, w.proc.pid)
                        w.proc.kill()  # the waiting thread sees EOF and cleans up
                        return True
        return False

    def pids(self) -> dict[str, list[int]]:
        """The process ids of the running workers, per SDK."""
        return {
            sdk: [w.proc.pid for w in workers if w.proc is not None and w.alive()]
            for sdk, workers in self._workers.items()
        }

    def _task_json(self, task: QuantumTask) -> str:
        return self._json(task)

    def _pick(self, sdk: str) -> _Worker:
        workers = self._workers[sdk]
        for w in workers:
            if w.lock.acquire(blocking=False):
                return w
        w = workers[0]  # all busy: wait for the first (the engine's slots avoid this)
        w.lock.acquire()
        return w

    def budget(self, *, alone: bool) -> int:
        """Simulator threads for a call: every core for one that runs alone (a wide
        circuit, :mod:`.alone`); otherwise the cores shared evenly by as many calls as the
        pool's workers can run at once, so they never oversubscribe the machine."""
        if alone:
            return self.cores
        return max(1, self.cores // (len(self.sdks) * self.per_sdk))

    def _call(
        self, sdk: str, msg: Any, *, timeout: float | None, task_id: str, token: object
    ) -> Any:
        w = self._pick(sdk)
        try:
            if not w.alive():
                w.start()
            conn = w.conn
            assert conn is not None
            with w.state:
                w.token = token
            if getattr(token, "aborted", False):  # aborted before reaching the worker
                with w.state:
                    w.token = None
                raise BackendError(f"task '{task_id}' was stopped before it started")
            try:
                conn.send(msg)
                if not conn.poll(timeout):
                    w.kill()
                    raise TaskTimeoutError(task_id, timeout or 0.0)
                reply = conn.recv()
            except (EOFError, OSError):
                w.kill()
                # killed, out of memory, crashed: the next attempt gets a fresh worker
                raise BackendError(
                    f"the {sdk} worker died running task '{task_id}'", error_class="worker_lost"
                ) from None
            finally:
                with w.state:
                    w.token = None
        finally:
            w.lock.release()
        if reply[0] == "ok":
            if len(reply) > 2 and token is not None and hasattr(token, "stats"):
                token.stats = reply[2]  # the worker's CPU time and memory for this call
            return reply[1]
        raise worker_error(reply)

    def close(self) -> None:
        """Stop every worker (waits for calls in flight)."""
        for workers in self._workers.values():
            for w in workers:
                with w.lock:
                    if w.alive() and w.conn is not None and w.proc is not None:
                        try:
                            w.conn.send(None)
                            w.proc.wait(5)
                        except (OSError, subprocess.TimeoutExpired):
                            pass
                    w.kill()

    def terminate(self) -> None:
        """Stop every worker now: idle ones cleanly, busy ones killed (interpreter exit)."""
        for workers in self._workers.values():
            for w in workers:
                if w.lock.acquire(blocking=False):
                    try:
                        w.kill()
                    finally:
                        w.lock.release()
                else:
                    with w.state:
                        if w.proc is not None:
                            w.proc.kill()  # the waiting call sees EOF and cleans up

    def __enter__(self) -> SdkWorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def worker_error(reply: tuple[Any, ...]) -> BackendError:
    """The exception a worker's ``("err", class name, message, error class)`` reply stands
    for (a :class:`BackendError` subclass; others become ``BackendError``)."""
    _, cls_name, message, error_class = reply
    cls = getattr(errors, cls_name, BackendError)
    if not (isinstance(cls, type) and issubclass(cls, BackendError)):
        cls = BackendError
    return cls(message, error_class=str(error_class))


_shared: SdkWorkerPool | None = None
_shared_lock = threading.Lock()


def shared_pool(sdks: Iterable[str], *, per_sdk: int = 1) -> SdkWorkerPool:
    """The process-wide pool the engine runs quantum tasks in, covering at least ``sdks``.

    Thread counts are fixed when a worker starts, so a run that needs an SDK the current
    pool lacks gets a new pool for the union (keeping ``workers x threads ≤ cores``); the
    old pool's workers stop once their calls in flight return.
    """
    global _shared  # noqa: PLW0603
    want = set(sdks)
    with _shared_lock:
        cur = _shared
        if cur is not None and want <= set(cur.sdks) and cur.per_sdk == per_sdk:
            return cur
        union = want | set(cur.sdks if cur is not None else ())
        order = tuple(s for s in SDKS if s in union) + tuple(sorted(union - set(SDKS)))
        _shared = SdkWorkerPool(sdks=order, per_sdk=per_sdk)
        if cur is not None:
            threading.Thread(target=cur.close, name="qf-pool-retire", daemon=True).start()
        return _shared


def close_shared_pool() -> None:
    """Stop the shared pool's workers (at interpreter exit, after runs were cancelled)."""
    global _shared
    with _shared_lock:
        pool, _shared = _shared, None
    if pool is not None:
        pool.terminate()
