"""The internal circuit IR every source parses into and every SDK converter reads.

A :class:`Circuit` is a flat list of :class:`Op` on qubits ``0..n-1`` and classical bits
``0..m-1`` (registers are kept only as named slices, for conditions and QASM output).
Gates come from one fixed vocabulary (:data:`GATES`); custom gates are inlined at parse
time so converters never see them. Angles are :data:`Angle` values: a float, or an
:class:`Expr` tree over named parameters that is bound later (inputs, sweeps).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

#: gate name -> (number of qubits, number of angle parameters)
GATES: dict[str, tuple[int, int]] = {
    "id": (1, 0), "x": (1, 0), "y": (1, 0), "z": (1, 0), "h": (1, 0),
    "s": (1, 0), "sdg": (1, 0), "t": (1, 0), "tdg": (1, 0), "sx": (1, 0), "sxdg": (1, 0),
    "rx": (1, 1), "ry": (1, 1), "rz": (1, 1), "p": (1, 1), "u": (1, 3),
    "cx": (2, 0), "cy": (2, 0), "cz": (2, 0), "ch": (2, 0), "swap": (2, 0),
    "crx": (2, 1), "cry": (2, 1), "crz": (2, 1), "cp": (2, 1), "cu": (2, 4),
    "rxx": (2, 1), "ryy": (2, 1), "rzz": (2, 1),
    "ccx": (3, 0), "cswap": (3, 0), "c3x": (4, 0), "c4x": (5, 0), "c3sqrtx": (4, 0),
}  # fmt: skip

#: non-unitary instructions
DIRECTIVES = ("measure", "reset", "barrier")

FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "exp": math.exp, "ln": math.log,
    "sqrt": math.sqrt, "asin": math.asin, "acos": math.acos, "atan": math.atan,
}  # fmt: skip


@dataclass(frozen=True)
class Expr:
    """A symbolic angle: ``op`` is 'var', 'neg', one of ``+-*/^`` or a function name."""

    op: str
    args: tuple[Angle, ...] = ()
    name: str = ""

    def free(self) -> set[str]:
        """Names of the parameters this expression reads."""
        if self.op == "var":
            return {self.name}
        out: set[str] = set()
        for a in self.args:
            if isinstance(a, Expr):
                out |= a.free()
        return out

    def evaluate(self, env: Mapping[str, Any], funcs: Mapping[str, Callable[[Any], Any]]) -> Any:
        """Evaluate with ``env`` for names and ``funcs`` for functions (SDK symbols work too)."""
        if self.op == "var":
            return env[self.name]
        vals = [a.evaluate(env, funcs) if isinstance(a, Expr) else a for a in self.args]
        if self.op == "neg":
            return -vals[0]
        if self.op in _BINARY:
            return _BINARY[self.op](vals[0], vals[1])
        return funcs[self.op](vals[0])

    def text(self) -> str:
        """Canonical OpenQASM 3 text of the expression."""
        if self.op == "var":
            return self.name
        parts = [angle_text(a) for a in self.args]
        if self.op == "neg":
            return f"(-{parts[0]})"
        if self.op in _BINARY:
            op = "**" if self.op == "^" else self.op
            return f"({parts[0]} {op} {parts[1]})"
        return f"{self.op}({parts[0]})"


Angle = float | Expr

_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "^": lambda a, b: a**b,
}


def angle_text(a: Angle) -> str:
    """Canonical text of an angle (floats with repr precision, so hashes are stable)."""
    return a.text() if isinstance(a, Expr) else repr(float(a))


def bind_angle(a: Angle, values: Mapping[str, float]) -> Angle:
    """Substitute the given values; returns a float once no free names are left."""
    if not isinstance(a, Expr):
        return a
    free = a.free()
    if not free:
        return float(a.evaluate({}, FUNCTIONS))
    if free <= values.keys():
        return float(a.evaluate(values, FUNCTIONS))
    if a.op == "var":
        return a
    return Expr(a.op, tuple(bind_angle(x, values) for x in a.args), a.name)


@dataclass(frozen=True)
class Condition:
    """``if (creg == value)``: ``clbits`` are the register's flat bit indices, LSB first."""

    register: str
    clbits: tuple[int, ...]
    value: int


