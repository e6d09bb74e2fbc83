"""The API's status literals are the store's status names (OpenAPI needs them spelled out)."""

from __future__ import annotations

from typing import get_args

from quantumflow.status import RunStatus, TaskStatus
from quantumflow.store.records import RUN_STATUSES, TASK_STATUSES


def test_task_statuses_match_the_store() -> None:
    assert set(get_args(TaskStatus)) == set(TASK_STATUSES)


def test_run_statuses_match_the_store() -> None:
    assert set(get_args(RunStatus)) == set(RUN_STATUSES)
