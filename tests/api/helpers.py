"""Helpers for the API tests: small specs and waiting for runs."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

FN = "tests.api.taskfns"
TERMINAL = {"succeeded", "failed", "cancelled", "budget_exceeded", "interrupted", "store_error"}


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


def read_sse(lines: Any) -> list[dict[str, Any]]:
    """Parse SSE ``lines`` (an iterator of text lines) until ``event: end``.

    Each message is ``{"id", "event", "data", "t"}`` with ``data`` decoded from JSON and
    ``t`` the monotonic time it arrived (to check that events are delivered incrementally).
    """
    import json

    messages: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for line in lines:
        if line == "":
            if "data" in current:
                current["t"] = time.monotonic()
                current["data"] = json.loads(current["data"])
                current.setdefault("event", "message")
                messages.append(current)
                if current["event"] == "end":
                    return messages
            current = {}
            continue
        if line.startswith(":"):
            continue
        key, _, value = line.partition(":")
        current[key] = value[1:] if value.startswith(" ") else value
    return messages
