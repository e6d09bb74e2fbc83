"""POST /api/workflows/validate: every problem as 200 {ok, problems}, nothing saved or run."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .helpers import chain_spec


def _validate(client: TestClient, spec: Any) -> dict[str, Any]:
    r = client.post("/api/workflows/validate", json=spec)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _where(body: dict[str, Any]) -> set[tuple[str | None, str | None]]:
    return {(p["task"], p["field"]) for p in body["problems"]}


def test_valid_spec_is_ok_and_nothing_is_saved(client: TestClient) -> None:
    spec = chain_spec()
    spec["layout"] = {"t0": {"x": 10, "y": 20}}
    assert _validate(client, spec) == {"ok": True, "problems": []}
    assert client.get("/api/workflows").json() == []
    assert client.get("/api/runs").json()["items"] == []


def test_unknown_refs_and_unimportable_fn(client: TestClient) -> None:
    spec = chain_spec()
    spec["tasks"][1]["fn"] = "no_such_module_xyz:fn"
    spec["tasks"][2]["inputs"] = {"a": {"ref": "nowhere"}, "b": {"param": "missing"}}
    spec["tasks"][2]["depends_on"] = ["ghost"]
    body = _validate(client, spec)
    assert body["ok"] is False
    assert _where(body) >= {
        ("t1", "fn"),
        ("t2", "inputs.a"),
        ("t2", "inputs.b"),
        ("t2", "depends_on"),
    }
    by_field = {(p["task"], p["field"]): p["message"] for p in body["problems"]}
    assert "nowhere" in by_field[("t2", "inputs.a")]
    assert "no_such_module_xyz" in by_field[("t1", "fn")]


def test_cycle(client: TestClient) -> None:
    spec = chain_spec()
    spec["tasks"][0]["depends_on"] = ["t2"]
    body = _validate(client, spec)
    assert body["ok"] is False
    [problem] = body["problems"]
    assert problem["field"] == "depends_on"
    assert problem["message"].startswith("dependency cycle: ")
    assert all(t in problem["message"] for t in ("t0", "t1", "t2"))


def test_unknown_backend_and_bad_fields(client: TestClient) -> None:
    spec = {
        "name": "q",
        "tasks": [
            {
                "id": "q",
                "kind": "quantum",
                "backend": "no.such.backend",
                "circuit": {"builtin": "ghz", "args": {"n": 2}},
            }
        ],
    }
    body = _validate(client, spec)
    assert body["ok"] is False
    assert ("q", "backend") in _where(body)
    assert "no.such.backend" in body["problems"][0]["message"]

    # Field-level (pydantic) problems come back the same way, not as a 422.
    bad = chain_spec()
    bad["tasks"][1]["colour"] = "blue"
    bad["tasks"][2]["retries"] = -1
    body = _validate(client, bad)
    assert body["ok"] is False
    assert _where(body) >= {("t1", "colour"), ("t2", "retries")}
    body = _validate(client, {"tasks": []})
    assert (None, "name") in _where(body)


def test_a_body_that_is_not_an_object_is_422(client: TestClient) -> None:
    r = client.post("/api/workflows/validate", json=[1, 2])
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], list)


def test_missing_function_argument_is_named(client: TestClient) -> None:
    spec = {
        "name": "p",
        "tasks": [
            {
                "id": "ghz",
                "kind": "quantum",
                "backend": "qiskit.aer",
                "circuit": {"builtin": "ghz", "args": {"n": 2}},
                "shots": 100,
            },
            {"id": "parity", "kind": "classical", "fn": "parity", "depends_on": ["ghz"]},
        ],
    }
    body = _validate(client, spec)
    assert body["ok"] is False
    assert _where(body) == {("parity", "inputs.counts")}
    assert "'counts'" in body["problems"][0]["message"]
    spec["tasks"][1]["inputs"] = {"counts": {"ref": "ghz.counts"}, "extra": 1}
    body = _validate(client, spec)
    assert _where(body) == {("parity", "inputs.extra")}
    del spec["tasks"][1]["inputs"]["extra"]
    assert _validate(client, spec) == {"ok": True, "problems": []}


def test_run_with_an_unknown_param_is_refused(client: TestClient) -> None:
    r = client.post("/api/workflows/run", json={"spec": chain_spec(), "params": {"xx": 1}})
    assert r.status_code == 422, r.text
    (problem,) = r.json()["detail"]
    assert problem["field"] == "params.xx" and "unknown run param 'xx'" in problem["message"]
    assert client.get("/api/runs").json()["items"] == []
