"""One attempt of each task of a batch: the Rust dispatcher packed compatible quantum tasks
(``StartBatch``), and one lane runs them as one call.

Every member is its own attempt: it is recorded ``running``, its inputs resolved and its
cache consulted on its own (a cache hit or a bad input settles it at once); the rest run as
one SDK call (:meth:`QuantumRunner.execute_batch`) and each outcome is recorded and
reported to the dispatcher on its own, with its share of the shared time as such:
``batch_share`` (by each member's share of the native calls), ``wall_s`` that share of the
batch's wall time (what the estimator's history learns from), ``cpu_s`` that share of the
worker's CPU, ``execute_s`` its share of its native call; ``elapsed_s`` is the time it
waited for the whole batch.
A member that times out or is cancelled is abandoned alone; the worker is stopped only
once no member waits for it.
"""

from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING, Any

from .._native import scheduler
from .cache import cache_key

if TYPE_CHECKING:
    from .attempt import Attempts, Pair

_MISSING: Any = object()
_ids = itertools.count(1)


def run_batch(a: Attempts, pairs: list[Pair], clock: list[float]) -> list[Pair]:
    """Run the members of one batch; returns the successor pairs they released (for the
    lane to run)."""
    dispatcher = a.dispatcher
    assert dispatcher is not None
    if a.cancelling:  # every member was already reported cancelled
        return []
    tasks = a.vw.spec.tasks
    handle = a.quantum.prepare_batch(pairs[0][0], len(pairs))
    released: list[Pair] = []
    members: list[tuple[Pair, Any, dict[str, Any], str | None, float]] = []
    for key in pairs:
        task, attempt = key
        spec_task = tasks[task]
        if a.budget is not None:
            reason = a.budget.refuse_quantum()
            if reason is not None:  # over budget: no new quantum submissions
                a.emit(task, "cancelled", attempt, error=reason)
                handle.abort()
                released += dispatcher.complete(task, attempt, scheduler.FATAL, take=1)
                continue
        a.results[task].attempts += 1
        a.running[key] = handle
        if a.cancelling and a.running.pop(key, _MISSING) is not _MISSING:
            handle.abort()
            continue
        t0 = time.time()
        a.emit(task, "running", attempt, at=t0)
        try:
            kwargs = a.vw.inputs[task].resolve(a.outputs, a.params, a.vw.ids)
            ckey = cache_key(spec_task, kwargs, a.params) if spec_task.cache else None
            ref = a.store.cache_lookup(ckey) if ckey is not None else None
            if ref is not None:
                value = a.store.get_output(ref)
                handle.abort()  # this member no longer waits for the worker
                released += (
                    a.succeed(key, value, ref=ref, ckey=ckey, cached=True, t0=t0, clock=clock) or []
                )
                continue
        except BaseException as err:  # bad input, cache trouble: this member only
            handle.abort()
            released += a.fail(key, err, t0=t0, clock=clock) or []
            continue
        members.append((key, spec_task, kwargs, ckey, t0))
    if members:
        released += _execute(a, handle, members, clock)
    return released


def _execute(
    a: Attempts,
    handle: Any,
    members: list[tuple[Pair, Any, dict[str, Any], str | None, float]],
    clock: list[float],
) -> list[Pair]:
    batch_id = next(_ids)
    try:
        outcomes = a.quantum.execute_batch(
            [m[1] for m in members],
            handle,
            inputs=[m[2] for m in members],
            params=a.params,
            keys=[m[0] for m in members],
        )
    except BaseException as err:  # the call as a whole failed (worker died, aborted)
        outcomes = [err] * len(members)
    stats = handle.stats or {}
    executes = [_execute_s(o) for o in outcomes]
    whole = sum(executes)
    released: list[Pair] = []
    began = min(m[4] for m in members)
    shared_wall = time.time() - began
    for (key, _, kwargs, ckey, t0), outcome, ex in zip(members, outcomes, executes, strict=True):
        share = ex / whole if whole > 0 else 1.0 / len(members)
        extra: dict[str, Any] = {
            "batch_id": batch_id,
            "batch_size": len(members),
            "batch_share": share,
            # a share of the batch's wall time, as such: what this task cost (the estimator
            # learns from it); the time it waited for the whole batch is elapsed_s
            "wall_s": shared_wall * share,
            "elapsed_s": time.time() - t0,
        }
        if "cpu_s" in stats:
            extra["cpu_s"] = stats["cpu_s"] * share
        for k in ("peak_mem_bytes", "worker"):
            if k in stats:
                extra[k] = stats[k]
        if isinstance(outcome, BaseException):
            released += a.fail(key, outcome, t0=t0, clock=clock, extra=extra, kwargs=kwargs) or []
        else:
            released += (
                a.succeed(
                    key, outcome, ref=None, ckey=ckey, cached=False, t0=t0, clock=clock, extra=extra
                )
                or []
            )
    return released


def _execute_s(outcome: Any) -> float:
    """The execute seconds a member's output records (its share of a native call)."""
    if not isinstance(outcome, dict):
        return 0.0
    timings = (outcome.get("metadata") or {}).get("timings") or {}
    value = timings.get("execute", 0.0)
    return float(value) if isinstance(value, int | float) else 0.0
