"""Run classical calls on a ``dask.distributed`` cluster (a real scheduler and its workers).

The Rust dispatcher still decides what runs and when: the engine submits each call when the
dispatcher starts it, and this executor passes the plan's priority (upward rank) on as Dask
``priority`` so a busy cluster keeps the plan's order. A call's ``resources`` (e.g.
``{"qpu_sim": 1}``) become Dask worker resources, so a slot limit advertised by the workers
holds across the whole cluster.

Large outputs stay on the worker that made them: the Dask future is kept, and when a later
call's input *is* that output (or an item of it), the future goes to the cluster instead of
the value, so the data moves worker to worker. The engine still reads each output once to
record it in the store (so runs can be resumed and inspected); calls go out in bursts
(``dask_submit``) and finished results come back in batches, one ``client.gather`` each
(``dask_collect``).

A worker that dies mid-call is handled by Dask first (the call is rescheduled on another
worker; lost upstream data is recomputed from the futures kept here); when Dask gives up
(``KilledWorker``) the call fails with :class:`DaskWorkerLostError` and the engine retries
it per the task's ``retries`` policy.
"""

from __future__ import annotations

import concurrent.futures
import logging
import operator
import threading
import time
import uuid
from typing import Any

from ..config import load_settings
from ..errors import QuantumFlowError
from .base import Call, call_function
from .dask_collect import Collector
from .dask_submit import Pending, Submitter

log = logging.getLogger(__name__)

INLINE_BYTES = 64 * 1024  # outputs at least this big stay on the cluster as futures
_INFO_TTL_S = 5.0


class DaskWorkerLostError(QuantumFlowError):
    """Dask gave up on a call because the workers running it kept dying."""

    exit_code = 1
    error_class = "worker_lost"

    def __init__(self, task: str, detail: str) -> None:
        self.task = task
        super().__init__(f"task '{task}': its Dask worker was lost ({detail})")


class DaskResourceError(QuantumFlowError):
    """A call needs more of a resource than any worker of the cluster advertises."""

    def __init__(self, task: str, resource: str, need: float, most: float) -> None:
        self.task, self.resource = task, resource
        super().__init__(
            f"task '{task}' needs resources.{resource}={need:g} but no Dask worker has more "
            f"than {most:g}; start workers with `dask worker ... --resources "
            f'"{resource}={need:g}"` or lower the task\'s need'
        )


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as err:
        raise QuantumFlowError(
            "executor 'dask' needs dask.distributed: pip install 'quantumflow[dask]'"
        ) from err
    return distributed


def _dask_key(call: Call) -> tuple[str, str]:
    """The call's Dask key before it is sent: ``(function, "<task>-<attempt>-<uuid>")``.

    The submitter appends a token per send to the first part (see ``dask_submit``); Dask
    names the task prefix after the function and shows the task id and attempt.
    """
    fn = call.fn_path.rpartition(":")[2].rpartition(".")[2] or "call"
    return (fn, f"{call.task_id or 'task'}-{call.key[1]}-{uuid.uuid4().hex}")


class _Result:
    """The FutureLike handed to the engine: waits on the Dask future, keeps big outputs."""

    def __init__(self, owner: DaskExecutor, call: Call, pending: Pending) -> None:
        self._owner, self._call, self._pending = owner, call, pending

    @property
    def future(self) -> Any:
        """The Dask future (None until the call was sent)."""
        return self._pending.future

    def done(self) -> bool:
        f = self._pending.future
        return self._pending.error is not None or (f is not None and bool(f.done()))

    def result(self, timeout: float | None = None) -> Any:
        distributed = _import_distributed()
        start = time.monotonic()
        if not self._pending.sent.wait(timeout):
            raise TimeoutError(f"task '{self._call.task_id}' was not sent yet")
        if self._pending.error is not None:
            self._owner._forget(self._call)
            raise self._pending.error
        future = self._pending.future
        if future is None:  # abandoned before it was sent
            raise concurrent.futures.CancelledError(self._call.task_id)
        left = None if timeout is None else max(0.0, timeout - (time.monotonic() - start))
        if not self._pending.done.wait(left):
            raise TimeoutError(f"task '{self._call.task_id}' did not finish in {timeout:g} s")
        if self._pending.fetched:  # the collector gathered it with others
            value, self._pending.value = self._pending.value, None
            self._owner._forget(self._call)
            self._owner._keep_remote(value, future)
            return value
        try:  # an error, a cancel, or a batch whose gather failed: ask for this one alone
            value = self._owner._collector.fetch_one(future, left)
        except distributed.KilledWorker as err:
            self._owner._forget(self._call)
            raise DaskWorkerLostError(self._call.task_id, str(err)) from err
        except Exception:
            if future.done():  # not a wait that merely timed out
                self._owner._forget(self._call)
            raise
        self._owner._forget(self._call)
        self._owner._keep_remote(value, future)
        return value


