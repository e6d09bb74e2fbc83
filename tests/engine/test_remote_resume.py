"""Cloud jobs survive the engine: a job's id is committed before the engine waits on it,
and ``resume`` re-attaches to it instead of submitting it again (no double billing).

The cloud is the project's stand-in service (``quantumflow.backends.standin_server``) in its
own process; the engine runs in another process and is killed with SIGKILL mid-wait."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from quantumflow.engine import open_db, resume

from .standin import standin

ENGINE = """
import sys
from quantumflow.engine import run
spec = {"name": "remote", "tasks": [
    {"id": f"q{i}", "kind": "quantum", "backend": sys.argv[2], "shots": 200, "seed": 10 + i,
     "circuit": {"builtin": "ghz", "args": {"n": 3}}} for i in range(3)
] + [{"id": "alone", "kind": "quantum", "backend": sys.argv[2], "shots": 100, "seed": 3,
      "batch": False, "circuit": {"builtin": "ghz", "args": {"n": 2}}}]}
run(spec, db=sys.argv[1])
"""


def _wait_for_jobs(db: str, n: int, proc: subprocess.Popen[bytes]) -> str:
    """The run id once ``n`` tasks have a committed job record (read by another process)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the engine ended before it waited on its jobs"
        store = open_db(db)
        runs = store.list_runs()
        if runs and len(store.remote_jobs(runs[0].id)) >= n:
            return runs[0].id
        time.sleep(0.1)
    raise AssertionError("the engine never recorded its remote jobs")


@pytest.mark.slow
def test_resume_reattaches_to_jobs_of_a_killed_engine(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    with standin(tmp_path, delay_s=6.0) as svc:
        engine = subprocess.Popen([sys.executable, "-c", ENGINE, db, svc.backend])
        try:
            run_id = _wait_for_jobs(db, 4, engine)
            before = svc.jobs()
            # the three batchable tasks share one job; the one with batch: false has its own
            assert sorted(j["circuits"] for j in before) == [1, 3]
            assert {j["status"] for j in before} == {"queued"}
            os.kill(engine.pid, signal.SIGKILL)  # mid-wait: the jobs are still queued
            engine.wait(10)
        finally:
            engine.kill()
        store = open_db(db)
        assert store.get_run(run_id).status == "running"  # killed: nobody finished it
        recorded = store.remote_jobs(run_id)
        assert {r["job_id"] for r in recorded.values()} == {j["id"] for j in before}

        result = resume(run_id, db=db)

        assert result.status == "succeeded", result.error
        after = svc.jobs()
        assert [j["id"] for j in after] == [j["id"] for j in before], "a job was submitted twice"
        for task_id, out in result.outputs.items():
            meta: dict[str, Any] = out["metadata"]
            assert meta["reattached"] is True
            assert meta["job_id"] == recorded[task_id]["job_id"]
            assert set(out["counts"]) <= {"000", "111", "00", "11"}
            assert sum(out["counts"].values()) == (100 if task_id == "alone" else 200)


@pytest.mark.slow
def test_a_job_the_service_no_longer_knows_is_submitted_again(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    with standin(tmp_path, delay_s=6.0) as svc:
        engine = subprocess.Popen([sys.executable, "-c", ENGINE, db, svc.backend])
        try:
            run_id = _wait_for_jobs(db, 4, engine)
            os.kill(engine.pid, signal.SIGKILL)
            engine.wait(10)
        finally:
            engine.kill()
        port = svc.port
    fresh = tmp_path / "fresh"  # a service at the same address that lost its jobs
    fresh.mkdir()
    with standin(fresh, delay_s=0.2, port=port) as svc2:
        result = resume(run_id, db=db)
        assert result.status == "succeeded", result.error
        assert sorted(j["circuits"] for j in svc2.jobs()) == [1, 3]  # submitted anew, once
        assert not any(out["metadata"].get("reattached") for out in result.outputs.values())


@pytest.mark.slow
def test_the_api_resumes_a_run_and_reattaches(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from quantumflow.api import create_app

    db = str(tmp_path / "r.db")
    with standin(tmp_path, delay_s=4.0) as svc:
        engine = subprocess.Popen([sys.executable, "-c", ENGINE, db, svc.backend])
        try:
            run_id = _wait_for_jobs(db, 4, engine)
            os.kill(engine.pid, signal.SIGKILL)
            engine.wait(10)
        finally:
            engine.kill()
        before = svc.jobs()
        with TestClient(create_app(store_url=f"sqlite:///{db}")) as client:
            r = client.post(f"/api/runs/{run_id}/resume")
            assert r.status_code == 202, r.text
            deadline = time.monotonic() + 120
            while client.get(f"/api/runs/{run_id}").json()["status"] == "running":
                assert time.monotonic() < deadline
                time.sleep(0.2)
            assert client.get(f"/api/runs/{run_id}").json()["status"] == "succeeded"
            again = client.post(f"/api/runs/{run_id}/resume")
            assert again.status_code == 409 and "already succeeded" in again.text
        assert [j["id"] for j in svc.jobs()] == [j["id"] for j in before]
