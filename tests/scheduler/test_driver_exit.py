"""A process that exits while a Dispatcher is still running must exit cleanly: the native
run loop stops touching the interpreter once it is exiting (rust/qflow-py/src/driver.rs)."""

from __future__ import annotations

import subprocess
import sys

import pytest

RAW = """
import threading, time
from quantumflow._native import scheduler as _scheduler
d = _scheduler.Dispatcher(_scheduler.Dag(2, [0], [1]), max_concurrency=1)
# start() never completes the task: the run loop keeps waking up (signal checks)
threading.Thread(target=lambda: d.run(lambda pairs: None, lambda b: None), daemon=True).start()
time.sleep(0.3)
print("exiting", flush=True)
"""

ENGINE = """
import sys, time
from quantumflow.engine import start
spec = {"name": "x", "tasks": [
    {"id": "c", "kind": "classical", "fn": "tests.engine.fns:sleep", "inputs": {"s": 30}},
    {"id": "q", "kind": "quantum", "backend": "qiskit.aer", "shots": 10, "cache": False,
     "circuit": {"builtin": "random", "args": {"n": 24, "depth": 400, "seed": 1}}}]}
handle = start(spec, db=sys.argv[1])
time.sleep(3)
print("exiting", flush=True)
"""


def exit_mid_run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("attempt", range(3))
def test_exit_while_a_dispatcher_runs_does_not_panic(attempt: int) -> None:
    proc = exit_mid_run(RAW)
    assert proc.stdout.strip() == "exiting"
    assert "panicked" not in proc.stderr and "FATAL" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_exit_during_an_engine_run_records_it_cancelled(db_url: str) -> None:
    proc = exit_mid_run(ENGINE, db_url)
    assert "panicked" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    from quantumflow.store import open_store

    with open_store(db_url) as store:
        (run,) = store.list_runs()
        assert run.status == "cancelled"
