"""Dask overhead: a 1,000-task fan-out through QuantumFlow vs raw ``client.submit``, same cluster.

Both sides run the same graph (root -> N leaves -> sink, trivial bodies) on the same real
cluster (a ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, started here
unless ``--address`` names one). QuantumFlow adds validation, the Rust plan and dispatcher,
a store record per state change (SQLite), and pulls every output once to record it.

Usage: ``python benchmarks/dask_bench.py [--quick] [--address tcp://HOST:PORT]``.
The harness imports ``run_dask_benchmark(quick) -> dict``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FN = "benchmarks.dask_bench:work"


def work(**inputs: Any) -> int:
    """The trivial task body (both sides call it through ``call_function``)."""
    return sum(inputs.values()) + 1


def fanout_spec(n: int, concurrency: int) -> dict[str, Any]:
    leaves = [
        {"id": f"t{i}", "kind": "classical", "fn": FN, "inputs": {"x": {"ref": "root"}}}
        for i in range(n)
    ]
    sink = {"id": "sink", "kind": "classical", "fn": FN, "depends_on": [t["id"] for t in leaves]}
    root = {"id": "root", "kind": "classical", "fn": FN}
    return {
        "name": f"fanout{n}",
        "policies": {"max_concurrency": concurrency},
        "tasks": [root, *leaves, sink],
    }


def _raw(client: Any, n: int) -> float:
    from quantumflow.executors.base import call_function

    t0 = time.perf_counter()
    root = client.submit(call_function, FN, {}, pure=False)
    leaves = [client.submit(call_function, FN, {"x": root}, pure=False) for _ in range(n)]
    values = client.gather(leaves)  # QuantumFlow pulls every output too, to record it
    sink = client.submit(call_function, FN, {}, pure=False)
    sink.result()
    elapsed = time.perf_counter() - t0
    assert values == [2] * n
    return elapsed


def _quantumflow(executor: Any, spec: dict[str, Any], db: Any) -> float:
    from quantumflow.engine import run
    from quantumflow.spec.loader import load_spec

    parsed = load_spec(spec)  # parsing is not dispatch overhead
    t0 = time.perf_counter()
    result = run(parsed, db=db, executor=executor)
    elapsed = time.perf_counter() - t0
    assert result.status == "succeeded", result.error
    assert all(result.outputs[f"t{i}"] == 2 for i in range(len(parsed.tasks) - 2))
    return elapsed


def run_dask_benchmark(
    quick: bool = False, *, address: str | None = None, concurrency: int = 64
) -> dict[str, Any]:
    """Run both sides ``repeat`` times, interleaved; return medians and the overhead ratio."""
    sys.path.insert(0, str(ROOT))
    from quantumflow.engine import open_db
    from quantumflow.executors.dask_executor import DaskExecutor

    n, repeat = (200, 2) if quick else (1000, 3)
    with tempfile.TemporaryDirectory() as tmp:
        cluster = None
        if address is None:
            from tests.executors.dask_cluster import start_cluster

            cluster = start_cluster(Path(tmp), workers={"w1": "", "w2": ""}, nthreads=2)
            address = cluster.address
        try:
            ex = DaskExecutor(address=address)
            store = open_db(f"sqlite:///{Path(tmp) / 'bench.db'}")
            spec = fanout_spec(n, concurrency)
            _quantumflow(ex, fanout_spec(4, concurrency), store)  # warm imports on workers
            _raw(ex.client, 4)
            qf_times, raw_times = [], []
            for _ in range(repeat):
                raw_times.append(_raw(ex.client, n))
                qf_times.append(_quantumflow(ex, spec, store))
            threads = ex.workers
            ex.shutdown()
            store.close()
        finally:
            if cluster is not None:
                cluster.stop()
    qf, raw = statistics.median(qf_times), statistics.median(raw_times)
    return {
        "tasks": n + 2,
        "workers": 2,
        "threads": threads,
        "max_concurrency": concurrency,
        "runs": repeat,
        "quantumflow_s": qf,
        "raw_submit_s": raw,
        "quantumflow_ms_per_task": qf / (n + 2) * 1e3,
        "raw_ms_per_task": raw / (n + 2) * 1e3,
        "overhead_ratio": qf / raw,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 tasks, 2 runs")
    parser.add_argument("--address", default=None, help="use this scheduler instead")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    out = run_dask_benchmark(args.quick, address=args.address, concurrency=args.concurrency)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
