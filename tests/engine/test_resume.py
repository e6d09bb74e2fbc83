"""Resume after kill -9 (no finished task runs twice) and rerun from a task."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from quantumflow.engine import rerun, resume, run
from quantumflow.errors import RunNotFoundError, SpecError

from .conftest import ctask, wf

ROOT = Path(__file__).resolve().parents[2]


def slow_chain(log: Path, n: int, sleep_s: float) -> dict[str, Any]:
    def t(i: int) -> dict[str, Any]:
        extra = {"depends_on": [f"t{i - 1}"]} if i else {}
        return ctask(
            f"t{i}", "mark", inputs={"path": str(log), "name": f"t{i}", "sleep_s": sleep_s}, **extra
        )

    return wf(*[t(i) for i in range(n)])


@pytest.mark.slow
def test_resume_after_kill_9_runs_no_finished_task_twice(
    db_url: str, tmp_path: Path, store: Any
) -> None:
    log = tmp_path / "executions.txt"
    spec_path = tmp_path / "chain.json"
    spec_path.write_text(json.dumps(slow_chain(log, 6, 0.4)))
    code = f"from quantumflow.engine import run; run({str(spec_path)!r}, db={db_url!r})"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if log.exists() and len(log.read_text().splitlines()) >= 3:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the engine subprocess never got going")
        # t2 has just started its 0.4 s sleep; give t1's 'succeeded' the group-commit
        # window (a few ms; more on a loaded machine) before killing mid-t2.
        time.sleep(0.2)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    (rec,) = store.list_runs()
    before = store.get_run(rec.id)
    assert before.status == "running"  # the killed process never finished it
    finished = {k for k, v in before.tasks.items() if v.status == "succeeded"}
    assert {"t0", "t1"} <= finished
    assert len(finished) < 6

    r = resume(rec.id, db=store)

    assert r.status == "succeeded"
    assert r.id == rec.id
    runs = log.read_text().splitlines()
    for task_id in finished:
        assert runs.count(task_id) == 1, runs  # finished before the kill: never again
        assert r.tasks[task_id].attempts == 0
    assert sorted(set(runs)) == [f"t{i}" for i in range(6)]
    assert len(runs) <= 6 + 1  # only the task running at the kill ran twice
    after = store.get_run(rec.id)
    assert after.status == "succeeded"
    assert all(t.status == "succeeded" for t in after.tasks.values())


def test_resume_failed_run_reruns_only_unfinished(store: Any, tmp_path: Path) -> None:
    counter = tmp_path / "n"
    log = tmp_path / "log"
    spec = wf(
        ctask("a", "mark", inputs={"path": str(log), "name": "a"}),
        ctask("b", "flaky", depends_on=["a"], inputs={"path": str(counter), "fails": 1}),
        ctask("c", "inc", inputs={"x": {"ref": "b"}}),
    )
    first = run(spec, db=store)
    assert first.status == "failed" and first.tasks["c"].status == "skipped"
    again = resume(first.id, db=store)
    assert again.status == "succeeded"
    assert again.outputs == {"a": "a", "b": 2, "c": 3}
    assert log.read_text().splitlines() == ["a"]
    assert store.get_run(first.id).status == "succeeded"


def test_resume_unknown_run(store: Any) -> None:
    with pytest.raises(RunNotFoundError):
        resume("nope", db=store)


def test_rerun_from_task(store: Any, tmp_path: Path) -> None:
    log = tmp_path / "log"

    def m(tid: str, **extra: Any) -> dict[str, Any]:
        return ctask(tid, "mark", inputs={"path": str(log), "name": tid}, **extra)

    spec = wf(m("a"), m("b", depends_on=["a"]), m("c", depends_on=["b"]), m("side"))
    first = run(spec, db=store)
    log.write_text("")
    second = rerun(first.id, from_task="b", db=store)
    assert second.id != first.id
    assert second.status == "succeeded"
    assert sorted(log.read_text().splitlines()) == ["b", "c"]
    assert second.tasks["a"].status == "cached" and second.tasks["side"].status == "cached"
    assert second.outputs == {"a": "a", "b": "b", "c": "c", "side": "side"}
    rec = store.get_run(second.id)
    assert {k: v.status for k, v in rec.tasks.items()} == {
        "a": "cached",
        "b": "succeeded",
        "c": "succeeded",
        "side": "cached",
    }
    with pytest.raises(SpecError, match="no task 'zzz'"):
        rerun(first.id, from_task="zzz", db=store)


@pytest.mark.slow
def test_resume_refuses_a_run_still_alive_elsewhere(
    db_url: str, tmp_path: Path, store: Any
) -> None:
    from quantumflow.engine import cancel
    from quantumflow.errors import QuantumFlowError

    log = tmp_path / "executions.txt"
    spec_path = tmp_path / "chain.json"
    spec_path.write_text(json.dumps(slow_chain(log, 20, 0.3)))
    code = f"from quantumflow.engine import run; run({str(spec_path)!r}, db={db_url!r})"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not (log.exists() and log.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        (rec,) = store.list_runs()
        with pytest.raises(QuantumFlowError, match="still running in process"):
            resume(rec.id, db=store)
        cancel(rec.id, db=store)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert store.get_run(rec.id).status == "cancelled"
