"""The time model: features, non-negative fit, stored form."""

from __future__ import annotations

import random

import pytest

from quantumflow.cost.features import from_counts, task_features
from quantumflow.cost.model import TERMS, TimeModel, feature_vector, fit
from quantumflow.spec import QuantumTask


def test_features_of_a_task_count_gates_and_clifford() -> None:
    ghz = QuantumTask.parse(
        {"id": "g", "backend": "qiskit.aer", "circuit": {"builtin": "ghz", "args": {"n": 5}}}
    )
    f = task_features(ghz)
    assert (f.qubits, f.gates, f.two_qubit, f.clifford, f.shots, f.points) == (
        5,
        5,
        4,
        True,
        1024,
        1,
    )
    rnd = QuantumTask.parse(
        {
            "id": "r",
            "backend": "qiskit.aer",
            "circuit": {"builtin": "random", "args": {"n": 6, "depth": 4}},
            "shots": None,
        }
    )
    g = task_features(rnd)
    assert g.qubits == 6 and not g.clifford and g.shots == 0


def test_sweep_points_are_counted() -> None:
    t = QuantumTask.parse(
        {
            "id": "q",
            "backend": "qiskit.aer",
            "circuit": {"builtin": "qaoa_maxcut", "args": {"edges": [[0, 1], [1, 2]]}},
            "sweep": {"gamma_0": [0.1, 0.2, 0.3], "beta_0": [0.5, 0.6]},
        }
    )
    assert task_features(t).points == 6


def test_similar_matches_width_and_close_gate_counts() -> None:
    a = from_counts(10, {"h": 10, "cx": 20, "measure": 10}, shots=1024, points=1)
    assert a.gates == 30 and a.two_qubit == 20
    assert a.similar(from_counts(10, {"h": 10, "cx": 25}, shots=1024, points=1))
    assert not a.similar(from_counts(11, {"h": 10, "cx": 20}, shots=1024, points=1))
    assert not a.similar(from_counts(10, {"h": 10, "cx": 80}, shots=1024, points=1))
    assert not a.similar(from_counts(10, {"t": 10, "cx": 20}, shots=1024, points=1))


def test_fit_recovers_known_coefficients() -> None:
    rng = random.Random(3)
    truth = {"overhead": 0.01, "gates": 1e-4, "statevector": 3.0, "shots": 0.2}
    rows = []
    for _ in range(40):
        f = from_counts(
            rng.randint(2, 22),
            {"rx": rng.randint(1, 200), "cx": rng.randint(0, 50)},
            shots=rng.choice([0, 1000, 100_000]),
            points=rng.choice([1, 4]),
        )
        x = dict(zip(TERMS, feature_vector(f), strict=True))
        rows.append((f, sum(truth.get(t, 0.0) * x[t] for t in TERMS)))
    coeffs = fit("synthetic", rows)
    assert all(c >= 0 for c in coeffs.values())
    model = TimeModel("synthetic", coeffs)
    for f, seconds in rows:
        assert model.predict(f) == pytest.approx(seconds, rel=0.05)


def test_model_round_trips_and_rejects_unknown_versions() -> None:
    m = TimeModel("qiskit.aer", {t: 0.5 for t in TERMS}, [{"seconds": 1.0}], created_at=1.0)
    back = TimeModel.from_dict(m.to_dict())
    assert back is not None and back.coeffs == m.coeffs and back.samples == m.samples
    assert TimeModel.from_dict({**m.to_dict(), "version": 99}) is None


def test_fit_needs_rows() -> None:
    with pytest.raises(ValueError, match="no measurements"):
        fit("x", [])
