"""Running workflows end to end: outputs, data passing, params, recording, events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from quantumflow.engine import run

from .conftest import ctask, wf


def test_outputs_data_passing_and_params(store: Any) -> None:
    spec = wf(
        ctask("a", "inc", inputs={"x": {"param": "n"}}),
        ctask("b", "pair", inputs={"a": {"ref": "a"}}),
        ctask("c", "add", inputs={"a": {"ref": "b.hi"}, "b": {"ref": "a"}}),
        ctask("d", "add", inputs={"a": 1, "b": {"literal": 2}}),
        params={"n": 5},
    )
    r = run(spec, db=store)
    assert r.status == "succeeded"
    assert r.outputs == {"a": 6, "b": {"lo": 6, "hi": 60}, "c": 66, "d": 3}
    assert all(t.status == "succeeded" and t.attempts == 1 for t in r.tasks.values())
    assert all(t.duration is not None and t.duration >= 0 for t in r.tasks.values())
    # run params override spec params
    assert run(spec, db=store, params={"n": 1}).outputs["c"] == 22


def test_everything_is_recorded_in_the_store(store: Any) -> None:
    r = run(wf(ctask("a", "one"), ctask("b", "inc", inputs={"x": {"ref": "a"}})), db=store)
    rec = store.get_run(r.id)
    assert rec.status == "succeeded"
    assert rec.started_at is not None and rec.finished_at is not None
    assert {k: v.status for k, v in rec.tasks.items()} == {"a": "succeeded", "b": "succeeded"}
    assert store.get_output(rec.tasks["b"].output_ref) == 2
    assert rec.tasks["b"].duration is not None
    kinds = [(e.task_id, e.data["status"]) for e in store.events_since(r.id) if e.task_id]
    assert kinds == [("a", "running"), ("a", "succeeded"), ("b", "running"), ("b", "succeeded")]
    schedule = store.get_schedule(r.id)
    assert schedule["order"] == ["a", "b"]
    assert schedule["makespan"] > 0
    metrics = store.task_metrics(run_id=r.id)
    assert {m["task_id"] for m in metrics} == {"a", "b"}


def test_on_event_sees_every_state_change(store: Any) -> None:
    seen: list[tuple[str, str]] = []
    run(
        wf(ctask("a"), ctask("b", "fail"), ctask("c", depends_on=["b"])),
        db=store,
        on_event=lambda ev: seen.append((ev.task_id, ev.status)),
    )
    assert ("a", "succeeded") in seen
    assert ("b", "failed") in seen
    assert ("c", "skipped") in seen


def test_run_from_yaml_file(tmp_path: Path, store: Any) -> None:
    path = tmp_path / "wf.yaml"
    path.write_text(yaml.safe_dump(wf(ctask("a", "add", inputs={"a": 2, "b": 3}))))
    assert run(path, db=store).outputs == {"a": 5}
    assert run(str(path), db=store).outputs == {"a": 5}


def test_fan_out_of_1000_all_recorded(store: Any) -> None:
    tasks = [ctask("root")]
    tasks += [ctask(f"t{i}", "inc", inputs={"x": {"ref": "root"}}) for i in range(1000)]
    tasks.append(ctask("sink", "total", inputs={f"i{i}": {"ref": f"t{i}"} for i in range(1000)}))
    r = run(wf(*tasks, policies={"max_concurrency": 4}), db=store)
    assert r.status == "succeeded"
    assert r.outputs["sink"] == 2001
    rec = store.get_run(r.id)
    assert len(rec.tasks) == 1002
    assert all(t.status == "succeeded" and t.output_ref for t in rec.tasks.values())


def test_builtin_library_function(store: Any) -> None:
    spec = wf({"id": "a", "kind": "classical", "fn": "constant", "inputs": {"value": [1, 2]}})
    assert run(spec, db=store).outputs == {"a": [1, 2]}


def test_missing_key_fails_task_with_clear_error(store: Any) -> None:
    r = run(
        wf(ctask("a", "pair", inputs={"a": 1}), ctask("b", "inc", inputs={"x": {"ref": "a.nope"}})),
        db=store,
    )
    assert r.status == "failed"
    err = r.tasks["b"].error or ""
    assert "inputs.x" in err and "no key 'nope'" in err
    assert r.tasks["b"].attempts == 1


def test_unstorable_output_fails_the_task(store: Any) -> None:
    r = run(wf(ctask("a", "unstorable")), db=store)
    assert r.status == "failed"
    assert "cannot be stored" in (r.tasks["a"].error or "")


def test_classical_cache_serves_second_run(store: Any, tmp_path: Path) -> None:
    log = tmp_path / "calls.txt"
    spec = wf(ctask("a", "mark", cache=True, inputs={"path": str(log), "name": "x"}))
    first = run(spec, db=store)
    second = run(spec, db=store)
    assert first.tasks["a"].status == "succeeded" and not first.tasks["a"].cache_hit
    assert second.tasks["a"].status == "cached" and second.tasks["a"].cache_hit
    assert second.outputs == {"a": "x"}
    assert log.read_text().splitlines() == ["x"]  # executed once


def test_unknown_executor_fails_the_run_record(store: Any) -> None:
    import pytest

    from quantumflow.errors import QuantumFlowError

    with pytest.raises(QuantumFlowError, match="unknown executor"):
        run(wf(ctask("a")), db=store, executor="nope")
    (rec,) = store.list_runs()
    assert rec.status == "failed"
    assert "unknown executor" in (rec.error or "")
