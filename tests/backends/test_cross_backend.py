"""Seeded random circuits on every pair of ideal backends agree within shot noise (TVD).

GHZ cannot reveal a bit-order bug; these asymmetric random circuits can. Each backend is
also compared with the exact reference distribution."""

from __future__ import annotations

import itertools
import math

import pytest

from quantumflow.backends import execute_quantum_task
from quantumflow.backends.registry import BUILTIN, sdk_installed
from quantumflow.circuits import generate, to_qasm3
from quantumflow.circuits.reference import statevector
from quantumflow.spec import QuantumTask

IDEAL = [
    n
    for n in (
        "qiskit.aer",
        "cirq.simulator",
        "cirq.qsim",
        "pennylane:default.qubit",
        "pennylane:lightning.qubit",
    )
    if sdk_installed(BUILTIN[n.split(":")[0]])
]
SHOTS = 4000
N = 4


def tvd(p: dict[str, float], q: dict[str, float]) -> float:
    keys = set(p) | set(q)
    return 0.5 * sum(abs(p.get(k, 0.0) - q.get(k, 0.0)) for k in keys)


def bound() -> float:
    # E[TVD] of an empirical distribution ~ sqrt(2^n / (2π·shots)) summed; 3x margin
    return 3 * math.sqrt((2**N) / (2 * math.pi * SHOTS))


@pytest.fixture(scope="module", params=[0, 1, 2], ids=lambda s: f"seed{s}")
def distributions(
    request: pytest.FixtureRequest,
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    circuit = generate("random", {"n": N, "depth": 5, "seed": request.param})
    probs = abs(statevector(circuit)) ** 2
    exact = {format(i, f"0{N}b"): float(p) for i, p in enumerate(probs) if p > 1e-12}
    got = {}
    for name in IDEAL:
        task = QuantumTask(
            id="r",
            backend=name,
            circuit={"qasm": to_qasm3(circuit)},
            shots=SHOTS,
            seed=request.param + 1,
        )
        counts = execute_quantum_task(task, inputs={})["counts"]
        got[name] = {k: v / SHOTS for k, v in counts.items()}
    return exact, got


def test_random_circuit_is_not_symmetric(distributions) -> None:
    exact, _ = distributions
    # reversing the bit order must change the distribution, else the test proves nothing
    assert tvd(exact, {k[::-1]: v for k, v in exact.items()}) > 0.05


@pytest.mark.parametrize("name", IDEAL)
def test_each_backend_matches_the_exact_distribution(distributions, name: str) -> None:
    exact, got = distributions
    assert tvd(exact, got[name]) < bound()


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(IDEAL, 2)))
def test_every_pair_agrees(distributions, a: str, b: str) -> None:
    _, got = distributions
    assert tvd(got[a], got[b]) < 2 * bound()
