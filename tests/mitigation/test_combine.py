"""The combining pieces: mitiq extrapolation with propagated shot error, and readout
correction from a two-circuit calibration."""

from __future__ import annotations

import pytest

from quantumflow.library.mitigation import readout_mitigate, zne_extrapolate


def test_richardson_recovers_a_quadratic_and_propagates_errors() -> None:
    scales = [1.0, 2.0, 3.0]
    values = [0.9 - 0.15 * s + 0.01 * s * s for s in scales]
    fit = zne_extrapolate(scales, values, stds=[0.01, 0.01, 0.01])
    assert fit["value"] == pytest.approx(0.9, abs=1e-9)
    # Richardson weights for (1, 2, 3) are (3, -3, 1): sigma = 0.01 * sqrt(19)
    assert fit["weights"] == pytest.approx([3.0, -3.0, 1.0], abs=1e-4)
    assert fit["std"] == pytest.approx(0.01 * 19**0.5, rel=1e-4)
    assert fit["fit_error"] is None


@pytest.mark.parametrize("factory", ["linear", "exp", "poly"])
def test_other_factories_extrapolate_their_own_model(factory: str) -> None:
    import math

    scales = [1.0, 2.0, 3.0, 4.0]
    model = {
        "linear": lambda s: 0.8 - 0.1 * s,
        "exp": lambda s: 0.95 * math.exp(-0.2 * s),
        "poly": lambda s: 0.7 - 0.1 * s + 0.02 * s * s,
    }[factory]
    fit = zne_extrapolate(scales, [model(s) for s in scales], factory=factory, order=2)
    assert fit["value"] == pytest.approx(model(0.0), abs=1e-6)


def test_a_fit_that_cannot_be_made_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="at least two"):
        zne_extrapolate([1.0], [0.5])
    with pytest.raises(ValueError, match="factory must be one of"):
        zne_extrapolate([1.0, 2.0], [0.5, 0.4], factory="magic")


def test_readout_correction_undoes_known_flips() -> None:
    # qubit 0 flips 0->1 with 10 %, 1->0 with 20 %; qubit 1 never flips
    zeros = {"00": 900, "01": 100}
    ones = {"11": 800, "10": 200}
    true = {"00": 0.5, "11": 0.5}
    p01, p10 = 0.1, 0.2
    measured = {
        "00": true["00"] * (1 - p01),
        "01": true["00"] * p01,
        "11": true["11"] * (1 - p10),
        "10": true["11"] * p10,
    }
    counts = {k: round(v * 10_000) for k, v in measured.items()}
    out = readout_mitigate(counts, zeros=zeros, ones=ones)
    assert out["probabilities"]["00"] == pytest.approx(0.5, abs=1e-3)
    assert out["probabilities"]["11"] == pytest.approx(0.5, abs=1e-3)
    rates = out["calibration"]["qubits"]
    assert rates[0] == {"qubit": 0, "p0to1": pytest.approx(0.1), "p1to0": pytest.approx(0.2)}
    assert rates[1]["p0to1"] == 0.0 and rates[1]["p1to0"] == 0.0
