"""The task ``noise`` dict as each SDK's own noise model (Cirq, PennyLane).

One vocabulary for every backend that takes a noise model, the one ``qiskit.aer`` reads
(:func:`.qiskit_backend.build_noise_model`): ``depolarizing`` (after each one-qubit
gate), ``depolarizing_2q`` (after each two-qubit gate; default: ``depolarizing``) and
``readout`` (each measured bit flips with this probability).
"""

from __future__ import annotations

from typing import Any

from ..errors import UnsupportedFeatureError

KNOWN = ("depolarizing", "depolarizing_2q", "readout")


def rates(noise: dict[str, Any]) -> tuple[float, float, float]:
    """``(p1, p2, readout)`` from a task's ``noise``.

    Raises:
        UnsupportedFeatureError: an unknown key or a probability outside [0, 1].
    """
    unknown = set(noise) - set(KNOWN)
    if unknown:
        raise UnsupportedFeatureError(
            f"unsupported noise option(s) {sorted(unknown)}; known: {list(KNOWN)}"
        )
    p1 = float(noise.get("depolarizing", 0.0))
    p2 = float(noise.get("depolarizing_2q", p1))
    pr = float(noise.get("readout", 0.0))
    if not all(0.0 <= p <= 1.0 for p in (p1, p2, pr)):
        raise UnsupportedFeatureError("noise probabilities must lie in [0, 1]")
    return p1, p2, pr


def cirq_noise_model(noise: dict[str, Any]) -> Any:
    """A ``cirq.NoiseModel``: depolarising after gates, a bit flip before measurements."""
    import cirq

    p1, p2, pr = rates(noise)

    class _Noise(cirq.NoiseModel):
        def noisy_operation(self, operation: Any) -> Any:
            if cirq.is_measurement(operation):
                return (
                    [cirq.bit_flip(pr).on_each(*operation.qubits), operation] if pr else operation
                )
            n = len(operation.qubits)
            if n == 1 and p1:
                return [operation, cirq.depolarize(p1).on(*operation.qubits)]
            if n == 2 and p2:
                return [operation, cirq.depolarize(p2, n_qubits=2).on(*operation.qubits)]
            return operation

    return _Noise()


def pennylane_noise_model(noise: dict[str, Any]) -> Any:
    """A ``qml.NoiseModel`` (used with ``qml.add_noise``): a depolarising channel on each
    wire of a gate after it. PennyLane has no two-qubit depolarising channel, so a
    two-qubit gate gets ``depolarizing_2q`` on each of its wires."""
    import pennylane as qml

    p1, p2, _ = rates(noise)

    def is_gate(width: int) -> Any:
        return qml.BooleanFn(
            lambda op, **_: len(op.wires) == width and not isinstance(op, qml.operation.Channel)
        )

    def channel(p: float) -> Any:
        def add(op: Any, **_: Any) -> None:
            for w in op.wires:
                qml.DepolarizingChannel(p, wires=w)

        return add

    return qml.NoiseModel({is_gate(1): channel(p1), is_gate(2): channel(p2)})