@dataclass(frozen=True)
class Op:
    """One instruction: a gate from :data:`GATES` or 'measure' / 'reset' / 'barrier'."""

    name: str
    qubits: tuple[int, ...]
    params: tuple[Angle, ...] = ()
    clbits: tuple[int, ...] = ()
    condition: Condition | None = None


@dataclass(frozen=True)
class Register:
    """A named slice of qubits or classical bits (flat indices ``start..start+size-1``)."""

    name: str
    start: int
    size: int


@dataclass(frozen=True)
class Circuit:
    """A circuit in the IR. ``ops`` is the program; registers only name slices."""

    num_qubits: int
    num_clbits: int
    ops: tuple[Op, ...]
    qregs: tuple[Register, ...] = ()
    cregs: tuple[Register, ...] = ()
    parameters: tuple[str, ...] = field(default=())

    def free_parameters(self) -> set[str]:
        """Names still unbound in some gate angle."""
        out: set[str] = set()
        for op in self.ops:
            for p in op.params:
                if isinstance(p, Expr):
                    out |= p.free()
        return out

    def bind(self, values: Mapping[str, float]) -> Circuit:
        """A copy with the given parameter values substituted (unknown names ignored)."""
        if not values:
            return self
        ops = tuple(
            replace(op, params=tuple(bind_angle(p, values) for p in op.params)) if op.params else op
            for op in self.ops
        )
        left = tuple(p for p in self.parameters if p not in values)
        return replace(self, ops=ops, parameters=left)

    def gate_counts(self) -> dict[str, int]:
        """How many of each instruction (barriers excluded)."""
        counts: dict[str, int] = {}
        for op in self.ops:
            if op.name != "barrier":
                counts[op.name] = counts.get(op.name, 0) + 1
        return counts

    def depth(self) -> int:
        """Circuit depth over qubits and classical bits (barriers count as zero layers)."""
        level_q = [0] * self.num_qubits
        level_c = [0] * self.num_clbits
        for op in self.ops:
            cbits = op.clbits + (op.condition.clbits if op.condition else ())
            start = max([level_q[q] for q in op.qubits] + [level_c[c] for c in cbits] + [0])
            new = start if op.name == "barrier" else start + 1
            for q in op.qubits:
                level_q[q] = new
            for c in cbits:
                level_c[c] = new
        return max(level_q + level_c + [0])

    def has_conditions(self) -> bool:
        """Whether any op is classically conditioned."""
        return any(op.condition is not None for op in self.ops)

    def measurements_are_terminal(self) -> bool:
        """True when nothing but measures/barriers follows a measure or reset on any qubit,
        no clbit is written twice, and nothing is conditioned — the plain sampling case."""
        if self.has_conditions():
            return False
        done: set[int] = set()
        written: set[int] = set()
        for op in self.ops:
            if op.name == "reset" and any(True for _ in op.qubits):
                # a reset at the very start (fresh qubits) is harmless
                if any(q in done for q in op.qubits) or self._touched_before(op):
                    return False
                continue
            if op.name == "measure":
                if op.clbits[0] in written:
                    return False
                written.add(op.clbits[0])
                done.add(op.qubits[0])
            elif op.name != "barrier" and any(q in done for q in op.qubits):
                return False
        return True

    def _touched_before(self, target: Op) -> bool:
        for op in self.ops:
            if op is target:
                return False
            if op.name != "barrier" and set(op.qubits) & set(target.qubits):
                return True
        return False

    def without_measurements(self) -> Circuit:
        """The unitary part: measures and barriers dropped (for expectation values)."""
        ops = tuple(op for op in self.ops if op.name not in ("measure", "barrier"))
        return replace(self, ops=ops)

    def measured_qubit_of(self) -> dict[int, int]:
        """clbit -> the qubit last measured into it."""
        return {op.clbits[0]: op.qubits[0] for op in self.ops if op.name == "measure"}
