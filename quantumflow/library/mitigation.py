"""Error mitigation as plain library steps, for workflows that wire it by hand.

A quantum task's ``mitigation`` field does all of this for you (sub-circuits, combining,
provenance: docs/user-guide/mitigation.md). These steps expose the same mitiq-based
pieces: extrapolating values measured at several noise scales, and correcting counts with
a readout calibration (the outputs of an all-0 and an all-1 circuit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..mitigation import readout
from ..mitigation.observables import distribution
from ..mitigation.zne import extrapolate


def zne_extrapolate(
    scale_factors: Sequence[float],
    values: Sequence[float],
    *,
    stds: Sequence[float] | None = None,
    factory: str = "richardson",
    order: int | None = None,
) -> dict[str, Any]:
    """The zero-noise limit of ``values`` measured at ``scale_factors`` (mitiq factories).

    Returns:
        ``{"value", "std", "fit_error", "weights"}`` (see
        :func:`quantumflow.mitigation.zne.extrapolate`).
    """
    return extrapolate(scale_factors, values, stds, factory=factory, order=order)


def readout_mitigate(
    counts: Mapping[str, Any], *, zeros: Mapping[str, Any], ones: Mapping[str, Any]
) -> dict[str, Any]:
    """``counts`` corrected for readout errors measured by two calibration runs.

    Args:
        counts: the counts to correct (or a quantum task's output with ``counts``).
        zeros: the output (or counts) of a circuit that measures every qubit in 0.
        ones: the same with every qubit flipped to 1 first.

    Returns:
        ``{"probabilities", "calibration"}``: the corrected distribution (clbit 0
        rightmost) and the per-qubit flip rates.
    """

    def dist(value: Mapping[str, Any]) -> dict[str, float]:
        source = value if "counts" in value or "probabilities" in value else {"counts": value}
        return distribution(source)[0]

    measured = dist(counts)
    width = len(next(iter(measured)))
    rates = readout.flip_rates(dist(zeros), dist(ones), width)
    return {
        "probabilities": readout.correct(measured, rates),
        "calibration": readout.summary(rates),
    }
