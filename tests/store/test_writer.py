"""Group commit under real conditions: threads, several processes, kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from quantumflow.errors import StoreError
from quantumflow.store import Store, TaskEvent, open_store

WRITER = """
import sys
from quantumflow.store import TaskEvent, open_store
url, arts, runs, tasks = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open_store(url, artifacts_dir=arts) as store:
    for _ in range(runs):
        ids = [f"t{i}" for i in range(tasks)]
        rid = store.create_run(spec={"name": "concurrent"}, task_ids=ids)
        store.set_run_status(rid, "running")
        for t in ids:
            store.record([TaskEvent(rid, t, "queued"), TaskEvent(rid, t, "running")])
            store.record([TaskEvent(rid, t, "succeeded", output_ref=store.put_output(t))])
        store.set_run_status(rid, "succeeded")
"""


def test_many_events_from_many_threads(store: Store) -> None:
    rid = store.create_run(spec={"name": "t"}, task_ids=[f"t{i}" for i in range(400)])

    def work(start: int) -> None:
        for i in range(start, 400, 4):
            store.record([TaskEvent(rid, f"t{i}", "running"), TaskEvent(rid, f"t{i}", "succeeded")])
        store.flush()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run = store.get_run(rid)
    assert all(t.status == "succeeded" for t in run.tasks.values())
    assert len(store.events_since(rid, limit=10_000)) == 1 + 800
    assert len(store.task_metrics(run_id=rid)) == 400


def test_two_processes_writing_concurrently_lose_nothing(store_url: str, tmp_path: Path) -> None:
    open_store(store_url, artifacts_dir=tmp_path).close()  # migrate once, then race on writes
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(tmp_path), "8", "50"])
        for _ in range(2)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with open_store(store_url, artifacts_dir=tmp_path) as store:
        runs = store.list_runs(limit=100)
        assert len(runs) == 16 and {r.status for r in runs} == {"succeeded"}
        for r in runs:
            run = store.get_run(r.id)
            assert [t.status for t in run.tasks.values()] == ["succeeded"] * 50
            assert store.get_output(run.tasks["t7"].output_ref or "") == "t7"
            assert len(store.events_since(r.id, limit=1000)) == 3 + 150


CRASHER = """
import sys, time
from quantumflow.store import TaskEvent, open_store
store = open_store(sys.argv[1], artifacts_dir=sys.argv[2])
done = store.create_run(spec={"name": "done"}, task_ids=["a", "b"])
store.record([TaskEvent(done, "a", "succeeded"), TaskEvent(done, "b", "succeeded")])
store.set_run_status(done, "succeeded")
live = store.create_run(spec={"name": "live"}, task_ids=["a", "b"])
store.set_run_status(live, "running")
store.record([TaskEvent(live, "a", "succeeded")])
store.flush()
store.record([TaskEvent(live, "b", "running")])
print(done, live, flush=True)
time.sleep(60)
"""


def test_flushed_rows_and_finished_runs_survive_kill_9(store_url: str, tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", CRASHER, store_url, str(tmp_path)]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        done, live = proc.stdout.readline().split()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    with open_store(store_url, artifacts_dir=tmp_path) as store:
        finished = store.get_run(done)
        assert finished.status == "succeeded"
        assert {t.status for t in finished.tasks.values()} == {"succeeded"}
        running = store.get_run(live)
        assert running.status == "running"  # left for `quantumflow resume`
        assert running.tasks["a"].status == "succeeded"
        assert running.tasks["b"].status in ("pending", "running")  # last window: either


def test_unknown_status_is_refused_at_record(store: Store) -> None:
    with pytest.raises(StoreError, match="task 'a': unknown status 'done'"):
        store.record([TaskEvent("r", "a", "done")])


@pytest.mark.postgres
def test_failed_batch_is_reported_by_flush(pg_url: str, tmp_path: Path) -> None:
    with open_store(pg_url, artifacts_dir=tmp_path) as store:
        rid = store.create_run(spec={"name": "x"}, task_ids=["a"])
        bad = TaskEvent(rid, "a", "succeeded", metrics={"qubits": "many"})
        store.record([TaskEvent(rid, "a", "running"), bad])
        with pytest.raises(StoreError, match="could not record task events"):
            store.flush()
        store.record([TaskEvent(rid, "a", "succeeded")])  # the writer keeps going
        store.flush()
        assert store.get_run(rid).tasks["a"].status == "succeeded"


def test_a_process_with_more_than_1024_open_files_still_writes(
    store_url: str, tmp_path: Path
) -> None:
    # The writer's pipes then get descriptors past select()'s limit (1023): a Jupyter server
    # with many connections. Every event must still be committed and acknowledged.
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        with open_store(store_url, artifacts_dir=tmp_path) as store:
            ids = [f"t{i}" for i in range(300)]
            rid = store.create_run(spec={"name": "many fds"}, task_ids=ids)
            for t in ids:
                store.record([TaskEvent(rid, t, "running"), TaskEvent(rid, t, "succeeded")])
            store.flush()
            assert {t.status for t in store.get_run(rid).tasks.values()} == {"succeeded"}
    finally:
        for fd in held:
            os.close(fd)
