"""/api/functions: the library by purpose and any function's signature (never called)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from quantumflow.executors.functions import LIBRARY as REGISTRY
from quantumflow.library import PURPOSES

from .helpers import FN


def test_signature_of_a_library_step(client: TestClient) -> None:
    r = client.get("/api/functions/signature", params={"fn": "parity"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["fn"] == "parity" and body["returns"] == "float"
    assert body["params"] == [
        {
            "name": "counts",
            "kind": "positional_or_keyword",
            "required": True,
            "default": None,
            "annotation": "Mapping[str, int]",
        }
    ]


def test_signature_of_an_importable_function(client: TestClient) -> None:
    body = client.get("/api/functions/signature", params={"fn": f"{FN}:add"}).json()
    assert [(p["name"], p["required"]) for p in body["params"]] == [("a", True), ("b", True)]
    assert body["var_keyword"] is False


def test_unknown_function_is_404_naming_why(client: TestClient) -> None:
    r = client.get("/api/functions/signature", params={"fn": "no_such_module_xyz:f"})
    assert r.status_code == 404
    assert "no_such_module_xyz" in r.json()["detail"]
    assert client.get("/api/functions/signature").status_code == 422  # fn is required
    r = client.get("/api/functions/signature", params={"fn": "builtins:min"})
    assert r.status_code == 422 and "cannot be read" in r.json()["detail"]


def test_library_lists_every_step_by_purpose(client: TestClient) -> None:
    items = client.get("/api/functions").json()
    assert {i["name"] for i in items} == set(REGISTRY)
    assert next(i["purpose"] for i in items) == next(iter(PURPOSES))
    parity = next(i for i in items if i["name"] == "parity")
    assert parity["purpose"] == "post-process"
    assert parity["target"] == REGISTRY["parity"]
    assert parity["signature"]["params"][0]["name"] == "counts"


def test_backends_say_what_they_need(client: TestClient) -> None:
    by_name = {b["name"]: b for b in client.get("/api/backends").json()}
    assert by_name["qiskit.aer"]["state"] == "ready"
    ibm = by_name["qiskit.ibm:ibm_brisbane"]
    # no IBM account on the test machine: the offline check says what to set
    assert ibm["state"] == "needs_credentials" and ibm["usable"] is False
    assert "QISKIT_IBM_TOKEN" in ibm["note"]
