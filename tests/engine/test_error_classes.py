"""Failures by class: transient backend errors are retried by default, permanent ones are
not; ``policies.retry_on`` chooses; every failed attempt records its class."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from quantumflow.engine import open_db, run
from quantumflow.errors import SpecError

from .conftest import ctask, wf


def closed_port() -> int:
    """A local port nothing listens on (the service is down: a network error)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def remote(**extra: Any) -> dict[str, Any]:
    return {
        "id": "r", "kind": "quantum", "backend": f"standin:127.0.0.1:{closed_port()}",
        "circuit": {"builtin": "ghz", "args": {"n": 2}}, "shots": 10, "cache": False, **extra,
    }  # fmt: skip


def attempts(db: str, run_id: str, task: str) -> list[dict[str, Any]]:
    return [r for r in open_db(db).task_metrics(run_id=run_id) if r["task_id"] == task]


def test_a_network_error_is_retried(db_url: str) -> None:
    result = run(wf(remote(retries=2), policies={"retry_backoff_s": 0}), db=db_url)
    assert result.status == "failed"
    assert result.tasks["r"].attempts == 3
    assert "cannot reach the service" in (result.tasks["r"].error or "")
    rows = attempts(db_url, result.id, "r")
    assert {r["extra"]["error_class"] for r in rows} == {"network"}


def test_retry_on_can_leave_transient_errors_alone(db_url: str) -> None:
    pol = {"retry_backoff_s": 0, "retry_on": ["permanent"]}
    result = run(wf(remote(retries=2), policies=pol), db=db_url)
    assert result.status == "failed" and result.tasks["r"].attempts == 1


def test_a_permanent_error_is_not_retried_unless_asked(db_url: str) -> None:
    bad = {
        "id": "q",
        "kind": "quantum",
        "backend": "qiskit.fake:fake_manila",
        "retries": 2,
        "circuit": {"builtin": "ghz", "args": {"n": 2}},
        "noise": {"depolarizing": 0.1},
    }  # fmt: skip  -- a fake device has its own noise: unsupported
    once = run(wf(bad, policies={"retry_backoff_s": 0}), db=db_url)
    assert once.status == "failed" and once.tasks["q"].attempts == 1
    (row,) = attempts(db_url, once.id, "q")
    assert row["extra"]["error_class"] == "unsupported"
    again = run(wf(bad, policies={"retry_backoff_s": 0, "retry_on": ["any"]}), db=db_url)
    assert again.tasks["q"].attempts == 3


def test_a_classical_tasks_own_error_is_retried_by_default_only(db_url: str) -> None:
    task = ctask("c", "fail", retries=1)
    default = run(wf(task, policies={"retry_backoff_s": 0}), db=db_url)
    assert default.tasks["c"].attempts == 2
    assert {r["extra"]["error_class"] for r in attempts(db_url, default.id, "c")} == {"task_error"}
    strict = run(wf(task, policies={"retry_backoff_s": 0, "retry_on": ["transient"]}), db=db_url)
    assert strict.tasks["c"].attempts == 1


def test_an_unknown_class_in_retry_on_is_refused_naming_the_field(db_url: str) -> None:
    with pytest.raises(SpecError) as err:
        run(wf(ctask("c"), policies={"retry_on": ["sometimes"]}), db=db_url)
    assert "policies.retry_on.0" in str(err.value)
