"""Big simulations run alone on the SDK workers; ordinary calls share them."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from quantumflow.executors.alone import ALONE_QUBITS, SharedOrAlone, runs_alone
from quantumflow.spec import QuantumTask


def task(n: int, **circuit: object) -> QuantumTask:
    source = circuit or {"builtin": "ghz", "args": {"n": n}}
    return QuantumTask(id=f"q{n}", backend="qiskit.aer", circuit=source, shots=10)


def test_wide_circuits_run_alone_and_user_callables_are_never_called() -> None:
    assert not runs_alone([task(4), task(ALONE_QUBITS - 1)])
    assert runs_alone([task(4), task(ALONE_QUBITS)])
    called = task(0, callable="tests.executors.test_alone:never_called")
    assert not runs_alone([called])
    assert not runs_alone([task(0, qasm="OPENQASM 3.0; qubit[2] q; nonsense;")])


def never_called() -> None:
    raise AssertionError("runs_alone called a user's circuit callable")


def test_an_alone_holder_waits_for_shared_ones_and_keeps_them_out() -> None:
    gate = SharedOrAlone()
    log: list[str] = []
    first_in = threading.Event()

    def shared(name: str, hold_s: float) -> None:
        with gate.hold(alone=False):
            log.append(f"{name}+")
            first_in.set()
            time.sleep(hold_s)
            log.append(f"{name}-")

    def alone() -> None:
        with gate.hold(alone=True):
            log.append("big+")
            time.sleep(0.2)
            log.append("big-")

    a = threading.Thread(target=shared, args=("a", 0.3))
    a.start()
    assert first_in.wait(5)
    big = threading.Thread(target=alone)
    big.start()
    time.sleep(0.05)  # big is waiting for a; b arrives after big asked
    b = threading.Thread(target=shared, args=("b", 0.0))
    b.start()
    for t in (a, big, b):
        t.join(5)
    assert log.index("big+") > log.index("a-")  # waited for the call in flight
    inside = log[log.index("big+") : log.index("big-") + 1]
    assert inside == ["big+", "big-"]  # nothing else ran while it did


@pytest.mark.slow
def test_a_wide_simulation_has_the_pool_and_every_core_to_itself() -> None:
    from quantumflow.executors.sdk_workers import SdkWorkerPool

    with SdkWorkerPool(sdks=("qiskit",), cores=2, per_sdk=2) as pool:
        spans: list[tuple[str, float, float]] = []
        budgets: dict[str, set[int]] = {}
        call = pool._call

        def timed(sdk: str, msg: Any, **kw: Any) -> Any:
            budgets.setdefault(kw["task_id"], set()).add(msg[-1])  # threads it was given
            start = time.monotonic()
            try:
                return call(sdk, msg, **kw)
            finally:
                spans.append((kw["task_id"], start, time.monotonic()))

        pool._call = timed  # type: ignore[method-assign]
        wide = QuantumTask(
            id="wide", backend="qiskit.aer", shots=10, seed=1, cache=False,
            circuit={"builtin": "random", "args": {"n": ALONE_QUBITS + 4, "depth": 4, "seed": 1}},
        )  # fmt: skip
        small = QuantumTask(
            id="small", backend="qiskit.aer", shots=20_000, seed=1, cache=False,
            circuit={"builtin": "random", "args": {"n": ALONE_QUBITS - 2, "depth": 40, "seed": 1}},
        )  # fmt: skip
        with ThreadPoolExecutor(4) as ex:
            outs = list(ex.map(lambda t: pool.execute(t, inputs={}), [small, wide] * 3))
        assert all(o["counts"] for o in outs)
        assert len(pool.pids()["qiskit"]) == 2  # small calls did overlap (a second worker)
        assert budgets == {"wide": {2}, "small": {1}}  # every core alone; shared evenly
        for name, a, b in spans:
            if name == "wide":
                others = [(c, d) for other, c, d in spans if (other, c, d) != (name, a, b)]
                assert all(d <= a or c >= b for c, d in others), "a call overlapped a big one"
