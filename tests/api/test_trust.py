"""The trust model (docs/security.md): ``quantumflow serve`` runs only functions and circuit
callables from allow-listed modules (403 naming the module otherwise, before anything is
imported); validation never runs user code, inside Jupyter or out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from quantumflow.api import create_app
from quantumflow.config import ModulePolicy, set_module_policy

from .test_serve import _free_port

TOKEN = "trust-test-token-5e1"
ROOT = Path(__file__).resolve().parents[2]


def classical(fn: str, **inputs: object) -> dict[str, object]:
    return {"name": "t", "tasks": [{"id": "a", "kind": "classical", "fn": fn, "inputs": inputs}]}


def quantum_callable(fn_path: str, **args: object) -> dict[str, object]:
    task = {"id": "q", "kind": "quantum", "backend": "qiskit.aer", "shots": 10,
            "circuit": {"callable": fn_path, "args": args}}  # fmt: skip
    return {"name": "t", "tasks": [task]}


@pytest.fixture
def serve_cli(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A real ``quantumflow serve`` that allows ``tests.api.taskfns`` besides the library."""
    port = _free_port()
    env = {**os.environ, "QUANTUMFLOW_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "quantumflow.cli", "serve", "--port", str(port), "--token",
           TOKEN, "--allow-module", "tests.api.taskfns", "--root", str(tmp_path)]  # fmt: skip
    with subprocess.Popen(cmd, env=env, cwd=ROOT, stderr=subprocess.DEVNULL) as proc:
        url = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/schema")
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        try:
            yield url, {"Authorization": f"Bearer {TOKEN}"}
        finally:
            proc.terminate()
            proc.wait(20)


@pytest.mark.parametrize("fn", ["os:system", "subprocess:run", "builtins:eval"])
def test_serve_refuses_functions_outside_the_allow_list(
    serve_cli: tuple[str, dict[str, str]], tmp_path: Path, fn: str
) -> None:
    url, auth = serve_cli
    mark = tmp_path / "pwned"
    spec = classical(fn, command=f"touch {mark}", args=["touch", str(mark)], source="1")
    for path, body in (("/workflows/run", {"spec": spec}), ("/workflows", spec)):
        r = httpx.post(url + path, json=body, headers=auth)
        assert r.status_code == 403, r.text
        module = fn.split(":", maxsplit=1)[0]
        assert f"module '{module}' is not allowed here" in r.text
    checked = httpx.post(f"{url}/workflows/validate", json=spec, headers=auth)
    assert checked.status_code == 200 and checked.json()["ok"] is False
    assert "is not allowed here" in checked.text
    time.sleep(0.5)
    assert not mark.exists()


def test_serve_runs_the_library_and_allowed_modules(
    serve_cli: tuple[str, dict[str, str]],
) -> None:
    url, auth = serve_cli
    spec = {"name": "ok", "tasks": [
        {"id": "a", "kind": "classical", "fn": "tests.api.taskfns:add", "inputs": {"a": 1, "b": 2}},
        {"id": "b", "kind": "classical", "fn": "constant", "inputs": {"value": {"ref": "a"}}},
    ]}  # fmt: skip
    r = httpx.post(f"{url}/workflows/run", json={"spec": spec}, headers=auth)
    assert r.status_code == 202, r.text
    run_id = r.json()["run_id"]
    deadline = time.monotonic() + 30
    while (run := httpx.get(f"{url}/runs/{run_id}", headers=auth).json())["status"] in (
        "pending",
        "running",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert run["status"] == "succeeded"


def test_a_library_function_cannot_reach_a_refused_module(
    serve_cli: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    """``minimize`` resolves its ``objective`` by name: through the same allow-list."""
    url, auth = serve_cli
    spec = classical("minimize", objective="os:system", x0=[0.0], maxiter=1)
    r = httpx.post(f"{url}/workflows/run", json={"spec": spec}, headers=auth)
    assert r.status_code == 202, r.text
    run_id = r.json()["run_id"]
    deadline = time.monotonic() + 30
    while (run := httpx.get(f"{url}/runs/{run_id}", headers=auth).json())["status"] in (
        "pending",
        "running",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert run["status"] == "failed"
    assert "module 'os' is not allowed here" in run["tasks"][0]["error"]


@pytest.fixture
def allow_list() -> Iterator[None]:
    """This process behaves like ``quantumflow serve`` (the library and taskfns allowed)."""
    allowed = ("tests.api.taskfns", "tests.api.sidefx", "tests.api.nothere")
    set_module_policy(ModulePolicy.allow_list(allowed))
    yield
    set_module_policy(None)


def test_validate_behind_an_allow_list_locates_without_importing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allow_list: None
) -> None:
    mark = tmp_path / "imported"
    monkeypatch.setenv("QF_SIDEFX_MARK", str(mark))
    sys.modules.pop("tests.api.sidefx", None)
    with TestClient(create_app(store_url=db_url)) as client:
        r = client.post("/api/workflows/validate", json=classical("tests.api.sidefx:one"))
        assert r.json() == {"ok": True, "problems": []}
        assert not mark.exists(), "validation imported (ran) the module"
        missing = client.post("/api/workflows/validate", json=classical("tests.api.nothere:f"))
        assert "cannot import module 'tests.api.nothere'" in missing.text
        refused = client.post("/api/workflows/validate", json=quantum_callable("os:system"))
        assert "module 'os' is not allowed here" in refused.text


@pytest.mark.parametrize("trusted", [True, False])
def test_validate_never_calls_a_circuit_callable(
    db_url: str, tmp_path: Path, trusted: bool
) -> None:
    mark = tmp_path / "called"
    if not trusted:
        set_module_policy(ModulePolicy.allow_list(("tests.api.taskfns",)))
    try:
        with TestClient(create_app(store_url=db_url)) as client:
            spec = quantum_callable("tests.api.taskfns:touch", path=str(mark))
            r = client.post("/api/workflows/validate", json=spec)
            assert r.status_code == 200 and r.json()["ok"] is True, r.text
            est = client.post("/api/estimate", json={"spec": spec})
            assert est.status_code == 200, est.text
    finally:
        set_module_policy(None)
    assert not mark.exists(), "validation or the estimate called the circuit callable"
