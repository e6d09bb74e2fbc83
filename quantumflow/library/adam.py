"""Adam over a circuit's parameters with torch, gradients from the circuit itself.

Each gradient is measured the way a quantum device allows: the parameter-shift rule (two
circuit runs per parameter, exact for gates ``exp(-i θ P / 2)`` such as ``rx``/``ry``/
``rz``) or central finite differences (any parameterisation, exact simulators). Every
evaluation runs through QuantumFlow's backends (the objective, e.g.
:func:`~quantumflow.library.vqe.pauli_energy`, executes the circuit); torch supplies only
the optimiser. torch is optional (``pip install quantumflow[torch]``); without it
:func:`~quantumflow.library.optimize.minimize` falls back to scipy.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Callable, Sequence
from typing import Any

Objective = Callable[[list[float]], float]
GRADIENTS = ("parameter-shift", "finite-difference")


def torch_available() -> bool:
    """True when ``import torch`` would work (checked without importing it)."""
    return importlib.util.find_spec("torch") is not None


def gradient(
    fn: Objective,
    x: Sequence[float],
    *,
    rule: str = "parameter-shift",
    shift: float = math.pi / 2,
    eps: float = 1e-3,
) -> list[float]:
    """d fn / d x, two evaluations of ``fn`` per parameter.

    Args:
        fn: the objective (one circuit execution per call).
        x: where to differentiate.
        rule: ``parameter-shift`` ((f(x+s) - f(x-s)) / (2 sin s), exact when each parameter
            enters one Pauli rotation) or ``finite-difference`` (central, step ``eps``).
        shift: the parameter-shift angle ``s``.
        eps: the finite-difference step.

    Raises:
        ValueError: unknown ``rule``.
    """
    if rule not in GRADIENTS:
        raise ValueError(f"gradient must be one of {', '.join(GRADIENTS)}, got '{rule}'")
    step, scale = (shift, 2 * math.sin(shift)) if rule == "parameter-shift" else (eps, 2 * eps)
    grad: list[float] = []
    for i in range(len(x)):
        up = [float(v) + (step if j == i else 0.0) for j, v in enumerate(x)]
        down = [float(v) - (step if j == i else 0.0) for j, v in enumerate(x)]
        grad.append((fn(up) - fn(down)) / scale)
    return grad


def adam_minimize(
    fn: Objective,
    x0: Sequence[float],
    *,
    learning_rate: float = 0.05,
    maxiter: int = 60,
    rule: str = "parameter-shift",
) -> dict[str, Any]:
    """Minimise ``fn`` with ``torch.optim.Adam``, feeding it measured gradients.

    Returns:
        ``{"x", "fun", "nfev", "history", "optimizer"}``: the best point seen and its
        value, the number of objective calls (gradients included), the value at every
        step, and ``"torch.Adam"``.

    Raises:
        ModuleNotFoundError: torch is not installed.
        ValueError: bad ``rule``, ``maxiter`` or ``learning_rate``.
    """
    if maxiter < 1 or not learning_rate > 0:
        raise ValueError("maxiter must be >= 1 and learning_rate > 0")
    if rule not in GRADIENTS:
        raise ValueError(f"gradient must be one of {', '.join(GRADIENTS)}, got '{rule}'")
    try:
        import torch
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            "the Adam optimiser needs torch: pip install 'quantumflow[torch]' "
            "(or use method COBYLA / auto)"
        ) from err

    calls = 0

    def counted(x: list[float]) -> float:
        nonlocal calls
        calls += 1
        return float(fn(x))

    params = torch.tensor([float(v) for v in x0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([params], lr=learning_rate)
    history: list[float] = []
    best_x, best = [float(v) for v in x0], math.inf
    for _ in range(maxiter):
        x = [float(v) for v in params.detach().tolist()]
        value = counted(x)
        history.append(value)
        if value < best:
            best_x, best = x, value
        grad = gradient(counted, x, rule=rule)
        opt.zero_grad()
        params.grad = torch.tensor(grad, dtype=torch.float64)
        opt.step()
    return {
        "x": best_x,
        "fun": best,
        "nfev": calls,
        "history": history,
        "optimizer": "torch.Adam",
    }
