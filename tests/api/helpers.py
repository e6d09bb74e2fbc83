"""Helpers for the API tests: small specs and waiting for runs."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

FN = "tests.api.taskfns"
TERMINAL = {"succeeded", "failed", "cancelled", "budget_exceeded", "interrupted"}


def chain_spec(name: str = "chain", *, n: int = 3, delay: float = 0.0) -> dict[str, Any]:
    """``t0 -> t1 -> ...``: t0 = x + 1, each next adds 1 (after ``delay`` seconds)."""
    tasks: list[dict[str, Any]] = [
        {
            "id": "t0",
            "kind": "classical",
            "fn": f"{FN}:add",
            "inputs": {"a": {"param": "x"}, "b": 1},
        }
    ]
    for i in range(1, n):
        if delay:
            tasks.append(
                {
                    "id": f"w{i}",
                    "kind": "classical",
                    "fn": f"{FN}:slow",
                    "inputs": {"value": {"ref": f"t{i - 1}"}, "delay": delay},
                }
            )
            tasks.append(
                {
                    "id": f"t{i}",
                    "kind": "classical",
                    "fn": f"{FN}:add",
                    "inputs": {"a": {"ref": f"w{i}"}, "b": 1},
                }
            )
        else:
            tasks.append(
                {
                    "id": f"t{i}",
                    "kind": "classical",
                    "fn": f"{FN}:add",
                    "inputs": {"a": {"ref": f"t{i - 1}"}, "b": 1},
                }
            )
    return {"name": name, "params": {"x": 1}, "tasks": tasks}


def wait_run(
    client: TestClient, run_id: str, *, timeout: float = 30.0, prefix: str = "/api"
) -> dict[str, Any]:
    """Poll GET /runs/{id} until the run is finished; return its body."""
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(f"{prefix}/runs/{run_id}").json()
        if body.get("status") in TERMINAL:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} still {body.get('status')} after {timeout} s")
        time.sleep(0.05)
