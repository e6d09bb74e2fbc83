"""Compare count distributions: pairwise distances between several backends' results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .postprocess import total_variation_distance


def _counts(result: Any) -> Mapping[str, int]:
    counts = result.get("counts") if isinstance(result, Mapping) else None
    if isinstance(counts, Mapping):
        return counts
    if isinstance(result, Mapping) and all(isinstance(v, int) for v in result.values()):
        return result
    raise ValueError("give quantum task outputs (with 'counts') or counts mappings")


def tvd_table(**results: Any) -> dict[str, Any]:
    """Pairwise total variation distances between named results.

    Call it with one keyword per result (``aer=..., cirq=..., pennylane=...``).

    Returns:
        ``{"names": [...], "matrix": [[...]], "max": float, "probabilities": {name: {bits: p}}}``.
    """
    if len(results) < 2:
        raise ValueError("compare at least two results")
    counts = {name: _counts(r) for name, r in results.items()}
    names = list(counts)
    matrix = [[total_variation_distance(counts[a], counts[b]) for b in names] for a in names]
    probs = {}
    for name, c in counts.items():
        total = sum(int(v) for v in c.values())
        probs[name] = {k: int(v) / total for k, v in sorted(c.items())}
    worst = max(matrix[i][j] for i in range(len(names)) for j in range(len(names)) if i != j)
    return {"names": names, "matrix": matrix, "max": worst, "probabilities": probs}


def fidelity_to_ideal(result: Any, ideal: Mapping[str, float]) -> float:
    """Classical (Bhattacharyya) fidelity of measured counts to an ideal distribution."""
    c = _counts(result)
    total = sum(int(v) for v in c.values())
    return float(sum((int(c.get(k, 0)) / total * p) ** 0.5 for k, p in ideal.items()) ** 2)
