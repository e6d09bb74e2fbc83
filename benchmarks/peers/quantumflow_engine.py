"""QuantumFlow in the harness: ``quantumflow.run`` with every task state in SQLite.

Runs the specs of ``benchmarks/overhead.py`` (the engine's own W1/W2/W3/W5, the same
graphs as :mod:`workloads`) on the threads executor, against one store file given by
``QF_BENCH_DB`` (default: a temporary file) so the harness can check afterwards that
every task of every run is recorded. Each run's status is checked when it returns; its
task rows are read back from the store at the start of the next request (outside the
timed ``run``, which the peers do not pay for) and at ``close``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))  # ``benchmarks.overhead:work`` is the task function

from _serve import Workload, main  # noqa: E402

_SPECS = {"w1": "spec_w1", "w2": "spec_w2", "w3": "spec_w3", "w5": "spec_w5"}


def _db_url() -> str:
    path = os.environ.get("QF_BENCH_DB") or str(Path(tempfile.mkdtemp()) / "bench.db")
    return f"sqlite:///{path}"


class QuantumFlow:
    """Parses each spec once (spec parsing is not dispatch), then times ``run`` on it."""

    name = "quantumflow"

    def __init__(self) -> None:
        from benchmarks import overhead
        from quantumflow.engine import open_db, run
        from quantumflow.spec.loader import load_spec

        self._overhead, self._run, self._load = overhead, run, load_spec
        self._store = open_db(_db_url())
        self._run(self._load(overhead._task_spec_warmup()), db=self._store)
        self._parsed: dict[tuple[str, int], Any] = {}
        self._unchecked: list[tuple[str, int]] = []  # (run id, tasks) not yet read back

    def versions(self) -> dict[str, str]:
        import sqlite3

        import quantumflow

        return {"quantumflow": quantumflow.__version__, "sqlite": sqlite3.sqlite_version}

    def prepare(self) -> None:
        """Read back the runs of earlier requests: every task ``succeeded`` in the store."""
        while self._unchecked:
            run_id, n = self._unchecked.pop()
            tasks = self._store.get_run(run_id).tasks
            done = sum(1 for t in tasks.values() if t.status == "succeeded")
            if done != n:
                raise RuntimeError(f"run {run_id}: {done}/{n} tasks recorded as succeeded")

    def run(self, wl: Workload) -> list[int]:
        key = (wl.name, wl.n)
        if key not in self._parsed:
            size = wl.n - 2 if wl.name == "w1" else wl.n
            self._parsed[key] = self._load(getattr(self._overhead, _SPECS[wl.name])(size))
        result = self._run(self._parsed[key], db=self._store)
        if result.status != "succeeded":
            raise RuntimeError(f"run {result.id} {result.status}: {result.error}")
        self._unchecked.append((result.id, wl.n))
        return [result.outputs[wl.ids[i]] for i in wl.sinks()]

    def close(self) -> None:
        try:
            self.prepare()
        finally:
            self._store.close()


def _mark() -> float:
    return time.perf_counter()


def _startup() -> float:
    t0 = time.perf_counter()
    import quantumflow

    spec = {
        "name": "startup",
        "tasks": [{"id": "a", "kind": "classical", "fn": "quantumflow_engine:_mark"}],
    }
    run = quantumflow.run(spec, db=_db_url())
    return float(run.outputs["a"]) - t0


if __name__ == "__main__":
    main(QuantumFlow, _startup)
