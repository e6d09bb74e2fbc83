"""The SQLite writer process (``store/writer_process.py``, ``writer_child.py``): it commits
what the engine handed over even when the engine is killed, a dead writer is an error at
the next flush (never a hang), and numpy metrics cross the pipe as plain numbers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from quantumflow.errors import StoreError
from quantumflow.store import TaskEvent, open_store
from quantumflow.store.writer_process import ProcessWriter

ENGINE = """
import sys, time
from quantumflow.store import TaskEvent, open_store
store = open_store(sys.argv[1], artifacts_dir=sys.argv[2])
rid = store.create_run(spec={"name": "live"}, task_ids=[f"t{i}" for i in range(500)])
store.set_run_status(rid, "running")
store.record([TaskEvent(rid, f"t{i}", "succeeded") for i in range(500)])  # not flushed
print(rid, store._writer._proc.pid, flush=True)
time.sleep(60)
"""


CTRL_C = """
import sys
import quantumflow
log = sys.argv[2]
tasks = [{"id": f"t{i}", "kind": "classical", "fn": "tests.engine.fns:mark",
          "inputs": {"path": log, "name": f"t{i}", "sleep_s": 0.5}} for i in range(6)]
for i in range(1, 6):
    tasks[i]["depends_on"] = [f"t{i - 1}"]
