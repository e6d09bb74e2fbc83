"""Warm per-SDK worker processes: real processes, real simulators."""

from __future__ import annotations

import os

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


def test_threads_never_oversubscribe() -> None:
    assert threads_per_worker(3, 2) == 1
    assert threads_per_worker(2, 16) == 8
    assert threads_per_worker(1, 1) == 1


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
