"""Folding by mitiq over the IR: the folded circuit is the same unitary, scaled in length,
and symbolic angles survive (they are bound later from task inputs)."""

from __future__ import annotations

import numpy as np
import pytest

from quantumflow.circuits.qasm import parse_qasm
from quantumflow.errors import UnsupportedFeatureError
from quantumflow.mitigation.folding import fold, foldable_part, inverse_op

QASM = """OPENQASM 3.0;
include "stdgates.inc";
input float theta;
qubit[3] q;
bit[3] c;
h q[0];
ry(theta) q[1];
u(0.3, 0.2, 0.1) q[2];
cx q[0], q[1];
cp(0.7) q[1], q[2];
s q[0];
t q[2];
sx q[1];
rzz(0.4) q[0], q[2];
c = measure q;
"""


def _unitary(circuit, theta: float) -> np.ndarray:
    from qiskit.quantum_info import Operator

    from quantumflow.backends.to_qiskit import to_qiskit

    qc, _params = to_qiskit(circuit.bind({"theta": theta}))
    return Operator(qc).data


@pytest.mark.parametrize("method", ["global", "gates_at_random"])
@pytest.mark.parametrize("scale", [1.0, 2.0, 3.0, 5.0])
def test_folded_circuit_is_the_same_unitary_and_longer(method: str, scale: float) -> None:
    unitary = foldable_part(parse_qasm(QASM))
    folded = fold(unitary, scale, method=method, seed=3)
    assert folded.free_parameters() == {"theta"}
    # mitiq reaches the scale up to rounding of the number of folded gates
    assert len(folded.ops) / len(unitary.ops) == pytest.approx(scale, abs=2 / len(unitary.ops))
    a, b = _unitary(unitary, 0.81), _unitary(folded, 0.81)
    overlap = abs(np.trace(a.conj().T @ b)) / a.shape[0]
    assert overlap == pytest.approx(1.0, abs=1e-9)


def test_every_gate_times_its_inverse_is_identity() -> None:
    from quantumflow.circuits.ir import GATES, Circuit, Op

    for name, (width, nparams) in GATES.items():
        if name == "c3sqrtx":
            with pytest.raises(UnsupportedFeatureError, match="cannot fold"):
                inverse_op(Op(name, tuple(range(width))))
            continue
        op = Op(name, tuple(range(width)), tuple(0.3 + 0.2 * i for i in range(nparams)))
        circuit = Circuit(width, 0, (op, inverse_op(op)))
        u = _unitary(circuit, 0.0)
        assert np.allclose(u, np.eye(1 << width), atol=1e-9), name


def test_mid_circuit_measurement_cannot_be_folded() -> None:
    text = (
        'OPENQASM 2.0; include "qelib1.inc"; qreg q[1]; creg c[1]; h q[0]; '
        "measure q[0] -> c[0]; h q[0];"
    )
    with pytest.raises(UnsupportedFeatureError, match="measurements are all at the end"):
        foldable_part(parse_qasm(text))


def test_bad_scale_or_method_is_refused() -> None:
    unitary = foldable_part(parse_qasm(QASM))
    with pytest.raises(ValueError, match="folding must be one of"):
        fold(unitary, 3, method="sideways")
    with pytest.raises(ValueError, match=">= 1"):
        fold(unitary, 0.5)
