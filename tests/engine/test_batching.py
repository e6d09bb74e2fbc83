"""Cross-task batching through the engine: compatible quantum tasks that are ready together
run as one SDK call, each recorded with its own metrics; seeded results do not depend on
batching, on every backend; the plan shows the groups; batching can be turned off."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.circuits import generate, to_qasm3
from quantumflow.engine import open_db, run

from .conftest import ctask, wf

LOCAL = [
    "qiskit.aer",
    "qiskit.fake:fake_manila",
    "cirq.simulator",
    "cirq.qsim",
    "pennylane:default.qubit",
    "pennylane:lightning.qubit",
]
HEA = {"builtin": "hardware_efficient", "args": {"n": 3, "layers": 1, "measure": False}}


def sampling(i: int, backend: str, **extra: Any) -> dict[str, Any]:
    qasm = to_qasm3(generate("random", {"n": 3, "depth": 4, "seed": i}))
    return {
        "id": f"s{i}", "kind": "quantum", "backend": backend, "circuit": {"qasm": qasm},
        "shots": 300, "seed": 11 + i, "cache": False, **extra,
    }  # fmt: skip


def expectation(i: int, backend: str) -> dict[str, Any]:
    names = generate("hardware_efficient", HEA["args"]).parameters
    return {
        "id": f"e{i}", "kind": "quantum", "backend": backend, "circuit": HEA, "shots": None,
        "observables": ["Z0 Z1", "X2"], "seed": 5, "cache": False,
        "inputs": {n: 0.1 * (k + i) for k, n in enumerate(names)},
    }  # fmt: skip


def results(out: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.get("counts"), v.get("expectations")) for k, v in out.items()}


def batch_sizes(db: str, run_id: str) -> dict[str, int]:
    rows = open_db(db).task_metrics(run_id=run_id)
    return {r["task_id"]: (r["extra"] or {}).get("batch_size", 0) for r in rows}


@pytest.mark.slow
@pytest.mark.parametrize("backend", [*LOCAL, "qiskit.ibm:fake_manila"])
def test_seeded_results_are_the_same_with_batching_on_and_off(backend: str, db_url: str) -> None:
    tasks = [sampling(i, backend) for i in range(4)]
    if not backend.startswith("qiskit.ibm"):  # local mode estimates with shot noise
        tasks += [expectation(i, backend) for i in range(2)]
    on = run(wf(*tasks, policies={"max_concurrency": 4}), db=db_url)
    off = run(wf(*tasks, policies={"max_concurrency": 4, "batching": False}), db=db_url)
    assert on.status == off.status == "succeeded", (on.error, off.error)
    assert results(on.outputs) == results(off.outputs)
    sizes_on, sizes_off = batch_sizes(db_url, on.id), batch_sizes(db_url, off.id)
    assert max(sizes_on.values()) >= 2, "nothing was batched"
    assert set(sizes_off.values()) == {0}


@pytest.mark.slow
def test_unseeded_tasks_share_one_native_call_with_time_shares(db_url: str) -> None:
    tasks = [sampling(i, "qiskit.aer", seed=None) for i in range(6)]
    result = run(wf(*tasks), db=db_url)
    assert result.status == "succeeded", result.error
    infos = [out["metadata"]["batch"] for out in result.outputs.values()]
    assert {i["native_size"] for i in infos} == {6}  # one AerSimulator.run over 6 circuits
    assert sum(i["share"] for i in infos) == pytest.approx(1.0)
    rows = open_db(db_url).task_metrics(run_id=result.id)
    assert {r["extra"]["batch_size"] for r in rows} == {6}
    assert sum(r["extra"]["batch_share"] for r in rows) == pytest.approx(1.0)
    total = infos[0]["native_execute_s"]
    assert sum(r["execute_s"] for r in rows) == pytest.approx(total, rel=1e-6)
    # wall_s is each task's share of the batch's wall time; elapsed_s what it waited
    assert all(r["wall_s"] <= r["extra"]["elapsed_s"] for r in rows)
    assert sum(r["wall_s"] for r in rows) <= max(r["extra"]["elapsed_s"] for r in rows) * 1.01


@pytest.mark.slow
def test_a_big_group_is_split_between_the_sdks_workers_and_runs_at_once(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUANTUMFLOW_QUANTUM_WORKERS", "2")
    tasks = [sampling(i, "qiskit.aer", seed=None) for i in range(20)]
    result = run(wf(*tasks, policies={"max_concurrency": 4}), db=db_url)
    assert result.status == "succeeded", result.error
    plan = open_db(db_url).get_schedule(result.id)
    assert plan is not None
    (group,) = plan["batching"]
    assert group["max_size"] == 10 and group["predicted_batches"] == 2
    rows = open_db(db_url).task_metrics(run_id=result.id)
    assert sorted(r["extra"]["batch_size"] for r in rows) == [10] * 20
    assert len({r["worker"] for r in rows}) == 2  # two worker processes, one batch each
    spans: dict[int, list[tuple[float, float]]] = {}
    for r in rows:
        t = result.tasks[r["task_id"]]
        assert t.started_at is not None and t.finished_at is not None
        spans.setdefault(r["extra"]["batch_id"], []).append((t.started_at, t.finished_at))
    (a0, a1), (b0, b1) = ((min(s for s, _ in v), max(e for _, e in v)) for v in spans.values())
    assert a0 < b1 and b0 < a1, "the two batches did not overlap"


def test_the_plan_shows_batch_groups_and_tasks_can_opt_out(db_url: str) -> None:
    tasks = [sampling(i, "qiskit.aer") for i in range(5)]
    tasks.append(sampling(9, "qiskit.aer", batch=False))
    tasks.append(sampling(8, "qiskit.aer", shots=50))  # another shot count: another group
    result = run(wf(*tasks, policies={"batch_window_ms": 2}), db=db_url)
    assert result.status == "succeeded", result.error
    plan = open_db(db_url).get_schedule(result.id)
    assert plan is not None
    (group,) = plan["batching"]  # the 50-shot task and the opted-out one are alone
    assert group["backend"] == "qiskit.aer" and group["tasks"] == 5 and group["shots"] == 300
    assert group["window_ms"] == 2 and group["predicted_batches"] == 1
    sizes = batch_sizes(db_url, result.id)
    assert sizes["s9"] == 0 and sizes["s8"] == 0


def test_policies_batching_false_turns_it_off(db_url: str) -> None:
    tasks = [sampling(i, "qiskit.aer") for i in range(3)]
    result = run(wf(*tasks, policies={"batching": False}), db=db_url)
    assert result.status == "succeeded", result.error
    assert "batching" not in (open_db(db_url).get_schedule(result.id) or {})


def test_a_bad_member_fails_alone(db_url: str) -> None:
    good = [sampling(i, "qiskit.aer") for i in range(3)]
    bad = {
        "id": "bad",
        "kind": "quantum",
        "backend": "qiskit.aer",
        "shots": 300,
        "seed": 1,
        "circuit": HEA | {"args": {"n": 3, "layers": 1, "measure": True}},
        "cache": False,
    }  # fmt: skip  -- its parameters have no values
    result = run(wf(*good, bad, policies={"on_failure": "continue"}), db=db_url)
    assert result.status == "failed"
    assert result.tasks["bad"].status == "failed"
    assert "no value" in (result.tasks["bad"].error or "")
    assert all(result.tasks[t["id"]].status == "succeeded" for t in good)
    assert max(batch_sizes(db_url, result.id).values()) == 4


def test_successors_of_batched_tasks_run(db_url: str) -> None:
    tasks = [sampling(i, "cirq.simulator") for i in range(3)]
    sink = ctask("sink", "one", depends_on=[t["id"] for t in tasks])
    result = run(wf(*tasks, sink), db=db_url)
    assert result.status == "succeeded", result.error
    assert result.tasks["sink"].status == "succeeded"


def test_cached_members_do_not_run_again(db_url: str) -> None:
    tasks = [sampling(i, "qiskit.aer", cache=True) for i in range(3)]
    first = run(wf(*tasks), db=db_url)
    second = run(wf(*tasks), db=db_url)
    assert first.status == second.status == "succeeded"
    assert all(t.status == "cached" for t in second.tasks.values())
    assert results(first.outputs) == results(second.outputs)


@pytest.mark.slow
def test_a_mitigated_tasks_sub_circuits_run_as_one_batch(db_url: str) -> None:
    task = {
        "id": "ghz", "kind": "quantum", "backend": "qiskit.aer", "shots": 2000, "seed": 11,
        "circuit": {"builtin": "ghz", "args": {"n": 3}}, "observables": ["Z0 Z1"],
        "noise": {"depolarizing": 0.01, "readout": 0.02},
        "mitigation": {"zne": {"scale_factors": [1, 3, 5]}, "readout": True},
    }  # fmt: skip
    on = run(wf(task), db=db_url)
    off = run(wf(task, policies={"batching": False}), db=db_url)
    assert on.status == off.status == "succeeded", (on.error, off.error)
    assert on.outputs["ghz"]["expectations"] == off.outputs["ghz"]["expectations"]
    sizes = batch_sizes(db_url, on.id)
    subs = {t: s for t, s in sizes.items() if t.startswith("ghz__")}
    assert len(subs) >= 4 and min(subs.values()) >= 2  # ZNE scales and readout calibration
