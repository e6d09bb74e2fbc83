"""Module-level task functions for the jupyter tests (workers import them by path)."""

from __future__ import annotations

import time


def slow_value(value: float, delay: float = 0.05) -> float:
    """Return ``value`` after ``delay`` seconds (gives a widget time to see 'running')."""
    time.sleep(delay)
    return value


def trace(steps: int = 5) -> dict[str, list[float]]:
    """An optimiser-like trace the widget draws as a convergence series."""
    return {"history": [1.0 / (i + 1) for i in range(steps)]}


def boom() -> None:
    """Always fails."""
    raise RuntimeError("boom")
