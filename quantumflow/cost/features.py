"""What the time model sees of a quantum task: qubits, gates, Clifford-ness, shots, points.

The same :class:`CircuitFeatures` are built from a task before it runs (its circuit is
loaded, no SDK imported) and from a ``performance_metrics`` row after it ran (the monitor
records qubits, gate counts, shots and sweep size), so calibration samples, history and
new tasks all meet in one feature space.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..spec import QuantumTask

#: Gates a stabilizer simulator handles (Aer's automatic method picks it for these).
CLIFFORD_GATES = frozenset(
    {"id", "x", "y", "z", "h", "s", "sdg", "sx", "sxdg", "cx", "cy", "cz", "swap", "ecr"}
)
_NOT_GATES = frozenset({"measure", "barrier", "reset"})


@dataclass(frozen=True)
class CircuitFeatures:
    """The size of one quantum task.

    Attributes:
        qubits: circuit width.
        gates: unitary gates (measurements, resets and barriers excluded).
        two_qubit: gates on two or more qubits.
        clifford: every gate is a Clifford gate.
        shots: shots per point (0 for exact expectation values).
        points: sweep points run as one batch (1 without a sweep).
    """

    qubits: int
    gates: int
    two_qubit: int
    clifford: bool
    shots: int
    points: int

    def key(self) -> tuple[int, bool, int, int]:
        """Coarse identity used to match similar history rows (gates to ~25 %)."""
        return (self.qubits, self.clifford, self.points, _bucket(self.gates))

    def similar(self, other: CircuitFeatures) -> bool:
        """Same width, Clifford-ness and sweep size; gates and shots within a factor 1.5."""
        return (
            self.key()[:3] == other.key()[:3]
            and _close(self.gates, other.gates, 1.5)
            and _close(self.shots, other.shots, 1.5)
        )


def _bucket(n: int) -> int:
    return round(math.log(max(1, n), 1.25))


def _close(a: int, b: int, factor: float) -> bool:
    lo, hi = sorted((max(1, a), max(1, b)))
    return hi <= lo * factor


def from_counts(
    qubits: int, counts: Mapping[str, int], *, shots: int | None, points: int
) -> CircuitFeatures:
    """Features from a gate-count dict (IR ``gate_counts()`` or a metrics row)."""
    gates = {k: int(v) for k, v in counts.items() if k not in _NOT_GATES}
    two = sum(v for k, v in gates.items() if k.startswith(("c", "swap", "rzz", "rxx", "ecr")))
    return CircuitFeatures(
        qubits=int(qubits),
        gates=sum(gates.values()),
        two_qubit=two,
        clifford=all(k in CLIFFORD_GATES for k in gates),
        shots=int(shots or 0),
        points=max(1, int(points)),
    )


def task_features(task: QuantumTask) -> CircuitFeatures:
    """Features of a quantum task, loading its circuit through the backends' IR.

    Raises:
        BackendError: the circuit cannot be loaded (bad QASM, unknown generator, ...).
    """
    from ..circuits.sources import load_circuit
    from ..circuits.sweeps import expand_sweep

    circuit = load_circuit(task.circuit)
    points = len(expand_sweep(task.sweep)) if task.sweep else 1
    return from_counts(circuit.num_qubits, circuit.gate_counts(), shots=task.shots, points=points)


def row_features(row: Mapping[str, Any]) -> CircuitFeatures | None:
    """Features of a ``performance_metrics`` row, or None when the monitor did not record them."""
    qubits, gates = row.get("qubits"), row.get("gates_before")
    if qubits is None or not isinstance(gates, Mapping):
        return None
    return from_counts(qubits, gates, shots=row.get("shots"), points=row.get("sweep_size") or 1)
