"""The group commit's SQL (``store/events_sql.py``): folded task_runs updates, metrics rows
of different shapes, upsert of a repeated attempt, and the events JSON it writes."""

from __future__ import annotations

import json

from quantumflow.store import Store, TaskEvent


def test_big_batch_in_one_commit_writes_every_row(store: Store) -> None:
    n = 437
    ids = [f"t{i}" for i in range(n)]
    rid = store.create_run(spec={"name": "big"}, task_ids=ids)
    batch = []
    for i, t in enumerate(ids):
        batch.append(TaskEvent(rid, t, "running", 1, 100.0 + i))
        batch.append(
            TaskEvent(rid, t, "succeeded", 1, 200.0 + i, None, f"inline:{i}", False, {"cpu_s": 0.5})
        )
    store.record(batch)
    store.flush()
    run = store.get_run(rid)
    for i, t in enumerate(ids):
        tr = run.tasks[t]
        assert tr.status == "succeeded" and tr.attempts == 1
        assert tr.started_at == 100.0 + i  # kept from the 'running' event folded into the update
        assert tr.finished_at == 200.0 + i
        assert tr.output_ref == f"inline:{i}"
    events = store.events_since(rid, limit=10 * n)
    task_events = [e for e in events if e.kind == "task"]
    assert len(task_events) == 2 * n
    assert [e.data["status"] for e in task_events[:2]] == ["running", "succeeded"]
    assert task_events[1].data == {"status": "succeeded", "attempt": 1, "output_ref": "inline:0"}
    metrics = store.task_metrics(run_id=rid)
    assert len(metrics) == n
    assert {m["cpu_s"] for m in metrics} == {0.5}
    assert all(m["wall_s"] == 100.0 for m in metrics)  # finished - started


def test_repeated_attempt_in_one_batch_keeps_the_last(store: Store) -> None:
    rid = store.create_run(spec={"name": "again"}, task_ids=["a"])
    store.record(
        [
            TaskEvent(rid, "a", "running", 1, 1.0),
            TaskEvent(rid, "a", "failed", 1, 2.0, "boom"),
            TaskEvent(rid, "a", "succeeded", 1, 3.0, None, "inline:1", False, {"wall_s": 2.0}),
        ]
    )
    store.flush()
    tr = store.get_run(rid).tasks["a"]
    assert (tr.status, tr.error, tr.output_ref, tr.finished_at) == (
        "succeeded",
        None,
        "inline:1",
        3.0,
    )
    rows = store.task_metrics(run_id=rid)
    assert [(r["attempt"], r["status"], r["wall_s"]) for r in rows] == [(1, "succeeded", 2.0)]


def test_event_json_escapes_and_carries_errors(store: Store) -> None:
    rid = store.create_run(spec={"name": "esc"}, task_ids=["a", "b"])
    ref = 'inline:"quoted" \u00e9'
    store.record(
        [
            TaskEvent(rid, "a", "succeeded", 2, 1.0, None, ref, True),
            TaskEvent(rid, "b", "failed", 1, 1.0, 'bad "input"\nline 2'),
        ]
    )
    store.flush()
    got = {e.task_id: e.data for e in store.events_since(rid) if e.kind == "task"}
    assert got["a"] == {"status": "succeeded", "attempt": 2, "output_ref": ref, "cache_hit": True}
    assert got["b"] == {"status": "failed", "attempt": 1, "error": 'bad "input"\nline 2'}
    json.dumps(got)  # plain JSON types only


def test_secret_named_metric_keys_never_reach_the_table(store: Store) -> None:
    rid = store.create_run(spec={"name": "sec"}, task_ids=["a", "b"])
    plain = {"fn": "m:f", "wall_s": 1.0, "region": "eu"}
    secret = {"fn": "m:f", "ibm_api_token": "s3cr3t", "meta": {"password": "p", "ok": 1}}
    store.record(
        [
            TaskEvent(rid, "a", "succeeded", 1, 2.0, None, None, False, plain),
            TaskEvent(rid, "b", "succeeded", 1, 2.0, None, None, False, secret),
        ]
    )
    store.flush()
    rows = {r["task_id"]: r for r in store.task_metrics(run_id=rid)}
    assert rows["a"]["extra"] == {"fn": "m:f", "region": "eu"}
    assert rows["b"]["extra"] == {"fn": "m:f", "meta": {"ok": 1}}
    assert "s3cr3t" not in json.dumps(rows["b"])


def test_task_rows_in_multi_row_inserts_keep_order_and_existing_rows(store: Store) -> None:
    rid = store.create_run(spec={"name": "rows"}, task_ids=[f"t{i}" for i in range(70)])
    store.record([TaskEvent(rid, "t3", "running", 1, 5.0)])
    store.queue_task_rows(rid, [f"t{i}" for i in range(75)])  # 70 kept as they are, 5 new
    run = store.get_run(rid)
    assert list(run.tasks) == [f"t{i}" for i in range(75)]
    assert run.tasks["t3"].status == "running"
    assert {t.status for k, t in run.tasks.items() if k != "t3"} == {"pending"}
