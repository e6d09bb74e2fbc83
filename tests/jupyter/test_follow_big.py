"""``follow_run`` on a big run already under way: the widget takes the run's state as the
store holds it (one read, as the side panel does) instead of folding every event, then
follows the events after it; the picture equals the store's and what folding every event
gives, while the run goes on and once it has ended."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from quantumflow.api.graphs import run_layout_text
from quantumflow.jupyter.widgets import RunWidget, follow_run
from quantumflow.jupyter.widgets.state import RunState
from quantumflow.spec.groups import BIG_GRAPH
from quantumflow.spec.loader import load_spec
from quantumflow.status import TASK_STATUSES
from quantumflow.store import aggregates, open_store
from quantumflow.store.aggregates import duration_bins
from quantumflow.store.records import TaskEvent
from quantumflow.store.store import Store

N = BIG_GRAPH + 100


def big_spec() -> dict[str, Any]:
    tasks = [
        {"id": f"point_{i}", "kind": "classical", "fn": "constant", "inputs": {"value": i}}
        for i in range(N)
    ]
    return {"name": "big-follow", "tasks": tasks}


def run_tasks(store: Store, run_id: str, ids: list[str], rnd: random.Random) -> None:
    """Queue, run and finish ``ids`` (every 7th fails, the others return a number)."""
    events = []
    for tid in ids:
        t0 = 1_000.0 + rnd.random() * 100
        dur = rnd.lognormvariate(-3, 1.5)
        ok = int(tid.split("_")[1]) % 7 != 0
        ref = store.put_output(float(len(tid))) if ok else None
        events += [
            TaskEvent(run_id, tid, "queued", 1, t0 - 0.01),
            TaskEvent(run_id, tid, "running", 1, t0),
            TaskEvent(run_id, tid, "succeeded" if ok else "failed", 1, t0 + dur,
                      None if ok else "boom", ref),
        ]  # fmt: skip
    store.record(events)
    store.flush()


def store_summary(store: Store, run_id: str) -> dict[str, int]:
    return dict(Counter(t.status for t in store.get_run(run_id).tasks.values()))


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = open_store(f"sqlite:///{tmp_path}/big.db", artifacts_dir=tmp_path / "artifacts")
    yield s
    s.close()


def test_a_big_run_under_way_is_taken_at_once_then_followed(store: Store) -> None:
    rnd = random.Random(3)
    spec = big_spec()
    ids = [t["id"] for t in spec["tasks"]]
    run_id = store.create_run(spec=spec, task_ids=ids)
    store.start_run(run_id, {"policy": "fifo", "workers": 2})
    run_tasks(store, run_id, ids[:400], rnd)
    store.record([TaskEvent(run_id, tid, "running", 1, 1_200.0) for tid in ids[400:420]])
    store.flush()

    # the state at once, and the id of the last event it includes
    taken = RunWidget(load_spec(spec), run_id=run_id, load_output=store.get_output)
    last = taken._seed(store, run_id)
    codes, newest = aggregates.states_vector(store.engine, run_id)
    assert last == newest and taken.state.codes.decode() == codes
    # the same picture as folding all 1,220 events (the run times: the store's)
    folded = RunWidget(load_spec(spec), run_id=run_id, load_output=store.get_output)
    for ev in store.events_since(run_id, 0, limit=10_000):
        folded.on_event(ev)
    for w in (taken, folded):
        w.throttle.flush_now()
    assert taken.states == folded.states
    assert taken.progress["states"] == folded.progress["states"] == store_summary(store, run_id)
    assert (
        taken.durations == folded.durations == aggregates.duration_histogram(store.engine, run_id)
    )
    assert taken.error == folded.error == "task 'point_0': boom"
    assert {r["task"] for r in taken.results["scalars"]} <= set(ids[:400])
    assert taken.results["scalars"], "the latest outputs are read, as when folding events"

    # follow_run: the run goes on and ends; the widget ends on the store's picture
    widget = follow_run(store, run_id)
    assert widget.progress["states"] == store_summary(store, run_id)  # before any event
    # the drawing the store keeps, sent as it is (bytes: a binary buffer), once
    kept = run_layout_text(store, run_id)
    assert widget.get_state()["drawing"] == kept.encode()
    assert widget.drawing == json.loads(kept) == taken.drawing
    run_tasks(store, run_id, ids[400:], rnd)
    store.finish_run(run_id, "failed", error="some tasks failed")
    assert widget.wait_followed(30)
    assert widget.status == "failed"
    assert widget.progress["states"] == store_summary(store, run_id)
    assert widget.states == aggregates.states_vector(store.engine, run_id)[0]
    assert widget.durations == aggregates.duration_histogram(store.engine, run_id)


def test_a_state_that_does_not_fit_the_drawing_is_not_taken() -> None:
    state = RunState(load_spec(big_spec()))
    run = {"status": "running"}
    empty = {"edges": [], "counts": []}
    assert not state.seed("0" * (N - 1), run=run, durations=empty)
    assert not state.seed("x" * N, run=run, durations=empty)
    assert state.counts() == {"pending": N} and state.status == "pending"


def test_run_times_binned_as_they_come_equal_binning_them_all() -> None:
    rnd = random.Random(7)
    state = RunState(load_spec(big_spec()))
    every: list[float] = []
    for _ in range(40):
        fresh = [rnd.lognormvariate(-3, 2.5) for _ in range(rnd.randint(0, 40))]
        state.durations += fresh
        every += fresh
        assert state.duration_histogram() == duration_bins(every)
    assert set(TASK_STATUSES) >= set(state.counts())


def test_a_widget_drawing_another_task_order_folds_the_events(store: Store) -> None:
    """States in spec order fit only a drawing of the run's own spec: a widget built from
    the same tasks in another order follows by folding events, and shows each task right."""
    spec = big_spec()
    ids = [t["id"] for t in spec["tasks"]]
    run_id = store.create_run(spec=spec, task_ids=ids)
    store.start_run(run_id, {"policy": "fifo", "workers": 2})
    run_tasks(store, run_id, ids[:50], random.Random(5))
    store.finish_run(run_id, "failed")
    widget = RunWidget({**spec, "tasks": spec["tasks"][::-1]})
    widget.follow(store, run_id)
    assert widget.wait_followed(30)
    truth = {tid: t.status for tid, t in store.get_run(run_id).tasks.items()}
    drawn = widget.drawing["ids"]
    assert drawn[0] == ids[-1]
    assert {
        tid: TASK_STATUSES[int(c)] for tid, c in zip(drawn, widget.states, strict=True)
    } == truth
