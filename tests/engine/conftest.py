"""Engine test helpers: spec builders and a store per test (a real SQLite file)."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.engine import open_db

F = "tests.engine.fns"


def ctask(tid: str, fn: str = "one", **extra: Any) -> dict[str, Any]:
    """A classical task calling ``tests.engine.fns:<fn>``."""
    return {"id": tid, "kind": "classical", "fn": f"{F}:{fn}", **extra}


def wf(*tasks: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A workflow dict."""
    return {"name": "test", "tasks": list(tasks), **top}


@pytest.fixture
def store(db_url: str) -> Any:
    """The engine's store for this test's database."""
    return open_db(db_url)
