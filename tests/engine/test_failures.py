"""Retries with backoff, timeouts (threads and processes), skipping and on_failure."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from quantumflow.engine import run

from .conftest import ctask, wf


def test_retries_until_success(store: Any, tmp_path: Path) -> None:
    counter = tmp_path / "n"
    spec = wf(
        ctask("a", "flaky", retries=3, inputs={"path": str(counter), "fails": 2}),
        policies={"retry_backoff_s": 0.05},
    )
    t0 = time.monotonic()
    r = run(spec, db=store)
    elapsed = time.monotonic() - t0
    assert r.status == "succeeded"
    assert r.outputs["a"] == 3
    assert r.tasks["a"].attempts == 3
    assert elapsed >= 0.05 + 0.1  # backoff doubles: 0.05 then 0.1
    statuses = [e.data["status"] for e in store.events_since(r.id) if e.task_id == "a"]
    assert statuses == ["running", "retrying", "running", "retrying", "running", "succeeded"]
    assert store.get_run(r.id).tasks["a"].attempts == 3


def test_retries_exhausted_fails_and_skips_dependents(store: Any, tmp_path: Path) -> None:
    spec = wf(
        ctask("a", "flaky", inputs={"path": str(tmp_path / "n"), "fails": 5}),
        ctask("b", "inc", inputs={"x": {"ref": "a"}}),
        ctask("c", depends_on=["b"]),
        policies={"retries": 1, "retry_backoff_s": 0},
    )
    r = run(spec, db=store)
    assert r.status == "failed"
    assert r.tasks["a"].status == "failed" and r.tasks["a"].attempts == 2
    assert "RuntimeError: flaky failure 2" in (r.tasks["a"].error or "")
    assert r.tasks["b"].status == "skipped" and r.tasks["c"].status == "skipped"
    assert r.tasks["b"].attempts == 0
    rec = store.get_run(r.id)
    assert rec.status == "failed"
    assert rec.error and "flaky failure" in rec.error
    assert {k: v.status for k, v in rec.tasks.items()} == {
        "a": "failed",
        "b": "skipped",
        "c": "skipped",
    }


def test_on_failure_continue_runs_independent_branches(store: Any) -> None:
    spec = wf(
        ctask("bad", "fail"),
        ctask("after_bad", depends_on=["bad"]),
        ctask("good", "sleep", inputs={"s": 0.05}),
        ctask("after_good", "inc", inputs={"x": {"ref": "good"}}),
        policies={"on_failure": "continue"},
    )
    r = run(spec, db=store)
    assert r.status == "failed"
    assert r.tasks["after_bad"].status == "skipped"
    assert r.tasks["after_good"].status == "succeeded"
    assert r.outputs["after_good"] == 1.05


def test_on_failure_stop_cancels_the_rest(store: Any) -> None:
    spec = wf(
        ctask("bad", "fail"),
        ctask("slow", "sleep", inputs={"s": 0.3}),
        ctask("later", depends_on=["slow"]),
        policies={"max_concurrency": 2},
    )
    r = run(spec, db=store)
    assert r.status == "failed"
    assert r.tasks["bad"].status == "failed"
    assert r.tasks["slow"].status == "succeeded"  # running work finishes
    assert r.tasks["later"].status == "cancelled"  # nothing new starts


def test_threads_timeout_fails_task_and_skips_dependents(store: Any) -> None:
    spec = wf(
        ctask("slow", "sleep", timeout_s=0.2, inputs={"s": 3}),
        ctask("next", depends_on=["slow"]),
        ctask("other", "sleep", inputs={"s": 0.01}),
    )
    t0 = time.monotonic()
    r = run(spec, db=store)
    assert time.monotonic() - t0 < 2.5  # the abandoned thread is not waited for
    assert r.status == "failed"
    assert r.tasks["slow"].status == "failed"
    assert "timed out after 0.2 s" in (r.tasks["slow"].error or "")
    assert r.tasks["next"].status == "skipped"
    assert store.get_run(r.id).tasks["slow"].status == "failed"


def test_timeout_then_retry_succeeds(store: Any, tmp_path: Path) -> None:
    # the first attempt sleeps past the limit and is abandoned; the retry is fast
    counter = tmp_path / "n"
    spec = wf(
        ctask("t", "slow_first", timeout_s=0.3, retries=1, inputs={"path": str(counter), "s": 2}),
        ctask("u", "inc", inputs={"x": {"ref": "t"}}),
        policies={"retry_backoff_s": 0},
    )
    r = run(spec, db=store)
    assert r.status == "succeeded"
    assert r.tasks["t"].attempts == 2
    assert r.outputs == {"t": 2, "u": 3}
    statuses = [e.data["status"] for e in store.events_since(r.id) if e.task_id == "t"]
    assert statuses == ["running", "retrying", "running", "succeeded"]


@pytest.mark.slow
def test_processes_hard_timeout_kills_the_worker(store: Any) -> None:
    spec = wf(
        ctask("p", "pid"),
        ctask("slow", "sleep", timeout_s=0.5, inputs={"s": 30}, depends_on=["p"]),
        ctask("after", "pid", depends_on=["slow"]),
        ctask("side", "add", inputs={"a": 1, "b": 2}),
        policies={"on_failure": "continue"},
    )
    t0 = time.monotonic()
    r = run(spec, db=store, executor="processes", workers=1)
    assert time.monotonic() - t0 < 20
    assert r.tasks["slow"].status == "failed"
    assert "timed out" in (r.tasks["slow"].error or "")
    assert r.tasks["after"].status == "skipped"
    assert r.outputs["side"] == 3
    import os

    assert r.outputs["p"] != os.getpid()  # ran in a worker process
