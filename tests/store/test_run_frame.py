"""A run's frame refreshed from the rows its new events name (quantumflow/store/run_frame.py)
answers every view as a frame read whole does, through random state changes of a live
run (retries, failures, values, costs, lanes); a run-level write reads it whole again. On
SQLite and PostgreSQL."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from quantumflow.store import Store, TaskEvent, agg_cache, run_frame
from tests.store.agg_views import every_view, same


def _start(store: Store, n: int) -> tuple[str, list[str]]:
    kinds = ("sweep_", "layer-", "x", "solo")
    ids = [f"{kinds[i % 4]}{i}" for i in range(n)]
    spec = {"name": "f", "tasks": [{"id": t, "kind": "classical", "fn": "constant"} for t in ids]}
    run_id = store.create_run(spec=spec, task_ids=ids)
    store.start_run(run_id, {"policy": "heft", "workers": 3})
    store.flush()
    return run_id, ids


def _changes(rnd: random.Random, run_id: str, ids: list[str], attempt: dict[str, int],
             t: float) -> list[TaskEvent]:  # fmt: skip
    """State changes of a few tasks, as an engine makes them: queued, running, then an
    end (some retried into a new attempt, some failed, some with an objective)."""
    events = []
    for task in rnd.sample(ids, rnd.randrange(1, 30)):
        a = attempt.setdefault(task, 1)
        start = t + rnd.uniform(0, 2)
        end = start + rnd.lognormvariate(-2.0, 1.0)
        lane = f"lane-{rnd.randrange(3)}"
        metrics = {"started_at": start, "queued_at": start - 0.1, "wall_s": end - start,
                   "worker": lane, "cost_usd": rnd.random() / 100}  # fmt: skip
        fate = rnd.random()
        if fate < 0.3:
            events.append(TaskEvent(run_id, task, "running", a, start))
        elif fate < 0.45:
            events.append(
                TaskEvent(run_id, task, "retrying", a, end, "flaky", None, False, metrics)
            )
            attempt[task] = a + 1
        elif fate < 0.6:
            events.append(TaskEvent(run_id, task, "failed", a, end, "boom", None, False, metrics))
        else:
            metrics["value"] = round(rnd.gauss(0, 1), 6)
            events.append(TaskEvent(run_id, task, "succeeded", a, end, None, None, False, metrics))
    return events


@pytest.mark.parametrize(("seed", "coded"), [(1, 500), (2, 0)])
def test_a_refreshed_frame_answers_as_one_read_whole(
    store: Store, seed: int, coded: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Groups given as indexes by the database (few), or named per row (many: ``coded``)."""
    monkeypatch.setattr(run_frame, "MAX_CODED_GROUPS", coded)
    rnd = random.Random(seed)
    run_id, ids = _start(store, 400)
    attempt: dict[str, int] = {}
    t0 = time.time()
    first = None
    for step in range(10):
        store.record(_changes(rnd, run_id, ids, attempt, t0 + step))
        store.flush()
        live = every_view(store, run_id)
        frame = agg_cache.kept_frame(store.engine, run_id)
        assert frame is not None
        if first is None:
            first = frame
        assert frame.ids is first.ids  # refreshed from the changed rows, not read whole
        agg_cache.clear(store.engine)
        same(live, every_view(store, run_id), f"step {step}")
        agg_cache.clear(store.engine)
        every_view(store, run_id)  # the next step refreshes a frame read whole
        first = agg_cache.kept_frame(store.engine, run_id)


def test_a_run_that_ends_keeps_its_frame_and_a_resumed_one_is_read_whole(store: Store) -> None:
    run_id, ids = _start(store, 20)
    store.record([TaskEvent(run_id, ids[0], "running", 1, time.time())])
    store.flush()
    every_view(store, run_id)
    live = agg_cache.kept_frame(store.engine, run_id)
    t = time.time()
    store.record([TaskEvent(run_id, ids[0], "succeeded", 1, t, None, None, False,
                            {"started_at": t - 1, "wall_s": 1.0, "worker": "w"})])  # fmt: skip
    store.finish_run(run_id, "cancelled")  # its run event changes the runs row only
    ended = every_view(store, run_id)
    frame = agg_cache.kept_frame(store.engine, run_id)
    assert live is not None and frame is not None and frame.ids is live.ids  # refreshed
    assert ended["progress"]["states"]["succeeded"] == 1
    agg_cache.clear(store.engine)
    same(ended, every_view(store, run_id))
    store.set_run_status(run_id, "running")  # a resume: any row may have been rewritten
    every_view(store, run_id)
    resumed = agg_cache.kept_frame(store.engine, run_id)
    assert resumed is not None and resumed.ids is not frame.ids


def test_a_task_without_a_group_is_counted(store: Store) -> None:
    run_id, ids = _start(store, 10)
    with store.engine.begin() as conn:  # rows from before groups were kept (migration 0005)
        conn.execute(
            sa.text("UPDATE task_runs SET grp = NULL WHERE run_id = :r AND task_id = :t"),
            {"r": run_id, "t": ids[0]},
        )
    progress = every_view(store, run_id)["progress"]
    assert {g["group"]: g["total"] for g in progress["groups"]}[""] == 1
    assert progress["total"] == 10


def test_a_big_change_reads_the_frame_whole(store: Store) -> None:
    run_id, ids = _start(store, 2000)
    every_view(store, run_id)
    before = agg_cache.kept_frame(store.engine, run_id)
    t = time.time()
    store.record([TaskEvent(run_id, i, "running", 1, t) for i in ids[:1500]])
    store.flush()
    views = every_view(store, run_id)
    frame = agg_cache.kept_frame(store.engine, run_id)
    assert before is not None and frame is not None and frame.ids is not before.ids
    assert views["progress"]["states"]["running"] == 1500


def test_views_asking_at_once_wait_for_one_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id, ids = _start(store, 500)
    store.record([TaskEvent(run_id, i, "running", 1, time.time()) for i in ids[:50]])
    store.flush()
    reads: list[str] = []
    real = agg_cache.load_tasks

    def counted(*args: Any) -> Any:
        reads.append(args[1])
        time.sleep(0.2)  # a slow read: the others arrive while it runs
        return real(*args)

    monkeypatch.setattr(agg_cache, "load_tasks", counted)
    views = [every_view] * 6
    with ThreadPoolExecutor(len(views)) as pool:
        answers = list(pool.map(lambda view: view(store, run_id), views))
    assert reads == [run_id]
    assert all(a == answers[0] for a in answers)
    assert answers[0]["progress"]["states"]["running"] == 50


def test_a_view_that_read_the_run_earlier_takes_the_newer_frame(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id, ids = _start(store, 50)
    every_view(store, run_id)
    with agg_cache.cached_read(store.engine, run_id) as earlier:  # its version is read now
        store.record([TaskEvent(run_id, ids[0], "running", 1, time.time())])
        store.flush()
        views = every_view(store, run_id)  # another view: the frame refreshed past it
        newer = agg_cache.kept_frame(store.engine, run_id)
        reads: list[str] = []
        monkeypatch.setattr(agg_cache, "load_tasks", lambda *a: reads.append(a[1]))
        assert earlier.frame() is newer and reads == []  # not read whole again
    assert views["states"][0][0] == "2"
    assert newer is not None and views["states"][1] == newer.version[3]  # type: ignore[index]
