"""/api/workflows/run and /api/runs: real engine, real SQLite."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from .helpers import FN, chain_spec, wait_run


def _saved(client: TestClient, **kw: object) -> str:
    r = client.post("/api/workflows", json=chain_spec(**kw))  # type: ignore[arg-type]
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_run_saved_workflow_to_the_end(client: TestClient) -> None:
    wid = _saved(client)
    r = client.post("/api/workflows/run", json={"workflow_id": wid, "params": {"x": 10}})
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["workflow_id"] == wid
    run = wait_run(client, body["run_id"])
    assert run["status"] == "succeeded"
    assert run["workflow_id"] == wid
    assert run["params"]["x"] == 10
    assert [t["task_id"] for t in run["tasks"]] == ["t0", "t1", "t2"]
    assert [t["status"] for t in run["tasks"]] == ["succeeded"] * 3
    assert run["tasks"][2]["output_summary"] == "13"
    assert all(t["attempts"] == 1 and t["duration"] is not None for t in run["tasks"])


def test_run_inline_spec_and_bad_requests(client: TestClient) -> None:
    r = client.post("/api/workflows/run", json={"spec": chain_spec(n=2)})
    assert r.status_code == 202, r.text
    run = wait_run(client, r.json()["run_id"])
    assert (run["status"], run["workflow_id"]) == ("succeeded", None)

    assert client.post("/api/workflows/run", json={}).status_code == 422
    both = {"workflow_id": "x", "spec": chain_spec()}
    assert client.post("/api/workflows/run", json=both).status_code == 422
    extra = {"workflow_id": "x", "priority": 3}
    r = client.post("/api/workflows/run", json=extra)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "priority"
    r = client.post("/api/workflows/run", json={"workflow_id": "nope"})
    assert r.status_code == 404
    bad = chain_spec()
    bad["tasks"][1]["fn"] = "tests.api.taskfns:nothing"
    r = client.post("/api/workflows/run", json={"spec": bad})
    assert r.status_code == 422
    assert any(p["task"] == "t1" and p["field"] == "fn" for p in r.json()["detail"])


def test_failed_task_is_reported(client: TestClient) -> None:
    spec = chain_spec(n=2)
    spec["tasks"][1] = {
        "id": "t1",
        "kind": "classical",
        "fn": f"{FN}:boom",
        "inputs": {"value": {"ref": "t0"}},
    }
    run = wait_run(client, client.post("/api/workflows/run", json={"spec": spec}).json()["run_id"])
    assert run["status"] == "failed"
    failed = run["tasks"][1]
    assert failed["status"] == "failed"
    assert "boom 2" in failed["error"]


def test_list_runs_pages_and_filters(client: TestClient) -> None:
    wid = _saved(client, n=1)
    ids = [
        client.post("/api/workflows/run", json={"workflow_id": wid}).json()["run_id"]
        for _ in range(3)
    ]
    other = client.post("/api/workflows/run", json={"spec": chain_spec(n=1)}).json()["run_id"]
    for rid in [*ids, other]:
        wait_run(client, rid)
    page = client.get("/api/runs", params={"limit": 2}).json()
    assert (len(page["items"]), page["has_more"]) == (2, True)
    rest = client.get("/api/runs", params={"limit": 2, "offset": 2}).json()
    assert (len(rest["items"]), rest["has_more"]) == (2, False)
    seen = {r["id"] for r in page["items"] + rest["items"]}
    assert seen == {*ids, other}
    mine = client.get("/api/runs", params={"workflow_id": wid}).json()["items"]
    assert {r["id"] for r in mine} == set(ids)
    ok = client.get("/api/runs", params={"status": "succeeded"}).json()["items"]
    assert len(ok) == 4
    assert client.get("/api/runs", params={"status": "bogus"}).status_code == 422
    assert client.get("/api/runs", params={"limit": 0}).status_code == 422
    assert client.get("/api/runs/nope").status_code == 404


def test_cancel_a_running_run(client: TestClient) -> None:
    r = client.post("/api/workflows/run", json={"spec": chain_spec(n=6, delay=0.3)})
    run_id = r.json()["run_id"]
    deadline = time.monotonic() + 10
    while client.get(f"/api/runs/{run_id}").json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    c = client.post(f"/api/runs/{run_id}/cancel")
    assert c.status_code == 200, c.text
    assert c.json()["cancel_requested"] is True
    run = wait_run(client, run_id)
    assert run["status"] == "cancelled"
    assert "cancelled" in {t["status"] for t in run["tasks"]}
    again = client.post(f"/api/runs/{run_id}/cancel")
    assert again.status_code == 409
    assert "already finished" in again.json()["detail"]
    assert client.post("/api/runs/nope/cancel").status_code == 404


def test_rerun_from_a_task(client: TestClient) -> None:
    wid = _saved(client)
    first = wait_run(
        client, client.post("/api/workflows/run", json={"workflow_id": wid}).json()["run_id"]
    )
    r = client.post(f"/api/runs/{first['id']}/rerun", json={"from_task": "t1"})
    assert r.status_code == 202, r.text
    second = wait_run(client, r.json()["run_id"])
    assert second["id"] != first["id"]
    assert second["status"] == "succeeded"
    statuses = {t["task_id"]: t["status"] for t in second["tasks"]}
    assert statuses == {"t0": "cached", "t1": "succeeded", "t2": "succeeded"}
    bad = client.post(f"/api/runs/{first['id']}/rerun", json={"from_task": "zz"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "from_task"


def test_task_logs(client: TestClient) -> None:
    run_id = client.post("/api/workflows/run", json={"spec": chain_spec(n=2)}).json()["run_id"]
    wait_run(client, run_id)
    logs = client.get(f"/api/runs/{run_id}/tasks/t1/logs").json()
    statuses = [e["data"].get("status") for e in logs["entries"]]
    assert statuses[-1] == "succeeded"
    assert "running" in statuses
    assert all(e["task_id"] == "t1" for e in logs["entries"])
    assert client.get(f"/api/runs/{run_id}/tasks/zz/logs").status_code == 404


def test_run_detail_carries_the_spec_it_ran(client: TestClient) -> None:
    inline = chain_spec("inline_spec", n=2)
    inline["layout"] = {"t0": {"x": 1.5, "y": -2}, "t1": {"x": 200, "y": 0}}
    rid = client.post("/api/workflows/run", json={"spec": inline}).json()["run_id"]
    detail = wait_run(client, rid)
    assert detail["workflow_id"] is None
    spec = detail["spec"]
    assert spec["name"] == "inline_spec"
    assert [t["id"] for t in spec["tasks"]] == ["t0", "t1"]
    assert spec["layout"] == {"t0": {"x": 1.5, "y": -2.0}, "t1": {"x": 200.0, "y": 0.0}}

    wid = _saved(client, n=1)
    saved_run = client.post("/api/workflows/run", json={"workflow_id": wid}).json()["run_id"]
    assert wait_run(client, saved_run)["spec"]["tasks"][0]["id"] == "t0"
    # the listing stays light: no specs there
    assert all("spec" not in r for r in client.get("/api/runs").json()["items"])
