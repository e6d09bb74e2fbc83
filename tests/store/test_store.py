"""The repository contract (docs/internals.md), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from quantumflow.errors import RunNotFoundError, StoreError, WorkflowNotFoundError
from quantumflow.spec import WorkflowSpec
from quantumflow.store import Store, TaskEvent

SPEC = WorkflowSpec.parse(
    {
        "name": "demo",
        "params": {"n": 3},
        "tasks": [
            {"id": "a", "kind": "classical", "fn": "math:sqrt", "inputs": {"x": 4}},
            {"id": "b", "kind": "classical", "fn": "math:sqrt", "inputs": {"x": {"ref": "a"}}},
        ],
    }
)


def test_workflow_roundtrip_update_and_delete(store: Store) -> None:
    wid = store.save_workflow(SPEC)
    rec = store.get_workflow(wid)
    assert rec.name == "demo"
    assert WorkflowSpec.parse(rec.spec) == SPEC
    assert store.save_workflow({"name": "renamed", "tasks": []}, workflow_id=wid) == wid
    again = store.get_workflow(wid)
    assert again.name == "renamed"
    assert again.created_at == rec.created_at
    assert again.updated_at >= rec.updated_at
    assert [w.id for w in store.list_workflows()] == [wid]
    assert store.delete_workflow(wid) is True
    assert store.delete_workflow(wid) is False
    with pytest.raises(WorkflowNotFoundError, match=wid):
        store.get_workflow(wid)


def test_create_run_is_pending_with_all_tasks(store: Store) -> None:
    wid = store.save_workflow(SPEC)
    rid = store.create_run(spec=SPEC, task_ids=["a", "b"], workflow_id=wid, params={"n": 5})
    run = store.get_run(rid)
    assert (run.status, run.workflow_id, run.name, run.params) == ("pending", wid, "demo", {"n": 5})
    assert list(run.tasks) == ["a", "b"]
    assert all(t.status == "pending" and t.attempts == 0 for t in run.tasks.values())
    assert run.started_at is None and run.finished_at is None


def test_run_status_sets_times(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=["a", "b"])
    store.set_run_status(rid, "running")
    started = store.get_run(rid).started_at
    assert started is not None
    store.set_run_status(rid, "failed", error="task 'b' failed: boom")
    run = store.get_run(rid)
    assert run.status == "failed" and run.error == "task 'b' failed: boom"
    assert run.finished_at is not None and run.finished_at >= started
    with pytest.raises(StoreError, match="unknown run status 'done'"):
        store.set_run_status(rid, "done")
    with pytest.raises(RunNotFoundError):
        store.set_run_status("nope", "running")


def test_record_flush_updates_tasks_events_and_metrics(store: Store) -> None:
    wid = store.save_workflow(SPEC)
    rid = store.create_run(spec=SPEC, task_ids=["a", "b"], workflow_id=wid)
    ref = store.put_output(2.0)
    store.record(
        [
            TaskEvent(rid, "a", "queued", at=10.0),
            TaskEvent(rid, "a", "running", at=11.0),
            TaskEvent(rid, "a", "succeeded", at=13.5, output_ref=ref, metrics={"cpu_s": 1.5}),
            TaskEvent(rid, "b", "running", at=14.0),
            TaskEvent(rid, "b", "retrying", at=15.0, error="flaky"),
            TaskEvent(rid, "b", "running", attempt=2, at=16.0),
            TaskEvent(rid, "b", "failed", attempt=2, at=18.0, error="boom"),
        ]
    )
    store.flush()
    run = store.get_run(rid)
    a, b = run.tasks["a"], run.tasks["b"]
    assert (a.status, a.attempts, a.queued_at, a.started_at, a.finished_at) == (
        "succeeded", 1, 10.0, 11.0, 13.5,
    )  # fmt: skip
    assert a.duration == 2.5
    assert store.get_output(a.output_ref or "") == 2.0
    assert (b.status, b.attempts, b.error, b.started_at, b.duration) == (
        "failed", 2, "boom", 16.0, 2.0,
    )  # fmt: skip

    kinds = [(e.kind, e.task_id, e.data["status"]) for e in store.events_since(rid)]
    assert kinds[0] == ("run", None, "pending")
    assert [k for k in kinds if k[0] == "task"] == [
        ("task", "a", "queued"), ("task", "a", "running"), ("task", "a", "succeeded"),
        ("task", "b", "running"), ("task", "b", "retrying"), ("task", "b", "running"),
        ("task", "b", "failed"),
    ]  # fmt: skip

    rows = store.task_metrics(workflow_id=wid)
    assert [(r["task_id"], r["attempt"], r["status"]) for r in rows] == [
        ("a", 1, "succeeded"), ("b", 1, "retrying"), ("b", 2, "failed"),
    ]  # fmt: skip
    assert rows[0]["queued_at"] == 10.0 and rows[0]["wall_s"] == 2.5 and rows[0]["cpu_s"] == 1.5
    assert rows[2]["retries"] == 1 and rows[2]["workflow_id"] == wid
    assert store.task_metrics(run_id=rid, task_id="b")[1]["wall_s"] == 2.0


def test_quantum_metrics_and_extra_keys(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=["a"])
    metrics = {
        "qubits": 5, "depth": 12, "shots": 1024, "backend": "qiskit.aer", "job_id": "j1",
        "gates_before": {"h": 1, "cx": 4}, "gates_after": {"cx": 4, "rz": 3},
        "transpile_s": 0.01, "execute_s": 0.2, "seed_used": 7, "api_token": "sk-123",
    }  # fmt: skip
    store.record(
        [TaskEvent(rid, "a", "running"), TaskEvent(rid, "a", "succeeded", metrics=metrics)]
    )
    store.flush()
    (row,) = store.task_metrics(run_id=rid)
    assert row["qubits"] == 5 and row["gates_after"] == {"cx": 4, "rz": 3}
    assert row["extra"] == {"seed_used": 7}  # unknown key kept, token dropped


def test_cached_task_gets_a_metrics_row(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=["a"])
    ref = store.put_output([1, 2])
    store.record([TaskEvent(rid, "a", "cached", output_ref=ref, cache_hit=True)])
    store.flush()
    task = store.get_run(rid).tasks["a"]
    assert task.status == "cached" and task.cache_hit and task.output_ref == ref
    assert store.task_metrics(run_id=rid)[0]["cache_hit"] is True


def test_terminal_run_status_commits_queued_events_first(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=["a"])
    store.record([TaskEvent(rid, "a", "succeeded")])
    store.set_run_status(rid, "succeeded")  # no explicit flush
    assert store.get_run(rid).tasks["a"].status == "succeeded"


def test_list_runs_newest_first_with_filters(store: Store) -> None:
    w1 = store.save_workflow(SPEC)
    ids = [store.create_run(spec=SPEC, task_ids=["a"], workflow_id=w1) for _ in range(3)]
    other = store.create_run(spec=SPEC, task_ids=["a"])
    store.set_run_status(ids[0], "succeeded")
    assert [r.id for r in store.list_runs()] == [other, *reversed(ids)]
    assert [r.id for r in store.list_runs(workflow_id=w1, limit=2)] == [ids[2], ids[1]]
    assert [r.id for r in store.list_runs(workflow_id=w1, offset=2)] == [ids[0]]
    assert [r.id for r in store.list_runs(status="succeeded")] == [ids[0]]
    assert store.list_runs()[0].tasks == {}
    store.delete_workflow(w1)
    assert store.get_run(ids[0]).workflow_id is None  # runs outlive their workflow


def test_events_since_pages_by_id(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=["a"])
    store.record([TaskEvent(rid, "a", s) for s in ("queued", "running", "succeeded")])
    store.flush()
    first = store.events_since(rid, limit=2)
    rest = store.events_since(rid, after_id=first[-1].id)
    assert len(first) == 2 and len(rest) == 2
    assert [e.id for e in first + rest] == sorted(e.id for e in first + rest)
    assert store.events_since(rid, after_id=rest[-1].id) == []


def test_cancel_request(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=[])
    assert store.cancel_requested(rid) is False
    store.request_cancel(rid)
    assert store.cancel_requested(rid) is True
    with pytest.raises(RunNotFoundError):
        store.request_cancel("missing")
    with pytest.raises(RunNotFoundError, match="missing"):
        store.get_run("missing")


def test_results_cache_first_writer_wins(store: Store) -> None:
    assert store.cache_lookup("k1") is None
    store.cache_store("k1", "inline:1")
    store.cache_store("k1", "inline:2")
    assert store.cache_lookup("k1") == "inline:1"


def test_schedule_and_calibration(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=["a", "b"])
    assert store.get_schedule(rid) is None
    store.save_schedule(rid, {"order": ["a", "b"], "makespan": 1.5})
    store.save_schedule(rid, {"order": ["a", "b"], "makespan": 2.0})
    assert store.get_schedule(rid) == {"order": ["a", "b"], "makespan": 2.0}
    with pytest.raises(RunNotFoundError):
        store.save_schedule("missing", {})
    assert store.latest_calibration("cirq.qsim") is None
    store.save_calibration("cirq.qsim", {"a": 1.0})
    store.save_calibration("cirq.qsim", {"a": 2.0})
    assert store.latest_calibration("cirq.qsim") == {"a": 2.0}


def test_start_run_is_running_and_schedule(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=["a", "b"])
    run = store.get_run(rid)
    assert run.spec == SPEC.to_dict()  # the spec's JSON is stored as encoded once
    store.start_run(rid, {"order": ["a", "b"], "makespan": 1.5})
    run = store.get_run(rid)
    assert run.status == "running" and run.started_at is not None
    assert store.get_schedule(rid) == {"order": ["a", "b"], "makespan": 1.5}
    kinds = [e.data for e in store.events_since(rid) if e.kind == "run"]
    assert kinds == [{"status": "pending"}, {"status": "running"}]
    # queued with the events: a run that does not exist is logged, and the events committed
    # with it are kept
    store.start_run("missing", {"order": []})
    store.record([TaskEvent(rid, "a", "running")])
    store.flush()
    assert store.get_schedule("missing") is None
    assert store.get_run(rid).tasks["a"].status == "running"


def test_finish_run_commits_the_status_after_the_events(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=["a"])
    store.start_run(rid, {"order": ["a"]})
    store.record([TaskEvent(rid, "a", "running"), TaskEvent(rid, "a", "failed", error="boom")])
    store.finish_run(rid, "failed", error="boom")  # durable when it returns
    run = store.get_run(rid)
    assert (run.status, run.error, run.tasks["a"].status) == ("failed", "boom", "failed")
    assert run.finished_at is not None
    kinds = [e.data["status"] for e in store.events_since(rid)]
    assert kinds == ["pending", "running", "running", "failed", "failed"]
    store.finish_run("missing", "succeeded")  # logged by the writer, not raised
    with pytest.raises(StoreError, match="terminal"):
        store.finish_run(rid, "running")


def test_task_rows_are_queued_ahead_of_the_events(store: Store) -> None:
    rid = store.create_run(spec=SPEC, task_ids=["a", "b"])
    store.record([TaskEvent(rid, "a", "running"), TaskEvent(rid, "a", "succeeded")])
    store.queue_task_rows(rid, ["a", "b"])  # again (as resume does): the rows are kept
    tasks = store.get_run(rid).tasks  # a read commits what is queued first
    assert {t: r.status for t, r in tasks.items()} == {"a": "succeeded", "b": "pending"}


def test_secrets_are_never_stored(store: Store) -> None:
    spec = {"name": "s", "params": {"token": "t", "IBM_API_KEY": "k", "n": 1}, "tasks": []}
    wid = store.save_workflow(spec)
    rid = store.create_run(spec=spec, task_ids=[], params={"password": "p", "db": {"secret": 1}})
    assert store.get_workflow(wid).spec["params"] == {"n": 1}
    run = store.get_run(rid)
    assert run.params == {"db": {}} and run.spec["params"] == {"n": 1}
    store.save_calibration("b", {"client_secret": "x", "k": 1})
    assert store.latest_calibration("b") == {"k": 1}


def test_closed_store_refuses_records(store: Store) -> None:
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.record([TaskEvent("r", "a", "queued")])
