"""Quantum execution at scale (issue 21), each ratio measured in one run, interleaved.

- Q4: N independent 4-qubit random-circuit tasks (1,000 shots, unseeded) through
  ``quantumflow.run`` (batching on, and off) vs one native batch of the same N circuits in
  the SDK (Aer: ``transpile`` of the list + one ``AerSimulator.run``; qsim:
  ``QSimSimulator.run_batch``; PennyLane lightning: one ``qml.execute`` over tapes), and vs
  a plain loop of N direct SDK calls (what a script does without a batch API).
- Q5: N independent tasks on ``qiskit.ibm:fake_manila`` in qiskit-ibm-runtime's local
  testing mode: how many Runtime jobs were created (distinct job ids over the outputs), in
  which execution mode, and the time.

Usage: ``python benchmarks/batch_bench.py [--quick] [--only q4,q5] [--json out.json]``
(``--quick``: 200 tasks and one repetition).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHOTS = 1000
SDKS = {"aer": "qiskit.aer", "qsim": "cirq.qsim", "lightning": "pennylane:lightning.qubit"}


def circuits(n: int) -> list[Any]:
    """N distinct 4-qubit random circuits (QuantumFlow IR)."""
    from quantumflow.circuits import generate

    return [generate("random", {"n": 4, "depth": 8, "seed": i}) for i in range(n)]


def spec(backend: str, irs: list[Any], *, batching: bool) -> Any:
    from quantumflow.circuits import to_qasm3
    from quantumflow.spec.loader import load_spec

    tasks = [
        {"id": f"q{i}", "kind": "quantum", "backend": backend, "circuit": {"qasm": to_qasm3(c)},
         "shots": SHOTS, "cache": False}
        for i, c in enumerate(irs)
    ]  # fmt: skip
    return load_spec(
        {"name": "q4", "policies": {"max_concurrency": 4, "batching": batching}, "tasks": tasks}
    )


def engine(backend: str, irs: list[Any], db: str, *, batching: bool) -> Callable[[], float]:
    from quantumflow.engine import run

    parsed = spec(backend, irs, batching=batching)  # parsing is not execution

    def go() -> float:
        t0 = time.perf_counter()
        result = run(parsed, db=db)
        elapsed = time.perf_counter() - t0
        assert result.status == "succeeded", result.error
        assert all(sum(o["counts"].values()) == SHOTS for o in result.outputs.values())
        return elapsed

    return go


def aer(irs: list[Any]) -> tuple[Callable[[], float], Callable[[], float]]:
    """(one native batch, a plain loop) on Aer, from qiskit circuits a user would have."""
    from qiskit import transpile
    from qiskit_aer import AerSimulator

    from quantumflow.backends.to_qiskit import to_qiskit

    sim = AerSimulator(max_parallel_threads=os.cpu_count() or 1)
    qcs = [to_qiskit(c)[0] for c in irs]

    def native() -> float:
        t0 = time.perf_counter()
        result = sim.run(transpile(qcs, backend=sim, optimization_level=1), shots=SHOTS).result()
        assert len(result.results) == len(qcs)
        return time.perf_counter() - t0

    def loop() -> float:
        t0 = time.perf_counter()
        for qc in qcs:
            sim.run(transpile(qc, backend=sim, optimization_level=1), shots=SHOTS).result()
        return time.perf_counter() - t0

    return native, loop


def qsim(irs: list[Any]) -> tuple[Callable[[], float], Callable[[], float]]:
    import qsimcirq

    from quantumflow.backends.to_cirq import to_cirq

    sim = qsimcirq.QSimSimulator(qsimcirq.QSimOptions(cpu_threads=os.cpu_count() or 1))
    cs = [to_cirq(c) for c in irs]

    def native() -> float:
        t0 = time.perf_counter()
        out = sim.run_batch(cs, repetitions=SHOTS)
        assert len(out) == len(cs)
        return time.perf_counter() - t0

    def loop() -> float:
        t0 = time.perf_counter()
        for c in cs:
            sim.run(c, repetitions=SHOTS)
        return time.perf_counter() - t0

    return native, loop


def lightning(irs: list[Any]) -> tuple[Callable[[], float], Callable[[], float]]:
    import pennylane as qml

    from quantumflow.backends.to_pennylane import apply_ops

    dev = qml.device("lightning.qubit", wires=4)

    def tape(c: Any) -> Any:
        with qml.queuing.AnnotatedQueue() as q:
            apply_ops(c, {}, mid_circuit=False)
            qml.counts(wires=range(4))
        return qml.tape.QuantumScript.from_queue(q, shots=SHOTS)

    def native() -> float:
        t0 = time.perf_counter()
        out = qml.execute([tape(c) for c in irs], dev)
        assert len(out) == len(irs)
        return time.perf_counter() - t0

    def loop() -> float:
        t0 = time.perf_counter()
        for c in irs:

            @qml.set_shots(shots=SHOTS)
            @qml.qnode(dev)
            def fn(c: Any = c) -> Any:
                apply_ops(c, {}, mid_circuit=False)
                return qml.counts(wires=range(4))

            fn()
        return time.perf_counter() - t0

    return native, loop


def q4(quick: bool, tmp: Path) -> dict[str, Any]:
    n, repeat = (200, 1) if quick else (1000, 2)
    irs = circuits(n)
    natives = {"aer": aer, "qsim": qsim, "lightning": lightning}
    out: dict[str, Any] = {"q4_tasks": n, "q4_shots": SHOTS, "q4_repeat": repeat}
    for name, backend in SDKS.items():
        db = f"sqlite:///{tmp / f'q4-{name}.db'}"
        on = engine(backend, irs, db, batching=True)
        off = engine(backend, irs, db, batching=False)
        native, loop = natives[name](irs)
        on(), native()  # warm: SDK worker, imports, pass managers, JIT caches
        times: dict[str, list[float]] = {"engine": [], "native": [], "loop": [], "off": []}
        for _ in range(repeat):
            times["native"].append(native())
            times["engine"].append(on())
        times["off"].append(off())
        times["loop"].append(loop())
        med = {k: statistics.median(v) for k, v in times.items()}
        out.update(
            {
                f"q4_{name}_engine_s": med["engine"],
                f"q4_{name}_native_s": med["native"],
                f"q4_{name}_engine_unbatched_s": med["off"],
                f"q4_{name}_loop_s": med["loop"],
                f"q4_{name}_ratio": med["engine"] / med["native"],
                f"q4_{name}_unbatched_ratio": med["off"] / med["native"],
                f"q4_{name}_speedup_vs_loop": med["loop"] / med["engine"],
            }
        )
        log(f"Q4 {name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in med.items()))
    return out


def q5(quick: bool, tmp: Path) -> dict[str, Any]:
    from quantumflow.engine import run

    n = 200 if quick else 1000
    irs = circuits(n)
    out: dict[str, Any] = {"q5_tasks": n}
    for batching in (True, False):
        parsed = spec("qiskit.ibm:fake_manila", irs, batching=batching)
        t0 = time.perf_counter()
        result = run(parsed, db=f"sqlite:///{tmp / 'q5.db'}")
        elapsed = time.perf_counter() - t0
        assert result.status == "succeeded", result.error
        metas = [o["metadata"] for o in result.outputs.values()]
        tag = "batched" if batching else "unbatched"
        out[f"q5_{tag}_jobs"] = len({m["job_id"] for m in metas})
        out[f"q5_{tag}_modes"] = sorted({m["runtime_mode"] for m in metas})
        out[f"q5_{tag}_s"] = elapsed
        log(f"Q5 batching={batching}: {out[f'q5_{tag}_jobs']} jobs in {elapsed:.1f} s")
        if quick:
            break
    from quantumflow.backends import get_backend

    out["q5_max_pubs_per_job"] = get_backend("qiskit.ibm:fake_manila").max_pubs()  # type: ignore[attr-defined]
    return out


def log(text: str) -> None:
    sys.stderr.write(text + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 tasks, one repetition")
    parser.add_argument("--only", default="q4,q5")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    out: dict[str, Any] = {
        "cores": os.cpu_count(), "load_before": os.getloadavg()[0], "quick": args.quick,
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for part in args.only.split(","):
            out.update({"q4": q4, "q5": q5}[part.strip()](args.quick, Path(tmp)))
    out["load_after"] = os.getloadavg()[0]
    text = json.dumps(out, indent=2)
    if args.json:
        args.json.write_text(text + "\n")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
