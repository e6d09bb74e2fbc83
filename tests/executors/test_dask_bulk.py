"""Calls sent to and results fetched from a REAL Dask cluster in bulk (submit, collect)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from dask.utils import key_split

from quantumflow.engine import open_db, run
from quantumflow.executors.base import Call, call_function
from quantumflow.executors.dask_collect import Collector
from quantumflow.executors.dask_executor import DaskExecutor
from quantumflow.executors.dask_submit import Pending
from tests.executors.dask_cluster import Cluster, start_cluster, wait_until
from tests.executors.dask_fns import scheduler_priorities, scheduler_states

pytestmark = pytest.mark.dask
FNS = "tests.executors.dask_fns"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = start_cluster(tmp_path_factory.mktemp("dask-bulk"), workers={"w1": "", "w2": ""})
    yield c
    c.stop()


@pytest.fixture
def executor(cluster: Cluster) -> Iterator[DaskExecutor]:
    ex = DaskExecutor(address=cluster.address)
    yield ex
    ex.shutdown(cancel=True)


def test_each_call_keeps_its_priority_in_one_burst(executor: DaskExecutor) -> None:
    ranks = [1.5, 4.0, 2.0, 3.0, 0.0]
    calls = [
        Call((i, 1), f"{FNS}:square", {"x": i, "sleep_s": 3}, f"p{i}", priority=p)
        for i, p in enumerate(ranks)
    ]
    results = [executor.submit(c) for c in calls]
    for r in results:
        assert r._pending.sent.wait(30)
    keys = [list(r.future.key) for r in results]
    seen: list[Any] = []

    def arrived() -> bool:  # the graph update is applied by the scheduler a moment later
        seen[:] = executor.client.run_on_scheduler(scheduler_priorities, keys)
        return None not in seen

    wait_until(arrived, 30, "the calls to reach the scheduler")
    assert seen == ranks
    # the key names the function (Dask's task prefix) and the task and attempt
    assert {key_split(tuple(k)) for k in keys} == {"square"}
    assert [k[1].split("-")[:2] for k in keys] == [[f"p{i}", "1"] for i in range(5)]
    for c in calls:
        executor.abandon(c)


def test_a_burst_is_not_queued_on_the_scheduler_as_root_tasks(executor: DaskExecutor) -> None:
    # Dask queues a big group of dependency-free tasks ("root-ish") and hands them out one
    # at a time; the engine bounds calls in flight itself, so its calls must go to workers
    # at once: groups of at most twice the cluster's threads (here 2 workers x 2 threads).
    calls = [Call((i, 1), f"{FNS}:square", {"x": i, "sleep_s": 1.0}, f"t{i}") for i in range(40)]
    results = [executor.submit(c) for c in calls]
    for r in results:
        assert r._pending.sent.wait(30)
    keys = [list(r.future.key) for r in results]
    groups = Counter(k[0] for k in keys)
    assert max(groups.values()) <= 8 and len(groups) >= 5
    states: list[Any] = []

    def arrived() -> bool:
        states[:] = executor.client.run_on_scheduler(scheduler_states, keys)
        return None not in states

    wait_until(arrived, 30, "the calls to reach the scheduler")
    assert "queued" not in states, Counter(states)
    for c in calls:
        executor.abandon(c)


def test_a_fan_out_is_gathered_in_batches_and_every_result_recorded(
    executor: DaskExecutor, db_url: str
) -> None:
    n = 120
    gathers: list[int] = []
    real_gather = executor.client.gather

    def counting_gather(futures: Any, *args: Any, **kwargs: Any) -> Any:
        gathers.append(len(futures))
        return real_gather(futures, *args, **kwargs)

    executor.client.gather = counting_gather  # the real gather, counted
    leaves = [
        {"id": f"t{i}", "kind": "classical", "fn": f"{FNS}:square", "inputs": {"x": i}}
        for i in range(n)
    ]
    spec = {
        "name": "fan",
        "policies": {"max_concurrency": 64, "on_failure": "continue"},
        "tasks": [
            *leaves,
            {"id": "bad", "kind": "classical", "fn": f"{FNS}:square", "inputs": {"x": "x"}},
        ],
    }
    result = run(spec, db=db_url, executor=executor)
    assert result.status == "failed"
    assert {t: result.outputs[t] for t in result.outputs} == {f"t{i}": i * i for i in range(n)}
    # the failed call failed alone, with its own error
    assert result.tasks["bad"].status == "failed"
    assert "TypeError" in (result.tasks["bad"].error or "")
    # fetched in fewer round trips than results, each result still recorded in the store
    assert sum(gathers) == n and len(gathers) < n and max(gathers) > 1
    store = open_db(db_url)
    try:
        rows = store.get_run(result.id).tasks
        for i in range(n):
            row = rows[f"t{i}"]
            assert row.status == "succeeded" and row.output_ref is not None
            assert store.get_output(row.output_ref) == i * i
        assert rows["bad"].status == "failed"
    finally:
        store.close()


def _finished(client: Any, fn: str, kwargs: dict[str, Any], key: str) -> Pending:
    item = Pending(key=("qf-test", key), fn_path=fn, kwargs=kwargs, priority=0, resources=None)
    item.future = client.submit(call_function, fn, kwargs, key=item.key, pure=False)
    wait_until(lambda: item.future.status == "finished", 60, f"{key} to finish")
    return item


def test_a_member_the_client_cannot_load_fails_alone(executor: DaskExecutor) -> None:
    # A gather of several results fails as a whole when one cannot be unpickled here;
    # the others must still be delivered, and the bad one must raise its own error.
    client = executor.client
    good = [_finished(client, f"{FNS}:square", {"x": i}, f"good{i}") for i in range(3)]
    bad = _finished(client, f"{FNS}:client_cannot_load", {}, "bad")
    collector = Collector(client)
    try:
        collector._fetch([good[0], bad, *good[1:]])  # one batch, as the collector's thread would
        assert all(i.done.is_set() for i in [*good, bad])
        # the batch's gather failed: nothing was delivered from it, each waiter asks alone
        assert not bad.fetched and not any(g.fetched for g in good)
        assert [g.future.result(timeout=30) for g in good] == [0, 1, 4]
        with pytest.raises(ValueError, match="No worker found"):
            bad.future.result(timeout=30)
        for g in good:  # a batch without it is delivered whole
            g.done.clear()
        collector._fetch(good)
        assert [(g.fetched, g.value) for g in good] == [(True, 0), (True, 1), (True, 4)]
    finally:
        collector.close()


def test_results_fetched_one_by_one_at_once_keep_their_own_errors(executor: DaskExecutor) -> None:
    # Dask's client merges gathers that overlap into one request; when one of their values
    # cannot be loaded here, every merged waiter got that error. Fetches one by one (the
    # fallback of a failed batch) run one at a time, so each call gets its own outcome.
    client = executor.client
    good = [_finished(client, f"{FNS}:square", {"x": i}, f"alone{i}") for i in range(6)]
    bad = _finished(client, f"{FNS}:client_cannot_load", {}, "alone-bad")
    collector = Collector(client)

    def outcome(item: Pending) -> Any:
        try:
            return collector.fetch_one(item.future, 30)
        except ValueError as err:
            return f"error: {err}"

    try:
        for _ in range(5):
            items = [bad, *good, bad, *good]
            with ThreadPoolExecutor(len(items)) as pool:
                got = list(pool.map(outcome, items))
            assert got[1:7] == got[8:] == [0, 1, 4, 9, 16, 25], got
            assert got[0].startswith("error") and got[7].startswith("error"), got
    finally:
        collector.close()
