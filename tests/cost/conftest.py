"""Cost tests: a real SQLite store per test and spec builders."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.engine import open_db

FNS = "tests.cost.fns"


def ctask(tid: str, fn: str = "nap", **extra: Any) -> dict[str, Any]:
    """A classical task calling ``tests.cost.fns:<fn>``."""
    return {"id": tid, "kind": "classical", "fn": f"{FNS}:{fn}", **extra}


def qtask(
    tid: str, builtin: str = "ghz", backend: str = "qiskit.aer", **extra: Any
) -> dict[str, Any]:
    """A quantum task running a built-in circuit (cache off unless given)."""
    args = extra.pop("args", {"n": 3})
    return {
        "id": tid,
        "kind": "quantum",
        "backend": backend,
        "circuit": {"builtin": builtin, "args": args},
        "cache": extra.pop("cache", False),
        **extra,
    }


def wf(*tasks: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A workflow dict."""
    return {"name": "cost-test", "tasks": list(tasks), **top}


@pytest.fixture
def store(db_url: str) -> Any:
    """The engine's store for this test's database."""
    return open_db(db_url)
