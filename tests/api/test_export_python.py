"""POST /api/workflows/python: the designer's "Export as Python", answered from the spec."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from quantumflow.dsl import Workflow
from quantumflow.spec import WorkflowSpec
from tests.spec.test_python_code import EVERYTHING


def test_code_rebuilds_the_posted_spec(client: TestClient) -> None:
    r = client.post("/api/workflows/python", json=EVERYTHING)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["filename"] == "every_field.py"
    ns: dict[str, Any] = {}
    exec(compile(body["code"], body["filename"], "exec"), ns)
    wf = ns["wf"]
    assert isinstance(wf, Workflow) and wf.spec == WorkflowSpec.parse(EVERYTHING)
    assert client.get("/api/workflows").json() == []  # nothing saved


def test_bad_spec_is_422_naming_task_and_field(client: TestClient) -> None:
    spec = {"name": "w", "tasks": [{"id": "a", "kind": "quantum", "backend": "x", "shots": 0}]}
    r = client.post("/api/workflows/python", json=spec)
    assert r.status_code == 422
    where = {(p["task"], p["field"]) for p in r.json()["detail"]}
    assert ("a", "shots") in where and ("a", "circuit") in where
