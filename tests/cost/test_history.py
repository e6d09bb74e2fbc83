"""The estimator's history snapshot: refreshed with only the rows written since, same result
as a full read, newest rows first, at most ``PER_KEY`` seconds per fn and ``PER_TASK`` per
task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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


def test_incremental_refresh_matches_a_full_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "PER_KEY", 4)
    with open_store(f"sqlite:///{tmp_path / 'h.db'}", artifacts_dir=tmp_path / "a") as store:
        history.forget(store)
        _record(store, "m:f", [1.0, 2.0, 3.0])
        first = history.load_history(store)
        assert sorted(first.by_fn["m:f"]) == [1.0, 2.0, 3.0]
        assert history.load_history(store) is first  # nothing new: the cached snapshot
        _record(store, "m:f", [4.0, 5.0, 6.0, 7.0, 8.0, 9.0], task="u")
        _record(store, "m:g", [0.5], task="v")
        incremental = history.load_history(store)
        history.forget(store)
        full = history.load_history(store)
        assert incremental.by_fn == full.by_fn
        assert incremental.by_task == full.by_task
        # the 4 newest seconds of m:f, newest first: the first run's fell out
        assert full.by_fn["m:f"] == [9.0, 8.0, 7.0, 6.0]
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


def test_a_task_keeps_its_newest_seconds_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "PER_TASK", 2)
    with open_store(f"sqlite:///{tmp_path / 'h.db'}", artifacts_dir=tmp_path / "a") as store:
        history.forget(store)
        _record(store, "m:f", [1.0])
        _record(store, "m:f", [2.0])
        assert history.load_history(store).by_task[("m:f", "t0")] == [2.0, 1.0]
        _record(store, "m:f", [3.0])  # merged into the cached snapshot: capped there too
        snapshot = history.load_history(store)
        assert snapshot.by_task[("m:f", "t0")] == [3.0, 2.0]
        assert snapshot.by_fn["m:f"] == [3.0, 2.0, 1.0]
        assert snapshot.classical_seconds("m:f", "t0") == 2.5


def _chain_spec() -> dict[str, Any]:
    fn = "benchmarks.overhead:work"
    tasks = [{"id": "a", "kind": "classical", "fn": fn}]
    tasks += [{"id": "b", "kind": "classical", "fn": fn, "inputs": {"x": {"ref": "a"}}}]
    return {"name": "noted", "tasks": tasks}


def test_a_run_of_this_process_is_not_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quantumflow.engine import run

    built: list[int] = []  # rows read back per refresh
    build = history._build

    def counting_build(rows: list[Any], **kw: Any) -> history.History:
        built.append(len(rows))
        return build(rows, **kw)

    monkeypatch.setattr(history, "_build", counting_build)
    with open_store(f"sqlite:///{tmp_path / 'h.db'}", artifacts_dir=tmp_path / "a") as store:
        history.forget(store)
        _record(store, "m:f", [1.0])  # the first snapshot is not empty
        for _ in range(3):
            assert run(_chain_spec(), db=store).status == "succeeded"
        assert built == [1]  # the first plan read the 1 row; later ones read no run back
        noted = history.load_history(store)  # the third run's rows too
        assert built == [1]
        history.forget(store)
        assert history.load_history(store).by_task == noted.by_task  # as a full read
        assert (
            noted.by_fn["benchmarks.overhead:work"]
            == history.load_history(store).by_fn["benchmarks.overhead:work"]
        )
        built.clear()
        assert run(_chain_spec(), db=store).status == "succeeded"
        _record(store, "m:g", [2.0], task="other")  # another writer: its row must be read
        assert history.load_history(store).by_fn["m:g"] == [2.0]
        assert built[-1] == 3
