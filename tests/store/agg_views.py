"""Every aggregate of a run at once, for the cache and frame tests."""

from __future__ import annotations

import math
from typing import Any

from quantumflow.store import Store, agg_time, aggregates


def every_view(store: Store, run_id: str, now: float = 2e9) -> dict[str, Any]:
    """Every aggregate of the run at one fixed ``now`` (the answers depend on it)."""
    e = store.engine
    return {
        "progress": aggregates.progress(e, run_id, now=now),
        "states": aggregates.states_vector(e, run_id),
        "durations": aggregates.duration_histogram(e, run_id),
        "throughput": agg_time.throughput(e, run_id, now=now),
        "cost": agg_time.cost_burn(e, run_id, now=now),
        "lanes": agg_time.lanes(e, run_id, now=now),
        "slowest": aggregates.slowest(e, run_id),
        "failures": aggregates.failures(e, run_id),
        "objective": aggregates.objective(e, run_id),
    }


def same(a: Any, b: Any, where: str = "") -> None:
    """``a == b``, floats to 12 digits (sums of the same numbers in another order)."""
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), (where, a, b)
    elif isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), (where, a.keys(), b.keys())
        for k in a:
            same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list | tuple) and isinstance(b, list | tuple):
        assert len(a) == len(b), (where, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    else:
        assert a == b, (where, a, b)
