"""Store throughput: microseconds per task state row through ``Store.record`` + ``flush``.

Each of N tasks gets three events (queued, running, succeeded), recorded one call per
event as the engine does; the clock runs from the first ``record`` to the end of
``flush``, so it includes the writer thread's commits (task_runs update, events row,
performance_metrics row). Also times ``open_store`` on an up-to-date database in a fresh
process (the fast path that skips Alembic).

Usage: ``python benchmarks/store_bench.py [--tasks 20000] [--url URL] [--json out.json]``
(default: a temporary SQLite file). The harness imports ``run_store``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from quantumflow.store import TaskEvent, open_store

_OPEN = """
import sys, time
t0 = time.perf_counter()
from quantumflow.store import open_store
t1 = time.perf_counter()
open_store(sys.argv[1], artifacts_dir=sys.argv[2]).close()
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _record_rows(url: str, arts: str, tasks: int) -> tuple[float, float]:
    with open_store(url, artifacts_dir=arts) as store:
        ids = [f"t{i}" for i in range(tasks)]
        rid = store.create_run(spec={"name": "bench"}, task_ids=ids)
        ref = store.put_output(1)
        t0, c0 = time.perf_counter(), time.process_time()
        for t in ids:
            store.record([TaskEvent(rid, t, "queued")])
            store.record([TaskEvent(rid, t, "running")])
            store.record([TaskEvent(rid, t, "succeeded", output_ref=ref)])
        store.flush()
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert all(t.status == "succeeded" for t in store.get_run(rid).tasks.values())
    return elapsed / (3 * tasks) * 1e6, cpu / (3 * tasks) * 1e6


def run_store(*, tasks: int = 20_000, url: str | None = None, repeat: int = 3) -> dict[str, Any]:
    """Run the store benchmark; returns µs per row (wall and CPU) and open_store ms."""
    with tempfile.TemporaryDirectory() as tmp:
        db = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        measured = [_record_rows(db, tmp, tasks) for _ in range(repeat)]
        per_row = [m[0] for m in measured]
        opens = []
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, "-c", _OPEN, db, tmp], capture_output=True, text=True, check=True
            )
            imp, opn = (float(x) for x in out.stdout.split())
            opens.append((imp * 1e3, opn * 1e3))
    return {
        "database": "sqlite" if url is None else url.split(":", 1)[0],
        "tasks": tasks,
        "rows": 3 * tasks,
        "us_per_row_median": round(statistics.median(per_row), 2),
        "us_per_row_all": [round(x, 2) for x in per_row],
        # CPU time of this process (caller + writer thread): less sensitive to a busy host.
        "cpu_us_per_row_median": round(statistics.median(m[1] for m in measured), 2),
        "import_store_ms": round(statistics.median(o[0] for o in opens), 1),
        "open_store_ms": round(statistics.median(o[1] for o in opens), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--url", default=None, help="database URL (default: temp SQLite file)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    result = run_store(tasks=args.tasks, url=args.url, repeat=args.repeat)
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.write_text(text + "\n")
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