class DaskExecutor:
    """Executor backed by a ``distributed.Client``.

    Args:
        address: scheduler address such as ``tcp://10.0.0.5:8786``; default
            ``QUANTUMFLOW_DASK_ADDRESS``. ``"local"`` starts a LocalCluster (laptop tries).
        client: an existing ``distributed.Client`` to use instead (not closed on shutdown).
        workers: how many calls may run at once; default the cluster's total threads.
        inline_bytes: outputs at least this big stay on the cluster between tasks.
        connect_timeout_s: how long to wait for the scheduler.

    Raises:
        QuantumFlowError: no address, dask not installed, or the scheduler is unreachable.
    """

    name = "dask"
    inline = False
    #: the cluster's scheduler queues calls beyond its threads (see engine.api._lanes)
    queues = True

    def __init__(
        self,
        *,
        address: str | None = None,
        client: Any = None,
        workers: int | None = None,
        inline_bytes: int = INLINE_BYTES,
        connect_timeout_s: float = 30.0,
    ) -> None:
        distributed = _import_distributed()
        self._cluster: Any = None
        self._owns_client = client is None
        if client is None:
            address = address or load_settings().dask_address
            if not address:
                raise QuantumFlowError(
                    "executor 'dask' needs a scheduler address: pass address='tcp://HOST:8786' "
                    "(CLI: --address) or set QUANTUMFLOW_DASK_ADDRESS"
                )
            client = self._connect(distributed, address, connect_timeout_s, workers)
        self.client: Any = client
        self.address: str = str(client.scheduler.address)
        self.inline_bytes = inline_bytes
        self._lock = threading.Lock()
        self._running: dict[tuple[int, int], Any] = {}
        self._remote: dict[int, tuple[Any, Any]] = {}  # id(value) -> (value, future)
        self._items: dict[int, tuple[Any, Any, Any]] = {}  # id(item) -> (item, future, key)
        self._info: dict[str, Any] = {}
        self._info_at = 0.0
        self.workers = workers if workers is not None else max(1, self._total_threads())
        # "busy": the cluster has queued work for a few ms, so sends and fetches may linger
        self._collector = Collector(client, busy_at=2 * self.workers)
        self._submitter = Submitter(
            client,
            call_function,
            self._collector.track,
            self._collector.busy,
            group_size=2 * self._total_threads(),
        )

    def _connect(self, distributed: Any, address: str, timeout: float, workers: int | None) -> Any:
        try:
            if address == "local":
                self._cluster = distributed.LocalCluster(
                    n_workers=workers or 2, threads_per_worker=1, dashboard_address=None
                )
                return distributed.Client(self._cluster, set_as_default=False)
            return distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as err:
            raise QuantumFlowError(
                f"cannot reach the Dask scheduler at {address}: {err} "
                "(is `dask scheduler` running and the port open?)"
            ) from err

    # ------------------------------------------------------------------ cluster facts

    def _workers_info(self) -> dict[str, Any]:
        now = time.monotonic()
        if now - self._info_at > _INFO_TTL_S:
            self._info = dict(self.client.scheduler_info(n_workers=-1).get("workers", {}))
            self._info_at = now
        return self._info

    def _total_threads(self) -> int:
        return sum(int(w.get("nthreads", 1)) for w in self._workers_info().values())

    def _resources(self, call: Call) -> dict[str, float] | None:
        """The call's needs restricted to resources some worker advertises."""
        wanted = dict(call.resources)
        if not wanted:
            return None
        most: dict[str, float] = {}
        for info in self._workers_info().values():
            for res, amount in (info.get("resources") or {}).items():
                most[res] = max(most.get(res, 0.0), float(amount))
        out: dict[str, float] = {}
        for res, need in wanted.items():
            if res not in most:
                log.debug("no Dask worker advertises '%s'; not constraining %s", res, call.task_id)
                continue
            if need > most[res]:
                raise DaskResourceError(call.task_id, res, need, most[res])
            out[res] = float(need)
        return out or None

    # ------------------------------------------------------------------ data locality

    def _keep_remote(self, value: Any, future: Any) -> None:
        from dask.sizeof import sizeof

        try:
            big = sizeof(value) >= self.inline_bytes
        except Exception:  # sizeof is a heuristic; never fail a task over it
            big = False
        if not big:
            return
        with self._lock:
            self._remote[id(value)] = (value, future)
            if isinstance(value, dict):
                for key, item in value.items():
                    if sizeof(item) >= self.inline_bytes:
                        self._items[id(item)] = (item, future, key)

    def _as_remote(self, value: Any) -> Any:
        """The cluster-side handle of ``value`` if it is a kept output, else ``value``."""
        with self._lock:
            kept = self._remote.get(id(value))
            if kept is not None and kept[0] is value:
                return kept[1]
            item = self._items.get(id(value))
        if item is not None and item[0] is value:
            picked = self.client.submit(operator.getitem, item[1], item[2], pure=True)
            with self._lock:
                self._remote[id(value)] = (value, picked)
            return picked
        return value

    # ------------------------------------------------------------------ Executor protocol

    def submit(self, call: Call) -> _Result:
        """Queue ``call`` for the cluster; calls started together are sent together (one
        ``client.map``), in the order the dispatcher started them."""
        kwargs = {name: self._as_remote(v) for name, v in call.kwargs.items()}
        pending = Pending(
            key=_dask_key(call),
            fn_path=call.fn_path,
            kwargs=kwargs,
            # The planner's upward rank; Dask runs larger first and ties in submit order,
            # which is the order the Rust dispatcher started them in.
            priority=call.priority,
            resources=self._resources(call),
        )
        with self._lock:
            self._running[call.key] = pending
        self._submitter.put(pending)
        return _Result(self, call, pending)

    def _forget(self, call: Call) -> None:
        with self._lock:
            self._running.pop(call.key, None)

    def abandon(self, call: Call) -> None:
        """Cancel ``call`` on the cluster (a call already running finishes unobserved)."""
        with self._lock:
            pending = self._running.pop(call.key, None)
        if pending is None:
            return
        pending.cancelled = True
        if pending.future is not None:
            pending.future.cancel()

    def shutdown(self, *, cancel: bool = False) -> None:
        """Release kept outputs; close the client (and LocalCluster) if this executor made it."""
        with self._lock:
            running = [p.future for p in self._running.values() if p.future is not None]
            self._running.clear()
            self._remote.clear()
            self._items.clear()
        self._submitter.close()
        self._collector.close()
        if cancel and running:
            self.client.cancel(running)
        if self._owns_client:
            self.client.close()
            if self._cluster is not None:
                self._cluster.close()
