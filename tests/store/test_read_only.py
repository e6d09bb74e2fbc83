"""A store that cannot be written (read-only file, directory or mount) can still be read;
a write says the store is read-only (not "cannot migrate"), and a run is never started."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from quantumflow.errors import StoreError
from quantumflow.store import TaskEvent, open_store


def _make_read_only(paths: list[Path]) -> list[Path]:
    """Make ``paths`` unwritable even for root (``chattr +i``), else by mode bits."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: nothing is read-only for root")
        done = []
        for p in paths:
            if subprocess.run(["chattr", "+i", str(p)], check=False).returncode != 0:
                for q in done:
                    subprocess.run(["chattr", "-i", str(q)], check=False)
                pytest.skip("this file system does not support chattr +i")
            done.append(p)
        return done
    for p in paths:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return []


@pytest.fixture
def read_only_store(tmp_path: Path) -> Iterator[tuple[str, str]]:
    folder = tmp_path / "ro"
    folder.mkdir()
    url = f"sqlite:///{folder / 'q.db'}"
    with open_store(url, artifacts_dir=tmp_path / "a") as store:
        rid = store.create_run(spec={"name": "kept"}, task_ids=["a"])
        store.record([TaskEvent(rid, "a", "succeeded")])
        store.finish_run(rid, "succeeded")
    for leftover in folder.glob("q.db-*"):  # WAL files of the closed store
        leftover.unlink()
    immutable = _make_read_only([folder / "q.db", folder])
    try:
        yield url, rid
    finally:
        for p in immutable:
            subprocess.run(["chattr", "-i", str(p)], check=False)
        for p in (folder, folder / "q.db"):
            p.chmod(p.stat().st_mode | stat.S_IWUSR)


def test_a_read_only_store_is_read_and_refuses_writes_clearly(
    read_only_store: tuple[str, str], tmp_path: Path
) -> None:
    url, rid = read_only_store
    store = open_store(url, artifacts_dir=tmp_path / "a")
    try:
        (run,) = store.list_runs()
        assert run.id == rid and store.get_run(rid).tasks["a"].status == "succeeded"
        with pytest.raises(StoreError, match="is read-only"):
            store.create_run(spec={"name": "new"}, task_ids=["a"])
    finally:
        store.close()


def test_the_cli_lists_runs_of_a_read_only_store_and_refuses_to_run(
    read_only_store: tuple[str, str], tmp_path: Path
) -> None:
    url, rid = read_only_store
    spec = tmp_path / "w.yaml"
    spec.write_text(
        "name: w\ntasks: [{id: a, kind: classical, fn: constant, inputs: {value: 1}}]\n"
    )
    env = {**os.environ, "QUANTUMFLOW_STORE_WRITER": "process"}
    runs = subprocess.run(
        [sys.executable, "-m", "quantumflow.cli", "runs", "--db", url, "--json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert runs.returncode == 0 and rid in runs.stdout, runs.stderr
    started = subprocess.run(
        [sys.executable, "-m", "quantumflow.cli", "run", str(spec), "--db", url],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert started.returncode == 2
    assert "is read-only" in started.stderr and "migrate" not in started.stderr
    assert "Traceback" not in started.stderr


def test_reads_from_many_threads_at_once(tmp_path: Path) -> None:
    """The store's SQLAlchemy engine opens the file through the same opener as the run
    path; its pool must serve many threads (a one-connection-per-thread pool closed
    connections still in use under 20 concurrent API requests)."""
    from concurrent.futures import ThreadPoolExecutor

    with open_store(f"sqlite:///{tmp_path / 'q.db'}", artifacts_dir=tmp_path / "a") as store:
        rid = store.create_run(spec={"name": "many"}, task_ids=["a"])
        store.flush()

        def read(_: int) -> str:
            return store.get_run(rid).status + str(len(store.list_runs()))

        with ThreadPoolExecutor(24) as pool:
            assert set(pool.map(read, range(200))) == {"pending1"}
