"""Exact numpy statevector of an IR circuit: the reference every backend is checked against.

Qubit 0 is the least significant bit of the state index (Qiskit's convention). Only the
unitary part is simulated; measurements, resets and conditions are refused.
"""

from __future__ import annotations

import cmath
import math

import numpy as np
import numpy.typing as npt

from ..errors import UnsupportedFeatureError
from .ir import Circuit, Expr

Matrix = npt.NDArray[np.complex128]

_X: Matrix = np.array([[0, 1], [1, 0]], dtype=np.complex128)
_SX: Matrix = np.array([[1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j]], dtype=np.complex128) / 2


def _u(theta: float, phi: float, lam: float) -> Matrix:
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return np.array(
        [[c, -cmath.exp(1j * lam) * s], [cmath.exp(1j * phi) * s, cmath.exp(1j * (phi + lam)) * c]]
    )


def _controlled(base: Matrix, controls: int) -> Matrix:
    """Controls are the FIRST qubits of the gate (listed first in QASM)."""
    n = base.shape[0]
    dim = n << controls
    out = np.eye(dim, dtype=complex)
    out[dim - n :, dim - n :] = base
    return out


def _pauli_rot(pauli: Matrix, theta: float) -> Matrix:
    out = np.cos(theta / 2) * np.eye(pauli.shape[0]) - 1j * np.sin(theta / 2) * pauli
    return np.asarray(out, dtype=np.complex128)


def gate_matrix(name: str, params: tuple[float, ...]) -> Matrix:  # noqa: PLR0911, PLR0912
    """Matrix of an IR gate, first listed qubit = most significant index bit."""
    p = params
    one = {
        "id": np.eye(2, dtype=complex), "x": _X, "y": np.array([[0, -1j], [1j, 0]]),
        "z": np.diag([1, -1]).astype(complex), "h": np.array([[1, 1], [1, -1]]) / math.sqrt(2),
        "s": np.diag([1, 1j]), "sdg": np.diag([1, -1j]),
        "t": np.diag([1, cmath.exp(0.25j * math.pi)]),
        "tdg": np.diag([1, cmath.exp(-0.25j * math.pi)]), "sx": _SX, "sxdg": _SX.conj().T,
    }  # fmt: skip
    if name in one:
        return np.asarray(one[name], dtype=complex)
    if name == "rx":
        return _u(p[0], -math.pi / 2, math.pi / 2)
    if name == "ry":
        return _u(p[0], 0.0, 0.0)
    if name == "rz":
        return np.diag([cmath.exp(-0.5j * p[0]), cmath.exp(0.5j * p[0])])
    if name == "p":
        return np.diag([1, cmath.exp(1j * p[0])]).astype(complex)
    if name == "u":
        return _u(p[0], p[1], p[2])
    if name in ("cx", "cy", "cz", "ch", "crx", "cry", "crz", "cp"):
        return _controlled(gate_matrix(name[1:], p), 1)
    if name == "cu":
        return _controlled(cmath.exp(1j * p[3]) * _u(p[0], p[1], p[2]), 1)
    if name == "swap":
        return np.eye(4, dtype=complex)[[0, 2, 1, 3]]
    if name in ("rxx", "ryy", "rzz"):
        single = gate_matrix(name[1], ())
        return _pauli_rot(np.asarray(np.kron(single, single), dtype=np.complex128), p[0])
    if name in ("ccx", "c3x", "c4x"):
        return _controlled(_X, {"ccx": 2, "c3x": 3, "c4x": 4}[name])
    if name == "c3sqrtx":
        return _controlled(_SX, 3)
    if name == "cswap":
        return _controlled(gate_matrix("swap", ()), 1)
    raise UnsupportedFeatureError(f"unsupported gate '{name}' in the reference simulator")


def statevector(circuit: Circuit) -> Matrix:
    """The final state of the unitary part of ``circuit`` (barriers and final
    measurements ignored).

    Raises:
        UnsupportedFeatureError: free parameters, resets, conditions, or mid-circuit measures.
    """
    if circuit.free_parameters():
        raise UnsupportedFeatureError("unsupported: unbound parameters in reference simulation")
    if not circuit.measurements_are_terminal():
        raise UnsupportedFeatureError(
            "unsupported: mid-circuit measurement, reset or condition in reference simulation"
        )
    n = circuit.num_qubits
    state = np.zeros((2,) * n, dtype=complex)
    state[(0,) * n] = 1.0
    for op in circuit.ops:
        if op.name in ("measure", "barrier", "reset"):
            continue
        k = len(op.qubits)
        angles = tuple(float(x) for x in op.params if not isinstance(x, Expr))
        mat = gate_matrix(op.name, angles).reshape((2,) * (2 * k))
        # tensor axis for qubit q is n-1-q (qubit 0 = least significant = last axis)
        axes = [n - 1 - q for q in op.qubits]
        state = np.tensordot(mat, state, axes=(list(range(k, 2 * k)), axes))
        state = np.moveaxis(state, list(range(k)), axes)
    return np.asarray(state.reshape(-1), dtype=np.complex128)
