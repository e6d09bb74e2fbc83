"""Batches in the SDK worker processes: both ends of one ``("batch", …)`` message.

The engine sends a batch of compatible quantum tasks in one message; the worker runs them
with :func:`quantumflow.backends.batch.execute_quantum_batch` (few native SDK calls) and
answers with one entry per task, ``("ok", output)`` or ``("err", class name, message,
error class)``, so a task's own error fails only that task.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import QuantumFlowError, error_class_of
from ..spec import QuantumTask

#: The first item of a batch message (a single task's message starts with its JSON).
TAG = "batch"


def message(
    task_json: Sequence[str], inputs: Sequence[Mapping[str, Any]], params: Mapping[str, Any]
) -> tuple[Any, ...]:
    """What the engine sends for a batch."""
    return (TAG, list(task_json), [dict(i) for i in inputs], dict(params))


def is_batch(msg: Any) -> bool:
    """Whether a message the worker received is a batch."""
    return isinstance(msg, tuple) and len(msg) == 4 and msg[0] == TAG


def run_in_worker(
    msg: tuple[Any, ...], parse: Any, threads: int
) -> tuple[str, list[tuple[Any, ...]], dict[str, Any]]:
    """Worker side: run the batch; ``parse(task_json)`` gives the (cached) task."""
    from ..backends.batch import execute_quantum_batch
    from .measure import peak_rss_bytes, worker_name

    _, texts, inputs, params = msg
    entries: list[tuple[Any, ...] | None] = [None] * len(texts)
    tasks: list[QuantumTask] = []
    keep: list[int] = []
    for i, text in enumerate(texts):
        try:
            tasks.append(parse(text))
            keep.append(i)
        except QuantumFlowError as exc:
            entries[i] = ("err", type(exc).__name__, str(exc), error_class_of(exc))
    cpu = time.process_time()
    outs = execute_quantum_batch(tasks, [inputs[i] for i in keep], params=params, threads=threads)
    for i, out in zip(keep, outs, strict=True):
        if isinstance(out, BaseException):
            entries[i] = ("err", type(out).__name__, str(out), error_class_of(out))
        else:
            entries[i] = ("ok", out)
    stats = {
        "cpu_s": time.process_time() - cpu,
        "peak_mem_bytes": peak_rss_bytes(),
        "worker": worker_name(),
    }
    return (
        "ok",
        [e if e is not None else ("err", "BackendError", "not run", "backend") for e in entries],
        stats,
    )
