"""The estimator's history snapshot: refreshed with only the rows written since, same result
as a full read, newest rows first, at most ``PER_KEY`` seconds per fn and ``PER_TASK`` per
task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quantumflow.cost import history
from quantumflow.store import TaskEvent, open_store


def _record(store: Any, fn: str, walls: list[float], *, task: str = "t") -> None:
    rid = store.create_run(spec={"name": "h"}, task_ids=[f"{task}{i}" for i in range(len(walls))])
    store.record(
        [
            TaskEvent(
                rid, f"{task}{i}", "succeeded", 1, 10.0, None, None, False, {"fn": fn, "wall_s": w}
            )
            for i, w in enumerate(walls)
        ]
    )
    store.flush()


def test_incremental_refresh_matches_a_full_read(tmp_path: Path) -> None:
    first_walls = [float(i) for i in range(1, 31)]
    later_walls = [float(i) for i in range(31, 61)]  # 60 in all: more than PER_KEY (50)
    with open_store(f"sqlite:///{tmp_path / 'h.db'}", artifacts_dir=tmp_path / "a") as store:
        history.forget(store)
        _record(store, "m:f", first_walls)
        first = history.load_history(store)
        assert sorted(first.by_fn["m:f"]) == first_walls
        assert history.load_history(store) is first  # nothing new: the cached snapshot
        _record(store, "m:f", later_walls, task="u")
        _record(store, "m:g", [0.5], task="v")
        incremental = history.load_history(store)
        history.forget(store)
        full = history.load_history(store)
        assert incremental.by_fn == full.by_fn
        assert incremental.by_task == full.by_task
        # the PER_KEY newest seconds of m:f, newest first: the first run's oldest fell out
        assert history.PER_KEY == 50
        assert full.by_fn["m:f"] == [float(i) for i in range(60, 10, -1)]
        assert full.by_task[("m:f", "t0")] == [1.0]  # each task keeps its own
        assert full.by_fn["m:g"] == [0.5]


def test_a_recreated_table_is_read_again(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with open_store(f"sqlite:///{db}", artifacts_dir=tmp_path / "a") as store:
        history.forget(store)
        _record(store, "m:f", [1.0, 2.0, 3.0])
        assert len(history.load_history(store).by_fn["m:f"]) == 3
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM performance_metrics")
        _record(store, "m:h", [4.0])  # ids restart below the cached max(id)
        fresh = history.load_history(store)
        assert fresh.by_fn == {"m:h": [4.0]}
        history.forget(store)


def test_a_task_keeps_its_newest_seconds_only(tmp_path: Path) -> None:
    assert history.PER_TASK == 9
    with open_store(f"sqlite:///{tmp_path / 'h.db'}", artifacts_dir=tmp_path / "a") as store:
        history.forget(store)
        for wall in range(1, 11):  # ten runs of task t0
            _record(store, "m:f", [float(wall)])
        newest = [float(w) for w in range(10, 1, -1)]
        assert history.load_history(store).by_task[("m:f", "t0")] == newest
        _record(store, "m:f", [11.0])  # merged into the cached snapshot: capped there too
        snapshot = history.load_history(store)
        assert snapshot.by_task[("m:f", "t0")] == [11.0, *newest[:-1]]
        assert snapshot.by_fn["m:f"] == [float(w) for w in range(11, 0, -1)]
        assert snapshot.classical_seconds("m:f", "t0") == 7.0


def _chain_spec() -> dict[str, Any]:
    fn = "benchmarks.overhead:work"
    tasks = [{"id": "a", "kind": "classical", "fn": fn}]
    tasks += [{"id": "b", "kind": "classical", "fn": fn, "inputs": {"x": {"ref": "a"}}}]
    return {"name": "noted", "tasks": tasks}


def test_a_run_of_this_process_is_not_read_back(tmp_path: Path) -> None:
    from quantumflow.engine import run

    with open_store(f"sqlite:///{tmp_path / 'h.db'}", artifacts_dir=tmp_path / "a") as store:
        history.forget(store)
        _record(store, "m:f", [1.0])  # the first snapshot is not empty
        assert history.load_history(store).read_back == 1
        for _ in range(3):
            assert run(_chain_spec(), db=store).status == "succeeded"
        noted = history.load_history(store)  # the third run's rows too
        assert noted.read_back == 0  # the runs' own timings, not read back
        history.forget(store)
        assert history.load_history(store).by_task == noted.by_task  # as a full read
        assert (
            noted.by_fn["benchmarks.overhead:work"]
            == history.load_history(store).by_fn["benchmarks.overhead:work"]
        )
        assert run(_chain_spec(), db=store).status == "succeeded"
        _record(store, "m:g", [2.0], task="other")  # another writer: its row must be read
        again = history.load_history(store)
        assert again.by_fn["m:g"] == [2.0]
        assert again.read_back == 3
