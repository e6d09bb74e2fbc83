"""The event sink: on_event at once, the store in batches, everything committed on close."""

from __future__ import annotations

import time
from typing import Any

from quantumflow.engine.events import EventSink
from quantumflow.store import TaskEvent


def test_events_reach_store_in_order_and_close_commits(store: Any) -> None:
    run_id = store.create_run(spec={"name": "s", "tasks": []}, task_ids=["a", "b"])
    seen: list[str] = []
    sink = EventSink(store, lambda ev: seen.append(f"{ev.task_id}:{ev.status}"))
    sink.put(TaskEvent(run_id, "a", "running", 1))
    sink.put(TaskEvent(run_id, "a", "succeeded", 1))
    time.sleep(0.05)  # idle: the flusher backs off but has handed these over
    sink.put(TaskEvent(run_id, "b", "running", 1))
    sink.put(TaskEvent(run_id, "b", "failed", 1, error="boom"))
    sink.close()
    sink.close()  # idempotent
    assert seen == ["a:running", "a:succeeded", "b:running", "b:failed"]
    rec = store.get_run(run_id)
    assert rec.tasks["a"].status == "succeeded"
    assert rec.tasks["b"].status == "failed" and rec.tasks["b"].error == "boom"
    statuses = [(e.task_id, e.data["status"]) for e in store.events_since(run_id) if e.task_id]
    assert statuses == [("a", "running"), ("a", "succeeded"), ("b", "running"), ("b", "failed")]


def test_failing_callback_is_contained(store: Any) -> None:
    run_id = store.create_run(spec={"name": "s", "tasks": []}, task_ids=["a"])

    def bad(_: Any) -> None:
        raise RuntimeError("widget bug")

    sink = EventSink(store, bad)
    sink.put(TaskEvent(run_id, "a", "running", 1))
    sink.close()
    assert store.get_run(run_id).tasks["a"].status == "running"
