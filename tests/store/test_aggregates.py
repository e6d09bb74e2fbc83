"""The big-run views' SQL aggregates (quantumflow/store/aggregates.py) against a plain
Python reference computed from the same store's full records, on random runs, on SQLite
and PostgreSQL."""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

import pytest

from quantumflow.spec.groups import task_groups
from quantumflow.status import TASK_STATUSES, TASK_TERMINAL
from quantumflow.store import Store, agg_time, aggregates
from quantumflow.store.records import TaskEvent
from quantumflow.store.run_sql import budget_of

FINAL = ("succeeded", "failed", "skipped", "cancelled")


def random_run(store: Store, rnd: random.Random, n: int) -> tuple[str, dict[str, Any]]:
    """A run of ``n`` tasks in a few groups (declared and by the id rule); a random share
    finished (on a few lanes, some failing, with costs), some running, the rest pending."""
    tasks = []
    for i in range(n):
        kind = rnd.choice(("sweep_", "layer-", "x", "solo"))
        tasks.append({"id": f"{kind}{i}", "kind": "classical", "fn": "constant",
                      "inputs": {"value": i},
                      **({"group": "declared"} if rnd.random() < 0.1 else {})})  # fmt: skip
    budget = round(rnd.uniform(0.01, 1.0), 4)
    spec = {"name": "r", "policies": {"budget": {"usd": budget}}, "tasks": tasks}
    run_id = store.create_run(spec=spec, task_ids=[t["id"] for t in tasks])
    store.start_run(run_id, {"policy": "heft", "workers": 3})
    t0 = time.time()
    events: list[TaskEvent] = []
    spent: list[float] = []
    attempts: list[tuple[str, float, float, float]] = []  # lane, queued, started, finished
    for t in tasks:
        fate = rnd.random()
        if fate < 0.2:
            continue  # pending
        queued = t0 + rnd.uniform(0, 5)
        start = queued + rnd.uniform(0, 0.5)
        events += [TaskEvent(run_id, t["id"], "queued", 1, queued),
                   TaskEvent(run_id, t["id"], "running", 1, start)]  # fmt: skip
        if fate < 0.3:
            continue  # running
        end = start + rnd.lognormvariate(-2.0, 1.5)
        status = rnd.choice(FINAL)
        cost = round(rnd.random() / 100, 6)
        if status != "skipped":  # the store keeps no attempt of a task that never ran
            spent.append(cost)
        metrics = {"started_at": start, "queued_at": queued, "wall_s": end - start,
                   "worker": f"lane-{rnd.randrange(3)}", "cost_usd": cost}  # fmt: skip
        if status == "succeeded":
            metrics["value"] = round(rnd.gauss(0, 1), 6)  # the sweep objective
            t["value"] = metrics["value"]
        if status != "skipped":
            attempts.append((str(metrics["worker"]), queued, start, end))
        error = "boom" if status == "failed" else None
        events.append(TaskEvent(run_id, t["id"], status, 1, end, error, None, False, metrics))
    store.record(events)
    store.flush()
    spec["spent"] = sum(spent)  # the reference total cost (not part of the stored spec)
    spec["attempts"] = attempts  # and the attempts
    return run_id, spec


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregates_match_a_python_reference(store: Store, seed: int) -> None:
    rnd = random.Random(seed)
    run_id, spec = random_run(store, rnd, rnd.randrange(50, 400))
    record = store.get_run(run_id)
    tasks = record.tasks
    ids = [t["id"] for t in spec["tasks"]]
    groups = dict(zip(ids, task_groups(spec["tasks"]), strict=True))
    engine = store.engine
    now = time.time()

    # tasks per state, overall and per group (the one grouping rule)
    found = aggregates.progress(engine, run_id, limit=1000, now=now)
    status = Counter(tasks[i].status for i in ids)
    assert {s: n for s, n in found["states"].items() if n} == dict(status)
    assert found["total"] == len(ids)
    assert found["done"] == sum(n for s, n in status.items() if s in TASK_TERMINAL)
    by_group: dict[str, Counter[str]] = {}
    for i in ids:
        by_group.setdefault(groups[i], Counter())[tasks[i].status] += 1
    assert {g["group"]: g["states"] for g in found["groups"]} == {
        g: dict(c) for g, c in by_group.items()
    }
    assert found["total_groups"] == len(by_group)
    page = aggregates.progress(engine, run_id, limit=2, offset=1, now=now)["groups"]
    assert [g["group"] for g in page] == sorted(by_group)[1:3]

    # every task's state digit, in spec order
    codes, last = aggregates.states_vector(engine, run_id)
    assert codes == "".join(str(TASK_STATUSES.index(tasks[i].status)) for i in ids)
    assert last == max(e.id for e in store.events_since(run_id, after_id=0, limit=10**6))

    # the duration histogram: the SQL bins are the Python reference's
    durations = [
        tasks[i].finished_at - tasks[i].started_at  # type: ignore[operator]
        for i in ids
        if tasks[i].status in TASK_TERMINAL and tasks[i].started_at and tasks[i].finished_at
    ]
    assert aggregates.duration_histogram(engine, run_id) == aggregates.duration_bins(durations)
    assert sum(aggregates.duration_bins(durations)["counts"]) == len(durations)

    # throughput: every finished task in one bucket, by status
    tp = agg_time.throughput(engine, run_id, now=now)
    finished = Counter(tasks[i].status for i in ids if tasks[i].status in FINAL)
    assert {s: sum(v) for s, v in tp["series"].items()} == dict(finished)

    # slowest: longest first, ties by spec order; the count is every finished task
    slow = aggregates.slowest(engine, run_id, limit=10)
    ref = sorted(
        (i for i in ids if tasks[i].status in TASK_TERMINAL and tasks[i].duration is not None),
        key=lambda i: (-(tasks[i].duration or 0.0), ids.index(i)),
    )
    assert [r["task_id"] for r in slow["items"]] == ref[:10]
    assert slow["total"] == len(ref)

    # failures: every failed task, with its error
    fails = aggregates.failures(engine, run_id, limit=500)
    assert sorted(r["task_id"] for r in fails["items"]) == sorted(
        i for i in ids if tasks[i].status == "failed"
    )
    assert all(r["error"] == "boom" for r in fails["items"])

    # cost: the per-attempt costs summed, and the budget read from the spec by SQL
    burn = agg_time.cost_burn(engine, run_id, now=now)
    assert burn["total"] == pytest.approx(spec["spent"])
    assert sum(burn["spent"]) == pytest.approx(spec["spent"])
    assert burn["cumulative"][-1] == pytest.approx(burn["total"])
    assert aggregates.run_budget(engine, run_id) == spec["policies"]["budget"]["usd"]
    check_lanes(agg_time.lanes(engine, run_id, now=now), spec["attempts"], record.started_at)
    check_objective(store, run_id, spec, ids, groups)

    brief = aggregates.run_brief(engine, run_id)
    assert brief is not None and brief["status"] == record.status
    assert aggregates.run_brief(engine, "nope") is None


