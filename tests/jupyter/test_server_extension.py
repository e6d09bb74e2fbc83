"""The server extension in a real ``jupyter server`` on 127.0.0.1 (no mocks, real SQLite).

One server is started for the module with a token, an isolated config/data/runtime dir and
QUANTUMFLOW_HOME; the extension is enabled by the config file the wheel ships.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.helpers import chain_spec, read_sse

REPO = Path(__file__).resolve().parents[2]
TOKEN = "qf-test-token-5b7e"
TERMINAL = {"succeeded", "failed", "cancelled", "budget_exceeded", "interrupted", "store_error"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(
        self, url: str, home: Path, log: Path, pid: int = 0, root: Path | None = None
    ) -> None:
        self.url = url
        self.home = home
        self.log = log
        self.pid = pid  # the jupyter server process
        self.root = root or home.parent  # its root_dir
        self.api = f"{url}quantumflow/api"

    def client(self, *, token: bool = True) -> httpx.Client:
        headers = {"Authorization": f"token {TOKEN}"} if token else {}
        return httpx.Client(base_url=self.api, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("jupyter")
    home = root / "qf-home"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_DATA_DIR": str(root / "data"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        # The enable file exactly as the wheel ships it.
        "JUPYTER_CONFIG_PATH": str(REPO / "jupyter-data" / "data" / "etc" / "jupyter"),
        "QUANTUMFLOW_HOME": str(home),
        "QUANTUMFLOW_WORKERS": "2",
    }
    env.pop("QUANTUMFLOW_DB", None)
    port = _free_port()
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or "jupyter"
    cmd = [
        jupyter,
        "server",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.base_url=/jp/",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = (root / "server.log").open("wb")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}/jp/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError((root / "server.log").read_text()[-3000:])
            try:
                if httpx.get(f"{url}api/status", params={"token": TOKEN}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("jupyter server did not start in 60 s")
            time.sleep(0.2)
        yield Server(url, home, root / "server.log", proc.pid, root)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait(client: httpx.Client, run_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(f"/runs/{run_id}").json()
        if body["status"] in TERMINAL:
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.1)


def test_create_run_follow_events_read_performance(server: Server) -> None:
    with server.client() as c:
        created = c.post("/workflows", json=chain_spec("in-jupyter", n=4, delay=0.4))
        assert created.status_code == 201, created.text
        wid = created.json()["id"]
        r = c.post("/workflows/run", json={"workflow_id": wid})
        assert r.status_code == 202, r.text
        run_id = r.json()["run_id"]
        t0 = time.monotonic()
        with c.stream("GET", f"/runs/{run_id}/events") as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            messages = read_sse(stream.iter_lines())
        assert messages[-1]["event"] == "end"
        assert messages[-1]["data"]["status"] == "succeeded"
        # Delivered incrementally: the first task's events came long before the last ones
        # (three 0.4 s steps lie between them), not all at once at the end.
        first_done = next(m for m in messages if m["data"].get("task_id") == "t0")
        assert messages[-1]["t"] - first_done["t"] > 0.8
        assert first_done["t"] - t0 < 1.0

        perf = c.get(f"/performance/{wid}").json()
        assert perf["runs"] == 1
        assert perf["latest_run_id"] == run_id
        assert {m["task_id"] for m in perf["latest"]} == {"t0", "w1", "t1", "w2", "t2", "w3", "t3"}
        task = c.get(f"/performance/{wid}/w2").json()
        assert len(task["history"]) == 1 and task["history"][0]["wall_s"] >= 0.4

        assert c.get("/openapi.json").json()["info"]["title"] == "QuantumFlow API"
        assert (server.home / "quantumflow.db").exists()  # the user's store, not a temp one


def test_without_token_everything_is_refused(server: Server) -> None:
    with server.client(token=False) as anon:
        for method, path in [
            ("GET", "/workflows"),
            ("POST", "/workflows"),
            ("GET", "/schema"),
            ("GET", "/runs/x/events"),
            ("POST", "/workflows/run"),
            ("GET", "/openapi.json"),
            ("DELETE", "/workflows/x"),
        ]:
            r = anon.request(method, path, json={} if method == "POST" else None)
            assert r.status_code in (401, 403), (method, path, r.status_code)
        wrong = anon.get("/schema", headers={"Authorization": "token wrong"})
        assert wrong.status_code in (401, 403)


def test_cookie_session_needs_xsrf_for_writes(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        login = browser.get("login")
        assert login.status_code == 200
        xsrf = browser.cookies.get("_xsrf")
        assert xsrf
        form = browser.post("login", data={"password": TOKEN, "_xsrf": xsrf})
        assert form.status_code in (200, 302), form.text
        assert browser.get("quantumflow/api/workflows").status_code == 200  # cookie only
        spec = chain_spec("cookie", n=1)
        refused = browser.post("quantumflow/api/workflows", json=spec)
        assert refused.status_code == 403
        ok = browser.post("quantumflow/api/workflows", json=spec, headers={"X-XSRFToken": xsrf})
        assert ok.status_code == 201, ok.text


def test_twenty_concurrent_runs_all_finish_and_are_recorded(server: Server) -> None:
    with server.client() as c:
        wid = c.post("/workflows", json=chain_spec("load", n=3, delay=0.05)).json()["id"]

        def submit(i: int) -> str:
            r = c.post("/workflows/run", json={"workflow_id": wid, "params": {"x": i}})
            assert r.status_code == 202, r.text
            return str(r.json()["run_id"])

        with ThreadPoolExecutor(20) as pool:
            run_ids = list(pool.map(submit, range(20)))
        assert len(set(run_ids)) == 20
        finals = [_wait(c, rid, timeout=120) for rid in run_ids]
        assert [f["status"] for f in finals] == ["succeeded"] * 20
        # t2 = x + 3 for run i: every run used its own params.
        assert sorted(int(f["tasks"][-1]["output_summary"]) for f in finals) == [
            i + 3 for i in range(20)
        ]
        listed = c.get("/runs", params={"workflow_id": wid, "limit": 100}).json()["items"]
        assert {r["id"] for r in listed} == set(run_ids)
        assert c.get(f"/performance/{wid}").json()["runs_by_status"] == {"succeeded": 20}


def test_no_secrets_in_responses(server: Server) -> None:
    with server.client() as c:
        spec = chain_spec("secrets", n=1)
        spec["params"]["api_token"] = "hunter2-very-secret"  # inline: refused, not dropped
        refused = c.post("/workflows/run", json={"spec": spec})
        assert refused.status_code == 422 and "{secret: API_TOKEN}" in refused.text
        assert "hunter2-very-secret" not in refused.text
        server.home.mkdir(parents=True, exist_ok=True)  # the server's secrets file
        (server.home / "secrets.env").write_text("API_TOKEN=hunter2-very-secret\n")
        spec["params"]["api_token"] = {"secret": "API_TOKEN"}
        run_id = c.post("/workflows/run", json={"spec": spec}).json()["run_id"]
        assert _wait(c, run_id)["status"] == "succeeded"
        bodies = [
            c.get(f"/runs/{run_id}").text,
            c.get("/runs").text,
            c.get(f"/runs/{run_id}/events", params={"after": 0}).text,
            c.get("/backends").text,
        ]
        for body in bodies:
            assert "hunter2-very-secret" not in body
            assert TOKEN not in body
            assert not re.search(r"(?i)ibm_?quantum_?token|api[_-]?key\W+[A-Za-z0-9]{16,}", body)


def test_client_leaving_an_event_stream_is_clean(server: Server) -> None:
    with server.client() as c:
        run_id = c.post(
            "/workflows/run", json={"spec": chain_spec("leave", n=4, delay=0.3)}
        ).json()["run_id"]
        with c.stream("GET", f"/runs/{run_id}/events") as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    break  # walk away mid-stream
        final = _wait(c, run_id)
        assert final["status"] == "succeeded"  # the run does not care who watches
        assert c.get("/schema").status_code == 200
    time.sleep(0.5)
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
