"""One attempt of one task: resolve inputs, consult the cache, call, record, report to Rust.

:class:`Attempts` holds the per-run task state shared by the worker threads. Who owns an
attempt is settled by one atomic ``dict.pop`` on ``running``: the worker that finishes it
or the timeout/cancel handler that abandons it, never both.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .._native import scheduler
from ..config import Secret
from ..errors import error_class_of, should_retry
from ..executors.base import Call
from ..executors.progress import reporting
from ..graph.routes import Route, plan_routes
from ..graph.validate import ValidatedWorkflow
from ..spec import ClassicalTask
from ..status import TASK_TERMINAL
from .cache import cache_key
from .events import EventSink
from .metrics import attempt_metrics
from .models import MetricEvent, TaskResult
from .quantum import QuantumCall, QuantumRunner

if TYPE_CHECKING:
    from ..backends.base import ExecutionMode
    from ..store.store import Store

log = logging.getLogger(__name__)

FIRST_ATTEMPT = 1  # the Dispatcher numbers attempts from 1
_MISSING: Any = object()
_new_event = tuple.__new__  # TaskEvent from a tuple of its fields (see emit)
Pair = tuple[int, int]


def _describe(err: BaseException, kwargs: dict[str, Any] | None = None) -> str:
    """The error a task row keeps: ``Type: message``, secret values it got as ``***``."""
    text = str(err)
    if kwargs:
        for value in kwargs.values():
            if type(value) is Secret and value:  # the user's error may quote its input
                text = text.replace(value, "***")
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


class Attempts:
    """Task state of one run and the code that runs one attempt (called by worker threads)."""

    def __init__(
        self,
        vw: ValidatedWorkflow,
        *,
        store: Store,
        run_id: str,
        executor: Any,
        params: Mapping[str, Any],
        on_event: Callable[[Any], None] | None,
        routes: Mapping[int, Route] | None = None,
        modes: Mapping[str, ExecutionMode] | None = None,
        reattach: Mapping[int, dict[str, Any]] | None = None,
    ) -> None:
        from ..store import TaskEvent  # the store package is imported with the engine

        self.vw, self.store, self.run_id, self.executor = vw, store, run_id, executor
        self.params = dict(params)
        self.sink = EventSink(store, on_event)
        self.on_event = on_event
        self.task_event = TaskEvent
        spec = vw.spec
        pol = spec.policies
        n = len(vw.ids)
        self.outputs: list[Any] = [None] * n
        self.results: list[TaskResult] = [TaskResult() for _ in range(n)]
        self.retries = [t.retries if t.retries is not None else pol.retries for t in spec.tasks]
        self.timeouts = [t.timeout_s or pol.timeout_s or 0.0 for t in spec.tasks]
        self.retry_on: list[str] | None = list(pol.retry_on) if pol.retry_on else None
        self.inline: bool = bool(executor.inline)
        # what abandon() can stop: a Call (executor), a QuantumCall (SDK worker) or None
        self.running: dict[Pair, Call | QuantumCall | None] = {}
        self.retired: set[Pair] = set()
        self.cancelling = False
        self.dispatcher: scheduler.Dispatcher | None = None
        self.priority: list[float] = [0.0] * n  # set by the runner from the plan
        self.budget: Any = None  # a cost.BudgetGuard when the spec has a budget (runner)
        self.queued_at: dict[Pair, float] = {}  # when the dispatcher released an attempt
        self.walls: dict[int, float] = {}  # wall seconds of each task's successful attempt
        # quantum tasks: SDK worker or in-process (planned with the run's slots)
        self.quantum = QuantumRunner(
            plan_routes(spec.tasks) if routes is None else routes,
            modes=modes,
            reattach=reattach,
            record_jobs=self.record_jobs,
        )
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ recording

    def emit(
        self,
        task: int,
        status: str,
        attempt: int,
        *,
        at: float | None = None,
        error: str | None = None,
        output_ref: str | None = None,
        cache_hit: bool = False,
        metrics: dict[str, Any] | None = None,
    ) -> None:
        """Update the in-memory state, queue the event for the store and ``on_event``."""
        now = time.time() if at is None else at
        res = self.results[task]
        res.status = status
        if status == "running":
            res.started_at, res.error = now, None
        elif status != "skipped":
            if res.started_at is not None and status != "cancelled":
                res.duration = now - res.started_at
            res.finished_at = now
            res.error = error
            res.cache_hit = cache_hit
        # TaskEvent is a named tuple of (run_id, task_id, status, attempt, at, error,
        # output_ref, cache_hit, metrics): made from its fields directly, a third of the
        # cost of its constructor (two per task)
        self.sink.put(
            _new_event(
                self.task_event,
                (
                    self.run_id,
                    self.vw.ids[task],
                    status,
                    attempt,
                    now,
                    error,
                    output_ref,
                    cache_hit,
                    metrics,
                ),
            )
        )

    def record_jobs(self, jobs: dict[int, tuple[int, dict[str, Any]]]) -> None:
        """Commit the cloud jobs attempts now wait on (``resume`` re-attaches to them)."""
        save = getattr(self.store, "record_remote_jobs", None)
        if save is None:  # a duck-typed store without it: nothing to re-attach to later
            return
        ids = self.vw.ids
        save(self.run_id, {ids[i]: {"attempt": a, **rec} for i, (a, rec) in jobs.items()})

    def _final(self, task: int, attempt: int) -> bool:
        return attempt - FIRST_ATTEMPT >= self.retries[task]

    # ------------------------------------------------------------------ one attempt

    def run(self, task: int, attempt: int, clock: list[float]) -> list[Pair] | None:
        """Run one attempt. Returns the successor pairs to run inline, or None when this
        thread was replaced (its attempt timed out) and must exit.

        ``clock`` holds the calling thread's CPU time at the end of its previous attempt
        (reading the thread clock is a system call; one read per attempt suffices).
        """
        key = (task, attempt)
        dispatcher = self.dispatcher
        assert dispatcher is not None
        if self.cancelling:  # already reported cancelled by the dispatcher
            return []
        spec_task = self.vw.spec.tasks[task]
        if self.budget is not None and spec_task.kind == "quantum":
            reason = self.budget.refuse_quantum()
            if reason is not None:  # over budget: no new quantum submissions
                self.emit(task, "cancelled", attempt, error=reason)
                return dispatcher.complete(task, attempt, scheduler.FATAL, take=1)
        self.results[task].attempts += 1
        # set once, before the cancel check: timeout/cancel pop it to stop the attempt
        handle = self.quantum.prepare(task) if spec_task.kind == "quantum" else None
        self.running[key] = handle
        if self.cancelling and self.running.pop(key, _MISSING) is not _MISSING:
            return []  # cancelled between the check above and now; not yet reported
        t0 = time.time()
        self.emit(task, "running", attempt, at=t0)
        ckey: str | None = None
        cached = False
        kwargs: dict[str, Any] | None = None
        try:
            kwargs = self.vw.inputs[task].resolve(self.outputs, self.params, self.vw.ids)
            if spec_task.cache:
                ckey = cache_key(spec_task, kwargs, self.params)
            ref = self.store.cache_lookup(ckey) if ckey is not None else None
            if ref is not None:
                value, cached = self.store.get_output(ref), True
            else:
                value = self._call(key, spec_task, kwargs, handle)
        except BaseException as err:  # the user's error becomes the task's
            return self.fail(key, err, t0=t0, clock=clock, handle=handle, kwargs=kwargs)
        return self.succeed(
            key, value, ref=ref, ckey=ckey, cached=cached, t0=t0, clock=clock, handle=handle
        )

    def fail(
        self,
        key: Pair,
        err: BaseException,
        *,
        t0: float,
        clock: list[float],
        handle: QuantumCall | None = None,
        extra: dict[str, Any] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> list[Pair] | None:
        """Record a failed attempt (``retrying`` or ``failed``, per ``policies.retry_on``
        and the retries left) and report it; returns what :meth:`run` returns. ``kwargs``:
        the inputs it got (secret values are blanked out of the message)."""
        task, attempt = key
        if self.running.pop(key, _MISSING) is _MISSING:
            return self._stale(key)
        dispatcher = self.dispatcher
        assert dispatcher is not None
        fatal = not should_retry(err, self.retry_on)
        final = fatal or self._final(task, attempt)
        log.debug("task %s attempt %d failed: %r", self.vw.ids[task], attempt, err)
        metrics = self._metrics(t0, clock, key, handle=handle)
        metrics["error_class"] = error_class_of(err)
        if extra:
            metrics.update(extra)
        self.emit(
            task,
            "failed" if final else "retrying",
            attempt,
            error=_describe(err, kwargs),
            metrics=metrics,
        )
        outcome = scheduler.FATAL if fatal else scheduler.FAILED
        return dispatcher.complete(task, attempt, outcome, take=1)

    def _call(
        self, key: Pair, task: Any, kwargs: dict[str, Any], handle: QuantumCall | None
    ) -> Any:
        if isinstance(task, ClassicalTask):
            fn = self.vw.functions[key[0]]
            if self.inline and fn is not None:
                with reporting(self._reporter(task.id)):
                    return fn(**kwargs)
            call = Call(key, task.fn, kwargs, task.id, task.resources, self.priority[key[0]])
            self.running[key] = call
            return self.executor.submit(call).result()
        return self.quantum.execute(task, handle, inputs=kwargs, params=self.params, key=key)

    def _reporter(self, task_id: str) -> Callable[[dict[str, float]], None]:
        """Where ``quantumflow.report`` calls of this task go: the store and ``on_event``."""

        def send(values: dict[str, float]) -> None:
            data = {"values": values}
            self.store.record_metric(self.run_id, task_id, data)
            if self.on_event is not None:
                self.on_event(MetricEvent(self.run_id, task_id, data, time.time()))

        return send

    def succeed(
        self,
        key: Pair,
        value: Any,
        *,
        ref: str | None,
        ckey: str | None,
        cached: bool,
        t0: float,
        clock: list[float],
        handle: QuantumCall | None = None,
        extra: dict[str, Any] | None = None,
    ) -> list[Pair] | None:
        task, attempt = key
        if self.running.pop(key, _MISSING) is _MISSING:
            return self._stale(key)
        dispatcher = self.dispatcher
        assert dispatcher is not None
        if ref is None:
            try:
                ref = self.store.put_output(value)
            except Exception as err:  # an output the store cannot keep
                msg = f"its return value cannot be stored: {_describe(err)}"
                self.emit(task, "failed", attempt, error=msg)
                return dispatcher.complete(task, attempt, scheduler.FATAL, take=1)
            if ckey is not None:
                self.store.cache_store(ckey, ref)
        self.outputs[task] = value
        metrics = self._metrics(t0, clock, key, value, cached=cached, handle=handle)
        if extra:
            metrics.update(extra)
        if not cached:
            self.walls[task] = metrics["wall_s"]
        self.emit(
            task,
            "cached" if cached else "succeeded",
            attempt,
            output_ref=ref,
            cache_hit=cached,
            metrics=metrics,
        )
        return dispatcher.complete(task, attempt, scheduler.OK, take=1)

    def _metrics(
        self,
        t0: float,
        clock: list[float],
        key: Pair,
        value: Any = None,
        *,
        cached: bool = False,
        handle: QuantumCall | None = None,
    ) -> dict[str, Any]:
        cpu = time.thread_time()
        cpu_s, clock[0] = cpu - clock[0], cpu
        metrics = {"started_at": t0, "wall_s": time.time() - t0, "cpu_s": cpu_s}
        queued = self.queued_at.pop(key, None)
        if queued is not None:
            metrics["queued_at"] = queued
        task = self.vw.spec.tasks[key[0]]
        # where the attempt ran: inline classical calls and in-process quantum tasks here
        if task.kind == "quantum":  # a cache hit is served here, an execution maybe not
            local = cached or not self.quantum.in_worker(key[0])
        else:
            local = self.inline
        if handle is not None and handle.stats:
            metrics.update(handle.stats)  # measured in the SDK worker that ran it
        attempt_metrics(task, value, metrics, local=local, cached=cached)
        if self.budget is not None:
            self.budget.spend(metrics.get("cost_usd"))
        return metrics

    def _stale(self, key: Pair) -> list[Pair] | None:
        with self._lock:
            if key in self.retired:
                self.retired.discard(key)
                return None
        return []

    # ------------------------------------------------------------------ abandoning

    def abandon(self, task: int, attempt: int, message: str) -> bool:
        """A timed-out attempt: record it, stop it where possible.

        Returns:
            True when the thread running it cannot be stopped and was retired: the runner
            must add a replacement thread. False when the attempt was already over or was
            stopped (executor call abandoned, SDK worker killed).
        """
        key = (task, attempt)
        call = self.running.pop(key, _MISSING)
        if call is _MISSING:
            return False
        status = "failed" if self._final(task, attempt) else "retrying"
        self.emit(task, status, attempt, error=message)
        if isinstance(call, QuantumCall):
            call.abort()  # the thread gets an error at once and moves on
            return False
        if self.inline or call is None:  # in-thread work cannot be stopped: retire the thread
            with self._lock:
                self.retired.add(key)
            return True
        self.executor.abandon(call)
        return False

    def cancel(self, task: int, attempt: int) -> None:
        """The dispatcher cancelled this task: record it, stop a running attempt."""
        call = self.running.pop((task, attempt), _MISSING)
        if call is _MISSING and self.results[task].status in TASK_TERMINAL:
            return
        self.emit(task, "cancelled", attempt, error="run cancelled")
        if isinstance(call, QuantumCall):
            call.abort()
        elif isinstance(call, Call):
            self.executor.abandon(call)
