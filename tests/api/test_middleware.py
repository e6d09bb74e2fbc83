"""Bearer-token auth and the body limit as the standalone app applies them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from quantumflow.api import create_app


@pytest.fixture
def secured(db_url: str):
    with TestClient(create_app(store_url=db_url, token="s3cret-token")) as c:
        yield c


def test_token_required_on_every_route(secured: TestClient) -> None:
    for method, path in [
        ("GET", "/api/schema"),
        ("GET", "/api/openapi.json"),
        ("POST", "/api/workflows"),
        ("GET", "/api/runs/x/events"),
        ("GET", "/api/nothing"),
    ]:
        r = secured.request(method, path)
        assert r.status_code == 401, (method, path)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert "token" in r.json()["detail"]
    wrong = secured.get("/api/schema", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    ok = secured.get("/api/schema", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200
    assert "s3cret-token" not in ok.text


def test_token_is_never_echoed(secured: TestClient) -> None:
    r = secured.get("/api/runs", headers={"Authorization": "Bearer s3cret"})
    assert "s3cret" not in r.text


def test_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        create_app(token="")
