"""The performance monitor: per-attempt metrics in the store, and the run summary."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.cost.prices import spent_usd
from quantumflow.cost.report import run_summary
from quantumflow.engine import open_db, run
from quantumflow.engine.metrics import quantum_fields
from quantumflow.errors import RunNotFoundError

from .conftest import FNS, ctask, qtask, wf


@pytest.fixture
def store(db_url: str) -> Any:
    return open_db(db_url)


def test_quantum_attempt_records_circuit_and_backend_fields(store: Any) -> None:
    spec = wf(qtask("q", args={"n": 4, "depth": 3, "seed": 2}, builtin="random", shots=500, seed=3))
    r = run(spec, db=store)
    assert r.status == "succeeded"
    (row,) = store.task_metrics(run_id=r.id)
    assert row["backend"] == "qiskit.aer" and row["qubits"] == 4 and row["shots"] == 500
    assert row["sweep_size"] == 1 and row["depth"] >= 3
    assert sum(row["gates_before"].values()) > 0 and row["gates_after"]
    assert row["transpile_s"] is not None and row["execute_s"] is not None
    assert row["queue_s"] == 0.0 and row["cost_usd"] == 0.0
    assert row["wall_s"] >= row["execute_s"]
    assert row["peak_mem_bytes"] > 10 * 2**20 and row["worker"]
    assert row["queued_at"] is not None and row["queued_at"] <= row["started_at"]
    assert "depth_after" in (row["extra"] or {})


def test_sweep_size_and_classical_fn_are_recorded(store: Any) -> None:
    spec = wf(
        ctask("c", inputs={"s": 0.05}),
        qtask(
            "s",
            builtin="qaoa_maxcut",
            args={"edges": [[0, 1], [1, 2]]},
            sweep={"gamma_0": [0.1, 0.2, 0.3], "beta_0": [0.4]},
            depends_on=["c"],
        ),
    )
    r = run(spec, db=store)
    rows = {m["task_id"]: m for m in store.task_metrics(run_id=r.id)}
    assert rows["s"]["sweep_size"] == 3
    assert rows["c"]["extra"]["fn"] == f"{FNS}:nap" and rows["c"]["backend"] is None
    assert rows["c"]["wall_s"] >= 0.05 and rows["c"]["cpu_s"] is not None


def test_retries_are_rows_of_their_own(store: Any, tmp_path: Any) -> None:
    spec = wf(
        ctask("f", "add", inputs={"a": 1, "b": "x"}, retries=1), policies={"retry_backoff_s": 0}
    )
    r = run(spec, db=store)
    assert r.status == "failed"
    rows = store.task_metrics(run_id=r.id)
    assert [(m["attempt"], m["status"], m["retries"]) for m in rows] == [
        (1, "retrying", 0),
        (2, "failed", 1),
    ]
    assert run_summary(store, r.id)["retries"] == 1


def test_run_summary_critical_path_and_utilisation(store: Any) -> None:
    # a -> b (long) -> d ; a -> c (short) -> d : the path taken is a, b, d
    spec = wf(
        ctask("a", inputs={"s": 0.05}),
        ctask("b", inputs={"s": 0.4}, depends_on=["a"]),
        ctask("c", inputs={"s": 0.05}, depends_on=["a"]),
        ctask("d", inputs={"s": 0.05}, depends_on=["b", "c"]),
        qtask("q", depends_on=["a"]),
        policies={"max_concurrency": 2},
    )
    r = run(spec, db=store)
    s = run_summary(store, r.id)
    assert s["critical_path"] == ["a", "b", "d"]
    assert 0.5 <= s["critical_path_s"] <= s["makespan_s"]
    assert s["makespan_s"] >= 0.5
    assert s["busy_s"] >= 0.55
    assert set(s["resources"]) == {"classical", "qiskit.aer"}
    assert s["resources"]["classical"]["tasks"] == 4
    assert 1 <= s["resources"]["classical"]["peak_parallel"] <= 2
    assert 0 < s["resources"]["classical"]["utilisation"] <= 1.0
    assert 0 < s["lanes"]["utilisation"] <= 1.0
    with pytest.raises(RunNotFoundError):
        run_summary(store, "nope")


def test_cached_quantum_attempt_costs_nothing(store: Any) -> None:
    spec = wf(qtask("q", cache=True, seed=1))
    run(spec, db=store)
    r = run(spec, db=store)
    (row,) = store.task_metrics(run_id=r.id)
    assert row["cache_hit"] and row["cost_usd"] == 0.0


def test_metadata_mapping_and_cloud_spend() -> None:
    meta = {
        "qubits": 3,
        "depth": 4,
        "gates": {"h": 1, "cx": 2},
        "transpiled": {"depth": 7, "gates": {"rz": 3, "sx": 2, "ecr": 2}},
        "timings": {"transpile": 0.1, "queue": 5.0, "execute": 2.0},
        "job_id": "abc",
    }
    got = quantum_fields(meta)
    assert got == {
        "qubits": 3,
        "depth": 4,
        "job_id": "abc",
        "gates_before": {"h": 1, "cx": 2},
        "gates_after": {"rz": 3, "sx": 2, "ecr": 2},
        "depth_after": 7,
        "transpile_s": 0.1,
        "queue_s": 5.0,
        "execute_s": 2.0,
    }
    # IBM bills execution seconds: 2 s at 1.60 USD/s; the local simulator is free
    assert spent_usd("qiskit.ibm:ibm_brisbane", {**got, "shots": 100}) == pytest.approx(3.2)
    assert spent_usd("qiskit.aer", got) == 0.0
