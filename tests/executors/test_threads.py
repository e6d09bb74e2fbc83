"""The in-thread executor."""

from __future__ import annotations

import threading

import pytest

from quantumflow.executors import Call, Executor, get_executor
from quantumflow.executors.threads import ThreadExecutor


def test_submit_runs_in_the_calling_thread() -> None:
    ex = get_executor("threads", workers=3)
    assert isinstance(ex, ThreadExecutor) and isinstance(ex, Executor)
    assert ex.inline and ex.workers == 3
    fut = ex.submit(Call((0, 1), "threading:get_ident"))
    assert fut.done() and fut.result() == threading.get_ident()


def test_errors_ride_on_the_future() -> None:
    fut = get_executor("threads").submit(Call((0, 1), "operator:truediv", {"a": 1, "b": 0}))
    with pytest.raises(TypeError):  # operator.truediv takes no keywords
        fut.result()
    fut = ThreadExecutor().submit(Call((0, 1), "math:sqrt", {}))
    with pytest.raises(TypeError):
        fut.result()


def test_bad_workers() -> None:
    with pytest.raises(ValueError, match="workers"):
        ThreadExecutor(workers=0)
