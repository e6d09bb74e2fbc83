"""Deleting runs and workflows (``DELETE /api/runs/{id}``, ``DELETE /api/workflows/{id}``,
``quantumflow rm``): their rows, events, metrics and the output files nothing else uses go;
a running run is refused (409)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from quantumflow.engine import open_db

from .helpers import FN, chain_spec, wait_run


def big_output_spec(n: int) -> dict[str, Any]:
    """One task whose output (``n`` floats) is stored as an artifact file."""
    return {"name": "big", "tasks": [
        {"id": "a", "kind": "classical", "fn": f"{FN}:array", "inputs": {"n": n}},
    ]}  # fmt: skip


def _rows(db_url: str, run_id: str) -> dict[str, int]:
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        return {
            table: conn.execute(
                f"SELECT count(*) FROM {table} WHERE run_id = ?", (run_id,)
            ).fetchone()[0]
            for table in ("task_runs", "events", "performance_metrics", "schedules")
        }


def _artifacts(db_url: str) -> list[Path]:
    root = open_db(db_url).artifacts.root
    return sorted(root.glob("*/*.json"))


def _run(client: TestClient, spec: dict[str, Any]) -> str:
    r = client.post("/api/workflows/run", json={"spec": spec})
    assert r.status_code == 202, r.text
    run_id: str = r.json()["run_id"]
    assert wait_run(client, run_id)["status"] == "succeeded"
    return run_id


def test_delete_a_run_with_its_rows_and_its_own_artifacts(client: TestClient, db_url: str) -> None:
    first = _run(client, big_output_spec(20_000))
    shared = _run(client, big_output_spec(20_000))  # the same output: the same file
    own = _run(client, big_output_spec(30_000))
    assert len(_artifacts(db_url)) == 2
    assert client.delete(f"/api/runs/{first}").json() == {"id": first, "deleted": True}
    assert client.get(f"/api/runs/{first}").status_code == 404
    assert set(_rows(db_url, first).values()) == {0}
    assert len(_artifacts(db_url)) == 2  # still used by `shared`
    assert client.get(f"/api/runs/{shared}/tasks/a/output").status_code == 200
    client.delete(f"/api/runs/{shared}")
    client.delete(f"/api/runs/{own}")
    assert _artifacts(db_url) == []
    assert client.delete(f"/api/runs/{own}").status_code == 404


def test_a_running_run_is_not_deleted(client: TestClient) -> None:
    r = client.post("/api/workflows/run", json={"spec": chain_spec(n=3, delay=1.0)})
    run_id = r.json()["run_id"]
    refused = client.delete(f"/api/runs/{run_id}")
    assert refused.status_code == 409 and "cancel it first" in refused.text
    client.post(f"/api/runs/{run_id}/cancel")
    wait_run(client, run_id)
    assert client.delete(f"/api/runs/{run_id}").status_code == 200


def test_delete_a_workflow_with_or_without_its_runs(client: TestClient) -> None:
    ids = []
    for _ in range(2):
        wid = client.post("/api/workflows", json=chain_spec()).json()["id"]
        r = client.post("/api/workflows/run", json={"workflow_id": wid, "params": {"x": 1}})
        wait_run(client, r.json()["run_id"])
        ids.append((wid, r.json()["run_id"]))
    (kept_wf, kept_run), (gone_wf, gone_run) = ids
    assert client.delete(f"/api/workflows/{kept_wf}").status_code == 200
    assert client.get(f"/api/runs/{kept_run}").json()["workflow_id"] is None  # detached
    assert client.delete(f"/api/workflows/{gone_wf}?runs=true").status_code == 200
    assert client.get(f"/api/runs/{gone_run}").status_code == 404
    assert client.delete(f"/api/workflows/{gone_wf}").status_code == 404


def test_quantumflow_rm(client: TestClient, db_url: str) -> None:
    run_id = _run(client, chain_spec())
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    cmd = [sys.executable, "-m", "quantumflow.cli", "rm", run_id, "--db", db_url]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0 and f"deleted run {run_id}" in done.stdout, done.stderr
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert again.returncode == 2 and "no run with id" in again.stderr
    assert client.get(f"/api/runs/{run_id}").status_code == 404
