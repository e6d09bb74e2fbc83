"""Result normalization: ONE bit order for every SDK, and Pauli observables.

Counts are keyed by bitstrings of ``num_clbits`` characters where classical bit 0 is the
RIGHTMOST character (as Qiskit prints). ``"001"`` means bit 0 read 1, bits 1 and 2 read 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import BackendError

_TERM = re.compile(r"([IXYZ])(\d+)")


def counts_from_bits(bits: npt.NDArray[Any], clbits: Sequence[int], width: int) -> dict[str, int]:
    """Counts from a ``(shots, len(clbits))`` 0/1 array whose column k is bit ``clbits[k]``."""
    if bits.shape[0] == 0:
        return {}
    weights = np.array([1 << c for c in clbits], dtype=np.int64)
    values = bits.astype(np.int64) @ weights if len(clbits) else np.zeros(len(bits), np.int64)
    return counts_from_ints(values, width)


def counts_from_ints(values: npt.NDArray[Any], width: int) -> dict[str, int]:
    """Counts from integer outcomes (bit j of the integer = classical bit j)."""
    uniq, freq = np.unique(np.asarray(values, dtype=np.int64), return_counts=True)
    return {
        format(int(u), f"0{width}b") if width else "": int(f)
        for u, f in zip(uniq, freq, strict=True)
    }


def normalize_qiskit_counts(raw: Mapping[str, int], width: int) -> dict[str, int]:
    """Qiskit keys join registers with spaces (last register leftmost): drop the spaces."""
    out: dict[str, int] = {}
    for key, n in raw.items():
        k = key.replace(" ", "")
        if k.startswith("0x"):
            k = format(int(k, 16), f"0{width}b")
        k = k[-width:] if width else ""
        out[k.rjust(width, "0")] = out.get(k, 0) + int(n)
    return dict(sorted(out.items()))


def place_bits(counts: Mapping[str, int], clbits: Sequence[int], width: int) -> dict[str, int]:
    """Re-key counts over a subset of bits (key char k, left to right = ``clbits[k]``)
    into full-width keys; bits never written read 0."""
    out: dict[str, int] = {}
    for key, n in counts.items():
        chars = ["0"] * width
        for ch, bit in zip(key, clbits, strict=True):
            chars[width - 1 - bit] = ch
        full = "".join(chars)
        out[full] = out.get(full, 0) + int(n)
    return dict(sorted(out.items()))


def parse_observable(text: str, num_qubits: int) -> dict[int, str]:
    """Parse a Pauli string such as ``"Z0 Z1"`` or ``"X0*Y2"`` into ``{qubit: pauli}``.

    Raises:
        BackendError: malformed text or a qubit outside the circuit.
    """
    cleaned = re.sub(r"[\s*@]+", " ", text.strip())
    terms: dict[int, str] = {}
    for token in cleaned.split(" "):
        if not token:
            continue
        found = _TERM.fullmatch(token)
        if found is None:
            raise BackendError(
                f"bad observable '{text}': write Pauli terms like 'Z0 Z1' or 'X0 Y2'"
            )
        pauli, qubit = found.group(1), int(found.group(2))
        if qubit >= num_qubits:
            raise BackendError(
                f"observable '{text}' acts on qubit {qubit} but the circuit has {num_qubits}"
            )
        if pauli != "I":
            if qubit in terms:
                raise BackendError(f"observable '{text}' names qubit {qubit} twice")
            terms[qubit] = pauli
    if not terms and "I" not in cleaned:
        raise BackendError(f"bad observable '{text}': empty")
    return terms


def qiskit_label(terms: Mapping[int, str], num_qubits: int) -> str:
    """Qiskit Pauli label (qubit 0 is the rightmost character)."""
    chars = ["I"] * num_qubits
    for q, p in terms.items():
        chars[num_qubits - 1 - q] = p
    return "".join(chars)
