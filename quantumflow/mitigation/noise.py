"""What noise a mitigated result was measured under: the task's noise model, or the fake
device's calibration snapshot (the numbers its simulator's noise model is built from)."""

from __future__ import annotations

import statistics
from typing import Any

_TWO_QUBIT = ("cx", "ecr", "cz")


def noise_provenance(backend: str, noise: dict[str, Any] | None) -> dict[str, Any]:
    """``{"source", ...}``: ``task noise`` with the model, or ``device calibration`` with a
    fake backend's per-qubit readout error, T1, T2 and gate errors."""
    if backend.startswith("qiskit.fake:"):
        return calibration_snapshot(backend.partition(":")[2])
    return {"source": "task noise" if noise else "none", "model": noise}


def calibration_snapshot(name: str) -> dict[str, Any]:
    """A fake IBM device's calibration as plain numbers (what its noise model uses)."""
    from ..backends.qiskit_fake import fake_backend

    device = fake_backend(name)
    target = device.target
    qubits: list[dict[str, Any]] = []
    for q in range(int(device.num_qubits)):
        props = target.qubit_properties[q] if target.qubit_properties else None
        measure = target["measure"].get((q,)) if "measure" in target else None
        qubits.append({
            "qubit": q,
            "t1_s": getattr(props, "t1", None),
            "t2_s": getattr(props, "t2", None),
            "readout_error": getattr(measure, "error", None),
        })  # fmt: skip
    gates: dict[str, float] = {}
    for gate in ("sx", "x", *_TWO_QUBIT):
        if gate in target.operation_names:
            errors = [p.error for p in target[gate].values() if p is not None and p.error]
            if errors:
                gates[gate] = statistics.median(errors)
    props = device.properties() if hasattr(device, "properties") else None
    updated = getattr(props, "last_update_date", None)
    return {
        "source": "device calibration",
        "device": device.name,
        "backend_version": getattr(device, "backend_version", None),
        "calibrated_at": None if updated is None else str(updated),
        "median_gate_error": gates,
        "qubits": qubits,
    }
