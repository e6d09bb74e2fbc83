"""Cloud jobs that survive the engine: submit, hand the job references over, then wait.

:func:`run_remote` submits the jobs of one or more tasks (as few provider jobs as the
adapter's ``submit_batch`` allows), calls ``on_submit`` with each task's job reference
*before* waiting (the engine commits them to the store), then waits for the results. Given
the references of jobs submitted by an earlier process (``attach``), it re-attaches to them
with the adapter's ``attach`` instead of submitting again; a job the provider no longer
knows is submitted anew (and says so in the result's ``metadata.reattached``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import BackendError
from ..spec import QuantumTask
from .base import ExecutionMode, JobHandle, QuantumJob
from .classify import classify
from .registry import get_backend

log = logging.getLogger(__name__)

#: ``on_submit`` receives, per task position, ``{"backend", "job_id", "ref"}``.
OnSubmit = Callable[[dict[int, dict[str, Any]]], None]


def job_record(handle: JobHandle) -> dict[str, Any]:
    """What the store keeps about a submitted job (no credentials, plain JSON)."""
    return {"backend": handle.backend, "job_id": handle.job_id, "ref": handle.ref}


def _wrap(backend: Any, exc: Exception, what: str) -> BackendError:
    if isinstance(exc, BackendError):
        return exc
    return BackendError(
        f"{backend.name} {what}: {type(exc).__name__}: {exc}",
        backend=backend.name,
        error_class=classify(exc),
    )


def _submit(backend: Any, jobs: list[QuantumJob]) -> list[JobHandle | BackendError]:
    many = getattr(backend, "submit_batch", None)
    if many is not None and len(jobs) > 1:
        try:
            return list(many(jobs))
        except Exception as exc:  # the packed submission failed: each job alone
            log.info("%s: packed submission failed (%r); submitting one by one", backend.name, exc)
    out: list[JobHandle | BackendError] = []
    for job in jobs:
        try:
            out.append(backend.submit(job))
        except Exception as exc:
            out.append(_wrap(backend, exc, "rejected the job"))
    return out


def run_remote(
    tasks: Sequence[QuantumTask],
    inputs: Sequence[Mapping[str, Any]],
    *,
    params: Mapping[str, Any] | None = None,
    mode: ExecutionMode | None = None,
    attach: Sequence[Mapping[str, Any] | None] | None = None,
    on_submit: OnSubmit | None = None,
) -> list[dict[str, Any] | BackendError]:
    """Run tasks of one remote backend; per task its output dict or its error.

    Args:
        tasks: the tasks (one backend).
        inputs: each task's resolved inputs.
        params: the run's parameters.
        mode: the provider's execution mode for this run (IBM Batch/Session).
        attach: per task, the job record an earlier process stored (or None).
        on_submit: called with the new job records before any wait.
    """
    from .tasks import build_job, check_size, format_output

    start = time.perf_counter()
    backend = get_backend(tasks[0].backend)
    n = len(tasks)
    out: list[dict[str, Any] | BackendError] = [BackendError("not run") for _ in tasks]
    jobs: dict[int, tuple[QuantumJob, list[dict[str, float]]]] = {}
    for i, (task, kwargs) in enumerate(zip(tasks, inputs, strict=True)):
        try:
            job, points = build_job(task, inputs=kwargs, params=params, mode=mode)
            check_size(job.circuit, backend.capabilities(), backend=task.backend)
            jobs[i] = (job, points)
        except BackendError as exc:
            out[i] = exc
    handles: dict[int, JobHandle | BackendError] = {}
    reattached: set[int] = set()
    refs = list(attach) if attach is not None else [None] * n
    reattach = getattr(backend, "attach", None)
    for i, (job, _) in jobs.items():
        record = refs[i]
        if record is None or reattach is None or record.get("backend") != backend.name:
            continue
        try:
            handles[i] = reattach(record.get("ref") or {}, job)
            reattached.add(i)
        except Exception as exc:  # gone at the provider: submit it again
            log.warning("%s: cannot re-attach to job %s (%r); submitting again",
                        backend.name, record.get("job_id"), exc)  # fmt: skip
    fresh = [i for i in jobs if i not in handles]
    for i, h in zip(fresh, _submit(backend, [jobs[i][0] for i in fresh]), strict=True):
        handles[i] = h
    submitted = {i: job_record(h) for i in fresh if isinstance(h := handles[i], JobHandle)}
    if on_submit is not None and submitted:
        on_submit(submitted)  # committed before anything waits
    for i, handle in handles.items():
        if isinstance(handle, BackendError):
            out[i] = handle
            continue
        job, points = jobs[i]
        try:
            res = backend.result(handle)
        except Exception as exc:
            out[i] = _wrap(backend, exc, f"job {handle.job_id} failed")
            continue
        if i in reattached:
            res.extra = {**res.extra, "reattached": True}
        out[i] = format_output(tasks[i], job, res, points, started=start, job_id=handle.job_id)
    return out