def test_duration_bins_edges() -> None:
    hist = aggregates.duration_bins([0.0, 1e-12, 0.5, 0.5, 3600.0 * 24 * 400])
    assert sum(hist["counts"]) == 5
    assert hist["edges"][0] == aggregates.DURATION_EDGES[0]  # shorter ones in the first bin
    assert hist["edges"][-1] == aggregates.DURATION_EDGES[-1]  # longer ones in the last
    assert aggregates.duration_bins([]) == {"edges": [], "counts": []}


def check_lanes(found: dict[str, Any], attempts: list[Any], started: float | None) -> None:
    """Per lane: attempts, busy seconds, and run/queue seconds in the bucket each attempt
    started in (the last bucket takes any later ones)."""
    assert started is not None and found["start"] == started
    width, n = found["width"], found["buckets"]
    ref: dict[str, dict[str, Any]] = {}
    for lane, queued, start, end in attempts:
        e = ref.setdefault(lane, {"attempts": 0, "busy_s": 0.0, "run": [0.0] * n,
                                  "queue": [0.0] * n})  # fmt: skip
        i = min(int((start - started) // width), n - 1)
        e["attempts"] += 1
        e["busy_s"] += end - start
        e["run"][i] += end - start
        e["queue"][i] += max(0.0, start - queued)
    assert [e["lane"] for e in found["lanes"]] == sorted(ref)
    for e in found["lanes"]:
        r = ref[e["lane"]]
        assert e["attempts"] == r["attempts"]
        assert e["busy_s"] == pytest.approx(r["busy_s"])
        assert e["run"] == pytest.approx(r["run"], abs=1e-9)
        assert e["queue"] == pytest.approx(r["queue"], abs=1e-9)
    assert len(found["intervals"]) == len(attempts)


def check_objective(
    store: Store, run_id: str, spec: dict[str, Any], ids: list[str], groups: dict[str, str]
) -> None:
    """The objective per group, task by task and in bins of consecutive tasks."""
    values: dict[str, list[tuple[int, str, float]]] = {}
    for pos, t in enumerate(spec["tasks"]):
        if "value" in t:
            values.setdefault(groups[t["id"]], []).append((pos, t["id"], t["value"]))
    found = aggregates.objective(store.engine, run_id)
    assert found["groups"] == {g: len(v) for g, v in values.items()}
    if not values:
        return
    assert len(values[found["group"]]) == max(len(v) for v in values.values())
    for group, rows in values.items():
        for bins in (10, 1000):
            lo, hi = rows[0][0], rows[-1][0]
            per = max(1, -(-(hi - lo + 1) // bins))
            binned: dict[int, list[tuple[int, str, float]]] = {}
            for row in rows:
                binned.setdefault((row[0] - lo) // per, []).append(row)
            ref = [
                [
                    b[0][0],
                    len(b),
                    min(v for *_, v in b),
                    sum(v for *_, v in b) / len(b),
                    max(v for *_, v in b),
                    b[0][1] if len(b) == 1 else None,
                ]
                for _, b in sorted(binned.items())
            ]
            got = aggregates.objective(store.engine, run_id, group=group, bins=bins)
            assert got["group"] == group
            assert [p[:2] + p[5:] for p in got["points"]] == [r[:2] + r[5:] for r in ref]
            assert [p[2:5] for p in got["points"]] == [pytest.approx(r[2:5]) for r in ref]


@pytest.mark.parametrize(
    ("usd", "kept"),
    [
        (2.5, 2.5),
        (3, 3.0),
        ("0.5", 0.5),
        ("lots", None),
        (True, None),
        (float("inf"), None),
        (None, None),
        ({"x": 1}, None),
    ],
)
def test_the_budget_kept_with_a_run(usd: Any, kept: float | None) -> None:
    assert budget_of({"policies": {"budget": {"usd": usd}}}) == kept
    assert budget_of({"policies": {"budget": 5}}) is None
