"""Readout-error mitigation with mitiq's tensored inverse confusion matrix.

Two calibration circuits (every qubit prepared in 0, every qubit in 1) give each qubit's
flip probabilities; mitiq builds the inverse of the tensored confusion matrix, and the
corrected quasi-distribution is mapped to the closest probability distribution (mitiq's
``closest_positive_distribution``). Unlike ``mitiq.rem.mitigate_measurements`` nothing
is resampled, so a seeded run gives the same mitigated value every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

#: Readout mitigation builds 2^n x 2^n matrices: refuse wider registers before allocating.
MAX_QUBITS = 12


def flip_rates(
    zeros: Mapping[str, float], ones: Mapping[str, float], n: int
) -> list[dict[str, float]]:
    """Per qubit ``{"p0to1", "p1to0"}`` from the all-0 and all-1 calibration frequencies
    (bitstrings with clbit 0 rightmost)."""
    rates = []
    for q in range(n):
        p01 = sum(p for bits, p in zeros.items() if bits[-1 - q] == "1")
        p10 = sum(p for bits, p in ones.items() if bits[-1 - q] == "0")
        rates.append({"p0to1": float(p01), "p1to0": float(p10)})
    return rates


def correct(dist: Mapping[str, float], rates: list[dict[str, float]]) -> dict[str, float]:
    """``dist`` (n measured bits) with readout errors inverted.

    Raises:
        ValueError: more than :data:`MAX_QUBITS` bits, or mitiq found no distribution.
    """
    from mitiq.rem.inverse_confusion_matrix import (
        closest_positive_distribution,
        generate_tensored_inverse_confusion_matrix,
    )

    n = len(rates)
    if n > MAX_QUBITS:
        raise ValueError(f"readout mitigation supports at most {MAX_QUBITS} qubits, got {n}")
    matrices = [
        np.array([[1 - r["p0to1"], r["p1to0"]], [r["p0to1"], 1 - r["p1to0"]]]) for r in rates
    ]
    inverse = generate_tensored_inverse_confusion_matrix(n, matrices)
    # mitiq orders outcomes with qubit 0 as the most significant bit: reverse our keys
    vector = np.zeros(1 << n)
    for bits, p in dist.items():
        vector[int(bits[::-1], 2)] += p
    fixed = closest_positive_distribution(inverse @ vector)
    out: dict[str, float] = {}
    for index, p in enumerate(fixed):
        if p > 1e-12:
            out[format(index, f"0{n}b")[::-1]] = float(p)
    return out


def gain(rates: list[dict[str, float]], support: list[int]) -> float:
    """How much readout correction scales a parity on ``support`` (its error grows by as
    much): ``prod 1 / (1 - p0to1 - p1to0)``, exact for symmetric flips."""
    factor = 1.0
    for q in support:
        contrast = 1.0 - rates[q]["p0to1"] - rates[q]["p1to0"]
        factor /= max(contrast, 1e-3)
    return factor


def summary(rates: list[dict[str, float]]) -> dict[str, Any]:
    """The calibration as provenance: per-qubit rates and the method."""
    return {
        "method": "mitiq tensored inverse confusion matrix + closest_positive_distribution",
        "qubits": [{"qubit": q, **r} for q, r in enumerate(rates)],
    }
