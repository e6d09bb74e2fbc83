"""Variational-eigensolver steps: Pauli Hamiltonians, exact energies, sweep energies, and a
quantum objective for ``minimize``.

A Hamiltonian is a mapping ``{pauli string: coefficient}`` with terms like ``"Z0 Z1"``,
``"X0 X1"`` or ``"I"`` (the identity), qubit 0 being the rightmost bit of a bitstring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

_PAULI = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}


def _terms(term: str) -> dict[int, str]:
    ops: dict[int, str] = {}
    for part in term.split():
        if part == "I":
            continue
        if part[0] not in "XYZI" or not part[1:].isdigit():
            raise ValueError(f"bad Pauli term '{part}' in '{term}' (write e.g. 'X0 Y1 Z2')")
        if part[0] != "I":
            ops[int(part[1:])] = part[0]
    return ops


def hamiltonian_matrix(hamiltonian: Mapping[str, float], n_qubits: int) -> np.ndarray[Any, Any]:
    """The dense ``2^n x 2^n`` matrix of a Pauli-sum Hamiltonian (qubit 0 least significant)."""
    dim = 2**n_qubits
    total = np.zeros((dim, dim), dtype=complex)
    for term, coeff in hamiltonian.items():
        ops = _terms(term)
        if any(q >= n_qubits for q in ops):
            raise ValueError(f"term '{term}' acts outside {n_qubits} qubits")
        mat = np.eye(1, dtype=complex)
        for q in reversed(range(n_qubits)):  # kron from the most significant qubit down
            mat = np.kron(mat, _PAULI[ops.get(q, "I")])
        total += float(coeff) * mat
    return total


def exact_ground_energy(hamiltonian: Mapping[str, float], n_qubits: int) -> float:
    """The lowest eigenvalue, by exact diagonalisation (numpy ``eigvalsh``)."""
    return float(np.linalg.eigvalsh(hamiltonian_matrix(hamiltonian, n_qubits))[0])


def energy(expectations: Mapping[str, float], hamiltonian: Mapping[str, float]) -> float:
    """``sum(c * <P>)`` from measured expectation values (the identity counts as 1)."""
    total = 0.0
    for term, coeff in hamiltonian.items():
        if not _terms(term):
            total += float(coeff)
        elif term in expectations:
            total += float(coeff) * float(expectations[term])
        else:
            raise ValueError(f"no expectation value for Hamiltonian term '{term}'")
    return total


def observables(hamiltonian: Mapping[str, float]) -> list[str]:
    """The non-identity terms: what a quantum task must measure."""
    return [term for term in hamiltonian if _terms(term)]


def energy_from_sweep(sweep: Mapping[str, Any], hamiltonian: Mapping[str, float]) -> dict[str, Any]:
    """Energy at every point of a sweep output, and the lowest one.

    Returns:
        ``{"points": [...], "energies": [...], "best": {"point": {...}, "energy": float},
        "x0": [...]}``; ``x0`` lists the best point's values in order, ready to start
        ``minimize`` from.
    """
    data = sweep.get("sweep", sweep)
    points: Sequence[Mapping[str, Any]] = data["points"]
    energies = [energy(r.get("expectations") or {}, hamiltonian) for r in data["results"]]
    i = int(np.argmin(energies))
    return {
        "points": [dict(p) for p in points],
        "energies": energies,
        "best": {"point": dict(points[i]), "energy": energies[i]},
        "x0": [float(v) for v in points[i].values()],
    }


def pauli_energy(
    x: Sequence[float],
    *,
    hamiltonian: Mapping[str, float],
    backend: str,
    circuit: Mapping[str, Any],
    param_names: Sequence[str],
    shots: int | None = None,
    seed: int | None = None,
) -> float:
    """⟨H⟩ of ``circuit`` with its parameters ``param_names`` set to ``x``, run on ``backend``.

    This is the objective ``minimize`` calls at each step of a VQE loop: every evaluation is
    one real circuit execution through QuantumFlow's backends.
    """
    from ..backends import execute_quantum_task
    from ..spec import QuantumTask

    if len(x) != len(param_names):
        raise ValueError(f"got {len(x)} values for {len(param_names)} parameters")
    task = QuantumTask(
        id="vqe_objective",
        backend=backend,
        circuit=dict(circuit),
        shots=shots,
        seed=seed,
        observables=observables(hamiltonian),
    )
    values = {name: float(v) for name, v in zip(param_names, x, strict=True)}
    result = execute_quantum_task(task, inputs=values)
    return energy(result.get("expectations") or {}, hamiltonian)
