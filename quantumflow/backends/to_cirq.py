"""IR → ``cirq.Circuit`` on ``LineQubit(i)`` (imports Cirq; only adapters and tests do).

Classical bit ``j`` is measurement key ``c{j}``; a bit measured twice keeps its last value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import cirq
import sympy

from ..circuits.ir import Angle, Circuit, Expr, Op

_FUNCS: dict[str, Any] = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp, "ln": sympy.log,
    "sqrt": sympy.sqrt, "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan,
}  # fmt: skip

_FIXED: dict[str, Any] = {
    "id": cirq.I, "x": cirq.X, "y": cirq.Y, "z": cirq.Z, "h": cirq.H, "s": cirq.S,
    "sdg": cirq.S**-1, "t": cirq.T, "tdg": cirq.T**-1, "sx": cirq.X**0.5, "sxdg": cirq.X**-0.5,
    "cx": cirq.CNOT, "cy": cirq.ControlledGate(cirq.Y), "cz": cirq.CZ,
    "ch": cirq.ControlledGate(cirq.H), "swap": cirq.SWAP, "ccx": cirq.CCX, "cswap": cirq.CSWAP,
    "c3x": cirq.ControlledGate(cirq.X, num_controls=3),
    "c4x": cirq.ControlledGate(cirq.X, num_controls=4),
    "c3sqrtx": cirq.ControlledGate(cirq.X**0.5, num_controls=3),
}  # fmt: skip


def clbit_key(j: int) -> str:
    """Measurement key of classical bit ``j``."""
    return f"c{j}"


def to_cirq(circuit: Circuit) -> cirq.Circuit:
    """Build the Cirq circuit; free angles become ``sympy.Symbol`` of the same name."""
    symbols = {name: sympy.Symbol(name) for name in circuit.free_parameters()}
    qubits = cirq.LineQubit.range(circuit.num_qubits)
    ops: list[Any] = []

    def angle(a: Angle) -> Any:
        return a.evaluate(symbols, _FUNCS) if isinstance(a, Expr) else a

    measured: set[int] = set()
    for op in circuit.ops:
        made = _ops_for(op, [angle(p) for p in op.params], [qubits[q] for q in op.qubits])
        if op.condition is not None:
            # bits not measured yet read 0 (registers start zeroed), as in OpenQASM
            bits = [(i, b) for i, b in enumerate(op.condition.clbits) if b in measured]
            word = sum((1 << i) * sympy.Symbol(clbit_key(b)) for i, b in bits)
            if not bits:
                made = made if op.condition.value == 0 else []
            else:
                cond = sympy.Eq(word, op.condition.value)
                made = [m.with_classical_controls(cond) for m in made]
        if op.name == "measure":
            measured.add(op.clbits[0])
        ops.extend(made)
    return cirq.Circuit(ops)


def _ops_for(op: Op, p: list[Any], q: list[Any]) -> list[Any]:  # noqa: PLR0911
    name = op.name
    if name in _FIXED:
        return [_FIXED[name].on(*q)]
    if name == "measure":
        return [cirq.measure(q[0], key=clbit_key(op.clbits[0]))]
    if name == "reset":
        return [cirq.ResetChannel().on(q[0])]
    if name == "barrier":
        return []
    pi = math.pi
    one: dict[str, Callable[[], Any]] = {
        "rx": lambda: cirq.rx(p[0]), "ry": lambda: cirq.ry(p[0]), "rz": lambda: cirq.rz(p[0]),
        "p": lambda: cirq.ZPowGate(exponent=p[0] / pi),
        "rxx": lambda: cirq.XXPowGate(exponent=p[0] / pi, global_shift=-0.5),
        "ryy": lambda: cirq.YYPowGate(exponent=p[0] / pi, global_shift=-0.5),
        "rzz": lambda: cirq.ZZPowGate(exponent=p[0] / pi, global_shift=-0.5),
        "crx": lambda: cirq.ControlledGate(cirq.rx(p[0])),
        "cry": lambda: cirq.ControlledGate(cirq.ry(p[0])),
        "crz": lambda: cirq.ControlledGate(cirq.rz(p[0])),
        "cp": lambda: cirq.CZPowGate(exponent=p[0] / pi),
    }  # fmt: skip
    if name in one:
        return [one[name]().on(*q)]
    if name == "u":  # U(θ,φ,λ) = P(φ)·RY(θ)·P(λ) exactly, phases included
        return [
            cirq.ZPowGate(exponent=p[2] / pi).on(q[0]),
            cirq.ry(p[0]).on(q[0]),
            cirq.ZPowGate(exponent=p[1] / pi).on(q[0]),
        ]
    if name == "cu":  # controlled U with an extra phase (gamma) on the control
        return [
            cirq.ZPowGate(exponent=p[3] / pi).on(q[0]),
            cirq.CZPowGate(exponent=p[2] / pi).on(q[0], q[1]),
            cirq.ControlledGate(cirq.ry(p[0])).on(q[0], q[1]),
            cirq.CZPowGate(exponent=p[1] / pi).on(q[0], q[1]),
        ]
    raise ValueError(f"no Cirq form for IR gate '{name}'")  # pragma: no cover - GATES is closed
