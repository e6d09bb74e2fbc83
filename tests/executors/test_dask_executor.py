"""The Dask executor against a REAL cluster: `dask scheduler` + `dask worker` subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quantumflow.engine import open_db, run, start
from quantumflow.errors import QuantumFlowError
from quantumflow.executors import get_executor
from quantumflow.executors.base import Call
from quantumflow.executors.dask_executor import DaskExecutor, DaskResourceError
from tests.executors.dask_cluster import ROOT, Cluster, free_port, start_cluster, wait_until

pytestmark = pytest.mark.dask
FNS = "tests.executors.dask_fns"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = start_cluster(
        tmp_path_factory.mktemp("dask"), workers={"w1": "qpu_sim=1", "w2": "qpu_sim=1"}
    )
    yield c
    c.stop()


@pytest.fixture
def executor(cluster: Cluster) -> Iterator[DaskExecutor]:
    ex = DaskExecutor(address=cluster.address)
    yield ex
    ex.shutdown(cancel=True)


def _refs(ids: list[str]) -> dict[str, Any]:
    return {i: {"ref": i} for i in ids}


def mixed_workflow() -> dict[str, Any]:
    """Fan-out/fan-in classical tasks, a seeded qiskit-aer simulation inside a classical task
    (so it runs on a worker), and a seeded quantum task post-processed on the cluster."""
    squares = [
        {
            "kind": "classical",
            "id": f"sq{i}",
            "fn": f"{FNS}:square",
            "inputs": {"x": i, "sleep_s": 0.05},
        }
        for i in range(8)
    ]
    return {
        "name": "mixed",
        "policies": {"max_concurrency": 4},
        "tasks": [
            *squares,
            {
                "kind": "classical",
                "id": "sum",
                "fn": f"{FNS}:total",
                "inputs": {t["id"]: {"ref": t["id"]} for t in squares},
            },
            {
                "kind": "classical",
                "id": "bell",
                "fn": f"{FNS}:bell_counts",
                "inputs": {"shots": 512, "seed": 7},
            },
            {
                "kind": "classical",
                "id": "parity",
                "fn": f"{FNS}:parity",
                "inputs": {"counts": {"ref": "bell"}},
            },
            {
                "kind": "quantum",
                "id": "ghz",
                "backend": "qiskit.aer",
                "circuit": {"builtin": "ghz", "args": {"n": 3}},
                "shots": 256,
                "seed": 11,
            },
            {
                "kind": "classical",
                "id": "ghz_parity",
                "fn": "parity",
                "inputs": {"counts": {"ref": "ghz.counts"}},
            },
        ],
    }


# ----------------------------------------------------------------------------- connecting


def test_no_address_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUANTUMFLOW_DASK_ADDRESS", raising=False)
    with pytest.raises(QuantumFlowError, match="QUANTUMFLOW_DASK_ADDRESS"):
        get_executor("dask")


def test_unreachable_scheduler_is_a_clear_error() -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(QuantumFlowError, match=f"cannot reach the Dask scheduler at {address}"):
        DaskExecutor(address=address, connect_timeout_s=1)


def test_engine_uses_the_address_from_the_environment(
    cluster: Cluster, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUANTUMFLOW_DASK_ADDRESS", cluster.address)
    spec = {
        "name": "where",
        "tasks": [{"kind": "classical", "id": "w", "fn": f"{FNS}:worker_address"}],
    }
    result = run(spec, db=db_url, executor="dask")
    assert result.status == "succeeded", result.error
    with _client(cluster) as client:
        workers = set(client.scheduler_info()["workers"])
    assert result.outputs["w"] in workers


def _client(cluster: Cluster) -> Any:
    from distributed import Client

    return Client(cluster.address, set_as_default=False)


# ----------------------------------------------------------------------------- results


def test_results_identical_on_threads_processes_and_dask(cluster: Cluster, db_url: str) -> None:
    outputs = {}
    for name in ("threads", "processes"):
        result = run(mixed_workflow(), db=db_url, executor=name, workers=2)
        assert result.status == "succeeded", result.error
        outputs[name] = result.outputs
    ex = DaskExecutor(address=cluster.address)
    try:
        result = run(mixed_workflow(), db=db_url, executor=ex)
    finally:
        ex.shutdown()
    assert result.status == "succeeded", result.error
    outputs["dask"] = result.outputs
    assert outputs["dask"]["sum"] == sum(i * i for i in range(8))
    assert sum(outputs["dask"]["bell"].values()) == 512
    assert set(outputs["dask"]["bell"]) <= {"00", "11"}
    assert set(outputs["dask"]["ghz"]["counts"]) <= {"000", "111"}
    comparable = {name: _without_timings(out) for name, out in outputs.items()}
    assert comparable["threads"] == comparable["processes"] == comparable["dask"]


def _without_timings(outputs: dict[str, Any]) -> dict[str, Any]:
    """Outputs minus what legitimately differs per run (wall times, local job ids)."""
    out = dict(outputs)
    meta = {k: v for k, v in out["ghz"]["metadata"].items() if k not in ("timings", "job_id")}
    out["ghz"] = {**out["ghz"], "metadata": meta}
    return out


def test_user_errors_keep_their_type_and_retry_per_policy(
    cluster: Cluster, db_url: str, tmp_path: Path
) -> None:
    counter = tmp_path / "count"
    spec = {
        "name": "flaky",
        "tasks": [
            {
                "kind": "classical",
                "id": "f",
                "fn": f"{FNS}:flaky_file",
                "inputs": {"path": str(counter)},
                "retries": 1,
            }
        ],
        "policies": {"retry_backoff_s": 0},
    }
    ex = DaskExecutor(address=cluster.address)
    try:
        result = run(spec, db=db_url, executor=ex)
    finally:
        ex.shutdown()
    assert result.status == "succeeded"
    assert result.outputs["f"] == 2 and result.tasks["f"].attempts == 2


def test_timeout_cancels_the_dask_future(cluster: Cluster, db_url: str) -> None:
    spec = {
        "name": "slow",
        "tasks": [
            {
                "kind": "classical",
                "id": "s",
                "fn": f"{FNS}:square",
                "inputs": {"x": 2, "sleep_s": 30},
                "timeout_s": 1,
            }
        ],
    }
    ex = DaskExecutor(address=cluster.address)
    try:
        result = run(spec, db=db_url, executor=ex)
        assert result.status == "failed"
        assert "timed out" in (result.tasks["s"].error or "")
        assert ex._running == {}  # the abandoned future was released
    finally:
        ex.shutdown(cancel=True)


# ----------------------------------------------------------------------------- data locality


def test_large_outputs_stay_on_the_worker_that_made_them(cluster: Cluster, db_url: str) -> None:
    tasks: list[dict[str, Any]] = []
    for i in range(4):
        tasks.append(
            {"kind": "classical", "id": f"a{i}", "fn": f"{FNS}:big_array", "inputs": {"n": 100_000}}
        )
        tasks.append(
            {
                "kind": "classical",
                "id": f"c{i}",
                "fn": f"{FNS}:checksum",
                "inputs": {"data": {"ref": f"a{i}.data"}, "made_on": {"ref": f"a{i}.made_on"}},
            }
        )
    ex = DaskExecutor(address=cluster.address)
    try:
        result = run({"name": "big", "tasks": tasks}, db=db_url, executor=ex)
    finally:
        ex.shutdown()
    assert result.status == "succeeded", result.error
    for i in range(4):
        out = result.outputs[f"c{i}"]
        assert out["sum"] == pytest.approx(sum(range(100_000)))
        # The 800 KB array went worker -> same worker, not back up from the client.
        assert out["used_on"] == out["made_on"]


# ----------------------------------------------------------------------------- resources


def _overlap(log: Path) -> tuple[int, list[str]]:
    rows = [line.split() for line in log.read_text().splitlines()]
    events = sorted(
        [(float(s), 1) for _, s, _, _ in rows] + [(float(e), -1) for _, _, e, _ in rows]
    )
    most = now = 0
    for _, step in events:
        now += step
        most = max(most, now)
    return most, [name for name, *_ in sorted(rows, key=lambda r: float(r[1]))]


def test_resource_slots_hold_across_the_cluster(executor: DaskExecutor, tmp_path: Path) -> None:
    log = tmp_path / "hold.log"
    calls = [
        Call(
            (i, 1),
            f"{FNS}:hold",
            {"log": str(log), "name": f"t{i}", "sleep_s": 0.4},
            f"t{i}",
            resources={"qpu_sim": 1},
        )
        for i in range(6)
    ]
    futures = [executor.submit(c) for c in calls]
    assert [f.result(timeout=60) for f in futures] == [f"t{i}" for i in range(6)]
    most, order = _overlap(log)
    # Two workers advertise qpu_sim=1 (each with 2 threads): never more than two at once.
    assert most == 2
    assert set(order[:2]) == {"t0", "t1"}  # submitted first, started first


def test_unknown_resources_do_not_block_and_oversized_needs_fail(executor: DaskExecutor) -> None:
    free = Call((0, 1), f"{FNS}:square", {"x": 3}, "free", resources={"cpu": 1})
    assert executor.submit(free).result(timeout=60) == 9
    too_big = Call((1, 1), f"{FNS}:square", {"x": 3}, "big", resources={"qpu_sim": 2})
    with pytest.raises(DaskResourceError, match=r"task 'big' needs resources.qpu_sim=2"):
        executor.submit(too_big)


def test_engine_resource_slots_hold_across_the_cluster(
    cluster: Cluster, db_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "hold.log"
    tasks = [
        {
            "kind": "classical",
            "id": f"t{i}",
            "fn": f"{FNS}:hold",
            "inputs": {"log": str(log), "name": f"t{i}", "sleep_s": 0.4},
            "resources": {"qpu_sim": 1},
        }
        for i in range(6)
    ]
    spec = {"name": "slots", "policies": {"max_concurrency": 6}, "tasks": tasks}
    result = run(spec, db=db_url, executor="dask", address=cluster.address)
    assert result.status == "succeeded", result.error
    most, _ = _overlap(log)
    assert most == 2  # six lanes ask at once; two qpu_sim slots in the cluster


def test_cli_runs_on_the_cluster(cluster: Cluster, db_url: str, tmp_path: Path) -> None:
    wf = tmp_path / "wf.yaml"
    wf.write_text(
        "name: cli\n"
        "tasks:\n"
        f"  - {{id: a, kind: classical, fn: '{FNS}:square', inputs: {{x: 7}}}}\n"
        f"  - {{id: w, kind: classical, fn: '{FNS}:worker_address'}}\n",
        encoding="utf-8",
    )
    cli = str(Path(sys.executable).parent / "quantumflow")
    args = [cli, "run", str(wf), "--executor", "dask", "--address", cluster.address]
    proc = subprocess.run(
        [*args, "--db", db_url, "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == "succeeded" and out["outputs"]["a"] == 49
    with _client(cluster) as client:
        assert out["outputs"]["w"] in client.scheduler_info()["workers"]


# ----------------------------------------------------------------------------- worker loss


@pytest.mark.slow
def test_killing_a_worker_mid_run_loses_nothing(tmp_path: Path, db_url: str) -> None:
    cluster = start_cluster(tmp_path, workers={"w1": "", "w2": ""}, nthreads=2)
    n = 16
    spec = mixed_workflow()  # keeps the quantum tasks; widens the fan-out, slows it down
    rest = [t for t in spec["tasks"] if not (t["id"].startswith("sq") or t["id"] == "sum")]
    squares = [
        {
            "kind": "classical",
            "id": f"sq{i}",
            "fn": f"{FNS}:square",
            "inputs": {"x": i, "sleep_s": 0.6},
        }
        for i in range(n)
    ]
    total = {
        "kind": "classical",
        "id": "sum",
        "fn": f"{FNS}:total",
        "inputs": _refs([t["id"] for t in squares]),
    }
    spec["tasks"] = [*squares, total, *rest]
    done = threading.Event()
    finished: list[str] = []

    def on_event(event: Any) -> None:
        if event.status == "succeeded":
            finished.append(event.task_id)
            if len(finished) >= 3:
                done.set()

    ex = DaskExecutor(address=cluster.address)
    try:
        handle = start(spec, db=db_url, executor=ex, on_event=on_event)
        assert done.wait(60), "no task finished"
        with _client(cluster) as client:
            w2 = next(a for a, w in client.scheduler_info()["workers"].items() if w["name"] == "w2")
            wait_until(lambda: client.processing().get(w2), what="w2 running a task")
        cluster.kill_worker("w2")
        result = handle.wait(120)
    finally:
        ex.shutdown(cancel=True)
        cluster.stop()
    assert result is not None and result.status == "succeeded", result and result.error
    assert result.outputs["sum"] == sum(i * i for i in range(n))
    assert all(t.status == "succeeded" for t in result.tasks.values())
    assert sum(result.outputs["bell"].values()) == 512
    counts = result.outputs["ghz"]["counts"]
    expected = sum((-1) ** k.count("1") * v for k, v in counts.items()) / 256
    assert result.outputs["ghz_parity"] == pytest.approx(expected)


@pytest.mark.slow
def test_dask_giving_up_on_a_worker_becomes_an_engine_retry(tmp_path: Path, db_url: str) -> None:
    # allowed-failures=0: the first worker death makes Dask raise KilledWorker at once.
    cluster = start_cluster(
        tmp_path,
        workers={"w1": "", "w2": ""},
        scheduler_env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"},
    )
    marker = tmp_path / "died-once"
    spec = {
        "name": "crash",
        "policies": {"retry_backoff_s": 0},
        "tasks": [
            {
                "kind": "classical",
                "id": "c",
                "fn": f"{FNS}:crash_once",
                "inputs": {"path": str(marker)},
                "retries": 1,
            }
        ],
    }
    ex = DaskExecutor(address=cluster.address)
    try:
        result = run(spec, db=db_url, executor=ex)
    finally:
        ex.shutdown(cancel=True)
        cluster.stop()
    assert result.status == "succeeded", result.error
    assert result.tasks["c"].attempts == 2
    assert result.outputs["c"] == "survived"
    events = open_db(db_url).events_since(result.id)
    errors = [str(e.data.get("error")) for e in events if e.data.get("status") == "retrying"]
    assert any("its Dask worker was lost" in err for err in errors), errors
