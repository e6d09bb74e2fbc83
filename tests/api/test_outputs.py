"""GET /api/runs/{run_id}/tasks/{task_id}/output: full outputs as plain JSON, size-capped."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from quantumflow.api.outputs import plain

from .helpers import FN, chain_spec, wait_run


def _run(client: TestClient, spec: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/api/workflows/run", json={"spec": spec})
    assert r.status_code == 202, r.text
    return wait_run(client, r.json()["run_id"], timeout=120)


def _one(task: dict[str, Any]) -> dict[str, Any]:
    return {"name": "out", "tasks": [task]}


def test_full_output_of_a_classical_chain(client: TestClient) -> None:
    run = _run(client, chain_spec(n=2))
    r = client.get(f"/api/runs/{run['id']}/tasks/t1/output")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "run_id": run["id"],
        "task_id": "t1",
        "status": "succeeded",
        "output": 3,
        "size_bytes": 1,
    }


def test_numpy_complex_and_non_finite_become_plain_json(client: TestClient) -> None:
    run = _run(client, _one({"id": "m", "kind": "classical", "fn": f"{FN}:mixed"}))
    assert run["status"] == "succeeded", run
    out = client.get(f"/api/runs/{run['id']}/tasks/m/output").json()["output"]
    assert out == {
        "c": {"re": 1.0, "im": 2.0},
        "nan": "nan",
        "inf": "-inf",
        "pair": [1, 2],
        "scalar": 0.5,
        "matrix": [[1, 0], [0, 1]],
        "keys": {"1": "one"},
    }
    assert plain({b"\x00": {3, 1}}) == {'"AA=="': [1, 3]}


def test_big_output_is_refused_with_413_unless_asked_for(client: TestClient) -> None:
    n = 200_000  # ~1.5 MB of JSON: over the 1 MiB default, stored as an artifact file
    run = _run(
        client, _one({"id": "big", "kind": "classical", "fn": f"{FN}:array", "inputs": {"n": n}})
    )
    url = f"/api/runs/{run['id']}/tasks/big/output"
    r = client.get(url)
    assert r.status_code == 413, r.text
    detail = r.json()["detail"]
    assert "task 'big'" in detail and "max_bytes" in detail
    # The artifact file alone is far over a small limit: refused before it is decoded.
    small = client.get(url, params={"max_bytes": 1000})
    assert small.status_code == 413
    assert "about" in small.json()["detail"]
    ok = client.get(url, params={"max_bytes": 4 * 2**20})
    assert ok.status_code == 200
    body = ok.json()
    assert len(body["output"]) == n and body["output"][-1] == n - 1
    assert 2**20 < body["size_bytes"] <= 4 * 2**20
    assert client.get(url, params={"max_bytes": 64 * 2**20}).status_code == 422


def test_missing_output_task_and_run(client: TestClient) -> None:
    spec = chain_spec(n=2)
    spec["tasks"][0] = {"id": "t0", "kind": "classical", "fn": f"{FN}:boom", "inputs": {"value": 1}}
    run = _run(client, spec)
    assert run["status"] == "failed"
    failed = client.get(f"/api/runs/{run['id']}/tasks/t0/output")
    assert failed.status_code == 404
    assert "no output (status: failed)" in failed.json()["detail"]
    assert client.get(f"/api/runs/{run['id']}/tasks/t1/output").status_code == 404
    assert client.get(f"/api/runs/{run['id']}/tasks/nope/output").status_code == 404
    assert client.get("/api/runs/nope/tasks/t0/output").status_code == 404


@pytest.mark.slow
def test_counts_of_a_quantum_task_in_full(client: TestClient) -> None:
    task = {
        "id": "bell",
        "kind": "quantum",
        "backend": "cirq.simulator",
        "circuit": {"builtin": "ghz", "args": {"n": 2}},
        "shots": 300,
        "seed": 7,
    }
    run = _run(client, _one(task))
    assert run["status"] == "succeeded", run
    out = client.get(f"/api/runs/{run['id']}/tasks/bell/output").json()["output"]
    assert set(out["counts"]) <= {"00", "11"}
    assert sum(out["counts"].values()) == 300
