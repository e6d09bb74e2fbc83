"""Fixtures for the API tests: a real app over a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from quantumflow.api import create_app


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(store_url=db_url)) as c:
        yield c
