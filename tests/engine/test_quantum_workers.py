"""Quantum tasks run in warm per-SDK worker processes; timeouts and cancellation kill them;
``QUANTUMFLOW_QUANTUM_WORKERS=0`` keeps them in the engine's process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from quantumflow.engine import run, start
from quantumflow.executors import sdk_workers

from .conftest import wf

SCRIPT = """
import json, os, sys
from quantumflow.engine import run
from quantumflow.executors import sdk_workers
spec = {"name": "w", "tasks": [{"id": "a", "kind": "quantum", "backend": "qiskit.aer",
        "circuit": {"builtin": "ghz", "args": {"n": 3}}, "shots": 100, "seed": 1}]}
r = run(spec, db=sys.argv[1])
pool = sdk_workers._shared
print(json.dumps({"status": r.status, "counts": r.outputs["a"]["counts"],
                  "sdk_here": "qiskit_aer" in sys.modules,
                  "workers": pool.pids() if pool else {}}))
"""


@pytest.fixture(autouse=True)
def one_worker_per_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests follow one worker's life: its SDK gets exactly one."""
    monkeypatch.setenv("QUANTUMFLOW_QUANTUM_WORKERS", "1")


def slow(tid: str = "slow", **extra: Any) -> dict[str, Any]:
    """A circuit that simulates for many seconds."""
    return {
        "id": tid, "kind": "quantum", "backend": "qiskit.aer", "shots": 10, "cache": False,
        "circuit": {"builtin": "random", "args": {"n": 24, "depth": 400, "seed": 1}}, **extra,
    }  # fmt: skip


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (zombies count as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def gone(pid: int, within: float = 5.0) -> bool:
    """Whether ``pid`` ends within ``within`` seconds (a kill is asynchronous)."""
    deadline = time.monotonic() + within
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def qiskit_pid() -> int:
    pool = sdk_workers._shared
    assert pool is not None
    (pid,) = pool.pids()["qiskit"]
    return pid


def run_script(tmp_path: Path, **env: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "w.db")],
        capture_output=True, text=True, timeout=180, env={**os.environ, **env}, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "panick" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.slow
def test_the_sdk_runs_in_a_worker_not_in_the_engine_and_exits_with_it(tmp_path: Path) -> None:
    got = run_script(tmp_path)
    assert got["status"] == "succeeded" and set(got["counts"]) <= {"000", "111"}
    assert got["sdk_here"] is False  # qiskit_aer was imported by the worker only
    (pid,) = got["workers"]["qiskit"]
    assert gone(pid), "the SDK worker outlived the engine's process"


@pytest.mark.slow
def test_quantum_workers_0_runs_in_process(tmp_path: Path) -> None:
    got = run_script(tmp_path, QUANTUMFLOW_QUANTUM_WORKERS="0")
    assert got["status"] == "succeeded" and set(got["counts"]) <= {"000", "111"}
    assert got["sdk_here"] is True and got["workers"] == {}


@pytest.mark.slow
def test_a_timeout_kills_the_worker_and_the_next_task_gets_a_fresh_one(store: Any) -> None:
    warm = {"id": "warm", "kind": "quantum", "backend": "qiskit.aer",
            "circuit": {"builtin": "ghz", "args": {"n": 2}}, "seed": 1, "cache": False}  # fmt: skip
    assert run(wf(warm), db=store).status == "succeeded"
    before = qiskit_pid()
    t0 = time.monotonic()
    result = run(wf(slow(timeout_s=1.0)), db=store)
    assert time.monotonic() - t0 < 2.0  # stopped within 1 s of its deadline
    assert result.status == "failed"
    assert "timed out" in (result.tasks["slow"].error or "")
    assert gone(before)
    again = run(wf(warm), db=store)
    assert again.status == "succeeded" and qiskit_pid() != before


@pytest.mark.slow
def test_cancel_kills_the_worker(store: Any) -> None:
    handle = start(wf(slow()), db=store)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pool = sdk_workers._shared
        pids = pool.pids().get("qiskit") if pool is not None else None
        busy = pool is not None and any(w.token is not None for w in pool._workers["qiskit"])
        if pids and busy:
            break
        time.sleep(0.05)
    pid = qiskit_pid()
    t0 = time.monotonic()
    handle.cancel()
    result = handle.wait(30)
    assert result.status == "cancelled"
    assert gone(pid, within=max(0.0, 1.0 - (time.monotonic() - t0)))
    assert time.monotonic() - t0 < 1.0  # the simulation is stopped, the run recorded


@pytest.mark.slow
def test_metrics_come_from_the_worker_that_ran_the_task(store: Any) -> None:
    task = {"id": "m", "kind": "quantum", "backend": "qiskit.aer", "seed": 1, "cache": False,
            "circuit": {"builtin": "random", "args": {"n": 10, "depth": 5, "seed": 1}}}  # fmt: skip
    result = run(wf(task), db=store)
    assert result.status == "succeeded"
    (row,) = store.task_metrics(run_id=result.id)
    assert row["worker"].endswith(f":{qiskit_pid()}")
    assert row["peak_mem_bytes"] > 10 * 2**20 and row["cpu_s"] > 0


@pytest.mark.slow
def test_a_batch_whose_members_all_time_out_stops_its_worker(store: Any) -> None:
    warm = {"id": "warm", "kind": "quantum", "backend": "qiskit.aer",
            "circuit": {"builtin": "ghz", "args": {"n": 2}}, "seed": 1, "cache": False}  # fmt: skip
    assert run(wf(warm), db=store).status == "succeeded"
    before = qiskit_pid()
    t0 = time.monotonic()
    pol = {"on_failure": "continue", "batch_max_size": 2}  # big circuits batch only if asked
    result = run(wf(slow("a", timeout_s=1.0), slow("b", timeout_s=2.0), policies=pol), db=store)
    assert time.monotonic() - t0 < 15
    assert [result.tasks[t].status for t in "ab"] == ["failed", "failed"]
    assert all("timed out" in (result.tasks[t].error or "") for t in "ab")
    (group,) = store.get_schedule(result.id)["batching"]
    assert group["tasks"] == 2 and group["max_size"] == 2
    assert gone(before)  # the last member to give up stopped the worker


@pytest.mark.slow
def test_cancel_stops_a_running_batch(store: Any) -> None:
    handle = start(wf(slow("a"), slow("b"), policies={"batch_max_size": 2}), db=store)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pool = sdk_workers._shared
        busy = pool is not None and any(w.token is not None for w in pool._workers["qiskit"])
        if busy:
            break
        time.sleep(0.05)
    pid = qiskit_pid()
    t0 = time.monotonic()
    handle.cancel()
    result = handle.wait(30)
    assert result.status == "cancelled"
    assert {t.status for t in result.tasks.values()} == {"cancelled"}
    assert time.monotonic() - t0 < 10
    assert gone(pid)
