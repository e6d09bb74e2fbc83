"""Warm per-SDK worker processes: real processes, real simulators."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from quantumflow.backends import execute_quantum_task
from quantumflow.errors import BackendError, ResourceLimitError, TaskTimeoutError
from quantumflow.executors.sdk_workers import SdkWorkerPool, threads_per_worker
from quantumflow.spec import QuantumTask


def ghz(backend: str, **kw: object) -> QuantumTask:
    return QuantumTask(
        id="g",
        backend=backend,
        circuit={"builtin": "ghz", "args": {"n": 3}},
        shots=200,
        seed=3,
        **kw,
    )


def slowish() -> QuantumTask:
    """Long enough (~0.5 s) that two calls sent together overlap."""
    return QuantumTask(
        id="s",
        backend="qiskit.aer",
        circuit={"builtin": "random", "args": {"n": 16, "depth": 20, "seed": 1}},
        shots=2000,
        seed=3,
        cache=False,
    )


def test_threads_never_oversubscribe() -> None:
    assert threads_per_worker(3, 2) == 1
    assert threads_per_worker(2, 16) == 8
    assert threads_per_worker(1, 1) == 1


def test_each_call_gets_the_cores_left_by_the_calls_in_flight() -> None:
    pool = SdkWorkerPool(sdks=("qiskit",), cores=4, per_sdk=2)
    assert pool._budget(+1) == 4  # alone: every core (one big simulation)
    assert pool._budget(+1) == 2  # two at once: half each
    assert pool._budget(-1) == 4
    assert pool._budget(-1) == 4 and pool._in_flight == 0


@pytest.mark.slow
def test_a_second_worker_starts_only_when_two_calls_overlap() -> None:
    with SdkWorkerPool(sdks=("qiskit",), cores=2, per_sdk=2) as pool:
        assert pool.execute(ghz("qiskit.aer"), inputs={})["counts"]
        assert pool.execute(ghz("qiskit.aer"), inputs={})["counts"]
        assert len(pool.pids()["qiskit"]) == 1  # one after another: one process
        with ThreadPoolExecutor(2) as ex:
            outs = list(ex.map(lambda _: pool.execute(slowish(), inputs={}), range(2)))
        assert all(o["counts"] for o in outs)
        assert len(pool.pids()["qiskit"]) == 2


@pytest.mark.slow
def test_workers_are_warm_separate_and_agree_with_in_process() -> None:
    with SdkWorkerPool(sdks=("qiskit", "cirq"), cores=2) as pool:
        a = pool.ping("qiskit")
        b = pool.ping("cirq")
        assert a["pid"] != b["pid"] != os.getpid()
        assert a["threads"] == 1 and b["threads"] == 1
        for name in ("qiskit.aer", "cirq.qsim"):
            got = pool.execute(ghz(name), inputs={})
            assert got["counts"] == execute_quantum_task(ghz(name), inputs={})["counts"]
        assert pool.ping("qiskit")["pid"] == a["pid"]  # same warm process
        with pytest.raises(ResourceLimitError, match="40 qubits"):
            pool.execute(
                QuantumTask(
                    id="big", backend="qiskit.aer", circuit={"builtin": "ghz", "args": {"n": 40}}
                ),
                inputs={},
            )
        with pytest.raises(BackendError, match="no SDK worker"):
            pool.execute(ghz("pennylane:default.qubit"), inputs={})


@pytest.mark.slow
def test_timeout_kills_and_restarts_the_worker() -> None:
    with SdkWorkerPool(sdks=("qiskit",), cores=2) as pool:
        first = pool.ping("qiskit")["pid"]
        slow = QuantumTask(
            id="slow",
            backend="qiskit.aer",
            circuit={"builtin": "random", "args": {"n": 22, "depth": 60}},
            shots=10,
        )
        with pytest.raises(TaskTimeoutError, match="slow"):
            pool.execute(slow, inputs={}, timeout=0.05)
        assert pool.ping("qiskit")["pid"] != first
