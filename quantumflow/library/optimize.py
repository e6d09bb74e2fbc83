"""Optimisation steps: pick the best point of a sweep, or minimise a callable objective."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..executors.functions import resolve_function


def _point_value(result: Mapping[str, Any], observable: str | None) -> float:
    expectations = result.get("expectations") or {}
    if observable is not None:
        if observable not in expectations:
            raise ValueError(f"observable '{observable}' not in sweep results")
        return float(expectations[observable])
    if len(expectations) == 1:
        return float(next(iter(expectations.values())))
    raise ValueError("name the observable to optimise (sweep results have several)")


def best_sweep_point(
    sweep: Mapping[str, Any], observable: str | None = None, maximize: bool = False
) -> dict[str, Any]:
    """The sweep point with the lowest (or highest) expectation value.

    Args:
        sweep: a quantum task's sweep output ``{"points": [...], "results": [...]}`` (or the
            whole task output, which has it under ``"sweep"``).
        observable: which expectation to compare (optional when there is only one).
        maximize: pick the largest value instead of the smallest.

    Returns:
        ``{"point": {...}, "value": float, "index": int}``.
    """
    data = sweep.get("sweep", sweep)
    points: Sequence[Mapping[str, Any]] = data["points"]
    results: Sequence[Mapping[str, Any]] = data["results"]
    if not points or len(points) != len(results):
        raise ValueError("sweep output must have as many points as results (and at least one)")
    values = [_point_value(r, observable) for r in results]
    pick = max if maximize else min
    index = values.index(pick(values))
    return {"point": dict(points[index]), "value": values[index], "index": index}


def minimize(
    objective: str,
    x0: Sequence[float],
    method: str = "COBYLA",
    maxiter: int = 100,
    args: Mapping[str, Any] | None = None,
    *,
    learning_rate: float = 0.05,
    gradient: str = "parameter-shift",
) -> dict[str, Any]:
    """Minimise ``objective(x, **args)`` (an importable 'module:function').

    Args:
        objective: the function to minimise, called with the parameter list first.
        x0: the starting point.
        method: a scipy method (``COBYLA``, ``Nelder-Mead``, ...); ``adam`` for torch's Adam
            fed with measured gradients (needs ``quantumflow[torch]``); ``auto`` for Adam
            when torch is installed, else scipy COBYLA.
        maxiter: iterations (Adam: steps, each ``1 + 2 * len(x0)`` evaluations).
        args: keyword arguments of ``objective``.
        learning_rate: Adam's step size.
        gradient: Adam's gradient rule, ``parameter-shift`` or ``finite-difference``
            (see :func:`quantumflow.library.adam.gradient`).

    Returns:
        ``{"x": [...], "fun": float, "nfev": int, "history": [values],
        "optimizer": "scipy.COBYLA" | "torch.Adam" | ...}``.
    """
    from .adam import adam_minimize, torch_available

    fn = resolve_function(objective)
    extra = dict(args or {})

    def call(x: Sequence[float]) -> float:
        return float(fn([float(v) for v in x], **extra))

    choice = method.lower()
    if choice == "auto":
        choice = "adam" if torch_available() else "cobyla"
    if choice == "adam":
        return adam_minimize(call, x0, learning_rate=learning_rate, maxiter=maxiter, rule=gradient)
    from scipy.optimize import minimize as scipy_minimize

    scipy_method = "COBYLA" if choice == "cobyla" else method
    history: list[float] = []

    def wrapped(x: Any) -> float:
        value = call(x)
        history.append(value)
        return value

    res = scipy_minimize(wrapped, list(x0), method=scipy_method, options={"maxiter": maxiter})
    return {
        "x": [float(v) for v in res.x],
        "fun": float(res.fun),
        "nfev": int(res.nfev),
        "history": history,
        "optimizer": f"scipy.{scipy_method}",
    }
