"""VQE library steps against hand-checked values (H2, STO-3G, parity-reduced 2 qubits)."""

from __future__ import annotations

import numpy as np
import pytest

from quantumflow.library.vqe import (
    energy,
    energy_from_sweep,
    exact_ground_energy,
    hamiltonian_matrix,
    observables,
    pauli_energy,
)

H2 = {
    "I": -1.052373245772859,
    "Z0": 0.39793742484318045,
    "Z1": -0.39793742484318045,
    "Z0 Z1": -0.01128010425623538,
    "X0 X1": 0.18093119978423156,
}
ANSATZ = (
    'OPENQASM 3.0; include "stdgates.inc"; input float theta; qubit[2] q;'
    " x q[0]; ry(theta) q[1]; cx q[1], q[0];"
)


def test_exact_ground_energy_of_h2() -> None:
    assert exact_ground_energy(H2, 2) == pytest.approx(-1.857275030, abs=1e-8)


def test_matrix_puts_qubit_0_last() -> None:
    z0 = hamiltonian_matrix({"Z0": 1.0}, 2).real
    assert np.allclose(np.diag(z0), [1, -1, 1, -1])


def test_energy_and_observables() -> None:
    assert observables(H2) == ["Z0", "Z1", "Z0 Z1", "X0 X1"]
    ex = {"Z0": 1.0, "Z1": 1.0, "Z0 Z1": 1.0, "X0 X1": 0.0}
    assert energy(ex, H2) == pytest.approx(-1.052373245772859 - 0.01128010425623538)
    with pytest.raises(ValueError, match="no expectation value"):
        energy({}, H2)
    with pytest.raises(ValueError, match="bad Pauli term"):
        hamiltonian_matrix({"Q0": 1.0}, 1)


def test_energy_from_sweep_picks_the_lowest() -> None:
    sweep = {
        "points": [{"t": 0.0}, {"t": 1.0}],
        "results": [{"expectations": {"Z0": 1.0}}, {"expectations": {"Z0": -1.0}}],
    }
    out = energy_from_sweep({"sweep": sweep}, {"I": 0.5, "Z0": 1.0})
    assert out["energies"] == [1.5, -0.5]
    assert out["best"] == {"point": {"t": 1.0}, "energy": -0.5}


@pytest.mark.slow
def test_pauli_energy_on_pennylane_reaches_the_ground_state() -> None:
    theta = 2 * np.arctan2(-0.1115, 0.9938)  # from the exact ground-state vector
    e = pauli_energy(
        [theta],
        hamiltonian=H2,
        backend="pennylane:default.qubit",
        circuit={"qasm": ANSATZ},
        param_names=["theta"],
    )
    assert e == pytest.approx(exact_ground_energy(H2, 2), abs=1e-4)
