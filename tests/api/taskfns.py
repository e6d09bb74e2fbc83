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


def array(n: int) -> object:
    """A float numpy array ``0 .. n-1`` (large ones are stored as artifact files)."""
    import numpy as np

    return np.arange(n, dtype=np.float64)


def mixed() -> dict[str, object]:
    """Values the store's JSON lacks: complex, non-finite floats, tuples, numpy scalars."""
    import numpy as np

    return {
        "c": 1 + 2j,
        "nan": float("nan"),
        "inf": float("-inf"),
        "pair": (1, 2),
        "scalar": np.float64(0.5),
        "matrix": np.eye(2, dtype=np.int64),
        "keys": {1: "one"},
    }


def touch(path: str) -> str:
    """Create the file at ``path`` (tests check that validation never calls this)."""
    from pathlib import Path

    Path(path).write_text("called", encoding="utf-8")
    return path