try:
    quantumflow.run({"name": "ctrl-c", "tasks": tasks}, db=sys.argv[1])
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_ctrl_c_to_the_process_group_still_records_the_cancelled_run(
    url: str, tmp_path: Path
) -> None:
    """A terminal's Ctrl-C signals the engine *and* its writer process; the writer ignores
    it, so the engine's cancellation is still committed."""
    log = tmp_path / "log"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    cmd = [sys.executable, "-c", CTRL_C, url, str(log)]
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, text=True, env=env, start_new_session=True
    ) as proc:
        deadline = time.monotonic() + 30
        while not (log.exists() and log.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal does
        out, _ = proc.communicate(timeout=30)
    assert "interrupted" in out
    with open_store(url, artifacts_dir=tmp_path) as store:
        (run,) = store.list_runs()
        record = store.get_run(run.id)
    assert record.status == "cancelled"
    assert record.tasks["t5"].status == "cancelled"


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QUANTUMFLOW_STORE_WRITER", "process")
    return f"sqlite:///{tmp_path / 'q.db'}"


def test_the_store_uses_a_writer_process(url: str, tmp_path: Path) -> None:
    with open_store(url, artifacts_dir=tmp_path) as store:
        assert isinstance(store._writer, ProcessWriter)


def test_events_handed_over_survive_a_kill_9_of_the_engine(url: str, tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", ENGINE, url, str(tmp_path)]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        rid, writer_pid = proc.stdout.readline().split()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert _gone(int(writer_pid)), "the writer process must exit once the engine is gone"
    with open_store(url, artifacts_dir=tmp_path) as store:
        run = store.get_run(rid)
    assert run.status == "running"  # the engine died: left for `quantumflow resume`
    assert {t.status for t in run.tasks.values()} == {"succeeded"}  # all 500 committed


def _task_events(url: str) -> list[tuple[str, str]]:
    import sqlite3

    with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
        rows = conn.execute("SELECT task_id, data FROM events WHERE kind = 'task' ORDER BY id")
        return [(t, json.loads(d)["status"]) for t, d in rows]


def test_a_killed_writer_process_is_restarted_and_loses_nothing(url: str, tmp_path: Path) -> None:
    """kill -9 of the writer between hand-overs: the engine starts a new one and resends
    every frame it had not acknowledged; frames it had committed are not written twice."""
    store = open_store(url, artifacts_dir=tmp_path)
    n = 60
    rid = store.create_run(spec={"name": "x"}, task_ids=[f"t{i}" for i in range(n)])
    writer = store._writer
    assert isinstance(writer, ProcessWriter)
    killed = 0
    for i in range(n):
        store.record([TaskEvent(rid, f"t{i}", "running")])
        if i % 20 == 10:
            store.flush()  # the writer has committed something: a death now is a restart
            assert writer._proc is not None
            writer._proc.kill()
            writer._proc.wait()
            killed += 1
        store.record([TaskEvent(rid, f"t{i}", "succeeded")])
    assert store.finish_run(rid, "succeeded") == ("succeeded", None)
    run = store.get_run(rid)
    store.close()
    assert killed == 3 and run.status == "succeeded"
    assert {t.status for t in run.tasks.values()} == {"succeeded"} and len(run.tasks) == n
    events = _task_events(url)
    assert len(events) == 2 * n and len(set(events)) == 2 * n  # none lost, none twice


def test_frames_committed_before_the_kill_are_skipped_on_replay(url: str, tmp_path: Path) -> None:
    """The writer commits, then dies before its acknowledgement is read: the engine resends
    those frames, the new writer finds them in ``writer_marks`` and skips them."""
    store = open_store(url, artifacts_dir=tmp_path)
    rid = store.create_run(spec={"name": "x"}, task_ids=["a", "b"])
    writer = store._writer
    assert isinstance(writer, ProcessWriter)
    store.record([TaskEvent(rid, "a", "running")])
    store.record([TaskEvent(rid, "a", "succeeded")])
    deadline = time.monotonic() + 10
    while len(_task_events(url)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # committed by the writer; its answers are not read yet
    assert len(writer._kept) >= 2
    assert writer._proc is not None
    writer._proc.kill()
    writer._proc.wait()
    store.record([TaskEvent(rid, "b", "succeeded")])
    store.flush()
    store.close()
    assert _task_events(url) == [("a", "running"), ("a", "succeeded"), ("b", "succeeded")]


def test_a_writer_that_keeps_dying_is_a_store_error_and_the_run_is_not_succeeded(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(url, artifacts_dir=tmp_path)
    rid = store.create_run(spec={"name": "x"}, task_ids=["a"])
    store.flush()
    writer = store._writer
    assert isinstance(writer, ProcessWriter)
    assert writer._proc is not None
    writer._proc.kill()
    writer._proc.wait()
    with monkeypatch.context() as patch:  # every new writer exits at once
        patch.setattr(sys, "executable", "/bin/false")
        with contextlib.suppress(StoreError):  # raised here or by the flush below
            store.record([TaskEvent(rid, "a", "succeeded")])
        with pytest.raises(StoreError, match=r"exits as soon as it starts|died 5 times"):
            store.flush()
        status, error = store.finish_run(rid, "succeeded")
    assert status == "store_error" and "quantumflow resume" in (error or "")
    # the interpreter is back: the kept frames are written with the next flush
    store.flush()
    run = store.get_run(rid)
    store.close()
    assert run.tasks["a"].status == "succeeded" and run.status == "succeeded"


@pytest.mark.parametrize("writer", ["process", "thread"])
def test_numpy_metrics_are_stored_as_numbers(
    writer: str, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUANTUMFLOW_STORE_WRITER", writer)
    with open_store(url, artifacts_dir=tmp_path) as store:
        rid = store.create_run(spec={"name": "np"}, task_ids=["a"])
        metrics = {"qubits": np.int64(3), "cpu_s": np.float64(0.5), "energy": np.float32(1.5)}
        store.record([TaskEvent(rid, "a", "succeeded", metrics=metrics)])
        store.flush()
        (row,) = store.task_metrics(run_id=rid)
    assert (row["qubits"], row["cpu_s"], row["extra"]) == (3, 0.5, {"energy": 1.5})


def test_a_writer_that_cannot_start_names_the_setting(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(url, artifacts_dir=tmp_path) as store:
        with monkeypatch.context() as patch:
            patch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
            with pytest.raises(StoreError, match="QUANTUMFLOW_STORE_WRITER=thread"):
                store.create_run(spec={"name": "x"}, task_ids=["a"])
        (failed,) = store.list_runs()
        assert failed.status == "failed" and "QUANTUMFLOW_STORE_WRITER" in (failed.error or "")
        rid = store.create_run(spec={"name": "x"}, task_ids=["a"])  # the interpreter is back
        store.record([TaskEvent(rid, "a", "running")])
        store.flush()
        assert store.get_run(rid).tasks["a"].status == "running"
