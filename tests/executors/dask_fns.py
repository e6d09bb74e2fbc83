"""Task functions the Dask tests send to real workers (imported there by path)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np


def square(x: int, sleep_s: float = 0.0) -> int:
    time.sleep(sleep_s)
    return x * x


def total(**parts: int) -> int:
    return sum(parts.values())


def worker_address() -> str:
    from distributed import get_worker

    return str(get_worker().address)


def big_array(n: int) -> dict[str, Any]:
    """A large output (n float64) and where it was made."""
    return {"data": np.arange(n, dtype=np.float64), "made_on": worker_address()}


def checksum(data: Any, made_on: str = "") -> dict[str, Any]:
    return {"sum": float(np.sum(data)), "made_on": made_on, "used_on": worker_address()}


def hold(log: str, name: str, sleep_s: float) -> str:
    """Record [start, end] of this call in ``log`` (one line each) to measure overlap."""
    start = time.time()
    time.sleep(sleep_s)
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"{name} {start} {time.time()} {os.getpid()}\n")
    return name


def bell_counts(shots: int, seed: int) -> dict[str, int]:
    """Simulate a Bell pair with qiskit-aer on the worker (a quantum step inside a classical
    function, so the simulator runs on the cluster)."""
    from qiskit import QuantumCircuit
    from qiskit_aer import AerSimulator

    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    result = AerSimulator(seed_simulator=seed).run(qc, shots=shots).result()
    return dict(sorted(result.get_counts().items()))


def parity(counts: dict[str, int]) -> float:
    shots = sum(counts.values())
    even = sum(v for k, v in counts.items() if k.count("1") % 2 == 0)
    return even / shots


def flaky_file(path: str) -> int:
    p = Path(path)
    n = int(p.read_text()) if p.exists() else 0
    p.write_text(str(n + 1))
    if n == 0:
        raise RuntimeError("first call fails")
    return n + 1


def crash_once(path: str) -> str:
    """Kill the worker process the first time (as a machine lost mid-call), then succeed."""
    p = Path(path)
    if not p.exists():
        p.write_text("x")
        os._exit(1)
    return "survived"


def _only_in_a_worker() -> ClientCannotLoad:
    from distributed import get_worker

    get_worker()  # raises ValueError outside a Dask worker
    return ClientCannotLoad()


class ClientCannotLoad:
    """A value a worker can hold and send but the client cannot unpickle."""

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_only_in_a_worker, ())


def client_cannot_load(sleep_s: float = 0.0) -> ClientCannotLoad:
    time.sleep(sleep_s)
    return ClientCannotLoad()


def scheduler_priorities(keys: list[Any], dask_scheduler: Any = None) -> list[float | None]:
    """The user priority the Dask scheduler gave each key (None: not there yet); run there
    by ``run_on_scheduler``."""
    tasks = [dask_scheduler.tasks.get(tuple(k)) for k in keys]
    return [None if ts is None else float(-ts.priority[0]) for ts in tasks]


def scheduler_states(keys: list[Any], dask_scheduler: Any = None) -> list[str | None]:
    """The scheduler-side state of each key (None: not there yet)."""
    tasks = [dask_scheduler.tasks.get(tuple(k)) for k in keys]
    return [None if ts is None else str(ts.state) for ts in tasks]
