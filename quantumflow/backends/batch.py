"""Cross-task batches: many quantum tasks' jobs in as few native SDK calls as possible.

The engine hands a batch of compatible tasks (same backend, same options) to
:func:`execute_quantum_batch`, in one SDK worker call. Each task's job is built and checked
on its own (a bad circuit fails only its task); the backend's ``run_batch(jobs)`` packs what
one native call can carry (Aer: a list of circuits in one ``run``; qsim/Cirq: one
``run_batch``; PennyLane: one ``qml.execute`` over tapes; IBM Runtime: one primitive job
with many PUBs) and returns one :class:`~.base.BatchResult` or error per job. Backends
without ``run_batch`` run the jobs one after another. Other stages that expand a task into
many circuits (e.g. error mitigation) call :func:`run_jobs` directly.

Seeded results do not depend on batching: an adapter packs seeded jobs only where the SDK
gives every circuit the seed it would get alone, and runs the others one by one.

Time that several tasks shared is split by each job's estimated cost: a member's
``timings.execute`` is its share, and ``metadata.batch`` says so (``size`` members,
``index``, ``native_size`` circuits in its native call, ``share`` of that call's time).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import BackendError
from ..spec import QuantumTask
from .base import Backend, BatchResult, QuantumJob
from .classify import classify
from .registry import get_backend

Outcome = BatchResult | BackendError


def split_time(total_s: float, weights: Sequence[float]) -> list[float]:
    """``total_s`` split in proportion to ``weights`` (equal parts when they are all 0)."""
    clean = [w if w > 0 else 0.0 for w in weights]
    whole = sum(clean)
    if whole <= 0:
        return [total_s / len(clean)] * len(clean) if clean else []
    return [total_s * w / whole for w in clean]


def shared(
    results: Sequence[BatchResult], total_s: float, weights: Sequence[float]
) -> Sequence[BatchResult]:
    """Record that ``results`` came from one native call of ``total_s`` seconds: each
    gets its share as ``timings.execute`` and ``extra.batch`` describing the call."""
    shares = split_time(total_s, weights)
    for r, s in zip(results, shares, strict=True):
        r.timings["execute"] = s
        r.extra["batch"] = {
            "native_size": len(results),
            "share": s / total_s if total_s > 0 else 1.0 / len(results),
            "native_execute_s": total_s,
        }
    return results


def alone(backend: Backend, job: QuantumJob) -> Outcome:
    """Run one job by itself (submit + result), its error as a value."""
    try:
        return backend.result(backend.submit(job))
    except BackendError as exc:
        return exc
    except Exception as exc:  # an adapter bug must fail its task, not the batch
        return BackendError(
            f"{backend.name} failed: {type(exc).__name__}: {exc}",
            backend=backend.name,
            error_class=classify(exc),
        )


def packed(
    jobs: Sequence[QuantumJob],
    call: Callable[[], Sequence[BatchResult]],
    *,
    backend: Backend,
    fallback: Callable[[QuantumJob], Outcome] | None = None,
) -> list[Outcome]:
    """Run ``call`` (one native call for all ``jobs``) and record the time shares. If the
    call fails, every job runs alone, so a bad member fails by itself."""
    start = time.perf_counter()
    try:
        results = list(call())
    except Exception:
        one = fallback or (lambda job: alone(backend, job))
        return [one(job) for job in jobs]
    total = time.perf_counter() - start
    return list(shared(results, total, [backend.estimate(job) for job in jobs]))


def run_jobs(backend: Backend, jobs: Sequence[QuantumJob]) -> list[Outcome]:
    """Run ``jobs`` on ``backend`` in as few native calls as it allows (its ``run_batch``),
    else one after another. One result or error per job, in order."""
    if not jobs:
        return []
    run_batch = getattr(backend, "run_batch", None)
    if run_batch is None or len(jobs) == 1:
        return [alone(backend, job) for job in jobs]
    outcomes: list[Outcome] = list(run_batch(list(jobs)))
    if len(outcomes) != len(jobs):
        raise BackendError(
            f"{backend.name}.run_batch returned {len(outcomes)} results for {len(jobs)} jobs",
            backend=backend.name,
        )
    return outcomes


def execute_quantum_batch(
    tasks: Sequence[QuantumTask],
    inputs: Sequence[Mapping[str, Any]],
    *,
    params: Mapping[str, Any] | None = None,
    threads: int | None = None,
) -> list[dict[str, Any] | BackendError]:
    """Run several quantum tasks as one batch; per task, its output dict (exactly what
    :func:`~.tasks.execute_quantum_task` returns, plus ``metadata.batch``) or its error."""
    from .tasks import build_job, check_size, format_output

    start = time.perf_counter()
    out: list[dict[str, Any] | BackendError] = [
        BackendError("not run", backend=t.backend) for t in tasks
    ]
    by_backend: dict[str, list[tuple[int, QuantumJob, list[dict[str, float]]]]] = {}
    for i, (task, kwargs) in enumerate(zip(tasks, inputs, strict=True)):
        try:
            backend = get_backend(task.backend)
            job, points = build_job(task, inputs=kwargs, params=params, threads=threads)
            check_size(job.circuit, backend.capabilities(), backend=task.backend)
        except BackendError as exc:
            out[i] = exc
            continue
        by_backend.setdefault(task.backend, []).append((i, job, points))
    for name, members in by_backend.items():
        backend = get_backend(name)
        results = run_jobs(backend, [job for _, job, _ in members])
        for (i, job, points), res in zip(members, results, strict=True):
            if isinstance(res, BackendError):
                out[i] = res
                continue
            info = {"size": len(tasks), "index": i, **res.extra.get("batch", {})}
            res.extra = {**res.extra, "batch": info}
            out[i] = format_output(tasks[i], job, res, points, started=start, job_id=res.job_id)
    return out
