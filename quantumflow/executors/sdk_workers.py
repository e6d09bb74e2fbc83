"""Warm per-SDK worker processes for quantum tasks.

Quantum simulators hold the GIL and each SDK ships its own OpenMP runtime, so running
Qiskit Aer, qsim and PennyLane Lightning in one process inflates small-circuit latency
several-fold. A :class:`SdkWorkerPool` keeps one process per SDK, imports that SDK once,
and pins thread counts so that ``workers x threads ≤ cores`` (no oversubscription).
Tasks travel as plain JSON-able data; results come back as the backends' output dict.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from .. import errors
from ..errors import BackendError, TaskTimeoutError
from ..spec import QuantumTask

log = logging.getLogger(__name__)

SDKS = ("qiskit", "cirq", "pennylane")
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "QSIM_NUM_THREADS")
_WARM_IMPORTS = {
    "qiskit": ("qiskit", "qiskit_aer", "quantumflow.backends.qiskit_backend"),
    "cirq": ("cirq", "qsimcirq", "quantumflow.backends.cirq_backend"),
    "pennylane": ("pennylane", "quantumflow.backends.pennylane_backend"),
}


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    """The simulator thread count that keeps ``workers x threads ≤ cores``."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, workers))


def _worker_main(conn: Connection, sdk: str, threads: int) -> None:
    # thread counts must be set before the SDK (and its OpenMP runtime) is imported
    for var in _THREAD_VARS:
        os.environ[var] = str(threads)
    import importlib

    for module in _WARM_IMPORTS.get(sdk, ()):
        with contextlib.suppress(ImportError):  # an SDK part may be absent (e.g. qsim)
            importlib.import_module(module)
    from ..backends import execute_quantum_task

    conn.send(("ready", os.getpid()))
    while True:
        msg = conn.recv()
        if msg is None:
            return
        if msg == "ping":
            conn.send(("ok", {"pid": os.getpid(), "threads": threads, "sdk": sdk}))
            continue
        task_data, inputs, params = msg
        try:
            task = QuantumTask.model_validate(task_data)
            out = execute_quantum_task(task, inputs=inputs, params=params, threads=threads)
            conn.send(("ok", out))
        except errors.QuantumFlowError as exc:
            conn.send(("err", type(exc).__name__, str(exc), getattr(exc, "retryable", False)))
        except Exception as exc:  # anything else becomes a BackendError in the parent
            conn.send(("err", "BackendError", f"{type(exc).__name__}: {exc}", False))


@dataclass
class _Worker:
    sdk: str
    threads: int
    proc: Any = None
    conn: Connection | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=_worker_main, args=(child, self.sdk, self.threads), daemon=True,
            name=f"quantumflow-{self.sdk}",
        )  # fmt: skip
        self.proc.start()
        child.close()
        self.conn = parent
        ready = parent.recv()
        log.debug("%s worker ready (pid %s, %d threads)", self.sdk, ready[1], self.threads)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.is_alive()

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join(5)
        self.proc = None
        self.conn = None


class SdkWorkerPool:
    """One warm process per SDK; ``execute`` routes a quantum task to its SDK's worker.

    Args:
        sdks: which SDK workers this pool may start (default: qiskit, cirq, pennylane).
        cores: cores to share between workers (default: this machine's).
        threads: simulator threads per worker (default: cores // number of SDKs, ≥ 1).
    """

    def __init__(
        self, *, sdks: Iterable[str] = SDKS, cores: int | None = None, threads: int | None = None
    ) -> None:
        self.sdks = tuple(sdks)
        self.threads = threads or threads_per_worker(len(self.sdks), cores)
        self._workers = {s: _Worker(s, self.threads) for s in self.sdks}

    def warm(self, sdks: Iterable[str] | None = None) -> None:
        """Start workers now (imports are paid here instead of on the first task)."""
        for sdk in sdks or self.sdks:
            w = self._workers[sdk]
            with w.lock:
                if not w.alive():
                    w.start()

    def sdk_of(self, task: QuantumTask) -> str:
        """The worker a task goes to (its backend's SDK)."""
        from ..backends.registry import Family, resolve_family

        fam = resolve_family(task.backend)
        sdk = fam.sdk if isinstance(fam, Family) else ""
        if sdk not in self._workers:
            raise BackendError(f"no SDK worker for backend '{task.backend}'", backend=task.backend)
        return sdk

    def ping(self, sdk: str) -> dict[str, Any]:
        """The worker's pid, thread count and SDK (starts it if needed)."""
        return self._call(sdk, "ping", timeout=None, task_id="ping")  # type: ignore[no-any-return]

    def execute(
        self,
        task: QuantumTask,
        *,
        inputs: Mapping[str, Any],
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Run ``task`` in its SDK's warm worker and return the backends' output dict.

        Raises:
            TaskTimeoutError: past ``timeout`` (the worker is killed and restarted lazily).
            BackendError: (or the subclass raised in the worker) on failure.
        """
        msg = (task.model_dump(mode="json"), dict(inputs), dict(params or {}))
        return self._call(self.sdk_of(task), msg, timeout=timeout, task_id=task.id)  # type: ignore[no-any-return]

    def _call(self, sdk: str, msg: Any, *, timeout: float | None, task_id: str) -> Any:
        w = self._workers[sdk]
        with w.lock:
            if not w.alive():
                w.start()
            assert w.conn is not None
            w.conn.send(msg)
            if not w.conn.poll(timeout):
                w.kill()
                raise TaskTimeoutError(task_id, timeout or 0.0)
            try:
                reply = w.conn.recv()
            except EOFError:
                w.kill()
                raise BackendError(f"the {sdk} worker died running task '{task_id}'") from None
        if reply[0] == "ok":
            return reply[1]
        _, cls_name, message, retryable = reply
        cls = getattr(errors, cls_name, BackendError)
        if not (isinstance(cls, type) and issubclass(cls, BackendError)):
            cls = BackendError
        raise cls(message, retryable=retryable)

    def close(self) -> None:
        """Stop every worker."""
        for w in self._workers.values():
            with w.lock:
                if w.alive() and w.conn is not None:
                    try:
                        w.conn.send(None)
                        w.proc.join(5)
                    except (OSError, BrokenPipeError):
                        pass
                w.kill()

    def __enter__(self) -> SdkWorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
