"""The API publishes the status names of quantumflow.status (what the lab extension's
generated types are made from)."""

from __future__ import annotations

from typing import Any

from quantumflow.api.app import create_app
from quantumflow.status import RUN_STATUSES, TASK_STATUSES


def _status_enum(schema: dict[str, Any], model: str) -> list[str]:
    prop = schema["components"]["schemas"][model]["properties"]["status"]
    return list(prop["enum"])


def test_openapi_spells_out_every_status() -> None:
    schema = create_app(store_url="sqlite://").openapi()
    assert _status_enum(schema, "RunSummary") == list(RUN_STATUSES)
    assert _status_enum(schema, "TaskRunInfo") == list(TASK_STATUSES)
