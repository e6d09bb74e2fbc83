"""Every SDK converter against an exact statevector, on the public mqt.bench suite.

Path under test: mqt.bench circuit -> Qiskit's QASM 2 export -> OUR parser -> IR ->
each SDK's circuit -> that SDK's statevector. Truth: Qiskit's Statevector of the
original circuit object (no QASM involved)."""

from __future__ import annotations

import numpy as np
import pytest

from quantumflow.circuits import parse_qasm
from quantumflow.circuits.reference import statevector

BENCHMARKS = [
    "ghz",
    "qft",
    "dj",
    "grover",
    "qpeexact",
    "wstate",
    "randomcircuit",
    "graphstate",
    "vqe_real_amp",
    "ae",
]
N = 4


def _bench(name: str):
    from mqt.bench import BenchmarkLevel, get_benchmark
    from qiskit import transpile

    qc = get_benchmark(name, BenchmarkLevel.ALG, N)
    # unroll mqt's composite gates (Oracle, Q, qft, ...) into library gates QASM 2 can name
    return transpile(
        qc,
        basis_gates=[
            "u",
            "cx",
            "cp",
            "rccx",
            "ccx",
            "ch",
            "cswap",
            "swap",
            "ry",
            "rz",
            "h",
            "x",
            "cz",
            "t",
            "sx",
            "c3sx",
            "ccz",
            "rzz",
            "rx",
        ],
        optimization_level=0,
    )


def _truth(qc) -> np.ndarray:
    from qiskit.quantum_info import Statevector

    return Statevector(qc.remove_final_measurements(inplace=False)).data


def _same_state(a: np.ndarray, b: np.ndarray) -> bool:
    return abs(abs(np.vdot(a, b)) - 1.0) < 1e-6


@pytest.fixture(scope="module", params=BENCHMARKS)
def case(request: pytest.FixtureRequest):
    from qiskit import qasm2

    qc = _bench(request.param)
    return parse_qasm(qasm2.dumps(qc)), _truth(qc)


def test_reference_simulator(case) -> None:
    ir, truth = case
    assert _same_state(statevector(ir.without_measurements()), truth)


def test_qiskit_conversion(case) -> None:
    from qiskit.quantum_info import Statevector

    from quantumflow.backends.to_qiskit import to_qiskit

    ir, truth = case
    qc, _ = to_qiskit(ir.without_measurements())
    assert _same_state(Statevector(qc).data, truth)


def test_cirq_conversion(case) -> None:
    import cirq

    from quantumflow.backends.to_cirq import to_cirq

    ir, truth = case
    qubits = cirq.LineQubit.range(ir.num_qubits)
    state = cirq.final_state_vector(
        to_cirq(ir.without_measurements()), qubit_order=qubits[::-1], dtype=np.complex128
    )
    assert _same_state(state, truth)


@pytest.mark.parametrize("device", ["default.qubit", "lightning.qubit"])
def test_pennylane_conversion(case, device: str) -> None:
    import pennylane as qml

    from quantumflow.backends.pennylane_backend import _little_endian
    from quantumflow.backends.to_pennylane import apply_ops

    ir, truth = case

    @qml.qnode(qml.device(device, wires=ir.num_qubits))
    def state():
        apply_ops(ir.without_measurements(), {}, mid_circuit=False)
        return qml.state()

    assert _same_state(_little_endian(state(), ir.num_qubits), truth)
