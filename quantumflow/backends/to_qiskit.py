"""IR → ``qiskit.QuantumCircuit`` (imports Qiskit; only adapters and tests import this)."""

from __future__ import annotations

import math
from typing import Any

from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
from qiskit.circuit import Parameter
from qiskit.circuit.library import C3SXGate, C3XGate, C4XGate

from ..circuits.ir import Angle, Circuit, Expr

_MULTI = {"c3x": C3XGate, "c4x": C4XGate, "c3sqrtx": C3SXGate}


def _fn(name: str) -> Any:
    def apply(x: Any) -> Any:
        return getattr(x, name)() if hasattr(x, name) else getattr(math, name)(x)

    return apply


_FUNCS = {n: _fn(n) for n in ("sin", "cos", "tan", "exp", "arcsin", "arccos", "arctan")}
_FUNCS.update(
    asin=_FUNCS["arcsin"], acos=_FUNCS["arccos"], atan=_FUNCS["arctan"], ln=_fn("log"),
    sqrt=lambda x: x**0.5,
)  # fmt: skip


def to_qiskit(circuit: Circuit) -> tuple[QuantumCircuit, dict[str, Parameter]]:
    """Build the Qiskit circuit; free angles become ``Parameter`` objects (returned by name).

    Classical registers keep their names and order, so Qiskit's count keys (registers
    joined, last register leftmost) are already "classical bit 0 is rightmost".
    """
    qreg = QuantumRegister(circuit.num_qubits, "q")
    cregs = [ClassicalRegister(r.size, r.name) for r in circuit.cregs if r.size]
    covered = sum(r.size for r in circuit.cregs)
    if covered < circuit.num_clbits:
        cregs.append(ClassicalRegister(circuit.num_clbits - covered, "c_extra"))
    qc = QuantumCircuit(qreg, *cregs)
    params = {name: Parameter(name) for name in sorted(circuit.free_parameters())}
    by_bits = {
        tuple(range(r.start, r.start + r.size)): reg
        for r, reg in zip(circuit.cregs, cregs, strict=False)
    }

    def angle(a: Angle) -> Any:
        return a.evaluate(params, _FUNCS) if isinstance(a, Expr) else a

    for op in circuit.ops:
        if op.condition is None:
            _append(qc, op.name, [angle(p) for p in op.params], op.qubits, op.clbits)
            continue
        bits = op.condition.clbits
        target: Any = by_bits.get(bits) or (qc.clbits[bits[0]] if len(bits) == 1 else None)
        if target is None:
            target = ClassicalRegister(bits=[qc.clbits[b] for b in bits])
            qc.add_register(target)
            by_bits[bits] = target
        with qc.if_test((target, op.condition.value)):
            _append(qc, op.name, [angle(p) for p in op.params], op.qubits, op.clbits)
    return qc, params


def _append(
    qc: QuantumCircuit,
    name: str,
    params: list[Any],
    qubits: tuple[int, ...],
    clbits: tuple[int, ...],
) -> None:
    if name == "measure":
        qc.measure(qubits[0], clbits[0])
    elif name == "barrier":
        qc.barrier(*qubits)
    elif name == "reset":
        qc.reset(qubits[0])
    elif name in _MULTI:
        qc.append(_MULTI[name](), list(qubits))
    else:
        getattr(qc, name)(*params, *qubits)
