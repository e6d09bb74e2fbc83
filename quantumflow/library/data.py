"""Small data steps: constants, parameter grids, gathering upstream outputs."""

from __future__ import annotations

from typing import Any


def constant(value: Any) -> Any:
    """Return ``value`` unchanged (a source node in the designer)."""
    return value


def linspace(start: float, stop: float, num: int) -> list[float]:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive."""
    if num < 1:
        raise ValueError("num must be at least 1")
    if num == 1:
        return [float(start)]
    step = (stop - start) / (num - 1)
    return [start + i * step for i in range(num)]


def collect(**values: Any) -> dict[str, Any]:
    """Gather any number of inputs into one dict output (fan-in)."""
    return dict(values)
