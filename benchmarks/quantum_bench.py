"""Quantum backend benchmarks (issue 4), each ratio measured in one run against the SDK.

- Q1: 20-qubit non-Clifford circuit, engine (execute_quantum_task) vs a direct
  pre-transpiled AerSimulator.run — ratio (target ≤ 1.05); and small circuits (4-12
  qubits): fixed cost per task above the direct pre-transpiled call (target ≤ 1 ms).
  Measured twice: in-process (``q1_*``) and through the warm SDK worker process the engine
  routes quantum tasks to (``q1w_*``: pipe round trip and worker included).
- Q2: a 200-point sweep (expectation values) vs the SDK's best native batch (Aer
  EstimatorV2 with a parameter array; target ≤ 1.10x) and vs 200 separate tasks (≥ 5x).
- Q3: a repeated identical task served from the store's content-addressed cache vs
  executing it (target ≥ 100x).

Usage: ``python benchmarks/quantum_bench.py [--quick] [--json out.json]``. The harness
imports :func:`run_quantum_benchmarks`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from quantumflow.backends import execute_quantum_task, quantum_cache_key
from quantumflow.backends.to_qiskit import to_qiskit
from quantumflow.circuits import generate, to_qasm3
from quantumflow.spec import QuantumTask


def _median(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm: imports, transpile cache, allocator
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _paired(a: Callable[[], Any], b: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Medians of ``a`` and ``b`` timed alternately, so machine load hits both alike."""
    a()
    b()
    ta, tb = [], []
    for _ in range(repeat):
        for fn, acc in ((a, ta), (b, tb)):
            start = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - start)
    return statistics.median(ta), statistics.median(tb)


def _direct_aer(qasm: str, shots: int, seed: int) -> Callable[[], Any]:
    from qiskit import transpile
    from qiskit_aer import AerSimulator

    from quantumflow.circuits import parse_qasm

    sim = AerSimulator()
    qc, _ = to_qiskit(parse_qasm(qasm))
    tqc = transpile(qc, backend=sim, optimization_level=1, seed_transpiler=seed)
    return lambda: sim.run(tqc, shots=shots, seed_simulator=seed).result().get_counts()


def q1(quick: bool) -> dict[str, Any]:
    """Engine vs direct Aer: 20-qubit ratio and small-circuit fixed cost."""
    out: dict[str, Any] = {}
    big = to_qasm3(generate("random", {"n": 20, "depth": 12, "seed": 1}))
    task = QuantumTask(id="q1", backend="qiskit.aer", circuit={"qasm": big}, shots=1000, seed=1)
    rep = 3 if quick else 7
    engine, direct = _paired(
        lambda: execute_quantum_task(task, inputs={}), _direct_aer(big, 1000, 1), rep
    )
    out["q1_20q_engine_s"] = engine
    out["q1_20q_direct_s"] = direct
    out["q1_20q_ratio"] = engine / direct
    for n in (4, 8, 12):
        qasm = to_qasm3(generate("random", {"n": n, "depth": 8, "seed": n}))
        t = QuantumTask(id="q1s", backend="qiskit.aer", circuit={"qasm": qasm}, shots=256, seed=2)
        rep = 50 if quick else 300
        e, d = _paired(
            lambda t=t: execute_quantum_task(t, inputs={}), _direct_aer(qasm, 256, 2), rep
        )
        out[f"q1_{n}q_fixed_cost_ms"] = (e - d) * 1e3
        out[f"q1_{n}q_direct_ms"] = d * 1e3
    out.update(q1_worker(quick, big))
    return out


def q1_worker(quick: bool, big: str) -> dict[str, Any]:
    """Q1 through a warm qiskit worker process (what the engine does) vs direct Aer."""
    from quantumflow.config import default_quantum_workers
    from quantumflow.executors.sdk_workers import SdkWorkerPool

    out: dict[str, Any] = {}
    # the engine's default pool; a call alone gets every core
    with SdkWorkerPool(sdks=("qiskit",), per_sdk=default_quantum_workers()) as pool:
        pool.warm()
        task = QuantumTask(id="q1", backend="qiskit.aer", circuit={"qasm": big}, shots=1000, seed=1)
        engine, direct = _paired(
            lambda: pool.execute(task, inputs={}), _direct_aer(big, 1000, 1), 3 if quick else 7
        )
        out["q1w_20q_ratio"] = engine / direct
        for n in (4, 8, 12):
            qasm = to_qasm3(generate("random", {"n": n, "depth": 8, "seed": n}))
            t = QuantumTask(id="s", backend="qiskit.aer", circuit={"qasm": qasm}, shots=256, seed=2)
            e, d = _paired(
                lambda t=t: pool.execute(t, inputs={}),
                _direct_aer(qasm, 256, 2),
                50 if quick else 300,
            )
            out[f"q1w_{n}q_fixed_cost_ms"] = (e - d) * 1e3
    return out


