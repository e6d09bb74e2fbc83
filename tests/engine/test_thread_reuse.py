"""Engine threads are reused across runs (engine/threads.py) instead of started per run."""

from __future__ import annotations

import ctypes
import sys
import threading
import time

import pytest

import quantumflow as qf
from quantumflow.engine import threads


def test_spawn_reuses_an_idle_thread() -> None:
    seen: list[threading.Thread] = []
    done = threading.Event()

    def job() -> None:
        seen.append(threading.current_thread())
        assert threading.current_thread().name == "qf-test"
        done.set()

    threads.spawn(job, "qf-test")
    assert done.wait(5)
    first = seen[0]
    for _ in range(100):  # parked once its job returned
        if first in threads._idle:
            break
        threading.Event().wait(0.01)
    done.clear()
    threads.spawn(job, "qf-test")
    assert done.wait(5)
    assert seen[1] is first


def test_runs_do_not_start_threads_each_time(tmp_path, monkeypatch) -> None:
    inc = "tests.engine.fns:inc"
    spec = {
        "name": "chain",
        "tasks": [
            {"id": "a", "kind": "classical", "fn": inc, "inputs": {"x": 1}},
            {"id": "b", "kind": "classical", "fn": inc, "inputs": {"x": {"ref": "a"}}},
        ],
    }
    db = str(tmp_path / "x.db")
    assert qf.run(spec, db=db).status == "succeeded"  # leaves its threads idle
    time.sleep(0.3)  # they park just after the run returns
    parked = len(threads._idle)
    assert parked >= 3  # dispatch, event flusher, a lane at least
    started: list[str] = []
    start = threading.Thread.start

    def counting(self: threading.Thread) -> None:
        started.append(self.name)
        start(self)

    monkeypatch.setattr(threading.Thread, "start", counting)
    for _ in range(5):
        run = qf.run(spec, db=db)
        assert run.status == "succeeded" and run.outputs["b"] == 3
        deadline = time.monotonic() + 5
        while len(threads._idle) < parked and time.monotonic() < deadline:
            time.sleep(0.01)
    assert started == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="timer slack is Linux's")
def test_engine_threads_ask_for_precise_timers() -> None:
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_get_timerslack = 30
    seen: list[int] = []
    done = threading.Event()

    def job() -> None:
        seen.append(prctl(pr_get_timerslack, 0, 0, 0, 0))
        done.set()

    threads.spawn(job, "qf-test")
    assert done.wait(5)
    assert seen == [threads.TIMER_SLACK_NS]
    assert prctl(pr_get_timerslack, 0, 0, 0, 0) != threads.TIMER_SLACK_NS  # caller's untouched
