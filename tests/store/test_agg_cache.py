"""Aggregate answers kept per run version (quantumflow/store/agg_cache.py): a finished run
is read once, a live run stays live, a resumed or pending run is read again; on SQLite
and PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa

from quantumflow.store import Store, TaskEvent, agg_cache, aggregates
from tests.store.agg_views import every_view


def _run(store: Store, n: int = 30, done: int = 25) -> tuple[str, list[str]]:
    """A started run of ``n`` tasks, the first ``done`` succeeded (one lane, half a
    second each), the rest pending."""
    ids = [f"p_{i}" for i in range(n)]
    spec = {"name": "c", "tasks": [{"id": t, "kind": "classical", "fn": "constant"} for t in ids]}
    run_id = store.create_run(spec=spec, task_ids=ids)
    store.start_run(run_id, {"policy": "heft", "workers": 1})
    t0 = time.time()
    events = []
    for k, t in enumerate(ids[:done]):
        metrics = {"started_at": t0 + k, "wall_s": 0.5, "worker": "w", "cost_usd": 0.01}
        events += [
            TaskEvent(run_id, t, "running", 1, t0 + k),
            TaskEvent(run_id, t, "succeeded", 1, t0 + k + 0.5, None, None, False, metrics),
        ]
    store.record(events)
    store.flush()
    return run_id, ids


def _views(store: Store, run_id: str) -> dict[str, Any]:
    return every_view(store, run_id)


def _tamper(store: Store, run_id: str) -> None:
    """Change task rows behind the store's back (no event): what the cache must not see
    until the run's version changes, and what proves an answer came from it."""
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE task_runs SET status = 'failed' WHERE run_id = :r AND task_id = 'p_0'"),
            {"r": run_id},
        )


def test_a_finished_run_is_read_once(store: Store) -> None:
    run_id, _ = _run(store)
    store.finish_run(run_id, "succeeded")
    first = _views(store, run_id)
    kept = len(agg_cache.entries(store.engine))
    assert kept >= len(first)
    _tamper(store, run_id)
    assert _views(store, run_id) == first  # the kept answers, not the changed rows
    assert len(agg_cache.entries(store.engine)) == kept
    agg_cache.clear(store.engine)
    fresh = _views(store, run_id)
    assert fresh["progress"]["states"]["failed"] == 1
    assert fresh["states"][0][0] == "5"  # p_0 failed


def test_a_live_run_stays_live(store: Store) -> None:
    run_id, ids = _run(store)
    before = _views(store, run_id)
    assert _views(store, run_id) == before  # nothing happened: the same answers
    store.record([TaskEvent(run_id, ids[-1], "running", 1, time.time())])
    store.flush()
    after = _views(store, run_id)
    assert after["progress"]["states"]["running"] == before["progress"]["states"]["running"] + 1
    assert after["states"][0][-1] == "2" and before["states"][0][-1] == "0"
    assert after["states"][1] > before["states"][1]  # the new event is included
    store.record([TaskEvent(run_id, ids[-1], "succeeded", 1, time.time() + 0.25)])
    store.flush()
    done = _views(store, run_id)
    assert sum(done["durations"]["counts"]) == sum(before["durations"]["counts"]) + 1
    assert done["slowest"]["total"] == before["slowest"]["total"] + 1


def test_a_resumed_run_is_read_again(store: Store) -> None:
    run_id, _ = _run(store)
    store.finish_run(run_id, "failed", error="stopped")
    assert _views(store, run_id)["progress"]["states"]["failed"] == 0
    _tamper(store, run_id)
    store.set_run_status(run_id, "running")  # what resume writes first: a new version
    assert _views(store, run_id)["progress"]["states"]["failed"] == 1


def test_pending_and_unknown_runs_are_not_kept(store: Store) -> None:
    ids = ["a", "b"]
    run_id = store.create_run(spec={"name": "p", "tasks": []}, task_ids=ids)
    store.flush()  # the task rows: written without an event of their own
    assert aggregates.progress(store.engine, run_id, now=time.time())["total"] == 2
    assert aggregates.progress(store.engine, "nope", now=time.time())["total"] == 0
    assert agg_cache.entries(store.engine) == []


def test_least_recently_used_answers_go_first(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agg_cache, "MAX_ENTRIES", 3)
    run_id, _ = _run(store)
    store.finish_run(run_id, "succeeded")
    _views(store, run_id)
    assert len(agg_cache.entries(store.engine)) == 3
