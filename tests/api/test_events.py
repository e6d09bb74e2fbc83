"""GET /api/runs/{id}/events: Server-Sent Events read from the store."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from fastapi.testclient import TestClient

from .helpers import chain_spec, read_sse, wait_run


def _follow(client: TestClient, run_id: str, **headers: str) -> list[dict]:
    with client.stream("GET", f"/api/runs/{run_id}/events", headers=headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        return read_sse(r.iter_lines())


def test_stream_follows_a_run_to_its_end(client: TestClient) -> None:
    run_id = client.post("/api/workflows/run", json={"spec": chain_spec(n=3, delay=0.1)}).json()[
        "run_id"
    ]
    messages = _follow(client, run_id)
    end = messages[-1]
    assert end["event"] == "end"
    assert end["data"]["status"] == "succeeded"
    events = [m["data"] for m in messages[:-1]]
    ids = [e["id"] for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [int(m["id"]) for m in messages[:-1]] == ids
    done = [
        e["task_id"] for e in events if e["kind"] == "task" and e["data"]["status"] == "succeeded"
    ]
    assert done == ["t0", "w1", "t1", "w2", "t2"]
    run_events = [e["data"].get("status") for e in events if e["kind"] == "run"]
    assert run_events[-1] == "succeeded"
    assert end["data"]["last_event_id"] == ids[-1]


def test_last_event_id_resumes_without_loss(client: TestClient) -> None:
    run_id = client.post("/api/workflows/run", json={"spec": chain_spec(n=3)}).json()["run_id"]
    wait_run(client, run_id)
    everything = _follow(client, run_id)[:-1]
    cut = everything[3]["data"]["id"]
    rest = _follow(client, run_id, **{"Last-Event-ID": str(cut)})[:-1]
    assert [m["data"] for m in rest] == [m["data"] for m in everything[4:]]
    via_query = client.get(f"/api/runs/{run_id}/events", params={"after": cut})
    assert [m["data"] for m in read_sse(iter(via_query.text.split("\n")))][:-1] == [
        m["data"] for m in everything[4:]
    ]


def test_unknown_run_is_404_json(client: TestClient) -> None:
    r = client.get("/api/runs/nope/events")
    assert r.status_code == 404
    assert "nope" in r.json()["detail"]


def test_runs_started_by_another_process_stream_too(client: TestClient, db_url: str) -> None:
    """A CLI/notebook process writes the store; the API streams its run from the database."""
    code = (
        "import json, sys\n"
        "from quantumflow.engine import start\n"
        "h = start(json.loads(sys.argv[1]), db=sys.argv[2])\n"
        "print(h.run_id, flush=True)\n"
        "h.wait(60)\n"
    )
    spec = json.dumps(chain_spec("elsewhere", n=3, delay=0.2))
    with subprocess.Popen(
        [sys.executable, "-c", code, spec, db_url], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        run_id = proc.stdout.readline().strip()
        started = time.monotonic()
        messages = _follow(client, run_id)
        assert messages[-1]["data"]["status"] == "succeeded"
        assert messages[-1]["data"]["run_id"] == run_id
        assert {m["data"]["task_id"] for m in messages[:-1]} >= {"t0", "t1", "t2"}
        assert time.monotonic() - started < 30
        assert proc.wait(60) == 0
