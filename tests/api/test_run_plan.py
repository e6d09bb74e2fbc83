"""GET /api/runs/{id}/plan: the stored plan next to the actual run, on a real SQLite store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from quantumflow.engine import open_db

from .helpers import FN, chain_spec, wait_run


def _fan_spec() -> dict[str, object]:
    """``root`` then two slow branches in parallel (0.3 s and 0.1 s), two lanes."""
    slow = f"{FN}:slow"
    return {
        "name": "fan",
        "policies": {"max_concurrency": 2},
        "tasks": [
            {"id": "root", "kind": "classical", "fn": f"{FN}:add", "inputs": {"a": 1, "b": 1}},
            {
                "id": "long",
                "kind": "classical",
                "fn": slow,
                "inputs": {"value": {"ref": "root"}, "delay": 0.3},
            },
            {
                "id": "short",
                "kind": "classical",
                "fn": slow,
                "inputs": {"value": {"ref": "root"}, "delay": 0.1},
            },
        ],
    }


def _run(client: TestClient, spec: dict[str, object]) -> str:
    run_id: str = client.post("/api/workflows/run", json={"spec": spec}).json()["run_id"]
    assert wait_run(client, run_id)["status"] == "succeeded"
    return run_id


def test_plan_next_to_the_actual_run(client: TestClient) -> None:
    first = _run(client, _fan_spec())  # history: the second plan predicts from it
    second = _run(client, _fan_spec())
    measured = {
        t["task_id"]: t["duration"] for t in client.get(f"/api/runs/{first}").json()["tasks"]
    }

    resp = client.get(f"/api/runs/{second}/plan")
    assert resp.status_code == 200
    body = resp.json()
    assert body["run_id"] == second and body["status"] == "succeeded"
    assert body["plan"] is True and body["policy"] == "heft" and body["workers"] == 2
    assert set(body["tasks"]) == {"root", "long", "short"}
    long = body["tasks"]["long"]
    # predicted per task = the earlier run's measured seconds (the estimator's history)
    assert long["predicted_s"] == pytest.approx(measured["long"], rel=0.1)
    assert long["actual_s"] >= 0.3 and long["status"] == "succeeded"
    assert 0.5 < long["ratio"] < 2.0
    assert long["planned_start_s"] == pytest.approx(body["tasks"]["root"]["predicted_s"], rel=0.01)
    # the makespan is set by root -> long, both in the plan and in the run
    assert body["planned_critical_path"] == ["root", "long"]
    assert body["actual_critical_path"] == ["root", "long"]
    assert body["predicted_makespan_s"] == pytest.approx(
        body["tasks"]["root"]["predicted_s"] + long["predicted_s"], rel=0.01
    )
    assert body["actual_makespan_s"] >= 0.3
    assert body["makespan_ratio"] == pytest.approx(
        body["actual_makespan_s"] / body["predicted_makespan_s"]
    )
    classical = body["resources"]["classical"]
    assert classical["tasks"] == 3 and classical["peak_parallel"] == 2
    assert classical["busy_s"] >= 0.4
    assert 0.0 < classical["utilisation"] <= 1.0
    assert body["lanes"]["max_concurrency"] == 2
    assert 0.0 < body["lanes"]["utilisation"] <= 1.0


def test_run_without_a_stored_plan(client: TestClient, db_url: str) -> None:
    store = open_db(db_url)
    spec = chain_spec(n=1)
    run_id = store.create_run(spec=spec, task_ids=["t0"])
    body = client.get(f"/api/runs/{run_id}/plan").json()
    assert body["plan"] is False and body["status"] == "pending"
    assert body["predicted_makespan_s"] is None and body["makespan_ratio"] is None
    assert body["tasks"]["t0"] == {
        "predicted_s": None,
        "actual_s": None,
        "planned_start_s": None,
        "actual_start_s": None,
        "ratio": None,
        "status": "pending",
    }
    assert body["actual_critical_path"] == [] and body["resources"] == {}


def test_unknown_run_is_404(client: TestClient) -> None:
    resp = client.get("/api/runs/nope/plan")
    assert resp.status_code == 404
    assert "nope" in resp.json()["detail"]
