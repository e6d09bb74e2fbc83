"""MaxCut steps for QAOA workflows: cut values from counts or ⟨ZZ⟩ sweeps, and brute force.

Edges are pairs of qubit indices; in a bitstring, qubit 0 is the rightmost character.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any


def _edges(edges: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    if not edges:
        raise ValueError("edges must be a non-empty list of [a, b] pairs")
    return [(int(a), int(b)) for a, b in edges]


def cut_value(bits: str, edges: Sequence[Sequence[int]]) -> int:
    """How many edges a bitstring cuts (qubit 0 = rightmost character)."""
    n = len(bits)
    return sum(bits[n - 1 - a] != bits[n - 1 - b] for a, b in _edges(edges))


def brute_force_maxcut(edges: Sequence[Sequence[int]], n: int | None = None) -> dict[str, Any]:
    """The maximum cut by trying every assignment: ``{"value": int, "cuts": [bitstrings]}``."""
    pairs = _edges(edges)
    size = n or 1 + max(max(a, b) for a, b in pairs)
    if size > 24:
        raise ValueError(f"brute force over {size} nodes is too slow (limit 24)")
    best, cuts = -1, []
    for assignment in itertools.product("01", repeat=size):
        bits = "".join(assignment)
        value = cut_value(bits, pairs)
        if value > best:
            best, cuts = value, [bits]
        elif value == best:
            cuts.append(bits)
    return {"value": best, "cuts": cuts}


def zz_terms(edges: Sequence[Sequence[int]]) -> list[str]:
    """The observables ``"Za Zb"`` whose expectations give the expected cut."""
    return [f"Z{a} Z{b}" for a, b in _edges(edges)]


def expected_cut_sweep(sweep: Mapping[str, Any], edges: Sequence[Sequence[int]]) -> dict[str, Any]:
    """Expected cut ``sum((1 - <Za Zb>) / 2)`` at every sweep point, and the best point.

    Returns:
        ``{"points": [...], "values": [...], "best": {"point": {...}, "value": float},
        "best_point": {...}}``;
        ``best_point`` (the same as ``best["point"]``) can be passed as a quantum task's
        ``params`` input to sample the circuit there.
    """
    data = sweep.get("sweep", sweep)
    terms = zz_terms(edges)
    values = []
    for result in data["results"]:
        ex = result.get("expectations") or {}
        missing = [t for t in terms if t not in ex]
        if missing:
            raise ValueError(f"sweep results lack {missing}: measure observables {terms}")
        values.append(sum((1.0 - float(ex[t])) / 2.0 for t in terms))
    i = max(range(len(values)), key=values.__getitem__)
    return {
        "points": [dict(p) for p in data["points"]],
        "values": values,
        "best": {"point": dict(data["points"][i]), "value": values[i]},
        "best_point": dict(data["points"][i]),
    }


def best_cut_from_counts(
    counts: Mapping[str, int], edges: Sequence[Sequence[int]]
) -> dict[str, Any]:
    """The best cut among sampled bitstrings, and the mean cut of the samples."""
    if not counts:
        raise ValueError("counts must not be empty")
    shots = sum(int(v) for v in counts.values())
    scored = {bits: cut_value(bits, edges) for bits in counts}
    best = max(scored, key=lambda b: (scored[b], int(counts[b])))
    mean = sum(scored[b] * int(n) for b, n in counts.items()) / shots
    return {"bits": best, "value": scored[best], "mean": mean}
