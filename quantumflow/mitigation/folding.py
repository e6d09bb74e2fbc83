"""Unitary folding of IR circuits by mitiq: mitiq decides what to fold, the IR is kept.

mitiq folds Cirq circuits (``G -> G G† G`` per gate, or ``U -> U (U† U)^k`` globally).
Each IR op goes to mitiq as an opaque Cirq gate that carries its op index and knows its
inverse; the folded Cirq circuit is read back as a sequence of (op, inverted?) and rebuilt
in the IR. So symbolic angles (bound later from task inputs) survive folding, and the
sub-circuits are ordinary IR circuits any backend runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..circuits.ir import Angle, Circuit, Expr, Op
from ..errors import UnsupportedFeatureError

#: mitiq folding functions by the spec's ``folding`` name.
FOLDINGS = ("global", "gates_at_random")

_SELF_INVERSE = frozenset(
    ("id", "x", "y", "z", "h", "cx", "cy", "cz", "ch", "swap", "ccx", "cswap", "c3x", "c4x")
)
_PAIRS = {"s": "sdg", "sdg": "s", "t": "tdg", "tdg": "t", "sx": "sxdg", "sxdg": "sx"}
_ONE_ANGLE = frozenset(("rx", "ry", "rz", "p", "crx", "cry", "crz", "cp", "rxx", "ryy", "rzz"))


def _neg(a: Angle) -> Angle:
    return Expr("neg", (a,)) if isinstance(a, Expr) else -float(a)


def inverse_op(op: Op) -> Op:
    """The IR op that undoes ``op`` (same qubits).

    Raises:
        UnsupportedFeatureError: a gate without an inverse in the IR vocabulary.
    """
    name, p = op.name, op.params
    if name in _SELF_INVERSE:
        return op
    if name in _PAIRS:
        return Op(_PAIRS[name], op.qubits)
    if name in _ONE_ANGLE:
        return Op(name, op.qubits, (_neg(p[0]),))
    if name == "u":  # U(θ,φ,λ)† = U(-θ,-λ,-φ)
        return Op("u", op.qubits, (_neg(p[0]), _neg(p[2]), _neg(p[1])))
    if name == "cu":
        return Op("cu", op.qubits, (_neg(p[0]), _neg(p[2]), _neg(p[1]), _neg(p[3])))
    raise UnsupportedFeatureError(f"unsupported: cannot fold gate '{name}' (no inverse)")


def foldable_part(circuit: Circuit) -> Circuit:
    """The unitary part of a circuit whose measurements are all at the end.

    Raises:
        UnsupportedFeatureError: mid-circuit measurement, reset or classical conditions.
    """
    if not circuit.measurements_are_terminal() or any(op.name == "reset" for op in circuit.ops):
        raise UnsupportedFeatureError(
            "unsupported: error mitigation needs a circuit whose measurements are all at "
            "the end (no reset, no mid-circuit measurement, no conditions)"
        )
    unitary = circuit.without_measurements()
    for op in unitary.ops:
        inverse_op(op)  # every gate must be invertible before mitiq sees it
    return unitary


def fold(
    circuit: Circuit, scale: float, *, method: str = "global", seed: int | None = None
) -> Circuit:
    """``circuit`` (measurement-free) folded by mitiq to noise scale ``scale``.

    Args:
        circuit: a unitary IR circuit (see :func:`foldable_part`).
        scale: the noise scale factor (>= 1; 1 returns the circuit unchanged).
        method: one of :data:`FOLDINGS`.
        seed: seeds ``gates_at_random``.

    Raises:
        ValueError: unknown ``method`` or ``scale`` < 1.
    """
    if method not in FOLDINGS:
        raise ValueError(f"folding must be one of {', '.join(FOLDINGS)}, got '{method}'")
    if scale < 1:
        raise ValueError("scale factors must be >= 1")
    if scale == 1 or not circuit.ops:
        return circuit
    import cirq

    folder = _folder(method)
    qubits = cirq.LineQubit.range(circuit.num_qubits)
    slots = cirq.Circuit(
        _slot_gate(i, len(op.qubits)).on(*(qubits[q] for q in op.qubits))
        for i, op in enumerate(circuit.ops)
    )
    kwargs: dict[str, Any] = {"seed": seed} if method != "global" else {}
    folded = folder(slots, scale, **kwargs)
    ops: list[Op] = []
    for cop in folded.all_operations():
        gate = cop.gate
        index, inverted = gate.index, gate.inverted
        ops.append(inverse_op(circuit.ops[index]) if inverted else circuit.ops[index])
    return Circuit(
        circuit.num_qubits,
        circuit.num_clbits,
        tuple(ops),
        qregs=circuit.qregs,
        cregs=circuit.cregs,
        parameters=circuit.parameters,
    )


def _folder(method: str) -> Callable[..., Any]:
    from mitiq.zne import scaling

    folders: dict[str, Callable[..., Any]] = {
        "global": scaling.fold_global,
        "gates_at_random": scaling.fold_gates_at_random,
    }
    return folders[method]


_SLOT_CLASS: list[type] = []


def _slot_gate(index: int, width: int, *, inverted: bool = False) -> Any:
    """A Cirq gate standing for IR op ``index`` (``inverted``: its inverse)."""
    if not _SLOT_CLASS:
        _SLOT_CLASS.append(_make_slot_class())
    return _SLOT_CLASS[0](index, width, inverted)


def _make_slot_class() -> type:
    import cirq

    class Slot(cirq.Gate):
        """IR op ``index`` as an opaque unitary that mitiq can invert and fold."""

        def __init__(self, index: int, width: int, inverted: bool) -> None:
            self.index, self.width, self.inverted = index, width, inverted

        def _num_qubits_(self) -> int:
            return self.width

        def _has_unitary_(self) -> bool:
            return True

        def __pow__(self, power: Any) -> Any:
            if power == -1:
                return Slot(self.index, self.width, not self.inverted)
            if power == 1:
                return self
            return NotImplemented

        def _value_equality_values_(self) -> tuple[int, int, bool]:
            return (self.index, self.width, self.inverted)

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Slot) and (
                (self.index, self.width, self.inverted)
                == (other.index, other.width, other.inverted)
            )

        def __hash__(self) -> int:
            return hash((Slot, self.index, self.width, self.inverted))

        def _circuit_diagram_info_(self, args: Any) -> tuple[str, ...]:
            label = f"op{self.index}" + ("†" if self.inverted else "")
            return (label,) * self.width

    return Slot
