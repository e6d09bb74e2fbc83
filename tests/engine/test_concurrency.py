"""max_concurrency is respected (and used), executors can be passed in, callbacks can fail."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from quantumflow.engine import run, start
from quantumflow.executors.processes import ProcessExecutor

from .conftest import ctask, wf


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    points = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    best = cur = 0
    for _, step in points:
        cur += step
        best = max(best, cur)
    return best


@pytest.mark.parametrize("limit", [1, 3])
def test_max_concurrency_is_respected_and_used(store: Any, limit: int) -> None:
    spec = wf(
        *[ctask(f"s{i}", "sleep", inputs={"s": 0.1}) for i in range(9)],
        policies={"max_concurrency": limit},
    )
    r = run(spec, db=store)
    spans = [(t.started_at or 0.0, t.finished_at or 0.0) for t in r.tasks.values()]
    assert max_overlap(spans) == limit


def test_workers_caps_threads_below_max_concurrency(store: Any) -> None:
    spec = wf(
        *[ctask(f"s{i}", "sleep", inputs={"s": 0.1}) for i in range(6)],
        policies={"max_concurrency": 6},
    )
    r = run(spec, db=store, workers=2)
    spans = [(t.started_at or 0.0, t.finished_at or 0.0) for t in r.tasks.values()]
    assert max_overlap(spans) == 2


def test_a_failing_on_event_does_not_stop_the_run(store: Any) -> None:
    def boom(_: Any) -> None:
        raise RuntimeError("callback bug")

    r = run(wf(ctask("a"), ctask("b", "inc", inputs={"x": {"ref": "a"}})), db=store, on_event=boom)
    assert r.status == "succeeded" and r.outputs["b"] == 2


@pytest.mark.slow
def test_executor_instance_is_reused_and_cancel_kills_its_workers(
    store: Any, tmp_path: Path
) -> None:
    pool = ProcessExecutor(workers=2)
    try:
        r = run(wf(ctask("p", "pid")), db=store, executor=pool)
        assert r.status == "succeeded"
        handle = start(wf(ctask("slow", "sleep", inputs={"s": 60})), db=store, executor=pool)
        deadline = time.monotonic() + 30
        while not any(d.current for d in pool._drivers) and time.monotonic() < deadline:
            time.sleep(0.05)
        t0 = time.monotonic()
        handle.cancel()
        cancelled = handle.wait(30)
        assert time.monotonic() - t0 < 10
        assert cancelled.status == "cancelled"
        assert cancelled.tasks["slow"].status == "cancelled"
        # the run did not shut down an executor it was given
        assert run(
            wf(ctask("again", "add", inputs={"a": 1, "b": 2})), db=store, executor=pool
        ).outputs == {"again": 3}
    finally:
        pool.shutdown(cancel=True)


def test_a_worker_process_starting_does_not_count_against_timeout(
    store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Worker processes that take 2 s to start (a loaded machine, a slow file system): a
    # 0.2 s task with a 1 s limit still succeeds; the limit is for the task, not for Python.
    (tmp_path / "sitecustomize.py").write_text("import time\ntime.sleep(2.0)\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), *sys.path]))
    spec = wf(ctask("quick", "sleep", timeout_s=1.0, inputs={"s": 0.2}))
    r = run(spec, db=store, executor="processes", workers=1)
    assert r.status == "succeeded", r.tasks["quick"].error


@pytest.mark.parametrize("executor", ["threads", "processes"])
def test_waiting_for_a_worker_does_not_count_against_timeout(store: Any, executor: str) -> None:
    # one worker, three 0.4 s tasks, 1 s limit each: run one after another, none times out
    spec = wf(
        *[ctask(f"s{i}", "sleep", timeout_s=1.0, inputs={"s": 0.4}) for i in range(3)],
        policies={"max_concurrency": 4},
    )
    r = run(spec, db=store, executor=executor, workers=1)
    assert r.status == "succeeded", {k: v.error for k, v in r.tasks.items()}
