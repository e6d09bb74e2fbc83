"""The run loop: the Rust Dispatcher decides, worker threads act, the store records.

One :class:`Runner` drives one run. ``Dispatcher.begin`` hands the first ready pairs to the
calling thread, which queues them before the lanes start. ``Dispatcher.run`` (Rust) then
blocks a dispatch thread and calls back ``_start`` with later ready ``(task, attempt)``
pairs and ``_notify`` with timeouts, skips and cancellations. Engine worker threads
("lanes") take pairs from a queue, run the attempt (in-thread for the threads executor,
else through the executor) and report with ``Dispatcher.complete(..., take=1)``, running a
newly ready successor inline (chains stay on one thread). The calling thread watches for
cancellation (handle, store, Ctrl-C).
"""

from __future__ import annotations

import atexit
import logging
import queue
import sys
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .._native import scheduler
from ..errors import TaskTimeoutError
from ..graph.validate import ValidatedWorkflow
from ..spec import ClassicalTask
from ..status import TASK_TERMINAL
from .attempt import Attempts
from .batch_attempt import run_batch
from .models import Run, TaskResult
from .plan import RunPlan, note_history
from .threads import spawn

if TYPE_CHECKING:
    from ..spec import WorkflowSpec
    from ..store.store import Store

log = logging.getLogger(__name__)

POLL_S = 0.2  # how often the store's cancel flag is read
_STOP = (-1, -1)
_ACTIVE: weakref.WeakSet[Runner] = weakref.WeakSet()
_exit_hook: list[bool] = []


def _cancel_active_runs() -> None:
    # A background run still dispatching when the interpreter exits would have its native
    # dispatcher call into a finalizing interpreter: cancel it, let the dispatcher return
    # and the run be recorded 'cancelled'. Registered at the first run, after the store's
    # own exit hook, so it runs before the store closes (atexit is last-in, first-out).
    runners = list(_ACTIVE)
    for runner in runners:
        runner._cancel("the Python interpreter is exiting")
    deadline = time.monotonic() + 5
    for runner in runners:
        runner._closed.wait(max(0.0, deadline - time.monotonic()))


def _close_quantum_workers() -> None:
    sdk_workers = sys.modules.get("quantumflow.executors.sdk_workers")
    if sdk_workers is not None:  # only if some run used them
        sdk_workers.close_shared_pool()


