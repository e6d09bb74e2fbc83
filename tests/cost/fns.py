"""Classical task functions for the cost tests."""

from __future__ import annotations

import time
from typing import Any


def nap(s: float = 0.0, **_: Any) -> float:
    """Sleep ``s`` seconds and return it."""
    time.sleep(s)
    return s


def add(a: float, b: float) -> float:
    """``a + b``."""
    return a + b


def touch(path: str, **_: Any) -> str:
    """Create ``path`` (proves the task ran)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("ran")
    return path
