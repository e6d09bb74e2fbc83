"""Cancelling runs: RunHandle.cancel, cross-process cancel through the store, Ctrl-C."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from quantumflow.engine import api, cancel, open_db, run, runner, start
from quantumflow.errors import RunNotFoundError

from .conftest import ctask, wf


def chain(tmp_path: Path, n: int = 5, sleep_s: float = 0.3) -> dict[str, Any]:
    log = str(tmp_path / "log")
    tasks = [ctask("t0", "mark", inputs={"path": log, "name": "t0", "sleep_s": sleep_s})]
    tasks += [
        ctask(
            f"t{i}",
            "mark",
            depends_on=[f"t{i - 1}"],
            inputs={"path": log, "name": f"t{i}", "sleep_s": sleep_s},
        )
        for i in range(1, n)
    ]
    return wf(*tasks)


def test_handle_cancel(store: Any, tmp_path: Path) -> None:
    handle = start(chain(tmp_path), db=store)
    assert store.get_run(handle.run_id).status in ("pending", "running")
    time.sleep(0.4)
    handle.cancel()
    r = handle.wait(10)
    assert r.status == "cancelled"
    assert r.tasks["t0"].status == "succeeded"
    assert r.tasks["t4"].status == "cancelled"
    rec = store.get_run(handle.run_id)
    assert rec.status == "cancelled"
    assert rec.tasks["t4"].status == "cancelled"
    assert all(t.status in ("succeeded", "cancelled") for t in rec.tasks.values())


def test_cancel_through_the_store_from_elsewhere(db_url: str, tmp_path: Path) -> None:
    handle = start(chain(tmp_path), db=db_url)
    time.sleep(0.2)
    t0 = time.monotonic()
    cancel(handle.run_id, db=db_url)
    r = handle.wait(10)
    assert time.monotonic() - t0 < 1.0  # polled every ~0.2 s; the running sleep is abandoned
    assert r.status == "cancelled"
    assert open_db(db_url).get_run(r.id).status == "cancelled"


def test_cancel_unknown_run(store: Any) -> None:
    with pytest.raises(RunNotFoundError):
        cancel("nope", db=store)


def test_ctrl_c_cancels_and_records(store: Any, tmp_path: Path) -> None:
    runs: list[str] = []
    timer = threading.Timer(0.4, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        run(chain(tmp_path), db=store, on_event=lambda ev: runs.append(ev.run_id))
    timer.join()
    rec = store.get_run(runs[0])
    assert rec.status == "cancelled"
    assert rec.tasks["t0"].status in ("succeeded", "cancelled")
    assert rec.tasks["t4"].status == "cancelled"


@pytest.mark.parametrize("at", ["start_run", "second lane", "dispatch thread"])
def test_ctrl_c_while_the_run_is_starting_is_still_recorded(
    at: str, store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first tasks start before the engine watches for Ctrl-C: one arriving while it
    starts its threads (or records the start) cancels the run all the same, never hangs."""
    spawned: list[str] = []
    real_spawn = runner.spawn
    trigger = {"second lane": ["qf-lane"] * 2, "dispatch thread": ["qf-lane"] * 4 + ["qf-dispatch"]}

    def interrupted_spawn(fn: Any, name: str) -> None:
        spawned.append(name)
        if spawned == trigger.get(at):
            raise KeyboardInterrupt  # as the signal handler raises it, mid-launch
        real_spawn(fn, name)

    def interrupted_start(*_: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "spawn", interrupted_spawn)
    if at == "start_run":
        monkeypatch.setattr(store, "start_run", interrupted_start)
    spec = wf(*chain(tmp_path)["tasks"], policies={"max_concurrency": 4})
    ids: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        run(spec, db=store, _on_created=ids.append)
    rec = store.get_run(ids[0])
    assert rec.status == "cancelled"
    assert rec.tasks["t0"].status in ("succeeded", "cancelled")
    assert all(rec.tasks[f"t{i}"].status == "cancelled" for i in range(1, 5))
    # the dispatcher ran to record the cancellation (none was made before start_run)
    assert spawned[-1:] == ([] if at == "start_run" else ["qf-dispatch"])


def test_ctrl_c_while_planning_records_the_run_cancelled(
    store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted_plan(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "make_plan", interrupted_plan)
    ids: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        run(chain(tmp_path), db=store, _on_created=ids.append)
    rec = store.get_run(ids[0])
    assert (rec.status, rec.error) == ("cancelled", "interrupted (Ctrl-C)")


def test_wait_timeout(store: Any, tmp_path: Path) -> None:
    handle = start(chain(tmp_path, n=2, sleep_s=0.5), db=store)
    with pytest.raises(TimeoutError):
        handle.wait(0.05)
    assert handle.wait(10).status == "succeeded"
    assert handle.done()


def test_interpreter_exit_cancels_a_background_run(db_url: str, store: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = (
        "import time\n"
        "from quantumflow.engine import start\n"
        f"start({chain(tmp_path, n=3, sleep_s=30)!r}, db={db_url!r})\n"
        "time.sleep(0.5)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "panicked" not in proc.stderr
    (rec,) = store.list_runs()
    assert store.get_run(rec.id).status == "cancelled"
