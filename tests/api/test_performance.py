"""/api/performance: aggregates from the store's performance_metrics."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .helpers import chain_spec, wait_run


def test_workflow_and_task_performance(client: TestClient) -> None:
    wid = client.post("/api/workflows", json=chain_spec(n=2, delay=0.05)).json()["id"]
    runs = [
        wait_run(
            client, client.post("/api/workflows/run", json={"workflow_id": wid}).json()["run_id"]
        )
        for _ in range(2)
    ]
    perf = client.get(f"/api/performance/{wid}").json()
    assert perf["runs"] == 2
    assert perf["runs_by_status"] == {"succeeded": 2}
    assert perf["mean_run_s"] > 0.05
    assert perf["latest_run_id"] == runs[-1]["id"]
    assert {m["task_id"] for m in perf["latest"]} == {"t0", "w1", "t1"}
    assert all(m["run_id"] == runs[-1]["id"] for m in perf["latest"])
    slow = next(t for t in perf["tasks"] if t["task_id"] == "w1")
    assert slow["samples"] == 2
    assert 0.05 <= slow["min_wall_s"] <= slow["mean_wall_s"] <= slow["max_wall_s"] < 5

    hist = client.get(f"/api/performance/{wid}/w1").json()
    assert [h["run_id"] for h in hist["history"]] == [r["id"] for r in runs]
    assert all(h["wall_s"] >= 0.05 and h["status"] == "succeeded" for h in hist["history"])


def test_performance_of_unknown_workflow_is_404(client: TestClient) -> None:
    assert client.get("/api/performance/nope").status_code == 404
    assert client.get("/api/performance/nope/t0").status_code == 404


def test_empty_workflow_performance(client: TestClient) -> None:
    wid = client.post("/api/workflows", json=chain_spec(n=1)).json()["id"]
    perf = client.get(f"/api/performance/{wid}").json()
    assert perf == {
        "workflow_id": wid,
        "runs": 0,
        "runs_by_status": {},
        "mean_run_s": None,
        "latest_run_id": None,
        "latest": [],
        "tasks": [],
    }
