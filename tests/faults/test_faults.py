"""Fault injection (docs/reliability.md): kill -9 of the engine, of the store's writer process
and of an SDK worker at seeded random points, a store that fills up, a read-only store.

After every fault: ``PRAGMA integrity_check`` is ok, no run is ``succeeded`` with a missing
task row or event, no task the store had recorded as finished runs again on ``resume``, and
no process of the run is left behind. ``QF_FAULT_SEED`` and ``QF_FAULT_TRIALS`` (default 20
per kind) change the draw; ``QF_FAULT_REPORT=path`` writes the tally as JSON.
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quantumflow.engine import resume, run
from quantumflow.executors import sdk_workers

from .engine import N, workflow

ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("QF_FAULT_SEED", "19"))
TRIALS = int(os.environ.get("QF_FAULT_TRIALS", "20"))
TALLY: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    path = os.environ.get("QF_FAULT_REPORT")
    if path:
        Path(path).write_text(json.dumps({k: dict(v) for k, v in TALLY.items()}, indent=2))


# ----------------------------------------------------------------------------- processes


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every live process (zombies left out)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            out.append((int(entry.name), int(fields[1]), cmd))
    return out


def _matching(text: str) -> list[int]:
    return [pid for pid, _, cmd in _processes() if text in cmd and str(os.getpid()) != str(pid)]


def _descendants(root: int) -> list[int]:
    procs = _processes()
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        kids = [pid for pid, ppid, _ in procs if ppid == parent]
        found += kids
        frontier += kids
    return found


def _all_gone(pids: list[int], within: float = 5.0) -> list[int]:
    """The pids of ``pids`` still alive after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        alive = {pid for pid, _, _ in _processes()}
        left = [p for p in pids if p in alive]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


# ----------------------------------------------------------------------------- the store


def _db(url: str) -> sqlite3.Connection:
    return sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)


def _integrity_ok(url: str) -> bool:
    with _db(url) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _tasks(url: str, run_id: str) -> dict[str, str]:
    with _db(url) as conn:
        rows = conn.execute("SELECT task_id, status FROM task_runs WHERE run_id = ?", (run_id,))
        return dict(rows.fetchall())


def _status(url: str, run_id: str) -> str:
    with _db(url) as conn:
        return str(conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0])


def _task_events(url: str, run_id: str) -> list[tuple[str, str, int]]:
    with _db(url) as conn:
        rows = conn.execute(
            "SELECT task_id, data FROM events WHERE run_id = ? AND kind = 'task' ORDER BY id",
            (run_id,),
        )
        return [(t, json.loads(d)["status"], json.loads(d)["attempt"]) for t, d in rows]


def _assert_no_success_with_missing_rows(url: str, run_id: str, expected: int) -> None:
    """The durability rule: ``succeeded`` only with every task row (and its events)."""
    if _status(url, run_id) != "succeeded":
        return
    tasks = _tasks(url, run_id)
    assert len(tasks) == expected and set(tasks.values()) <= {"succeeded", "cached"}, tasks
    finished = {t for t, status, _ in _task_events(url, run_id) if status == "succeeded"}
    assert finished == {t for t, s in tasks.items() if s == "succeeded"}


# ----------------------------------------------------------------------------- the engine


class Engine:
    """``tests/faults/engine.py`` in its own process, on a store of its own."""

    def __init__(self, tmp: Path, shape: str, **env: str) -> None:
        self.url = f"sqlite:///{tmp / 'faults.db'}"
        self.log = tmp / "executions.log"
        cmd = [sys.executable, "-m", "tests.faults.engine", self.url, str(self.log), shape]
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), "QUANTUMFLOW_HOME": str(tmp / "home"),
                    "QUANTUMFLOW_STORE_WRITER": "process", **env}  # fmt: skip
        self.proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=full_env,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().split()
        if not (line and line[0] == "started"):
            self.proc.kill()
            self.proc.communicate()
            raise AssertionError(f"the engine did not start: {line}")
        self.run_id = line[1]
        self.started = time.monotonic()

    def writers(self) -> list[int]:
        return _matching(f"writer_child {self.url.removeprefix('sqlite:///')}")

    def finish(self, timeout: float = 120) -> str | None:
        """The status the engine printed, or None when it was killed."""
        out, _ = self.proc.communicate(timeout=timeout)
        words = out.split()
        return words[-1] if words and words[0] == "done" else None

    def executions(self) -> collections.Counter[str]:
        if not self.log.exists():
            return collections.Counter()
        return collections.Counter(self.log.read_text().split())


def _draws(kind: str) -> list[float]:
    rnd = random.Random(f"{SEED}:{kind}")
    return [rnd.uniform(0.0, 0.3) for _ in range(TRIALS)]


