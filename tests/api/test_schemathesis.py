"""Property tests from the OpenAPI schema: no 500s, every response matches its schema.

schemathesis generates requests for every operation (valid and invalid data) against the
real app over a real SQLite file, seeded with one saved workflow and one finished run so
that some generated ids hit existing rows.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from quantumflow.api import create_app

from .helpers import chain_spec, wait_run

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]


# A module-level schema: schemathesis' from_fixture() does not work with pytest 9.
_DB_DIR = Path(tempfile.mkdtemp(prefix="qf-schemathesis-"))
APP = create_app(store_url=f"sqlite:///{_DB_DIR / 'api.db'}")
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _seeded() -> Iterator[None]:
    with TestClient(APP) as client:
        wid = client.post("/api/workflows", json=chain_spec(n=2)).json()["id"]
        run = client.post("/api/workflows/run", json={"workflow_id": wid}).json()["run_id"]
        wait_run(client, run)
        yield
    shutil.rmtree(_DB_DIR, ignore_errors=True)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any) -> None:
    response = case.call()
    case.validate_response(response, checks=CHECKS)
