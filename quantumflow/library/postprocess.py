"""Post-processing steps for quantum results (counts keyed by bitstrings, bit 0 rightmost)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def _check_counts(counts: Mapping[str, int]) -> int:
    if not isinstance(counts, Mapping) or not counts:
        raise ValueError("counts must be a non-empty mapping of bitstring -> count")
    total = sum(int(v) for v in counts.values())
    if total <= 0:
        raise ValueError("counts must contain at least one shot")
    return total


def parity(counts: Mapping[str, int]) -> float:
    """Expectation of the parity Z⊗Z⊗…: +1 for an even number of 1s, -1 for odd."""
    total = _check_counts(counts)
    signed = sum((-1) ** bits.count("1") * int(n) for bits, n in counts.items())
    return float(signed) / total


def marginal_counts(counts: Mapping[str, int], bits: Sequence[int]) -> dict[str, int]:
    """Counts of the classical bits ``bits`` only (result written in the same bit order)."""
    _check_counts(counts)
    out: dict[str, int] = {}
    for key, n in counts.items():
        width = len(key)
        if any(b < 0 or b >= width for b in bits):
            raise ValueError(f"bit index out of range for {width}-bit results: {list(bits)}")
        sub = "".join(key[width - 1 - b] for b in sorted(bits, reverse=True))
        out[sub] = out.get(sub, 0) + int(n)
    return out


def expectation_from_counts(counts: Mapping[str, int], pauli: str) -> float:
    """⟨P⟩ for a Z-type Pauli string such as ``"Z0 Z2"`` estimated from counts."""
    total = _check_counts(counts)
    indices: list[int] = []
    for term in pauli.split():
        if term[0] not in "ZI" or not term[1:].isdigit():
            raise ValueError(f"only Z/I terms can be read from counts, got '{term}'")
        if term[0] == "Z":
            indices.append(int(term[1:]))
    value = 0
    for key, n in counts.items():
        ones = sum(key[len(key) - 1 - i] == "1" for i in indices)
        value += (-1) ** ones * int(n)
    return value / total


def most_frequent(counts: Mapping[str, int]) -> str:
    """The bitstring seen most often (ties broken by the smaller bitstring)."""
    _check_counts(counts)
    return min(counts, key=lambda k: (-int(counts[k]), k))


def total_variation_distance(p: Mapping[str, int], q: Mapping[str, int]) -> float:
    """TVD between two count distributions, in [0, 1]."""
    tp, tq = _check_counts(p), _check_counts(q)
    keys = set(p) | set(q)
    return 0.5 * sum(abs(p.get(k, 0) / tp - q.get(k, 0) / tq) for k in keys)