class Runner:
    """Drives one run to its end. Built by ``quantumflow.engine.api``; not public."""

    def __init__(
        self,
        vw: ValidatedWorkflow,
        plan: RunPlan,
        *,
        store: Store,
        run_id: str,
        executor: Any,
        params: Mapping[str, Any],
        lanes: int,
        on_event: Callable[[Any], None] | None,
        done: Mapping[int, tuple[Any, TaskResult]],
        cancel_event: threading.Event | None = None,
        reattach: Mapping[int, dict[str, Any]] | None = None,
    ) -> None:
        self.vw, self.plan, self.store, self.run_id = vw, plan, store, run_id
        self.n_lanes = max(1, lanes)
        self.cancel_event = cancel_event or threading.Event()
        self.done = done
        self.attempts = Attempts(
            vw,
            store=store,
            run_id=run_id,
            executor=executor,
            params=params,
            on_event=on_event,
            routes=plan.routes,
            modes=_modes(plan, run_id),
            reattach=reattach,
        )
        self.attempts.priority = list(plan.priority)
        for i, (value, result) in done.items():
            self.attempts.outputs[i] = value
            self.attempts.results[i] = result
        # a pair, or a batch (a list of pairs) to run as one call
        self.ready: queue.SimpleQueue[tuple[int, int] | list[tuple[int, int]]] = queue.SimpleQueue()
        self.dispatcher: scheduler.Dispatcher | None = None
        self._finished = threading.Event()  # the dispatcher returned
        self._dispatch_once = threading.Lock()  # held by the one thread running it
        self._closed = threading.Event()  # the run is recorded and over
        self._outcome: str = "failed"
        self._dispatch_error: BaseException | None = None
        self._cancelled = False
        self._lanes: list[str] = []  # one entry per lane started (each takes one _STOP)

    # ------------------------------------------------------------------ main thread

    def execute(self) -> Run:
        """Run to the end and return the :class:`Run`.

        Raises:
            KeyboardInterrupt: after the run was cancelled and recorded as ``cancelled``.
        """
        started = time.time()
        if not _exit_hook:
            _exit_hook.append(True)
            # last-in, first-out: cancel runs first, then stop the SDK worker processes
            atexit.register(_close_quantum_workers)
            atexit.register(_cancel_active_runs)
        try:
            return self._execute(started)
        finally:
            try:
                self.attempts.sink.close()  # idempotent; a no-op after _finish
            finally:
                self._closed.set()

    def _execute(self, started: float) -> Run:
        interrupted = False
        try:
            self._launch()
            self._watch()
        except KeyboardInterrupt:  # Ctrl-C, possibly before everything was started
            interrupted = True
            self._cancel("interrupted (Ctrl-C)")
            if self.dispatcher is not None:
                spawn(self._dispatch, "qf-dispatch")  # returns at once if one runs already
                self._finished.wait()
        for _ in self._lanes:
            self.ready.put(_STOP)
        run = self._finish(started)
        if interrupted:
            raise KeyboardInterrupt
        if self._dispatch_error is not None:
            raise self._dispatch_error
        return run

    def _launch(self) -> None:
        """Record the start, make the dispatcher, queue the first tasks, start the threads."""
        spec = self.vw.spec
        pol = spec.policies
        tasks = spec.tasks
        start_run = getattr(self.store, "start_run", None)
        if start_run is not None:  # one commit: 'running' and the schedule
            start_run(self.run_id, self.plan.schedule)
        else:  # a store object without it (duck-typed stores)
            self.store.set_run_status(self.run_id, "running")
            self.store.save_schedule(self.run_id, self.plan.schedule)
        self.attempts.budget = _budget_guard(spec)
        dispatcher = scheduler.Dispatcher(
            self.plan.dag,
            # never start more than the worker threads can take: a started attempt's
            # deadline is running, it must not wait in a queue
            max_concurrency=min(pol.max_concurrency, self.n_lanes),
            # backend and user slots (engine/resources.py): None when nothing is limited
            resource=None if self.plan.slots is None else self.plan.slots.resource,
            capacities=None if self.plan.slots is None else self.plan.slots.capacities,
            retries=self.attempts.retries,
            backoff_s=pol.retry_backoff_s,
            timeouts_s=[t.timeout_s or pol.timeout_s or 0.0 for t in tasks],
            continue_on_failure=pol.on_failure == "continue",
            done=sorted(self.done),
            priority=self.plan.priority,
            # compatible quantum tasks ready together start as one batch (engine/batching.py)
            batch_group=None if self.plan.batches is None else self.plan.batches.group,
            batch_max=None if self.plan.batches is None else self.plan.batches.max_size,
            batch_window_s=None if self.plan.batches is None else self.plan.batches.window_s,
        )
        self.dispatcher = dispatcher
        self.attempts.dispatcher = dispatcher
        # The first ready tasks are queued here, so the lanes find work as they wake,
        # without waiting for the dispatch thread and its runtime to start.
        self._start(dispatcher.begin(take=self.n_lanes))
        for _ in range(self.n_lanes):
            self._add_lane()
        _ACTIVE.add(self)
        spawn(self._dispatch, "qf-dispatch")

    def _watch(self) -> None:
        while not self._finished.wait(POLL_S):
            if not self._cancelled and (
                self.cancel_event.is_set() or self.store.cancel_requested(self.run_id)
            ):
                self._cancel("cancelled")

    def _cancel(self, reason: str) -> None:
        if self._cancelled:
            return
        self._cancelled = True
        log.info("run %s: %s", self.run_id, reason)
        self.attempts.cancelling = True
        if self.dispatcher is not None:
            self.dispatcher.cancel()  # notifies CANCELLED for running and waiting tasks

    def _finish(self, started: float) -> Run:
        a = self.attempts
        status = "cancelled" if self._cancelled else self._outcome
        guard = a.budget
        if guard is not None and guard.tripped and status != "cancelled":
            status = "budget_exceeded"  # spending crossed policies.budget (cost.budget)
        for i, res in enumerate(a.results):
            if res.status not in TASK_TERMINAL:
                a.emit(i, "cancelled" if status == "cancelled" else "skipped", res.attempts)
        error = next((r.error for r in a.results if r.status == "failed" and r.error), None)
        if status == "budget_exceeded":
            error = guard.reason
        if self._dispatch_error is not None:
            status, error = "failed", f"engine error: {self._dispatch_error!r}"
        finish_run = getattr(self.store, "finish_run", None)
        if finish_run is not None:  # the status goes with the last events: one round trip
            a.sink.close(flush=False)
            # what the store holds: 'store_error' when some of the run's rows were lost
            status, error = finish_run(self.run_id, status, error=error)
        else:  # a store object without it (duck-typed stores)
            a.sink.close()
            self.store.set_run_status(self.run_id, status, error=error)
        self._note_history()
        a.quantum.close()  # the run's IBM Batch/Session, if any
        ids = self.vw.ids
        outputs = {
            ids[i]: a.outputs[i]
            for i, r in enumerate(a.results)
            if r.status in ("succeeded", "cached")
        }
        return Run(
            id=self.run_id,
            status=status,
            spec=self.vw.spec,
            outputs=outputs,
            tasks=dict(zip(ids, a.results, strict=True)),
            params=dict(a.params),
            started_at=started,
            finished_at=time.time(),
            error=error,
            store=self.store,
        )

    def _note_history(self) -> None:
        """Hand the run's classical timings to the estimator's history (newest first)."""
        a, tasks, ids = self.attempts, self.vw.spec.tasks, self.vw.ids
        done = [
            (a.results[i].finished_at or 0.0, task.fn, ids[i], wall)
            for i, wall in a.walls.items()
            if isinstance(task := tasks[i], ClassicalTask) and a.results[i].status == "succeeded"
        ]
        done.sort(reverse=True)
        note_history(self.store, [row[1:] for row in done], self.plan.history_since)

    # ------------------------------------------------------------------ dispatch thread

    def _dispatch(self) -> None:
        assert self.dispatcher is not None
        if not self._dispatch_once.acquire(blocking=False):
            return  # a Ctrl-C handler's second spawn: one thread already dispatches
        try:
            self._outcome = self.dispatcher.run(self._start, self._notify, self._start_batches)
        except BaseException as err:  # handed to the main thread
            self._dispatch_error = err
        finally:
            self._finished.set()

    def _start(self, pairs: list[tuple[int, int]]) -> None:
        put = self.ready.put
        queued, now = self.attempts.queued_at, time.time()
        for pair in pairs:
            queued[pair] = now
            put(pair)

    def _start_batches(self, batches: list[list[tuple[int, int]]]) -> None:
        put = self.ready.put
        queued, now = self.attempts.queued_at, time.time()
        for batch in batches:
            for pair in batch:
                queued[pair] = now
            put(batch)

    def _notify(self, batch: list[tuple[int, int, int]]) -> None:
        a = self.attempts
        for task, attempt, kind in batch:
            if kind == scheduler.TIMED_OUT:
                timeout = a.timeouts[task]
                err = TaskTimeoutError(self.vw.ids[task], timeout)
                if a.abandon(task, attempt, str(err)):
                    self._add_lane()  # the stuck thread retires when its call returns
            elif kind == scheduler.SKIPPED:
                a.emit(task, "skipped", 0)
            elif kind == scheduler.CANCELLED:
                a.cancel(task, attempt)
            # RETRY: the failed attempt already recorded 'retrying'.

    # ------------------------------------------------------------------ lanes

    def _add_lane(self) -> None:
        self._lanes.append("qf-lane")
        spawn(self._lane, "qf-lane")  # a thread an earlier run left idle, if any

    def _lane(self) -> None:
        get = self.ready.get
        run_attempt = self.attempts.run
        clock = [time.thread_time()]
        while True:
            pair = get()
            if pair == _STOP:
                return
            if isinstance(pair, list):  # a batch: its successors run as usual
                try:
                    more = run_batch(self.attempts, pair, clock)
                except BaseException as err:  # an engine bug must not hang the run
                    log.exception("engine error running a batch of %d tasks", len(pair))
                    stuck = [m for m in pair if m in self.attempts.running]
                    more = [p for member in stuck for p in self._crashed(member, err)]
                if not more:
                    continue
                pair = more[0]
                for extra in more[1:]:
                    self.ready.put(extra)
            while True:
                try:
                    nxt = run_attempt(pair[0], pair[1], clock)
                except BaseException as err:  # an engine bug must not hang the run
                    log.exception("engine error running task %s", self.vw.ids[pair[0]])
                    nxt = self._crashed(pair, err)
                if nxt is None:  # this thread was replaced after a timeout
                    return
                if not nxt:
                    break
                pair = nxt[0]
                for extra in nxt[1:]:
                    self.ready.put(extra)

    def _crashed(self, pair: tuple[int, int], err: BaseException) -> list[tuple[int, int]]:
        """Fail the attempt whose bookkeeping raised; if even that fails, stop the run."""
        task, attempt = pair
        try:
            self.attempts.running.pop(pair, None)
            self.attempts.emit(task, "failed", attempt, error=f"engine error: {err!r}")
            assert self.dispatcher is not None
            return self.dispatcher.complete(task, attempt, scheduler.FATAL, take=1)
        except BaseException as again:
            log.exception("cannot report task %s; cancelling the run", self.vw.ids[task])
            self._dispatch_error = self._dispatch_error or again
            self._cancel("engine error")
            return []


def _modes(plan: RunPlan, run_id: str) -> dict[str, Any]:
    """The run's cloud execution modes (IBM Batch/Session) keyed by backend."""
    if not plan.modes:  # the common case: nothing imports the backends package
        return {}
    from ..backends.base import ExecutionMode

    return {
        name: ExecutionMode(kind, f"{run_id}:{name}", limit)
        for name, (kind, limit) in plan.modes.items()
    }


def _budget_guard(spec: WorkflowSpec) -> Any:
    """A ``quantumflow.cost`` BudgetGuard for a spec with a budget, else None."""
    if spec.policies.budget is None:
        return None
    try:
        from ..cost.budget import BudgetGuard
    except ImportError:
        return None
    return BudgetGuard.for_spec(spec)
