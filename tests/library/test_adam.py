"""The torch optimiser path: measured gradients (parameter shift, finite differences), the
``auto`` choice, and (with torch installed) Adam reaching H2's ground state on PennyLane."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quantumflow.library.adam import adam_minimize, gradient, torch_available
from quantumflow.library.optimize import minimize
from quantumflow.library.vqe import exact_ground_energy, pauli_energy

from .test_vqe import ANSATZ, H2

QUADRATIC = "tests.library.test_postprocess:quadratic"


def trig(x: list[float]) -> float:
    """A sum of Pauli-rotation-like terms: parameter shift is exact for it."""
    return math.cos(x[0]) + 2 * math.sin(x[1]) - 0.5 * math.cos(x[0] + 0.3)


def test_parameter_shift_is_exact_for_rotations() -> None:
    x = [0.7, -1.1]
    want = [-math.sin(0.7) + 0.5 * math.sin(0.7 + 0.3), 2 * math.cos(-1.1)]
    assert gradient(trig, x) == pytest.approx(want, abs=1e-12)
    assert gradient(trig, x, rule="finite-difference") == pytest.approx(want, abs=1e-6)


def test_finite_differences_on_any_function() -> None:
    f = lambda x: (x[0] - 2.0) ** 2 + x[0] * x[1]  # noqa: E731
    assert gradient(f, [1.0, 3.0], rule="finite-difference") == pytest.approx([1.0, 1.0])
    with pytest.raises(ValueError, match="parameter-shift, finite-difference"):
        gradient(f, [1.0], rule="adjoint")


def test_auto_uses_torch_when_installed_else_scipy() -> None:
    res = minimize(QUADRATIC, [0.0], method="auto", maxiter=200, args={"shift": 1.0})
    assert res["optimizer"] == ("torch.Adam" if torch_available() else "scipy.COBYLA")
    assert res["fun"] == pytest.approx(0.5, abs=1e-3)
    assert res["x"][0] == pytest.approx(1.0, abs=0.05)
    assert min(res["history"]) == pytest.approx(res["fun"])


def test_adam_without_torch_says_how_to_install_it() -> None:
    if torch_available():
        res = minimize(QUADRATIC, [0.0], method="adam", maxiter=5)
        assert res["optimizer"] == "torch.Adam" and len(res["history"]) == 5
        return
    with pytest.raises(ModuleNotFoundError, match=r"quantumflow\[torch\]"):
        minimize(QUADRATIC, [0.0], method="adam")
    with pytest.raises(ValueError, match="maxiter"):
        adam_minimize(trig, [0.0, 0.0], maxiter=0)


@pytest.mark.slow
def test_parameter_shift_through_a_real_backend() -> None:
    kw = {
        "hamiltonian": H2,
        "backend": "pennylane:default.qubit",
        "circuit": {"qasm": ANSATZ},
        "param_names": ["theta"],
    }

    def energy(x: list[float]) -> float:
        return pauli_energy(x, **kw)  # type: ignore[arg-type]

    shifted = gradient(energy, [0.4])
    fd = gradient(energy, [0.4], rule="finite-difference", eps=1e-4)
    assert shifted == pytest.approx(fd, abs=1e-6)
    assert abs(shifted[0]) > 0.01


@pytest.mark.torch
@pytest.mark.slow
def test_torch_adam_vqe_reaches_chemical_accuracy() -> None:
    grid = np.linspace(-np.pi, np.pi, 41)
    args = {
        "hamiltonian": H2,
        "backend": "pennylane:default.qubit",
        "circuit": {"qasm": ANSATZ},
        "param_names": ["theta"],
    }
    scan = [pauli_energy([float(t)], **args) for t in grid]  # type: ignore[arg-type]
    x0 = [float(grid[int(np.argmin(scan))])]
    res = minimize("quantumflow.library.vqe:pauli_energy", x0, method="adam", maxiter=60, args=args)
    exact = exact_ground_energy(H2, 2)
    assert res["optimizer"] == "torch.Adam"
    assert abs(res["fun"] - exact) < 1.6e-3
    assert res["fun"] <= min(scan) + 1e-9
    assert res["nfev"] == 60 * 3  # one value and two shifted runs per step