@pytest.mark.parametrize("trial", range(TRIALS))
def test_kill_9_of_the_engine_then_resume(tmp_path: Path, trial: int) -> None:
    shape = "quantum" if trial % 5 == 4 else "classical"
    expected = N + (4 if shape == "quantum" else 0)
    engine = Engine(tmp_path, shape)
    time.sleep(_draws("engine")[trial])
    children = _descendants(engine.proc.pid)
    engine.proc.kill()
    status = engine.finish()
    tally = TALLY["engine kill -9"]
    tally["trials"] += 1
    left = _all_gone(children + engine.writers())
    assert not left, f"processes left behind by the killed engine: {left}"
    assert _integrity_ok(engine.url)
    done_before = {t for t, s in _tasks(engine.url, engine.run_id).items() if s == "succeeded"}
    ran_before = engine.executions()
    if _status(engine.url, engine.run_id) != "succeeded":  # killed before its end was stored
        tally["killed mid-run"] += 1
        assert status is None and _status(engine.url, engine.run_id) in ("pending", "running")
        result = resume(engine.run_id, db=engine.url)
        assert result.status == "succeeded"
    _assert_no_success_with_missing_rows(engine.url, engine.run_id, expected)
    assert _status(engine.url, engine.run_id) == "succeeded"
    again = engine.executions() - ran_before
    rerun_finished = sorted(t for t in done_before if again[t])
    tally["finished tasks before the kill"] += len(done_before)
    tally["finished tasks lost (run again)"] += len(rerun_finished)
    assert not rerun_finished, f"tasks recorded finished ran again: {rerun_finished}"
    assert _integrity_ok(engine.url)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_kill_9_of_the_writer_process_loses_nothing(tmp_path: Path, trial: int) -> None:
    engine = Engine(tmp_path, "classical")
    time.sleep(_draws("writer")[trial])
    writers = engine.writers()
    for pid in writers:
        os.kill(pid, signal.SIGKILL)
    status = engine.finish()
    tally = TALLY["writer kill -9"]
    tally["trials"] += 1
    tally["writer killed" if writers else "run over before the kill"] += 1
    assert status == "succeeded"
    assert _status(engine.url, engine.run_id) == "succeeded"
    _assert_no_success_with_missing_rows(engine.url, engine.run_id, N)
    events = _task_events(engine.url, engine.run_id)
    per_task = collections.Counter(t for t, _, _ in events)
    assert set(per_task.values()) == {2} and len(per_task) == N, "an event lost or written twice"
    assert not _all_gone(engine.writers())
    assert _integrity_ok(engine.url)


def test_kill_9_of_sdk_workers_at_random_points(db_url: str) -> None:
    """One engine (this process), ``TRIALS`` runs; each has its SDK worker killed at a random
    point: the attempt it ran fails, is retried on a fresh worker, the run completes."""
    rnd = random.Random(f"{SEED}:sdk")
    spec = workflow("quantum", os.devnull)
    spec["tasks"] = [t for t in spec["tasks"] if t["kind"] == "quantum" or t["id"] == "t0"]
    spec["tasks"][0]["inputs"]["sleep_s"] = 0.0
    tally = TALLY["SDK worker kill -9"]
    killed: list[int] = []
    for _ in range(TRIALS):
        delay = rnd.uniform(0.0, 0.3)

        def kill(delay: float = delay) -> None:
            time.sleep(delay)
            pool = sdk_workers._shared
            for pid in pool.pids().get("qiskit", []) if pool is not None else []:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        killer = threading.Thread(target=kill)
        killer.start()
        result = run(spec, db=db_url)
        killer.join()
        tally["trials"] += 1
        tally[f"run {result.status}"] += 1
        assert result.status in ("succeeded", "failed")
        _assert_no_success_with_missing_rows(db_url, result.id, len(spec["tasks"]))
    tally["workers killed"] += len(killed)
    assert len(killed) >= TRIALS // 2, "the kills should mostly hit a live worker"
    assert not _all_gone(killed)
    assert _integrity_ok(db_url)


@pytest.mark.parametrize("cap_mb", ["0.5", "0.7", "0.9", "1.1", "1.3"])
def test_a_full_store_ends_the_run_store_error_and_resume_completes_it(
    tmp_path: Path, cap_mb: str
) -> None:
    engine = Engine(tmp_path, "big", QUANTUMFLOW_STORE_MAX_MB=cap_mb)
    status = engine.finish()
    tally = TALLY["store full (max_page_count)"]
    tally["trials"] += 1
    assert status == "store_error"
    assert _status(engine.url, engine.run_id) in ("store_error", "running")  # never succeeded
    tally[f"stored as {_status(engine.url, engine.run_id)}"] += 1
    assert _integrity_ok(engine.url)
    assert not _all_gone(engine.writers())
    result = resume(engine.run_id, db=engine.url)  # space freed: no cap in this process
    assert result.status == "succeeded"
    _assert_no_success_with_missing_rows(engine.url, engine.run_id, N)
    assert _integrity_ok(engine.url)


def test_a_read_only_store_refuses_the_run(tmp_path: Path) -> None:
    from tests.store.test_read_only import _make_read_only

    first = Engine(tmp_path, "classical")
    assert first.finish() == "succeeded"
    folder = Path(first.url.removeprefix("sqlite:///")).parent
    for leftover in folder.glob("faults.db-*"):
        leftover.unlink()
    immutable = _make_read_only([folder / "faults.db", folder])
    try:
        cmd = [sys.executable, "-m", "tests.faults.engine", first.url, os.devnull, "classical"]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QUANTUMFLOW_HOME": str(tmp_path / "h")}
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
        assert done.returncode != 0 and "is read-only" in done.stderr
        with sqlite3.connect(f"file:{folder / 'faults.db'}?immutable=1", uri=True) as conn:
            assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        TALLY["read-only store"]["trials"] += 1
    finally:
        for p in immutable:
            subprocess.run(["chattr", "-i", str(p)], check=False)
        folder.chmod(0o755)
        (folder / "faults.db").chmod(0o644)