def q2(quick: bool) -> dict[str, Any]:
    """200-point expectation sweep: engine vs native EstimatorV2 batch vs 200 tasks."""
    from qiskit import transpile
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_aer import AerSimulator
    from qiskit_aer.primitives import EstimatorV2

    n, layers, points = 4, 2, 200
    circuit = generate("hardware_efficient", {"n": n, "layers": layers, "measure": False})
    names = list(circuit.parameters)
    rng = np.random.default_rng(0)
    fixed = {
        nm: float(v) for nm, v in zip(names[1:], rng.uniform(-1, 1, len(names) - 1), strict=True)
    }
    grid = [float(x) for x in np.linspace(0, np.pi, points)]
    spec = {"builtin": "hardware_efficient", "args": {"n": n, "layers": layers, "measure": False}}
    sweep_task = QuantumTask(
        id="q2", backend="qiskit.aer", circuit=spec, shots=None, seed=3,
        observables=["Z0 Z1"], sweep={names[0]: grid},
    )  # fmt: skip
    one_task = QuantumTask(
        id="q2one", backend="qiskit.aer", circuit=spec, shots=None, seed=3, observables=["Z0 Z1"]
    )
    qc, _ = to_qiskit(circuit)
    tqc = transpile(qc, backend=AerSimulator(), optimization_level=1, seed_transpiler=3)
    order = [p.name for p in tqc.parameters]
    values = np.array([[{**fixed, names[0]: g}[nm] for nm in order] for g in grid])
    obs = SparsePauliOp("IIZZ")

    def native() -> Any:
        est = EstimatorV2(options={"default_precision": 0.0, "run_options": {"seed": 3}})
        return est.run([(tqc, obs, values)]).result()[0].data.evs

    def separate() -> None:
        for g in grid:
            execute_quantum_task(one_task, inputs={**fixed, names[0]: g})

    rep = 5 if quick else 15
    engine, direct = _paired(lambda: execute_quantum_task(sweep_task, inputs=fixed), native, rep)
    apart = _median(separate, 1 if quick else 3)
    return {
        "q2_sweep_engine_s": engine,
        "q2_sweep_native_s": direct,
        "q2_sweep_separate_s": apart,
        "q2_engine_vs_native": engine / direct,
        "q2_separate_vs_engine": apart / engine,
    }


def q3(quick: bool) -> dict[str, Any]:
    """Cache hit (key + store lookup + load) vs executing the same task."""
    from quantumflow.store import open_store

    qasm = to_qasm3(generate("random", {"n": 14, "depth": 10, "seed": 4}))
    task = QuantumTask(id="q3", backend="qiskit.aer", circuit={"qasm": qasm}, shots=4000, seed=4)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        key = quantum_cache_key(task, inputs={})
        store.cache_store(key, store.put_output(execute_quantum_task(task, inputs={})))

        def hit() -> Any:
            ref = store.cache_lookup(quantum_cache_key(task, inputs={}))
            assert ref is not None
            return store.get_output(ref)

        rep = 5 if quick else 20
        execute, cached = _paired(lambda: execute_quantum_task(task, inputs={}), hit, rep)
        store.close()
        # a hit in a fresh process: the memo is empty, one indexed query + one JSON decode
        colds = []
        for _ in range(rep):
            with open_store(f"sqlite:///{Path(tmp) / 'bench.db'}") as cold:
                t0 = time.perf_counter()
                ref = cold.cache_lookup(quantum_cache_key(task, inputs={}))
                assert ref is not None
                cold.get_output(ref)
                colds.append(time.perf_counter() - t0)
        cold_s = statistics.median(colds)
    return {
        "q3_execute_s": execute,
        "q3_cache_hit_s": cached,
        "q3_speedup": execute / cached,
        "q3_cold_hit_s": cold_s,
        "q3_cold_speedup": execute / cold_s,
    }


def run_quantum_benchmarks(quick: bool) -> dict[str, Any]:
    """All quantum benchmarks; numbers in seconds / ms / ratios as the keys say."""
    results: dict[str, Any] = {"quick": quick}
    for part in (q1, q2, q3):
        results.update(part(quick))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = run_quantum_benchmarks(args.quick)
    text = json.dumps(results, indent=2)
    if args.json:
        args.json.write_text(text + "\n")
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
