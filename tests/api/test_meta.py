"""/api/schema, /api/backends, /api/estimate, /api/openapi.json."""

from __future__ import annotations

from fastapi.testclient import TestClient

from quantumflow.spec.schema import json_schema

from .helpers import chain_spec


def test_schema_is_the_spec_schema(client: TestClient) -> None:
    assert client.get("/api/schema").json() == json_schema()


def test_openapi_documents_every_route_and_our_error_model(client: TestClient) -> None:
    doc = client.get("/api/openapi.json").json()
    paths = set(doc["paths"])
    assert {
        "/api/workflows",
        "/api/workflows/run",
        "/api/workflows/{workflow_id}",
        "/api/performance/{workflow_id}",
        "/api/performance/{workflow_id}/{task_id}",
        "/api/runs",
        "/api/runs/{run_id}",
        "/api/runs/{run_id}/cancel",
        "/api/runs/{run_id}/rerun",
        "/api/runs/{run_id}/resume",
        "/api/runs/{run_id}/events",
        "/api/runs/{run_id}/tasks/{task_id}/logs",
        "/api/estimate",
        "/api/backends",
        "/api/schema",
    } <= paths
    assert "HTTPValidationError" not in str(doc)
    assert "ErrorResponse" in doc["components"]["schemas"]


def test_backends(client: TestClient) -> None:
    from quantumflow.backends import list_backends

    r = client.get("/api/backends")
    assert r.status_code == 200
    got = {b["name"]: b for b in r.json()}
    assert set(got) == {b.name for b in list_backends()}
    assert "qiskit.aer" in got
    assert got["qiskit.aer"]["installed"] is True


def test_estimate_answers(client: TestClient) -> None:
    r = client.post("/api/estimate", json={"spec": chain_spec()})
    assert r.status_code == 200, r.text
    assert r.json()["tasks"].keys() == {t["id"] for t in chain_spec()["tasks"]}
    assert client.post("/api/estimate", json={}).status_code == 422
    assert client.post("/api/estimate", json={"workflow_id": "nope"}).status_code == 404
