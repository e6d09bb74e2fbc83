"""Warm per-SDK worker processes: real processes, real simulators."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from quantumflow.backends import execute_quantum_task
from quantumflow.errors import BackendError, ResourceLimitError, TaskTimeoutError
from quantumflow.executors.sdk_workers import SdkWorkerPool
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
    """Long enough that two calls sent together overlap, narrow enough to share the pool."""
    return QuantumTask(
        id="s",
        backend="qiskit.aer",
        circuit={"builtin": "random", "args": {"n": 12, "depth": 40, "seed": 1}},
        shots=20_000,
        seed=3,
        cache=False,
    )


def test_a_wide_call_gets_every_core_and_others_share_them_evenly() -> None:
    pool = SdkWorkerPool(sdks=("qiskit",), cores=4, per_sdk=2)
    assert pool.budget(alone=True) == 4  # one wide simulation, nothing beside it
    assert pool.budget(alone=False) == 2  # two workers at once: half each
    assert SdkWorkerPool(sdks=("qiskit", "cirq"), cores=2, per_sdk=2).budget(alone=False) == 1


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
        # every core as the ceiling: a call alone must be able to use them all (Aer does not
        # go past the OpenMP count its process started with); budgets split them per call
        assert a["threads"] == 2 and b["threads"] == 2
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
