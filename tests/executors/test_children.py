"""Worker processes die with the process that started them (``executors/children.py``):
kill -9 or SIGTERM of the engine while an SDK worker simulates, or while a process worker
computes, leaves no process behind; a worker started from a short-lived thread lives on
after that thread."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quantumflow.executors.base import Call
from quantumflow.executors.processes import ProcessExecutor
from quantumflow.executors.sdk_workers import SdkWorkerPool
from tests.engine.test_quantum_workers import alive, gone

ROOT = Path(__file__).resolve().parents[2]

SDK_ENGINE = """
import sys, threading, time
from quantumflow.executors.sdk_workers import SdkWorkerPool
from quantumflow.spec import QuantumTask
task = QuantumTask.parse({"id": "slow", "kind": "quantum", "backend": "qiskit.aer",
    "shots": 10, "circuit": {"builtin": "random", "args": {"n": 22, "depth": 4000, "seed": 1}}})
pool = SdkWorkerPool(sdks=["qiskit"])
threading.Thread(target=pool.execute, args=(task,), kwargs={"inputs": {}}, daemon=True).start()
while not any(w.token is not None or w.conn is not None for w in pool._workers["qiskit"]):
    time.sleep(0.01)
time.sleep(1.0)  # well inside the simulation
print(pool.pids()["qiskit"][0], flush=True)
time.sleep(600)
"""

PROCESS_ENGINE = """
import sys, time
from quantumflow.executors.base import Call
from quantumflow.executors.processes import ProcessExecutor
ex = ProcessExecutor(workers=1)
fut = ex.submit(Call(key=(0, 1), fn_path="tests.executors.test_children:spin", kwargs={}))
while ex._drivers[0].proc is None or ex._drivers[0].current is None:
    time.sleep(0.01)
time.sleep(0.5)
print(ex._drivers[0].proc.pid, flush=True)
time.sleep(600)
"""


def spin() -> None:
    """A CPU-bound call that never reads its pipe (what a simulation looks like)."""
    end = time.monotonic() + 600
    while time.monotonic() < end:
        pass


def _engine(script: str) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip().isdigit(), f"the engine script failed: {line!r}"
    return proc, int(line)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_an_sdk_worker_mid_simulation_dies_with_its_engine(sig: signal.Signals) -> None:
    proc, worker = _engine(SDK_ENGINE)
    with proc:
        try:
            assert alive(worker)
            os.kill(proc.pid, sig)
            proc.wait(10)
            assert gone(worker, within=5.0), "the SDK worker outlived its engine"
        finally:
            proc.kill()
            if alive(worker):
                os.kill(worker, signal.SIGKILL)


def test_a_process_worker_mid_call_dies_with_its_engine() -> None:
    proc, worker = _engine(PROCESS_ENGINE)
    with proc:
        try:
            assert alive(worker)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            assert gone(worker, within=5.0), "the process worker outlived its engine"
        finally:
            proc.kill()
            if alive(worker):
                os.kill(worker, signal.SIGKILL)


def test_a_worker_started_by_a_thread_that_ends_outlives_the_thread() -> None:
    """The kernel's parent-death signal follows the *thread* that forked: workers are
    started from one long-lived thread, so a pool thread that exits does not kill them."""
    ex = ProcessExecutor(workers=1)
    pool = SdkWorkerPool(sdks=["qiskit"])
    try:
        started = threading.Thread(target=lambda: (ex._ensure_started(), pool.warm()))
        started.start()
        started.join()
        fut = ex.submit(Call(key=(0, 1), fn_path="tests.engine.fns:pid", kwargs={}))
        first = fut.result(timeout=60)
        time.sleep(0.5)
        (sdk_pid,) = pool.pids()["qiskit"]
        assert alive(first) and alive(sdk_pid)
        again = ex.submit(Call(key=(1, 1), fn_path="tests.engine.fns:pid", kwargs={}))
        assert again.result(timeout=60) == first  # the same warm worker
    finally:
        ex.shutdown(cancel=True)
        pool.close()
