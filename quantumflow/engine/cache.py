"""Result-cache keys: a classical call is keyed by its function and inputs; quantum by the backend.

A key is only made when the inputs have a canonical JSON form; otherwise the task runs
uncached (a wrong hit is worse than a miss).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ..config import Secret
from ..spec import ClassicalTask, QuantumTask


def classical_cache_key(task: ClassicalTask, kwargs: Mapping[str, Any]) -> str | None:
    """``sha256`` of the function path and the canonical JSON of its inputs (None if not JSON)."""
    try:
        blob = json.dumps(
            {"fn": task.fn, "inputs": kwargs},
            sort_keys=True,
            separators=(",", ":"),
            allow_nan=True,
        )
    except (TypeError, ValueError):
        return None
    return "classical:" + hashlib.sha256(blob.encode()).hexdigest()


def quantum_cache_key(
    task: QuantumTask, kwargs: Mapping[str, Any], params: Mapping[str, Any]
) -> str | None:
    """The backends' key for this circuit run (None if the backends cannot make one)."""
    from ..backends import quantum_cache_key as backend_key

    key = backend_key(task, inputs=dict(kwargs), params=dict(params))
    return str(key) if key else None


def cache_key(
    task: ClassicalTask | QuantumTask, kwargs: Mapping[str, Any], params: Mapping[str, Any]
) -> str | None:
    """The cache key of one attempt, or None when the task is not cacheable (a task given
    a secret is never cached: its value must not reach the store, even hashed)."""
    if not task.cache or any(type(v) is Secret for v in kwargs.values()):
        return None
    if isinstance(task, ClassicalTask):
        return classical_cache_key(task, kwargs)
    return quantum_cache_key(task, kwargs, params)
