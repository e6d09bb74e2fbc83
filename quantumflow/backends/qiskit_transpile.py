"""Transpiling for Qiskit backends, cached: per circuit, and one pass manager per simulator.

- :data:`TRANSPILE_CACHE`: (parsed circuit, backend, options) -> transpiled circuit, so a
  sweep or a repeated task transpiles once. Parsed circuits are themselves cached per
  source, so identity is a cheap and exact key.
- :func:`transpile_for`: what ``qiskit.transpile(qc, backend=sim, **opts)`` returns,
  through a preset pass manager built once per (simulator, options): ``transpile()``
  rebuilds it, and the simulator's Target, on every call (~0.2 s for a 4-qubit circuit).
- :func:`summary`: depth and gate counts of a transpiled circuit (memoized).
- :func:`is_dynamic`: whether a circuit needs a simulator's mode for mid-circuit
  measurement and reset.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from .._cache import IdentityCache
from ..circuits.ir import Circuit

CACHE_SIZE = 128


class _TranspileCache:
    """LRU of (circuit identity, backend, options) -> (circuit, transpiled, params).

    Parsed circuits are themselves cached per QASM text, so identity is a cheap and exact
    key; the circuit is kept in the entry so its id cannot be reused while cached."""

    def __init__(self) -> None:
        self._d: OrderedDict[tuple[int, str, str], tuple[Circuit, Any, dict[str, Any]]] = (
            OrderedDict()
        )
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()  # in-process cloud tasks transpile from several lanes

    def get(self, circuit: Circuit, key: str, make: Any) -> tuple[Any, dict[str, Any], float]:
        k = (id(circuit), key, "")
        with self._lock:
            entry = self._d.get(k)
            if entry is not None and entry[0] is circuit:
                self._d.move_to_end(k)
                self.hits += 1
                return entry[1], entry[2], 0.0
            self.misses += 1
        start = time.perf_counter()
        tqc, params = make()
        with self._lock:
            self._d[k] = (circuit, tqc, params)
            if len(self._d) > CACHE_SIZE:
                self._d.popitem(last=False)
        return tqc, params, time.perf_counter() - start


TRANSPILE_CACHE = _TranspileCache()

#: A simulator's Target (``AerSimulator.target`` builds a new one on every access).
_TARGETS: IdentityCache[Any, Any] = IdentityCache(lambda sim: sim.target, size=32)
_PASS_MANAGERS: OrderedDict[tuple[int, str], tuple[Any, Any, threading.Lock]] = OrderedDict()
_PM_LOCK = threading.Lock()


def transpile_for(sim: Any, qc: Any, opts: dict[str, Any]) -> Any:
    """``qiskit.transpile(qc, backend=sim, **opts)`` through a pass manager built once per
    (simulator, options): the same circuit out, without rebuilding the pass manager."""
    from qiskit import transpile
    from qiskit.transpiler import generate_preset_pass_manager

    key = (id(sim), repr(sorted(opts.items())))
    with _PM_LOCK:
        hit = _PASS_MANAGERS.get(key)
        if hit is None or hit[0] is not sim:
            try:
                pm = generate_preset_pass_manager(target=_TARGETS(sim), **opts)
            except TypeError:  # an option only transpile() knows: take the slow path
                pm = None
            hit = (sim, pm, threading.Lock())
            _PASS_MANAGERS[key] = hit
            if len(_PASS_MANAGERS) > CACHE_SIZE:
                _PASS_MANAGERS.popitem(last=False)
    if hit[1] is None:
        return transpile(qc, backend=sim, **opts)
    with hit[2]:  # a PassManager keeps per-run state: one run at a time
        return hit[1].run(qc)


def is_dynamic(circuit: Circuit) -> bool:
    """Mid-circuit measurement, reset or classical conditions: each shot may differ."""
    return not circuit.measurements_are_terminal()


def _summarise(tqc: Any) -> dict[str, Any]:
    return {"depth": tqc.depth(), "gates": dict(tqc.count_ops())}


_SUMMARIES: IdentityCache[Any, dict[str, Any]] = IdentityCache(_summarise, size=CACHE_SIZE)


def summary(tqc: Any) -> dict[str, Any]:
    """Depth and gate counts of a transpiled circuit (memoized: depth() costs ~1 ms)."""
    return dict(_SUMMARIES(tqc))
