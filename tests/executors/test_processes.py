"""Local worker processes: results, errors, warm workers, hard kill on abandon."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from quantumflow.executors import Call, get_executor
from quantumflow.executors.processes import ProcessExecutor, WorkerLostError

F = "tests.engine.fns"


@pytest.fixture
def pool() -> Iterator[ProcessExecutor]:
    ex = get_executor("processes", workers=2)
    assert isinstance(ex, ProcessExecutor)
    yield ex
    ex.shutdown(cancel=True)


def test_results_come_from_warm_worker_processes(pool: ProcessExecutor) -> None:
    futs = [pool.submit(Call((i, 1), f"{F}:add", {"a": i, "b": 1})) for i in range(10)]
    assert [f.result(60) for f in futs] == list(range(1, 11))
    pids = {pool.submit(Call((99, i), f"{F}:pid")).result(60) for i in range(6)}
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2  # processes are reused, not spawned per call


def test_user_errors_are_reraised(pool: ProcessExecutor) -> None:
    with pytest.raises(ValueError, match="always fails"):
        pool.submit(Call((0, 1), f"{F}:fail")).result(60)
    with pytest.raises(Exception, match="cannot import module"):
        pool.submit(Call((0, 2), "no_such_mod_q:f")).result(60)


def test_abandon_kills_the_worker_and_a_new_one_takes_over(pool: ProcessExecutor) -> None:
    call = Call((1, 1), f"{F}:sleep", {"s": 60}, task_id="slow")
    fut = pool.submit(call)
    time.sleep(1.0)  # let it start (spawn takes a moment)
    deadline = time.monotonic() + 30
    while not any(d.current for d in pool._drivers) and time.monotonic() < deadline:
        time.sleep(0.05)
    t0 = time.monotonic()
    pool.abandon(call)
    with pytest.raises(WorkerLostError, match="slow"):
        fut.result(30)
    assert time.monotonic() - t0 < 5
    assert pool.submit(Call((2, 1), f"{F}:add", {"a": 1, "b": 1})).result(60) == 2


def test_abandon_before_start_drops_the_call() -> None:
    ex = ProcessExecutor(workers=1)
    try:
        blocker = ex.submit(Call((0, 1), f"{F}:sleep", {"s": 0.5}))
        queued = Call((1, 1), f"{F}:one")
        fut = ex.submit(queued)
        ex.abandon(queued)
        assert blocker.result(60) == 0.5
        time.sleep(0.2)
        assert not fut.done()  # never run
    finally:
        ex.shutdown(cancel=True)


def test_unknown_executor_names_the_choices() -> None:
    from quantumflow.errors import QuantumFlowError

    with pytest.raises(QuantumFlowError, match=r"unknown executor 'nope'.*processes"):
        get_executor("nope")
