"""IR → PennyLane operations, applied inside a QNode (imports PennyLane; adapters only).

Wires are the integers ``0..n-1``. :func:`apply_ops` queues the gates and returns the
mid-circuit measurement value of every classical bit (for circuits that need them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pennylane as qml

from ..circuits.ir import Angle, Circuit, Expr, Op
from .results import parse_observable

_NP_FUNCS: dict[str, Any] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "ln": np.log,
    "sqrt": np.sqrt, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
}  # fmt: skip

_FIXED: dict[str, Any] = {
    "id": qml.Identity, "x": qml.PauliX, "y": qml.PauliY, "z": qml.PauliZ, "h": qml.Hadamard,
    "s": qml.S, "t": qml.T, "sx": qml.SX, "cx": qml.CNOT, "cy": qml.CY, "cz": qml.CZ,
    "ch": qml.CH, "swap": qml.SWAP, "ccx": qml.Toffoli, "cswap": qml.CSWAP,
    "c3x": qml.MultiControlledX, "c4x": qml.MultiControlledX,
}  # fmt: skip
_ROT: dict[str, Any] = {
    "rx": qml.RX, "ry": qml.RY, "rz": qml.RZ, "p": qml.PhaseShift, "crx": qml.CRX,
    "cry": qml.CRY, "crz": qml.CRZ, "cp": qml.ControlledPhaseShift, "rxx": qml.IsingXX,
    "ryy": qml.IsingYY, "rzz": qml.IsingZZ,
}  # fmt: skip


def apply_ops(circuit: Circuit, values: Mapping[str, Any], *, mid_circuit: bool) -> dict[int, Any]:
    """Queue ``circuit``'s ops (call inside a QNode); ``values`` binds free parameters
    (numpy arrays broadcast). With ``mid_circuit`` measures become ``qml.measure`` and
    conditions ``qml.cond``; returns clbit -> its last measurement value."""
    mvs: dict[int, Any] = {}

    def angle(a: Angle) -> Any:
        return a.evaluate(values, _NP_FUNCS) if isinstance(a, Expr) else a

    for op in circuit.ops:
        params = [angle(p) for p in op.params]
        if op.name == "measure":
            if mid_circuit:
                mvs[op.clbits[0]] = qml.measure(op.qubits[0])
            continue
        if op.name == "reset":
            if mid_circuit:
                qml.measure(op.qubits[0], reset=True)
            continue
        if op.name == "barrier":
            continue
        if op.condition is None:
            _gate(op, params)
        else:
            bits = [(i, b) for i, b in enumerate(op.condition.clbits) if b in mvs]
            if not bits:  # nothing measured yet: the register reads 0
                if op.condition.value == 0:
                    _gate(op, params)
                continue
            word = sum((1 << i) * mvs[b] for i, b in bits)
            qml.cond(word == op.condition.value, lambda o=op, p=params: _gate(o, p))()
    return mvs


def _gate(op: Op, p: list[Any]) -> None:
    w = list(op.qubits)
    name = op.name
    if name in _FIXED:
        _FIXED[name](wires=w)
    elif name in _ROT:
        _ROT[name](p[0], wires=w)
    elif name == "sdg":
        qml.adjoint(qml.S(wires=w))
    elif name == "tdg":
        qml.adjoint(qml.T(wires=w))
    elif name == "sxdg":
        qml.adjoint(qml.SX(wires=w))
    elif name == "u":
        qml.U3(p[0], p[1], p[2], wires=w)
    elif name == "cu":
        qml.PhaseShift(p[3], wires=w[0])
        qml.ctrl(qml.U3(p[0], p[1], p[2], wires=w[1]), control=w[0])
    elif name == "c3sqrtx":
        qml.ctrl(qml.SX(wires=w[3]), control=w[:3])
    else:  # pragma: no cover - GATES is closed
        raise ValueError(f"no PennyLane form for IR gate '{name}'")


def observable(text: str, n: int) -> Any:
    """A Pauli string (``"Z0 Z1"``) as a PennyLane observable on ``n`` wires."""
    ops = {"X": qml.PauliX, "Y": qml.PauliY, "Z": qml.PauliZ}
    terms = parse_observable(text, n)
    if not terms:
        return qml.Identity(0)
    made = [ops[p](q) for q, p in sorted(terms.items())]
    return made[0] if len(made) == 1 else qml.prod(*made)
