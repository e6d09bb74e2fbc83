"""Pauli observables measured from counts: which bases to measure, and each value with its
shot error. Mitigated tasks sample (readout errors only exist where bits are read), so
their expectation values come from counts, not from a simulator's exact estimator."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..backends.results import parse_observable
from ..circuits.ir import Circuit, Op, Register

Basis = dict[int, str]  # qubit -> "X" | "Y" | "Z"


def basis_groups(observables: Sequence[str], num_qubits: int) -> list[tuple[Basis, list[str]]]:
    """Observables grouped so each group is measured by one circuit (qubit-wise commuting,
    greedy, in the given order): ``[(basis, [observable, ...]), ...]``.

    Raises:
        BackendError: an observable does not parse or names a qubit outside the circuit.
    """
    groups: list[tuple[Basis, list[str]]] = []
    for text in observables:
        terms = parse_observable(text, num_qubits)
        for basis, members in groups:
            if all(basis.get(q, p) == p for q, p in terms.items()):
                basis.update(terms)
                members.append(text)
                break
        else:
            groups.append((dict(terms), [text]))
    return groups


def measured_circuit(unitary: Circuit, basis: Basis) -> Circuit:
    """``unitary`` with the basis change of ``basis`` and every qubit measured
    (qubit ``q`` into clbit ``q``)."""
    n = unitary.num_qubits
    ops = list(unitary.ops)
    for q, pauli in sorted(basis.items()):
        if pauli == "X":
            ops.append(Op("h", (q,)))
        elif pauli == "Y":
            ops += [Op("sdg", (q,)), Op("h", (q,))]
    ops += [Op("measure", (q,), (), (q,)) for q in range(n)]
    return Circuit(
        n,
        n,
        tuple(ops),
        qregs=(Register("q", 0, n),),
        cregs=(Register("c", 0, n),),
        parameters=unitary.parameters,
    )


def calibration_circuit(num_qubits: int, *, ones: bool) -> Circuit:
    """Every qubit prepared in 0 (or 1) and measured: one half of the readout calibration."""
    ops = [Op("x", (q,)) for q in range(num_qubits)] if ones else []
    return measured_circuit(
        Circuit(num_qubits, 0, tuple(ops), qregs=(Register("q", 0, num_qubits),)), {}
    )


def distribution(output: Mapping[str, Any]) -> tuple[dict[str, float], int | None]:
    """A quantum task output's outcome frequencies (bitstring -> probability, clbit 0
    rightmost) and its shot count (None for exact probabilities)."""
    counts = output.get("counts")
    if counts is not None:
        total = sum(int(v) for v in counts.values())
        if total <= 0:
            raise ValueError("the sub-circuit returned no shots")
        return {k: int(v) / total for k, v in counts.items()}, total
    probabilities = output.get("probabilities")
    if probabilities is None:
        raise ValueError("the sub-circuit output has neither counts nor probabilities")
    return {k: float(v) for k, v in probabilities.items()}, None


def pauli_value(dist: Mapping[str, float], text: str, num_qubits: int) -> float:
    """<P> from outcome frequencies measured in P's basis: the parity of P's qubits."""
    support = list(parse_observable(text, num_qubits))
    total = 0.0
    for bits, prob in dist.items():
        parity = sum(bits[-1 - q] == "1" for q in support) & 1
        total += -prob if parity else prob
    return total


def shot_std(value: float, shots: int | None) -> float:
    """Standard error of a ±1-valued observable's mean over ``shots`` (0 when exact)."""
    if not shots:
        return 0.0
    return math.sqrt(max(0.0, 1.0 - value * value) / shots)
