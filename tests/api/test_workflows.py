"""/api/workflows against a real app and a real SQLite file."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .helpers import FN, chain_spec


def test_create_list_get_replace_delete(client: TestClient) -> None:
    created = client.post("/api/workflows", json=chain_spec("first"))
    assert created.status_code == 201, created.text
    wid = created.json()["id"]
    assert created.json()["name"] == "first"

    listed = client.get("/api/workflows").json()
    assert [(w["id"], w["name"], w["task_count"]) for w in listed] == [(wid, "first", 3)]

    got = client.get(f"/api/workflows/{wid}").json()
    assert got["spec"]["tasks"][0]["fn"] == f"{FN}:add"

    replaced = client.put(f"/api/workflows/{wid}", json=chain_spec("renamed", n=2))
    assert replaced.status_code == 200, replaced.text
    got = client.get(f"/api/workflows/{wid}").json()
    assert (got["name"], got["task_count"]) == ("renamed", 2)

    assert client.delete(f"/api/workflows/{wid}").json() == {"id": wid, "deleted": True}
    missing = client.get(f"/api/workflows/{wid}")
    assert missing.status_code == 404
    assert wid in missing.json()["detail"]
    assert client.delete(f"/api/workflows/{wid}").status_code == 404
    assert client.put(f"/api/workflows/{wid}", json=chain_spec()).status_code == 404


def test_structural_errors_name_task_and_field(client: TestClient) -> None:
    spec = chain_spec()
    spec["tasks"][1]["colour"] = "blue"
    spec["tasks"][2]["retries"] = -1
    r = client.post("/api/workflows", json=spec)
    assert r.status_code == 422
    problems = r.json()["detail"]
    assert {"message": "unknown field", "task": "t1", "field": "colour"} in problems
    assert any(p["task"] == "t2" and p["field"] == "retries" for p in problems)


def test_engine_validation_errors_name_task_and_field(client: TestClient) -> None:
    spec = chain_spec()
    spec["tasks"][1]["fn"] = "no_such_module_xyz:fn"
    spec["tasks"][2]["inputs"] = {"a": {"ref": "nowhere"}, "b": 1}
    r = client.post("/api/workflows", json=spec)
    assert r.status_code == 422, r.text
    problems = r.json()["detail"]
    tasks_fields = {(p["task"], p["field"]) for p in problems}
    assert ("t1", "fn") in tasks_fields
    assert any(task == "t2" for task, _ in tasks_fields)
    assert client.get("/api/workflows").json() == []  # nothing saved


def test_cycle_is_422(client: TestClient) -> None:
    spec = chain_spec()
    spec["tasks"][0]["depends_on"] = ["t2"]
    r = client.post("/api/workflows", json=spec)
    assert r.status_code == 422
    assert "cycle" in r.text


def test_bad_bodies_are_4xx_json(client: TestClient) -> None:
    r = client.post(
        "/api/workflows", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400  # malformed JSON, as docs/api.md says (was 422)
    assert "not valid JSON" in r.json()["detail"]
    r = client.post("/api/workflows", json=[1, 2])
    assert r.status_code == 422
    r = client.post("/api/workflows", json={"name": "x", "version": "9"})
    assert r.status_code == 422
    assert "version" in r.text
    r = client.patch("/api/workflows")
    assert r.status_code == 405
    assert "detail" in r.json()
    assert client.get("/api/nothing-here").json() == {"detail": "Not Found"}


def test_body_size_limit(db_url: str) -> None:
    from quantumflow.api import create_app

    with TestClient(create_app(store_url=db_url, max_body_bytes=1000)) as small:
        spec = chain_spec()
        spec["description"] = "x" * 2000
        r = small.post("/api/workflows", json=spec)
        assert r.status_code == 413
        assert "too large" in r.json()["detail"]

        def chunks():  # no Content-Length: the limit still holds
            yield b'{"name": "'
            yield b"y" * 5000
            yield b'"}'

        r = small.post(
            "/api/workflows", content=chunks(), headers={"content-type": "application/json"}
        )
        assert r.status_code == 413
