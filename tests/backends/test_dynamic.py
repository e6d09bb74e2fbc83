"""Dynamic circuits (mid-circuit measurement or reset) run in each simulator's fast mode
for them: Aer's shot branching, PennyLane's tree traversal. QASMBench's square_root_n18
(18 qubits, 65 mid-circuit resets, 4,000 shots) must finish in under 30 s and sample the
right distribution."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quantumflow.backends import execute_quantum_task
from quantumflow.spec import QuantumTask

FIXTURE = Path(__file__).parent.parent / "benchmarks" / "fixtures" / "square_root_n18.qasm"
SHOTS = 4000


def exact_distribution() -> dict[str, float]:
    """The circuit's exact outcome probabilities. Each reset acts on an ancilla the
    preceding Toffoli ladder has returned to |0>, so dropping the resets leaves a circuit
    with terminal measurements and the same distribution, simulated exactly here."""
    text = "\n".join(
        line for line in FIXTURE.read_text().splitlines() if not line.startswith("reset")
    )
    task = QuantumTask(id="exact", backend="qiskit.aer", circuit={"qasm": text}, shots=None)
    out = execute_quantum_task(task, inputs={})
    return {k: float(v) for k, v in out["probabilities"].items()}


@pytest.fixture(scope="module")
def exact() -> dict[str, float]:
    return exact_distribution()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["qiskit.aer", "pennylane:lightning.qubit"])
def test_square_root_n18_is_fast_and_right(backend: str, exact: dict[str, float]) -> None:
    task = QuantumTask(
        id="sqrt", backend=backend, circuit={"qasm": FIXTURE.read_text()}, shots=SHOTS, seed=7
    )
    t0 = time.perf_counter()
    out = execute_quantum_task(task, inputs={})
    elapsed = time.perf_counter() - t0
    assert elapsed < 30, f"{backend} took {elapsed:.1f} s"
    counts = out["counts"]
    assert sum(counts.values()) == SHOTS
    # total variation distance between the sample and the exact distribution
    keys = set(counts) | set(exact)
    tvd = 0.5 * sum(abs(counts.get(k, 0) / SHOTS - exact.get(k, 0.0)) for k in keys)
    assert tvd < 0.02, f"{backend}: distance {tvd:.3f} from the exact distribution"
    assert max(counts, key=counts.__getitem__) == max(exact, key=exact.__getitem__)
