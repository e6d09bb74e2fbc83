"""Exact (shots=None) outcome probabilities from a statevector, in the one bit order."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..circuits.ir import Circuit
from ..errors import UnsupportedFeatureError


def probabilities_over_clbits(
    state: npt.NDArray[Any], circuit: Circuit, *, backend: str
) -> dict[str, float]:
    """Map a statevector (qubit 0 = least significant index bit) to clbit-string
    probabilities (clbit 0 rightmost), using the circuit's terminal measurements.

    Raises:
        UnsupportedFeatureError: mid-circuit measurement/conditions make exact outcomes
            ill-defined here; use shots.
    """
    if not circuit.measurements_are_terminal():
        raise UnsupportedFeatureError(
            f"unsupported on {backend}: exact probabilities (shots: null) of a circuit with "
            "mid-circuit measurement, reset or conditions; set shots",
            backend=backend,
        )
    probs = np.abs(np.asarray(state)) ** 2
    n = circuit.num_qubits
    width = circuit.num_clbits
    measured = circuit.measured_qubit_of()
    if not measured:
        return {"0" * width: 1.0} if width else {"": 1.0}
    idx = np.arange(1 << n, dtype=np.int64)
    keys = np.zeros(1 << n, dtype=np.int64)
    for clbit, qubit in measured.items():
        keys |= ((idx >> qubit) & 1) << clbit
    acc = np.bincount(keys, weights=probs, minlength=1 << width if width < 30 else 0)
    return {format(int(k), f"0{width}b"): float(p) for k, p in enumerate(acc) if p > 1e-12}
