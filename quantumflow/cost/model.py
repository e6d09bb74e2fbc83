"""The simulator time model: seconds as a non-negative mix of a few cost terms.

Terms (each a feature of :class:`CircuitFeatures`):

- ``overhead``: per task (backend lookup, circuit conversion, result formatting);
- ``gates``: per gate (transpilation and conversion grow with the gate count);
- ``points``: per sweep point;
- ``statevector``: points x gates x 2^qubits for non-Clifford circuits (gate application);
- ``amplitudes``: points x 2^qubits for non-Clifford circuits (allocation, sampling setup);
- ``shots``: points x shots (sampling);
- ``stabilizer``: points x shots x qubits for Clifford circuits (stabilizer simulators
  sample shot by shot).

Coefficients are fitted per backend by non-negative least squares on relative error (so a
10 ms task counts as much as a 10 s one): a factor-of-two miss is what we care about.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .features import CircuitFeatures

TERMS = ("overhead", "gates", "points", "statevector", "amplitudes", "shots", "stabilizer")
MODEL_VERSION = 1

#: Used before any calibration: a typical laptop, deliberately rough.
DEFAULT_COEFFS: dict[str, float] = {
    "overhead": 0.05,
    "gates": 2e-4,
    "points": 2e-3,
    "statevector": 4.0,
    "amplitudes": 20.0,
    "shots": 0.5,
    "stabilizer": 0.05,
}


def feature_vector(f: CircuitFeatures) -> list[float]:
    """The model's terms for ``f``, in :data:`TERMS` order (large counts scaled to ~1)."""
    amps = math.ldexp(1.0, min(f.qubits, 60)) / 1e9
    dense = 0.0 if f.clifford else 1.0
    return [
        1.0,
        float(f.gates),
        float(f.points),
        dense * f.points * f.gates * amps,
        dense * f.points * amps,
        f.points * f.shots / 1e6,
        (1.0 - dense) * f.points * f.shots * f.qubits / 1e6,
    ]


@dataclass
class TimeModel:
    """A fitted model for one backend.

    Attributes:
        backend: the backend name it was fitted on.
        coeffs: seconds per unit of each term.
        samples: the calibration measurements ``[features..., seconds]`` it came from, kept
            so that history can be added and the model refitted.
        created_at: UNIX time of the calibration.
    """

    backend: str
    coeffs: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_COEFFS))
    samples: list[dict[str, Any]] = field(default_factory=list)
    created_at: float | None = None

    def predict(self, f: CircuitFeatures) -> float:
        """Predicted seconds for a task with features ``f``."""
        x = feature_vector(f)
        return max(1e-4, sum(self.coeffs.get(t, 0.0) * v for t, v in zip(TERMS, x, strict=True)))

    def to_dict(self) -> dict[str, Any]:
        """JSON form stored in the ``calibrations`` table."""
        return {
            "version": MODEL_VERSION,
            "backend": self.backend,
            "coeffs": self.coeffs,
            "samples": self.samples,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimeModel | None:
        """The model stored by :meth:`to_dict`, or None for an unknown version."""
        if data.get("version") != MODEL_VERSION:
            return None
        coeffs = {t: float(data.get("coeffs", {}).get(t, 0.0)) for t in TERMS}
        return cls(
            backend=str(data.get("backend", "")),
            coeffs=coeffs,
            samples=list(data.get("samples", [])),
            created_at=data.get("created_at"),
        )


def fit(backend: str, rows: Sequence[tuple[CircuitFeatures, float]]) -> dict[str, float]:
    """Non-negative coefficients minimising the relative squared error over ``rows``.

    Raises:
        ValueError: no rows.
    """
    import numpy as np  # only calibration fits; planning a run must not pay the import

    if not rows:
        raise ValueError(f"no measurements to fit a time model for {backend}")
    x = np.array([feature_vector(f) for f, _ in rows], dtype=float)
    y = np.array([max(t, 1e-6) for _, t in rows], dtype=float)
    # Relative error: divide each equation by its target.
    coef = nnls(x / y[:, None], np.ones_like(y))
    return {t: float(c) for t, c in zip(TERMS, coef, strict=True)}


def nnls(a: Any, b: Any) -> Any:
    """Non-negative least squares by active-set elimination (small problems only).

    Columns are scaled to unit norm first so that terms of very different magnitudes are
    treated alike; the column whose unconstrained coefficient is most negative is dropped
    and the rest refitted, until all are non-negative.
    """
    import numpy as np

    norms = np.linalg.norm(a, axis=0)
    active = [j for j in range(a.shape[1]) if norms[j] > 0]
    coef = np.zeros(a.shape[1])
    while active:
        scaled = a[:, active] / norms[active]
        sol, *_ = np.linalg.lstsq(scaled, b, rcond=None)
        if (sol >= 0).all():
            coef[active] = sol / norms[active]
            break
        del active[int(np.argmin(sol))]  # drop the most negative term, refit the rest
    return coef
