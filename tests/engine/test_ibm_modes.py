"""IBM Runtime execution modes, offline: qiskit-ibm-runtime's local testing mode runs a
``Batch`` and a ``Session`` on a fake device. A fan-out goes in one Batch as few jobs as the
device's PUB limit allows; an iterative chain goes in a Session, one job per iteration."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.backends import get_backend
from quantumflow.backends.base import ExecutionMode, JobHandle, QuantumJob
from quantumflow.circuits import generate, to_qasm3
from quantumflow.engine import open_db, run

from .conftest import ctask, wf

IBM = "qiskit.ibm:fake_manila"


def qtask(tid: str, seed: int, **extra: Any) -> dict[str, Any]:
    qasm = to_qasm3(generate("random", {"n": 3, "depth": 3, "seed": seed}))
    return {
        "id": tid, "kind": "quantum", "backend": IBM, "circuit": {"qasm": qasm}, "shots": 100,
        "cache": False, **extra,
    }  # fmt: skip


def jobs_and_modes(outputs: dict[str, Any]) -> tuple[set[str], set[str]]:
    metas = [o["metadata"] for o in outputs.values() if isinstance(o, dict) and "metadata" in o]
    return {m["job_id"] for m in metas}, {m["runtime_mode"] for m in metas}


@pytest.mark.slow
def test_a_fan_out_runs_in_one_batch_as_one_job(db_url: str) -> None:
    result = run(wf(*(qtask(f"q{i}", i) for i in range(12))), db=db_url)
    assert result.status == "succeeded", result.error
    jobs, modes = jobs_and_modes(result.outputs)
    assert modes == {"batch"}
    assert len(jobs) == 1  # 12 PUBs in one SamplerV2 job, not 12 jobs
    plan = open_db(db_url).get_schedule(result.id)
    assert plan is not None and plan["runtime_modes"][IBM] == {"mode": "batch", "max_time_s": None}
    recorded = open_db(db_url).remote_jobs(result.id)
    assert {r["job_id"] for r in recorded.values()} == jobs  # committed before the wait


@pytest.mark.slow
def test_an_iterative_chain_runs_in_one_session(db_url: str) -> None:
    # q0 -> c0 -> q1 -> c1 -> q2: each iteration waits for the classical step before it
    tasks = [
        qtask("q0", 0), ctask("c0", "one", depends_on=["q0"]),
        qtask("q1", 1, depends_on=["c0"]), ctask("c1", "one", depends_on=["q1"]),
        qtask("q2", 2, depends_on=["c1"]),
    ]  # fmt: skip
    result = run(wf(*tasks), db=db_url)
    assert result.status == "succeeded", result.error
    jobs, modes = jobs_and_modes(result.outputs)
    assert modes == {"session"}
    assert len(jobs) == 3  # one job per iteration
    plan = open_db(db_url).get_schedule(result.id)
    assert plan is not None
    mode = plan["runtime_modes"][IBM]
    assert mode["mode"] == "session" and mode["max_time_s"] >= 300


@pytest.mark.slow
def test_jobs_are_cut_at_the_devices_pub_limit() -> None:
    backend: Any = get_backend(IBM)
    limit = backend.max_pubs()
    assert limit == 300  # FakeManilaV2's max_experiments
    circuit = generate("ghz", {"n": 2})
    mode = ExecutionMode("batch", "test-pub-limit")
    jobs = [QuantumJob(circuit, shots=10, mode=mode) for _ in range(limit + 5)]
    try:
        handles = backend.submit_batch(jobs)
        assert all(isinstance(h, JobHandle) for h in handles)
        ids = [h.job_id for h in handles]
        assert len(set(ids)) == 2 and ids.count(ids[0]) == limit
        last = backend.result(handles[-1])
        assert sum(last.points[0].counts.values()) == 10
        assert last.extra["runtime_mode"] == "batch"
    finally:
        backend.close_mode("test-pub-limit")


def test_a_sessions_time_is_in_the_estimate_and_the_budget(tmp_path: Any) -> None:
    from quantumflow.cost import estimate_workflow

    dev = "qiskit.ibm:ibm_brisbane"  # priced; estimating needs no account
    chain = [
        qtask("q0", 0, backend=dev), ctask("c0", "one", depends_on=["q0"]),
        qtask("q1", 1, backend=dev, depends_on=["c0"]),
    ]  # fmt: skip
    fan = [qtask("q0", 0, backend=dev), qtask("q1", 1, backend=dev)]
    db = str(tmp_path / "e.db")
    est = estimate_workflow(wf(*chain), db=db)
    session = est["runtime_modes"][dev]
    assert session["mode"] == "session"
    # held from the first job's start to the last one's end, classical step included
    assert session["seconds"] >= est["tasks"]["q0"]["seconds"] + est["tasks"]["c0"]["seconds"]
    assert session["usd"] >= session["seconds"] * 1.60 * 0.99
    assert est["total_usd"] >= session["usd"]
    batch = estimate_workflow(wf(*fan), db=db)["runtime_modes"][dev]
    assert batch["mode"] == "batch" and "seconds" not in batch


@pytest.mark.slow
def test_unbatched_tasks_transpile_from_several_lanes(db_url: str) -> None:
    # regression: lanes shared one cached PassManager, which keeps per-run state
    tasks = [qtask(f"q{i}", i) for i in range(12)]
    result = run(wf(*tasks, policies={"batching": False, "max_concurrency": 4}), db=db_url)
    assert result.status == "succeeded", result.error
    jobs, _ = jobs_and_modes(result.outputs)
    assert len(jobs) == 12
