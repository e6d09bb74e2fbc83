"""Task functions for the API tests (importable as ``tests.api.taskfns:NAME``)."""

from __future__ import annotations

import time


def add(a: float, b: float) -> float:
    return a + b


def slow(value: float, delay: float = 0.2) -> float:
    time.sleep(delay)
    return value


def boom(value: float) -> float:
    raise ValueError(f"boom {value}")
